"""Hypothesis fuzzing: whatever arrives, the assistant replies and never raises."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.assistant import Assistant
from bot.knowledge import load
from tests.conftest import KNOWLEDGE

ASSISTANT = Assistant(load(KNOWLEDGE))
moments = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


@settings(max_examples=300, deadline=None)
@given(question=st.text(), lang=st.sampled_from(["en", "nl", "fr"]), now=moments)
def test_any_unicode_text_gets_a_reply(question: str, lang: str, now: datetime) -> None:
    """Arbitrary unicode (controls, emoji, combining marks) always yields a non-empty reply."""
    answer = ASSISTANT.answer(question, lang, now)  # type: ignore[arg-type]
    assert answer.text.strip()
    assert 0 <= answer.score <= 100
    assert (answer.faq_id is None) == (answer.outcome != "answer")


@settings(max_examples=25, deadline=None)
@given(word=st.text(min_size=1, max_size=30), repeat=st.integers(min_value=400, max_value=3000))
def test_very_long_messages_get_a_reply(word: str, repeat: int) -> None:
    """Messages of 10,000+ characters are answered (truncated), not crashed on."""
    question = (word + " ") * repeat
    answer = ASSISTANT.answer(question, "en", datetime(2025, 10, 1, tzinfo=UTC))
    assert answer.text.strip()


@settings(max_examples=50, deadline=None)
@given(offset=st.integers(min_value=-5000, max_value=5000))
def test_every_moment_renders_a_date_answer(offset: int) -> None:
    """At any moment, years before or after, the date answer renders with no placeholder left."""
    now = datetime(2025, 11, 4, 12, tzinfo=UTC) + timedelta(hours=offset)
    answer = ASSISTANT.answer("when is the event", "en", now)
    assert answer.faq_id == "date"
    assert "{" not in answer.text
