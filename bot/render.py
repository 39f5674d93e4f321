"""Fill answer texts with the event's facts, in the reader's language and the right tense for ``now``."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_timedelta

from bot.knowledge import PLACEHOLDER, EventInfo, Knowledge, Lang, Phase, Variants
from bot.languages import in_language, language_in


def local_day(event: EventInfo, now: datetime) -> date:
    """The calendar day it is at the event's location at moment ``now``."""
    return now.astimezone(event.tz).date()


def phase_at(event: EventInfo, now: datetime) -> Phase:
    """Whether ``now`` is before the event day, on one of its days, or after it (event-local)."""
    today = local_day(event, now)
    if today < event.date:
        return "before"
    return "today" if today <= event.last_day else "after"


def days_until(event: EventInfo, now: datetime) -> int:
    """Calendar days from ``now`` to the event's first day, event-local (negative once it has started)."""
    return (event.date - local_day(event, now)).days


def _clock(value: time | None) -> str | None:
    return None if value is None else f"{value.hour:02d}:{value.minute:02d}"


class Renderer:
    """Renders texts for one reader (language) at one moment."""

    def __init__(self, knowledge: Knowledge, lang: Lang, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.knowledge = knowledge
        self.lang: Lang = language_in(knowledge.locales, lang)
        self.now = now
        self.phase: Phase = phase_at(knowledge.event, now)
        self._values: dict[str, str | None] | None = None

    def ui(self, key: str, **extra: str) -> str:
        """A UI string from the locale files (English when this language lacks it), filled in."""
        return self.text(self._locale(key), **extra)

    def _locale(self, key: str) -> Variants:
        return in_language({lang: texts[key] for lang, texts in self.knowledge.locales.items() if key in texts}, self.lang)

    def text(self, variants: Variants, **extra: str) -> str:
        """The variant for the current moment, falling back to "missing" when a fact it uses is empty."""
        values = {**self.values(), **extra}
        chosen = variants.for_phase(self.phase) or ""
        if variants.missing is not None and any(values.get(n) is None for n in PLACEHOLDER.findall(chosen)):
            chosen = variants.missing.for_phase(self.phase) or chosen
        return PLACEHOLDER.sub(lambda m: value if (value := values.get(m.group(1))) is not None else m.group(0), chosen)

    def localised(self, texts: dict[Lang, str]) -> str:
        """Pick this reader's language from a per-language mapping, English otherwise."""
        return in_language(texts, self.lang, default=next(iter(texts.values())))

    def values(self) -> dict[str, str | None]:
        """Every placeholder's value for this reader and moment (``None`` when the fact is empty)."""
        if self._values is None:
            event = self.knowledge.event
            values: dict[str, str | None] = {name: self.localised(dict(texts)) for name, texts in self.knowledge.facts.items()}
            values.update(
                name=event.name, edition=event.edition, date=self.date(), countdown=self.countdown(),
                start_time=_clock(event.start_time), end_time=_clock(event.end_time), venue=event.venue,
                address=event.address, registration_url=event.registration_url, contact=event.contact,
                price=event.price,
            )  # fmt: skip
            previous = self.knowledge.previous
            if previous is not None:
                values.update({f"previous_{name}": self.localised(dict(texts)) for name, texts in previous.facts.items()})
                values.update(previous_edition=previous.edition, previous_date=self.date(previous.date))
            self._values = values
        return self._values

    def date(self, day: date | None = None) -> str:
        """The event's date (or ``day``) with its weekday, in this reader's language."""
        pattern = self._locale("date_format")
        return format_date(day or self.knowledge.event.date, format=pattern.text or "full", locale=self.lang)

    def place(self) -> str:
        """Where the event is, for the calendar file and the map pin: the non-empty facts named by ``event.location``."""
        values = self.values()
        return ", ".join(v for v in (values.get(name) for name in self.knowledge.event.location) if v)

    def countdown(self) -> str:
        """How far away the event is: "tomorrow", "in 3 days", or "1 year ago"."""
        days = days_until(self.knowledge.event, self.now)
        if days == 1:
            return self._locale("tomorrow").text or "tomorrow"
        if days > 1:
            return format_timedelta(timedelta(days=days), granularity="day", threshold=10_000, add_direction=True, locale=self.lang)
        return format_timedelta(timedelta(days=days), granularity="day", add_direction=True, locale=self.lang)
