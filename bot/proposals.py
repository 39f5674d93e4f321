"""What a yes/no check proposes about the event, and whether it holds ("is it on the 5th?": no). Pure.

Attendees check what they believe as often as they ask: "it's on a monday isnt it", "c'est bien à Bruxelles le 4
novembre ?", "Klopt het dat het op woensdag 5 november is?". A check names a value instead of asking for one: a day of
the week, a day of the month, a month, a date in figures, a year, a city. This module finds those values in a message
(``proposed``) and says whether each holds for the event; the assistant then answers the entry that states the fact,
opened by "Yes." or "No." (``Proposed.verdict``). The words below are the languages' (weekday and month names come
from Babel), never an event's: the event's date and city come from the knowledge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Literal

from bot.text import DAY_LINKS, MONTH_LOCALES, MONTH_LOOKALIKES, NUMERIC_DATE, YEAR, asks_for_something, fold, sentences

Verdict = Literal["yes", "no"]

# Words that turn a statement into a check ("..., right?", "klopt dat?", "c'est bien ...") or say whose belief it is
# ("my colleague thinks", "ik dacht", "elle pense"): they ask nothing of their own, so a check made of them and known
# words is about the event alone.
CHECK_WORDS = frozenset(
    {
        *("think", "thinks", "thought", "believe", "believes", "says", "said", "heard", "read", "swears", "told"),
        *("denk", "denkt", "dacht", "gelooft", "zegt", "zei", "gehoord", "gelezen", "beweert"),
        *("pense", "pensais", "pensait", "croit", "croyais", "dit", "disait", "entendu", "lu", "affirme"),
        *("colleague", "manager", "boss", "friend", "collega", "baas", "vriend", "vriendin", "collegue", "chef", "ami"),
        *("correct", "right", "confirm", "confirmed", "true", "sure", "check", "checking", "double", "isnt", "isn"),
        *("klopt", "juist", "bevestigen", "bevestig", "zeker", "toch", "he", "echt", "waar"),
        *("exact", "exacte", "confirmer", "confirmez", "confirme", "bien", "vrai", "non", "hein", "sur", "verifier"),
    }
)
# A negated check ("it isn't on a Monday, is it?") is answered without "Yes." or "No.": either would mislead. A tag
# question at the end negates nothing ("it's on a monday, isn't it?", "c'est le 4, n'est-ce pas ?", "..., niet?").
NEGATIONS = frozenset({"not", "t", "isnt", "arent", "wasnt", "niet", "geen", "pas", "ni"})
_TAG = re.compile(
    r"(?:\s(?:(?:is|are|was|do|does|did|wo)(?:n t|nt)\s(?:it|they|he|she|there)|n est ce pas|niet|non))+$"
)
# A check about another thing than the event ("Is BIO-Europe also happening this November?", "y a-t-il un autre salon
# à Liège en décembre ?") proposes nothing about the event.
OTHER_WORDS = frozenset(
    {"another", "other", "also", "else", "autre", "autres", "aussi", "ander", "andere", "anders", "ook"}
)
# Words offering alternatives, by language ("on the 4th or the 5th?"): one value failing is then no "No".
ALTERNATIVES: Mapping[str, frozenset[str]] = {"en": frozenset({"or"}), "nl": frozenset({"of"}), "fr": frozenset({"ou"})}
# A request that the bot act ("can you send me the slides", "stuur me de opname", "pourriez-vous m'envoyer ...") is no
# check, whatever event words it names: these verbs, asked of the bot or as a command, never check a value.
ACTION_VERBS = frozenset(
    {
        *("send", "email", "mail", "forward", "write", "book", "reserve", "translate", "draw", "compose", "share"),
        *("stuur", "sturen", "mail", "mailen", "doorsturen", "schrijf", "schrijven", "boek", "boeken", "vertaal"),
        *("envoie", "envoyez", "envoyer", "transmettre", "transmets", "ecris", "ecrire", "ecrivez", "reserve"),
        *("reserver", "reservez", "traduis", "traduire", "partager"),
    }
)
_ORDINAL = re.compile(r"(0?[1-9]|[12]\d|3[01])(st|nd|rd|th|e|de|ste|er|eme|ieme)?")


@dataclass(frozen=True)
class Proposed:
    """The values a message proposes, each with whether it holds: of the date (by part) and of the city."""

    weekdays: tuple[bool, ...] = ()
    days: tuple[bool, ...] = ()  # days of the month, alone ("the 5th") or in a date
    months: tuple[bool, ...] = ()
    years: tuple[bool, ...] = ()
    places: tuple[bool, ...] = ()

    @property
    def proposes_a_day(self) -> bool:
        """Whether a day is proposed (its weekday, day of the month or month), not only a year or a city."""
        return bool(self.weekdays or self.days or self.months)

    def verdict(self, date_stated: bool, place_stated: bool, alternatives: bool) -> Verdict | None:
        """Whether the values an answer states hold: "yes" all, "no" one fails (no alternative offered), else None.

        ``date_stated``/``place_stated``: the answer states the date/the city, so its values can be judged. None:
        nothing to judge, or alternatives ("the 4th or the 5th?") with one holding.
        """
        judged = [
            *((*self.weekdays, *self.days, *self.months, *self.years) if date_stated else ()),
            *(self.places if place_stated else ()),
        ]
        if not judged:
            return None
        if all(judged):
            return "yes"
        return None if alternatives and any(judged) else "no"


def is_check(question: str) -> bool:
    """Whether ``question`` checks rather than asks: its question sentences have no question word ("where", "quand")."""
    asked = " ".join(sentences(question)) or question
    return not asks_for_something(asked)


def asked_words(question: str) -> list[str]:
    """The folded words of ``question``'s question sentences (all of it when none ends with "?")."""
    return fold(" ".join(sentences(question)) or question).split()


def is_negated(words: list[str]) -> bool:
    """Whether ``words`` (folded) negate ("not", "niet", "pas") before a closing tag: "Yes." or "No." would mislead."""
    return not NEGATIONS.isdisjoint(_TAG.sub("", " " + " ".join(words)).split())


def asks_to_act(words: Iterable[str]) -> bool:
    """Whether ``words`` (folded) ask the bot to do something ("send me the slides", "envoyez-moi"): no check."""
    return not ACTION_VERBS.isdisjoint(words)


def names_another_thing(words: Iterable[str]) -> bool:
    """Whether ``words`` (folded) speak of another thing than the event ("also", "another", "ook", "autre")."""
    return not OTHER_WORDS.isdisjoint(words)


def offers_alternatives(words: Iterable[str], lang: str) -> bool:
    """Whether ``words`` (folded) offer alternatives in ``lang`` ("or", "of", "ou")."""
    return not ALTERNATIVES.get(lang, frozenset()).isdisjoint(words)


def proposed(question: str, day: date, places: frozenset[str], other_places: frozenset[str]) -> Proposed:
    """The values ``question``'s question sentences propose, judged against the event's ``day`` and city.

    A day of the month counts with an ordinal ending ("the 5th", "le 14e"), beside a month's name, after French "le"
    ("c'est le 4 ?") or in figures ("4/11"); a bare number elsewhere is a count ("3 people"), not a day.

    ``places``: the city's names, folded (in every language); ``other_places``: other cities' names, folded.
    """
    asked = " ".join(sentences(question)) or question
    weekdays: list[bool] = []
    days: list[bool] = []
    months: list[bool] = []
    years = [int(year) == day.year for year in YEAR.findall(asked)]
    for match in NUMERIC_DATE.finditer(asked):  # "4/11", "04.11.2025": day and month
        parts = re.split(r"[/.-]", match.group(0))
        days.append(int(parts[0]) == day.day)
        months.append(int(parts[1]) == day.month)
    words = fold(NUMERIC_DATE.sub(" ", asked)).split()
    month_of, weekday_of = month_numbers(), weekday_numbers()
    for position, word in enumerate(words):
        if word in weekday_of:
            weekdays.append(weekday_of[word] == day.weekday())
        elif word in month_of:
            months.append(month_of[word] == day.month)
        elif (ordinal := _ORDINAL.fullmatch(word)) is not None and (
            ordinal.group(2) or beside_month(words, position) or words[position - 1 : position] == ["le"]
        ):
            days.append(int(ordinal.group(1)) == day.day)
    found_places = [True for word in words if word in places] + [False for word in words if word in other_places]
    return Proposed(tuple(weekdays), tuple(days), tuple(months), tuple(years), tuple(found_places))


def names_another_edition(question: str, day: date) -> bool:
    """Whether ``question`` names another year than ``day``'s outside a date: "Science for Health 2026", "in 2024".

    In a date ("on 4 Nov 2026") a year is a value the check proposes; alone, it names an edition.
    """
    words = fold(" ".join(sentences(question)) or question).split()
    months = month_numbers()
    for position, word in enumerate(words):
        if YEAR.fullmatch(word) and int(word) != day.year:
            before = words[position - 1] if position else ""
            if before not in months and _ORDINAL.fullmatch(before) is None:
                return True
    return False


def beside_month(words: list[str], position: int) -> bool:
    """Whether the number at ``position`` stands beside a month's name ("5 november", "nov 5", "the 5 of november")."""
    months = month_numbers()
    near = [*words[max(position - 1, 0) : position], *words[position + 1 : position + 2]]
    linked = words[position + 1 : position + 3]
    return any(word in months for word in near) or (len(linked) == 2 and linked[0] in DAY_LINKS and linked[1] in months)


@lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Each month's names, full and abbreviated, in English, Dutch and French, folded: its number (Babel)."""
    from babel.dates import get_month_names

    return {
        name: number
        for locale in MONTH_LOCALES
        for width in ("wide", "abbreviated")
        for number, month in get_month_names(width, locale=locale).items()
        for name in fold(month).split()
        if name not in MONTH_LOOKALIKES
    }


@lru_cache(maxsize=1)
def weekday_numbers() -> dict[str, int]:
    """Each weekday's full name in English, Dutch and French, folded: its number, Monday 0 (Babel)."""
    from babel.dates import get_day_names

    return {
        fold(name): number for locale in MONTH_LOCALES for number, name in get_day_names("wide", locale=locale).items()
    }
