"""Callback data: never more than Telegram's 64 bytes, and long entry ids still named."""

from __future__ import annotations

from bot.live import LiveKnowledge
from bot.telegram_app.replies import buttons, entry_data, entry_of
from tests.conftest import KNOWLEDGE


def test_a_button_whose_data_exceeds_64_bytes_is_left_out_not_sent() -> None:
    """A keyboard keeps its fitting buttons and leaves out one Telegram would refuse (with the whole message)."""
    keyboard = buttons([[("fits", "a:venue"), ("too long", "learn:12:" + "c" * 60)], [("alone too long", "x" * 65)]])
    assert [[b.text for b in row] for row in keyboard.inline_keyboard] == [["fits"]]


def test_entry_data_names_every_entry_within_64_bytes_and_back() -> None:
    """Every shipped entry id, and a 64-character one, round-trips through callback data of at most 64 bytes."""
    snapshot = LiveKnowledge(KNOWLEDGE).current
    for entry in snapshot.knowledge.entries:
        data = entry_data(entry.id)
        assert len(data.encode()) <= 64
        assert entry_of(data, snapshot) == entry.id
    assert len(entry_data("c" * 64).encode()) <= 64
    assert entry_of(entry_data("c" * 64), snapshot) is None  # not an entry here: the button has expired
