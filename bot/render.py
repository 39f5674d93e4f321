"""Fill answer texts with the event's facts, in the reader's language and the right tense for ``now``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from babel.dates import format_date, format_timedelta

from bot.knowledge import EVENT_PLACEHOLDERS, PLACEHOLDER, PREVIOUS, Entry, EventInfo, Knowledge, Lang, Phase, Variants
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

    def __init__(
        self, knowledge: Knowledge, lang: Lang, now: datetime, values: dict[str, str | None] | None = None
    ) -> None:
        """A renderer for ``knowledge``, reader ``lang`` and moment ``now``.

        ``values`` keeps placeholder values once computed; renderers of the same knowledge, language and
        event-local day may share one (``Assistant.renderer`` does), as no value depends on anything else.
        """
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        self.knowledge = knowledge
        self.lang: Lang = language_in(knowledge.locales, lang)
        self.now = now
        self.phase: Phase = phase_at(knowledge.event, now)
        self._values: dict[str, str | None] = {} if values is None else values

    def ui(self, key: str, **extra: str) -> str:
        """A UI string from the locale files (English when this language lacks it), filled in."""
        return self.text(self._locale(key), **extra)

    def _locale(self, key: str) -> Variants:
        texts = self.knowledge.locales.get(self.lang)
        if texts is not None and key in texts:  # the reader's language has it: what the rule below picks
            return texts[key]
        return in_language(
            {lang: texts[key] for lang, texts in self.knowledge.locales.items() if key in texts}, self.lang
        )

    def text(self, variants: Variants, **extra: str) -> str:
        """The variant for the current moment, falling back to "missing" when a fact it uses is empty."""
        chosen = variants.for_phase(self.phase) or ""

        def value(name: str) -> str | None:
            return extra[name] if name in extra else self.value(name)

        if self.falls_back(variants, **extra):
            chosen = (variants.missing.for_phase(self.phase) if variants.missing else None) or chosen
        return PLACEHOLDER.sub(lambda m: found if (found := value(m.group(1))) is not None else m.group(0), chosen)

    def falls_back(self, variants: Variants, **extra: str) -> bool:
        """Whether ``text(variants)`` says its "missing" text now: a fact the moment's variant uses is empty."""
        if variants.missing is None or variants.missing.for_phase(self.phase) is None:
            return False
        chosen = variants.for_phase(self.phase) or ""
        return any((extra[n] if n in extra else self.value(n)) is None for n in PLACEHOLDER.findall(chosen))

    def localised(self, texts: dict[Lang, str]) -> str:
        """Pick this reader's language from a per-language mapping, English otherwise."""
        return in_language(texts, self.lang, default=next(iter(texts.values())))

    def title(self, entry: Entry) -> str:
        """An entry's title in this reader's language."""
        return self.localised(dict(entry.title))

    def entry_title(self, faq_id: str | None, knowledge: Knowledge | None = None) -> str:
        """An entry's title in this reader's language (from ``knowledge``, else this renderer's); its id once gone."""
        entry = (knowledge or self.knowledge).by_id.get(faq_id or "")
        return self.title(entry) if entry is not None else faq_id or "–"

    def value(self, name: str) -> str | None:
        """One placeholder's value for this reader and moment (``None`` when the fact is empty or unknown).

        Computed on first use: most texts name one or two placeholders, and the date and the
        countdown cost a Babel call each.
        """
        if name not in self._values:
            self._values[name] = self._compute(name)
        return self._values[name]

    def _compute(self, name: str) -> str | None:
        """``value(name)`` before it is kept."""
        event, previous = self.knowledge.event, self.knowledge.previous
        computed: dict[str, Callable[[], str | None]] = {
            "name": lambda: event.name, "edition": lambda: event.edition, "date": self.date,
            "countdown": self.countdown, "start_time": lambda: _clock(event.start_time),
            "end_time": lambda: _clock(event.end_time), "venue": lambda: event.venue,
            "address": lambda: event.address, "registration_url": lambda: event.registration_url,
            "contact": lambda: event.contact, "price": lambda: event.price,
        }  # fmt: skip
        if name in computed:
            return computed[name]()
        if name in self.knowledge.facts:
            return self.localised(dict(self.knowledge.facts[name]))
        if previous is None or not name.startswith(PREVIOUS):
            return None
        if name == "previous_edition":
            return previous.edition
        if name == "previous_date":
            return self.date(previous.date)
        texts = previous.facts.get(name.removeprefix(PREVIOUS))
        return None if texts is None else self.localised(dict(texts))

    def values(self) -> dict[str, str | None]:
        """Every placeholder's value for this reader and moment (``None`` when the fact is empty)."""
        names = [*self.knowledge.facts, *EVENT_PLACEHOLDERS]
        previous = self.knowledge.previous
        if previous is not None:
            names += [f"{PREVIOUS}{name}" for name in previous.facts] + ["previous_edition", "previous_date"]
        return {name: self.value(name) for name in names}

    def date(self, day: date | None = None) -> str:
        """The event's date (or ``day``) with its weekday, in this reader's language."""
        pattern = self._locale("date_format")
        return format_date(day or self.knowledge.event.date, format=pattern.text or "full", locale=self.lang)

    def place(self) -> str:
        """Where the event is, for the calendar file and the map pin: the non-empty facts ``event.location`` names."""
        return ", ".join(v for v in (self.value(name) for name in self.knowledge.event.location) if v)

    def countdown(self) -> str:
        """How far away the event is: "tomorrow", "in 3 days", or "1 year ago"."""
        days = days_until(self.knowledge.event, self.now)
        if days == 1:
            return self._locale("tomorrow").text or "tomorrow"
        if days > 1:
            return format_timedelta(
                timedelta(days=days), granularity="day", threshold=10_000, add_direction=True, locale=self.lang
            )
        return format_timedelta(timedelta(days=days), granularity="day", add_direction=True, locale=self.lang)
