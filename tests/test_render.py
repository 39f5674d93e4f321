"""Filling texts for one reader at one moment: countdowns, dates, facts, language fallbacks (from loaded knowledge)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, time, timedelta

import pytest
from babel.dates import format_date

from bot.knowledge import Knowledge, Lang, Variants
from bot.render import Renderer


def at_noon(knowledge: Knowledge, days_before: int) -> datetime:
    """Noon, event-local, ``days_before`` days before the event's first day (negative: after it)."""
    return datetime.combine(knowledge.event.date - timedelta(days=days_before), time(12), tzinfo=knowledge.event.tz)


def without(knowledge: Knowledge, lang: Lang, key: str) -> Knowledge:
    """The knowledge with ``lang`` lacking the UI string ``key``."""
    locales = {code: dict(strings) for code, strings in knowledge.locales.items()}
    del locales[lang][key]
    return dataclasses.replace(knowledge, locales=locales)


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_day_before_says_tomorrow_in_the_readers_language(knowledge: Knowledge, lang: Lang) -> None:
    """One day ahead, the countdown is the locale's word for "tomorrow"."""
    assert Renderer(knowledge, lang, at_noon(knowledge, 1)).countdown() == knowledge.locales[lang]["tomorrow"].text


def test_a_language_without_tomorrow_falls_back_to_english(knowledge: Knowledge) -> None:
    """A locale lacking "tomorrow" uses the English word."""
    assert (
        Renderer(without(knowledge, "nl", "tomorrow"), "nl", at_noon(knowledge, 1)).countdown()
        == knowledge.locales["en"]["tomorrow"].text
    )


@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [
        ("en", 2, "in 2 days"),
        ("en", 400, "in 400 days"),  # counted in days, never rounded to "in 1 year"
        ("nl", 3, "over 3 dagen"),
        ("fr", 2, "dans 2 jours"),
        ("en", 0, "in 0 days"),
        ("en", -1, "1 day ago"),
        ("en", -400, "1 year ago"),  # once it is over, a rough figure is enough
        ("fr", -2, "il y a 2 jours"),
    ],
)
def test_countdowns_in_days_and_after_the_event(knowledge: Knowledge, lang: Lang, days: int, expected: str) -> None:
    """Further ahead the countdown counts days in the reader's language; afterwards it says how long ago."""
    assert Renderer(knowledge, lang, at_noon(knowledge, days)).countdown() == expected


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_the_date_follows_the_locales_pattern(knowledge: Knowledge, lang: Lang) -> None:
    """The date is written with the locale's pattern: weekday, day, month and year in the reader's language."""
    text = Renderer(knowledge, lang, at_noon(knowledge, 10)).date()
    event_day = knowledge.event.date
    for field in ("EEEE", "MMMM", "y"):
        assert format_date(event_day, field, locale=lang) in text
    assert str(event_day.day) in text.split()


def test_a_language_without_a_date_pattern_uses_englishs_pattern_in_its_own_words(knowledge: Knowledge) -> None:
    """Missing date_format in French: the English pattern, still French month and weekday names."""
    custom = {code: dict(strings) for code, strings in knowledge.locales.items()}
    custom["en"]["date_format"] = Variants(text="d MMMM y")
    del custom["fr"]["date_format"]
    changed = dataclasses.replace(knowledge, locales=custom)
    event_day = knowledge.event.date
    expected = f"{event_day.day} {format_date(event_day, 'MMMM', locale='fr')} {event_day.year}"
    assert Renderer(changed, "fr", at_noon(knowledge, 10)).date() == expected


def test_every_event_fact_fills_its_placeholder(knowledge: Knowledge) -> None:
    """Times as HH:MM, and venue, address, link, contact and price as written in event.yaml."""
    event = knowledge.event.model_copy(
        update={
            "start_time": time(9, 5),
            "end_time": time(17, 30),
            "venue": "Hall A",
            "address": "1 Main Street",
            "registration_url": "https://example.org/register",
            "contact": "team@example.org",
            "price": "Free",
        }
    )
    render = Renderer(dataclasses.replace(knowledge, event=event), "en", at_noon(knowledge, 10))
    template = "{start_time}|{end_time}|{venue}|{address}|{registration_url}|{contact}|{price}|{name}|{edition}"
    assert (
        render.text(Variants(text=template))
        == "09:05|17:30|Hall A|1 Main Street|https://example.org/register|team@example.org|Free|"
        f"{event.name}|{event.edition}"
    )


def test_empty_facts_choose_the_missing_text(knowledge: Knowledge) -> None:
    """Without start time or address, a text needing them gives way to its "missing" variant."""
    event = knowledge.event.model_copy(update={"start_time": None, "address": None})
    render = Renderer(dataclasses.replace(knowledge, event=event), "en", at_noon(knowledge, 10))
    assert render.values()["start_time"] is None
    assert (
        render.text(Variants(text="At {start_time}", missing=Variants(text="Time to be announced")))
        == "Time to be announced"
    )
    assert render.text(Variants(text="At {address}", missing=Variants(text="Address to follow"))) == "Address to follow"


def test_unknown_placeholders_stay_visible_and_absent_texts_are_empty(knowledge: Knowledge) -> None:
    """A placeholder nobody fills is left as written; a text with nothing for this moment is empty."""
    render = Renderer(knowledge, "en", at_noon(knowledge, 10))
    assert render.text(Variants(text="Hello {nobody}")) == "Hello {nobody}"
    assert render.text(Variants(after="Thanks for coming")) == ""


def test_unknown_languages_read_english_and_naive_clocks_are_refused(knowledge: Knowledge) -> None:
    """A language without locale files renders in English; a moment without a timezone is a programming error."""
    assert Renderer(knowledge, "de", at_noon(knowledge, 10)).lang == "en"  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="now must be timezone-aware"):
        Renderer(knowledge, "en", datetime(2025, 1, 1))  # naive on purpose


def test_localised_prefers_the_reader_then_english_then_any(knowledge: Knowledge) -> None:
    """Per-language texts: the reader's, else English, else whichever exists."""
    render = Renderer(knowledge, "fr", at_noon(knowledge, 10))
    assert render.localised({"en": "e", "fr": "f"}) == "f"
    assert render.localised({"en": "e", "nl": "n"}) == "e"
    assert render.localised({"nl": "n"}) == "n"
