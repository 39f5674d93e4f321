"""Between editions: whether a reload published a new edition. Pure; no Telegram."""

from __future__ import annotations

from datetime import datetime

from bot.knowledge import Knowledge
from bot.render import phase_at


def published(old: Knowledge, new: Knowledge, now: datetime) -> bool:
    """Whether ``new`` announces another edition than ``old``, one that has not taken place yet."""
    return new.event.edition != old.event.edition and phase_at(new.event, now) != "after"


def notify_key(knowledge: Knowledge) -> str:
    """The delivery-log key of the "next edition is announced" message: once per chat and edition."""
    return f"next-edition:{knowledge.event.edition}"
