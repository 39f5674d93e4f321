"""The Telegram side: a thin skin over the pure assistant. ``build_application`` wires it."""
