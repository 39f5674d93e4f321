"""The Telegram side: a thin skin over the pure assistant. ``build_application`` wires it."""

import os

# Opt in now to python-telegram-bot's coming behaviour (durations such as RetryAfter.retry_after
# as timedelta), as its deprecation warning recommends; set before telegram is imported.
os.environ.setdefault("PTB_TIMEDELTA", "1")
