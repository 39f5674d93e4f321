"""Between editions: whether a reload published a new edition. Pure; no Telegram."""

from __future__ import annotations

from datetime import datetime

from bot.knowledge import Knowledge
from bot.render import phase_at


def published(old: Knowledge, new: Knowledge, now: datetime) -> bool:
    """Whether ``new`` announces an edition still to come that ``old`` did not.

    Either the edition changed, or ``old`` was already over (organisers who change the
    edition in one save and the date in the next get the notification with the date).
    Moving the date of an edition already announced is not a new announcement.
    """
    if phase_at(new.event, now) == "after":
        return False
    return new.event.edition != old.event.edition or phase_at(old.event, now) == "after"


def notify_key(knowledge: Knowledge) -> str:
    """The delivery-log key of the "next edition is announced" message: once per chat and edition."""
    return f"next-edition:{knowledge.event.edition}"
