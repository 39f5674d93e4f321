"""Reminder times as pure functions of the knowledge and the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import Knowledge, load
from bot.schedule import format_moment, next_reminder, plan, reminder_times
from tests.conftest import KB, at_day, move_event

GRACE = timedelta(hours=1)


def test_reminders_fire_at_local_times(knowledge: Knowledge) -> None:
    """A week before at 09:00, the day before at 09:00 and the morning of at 08:00, event-local time."""
    times = [(d.reminder.id, d.at) for d in reminder_times(knowledge)]
    assert times == [("week-before", at_day(-7, 9)), ("day-before", at_day(-1, 9)), ("morning-of", at_day(0, 8))]


def test_a_reminder_across_the_end_of_summer_time_keeps_its_local_hour(
    kb_dir: Path, edit: Callable[[str, str, str], None]
) -> None:
    """Summer time ends on 26 October: two weeks before at 09:00 is 07:00 UTC, the day before at 09:00 is 08:00 UTC."""
    move_event(kb_dir, "2025-11-04")
    edit("reminders.yaml", "- id: week-before\n  days_before: 7", "- id: two-weeks\n  days_before: 14")
    times = {d.reminder.id: d.at for d in reminder_times(load(kb_dir))}
    assert times["two-weeks"].isoformat() == "2025-10-21T09:00:00+02:00"
    assert times["two-weeks"].astimezone(UTC).hour == 7
    assert times["day-before"].astimezone(UTC).hour == 8


def test_delivery_keys_include_the_edition(knowledge: Knowledge) -> None:
    """Keys name the edition, so next year's "week-before" is a new reminder for everyone."""
    edition = knowledge.event.edition
    assert [d.key for d in reminder_times(knowledge)] == [
        f"reminder:{edition}:week-before",
        f"reminder:{edition}:day-before",
        f"reminder:{edition}:morning-of",
    ]


def test_plan_catches_up_recent_misses_and_skips_stale_ones(knowledge: Knowledge) -> None:
    """Restarting 30 minutes after a reminder sends it now; 2 hours after, it is skipped."""
    half_hour_late = at_day(-1, 9, 30)
    result = plan(knowledge, half_hour_late, GRACE)
    assert [d.reminder.id for d in result.catch_up] == ["day-before"]
    assert [d.reminder.id for d in result.skipped] == ["week-before"]
    assert [d.reminder.id for d in result.upcoming] == ["morning-of"]
    two_hours_late = at_day(-1, 11)
    assert [d.reminder.id for d in plan(knowledge, two_hours_late, GRACE).skipped] == ["week-before", "day-before"]


def test_plan_boundaries_are_inclusive_of_the_due_moment_and_the_grace(knowledge: Knowledge) -> None:
    """Due exactly now or exactly a grace period ago: sent now; a microsecond later than the grace: skipped."""
    first = reminder_times(knowledge)[0]
    tick = timedelta(microseconds=1)
    assert first in plan(knowledge, first.at - tick, GRACE).upcoming
    assert first in plan(knowledge, first.at, GRACE).catch_up
    assert first in plan(knowledge, first.at + GRACE, GRACE).catch_up
    assert first in plan(knowledge, first.at + GRACE + tick, GRACE).skipped
    assert next_reminder(knowledge, first.at) != first


def test_next_reminder_and_none_after_the_last(knowledge: Knowledge) -> None:
    """The next reminder after a moment, and none once the last has fired."""
    due = next_reminder(knowledge, at_day(-6, 12))
    assert due is not None
    assert due.reminder.id == "day-before"
    assert next_reminder(knowledge, at_day(0, 8)) is None


def test_moments_are_written_in_the_readers_language(knowledge: Knowledge) -> None:
    """The next reminder's time reads naturally in English, Dutch and French, in Brussels time."""
    moment = datetime.fromisoformat("2025-10-28T08:00:00+00:00")
    assert format_moment(moment, "EEEE d MMMM y 'at' HH:mm", "en", knowledge) == "Tuesday 28 October 2025 at 09:00"
    assert format_moment(moment, "EEEE d MMMM y 'om' HH:mm", "nl", knowledge) == "dinsdag 28 oktober 2025 om 09:00"
    assert format_moment(moment, "EEEE d MMMM y 'à' HH:mm", "fr", knowledge) == "mardi 28 octobre 2025 à 09:00"


@settings(max_examples=300, deadline=None)
@given(
    now=st.datetimes(
        min_value=at_day(-60, 0).replace(tzinfo=None),
        max_value=at_day(30, 0).replace(tzinfo=None),
        timezones=st.just(UTC),
    )
)
def test_plan_partitions_every_reminder_exactly_once(now: datetime) -> None:
    """At any moment, each reminder is upcoming, caught up or skipped, and each list respects its bounds."""
    result = plan(KB, now, GRACE)
    ids = [d.reminder.id for d in (*result.upcoming, *result.catch_up, *result.skipped)]
    assert sorted(ids) == sorted(r.id for r in KB.reminders)
    assert all(d.at > now for d in result.upcoming)
    assert all(timedelta(0) <= now - d.at <= GRACE for d in result.catch_up)
    assert all(now - d.at > GRACE for d in result.skipped)
