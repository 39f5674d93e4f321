"""Science for Health assistant: answers attendees' questions from a curated knowledge base."""

__version__ = "0.1.0"  # the one version: pyproject.toml reads it (dynamic), /version shows it
