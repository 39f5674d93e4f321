"""When reminders fire: pure functions of the knowledge and the clock, in the event's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_datetime

from bot.knowledge import Knowledge, Reminder


@dataclass(frozen=True)
class Due:
    """One reminder at its moment, with the key its deliveries are logged under."""

    reminder: Reminder
    at: datetime
    key: str


@dataclass(frozen=True)
class Plan:
    """What to do with each reminder at start-up or after a reload."""

    upcoming: tuple[Due, ...]  # schedule for later
    catch_up: tuple[Due, ...]  # missed while down, within the grace window: send now
    skipped: tuple[Due, ...]  # missed by more than the grace window: never sent


def delivery_key(knowledge: Knowledge, reminder: Reminder) -> str:
    """The delivery-log key of a reminder: its id within this edition (a new edition starts afresh)."""
    return f"reminder:{knowledge.event.edition}:{reminder.id}"


def reminder_times(knowledge: Knowledge) -> list[Due]:
    """Every reminder's aware firing time, event-local (daylight saving handled by zoneinfo), earliest first."""
    event = knowledge.event
    times = [
        Due(
            r,
            datetime.combine(event.date - timedelta(days=r.days_before), r.at, tzinfo=event.tz),
            delivery_key(knowledge, r),
        )
        for r in knowledge.reminders
    ]
    return sorted(times, key=lambda d: (d.at, d.reminder.id))


def plan(knowledge: Knowledge, now: datetime, grace: timedelta) -> Plan:
    """Split the reminders into those still to come, those to catch up on now, and those too stale to send."""
    upcoming, catch_up, skipped = [], [], []
    for due in reminder_times(knowledge):
        if due.at > now:
            upcoming.append(due)
        elif now - due.at <= grace:
            catch_up.append(due)
        else:
            skipped.append(due)
    return Plan(tuple(upcoming), tuple(catch_up), tuple(skipped))


def next_reminder(knowledge: Knowledge, now: datetime) -> Due | None:
    """The first reminder after ``now``, if any."""
    return next((due for due in reminder_times(knowledge) if due.at > now), None)


def format_moment(moment: datetime, pattern: str, lang: str, knowledge: Knowledge) -> str:
    """``moment`` in the event's timezone, as the reader's language writes it."""
    return format_datetime(moment, pattern, tzinfo=knowledge.event.tz, locale=lang)
