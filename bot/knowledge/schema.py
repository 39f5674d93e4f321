"""The shape of what the knowledge files hold (pydantic models), the languages and the names the code relies on."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from datetime import time
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

Lang = Literal["en", "nl", "fr"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"
Phase = Literal["before", "today", "after"]

# The folder holding one folder per edition (its article content): ``editions/2025/faq.yaml``, ``passages.yaml``...
EDITIONS = "editions"
FILES = ("event.yaml", "faq.yaml", "vocabulary.yaml", "reminders.yaml", "passages.yaml")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Placeholders the bot computes from the ``event`` block (the rest are the ``facts``).
EVENT_PLACEHOLDERS = (
    "name", "edition", "date", "countdown", "start_time", "end_time", "venue", "address",
    "registration_url", "contact", "price",
)  # fmt: skip
# Buttons an entry may offer under its answer (``buttons:`` in faq.yaml).
EntryButton = Literal["remind", "calendar"]
# What an answer's "missing" text is: still an answer (it gives what is known), or the bot not knowing ("decline").
WhenMissing = Literal["answer", "decline"]
# The newest past edition's values are placeholders too: {previous_edition}, {previous_date}, {previous_<fact>}.
PREVIOUS = "previous_"


def _spread_text(value: Any) -> Any:
    """Let one plain text stand for every language."""
    return {lang: value for lang in LANGS} if isinstance(value, str) else value


def text_variant(value: Any) -> Any:
    """Let one plain text stand for an answer that does not change over time."""
    return {"text": value} if isinstance(value, str) else value


def _parse_clock(value: Any) -> Any:
    """Accept ``"HH:MM"`` strings only (YAML reads an unquoted 09:00 as a number)."""
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, int):
        raise ValueError('must be a time like "09:00"')
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = (int(x) for x in value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise ValueError('must be a time like "09:00"')


Text = Annotated[str, Field(min_length=1), BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v)]
Localised = Annotated[dict[Lang, Text], BeforeValidator(_spread_text)]
Clock = Annotated[time | None, BeforeValidator(_parse_clock)]


class ClosedModel(BaseModel):
    """A frozen model where an unknown field is an error (usually a typo); values are coerced (pydantic's lax mode)."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Variants(ClosedModel):
    """An answer's texts for each moment, and what to say when a fact it needs is empty."""

    text: Text | None = None
    before: Text | None = None
    today: Text | None = None
    after: Text | None = None
    missing: Annotated[Variants | None, BeforeValidator(text_variant)] = None

    def for_phase(self, phase: Phase) -> str | None:
        """The text for ``phase``; on the day the "before" text serves when there is no "today"."""
        order = {
            "before": (self.before, self.text),
            "today": (self.today, self.before, self.text),
            "after": (self.after, self.text),
        }[phase]
        return next((t for t in order if t is not None), None)

    def all_texts(self) -> Iterator[str]:
        """Every text written here, without the "missing" ones."""
        yield from (t for t in (self.text, self.before, self.today, self.after) if t is not None)


# Variants, or one plain text for an answer that does not change over time.
TextVariants = Annotated[Variants, BeforeValidator(text_variant)]


class EventInfo(ClosedModel):
    """The structured facts the code computes with (dates, times, places, links)."""

    name: Text
    edition: Annotated[Text, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
    date: dt.date
    end_date: dt.date | None = None
    timezone: Text
    start_time: Clock = None
    end_time: Clock = None
    venue: Text | None = None
    address: Text | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    registration_url: Text | None = None
    price: Text | None = None
    contact: Text | None = None
    location: list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] = []

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known timezone (use a name like Europe/Brussels)") from None
        return value

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The event's timezone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def last_day(self) -> dt.date:
        """The final day of the event (the same day for a one-day event)."""
        return self.end_date or self.date


# Event fields that describe one edition only: emptied when the next edition starts, unknown for a past one.
EDITION_FIELDS = (
    "end_date",
    "start_time",
    "end_time",
    "venue",
    "address",
    "latitude",
    "longitude",
    "registration_url",
    "price",
)

FactName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class PastEdition(ClosedModel):
    """A past edition's values, kept so that questions about it keep their answers."""

    edition: Annotated[Text, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
    date: dt.date
    facts: dict[FactName, Localised] = {}


class Entry(ClosedModel):
    """One question the bot can answer: its phrasings and answer in each language."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    title: Localised
    menu: bool = False
    topic: bool = True  # false for small talk (greetings, thanks): answered, but never listed as a topic in /faq
    command: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")] | None = None
    map: bool = False
    buttons: list[EntryButton] = []
    questions: dict[Lang, Annotated[list[Text], Field(min_length=1)]] = Field(min_length=1)
    answer: dict[Lang, TextVariants] = Field(min_length=1)
    # "decline": when the answer falls back to its "missing" text, it gives nothing the asker asked for ("The
    # announcement gives no contact details"): the bot says so as it says it does not know (the organisers' button).
    when_missing: WhenMissing = "answer"

    @model_validator(mode="after")
    def _declines_with_a_missing_text(self) -> Entry:
        """``when_missing: decline`` needs a "missing" text in every language: there is nothing else to decline with."""
        if self.when_missing == "decline":
            bare = sorted(lang for lang, variants in self.answer.items() if variants.missing is None)
            if bare:
                raise ValueError(
                    f"when_missing: decline needs a 'missing' text in every language; none in {', '.join(bare)}"
                )
        return self


class LanguageVocabulary(ClosedModel):
    """Synonym groups (canonical word -> variants), stop words and neutral words of one language."""

    synonyms: dict[Text, list[Text]] = {}
    stopwords: list[Text] = []
    neutral: list[Text] = []
    # Phrases naming a year relative to the calendar year asked in: -1 "last year", 0 "this year", 1 "next year".
    years: dict[Annotated[int, Field(ge=-9, le=9)], list[Text]] = {}
    # Phrases naming the current edition at any moment ("this edition", "this time").
    this_edition: list[Text] = []


class Passage(ClosedModel):
    """One paragraph of the announcement, quoted when no entry answers confidently."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    heading: Text | None = None
    text: Text
    # The paragraph in the other languages (a faithful translation): quoted to their readers, matched with their words.
    translations: dict[Lang, Text] = {}
    questions: dict[Lang, list[Text]] = {}

    @field_validator("translations")
    @classmethod
    def _not_the_article_language(cls, value: dict[Lang, Text]) -> dict[Lang, Text]:
        """The text is the article's own words: a translation into its language would be a second, different text."""
        if DEFAULT_LANG in value:
            raise ValueError(f"'{DEFAULT_LANG}' is the article's own language (the text); translate into the others")
        return value


class Reminder(ClosedModel):
    """A push reminder sent ``days_before`` the event day at local time ``at``."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    days_before: Annotated[int, Field(ge=0, le=366)]
    at: Annotated[time, BeforeValidator(_parse_clock)]
    text: dict[Lang, TextVariants] = Field(min_length=1)
