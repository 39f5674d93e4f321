"""Long replies (escaped text) are cut the way Telegram counts (UTF-16 units after parsing), at the nicest break."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.telegram_app.replies import escape, split, units
from tests.fakes.botapi import MAX_TEXT, parse_html

# Characters that make splitting hard: astral emoji (2 UTF-16 units), HTML's special characters, breaks.
TRICKY = st.sampled_from(["🎉", "👩‍🔬", "é", "&", "<", ">", '"', " ", "\n", "\n\n", "a", "word", "Z"])


def visible(text: str) -> str:
    """What a reader sees, ignoring whitespace (cuts may drop the spaces at a break)."""
    return "".join(parse_html(text).split())


@settings(max_examples=300, deadline=None)
@given(text=st.lists(TRICKY, max_size=400).map("".join).map(escape), limit=st.integers(min_value=8, max_value=120))
def test_every_part_is_accepted_by_telegram_and_nothing_is_lost(text: str, limit: int) -> None:
    """Each part parses as Telegram HTML within ``limit`` UTF-16 units; together they show the whole text."""
    parts = split(text, limit)
    for part in parts:
        assert units(parse_html(part).strip()) <= limit, part
    assert "".join(visible(p) for p in parts) == visible(text)


@settings(max_examples=100, deadline=None)
@given(text=st.lists(TRICKY, min_size=1, max_size=4000).map("".join))
def test_escaped_plain_text_split_at_telegrams_limit_is_accepted(text: str) -> None:
    """Escaped plain text split at Telegram's limit passes the strict fake's validator, losing only cut whitespace."""
    parts = split(escape(text))
    assert all(units(parse_html(p)) <= MAX_TEXT for p in parts)
    assert "".join("".join(html.unescape(p).split()) for p in parts) == "".join(text.split())


def test_five_thousand_emoji_make_parts_within_4096_utf16_units() -> None:
    """5,000 emoji (10,000 UTF-16 units) become three messages, none over Telegram's 4,096 units."""
    parts = split("🎉" * 5000)
    assert [units(p) for p in parts] == [4096, 4096, 1808]


def test_paragraph_break_is_preferred_to_line_and_word_breaks() -> None:
    """With a paragraph, a line and a word break in reach, the cut is at the paragraph."""
    first = "one two\nthree four\n\nfive six"
    parts = split(first + "\nseven eight nine ten", len(first) + 5)
    assert parts[0] == "one two\nthree four"


def test_line_break_is_preferred_to_word_break() -> None:
    """Without a paragraph break, the cut is at the last line break, not the last space."""
    parts = split("alpha beta gamma\ndelta epsilon zeta eta theta", 30)
    assert parts[0] == "alpha beta gamma"


def test_words_are_not_cut_when_a_space_is_in_reach() -> None:
    """Without line breaks, the cut is between words."""
    parts = split("lorem ipsum dolor sit amet consectetur", 16)
    assert parts == ["lorem ipsum", "dolor sit amet", "consectetur"]


@pytest.mark.parametrize("limit", range(3, 14))
def test_entities_are_never_cut(limit: int) -> None:
    """``&amp;`` counts as one character and stays whole in whichever part it lands."""
    parts = split("&amp;" * 40, limit)
    assert all(parse_html(p) == "&" * len(parse_html(p)) for p in parts)
    assert sum(len(parse_html(p)) for p in parts) == 40


def test_a_message_of_exactly_the_limit_is_one_part() -> None:
    """Text at Telegram's limit is sent whole."""
    assert split("x" * MAX_TEXT) == ["x" * MAX_TEXT]
