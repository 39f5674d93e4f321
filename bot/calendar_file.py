"""An .ics calendar file for the event, built from the knowledge base (icalendar)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from bot.render import Renderer


def build_ics(render: Renderer, now: datetime) -> bytes:
    """The event as an iCalendar file in the reader's language: all-day unless a start time is known."""
    knowledge = render.knowledge
    event = knowledge.event
    calendar = Calendar()
    slug = re.sub(r"[^a-z0-9]+", "-", event.name.lower()).strip("-")
    calendar.add("prodid", f"-//{event.name} assistant//EN")
    calendar.add("version", "2.0")
    entry = Event()
    entry.add("uid", f"{slug}-{event.edition}@{slug}.assistant")
    entry.add("dtstamp", now)
    entry.add("summary", f"{event.name} {event.edition}")
    if event.start_time is None:
        entry.add("dtstart", event.date)
        entry.add("dtend", event.last_day + timedelta(days=1))
    else:
        start = datetime.combine(event.date, event.start_time, tzinfo=event.tz)
        end_time = event.end_time or event.start_time
        end = datetime.combine(event.last_day, end_time, tzinfo=event.tz)
        entry.add("dtstart", start)
        entry.add("dtend", end if end > start else start + timedelta(hours=8))
    entry.add("location", render.place())
    entry.add("description", render.ui("calendar_description"))
    if event.registration_url:
        entry.add("url", event.registration_url)
    calendar.add_component(entry)
    if event.start_time is not None:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def ics_filename(render: Renderer) -> str:
    """A file name like ``science-for-health-2025.ics``."""
    event = render.knowledge.event
    return re.sub(r"[^a-z0-9]+", "-", f"{event.name} {event.edition}".lower()).strip("-") + ".ics"
