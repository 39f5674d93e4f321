"""Yes/no checks of a proposed value ("is it on the 5th?") get "Yes." or "No." and the fact, in three languages.

The values come from the fixture edition (its date, its city) and Babel (weekday names): the suite holds on any edition.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from babel.dates import get_day_names, get_month_names

from bot.assistant import Assistant
from bot.knowledge import Lang
from bot.proposals import (
    NUMBER_WORDS,
    Proposed,
    asked_words,
    asks_whether_exists,
    is_check,
    is_negated,
    names_another_edition,
    offers_alternatives,
    proposed,
    proposed_numbers,
    proposes_a_value,
    proposes_a_year_of_this_edition,
)
from bot.text import fold
from tests.conftest import AFTER, BEFORE, KB, entry_for, fill

DAY = KB.event.date
NEXT = DAY + timedelta(days=1)
YES = {"en": "Yes.", "nl": "Ja.", "fr": "Oui."}
NO = {"en": "No.", "nl": "Nee.", "fr": "Non."}


def weekday(day: date, lang: Lang) -> str:
    """``day``'s weekday, lower case, as Babel writes it in ``lang``."""
    return str(get_day_names("wide", locale=lang)[day.weekday()]).lower()


def other_city(assistant: Assistant) -> str:
    """A city the knowledge names in every language that is not the event's."""
    return sorted(assistant.place_names[1])[0]


WEEKDAY_CHECKS = [
    ("en", "it's on a {weekday} isn't it"),
    ("en", "Quick check: {weekday}, correct?"),
    ("nl", "het is toch op {weekday}?"),
    ("nl", "Klopt het dat het op {weekday} is?"),
    ("fr", "c'est un {weekday} non ?"),
    ("fr", "Vous pouvez me confirmer que c'est bien un {weekday} ?"),
    # a hedge makes a check, neither asking nor negating anything
    ("en", "it's on a {weekday}, if I'm not mistaken?"),
    ("nl", "het is op een {weekday}, als ik me niet vergis?"),
    ("fr", "c'est un {weekday}, si je ne m'abuse ?"),
    ("en", "it's on a {weekday}, or am I wrong?"),
    ("nl", "is het op {weekday}, of vergis ik me?"),
    ("fr", "c'est un {weekday}, ou je me trompe ?"),
    # a short weekday before the date, as typed on a phone ("its on wed 5 nov right?")
    ("en", "its on {short_date} right?"),
    ("nl", "is het {short_date}?"),
    ("fr", "c'est {short_date} ?"),
    # a day that "falls on" a weekday; being "pretty sure"; what the asker remembers seeing
    ("en", "does it fall on a {weekday}?"),
    ("nl", "valt het op een {weekday}?"),
    ("fr", "ça tombe un {weekday}, non ?"),
    ("en", "pretty sure it's on a {weekday}, can you confirm?"),
    ("nl", "ik ben vrij zeker dat het op {weekday} is, klopt dat?"),
    ("fr", "je suis presque sûre que c'est un {weekday}, non ?"),
    ("en", "I think I saw {weekday} somewhere, is that right?"),
    ("nl", "ik heb ergens gezien dat het op {weekday} is, klopt dat?"),
    ("fr", "j'ai vu que c'était un {weekday}, c'est bien ça ?"),
    ("nl", "Da's op een {weekday}, toch?"),  # Flemish "da's": "dat is"
]


@pytest.mark.parametrize(("lang", "template"), WEEKDAY_CHECKS)
@pytest.mark.parametrize(("day", "verdict"), [(NEXT, NO), (DAY, YES)], ids=["wrong", "right"])
def test_a_weekday_check_gets_its_verdict_and_the_date(
    assistant: Assistant, lang: Lang, template: str, day: date, verdict: dict[str, str]
) -> None:
    """A wrong day of the week is answered "No.", the right one "Yes.", then the real date, in the reader's language."""
    answer = assistant.answer(
        template.format(weekday=weekday(day, lang), short_date=short_date(day, lang)), lang, BEFORE
    )
    assert answer.faq_id == entry_for("when")
    assert answer.text.startswith(verdict[lang] + " ")
    assert fill("{date}", lang) in answer.text


def short_date(day: date, lang: Lang) -> str:
    """``day`` as a phone user abbreviates it in ``lang`` ("wed 5 nov", "di 4 nov"), with Babel's short names."""
    weekday_name = str(get_day_names("abbreviated", locale=lang)[day.weekday()]).lower().rstrip(".")
    month_name = str(get_month_names("abbreviated", locale=lang)[day.month]).lower().rstrip(".")
    return f"{weekday_name} {day.day} {month_name}"


def test_a_short_weekday_name_is_read_only_before_a_day_of_the_month() -> None:
    """A short weekday needs a date after it: "do 5 people" is no Thursday, "mar 4" March, "mar 4 novembre" Tuesday."""
    read = {
        q: proposed(q, date(2025, 11, 4), frozenset(), frozenset(), today=date(2025, 10, 20), lang="en")
        for q in ("do 5 people fit?", "is it on mar 4?", "c'est mar 4 novembre ?")
    }
    assert read["do 5 people fit?"].weekdays == ()
    assert (read["is it on mar 4?"].weekdays, read["is it on mar 4?"].months) == ((), (False,))
    assert (read["c'est mar 4 novembre ?"].weekdays, read["c'est mar 4 novembre ?"].months) == ((True,), (True,))


@pytest.mark.parametrize(
    ("lang", "template", "day", "verdict"),
    [
        ("en", "is it on the {day}th?", NEXT.day, NO),
        ("en", "{day}/{month}, correct?", DAY.day, YES),
        ("nl", "is het op de {day}de?", NEXT.day, NO),
        ("fr", "c'est le {day} ?", DAY.day, YES),
        ("fr", "c'est bien le {day}/{month} ?", NEXT.day, NO),
        ("en", "Is the conference planned for the {day}th?", NEXT.day, NO),  # "planned" names no programme here
        ("fr", "C'est prévu pour le {day} ?", DAY.day, YES),
    ],
)
def test_a_day_of_the_month_alone_or_in_figures_is_a_date(
    assistant: Assistant, lang: Lang, template: str, day: int, verdict: dict[str, str]
) -> None:
    """A day of the month alone ("the 5th", "le 14") or in figures ("4/11") is checked against the date."""
    answer = assistant.answer(template.format(day=day, month=DAY.month), lang, BEFORE)
    assert answer.faq_id == entry_for("when")
    assert answer.text.startswith(verdict[lang] + " ")


@pytest.mark.parametrize(("lang", "template"), [("en", "is it in {city}?"), ("nl", "is het in {city}?")])
def test_a_city_check_is_settled(assistant: Assistant, lang: Lang, template: str) -> None:
    """The event's own city gets "Yes.", another city "No.", each with the real city."""
    right = assistant.answer(template.format(city=fill("{city}", lang)), lang, BEFORE)
    wrong = assistant.answer(template.format(city=other_city(assistant)), lang, BEFORE)
    assert right.faq_id == wrong.faq_id == entry_for("where")
    assert right.text.startswith(YES[lang] + " ")
    assert wrong.text.startswith(NO[lang] + " ")
    assert fill("{city}", lang) in wrong.text


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "My manager thinks it is in {city} this time, right?"),
        ("nl", "Mijn collega denkt dat het dit keer in {city} is, klopt dat?"),
        ("fr", "Ma collègue pense que c'est à {city} cette fois, c'est bien ça ?"),
    ],
)
def test_a_longer_check_of_another_city_gets_no_and_the_city(assistant: Assistant, lang: Lang, template: str) -> None:
    """A check with someone's belief around it still proposes the city: "No." and the real city."""
    answer = assistant.answer(template.format(city=other_city(assistant)), lang, BEFORE)
    assert answer.faq_id == entry_for("where")  # the rankers' entry for a city, though the date's also names it
    assert answer.text.startswith(NO[lang] + " ")
    assert fill("{city}", lang) in answer.text


def test_after_the_event_the_verdict_comes_with_the_past_tense(assistant: Assistant) -> None:
    """Asked once it took place, a check is settled in the past tense."""
    answer = assistant.answer(f"was it on a {weekday(DAY, 'en')}?", "en", AFTER)
    assert answer.text.startswith("Yes. ")
    assert fill("took place on {date}", now=AFTER) in answer.text


def asked_on(day: date) -> datetime:
    """Nine in the morning of ``day``, in the event's timezone."""
    return datetime.combine(day, time(9), tzinfo=KB.event.tz)


RELATIVE_CHECKS = [
    ("en", "Good morning! Is {name} taking place today?", 0),
    ("en", "is it tomorrow?", 1),
    ("en", "was it yesterday?", -1),
    ("nl", "Is het vandaag?", 0),
    ("nl", "is de conferentie morgen?", 1),
    ("fr", "Excusez-moi, la conférence, c'est bien demain ?", 1),
    ("fr", "c'était hier ?", -1),
    ("en", "is it tmrw?", 1),  # as typed on a phone
    ("nl", "is da vandaag?", 0),  # Flemish "da": "dat"
    ("fr", "c auj ?", 0),
    ("fr", "c'est après-demain ?", 2),  # not also "demain"
    ("fr", "c'était avant-hier ?", -2),  # not also "hier"
    ("nl", "is het overmorgen?", 2),
    ("nl", "Is het vandaag zover?", 0),  # "zover": "is it time?", a stop word
]


@pytest.mark.parametrize(("lang", "template", "offset"), RELATIVE_CHECKS)
@pytest.mark.parametrize("days_before", [-2, -1, 0, 1, 2])
def test_a_day_named_relative_to_now_is_judged_at_the_moment_asked(
    assistant: Assistant, lang: Lang, template: str, offset: int, days_before: int
) -> None:
    """The day before, "is it tomorrow?" gets "Yes."; on the day and after, "No."; the date in the right tense."""
    asked = asked_on(DAY - timedelta(days=days_before))
    answer = assistant.answer(template.format(name=KB.event.name), lang, asked)
    assert answer.faq_id is not None  # the date entry, or one stating the date ("avant-hier": the reminders')
    verdict = YES if days_before == offset else NO
    assert answer.text.startswith(verdict[lang] + " ")
    assert fill("{date}", lang, now=asked) in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "can I still register tomorrow?"),
        ("nl", "is het hier?"),  # here, not French "yesterday"
        ("fr", "je peux m'inscrire demain ?"),
        ("en", "see you tomorrow!"),  # said, not asked
        ("fr", "à demain !"),
        ("nl", "tot morgen!"),
        ("nl", "is het in de morgen?"),  # the morning
        ("nl", "Morgen, is het vandaag?"),  # a greeting, then the check of today
        ("en", "is it online tomorrow?"),  # checks more than the day
        ("en", "is it tonight?"),  # a time of day the announcement may not give
    ],
)
def test_a_relative_day_in_anything_but_a_check_of_the_event_gets_no_verdict(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """A plan, a farewell, the morning, a check of more than the day: no "Yes." nor "No." (asked the day before)."""
    answer = assistant.answer(question, lang, asked_on(DAY - timedelta(days=1)))
    assert not answer.text.startswith((YES[lang], NO[lang])), answer.text


DURATION_CHECKS = [
    ("en", "Is it in three weeks?", 21, range(20, 23)),  # "in three weeks" is no day exact
    ("nl", "Is het over 10 dagen?", 10, range(10, 11)),
    ("nl", "is het binnen twee weken?", 14, range(0, 15)),  # within: any day until then
    ("fr", "c'est dans deux semaines ?", 14, range(13, 16)),  # a quarter of a unit either way
    ("fr", "c'est dans huit jours ?", 7, range(7, 8)),  # French counts a week as eight days
    ("en", "is it in two weeks from tomorrow?", 15, range(14, 17)),  # counted from tomorrow, tomorrow not proposed
]


@pytest.mark.parametrize(("lang", "question", "days_before", "holds"), DURATION_CHECKS)
@pytest.mark.parametrize("shift", [-8, -4, -1, 0, 1, 4, 8])
def test_a_time_from_now_is_judged_at_the_moment_asked(
    assistant: Assistant, lang: Lang, question: str, days_before: int, holds: range, shift: int
) -> None:
    """A check of a time from now gets "Yes." when the event is about that far away, else "No."; and the date."""
    asked = asked_on(DAY - timedelta(days=days_before + shift))
    answer = assistant.answer(question, lang, asked)
    assert answer.faq_id is not None
    verdict = YES if days_before + shift in holds else NO
    assert answer.text.startswith(verdict[lang] + " "), answer.text
    assert fill("{date}", lang, now=asked) in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "can I still register in two weeks?"),
        ("en", "is it a two-day event?"),  # a length, not a time from now
        ("en", "is the deadline in 2 weeks?"),
        ("en", "my flight is in 3 days, is that ok?"),
        ("en", "is it in over 10 days?"),  # more than, not that far
        ("en", "is the event held over two days?"),  # a length
        ("en", "is it in two weeks from Monday?"),  # counted from a day not known
    ],
)
def test_a_time_from_now_in_anything_but_a_check_of_the_event_gets_no_verdict(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """A plan, a length, a deadline, "more than", an unknown start: no "Yes." nor "No." (asked two weeks before)."""
    answer = assistant.answer(question, lang, asked_on(DAY - timedelta(days=14)))
    assert not answer.text.startswith((YES[lang], NO[lang])), answer.text


@pytest.mark.parametrize(("minutes", "verdict"), [(-30, NO), (30, YES)], ids=["before-midnight", "after-midnight"])
def test_today_is_the_askers_day_in_the_events_timezone(
    assistant: Assistant, minutes: int, verdict: dict[str, str]
) -> None:
    """Asked in UTC half an hour either side of midnight at the event, "is it today?" is judged on the event's clock."""
    midnight = datetime.combine(DAY, time(0), tzinfo=KB.event.tz)
    asked = (midnight + timedelta(minutes=minutes)).astimezone(
        UTC
    )  # after midnight at the event, still the day before in UTC
    answer = assistant.answer("is it today?", "en", asked)
    assert answer.text.startswith(verdict["en"] + " "), answer.text


YEAR = DAY.year


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", f"{YEAR - 1} or {YEAR}?"), ("en", f"{YEAR} or {YEAR + 1}?"), ("nl", f"{YEAR} of {YEAR + 1}?")],
)
def test_years_offered_as_alternatives_are_answered_with_the_events_year(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """Asking "2025 or 2026?" is asking which year, not about another edition: answered, naming the event's year."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.outcome == "answer"
    assert f"{KB.event.name} {YEAR}" in answer.text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_events_year_beside_a_city_names_the_edition_and_the_city_is_checked(
    assistant: Assistant, lang: Lang
) -> None:
    """A year beside a city ("Is Science for Health 2025 in Ghent?") names the edition: the venue answers."""
    city, other = fill("{city}", lang), other_city(assistant)
    question = {
        "en": f"Is {KB.event.name} {YEAR} in {other} or in {city}?",
        "fr": f"{KB.event.name} {YEAR}, c'est à {other} ou à {city} ?",
    }[lang]
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.faq_id == entry_for("where")
    assert city in answer.text


def test_a_year_alone_names_another_edition_unless_offered_beside_the_events() -> None:
    """A year alone ("in 2026") names an edition; "2025 or 2026" offers one; "on 4 Nov 2026" proposes one."""
    assert names_another_edition(f"is it in {YEAR + 1}".split(), DAY)
    assert not names_another_edition(f"{YEAR} or {YEAR + 1}".split(), DAY)
    assert not names_another_edition(f"{YEAR + 1} ou {YEAR}".split(), DAY)
    assert names_another_edition(f"{YEAR - 1} or {YEAR + 1}".split(), DAY)
    assert not names_another_edition(f"on {DAY.day} november {YEAR + 1}".split(), DAY)
    assert names_another_edition(f"the {YEAR} edition was great, is the {YEAR + 1} one in ghent or not".split(), DAY)


def test_a_year_proposed_for_this_edition_is_a_later_time_or_this_editions_year() -> None:
    """A later "in 2026" before the event, "this 2024 edition" any time; not "again", an earlier "in 2024", or after."""
    assert proposes_a_year_of_this_edition(f"is the event in {YEAR + 1}".split(), DAY, upcoming=True)
    assert proposes_a_year_of_this_edition(f"c est en {YEAR + 1}".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(f"is the event in {YEAR + 1}".split(), DAY, upcoming=False)
    assert not proposes_a_year_of_this_edition(f"was it in {YEAR - 1}".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(f"will it be in {YEAR + 1} again".split(), DAY, upcoming=True)
    assert proposes_a_year_of_this_edition(f"is this the {YEAR - 1} edition".split(), DAY, upcoming=False)
    assert proposes_a_year_of_this_edition(f"c est bien l edition {YEAR - 1}".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(f"c est a bruxelles l edition {YEAR + 1}".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(f"will the {YEAR + 1} edition be in ghent".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(f"is this the {YEAR + 1} edition".split(), DAY, upcoming=False)
    assert not proposes_a_year_of_this_edition(f"and in {YEAR + 1}".split(), DAY, upcoming=True)
    assert not proposes_a_year_of_this_edition(
        f"the {YEAR - 1} edition was great this one is in {YEAR} right".split(), DAY, upcoming=True
    )


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", f"is the event in {YEAR + 1}?"),
        ("en", f"my colleague says the conference is in {YEAR + 1}, is that correct?"),
        ("en", f"this is the {YEAR - 1} edition right?"),
        ("nl", f"is dit de editie van {YEAR - 1}?"),
        ("fr", f"c'est bien l'édition {YEAR - 1} ?"),
    ],
)
def test_a_wrong_year_proposed_for_this_edition_gets_no_and_the_date(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """The asker proposes a wrong year for this edition ("is the event in 2026?"): "No." and the date."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.text.startswith(NO[lang]), answer.text
    assert fill("{date}", lang) in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", f"is there a {KB.event.name} in {YEAR + 1}?"),
        ("en", f"will the {YEAR + 1} edition be in {{city}}?"),
        ("fr", f"y a-t-il une édition en {YEAR + 1} ?"),
        # that edition's city or day, "again", an earlier year (an outside review's cases)
        ("en", f"is it in {{city}} in {YEAR + 1}?"),
        ("nl", f"is het in {YEAR + 1} ook in {{city}}?"),
        ("fr", f"c'est bien à {{city}} en {YEAR + 1} ?"),
        ("en", f"was it in {{city}} in {YEAR - 1}?"),
        ("en", f"will it be in {YEAR + 1} again?"),
        ("en", f"was it on {DAY.day} November in {YEAR - 1}?"),
        ("fr", f"c'est à {{city}}, l'édition {YEAR + 1} ?"),
        # no verb, or this edition's year named beside the other (a second outside review's cases)
        ("en", f"and in {YEAR + 1}?"),
        ("fr", f"et en {YEAR + 1} ?"),
        ("en", f"the {YEAR - 1} edition was great, this one is in {YEAR} right?"),
        ("fr", f"l'édition {YEAR - 1} était super, c'est bien l'édition {YEAR} ?"),
    ],
)
def test_whether_another_years_edition_exists_or_where_it_is_is_not_settled_by_this_one(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """Whether there is an edition in 2026, or where the 2026 edition is: this edition's facts settle neither."""
    answer = assistant.answer(question.replace("{city}", fill("{city}", lang)), lang, BEFORE)
    assert not answer.text.startswith(VERDICTS), answer.text


@pytest.mark.parametrize(
    "question",
    [
        f"it isn't on a {weekday(NEXT, 'en')}, is it?",  # negated: "No." would be read either way
        f"is it on the {DAY.day}th or the {NEXT.day}th?",  # alternatives, one of them right
        "which day of the week is it?",  # a question, no check
    ],
)
def test_no_verdict_where_it_would_mislead_or_nothing_is_proposed(assistant: Assistant, question: str) -> None:
    """A negated check, alternatives with one right, or a plain question: the date without "Yes." or "No."."""
    answer = assistant.answer(question, "en", BEFORE)
    assert answer.faq_id == entry_for("when")
    assert not answer.text.startswith(("Yes.", "No."))
    assert fill("{date}") in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "Is BIO-Europe also happening in {month}?"),
        ("fr", "Y a-t-il un autre salon biotech à Liège en {month} ?"),
        ("en", "will it rain on {weekday}?"),
        ("en", "Will Science for Health {later} be held in {month}?"),
    ],
)
def test_a_check_about_something_else_gets_no_date(assistant: Assistant, lang: Lang, question: str) -> None:
    """Another event's month, the weather on a weekday, a later edition's month: no question about the event's date."""
    from babel.dates import get_month_names

    month = str(get_month_names("wide", locale=lang)[DAY.month]).lower()
    asked = question.format(month=month, weekday=weekday(DAY, lang), later=DAY.year + 1)
    assert assistant.answer(asked, lang, BEFORE).faq_id is None


VERDICTS = (*YES.values(), *NO.values())


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "can you remind me on the {next}th?"),
        ("nl", "herinner me op de {next}de"),
        ("fr", "rappelle-moi le {next}"),
        ("en", "can I still register on the {day}th?"),
        ("en", "does it start at 9am on the {day}th?"),
        ("en", "is the deadline for registration on the {next}th?"),
    ],
)
def test_a_check_of_something_else_than_the_day_gets_no_verdict(
    assistant: Assistant, lang: Lang, template: str
) -> None:
    """A reminder, a registration, a start time on a day: the answer names the date but settles nothing asked."""
    answer = assistant.answer(template.format(day=DAY.day, next=NEXT.day), lang, BEFORE)
    assert not answer.text.startswith(VERDICTS), answer.text


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "was last year's edition in {other}?"),
        ("en", "will it be in {city} next year?"),
        ("fr", "ce sera à {city} l'année prochaine ?"),
        ("en", "I'm in {city} on {weekday}, right?"),
        ("en", "he is in {other} on {weekday}, right?"),
        ("en", "is the other conference in {other}?"),
        ("en", "is it on a {weekday} every year?"),
    ],
)
def test_another_edition_or_thing_or_a_persons_plans_get_no_verdict(
    assistant: Assistant, lang: Lang, template: str
) -> None:
    """Last or next year's edition, another conference, every year, someone's own plans: nothing of this one settled."""
    question = template.format(city=fill("{city}", lang), other=other_city(assistant), weekday=weekday(DAY, lang))
    answer = assistant.answer(question, lang, BEFORE)
    assert not answer.text.startswith(VERDICTS), answer.text


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "is it on {weekday} the {next}?"),
        ("fr", "c'est le {weekday} {next} ?"),
        ("nl", "is het op {weekday} {next}?"),
    ],
)
def test_a_number_after_the_weekday_is_the_day_proposed(assistant: Assistant, lang: Lang, template: str) -> None:
    """The right weekday with a wrong day ("Tuesday the 5", "mardi 5") is a wrong date: "No."."""
    answer = assistant.answer(template.format(weekday=weekday(DAY, lang), next=NEXT.day), lang, BEFORE)
    assert answer.text.startswith(NO[lang] + " ")


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "is it the 5th edition?"),
        ("fr", "c'est la 2e édition ?"),
        ("en", "is it on the 1st {weekday} of the month?"),
        ("en", "is it rated 4/{far}?"),
        ("nl", "is het 1/{far} vol?"),
    ],
)
def test_an_ordinal_before_a_noun_or_a_fraction_is_no_date(assistant: Assistant, lang: Lang, question: str) -> None:
    """An ordinal before a noun ("the 5th edition"), a rating or a share in figures proposes no day: no verdict."""
    far = (DAY.month + 5) % 12 + 1  # six months from the event's: no date anyone proposes for it
    answer = assistant.answer(question.format(weekday=weekday(DAY, lang), far=far), lang, BEFORE)
    assert not answer.text.startswith(VERDICTS), answer.text


def test_proposed_reads_weekdays_days_months_years_and_places() -> None:
    """Each value a check proposes is found and judged against the event's day and city."""
    found = proposed(
        f"so it's {weekday(DAY, 'en')} {DAY.day} {NEXT.strftime('%B')} {DAY.year} in Ghent, right?",
        DAY,
        frozenset({"brussels"}),
        frozenset({"ghent"}),
        today=BEFORE.date(),
        lang="en",
    )
    assert found.weekdays == (True,)
    assert found.days == (True,)
    assert found.months == ((NEXT.month == DAY.month),)
    assert found.years == (True,)
    assert found.places == (False,)
    assert (
        proposed("3 people from our lab want to come", DAY, frozenset(), frozenset(), today=DAY, lang="en")
        == Proposed()
    )


@pytest.mark.parametrize(
    ("found", "alternatives", "expected"),
    [
        (Proposed(days=(True,), months=(True,)), False, "yes"),
        (Proposed(days=(False,), months=(True,)), False, "no"),
        (Proposed(days=(True, False)), True, None),
        (Proposed(days=(False, False)), True, "no"),
        (Proposed(places=(False,)), False, None),  # the answer states no place: nothing to judge
        (Proposed(), False, None),
    ],
)
def test_the_verdict_judges_only_what_the_answer_states(
    found: Proposed, alternatives: bool, expected: str | None
) -> None:
    """All stated values hold: yes; one fails: no, unless alternatives were offered and one holds."""
    assert found.verdict(date_stated=True, place_stated=False, alternatives=alternatives) == expected


def test_checks_tags_negations_and_alternatives_are_told_apart() -> None:
    """A closing tag question negates nothing; "not" does; Dutch "of" offers alternatives, English "of" none."""
    assert is_check("it's on a monday, isn't it?")
    assert not is_check("which day is it?")
    assert not is_negated(asked_words("it's on a monday, isn't it?"))
    assert not is_negated(asked_words("c'est le 4, n'est-ce pas ?"))
    assert is_negated(asked_words("it isn't on a monday, is it?"))
    assert offers_alternatives(asked_words("is het op 4 of 5 november?"), "nl")
    assert not offers_alternatives(asked_words("the 4th of November?"), "en")


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [("kuu", True), ("kk", True), ("kkuk", True), ("k", True), ("uk", False), ("uuu", False), ("kuk" + "u", False)],
)
def test_a_value_proposed_follows_the_topic_it_is_a_value_of(kinds: str, expected: bool) -> None:
    """Known words then the asker's own ("the focus is robotics"): a value proposed; unknown words first: none."""
    assert proposes_a_value(kinds) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("is there parking at the venue?", True),
        ("Any cloakroom on site?", True),
        ("zijn er vestiaires op de locatie?", True),
        ("Is er wifi?", True),
        ("y a-t-il un vestiaire sur place ?", True),
        ("il y a du parking ?", True),
        ("the focus is robotics, right?", False),
        ("is het thema 'Gezond Vlaanderen'?", False),
        ("c'est à Liège ?", False),
    ],
)
def test_an_existential_question_asks_whether_something_exists(question: str, expected: bool) -> None:
    """Questions opening with "is there", "zijn er", "y a-t-il" ask whether what they name exists; checks do not."""
    assert asks_whether_exists(question) is expected


@pytest.mark.parametrize(
    ("lang", "this_year", "next_year"),
    [
        ("en", "is it this year?", "is it next year?"),
        ("nl", "is het dit jaar?", "is het volgend jaar?"),
        ("fr", "c'est cette année ?", "c'est l'année prochaine ?"),
    ],
)
def test_a_check_of_the_year_named_relatively_is_settled_at_the_moment_asked(
    assistant: Assistant, lang: Lang, this_year: str, next_year: str
) -> None:
    """Before the edition "this year?" gets "Yes." and the date, "next year?" "No."; a year on, "this year?" "No."."""
    before = assistant.answer(this_year, lang, BEFORE)
    assert before.text.startswith(YES[lang])
    assert fill("{date}", lang) in before.text
    assert assistant.answer(next_year, lang, BEFORE).text.startswith(NO[lang])
    a_year_on = assistant.answer(this_year, lang, AFTER)
    assert a_year_on.text.startswith(NO[lang])
    assert fill("{date}", lang) in a_year_on.text
    assert not assistant.answer(next_year, lang, AFTER).text.startswith(VERDICTS)  # about the next edition


@pytest.mark.parametrize(("lang", "message"), [("en", "play some jazz"), ("fr", "joue de la musique")])
def test_a_request_with_a_topics_word_proposes_no_value_of_it(assistant: Assistant, lang: Lang, message: str) -> None:
    """A message that tells ("play some jazz": "play" is a topic's word) proposes no value of that topic: declined."""
    assert assistant.answer(message, lang, BEFORE).faq_id is None


@pytest.mark.parametrize(
    ("lang", "check", "question"),
    [
        ("en", "most European VC funds are around EUR 500 million, right?", "how big are European VC funds?"),
        (
            "en",
            "so he wants the investment capital ten times bigger, correct?",
            "how much should investment capital grow?",
        ),
        ("nl", "Zitten de meeste Europese VC-fondsen niet rond 250 miljoen?", "hoe groot zijn Europese VC-fondsen?"),
        (
            "fr",
            "Il veut multiplier le capital par dix, c'est ça ?",
            "quelle taille ont les fonds de capital-risque européens ?",
        ),
        # a word that is a multiple by itself ("tenfold", "vertienvoudigen", "doubler")
        ("en", "He wants a tenfold increase in European capital, correct?", "how much should investment capital grow?"),
        ("nl", "hij wil het kapitaal verdubbelen, toch?", "hoe groot zijn Europese VC-fondsen?"),
        ("fr", "il veut doubler le capital, c'est ça ?", "quelle taille ont les fonds de capital-risque européens ?"),
    ],
)
def test_a_figure_the_asker_proposes_gets_the_answer_stating_the_figure(
    assistant: Assistant, lang: Lang, check: str, question: str
) -> None:
    """A check of a wrong sum or multiple gets an answer stating the figures the question asking for them gets."""
    checked, asked = assistant.answer(check, lang, BEFORE), assistant.answer(question, lang, BEFORE)
    assert asked.faq_id is not None
    assert checked.faq_id is not None
    assert figures(asked.text) & figures(checked.text)


def figures(text: str) -> set[str]:
    """The numbers ``text`` states, in figures or in words ("100", "five", "cinq")."""
    return {word for word in fold(text).split() if word.isdigit() or word in NUMBER_WORDS}


@pytest.mark.parametrize(
    ("lang", "check"),
    [
        ("en", "the hotel costs 120 euros a night, right?"),
        ("en", "is it 3 times bigger than last year?"),
        ("fr", "le VIB a été fondé il y a 30 ans, non ?"),
        ("fr", "Biovia a levé 20 millions, non ?"),
    ],
)
def test_a_figure_of_something_no_answer_states_is_declined(assistant: Assistant, lang: Lang, check: str) -> None:
    """A sum, a multiple or an age the announcement states nothing of gets no answer that states another figure."""
    assert assistant.answer(check, lang, BEFORE).faq_id is None


@pytest.mark.parametrize(
    ("check", "numbers"),
    [
        ("le VIB a été fondé il y a 30 ans, non ?", {"30"}),
        ("Biovia a levé vingt millions, non ?", {"20"}),  # in figures, as an answer's "20" is
        ("is it on Wednesday 5 November?", set()),  # a date's: its check settles it
        ("c'est le mardi 4 ?", set()),
        ("is it in 2025?", set()),  # a year: another edition or this one
    ],
)
def test_the_numbers_a_check_proposes_are_those_of_no_date(check: str, numbers: set[str]) -> None:
    """The last look never answers a check of a number its entry does not state; a date's numbers are no such number."""
    assert proposed_numbers(check) == numbers
