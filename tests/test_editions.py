"""When a reload counts as publishing a new edition (pure: two knowledge bases and a moment)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.editions import published
from bot.knowledge import load
from tests.conftest import KB, at_day, move_event


def test_a_new_edition_still_to_come_is_published_also_in_two_saves(kb_dir: Path) -> None:
    """Edition and date in one save, or the edition first and the date later: either way it is published once."""
    event = kb_dir / "event.yaml"
    old = load(kb_dir)
    after = at_day(30, 10)
    edition = f'edition: "{old.event.edition}"'
    later = str(old.event.date + timedelta(days=365))
    event.write_text(event.read_text(encoding="utf-8").replace(edition, 'edition: "9999"', 1), encoding="utf-8")
    renamed_only = load(kb_dir)  # the new edition's name, still the old (past) date
    assert not published(old, renamed_only, after)
    move_event(kb_dir, later)
    both = load(kb_dir)
    assert published(renamed_only, both, after)  # the date arrives in a second save
    assert published(old, both, after)  # or both in one save
    move_event(kb_dir, str(old.event.date + timedelta(days=366)))
    assert not published(both, load(kb_dir), after)  # moving an announced edition's date is no new announcement


def test_an_edition_already_over_is_never_published() -> None:
    """Nothing is published while the (new) edition's date is past."""
    assert not published(KB, KB, at_day(30, 10))
    assert not published(KB, KB, at_day(-30, 10))  # the same edition, still to come: nothing new either
