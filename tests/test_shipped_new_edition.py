"""Publishing the next edition from its announcement (``python -m bot new-edition``) on a copy of the shipped knowledge.

The organiser's run: the command on an announcement written for the test (another year, city, speaker and
argument), then the fact values in event.yaml. After it, ``check`` passes, nothing of the old edition reaches
an answer about the new one, and questions naming the old edition's year get the archive, in the past tense.
Everything runs in-process (one shared knowledge base, one trained model) to stay within the CI budget.
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.assistant import Assistant
from bot.knowledge import LANGS, Knowledge, Lang, load
from bot.text import fold
from tests.conftest import SHIPPED

OLD = load(SHIPPED)
# Questions about the new edition an attendee may ask, in the three languages.
QUESTIONS: dict[Lang, list[str]] = {
    "en": ["when is it", "where is it", "who gives the keynote", "who is the keynote speaker", "what is the theme",
           "what is the focus", "what is the title of the keynote", "how do i register", "how much is a ticket",
           "hello", "what is on the programme", "who is it for", "what is the goal", "what does the speaker say",
           "what are atmps", "tell me about capital markets", "what about vc funds", "is there a next edition",
           "when does it start"],
    "nl": ["wanneer is het", "waar is het", "wie geeft de keynote", "wat is het thema", "wat is de focus",
           "hoe schrijf ik me in", "hallo", "voor wie is het", "wat is het programma"],
    "fr": ["quand est-ce", "où est-ce", "qui donne la keynote", "quel est le thème", "quel est le focus",
           "comment s'inscrire", "bonjour", "pour qui est-ce", "quel est le programme"],
}  # fmt: skip
# The old edition's quotes (word for word from its article).
OLD_QUOTES = ("magic wand", "we may be small", "bang for our buck", "100 million", "coalition of the willing")


def old_values(knowledge: Knowledge) -> list[str]:
    """The shipped edition's speaker, city, date, year and title, folded, as they could appear in an answer."""
    event = knowledge.event
    values = [event.edition, event.date.isoformat(), "4 november", "4 novembre"]
    for name in ("city", "keynote_speaker", "keynote_title"):
        values += list(knowledge.facts[name].values())
    return [fold(value) for value in values] + [fold(quote) for quote in OLD_QUOTES] + ["biervliet"]


@pytest.fixture(scope="module")
def published(next_edition: tuple[Path, str]) -> Knowledge:
    """The next edition's knowledge, loaded."""
    return load(next_edition[0])


@pytest.fixture(scope="module")
def assistant(published: Knowledge) -> Assistant:
    """An assistant over the next edition (trained once for the module)."""
    return Assistant(published)


def old_editions_december() -> datetime:
    """Mid-December of the archived edition's year: it took place weeks ago, the next one is published."""
    return datetime.combine(date(OLD.event.date.year, 12, 15), time(10, 0), tzinfo=OLD.event.tz)


def before(knowledge: Knowledge) -> datetime:
    """Fifteen days before the edition, 10:00 local."""
    return datetime.combine(knowledge.event.date - timedelta(days=15), time(10, 0), tzinfo=knowledge.event.tz)


def test_the_command_lists_the_facts_to_fill_and_check_then_passes(next_edition: tuple[Path, str]) -> None:
    """``new-edition`` prints the facts to fill, with old values; once filled, ``check`` prints OK and no warning."""
    folder, printed = next_edition
    assert f"Edition {OLD.event.edition} archived" in printed
    assert "facts.keynote_speaker (was: " in printed
    assert "facts.city (was: " in printed
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["check", "--kb", str(folder)]) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1].startswith("OK: ")
    assert lines[:-1] == []  # no leftover of the old edition, in the vocabulary neither, and no unused synonym group


def test_no_answer_about_the_new_edition_names_the_old_one(assistant: Assistant, published: Knowledge) -> None:
    """In every language, no answer on the new edition has the old speaker, city, date, year or article quote."""
    now = before(published)
    forbidden = old_values(OLD)
    leaks = []
    for lang, questions in QUESTIONS.items():
        for question in questions:
            for reader in LANGS if lang == "en" else (lang,):
                text = fold(assistant.answer(question, reader, now).text)
                leaks += [(reader, question, value) for value in forbidden if f" {value} " in f" {text} "]
    assert not leaks


def test_answers_about_the_new_edition_use_its_facts(assistant: Assistant, published: Knowledge) -> None:
    """The new speaker, city and date reach the answers, in each language."""
    now = before(published)
    assert "Ingrid Dewulf" in assistant.answer("who gives the keynote", "en", now).text
    assert "Antwerpen" in assistant.answer("waar is het", "nl", now).text
    assert str(published.event.date.year) in assistant.answer("quand est-ce", "fr", now).text


def test_the_new_article_is_quoted_from_the_first_minute(assistant: Assistant, published: Knowledge) -> None:
    """A question about the new article gets its passage (the command made the passages), not a decline."""
    answer = assistant.answer("what does dewulf say about hospitals", "en", before(published))
    assert answer.faq_id is not None
    assert "goldmine" in answer.text


def fact(name: str, lang: Lang = "en") -> str:
    """The shipped (now archived) edition's value of fact ``name`` in ``lang``."""
    texts = OLD.facts[name]
    return texts.get(lang) or next(iter(texts.values()))


@pytest.mark.parametrize(
    ("lang", "question", "fact_name", "past"),
    [
        ("en", "who gave the keynote in {year}?", "keynote_speaker", "delivered"),
        ("en", "what was the {year} theme?", "theme", " was "),
        ("en", "where was it in {year}", "city", "took place"),
        ("nl", "wie gaf de keynote in {year}?", "keynote_speaker", "gaf de keynote"),
        ("fr", "quel était le thème en {year} ?", "theme", "a eu lieu"),
        # "last year", before the new edition, is the archived one (vocabulary.yaml's relative years)
        ("en", "who gave the keynote last year?", "keynote_speaker", "took place"),
        ("nl", "wie gaf vorig jaar de keynote?", "keynote_speaker", "plaatsvond"),
        ("fr", "quel était le thème l'an dernier ?", "theme", "a eu lieu"),
    ],
)
def test_questions_about_the_old_edition_are_answered_from_the_archive_in_the_past_tense(
    assistant: Assistant, published: Knowledge, lang: Lang, question: str, fact_name: str, past: str
) -> None:
    """A question naming the archived edition's year gets that edition's facts, in the past tense."""
    answer = assistant.answer(question.format(year=OLD.event.edition), lang, before(published))
    assert answer.faq_id is not None
    assert answer.faq_id.startswith(f"archive:{OLD.event.edition}/")
    assert fact(fact_name, lang) in answer.text
    assert past in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "which theme did the conference have this year?"),
        ("nl", "wat was het thema dit jaar?"),
        ("fr", "quel thème le congrès avait-il cette année ?"),
    ],
)
def test_this_year_in_the_old_editions_december_is_the_old_edition_though_the_next_is_published(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """Published early, the next edition does not take "this year" from the one that took place weeks ago."""
    december = old_editions_december()
    answer = assistant.answer(question, lang, december)
    assert answer.faq_id is not None
    assert answer.faq_id.startswith(f"archive:{OLD.event.edition}/")
    assert fact("theme", lang) in answer.text


@pytest.mark.parametrize(
    ("lang", "template", "yes"),
    [
        ("en", "is it in {city} this time?", "Yes."),
        ("nl", "is het deze keer in {city}?", "Ja."),
        ("fr", "c'est à {city} cette fois ?", "Oui."),
    ],
)
def test_this_time_is_the_published_edition_even_in_the_old_editions_december(
    assistant: Assistant, published: Knowledge, lang: Lang, template: str, yes: str
) -> None:
    """Asked about "this time", the bot means the edition just announced, not the one held weeks ago: "Yes."."""
    december = old_editions_december()
    city = published.facts["city"].get(lang) or published.facts["city"]["en"]
    answer = assistant.answer(template.format(city=city), lang, december)
    assert answer.faq_id is not None
    assert not answer.faq_id.startswith("archive:")
    assert answer.text.startswith(yes)
    assert city in answer.text


def test_the_old_article_is_quoted_from_the_archive(assistant: Assistant, published: Knowledge) -> None:
    """The words of an old article's passage, with its year, quote that passage from the archive."""
    passage = OLD.passages[-1]
    words = " ".join(passage.text.split()[:12])
    answer = assistant.answer(f"{words} in {OLD.event.edition}", "en", before(published))
    assert answer.faq_id is not None
    assert answer.faq_id.startswith(f"archive:{OLD.event.edition}/")
    assert answer.outcome == "answer"


def test_a_year_with_no_edition_is_still_declined(assistant: Assistant, published: Knowledge) -> None:
    """A year that is neither the current edition's nor an archived one gets the honest decline."""
    answer = assistant.answer(f"who gives the keynote in {OLD.event.date.year - 2}", "en", before(published))
    assert answer.faq_id is None
    assert answer.outcome == "decline"


def test_the_old_article_entries_stay_in_the_archive(published: Knowledge) -> None:
    """The old edition's article entries and passages are its archive, no longer current."""
    archived = published.archive[OLD.event.edition]
    assert {e.id for e in archived.entries} == set(OLD.edition_ids)
    assert {p.id for p in archived.passages} == {p.id for p in OLD.passages}
    assert not OLD.edition_ids & set(published.by_id)


def test_asked_from_the_cache_the_old_year_is_still_answered_from_the_archive(
    next_edition: tuple[Path, str], published: Knowledge, tmp_path: Path
) -> None:
    """``ask`` reads the next edition from its cache (matcher kept with it); the archived year gets its own answer."""
    from bot.knowledge.cache import load_cached

    load_cached(next_edition[0], tmp_path)  # a miss fills the cache
    cached = Assistant(load_cached(next_edition[0], tmp_path), learned=False)
    answer = cached.answer(f"who gave the keynote in {OLD.event.edition}?", "en", before(published))
    assert answer.faq_id is not None
    assert answer.faq_id.startswith(f"archive:{OLD.event.edition}/")
    assert fact("keynote_speaker") in answer.text
    words = " ".join(OLD.entries[-1].questions["en"][0].split())  # an old article's own entry, asked with its year
    old_article = cached.answer(f"{words} in {OLD.event.edition}", "en", before(published))
    assert old_article.faq_id == f"archive:{OLD.event.edition}/{OLD.entries[-1].id}"
    assert "Ingrid Dewulf" in cached.answer("who gives the keynote", "en", before(published)).text
