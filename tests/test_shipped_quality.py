"""The shipped knowledge's answer-quality sets (tests/quality) must stay above their floors.

About the shipped 2025 content (knowledge/), not about behaviour: behaviour tests run on fixtures.

questions.yaml is the TUNE part (benchmarks/tune_matcher.py chooses thresholds on it),
check.yaml the CHECK part (never used to choose anything), long_messages.yaml the long,
chatty messages, article.yaml the people, organisations, countries and numbers of the
announcement. See docs/developers.md, "Answer quality". Questions about an edition's article travel with
it (knowledge/editions/<edition>/quality/); the generic ones stay in tests/quality. Every set also runs on
the next edition that ``python -m bot new-edition`` makes from a test announcement (tests/next_edition.py):
an organiser's correct edition edit keeps CI green.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import cast

import pytest
import yaml

from bot import assistant as assistant_module
from bot import decision as decision_module
from bot.assistant import Assistant, is_passage
from bot.calibration import Calibration
from bot.knowledge import Knowledge, Lang, load
from bot.text import fold, sentences
from tests.conftest import SHIPPED
from tests.quality.cases import CHECK, LONG, TUNE, Case, edition_quality, load_cases

# Floors a little under today's figures (docs/developers.md, "Answer quality"), so noise in one
# question does not fail CI but a real regression does: (in-scope answered, off-topic declined).
FLOORS = {TUNE: (0.93, 0.95), CHECK: (0.85, 0.90), LONG: (0.90, 0.90)}
MAX_WRONG = 0.03


@pytest.fixture(scope="module")
def shipped() -> Knowledge:
    """The shipped knowledge base, loaded once for the tests that only read it."""
    return load(SHIPPED)


def before(knowledge: Knowledge) -> datetime:
    """Fifteen days before the knowledge's edition, 10:00 local."""
    return datetime.combine(knowledge.event.date - timedelta(days=15), time(10, 0), tzinfo=knowledge.event.tz)


@pytest.fixture(scope="module", params=["shipped", "next edition"])
def assistant(request: pytest.FixtureRequest) -> Assistant:
    """An assistant over the shipped knowledge base (not the behaviour fixture), and over the next edition from it."""
    if request.param == "shipped":
        return Assistant(cast(Knowledge, request.getfixturevalue("shipped")))
    folder, _ = cast(tuple[Path, str], request.getfixturevalue("next_edition"))
    return Assistant(load(folder))


def without_last_look(assistant: Assistant) -> Assistant:
    """``assistant`` with the calibrated last look off (its threshold above 100): the tiers before it alone."""
    assistant.calibration = replace(cast(Calibration, assistant.calibration), answer_at=101.0)
    return assistant


def rates(assistant: Assistant, cases: list[Case]) -> tuple[float, float, float, list[tuple[str, str | None]]]:
    """In-scope answered right, off-topic declined, confidently wrong (share of all), and the misses."""
    misses: list[tuple[str, str | None]] = []
    wrong = 0
    now = before(assistant.knowledge)
    for case in cases:
        faq_id = assistant.answer(case.question, case.lang, now).faq_id  # type: ignore[arg-type]
        good = faq_id in case.ids if case.in_scope else faq_id is None
        wrong += (not good) and faq_id is not None
        if not good:
            misses.append((case.question, faq_id))
    inside = [c for c in cases if c.in_scope]
    outside = [c for c in cases if not c.in_scope]
    missed = {q for q, _ in misses}
    rate_in = sum(c.question not in missed for c in inside) / len(inside)
    rate_out = sum(c.question not in missed for c in outside) / len(outside)
    return rate_in, rate_out, wrong / len(cases), misses


@pytest.mark.parametrize("path", [TUNE, CHECK, LONG], ids=["tune", "check", "long"])
def test_quality_set_stays_above_its_floor(assistant: Assistant, path: Path) -> None:
    """In-scope answered from an acceptable entry or passage, off-topic declined, few confident mistakes."""
    rate_in, rate_out, rate_wrong, misses = rates(assistant, load_cases(path, assistant.knowledge.directory))
    floor_in, floor_out = FLOORS[path]
    assert rate_in >= floor_in, f"{rate_in:.0%} answered; misses: {misses}"
    assert rate_out >= floor_out, f"{rate_out:.0%} declined; misses: {misses}"
    assert rate_wrong <= MAX_WRONG, f"{rate_wrong:.1%} confidently wrong; misses: {misses}"


def test_quality_sets_cover_every_language_and_are_large_enough() -> None:
    """Each set's generic part alone has en, nl and fr and enough cases for meaningful rates (every edition runs it)."""
    for path, least_in, least_out in ((TUNE, 90, 30), (CHECK, 75, 25), (LONG, 45, 10)):
        cases = load_cases(path, None)
        assert {c.lang for c in cases if c.in_scope} == {"en", "nl", "fr"}, path.name
        assert sum(c.in_scope for c in cases) >= least_in, path.name
        assert sum(not c.in_scope for c in cases) >= least_out, path.name


def test_tune_and_check_parts_share_no_question() -> None:
    """The check part is out of sample: none of its questions is in the tune part."""
    tune = {c.question.casefold() for c in load_cases(TUNE)}
    assert not [c.question for c in load_cases(CHECK) if c.question.casefold() in tune]


def test_every_person_organisation_country_and_number_of_the_article_is_reachable(assistant: Assistant) -> None:
    """Each question on a name or number in the announcement (quality/article.yaml) gets an answer containing it."""
    cases = yaml.safe_load(
        (edition_quality(assistant.knowledge.directory) / "article.yaml").read_text(encoding="utf-8")
    )
    assert cases, "the edition's quality/article.yaml lists no question"
    missing = []
    now = before(assistant.knowledge)
    for lang, question, expect in cases:
        answer = assistant.answer(question, lang, now)
        if answer.faq_id is None or expect.casefold() not in answer.text.casefold():
            missing.append((question, answer.faq_id, answer.text[:80]))
    assert not missing


def test_every_passage_can_be_reached_by_its_own_words(assistant: Assistant) -> None:
    """Asking with the first words of any passage, or its translation's first sentence, quotes it or answers an entry.

    A passage repeating the words may be quoted instead; a translation's reader gets the translation quoted.
    """
    unreached = []
    for passage in assistant.knowledge.passages:
        questions: list[tuple[Lang, str]] = [("en", " ".join(passage.text.split()[:12]))]
        for lang, text in passage.translations.items():
            questions.append((lang, " ".join(sentences(text, questions_only=False)[0].split()[:20])))
        for lang, question in questions:
            answer = assistant.answer(question, lang, before(assistant.knowledge))
            if answer.faq_id is None or (is_passage(answer.faq_id) and fold(question) not in fold(answer.text)):
                unreached.append((passage.id, lang, answer.faq_id))
    assert not unreached


def test_shipped_asker_wording_of_an_entry_is_answered_where_the_model_calls_it_no_off_topic(
    shipped: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With the likely choice on, the matcher's clear first entry at a low score is answered when the model agrees.

    Without it (``LIKELY_AT`` at 101, as shipped since the twelfth wave: the tuner's choice, see docs/developers.md)
    it is declined: "bloquer" is the asker's wording, no phrasing's. (Until the fourteenth wave the example was
    "Welke dag hou ik best vrij in mijn agenda?", which the model now reads 22 % off-topic: over the bar.)
    """
    knowledge = shipped
    question = "Quel jour dois-je bloquer dans mon agenda ?"
    monkeypatch.setattr(assistant_module, "LIKELY_AT", 30.0)
    answer = Assistant(knowledge).answer(question, "fr", before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", "calendar")
    assert "4 novembre" in answer.text
    assert answer.score < assistant_module.ANSWER_AT
    monkeypatch.setattr(assistant_module, "LIKELY_AT", 101.0)
    assert Assistant(knowledge).answer(question, "fr", before(knowledge)).faq_id is None


def test_shipped_known_words_answer_a_check_but_not_a_question_about_something_unknown(
    shipped: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The known words' choice answers a guess ("a minister?"), never a question about an unknown thing ("ESMO")."""
    knowledge = shipped
    check = Assistant(knowledge).answer("is the keynote by a minister?", "en", before(knowledge))
    assert (check.outcome, check.faq_id) == ("answer", "keynote")
    assert "Van Biervliet" in check.text
    question = "waar is ESMO dit jaar?"
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id is None
    monkeypatch.setattr(assistant_module, "asks_for_something", lambda text: False)
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id == "venue"  # what the rule prevents


def test_shipped_a_question_after_the_askers_context_is_answered_for_the_question(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Who asks and what for, in words no phrasing uses, leave the model's off-topic reading to the question alone."""
    knowledge = shipped
    question = (
        "Ik schrijf een column voor het personeelsblad van ons ziekenhuis. Welke vragen stelt Van Biervliet in zijn "
        "keynote?"
    )
    answer = Assistant(knowledge).answer(question, "nl", before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", "keynote_title")
    assert "Wat ontbreekt er" in answer.text  # the questions the keynote tackles
    monkeypatch.setattr(Assistant, "asked_alone", lambda self, clean, lang, now: None)
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id is None  # the whole message declined


@pytest.mark.parametrize(
    ("lang", "question", "faq_id", "fact"),
    [
        ("en", "the keynote speaker is the CEO of Galapagos, right?", "keynote", "Van Biervliet"),
        ("en", "is the keynote guy from vib or from some big pharma company", "vib", "VIB"),
        ("nl", "Focus van dit jaar: artificiële intelligentie, toch?", "focus", "ATMP"),  # not "de focus is"
        ("nl", "Het thema is 'Gezond Vlaanderen', klopt dat?", "theme", "Stronger Regions"),
        ("fr", "la keynote est de quelqu'un de Sanofi non ?", "keynote", "Van Biervliet"),
    ],
)
def test_shipped_a_check_proposing_a_wrong_value_of_a_fact_gets_the_fact(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch, lang: Lang, question: str, faq_id: str, fact: str
) -> None:
    """A check of a value no phrasing knows ("the focus is medical devices, right?") gets the entry stating the fact."""
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", faq_id)
    assert fact in answer.text
    monkeypatch.setattr(Assistant, "checks_a_value_of", lambda self, question, entry_id: False)
    # what the rule answers among the tiers before the last look (at 85 the last look also answers "vib or pharma")
    assert without_last_look(Assistant(knowledge)).answer(question, lang, before(knowledge)).faq_id is None


@pytest.mark.parametrize(
    ("question", "guard", "off"),
    [
        ("Is there free water at the venue?", "asks_whether_exists", lambda question: False),
        ("is there free lunch at the venue?", "asks_whether_exists", lambda question: False),
        ("is Biovia recruiting at the moment?", "VALUE_CHECK_OFF_TOPIC", 101.0),
    ],
)
def test_shipped_a_question_about_something_unknown_is_no_check_of_a_value(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str, guard: str, off: object
) -> None:
    """Whether an unknown thing exists, or what a named organisation does now, is no value of a fact: not answered."""
    knowledge = shipped
    assert Assistant(knowledge).answer(question, "en", before(knowledge)).faq_id is None
    monkeypatch.setattr(assistant_module, guard, off)
    assert Assistant(knowledge).answer(question, "en", before(knowledge)).faq_id is not None  # what the guard prevents


@pytest.mark.parametrize("question", ["where was the last edition?", "last time?"])
def test_shipped_a_question_about_the_last_edition_never_gets_this_ones_facts(
    shipped: Knowledge, question: str
) -> None:
    """No earlier edition known: it says so, declined, though this edition's venue or date ties with it at the top."""
    answer = Assistant(shipped).answer(question, "en", before(shipped))
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    assert "I have no information about earlier editions" in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "Is there a night session on 4 November?"), ("fr", "Y a-t-il un spa sur le lieu ?")],
)
def test_shipped_a_word_with_a_stop_words_letters_is_no_typo_of_it(
    shipped: Knowledge, lang: Lang, question: str
) -> None:
    """A word with a stop word's letters ("night": "thing", "spa": "pas") counts: what it asks about is declined."""
    answer = Assistant(shipped).answer(question, lang, before(shipped))
    assert (answer.outcome, answer.faq_id) == ("decline", None)


@pytest.mark.parametrize(
    "question",
    [
        "Klopt het dat de lunch gratis is?",
        "Klopt het dat er parking is aan de locatie?",
    ],
)
def test_shipped_a_stop_word_of_a_language_is_no_topic_word_of_a_check(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch, question: str
) -> None:
    """In "klopt het dat …" the stop word "dat" is no typo of "date": no value of the price or the venue is checked."""
    knowledge = shipped
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id is None
    monkeypatch.setattr(Assistant, "is_stop_word", lambda self, word: False)
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id is not None  # what the guard prevents


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "book the keynote speaker for our company event"),
        ("nl", "stuur de slides van de keynote na het evenement"),
        ("fr", "envoyez les slides de la keynote après l'événement"),
    ],
)
def test_shipped_a_request_to_act_is_no_check_of_a_value(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch, lang: Lang, question: str
) -> None:
    """A command to act (book, send) names event words but asks nothing: no tier guesses an entry for it."""
    knowledge = shipped
    assert Assistant(knowledge).answer(question, lang, before(knowledge)).faq_id is None
    monkeypatch.setattr(assistant_module, "asks_to_act", lambda words: False)
    assert Assistant(knowledge).answer(question, lang, before(knowledge)).faq_id is not None  # what the rule prevents


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "what's this conference called?"),
        ("nl", "hoe heet dit congres eigenlijk?"),
        ("fr", "comment s'appelle ce congrès ?"),
    ],
)
def test_shipped_the_events_name_is_answered_with_its_date_and_city(
    shipped: Knowledge, lang: Lang, question: str
) -> None:
    """Asked what the event is called, the bot names it, with its date, city and theme, in the reader's language."""
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert answer.faq_id == "name"
    assert f"{knowledge.event.name} {knowledge.event.edition}" in answer.text
    assert knowledge.facts["city"][lang] in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "is it in {year}?"), ("nl", "is het in {year}?"), ("en", "is het in {year}?"), ("fr", "is it in {year}?")],
)
def test_shipped_a_question_of_stop_words_and_the_year_quotes_no_passage(
    shipped: Knowledge, lang: Lang, question: str
) -> None:
    """Without its year, "is it in 2025?" is stop words in its language, whoever reads it: no article sentence quoted.

    The French translation quotes the English title ("Anchoring Innovation in Belgium"): read as French, "in" is a word.
    """
    knowledge = shipped
    answer = Assistant(knowledge).answer(question.format(year=knowledge.event.date.year), lang, before(knowledge))
    assert not is_passage(answer.faq_id), answer.faq_id


def test_shipped_a_question_of_stop_words_gets_the_entry_the_model_is_sure_of(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question of stop words and "event" leaves the matcher nothing; the model knows the entry (``SURE_AT``).

    The announcement says the event "returns this year": that is the answer, and without the sure choice none is given.
    """
    knowledge = shipped
    question = "has there been a science for health before"
    answer = Assistant(knowledge).answer(question, "en", before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", "returning")
    assert "returns this year" in answer.text
    monkeypatch.setattr(assistant_module, "SURE_AT", 101.0)
    assert Assistant(knowledge).answer(question, "en", before(knowledge)).faq_id is None


@pytest.mark.parametrize(
    ("lang", "question", "expected"),
    [
        ("en", "was science for health organised before this edition?", "returns this year"),
        ("nl", "heeft het congres al eerder plaatsgevonden?", "keert Science for Health dit jaar terug"),
        ("fr", "le congrès a-t-il déjà eu lieu auparavant ?", "revient cette année"),
    ],
)
def test_shipped_whether_the_event_is_new_is_answered_from_the_announcement(
    shipped: Knowledge, lang: Lang, question: str, expected: str
) -> None:
    """The announcement says the event "returns this year": asked whether it is new, that is the answer."""
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", "returning")
    assert expected in answer.text


def test_shipped_the_returning_event_is_told_in_the_past_once_it_has_taken_place(
    shipped: Knowledge,
) -> None:
    """A month after the event, the announcement "said" it returned: the edition "was" not the first."""
    knowledge = shipped
    later = before(knowledge) + timedelta(days=45)
    answer = Assistant(knowledge).answer("was science for health organised before?", "en", later)
    assert answer.faq_id == "returning"
    assert "said it “returns this year”" in answer.text
    assert "was not its first edition" in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "what is new"), ("en", "what's new this year at science for health"), ("nl", "wat is er nieuw dit jaar")],
)
def test_shipped_whats_new_is_never_the_returning_event(shipped: Knowledge, lang: Lang, question: str) -> None:
    """A "what's new" question asks about the programme: it never gets "the edition is not the first"."""
    knowledge = shipped
    assert Assistant(knowledge).answer(question, lang, before(knowledge)).faq_id != "returning"


@pytest.mark.parametrize(
    ("lang", "question", "entry", "expected"),
    [
        ("en", "My team is split across Belgium, so which city should we all travel to?", "venue", "Brussels"),
        ("en", "For our newsletter, in one sentence, what is this conference about?", "theme", "Stronger Regions"),
        ("fr", "Je prépare le planning de l'automne, quelle est la date de l'événement ?", "date", "4 novembre"),
        ("nl", "Voor onze nieuwsbrief, in één zin, waarover gaat deze conferentie?", "theme", "Sterkere regio's"),
    ],
)
def test_shipped_a_question_after_a_clause_of_context_is_answered(
    shipped: Knowledge, monkeypatch: pytest.MonkeyPatch, lang: Lang, question: str, entry: str, expected: str
) -> None:
    """Context before a comma does not hide the question after it: the model reads each clause (``clauses``).

    Read whole, the context makes the model call these off-topic and they are not answered, not even by the
    calibrated last look.
    """
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", entry)
    assert expected in answer.text
    monkeypatch.setattr(decision_module, "clauses", lambda sentence: [])
    assert Assistant(knowledge).answer(question, lang, before(knowledge)).faq_id is None


def test_shipped_a_passage_found_by_a_common_sentence_of_its_translation_is_not_quoted(
    shipped: Knowledge,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Dutch question sharing only a common sentence of a paragraph's translation does not get it quoted.

    "hoe kan de regelgeving beter" shares "hoe kunnen we het beter doen?" with the keynote paragraph's translation and
    scores under ``TRANSLATION_AT``; at the bar of the article's own text it would be quoted.
    """
    knowledge = shipped
    question = "hoe kan de regelgeving beter"
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id != "passage:keynote"
    monkeypatch.setattr(assistant_module, "TRANSLATION_AT", assistant_module.PASSAGE_AT)
    assert Assistant(knowledge).answer(question, "nl", before(knowledge)).faq_id == "passage:keynote"


# Questions the twentieth wave's misses showed an answer did not say what was asked; the knowledge now does.
SAYS_WHAT_IS_ASKED = [
    # both capital answers quote the magic wand: the fix says how the gap closes, and where its steps were taken
    ("en", "no magic wand, so how do we fix it then", "capital_solutions", "hard work"),
    ("nl", "zonder toverstaf, hoe lossen we dat dan op", "capital_solutions", "hard werk"),
    ("en", "where were those steps taken already", "capital_solutions", "the US"),
    ("nl", "waar heeft men die stappen al gezet", "capital_solutions", "de VS"),
    ("fr", "ces mesures, où les a-t-on déjà prises", "capital_solutions", "États-Unis"),
    # the funding gap says why it is there: European VC funds too small for late-stage rounds
    ("en", "why do growing biotechs struggle to raise money in europe", "capital_markets", "too small"),
    # the article's "public markets" are the stock markets people name: fragmented
    ("en", "what is his take on the european stock exchanges", "capital_solutions", "fragmented"),
    ("nl", "wat vindt hij van de europese aandelenmarkten", "capital_solutions", "versnipperde"),
    ("fr", "et les marchés boursiers européens, il en dit quoi ?", "capital_solutions", "fragmentés"),
    # approval "doubled", asked as a count
    ("en", "how many times does a medicine need approval in europe", "regulation", "twice"),
    ("nl", "hoeveel keer moet een geneesmiddel in europa goedgekeurd worden", "regulation", "twee keer"),
    ("fr", "combien de fois l'approbation est-elle nécessaire en europe ?", "regulation", "deux fois"),
    # how long to wait counts down (fifteen days before), not the ticket price ("combien")
    ("nl", "nog hoelang wachten?", "date", "over 15 dagen"),
    ("nl", "nog hoeveel dagen wachten tot science for health?", "date", "over 15 dagen"),
    ("fr", "combien de jours faut-il encore attendre ?", "date", "dans 15 jours"),
    # someone working on gene or cell therapies asks if it is for them: whom it is for, and its focus
    ("en", "I develop cell therapies in a hospital lab, is this conference for me?", "audience", "ATMP"),
    ("nl", "voor wie is het congres bedoeld, ook voor onderzoekers in gentherapie?", "audience", "ATMP"),
    ("fr", "à qui s'adresse l'événement ? je fais de la recherche en thérapie génique", "audience", "ATMP"),
    # over what time the investment capital should grow: the factor five in ten years
    ("en", "over what time frame does he want the capital to grow?", "vc_funds", "10 years"),
    ("nl", "en binnen hoeveel jaar dan?", "vc_funds", "10 jaar"),
    # a summary of the keynote asked for: its title and the themes of its argument
    ("en", "can you summarise the keynote for me?", "keynote_title", "capital markets"),
    ("nl", "kun je de keynote kort samenvatten?", "keynote_title", "kapitaalmarkten"),
    ("fr", "tu peux me résumer la keynote ?", "keynote_title", "marchés des capitaux"),
]


@pytest.mark.parametrize(("lang", "question", "entry", "shown"), SAYS_WHAT_IS_ASKED)
def test_shipped_the_answer_says_what_was_asked(
    shipped: Knowledge, lang: Lang, question: str, entry: str, shown: str
) -> None:
    """A question in the asker's words gets the entry whose answer states what was asked (the fact ``shown``)."""
    answer = Assistant(shipped).answer(question, lang, before(shipped))
    assert (answer.outcome, answer.faq_id) == ("answer", entry)
    assert shown in answer.text


@pytest.mark.parametrize(
    ("lang", "question", "entry", "shown"),
    [
        ("en", "Does he reckon capital is the toughest problem to tackle?", "capital_markets", "capital"),
        ("en", "is belgium still strong in trials or falling behind", "clinical_trials", "trials"),
    ],
)
def test_shipped_the_calibrated_last_look_answers_what_the_rankers_agree_on_around_context(
    shipped: Knowledge, lang: Lang, question: str, entry: str, shown: str
) -> None:
    """Where each ranker alone is unsure, weighed together their signals answer (the calibrated last look).

    Without the last look (its threshold above 100) neither is answered.
    """
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("answer", entry)
    assert shown in answer.text
    assert 0 < answer.score <= 100  # the calibrated probability
    assert without_last_look(Assistant(knowledge)).answer(question, lang, before(knowledge)).faq_id is None


@pytest.mark.parametrize(
    "question",
    [
        "My sister is getting married in Antwerp next spring and we still have not decided who picks up the cake. "
        "Any advice?",
        "Can you write me a bash script that downloads every abstract from PubMed?",
        "I run a small biotech in Ghent and have a board meeting tomorrow about our runway. What are our chances of "
        "raising a series B next year?",
    ],
)
def test_shipped_the_calibrated_last_look_leaves_long_off_topic_messages_declined(
    shipped: Knowledge, question: str
) -> None:
    """A long message counts for an answer, but not when the model calls it off-topic: these stay declined."""
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, "en", before(knowledge))
    assert (answer.outcome, answer.faq_id) == ("decline", None)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "I need help with my tax return, the deadline is before the event, what should I fill in on line 12?"),
        (
            "en",
            "I am writing a thesis on regional health policy; which book would you recommend before the conference?",
        ),
        (
            "en",
            "I'm registered for the conference but I have a question: will you reimburse my train ticket to Brussels?",
        ),
        ("en", "I will attend the keynote but my laptop is broken, can you lend me one during the event?"),
        (
            "en",
            "Tell me a story about a dragon who goes to a health conference in Brussels and meets a keynote speaker.",
        ),
        ("en", "Write an email to my boss explaining why I should attend this conference on the 4th of November."),
        ("en", " ".join(["blah"] * 20) + " event?"),
        ("nl", "Mijn dochter is ziek en ik kan niet komen op de dag van het evenement. Welk medicijn moet ze nemen?"),
        ("nl", "Ik schrijf een thesis over gezondheidsbeleid, welk boek raad je me aan om te lezen voor het congres?"),
        ("fr", "Pouvez-vous m'envoyer les slides de la keynote et l'enregistrement après l'événement ?"),
        ("fr", "J'ai besoin d'aide pour ma déclaration d'impôts avant l'événement, que dois-je mettre à la ligne 12 ?"),
    ],
)
def test_shipped_the_last_look_never_answers_a_long_message_for_its_length_and_one_event_word(
    shipped: Knowledge, lang: Lang, question: str
) -> None:
    """Long off-topic messages with one event word get no answer from the last look (an outside review found these).

    With the length counted up to 20 words and no support asked of the model, each got an entry's answer.
    """
    knowledge = shipped
    answer = Assistant(knowledge).answer(question, lang, before(knowledge))
    assert answer.faq_id is None, (answer.faq_id, round(answer.score))


@pytest.mark.parametrize(("lang", "question"), [("fr", "c'est le {day} ou le {next} ?"), ("en", "is it in {year}?")])
def test_shipped_a_check_of_the_day_or_year_is_answered_with_the_date_not_the_venue(
    shipped: Knowledge, lang: Lang, question: str
) -> None:
    """The rankers read French "ou" as "où" and "in 2025" as a place: the check's answer states the date all the same.

    "c'est le 4 ou le 5 ?" offers alternatives (no verdict); "is it in 2025?" holds ("Yes.").
    """
    knowledge = shipped
    day = knowledge.event.date
    asked = question.format(day=day.day, next=day.day + 1, year=day.year)
    assistant = Assistant(knowledge)
    answer = assistant.answer(asked, lang, before(knowledge))
    stated = assistant.renderer(lang, before(knowledge)).value("date")
    assert answer.faq_id == "date"
    assert stated is not None
    assert stated in answer.text
    assert answer.text.startswith("Yes. ") == (lang == "en")
