"""The assistant's answers: the right entry, the right tense, honest declines, in three languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from babel.dates import format_date

from bot import assistant as assistant_module
from bot.assistant import Assistant, Decision, as_question, supported_lang
from bot.knowledge import Lang, load
from bot.text import without_days
from tests.conftest import AFTER, BEFORE, EVENT_DAY, KB, at_day, entry_for, fill, move_event

DAY = KB.event.date
local = at_day


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(-12, 10), "takes place on {date} in {city}: in 12 days."),
        (local(-1, 18), "takes place on {date} in {city}: tomorrow."),
        (local(0, 0, 5), "{name} {edition} is today, {date}, in {city}!"),
        (local(0, 23, 59), "{name} {edition} is today, {date}, in {city}!"),
        (local(1, 0), "{name} {edition} took place on {date} in {city}."),
        (AFTER, "{name} {edition} took place on {date} in {city}."),
    ],
)
def test_date_answer_changes_tense_with_the_clock(assistant: Assistant, now: datetime, expected: str) -> None:
    """Before the day a countdown, on the day "today", afterwards the past tense."""
    answer = assistant.answer("when is science for health?", "en", now)
    assert answer.faq_id == entry_for("when")
    assert fill(expected) in answer.text


def test_day_boundaries_follow_the_event_timezone(assistant: Assistant) -> None:
    """23:30 UTC the day before is already the event day in the event's timezone (ahead of UTC), so it is "today"."""
    late = datetime.combine(DAY - timedelta(days=1), time(23, 30), tzinfo=UTC)
    answer = assistant.answer("when is it", "en", late)
    assert "is today" in answer.text
    answer = assistant.answer("when is it", "en", late + timedelta(days=1))
    assert "took place" in answer.text


def test_a_question_asked_again_later_is_written_for_the_later_moment(kb_dir: Path) -> None:
    """The assistant decides a question once, but each answer speaks of its own moment: countdown, then past tense."""
    assistant = Assistant(load(kb_dir))
    early = assistant.answer("when is it?", "en", local(-12, 10))
    late = assistant.answer("when is it?", "en", AFTER)
    assert early.faq_id == late.faq_id == entry_for("when")
    assert fill("in 12 days") in early.text
    assert fill("{name} {edition} took place on {date}") in late.text
    assert assistant.answer("when is it?", "en", local(-12, 10)) == early


def test_countdown_counts_calendar_days_across_the_dst_change(kb_dir: Path) -> None:
    """Summer time ends on 26 October 2025; ten calendar days before a 4 November event is still "in 10 days"."""
    move_event(kb_dir, "2025-11-04")
    assistant = Assistant(load(kb_dir))
    answer = assistant.answer(
        "how many days until the event", "en", datetime.fromisoformat("2025-10-25T23:00:00+02:00")
    )
    assert "in 10 days" in answer.text


def test_venue_is_honest_about_what_the_article_does_not_say(assistant: Assistant) -> None:
    """The venue answer names the city and says the exact venue is not given, without inventing one."""
    answer = assistant.answer("where is the venue?", "en", BEFORE)
    assert answer.faq_id == entry_for("where")
    assert fill("{city}") in answer.text
    assert "not the exact venue" in answer.text


ORGANISERS_UNKNOWN = "The announcement gives no contact details for the organisers of {name} {edition}."


@pytest.mark.parametrize(
    ("lang", "question"), [("en", "who organises the event?"), ("fr", "qui organise l'événement ?")]
)
def test_an_answer_that_gives_nothing_asked_is_said_as_a_decline(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """No contact known: "who organises it?" gets the honest "no contact details", as a decline (no entry answered)."""
    answer = assistant.answer(question, lang, BEFORE)
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    expected = {"en": ORGANISERS_UNKNOWN, "fr": "L'annonce ne donne pas de coordonnées des organisateurs"}[lang]
    assert fill(expected, lang) in answer.text


def test_the_same_entry_answers_once_its_fact_is_known(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """With a contact in event.yaml the organisers' entry answers with it: only its "missing" text is a decline."""
    edit("event.yaml", "  contact: null", "  contact: hello@example.org")
    answer = Assistant(load(kb_dir)).answer("who organises the event?", "en", BEFORE)
    assert (answer.outcome, answer.faq_id) == ("answer", "organiser")
    assert "hello@example.org" in answer.text


@pytest.mark.parametrize("kind", ["suggest", "unable"])
def test_a_choice_is_never_an_entry_with_nothing_to_say(assistant: Assistant, kind: str) -> None:
    """A "did you mean" (or a declined booking's offer) leaves out the organisers' entry while no contact is known.

    With it the only choice, "did you mean" becomes the plain decline.
    """
    render = assistant.renderer("en", BEFORE)
    ranked = assistant.matcher.rank("contact the organisers about the venue", limit=3)
    assert "organiser" in [c.entry_id for c in ranked]
    answer = assistant.said("?", Decision(kind, 50.0, close=tuple(ranked)), render)  # type: ignore[arg-type]
    offered = [s.faq_id for s in answer.suggestions]
    assert "organiser" not in offered
    assert offered == [c.entry_id for c in ranked if c.entry_id != "organiser"]
    alone = tuple(c for c in ranked if c.entry_id == "organiser")
    answer = assistant.said("?", Decision(kind, 50.0, close=alone), render)  # type: ignore[arg-type]
    assert (answer.outcome, answer.suggestions) == ("decline", ())


def test_a_decline_lists_no_main_topic_with_nothing_to_say(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """A main topic with nothing to say (marked, no registration link) is not among the topics a decline offers."""
    faq_id = entry_for("register")
    edit("faq.yaml", f"- id: {faq_id}\n", f"- id: {faq_id}\n  when_missing: decline\n")
    assistant = Assistant(load(kb_dir), learned=False)
    assert assistant.answer_entry(faq_id, "en", BEFORE).outcome == "decline"  # type: ignore[union-attr]
    declined = assistant.answer("blorf zzz", "en", BEFORE)
    assert declined.outcome == "decline"
    topics = declined.text.split("I can tell you about: ")[1]
    assert str(KB.by_id[faq_id].title["en"]) not in topics
    assert str(KB.by_id[entry_for("when")].title["en"]) in topics


def test_the_topics_a_decline_lists_follow_the_moment(kb_dir: Path, edit: Callable[[str, str, str], None]) -> None:
    """A main topic is listed by a decline exactly at the moments it has something to say, by one assistant.

    No earlier edition known, the previous edition's entry speaks only once the event is over.
    """
    edit("faq.yaml", "- id: previous_edition\n", "- id: previous_edition\n  menu: true\n")
    assistant = Assistant(load(kb_dir), learned=False)
    for now in (BEFORE, AFTER, BEFORE):
        own = assistant.answer_entry("previous_edition", "en", now)
        assert own is not None
        listed = "Previous edition" in assistant.answer("blorf zzz", "en", now).text
        assert listed == (own.outcome == "answer"), now
    assert assistant.answer_entry("previous_edition", "en", AFTER).outcome == "answer"  # type: ignore[union-attr]


def test_an_entry_with_nothing_to_say_chosen_by_name_says_so_as_a_decline(assistant: Assistant) -> None:
    """A button or deep link to the organisers' entry (no contact known) gets its honest text, answering no entry."""
    answer = assistant.answer_entry("organiser", "en", BEFORE)
    assert answer is not None
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    assert answer.text == fill(ORGANISERS_UNKNOWN)


@pytest.mark.parametrize(
    ("question", "faq_id", "snippet"),
    [
        ("Who's giving the keynote?", "keynote", "{keynote_speaker}"),
        ("wat's the keynot title", "keynote_title", "{keynote_title}"),
        ("whats teh theme", "theme", "Stronger Regions, Greater Impact"),
        ("what does ATMP stand for", "atmp", "advanced therapy medicinal product"),
        ("how big are VC funds in europe", "vc_funds", "EUR 100 million"),
        ("how can i regster", "/register", "gives no registration link"),
        ("is there a ticket price", "price", "no ticket price"),
        ("which countries could belgium join forces with", "coalition", "Netherlands"),
        ("where is it hapening", "/where", "{city}"),
    ],
)
def test_paraphrases_and_typos_reach_the_right_entry(
    assistant: Assistant, question: str, faq_id: str, snippet: str
) -> None:
    """Realistic paraphrases with typos are answered from the right entry (``/x``: the entry that command opens)."""
    answer = assistant.answer(question, "en", BEFORE)
    expected = entry_for(faq_id[1:]) if faq_id.startswith("/") else faq_id
    assert (answer.faq_id, answer.outcome) == (expected, "answer")
    assert fill(snippet) in answer.text


@pytest.mark.parametrize(
    "question",
    ["tell me a joke", "what's the capital of France", "xkcd qwpoe zzkj", "how do I bake bread"],
)
def test_off_topic_questions_are_declined_with_the_topics(assistant: Assistant, question: str) -> None:
    """Off-topic questions get no confident answer; a decline lists what the bot knows."""
    answer = assistant.answer(question, "en", BEFORE)
    assert answer.faq_id is None
    assert answer.outcome == "decline"
    assert answer.text.startswith("Sorry, I don't know the answer to that. I can tell you about: Date, Venue")


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "what was the theme of science for health 2022"),
        ("en", "who gave the keynote in 2024?"),
        ("nl", "wie gaf de keynote in 2024?"),
        ("nl", "wat was het thema van de editie 2021?"),
        ("fr", "quel était le thème en 2022 ?"),
        ("fr", "qui a donné la keynote en 2023 ?"),
    ],
)
def test_another_years_edition_gets_no_confident_answer(assistant: Assistant, lang: Lang, question: str) -> None:
    """A question about a year the knowledge has no edition for is declined, not answered with this edition's facts."""
    answer = assistant.answer(question, lang, AFTER)
    assert answer.faq_id is None
    assert answer.outcome == "decline"
    assert fill("{keynote_speaker}") not in answer.text


def test_this_editions_year_is_still_answered(assistant: Assistant) -> None:
    """Naming the current edition's year keeps the ordinary answer."""
    answer = assistant.answer(f"when is science for health {DAY.year}?", "en", BEFORE)
    assert answer.faq_id == entry_for("when")
    assert fill("{date}") in answer.text


def test_a_past_edition_in_event_yaml_is_not_another_edition(kb_dir: Path) -> None:
    """A year listed under past_editions is known: the question is answered, not declined as another edition's."""
    events = kb_dir / "event.yaml"
    text = events.read_text(encoding="utf-8").replace("past_editions: []", "past_editions:")
    events.write_text(text.rstrip("\n") + '\n- edition: "2019"\n  date: 2019-11-05\n', encoding="utf-8")
    assistant = Assistant(load(kb_dir))
    assert not assistant.names_other_edition(assistant.years_named("who gave the keynote in 2019?", BEFORE))
    assert assistant.names_other_edition(assistant.years_named("who gave the keynote in 2018?", BEFORE))


@pytest.mark.parametrize(
    ("lang", "question"),
    [("en", "is it in ghent?"), ("en", "Is the event in Antwerp?"), ("nl", "is het in Antwerpen?"),
     ("nl", "is het in Gent?"), ("fr", "c'est à Namur ?"), ("fr", "c'est a Liege cette annee ?")],
)  # fmt: skip
def test_a_yes_no_check_of_the_city_gets_the_venue(assistant: Assistant, lang: Lang, question: str) -> None:
    """Asking whether it is in some Belgian city is answered with the real city, in the reader's language."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.faq_id == entry_for("where")
    assert fill("{city}", lang) in answer.text


def test_a_dutch_over_that_closes_no_sentence_keeps_its_where(assistant: Assistant) -> None:
    """Only a sentence-closing "over" joins "waar": "waar is het? ik wil meer weten over de sprekers" asks where."""
    answer = assistant.answer("waar is het? ik wil meer weten over de sprekers", "nl", BEFORE)
    assert answer.faq_id == entry_for("where")


@pytest.mark.parametrize("question", ["waar gaat het over?", "Waar gaat het congres dit jaar over?"])
def test_a_split_dutch_waarover_asks_what_it_is_about_not_where(assistant: Assistant, question: str) -> None:
    """Dutch "waar gaat het over?" is "what is it about?": the focus is answered, not the venue."""
    answer = assistant.answer(question, "nl", BEFORE)
    assert answer.faq_id not in (None, entry_for("where"))
    assert fill("{focus}", "nl") in answer.text


@pytest.mark.parametrize(
    ("lang", "question"), [("en", "is there parking?"), ("nl", "is er parking?"), ("fr", "il y a un parking ?")]
)
def test_a_word_the_knowledge_lacks_is_not_read_as_a_topic_with_another_first_letter(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """A word the knowledge lacks ("parking") is no typo of one it has ("speaking"): no confident keynote answer."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.faq_id is None
    assert fill("{keynote_speaker}") not in answer.text


def test_ambiguous_question_offers_did_you_mean(assistant: Assistant) -> None:
    """A half-understood question gets "did you mean" suggestions instead of a guess."""
    answer = assistant.answer("money", "en", BEFORE)
    assert answer.outcome == "suggest"
    assert answer.text == "I'm not sure I understood. Did you mean:"
    assert [s.faq_id for s in answer.suggestions][:2] == ["capital_solutions", "capital_markets"]
    assert all(s.question.endswith("?") for s in answer.suggestions)


@pytest.mark.parametrize(
    ("lang", "question", "command"),
    [
        ("en", "I manage a small lab in Leuven and I was wondering on which day the conference takes place.", "when"),
        ("en", "My team builds software for hospitals and we'd like to know, could you tell me where it is?", "where"),
        ("nl", "Ik ben verpleegkundige in Kortrijk en ik vroeg me af wanneer het congres is.", "when"),
        ("fr", "Je dirige une petite entreprise à Gosselies et je me demandais quand a lieu la conférence.", "when"),
    ],
)
def test_the_askers_context_before_i_was_wondering_is_no_part_of_the_question(
    assistant: Assistant, lang: Lang, question: str, command: str
) -> None:
    """Who asks and why, then "I was wondering" ("vroeg me af", "je me demandais"): what follows is answered."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.faq_id == entry_for(command)
    assert answer.outcome == "answer"


def test_context_about_the_asker_beside_a_question_does_not_hold_the_question_back(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan told after the question ("Dan kan ik ... regelen."), in words no phrasing uses, holds no answer back."""
    question = "Hoe laat begint het programma 's ochtends? Dan kan ik de opvang van de kinderen regelen."
    answer = assistant.answer(question, "nl", BEFORE)
    assert (answer.outcome, answer.faq_id) == ("answer", "time")  # the start time's entry, in both fixtures
    monkeypatch.setattr(Assistant, "asked_alone", lambda self, clean, lang, now: None)
    assert Assistant(KB).answer(question, "nl", BEFORE).faq_id is None  # the whole message alone is declined


@pytest.mark.parametrize("reader", ["en", "nl", "fr"])  # a reader's language may not be the message's
@pytest.mark.parametrize(
    "question",
    [
        "My car broke down on the highway. How do I fix it?",
        "My laptop is broken, the screen is black. How do I fix it?",
        "Ma voiture est en panne sur l'autoroute. Comment la réparer ?",
    ],
)
def test_a_problem_of_the_askers_own_before_a_short_question_is_not_answered_by_the_question_alone(
    assistant: Assistant, reader: Lang, question: str
) -> None:
    """A question of too few words the knowledge knows is not answered without what came before, for any reader."""
    assert assistant.answer(question, reader, BEFORE).faq_id is None


def test_the_words_a_question_alone_needs_are_what_declines_a_problem_of_the_askers_own(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a bar of one known word, "how do I fix it?" alone would answer the message ("fix": the capital fix)."""
    question = "My car broke down on the highway. How do I fix it?"
    monkeypatch.setattr(assistant_module, "ASKED_ALONE_WORDS", 1)
    assert Assistant(KB).answer(question, "en", BEFORE).faq_id is not None


SUBJECT = {"en": "What is the event about?", "nl": "Waar gaat het evenement over?", "fr": "De quoi parle l'événement ?"}


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "Is the conference mainly about medical devices this year?"),
        ("en", "So it's all about nutrition science, isn't it?"),
        ("nl", "Gaat het congres vooral over voeding?"),
        ("fr", "Est-ce que ça parle surtout de cybersécurité ?"),
        ("fr", "L'accent est-il mis sur la nutrition ?"),
        # the focus checked with the asker's value, no "on" ("is the focus X?", "the focus is X, right?")
        ("en", "Is the focus this year AI and digital health?"),
        ("en", "focus is AI and digital health right?"),
        ("nl", "Is de focus dit jaar medische hulpmiddelen?"),
        ("fr", "Le focus cette année, c'est la nutrition ?"),
    ],
)
def test_asking_whether_the_event_is_about_something_gets_what_it_is_about(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """Asked whether it is mainly about medical devices, whatever it names: the reply says what the event is about."""
    about = assistant.answer(SUBJECT[lang], lang, BEFORE)
    answer = assistant.answer(question, lang, BEFORE)
    assert about.outcome == "answer"
    assert (answer.outcome, answer.faq_id, answer.text) == ("answer", about.faq_id, about.text)


def test_a_request_that_mentions_what_it_is_about_is_no_such_question(assistant: Assistant) -> None:
    """A request saying what it is about ("help me with my poster? It's about nutrition.") asks nothing of the event."""
    answer = assistant.answer("Can you help me with my poster? It's about nutrition.", "en", BEFORE)
    assert answer.faq_id != assistant.answer(SUBJECT["en"], "en", BEFORE).faq_id


ATTRIBUTIONS = {
    "en": ("according to him", "in his view", "according to the speaker"),
    "nl": ("volgens hem", "naar zijn mening", "volgens de spreker"),
    "fr": ("d'après lui", "selon lui", "à son avis"),
}


@pytest.mark.parametrize("lang", ["en", "nl", "fr"])
def test_whose_view_is_asked_changes_no_answer(assistant: Assistant, lang: Lang) -> None:
    """Whose view is asked ("according to him", "volgens hem", "d'après lui") changes no phrasing's answer or score."""
    for entry in KB.entries:
        if not entry.topic:
            continue
        for question in entry.questions.get(lang, [])[:3]:
            plain = assistant.answer(question, lang, BEFORE)
            for attribution in ATTRIBUTIONS[lang]:
                asked = assistant.answer(f"{question}, {attribution}?", lang, BEFORE)
                said = (asked.faq_id, asked.score, asked.text)
                assert said == (plain.faq_id, plain.score, plain.text), asked.question


@pytest.mark.parametrize("question", ["", "   ", "???", "\x00\x07", "🙂🙂"])
def test_empty_or_symbol_only_messages_get_a_prompt(assistant: Assistant, question: str) -> None:
    """A message with nothing to match gets a friendly nudge with examples."""
    answer = assistant.answer(question, "en", BEFORE)
    assert (answer.faq_id, answer.outcome) == (None, "empty")
    assert answer.text.startswith(fill("Ask me a question about {name} {edition}"))


@pytest.mark.parametrize(
    ("lang", "question", "snippets"),
    [
        ("nl", "Wanneer is het congres?", ["{date}", "{city}", "over 15 dagen"]),
        ("fr", "C'est quand la conférence ?", ["{date}", "{city}", "dans 15 jours"]),
        ("nl", "wie geeft de keynote", ["{keynote_speaker}", "{keynote_roles}"]),
        ("fr", "où est la conférence", ["{city}", "pas encore le lieu exact"]),
    ],
)
def test_dutch_and_french_are_answered_in_their_language(
    assistant: Assistant, lang: str, question: str, snippets: list[str]
) -> None:
    """Dutch and French questions get answers, dates and countdowns in that language."""
    answer = assistant.answer(question, lang, BEFORE)  # type: ignore[arg-type]
    assert answer.lang == lang
    for snippet in snippets:
        assert fill(snippet, lang) in answer.text


def test_question_in_another_language_is_answered_in_the_users_language(assistant: Assistant) -> None:
    """A French question from a Dutch-speaking user is understood and answered in Dutch."""
    answer = assistant.answer("qui donne la keynote ?", "nl", BEFORE)
    assert answer.faq_id == "keynote"
    assert "geeft de keynote" in answer.text


def test_past_tense_in_every_language(assistant: Assistant) -> None:
    """After the event, Dutch and French also speak in the past tense."""
    assert fill("vond plaats op {date}", "nl") in assistant.answer("wanneer", "nl", AFTER).text
    assert fill("a eu lieu le {date}", "fr") in assistant.answer("quand", "fr", AFTER).text
    assert "est aujourd'hui" not in assistant.answer("quand", "fr", AFTER).text
    assert "c'est aujourd'hui" in assistant.answer("c'est quand", "fr", EVENT_DAY).text


@pytest.mark.parametrize(
    ("code", "lang"), [("nl-BE", "nl"), ("fr", "fr"), ("FR-be", "fr"), ("de", "en"), (None, "en"), ("", "en")]
)
def test_telegram_language_codes_map_to_supported_languages(code: str | None, lang: str) -> None:
    """Telegram's language_code picks nl or fr; anything else is English."""
    assert supported_lang(code) == lang


def test_answer_entry_for_buttons_and_unknown_ids(assistant: Assistant) -> None:
    """A topic id answers directly; an unknown one gives nothing."""
    answer = assistant.answer_entry(entry_for("themes"), "fr", BEFORE)
    assert answer is not None
    assert fill("{theme}", "fr") in answer.text
    assert fill("{theme_translation}", "fr") in answer.text
    assert assistant.answer_entry("nope", "en", BEFORE) is None


def test_suggestions_read_as_questions_with_proper_capitalisation() -> None:
    """A "did you mean" phrasing starts with a capital, writes English "I" as a capital, and ends with "?"."""
    assert as_question("how do i register", "en") == "How do I register?"
    assert as_question("is it in the city? ", "en") == "Is it in the city?"
    assert as_question("wanneer is het", "nl") == "Wanneer is het?"


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "how are you doing today?"),
        ("nl", "hoi, hoe gaat het met je?"),
        ("fr", "salut, comment ça va aujourd'hui ?"),
    ],
)
def test_small_talk_that_shares_only_a_question_word_with_an_entry_is_declined(lang: Lang, question: str) -> None:
    """Small talk ("how are you") shares only "how" with the registration entry: the model vetoes the matcher."""
    alone = Assistant(KB, learned=False).answer(question, lang, BEFORE)  # the matcher alone may answer it
    answer = Assistant(KB).answer(question, lang, BEFORE)
    assert answer.faq_id is None
    assert answer.outcome == ("decline" if alone.outcome == "answer" else alone.outcome)


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "who scored yesterday"),
        ("nl", "wat is de beste frituur in brussel"),
        ("fr", "comment obtenir une bourse de recherche"),
    ],
)
def test_a_question_the_model_calls_off_topic_gets_no_did_you_mean(lang: Lang, question: str) -> None:
    """Where the matcher alone offers "did you mean" ("yesterday" is a date word), the off-topic model declines."""
    alone = Assistant(KB, learned=False).answer(question, lang, BEFORE)
    assert alone.outcome == "suggest"  # the matcher alone would offer an entry
    answer = Assistant(KB).answer(question, lang, BEFORE)
    assert answer.outcome == "decline"
    assert answer.suggestions == ()
    assert answer.text == Assistant(KB).decline(question, Assistant(KB).renderer(lang, BEFORE), 0.0).text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "who gave the keynote last year?"),
        ("en", "what was the theme the year before?"),
        ("nl", "wie gaf vorig jaar de keynote?"),
        ("fr", "quel était le thème l'an dernier ?"),
        ("en", "is there an edition next year?"),
    ],
)
def test_last_or_next_year_before_the_edition_names_no_edition_the_knowledge_holds(lang: Lang, question: str) -> None:
    """Before the edition, "last year" is the year before it and "next year" the one after: no edition, no answer."""
    answer = Assistant(KB).answer(question, lang, BEFORE)
    assert answer.outcome == "decline"
    assert fill("{keynote_speaker}") not in answer.text
    assert fill("{theme}", lang) not in answer.text


def test_last_year_asked_after_the_edition_is_that_edition_in_the_past_tense() -> None:
    """A year after the edition, "who gave the keynote last year?" gets its keynote, in the past tense."""
    answer = Assistant(KB).answer("who gave the keynote last year?", "en", AFTER)
    assert answer.outcome == "answer"
    assert fill("took place on {date} in {city}; the keynote “{keynote_title}” was given by {keynote_speaker}") in (
        answer.text
    )


def test_last_year_asked_again_once_the_edition_took_place_is_decided_anew() -> None:
    """The same assistant declines "last year" before the edition and answers it after: the decision is not kept."""
    assistant = Assistant(KB)
    assert assistant.answer("who gave the keynote last year?", "en", BEFORE).outcome == "decline"
    after = assistant.answer("who gave the keynote last year?", "en", AFTER)
    assert after.outcome == "answer"
    assert fill("{keynote_speaker}") in after.text


def test_last_year_in_a_context_sentence_does_not_name_the_edition_asked_about() -> None:
    """Only question sentences name an edition: "I loved last year's. Who gives the keynote?" is about this one."""
    answer = Assistant(KB).answer("I loved last year's edition. Who gives the keynote this time?", "en", BEFORE)
    assert answer.outcome == "answer"
    assert fill("{keynote_speaker}") in answer.text


@pytest.mark.parametrize(
    ("lang", "question", "asks"),
    [
        ("en", "whne is the conference", "when"),  # two letters swapped
        ("en", "wehre is it?", "where"),
        ("nl", "wanner is het?", "when"),  # a letter missing
    ],
)
def test_a_typing_slip_in_a_question_word_is_read_as_the_word(lang: Lang, question: str, asks: str) -> None:
    """One slip (a letter swapped, missing or wrong) in a word of four letters or more: the word meant is understood."""
    answer = Assistant(KB).answer(question, lang, BEFORE)
    assert answer.outcome == "answer"
    assert answer.faq_id == entry_for(asks)


def without_verdict(text: str) -> str:
    """``text`` without the "Yes."/"No." a settled check opens with (in any of the three languages)."""
    first, _, rest = text.partition(" ")
    return rest if first in ("Yes.", "No.", "Ja.", "Nee.", "Oui.", "Non.") else text


def month_of_event(lang: Lang, width: str = "wide") -> str:
    """The fixture edition's month as Babel names it in ``lang`` (so the questions fit either edition)."""
    return format_date(KB.event.date, "MMMM" if width == "wide" else "MMM", locale=lang).rstrip(".").lower()


@pytest.mark.parametrize(
    ("lang", "with_day", "month_alone"),
    [
        ("en", "Is it on 5 {month}?", "Is it in {month}?"),
        ("en", "is it on the 11th of {month}?", "is it in {month}?"),
        ("en", "is it on {mon} 14?", "is it on {mon}?"),
        ("nl", "is het op 14 {month}?", "is het in {month}?"),
        ("nl", "4 of 5 {month}?", "{month}?"),
        ("fr", "c'est le 12 {month} ?", "c'est en {month} ?"),
    ],
)
def test_a_day_beside_a_month_is_read_as_the_month_alone(lang: Lang, with_day: str, month_alone: str) -> None:
    """A day of the month beside a month's name (Babel's names) is a value the asker proposes, not an unknown word."""
    assistant = Assistant(KB)
    names = {"month": month_of_event(lang), "mon": month_of_event(lang, "abbreviated")}
    answer = assistant.answer(with_day.format(**names), lang, BEFORE)
    alone = assistant.answer(month_alone.format(**names), lang, BEFORE)
    assert (answer.outcome, answer.faq_id) == (alone.outcome, alone.faq_id)
    # the same answer, opened by its own "Yes."/"No." where the check is settled (the day may be wrong, the month right)
    assert without_verdict(answer.text) == without_verdict(alone.text)
    if lang == "en" and "{month}" in with_day:  # the English vocabulary names every month (in full) a date word
        assert answer.faq_id == entry_for("when")
        assert fill("{date}") in answer.text


def test_a_question_proposing_what_an_entry_answers_gets_that_entry() -> None:
    """A guess in an unknown word ("is the keynote given by an astronaut?") gets the entry its known words ask for."""
    answer = Assistant(KB).answer("is the keynote given by an astronaut?", "en", BEFORE)
    assert answer.outcome == "answer"
    assert answer.faq_id == entry_for("keynote")


def test_a_request_with_an_entrys_word_is_not_answered_by_its_known_words_alone() -> None:
    """A request with an entry's word ("can you email me the keynote slides"), called off-topic, is not answered."""
    assert Assistant(KB).answer("can you email me the keynote slides", "en", BEFORE).faq_id is None


@pytest.mark.parametrize(
    ("lang", "question", "compared"),
    [
        ("en", "is the theme this year the same as {year}?", "in 2019"),
        ("nl", "is het thema dit jaar anders dan {year}?", "in 2019"),
        ("fr", "le thème de cette année est-il le même {year} ?", "qu'en 2019"),
    ],
)
def test_a_question_naming_this_edition_beside_another_year_is_about_this_edition(
    lang: Lang, question: str, compared: str
) -> None:
    """A year with no edition beside "this year" (vocabulary.yaml, ``years: 0``) only compares: the theme is meant."""
    assistant = Assistant(KB)
    answer = assistant.answer(question.format(year=compared), lang, BEFORE)
    assert answer.outcome in ("answer", "suggest")  # never the decline a year with no edition gets alone
    assert entry_for("themes") in (answer.faq_id, *(s.faq_id for s in answer.suggestions[:1]))
    assert assistant.answer("what was the theme in 2019?", "en", BEFORE).faq_id is None  # alone, still declined


def in_year(offset: int, month: int = 6) -> datetime:
    """Mid-``month`` of the calendar year ``offset`` years after the fixture edition's, at 10:00 event-local."""
    event = KB.event
    return datetime.combine(date(event.date.year + offset, month, 15), time(10, 0), tzinfo=event.tz)


def end_of_edition_year() -> datetime:
    """The last evening of the fixture edition's calendar year: it has taken place, and it is still "this year"."""
    event = KB.event
    return datetime.combine(date(event.date.year, 12, 31), time(18, 0), tzinfo=event.tz)


def test_this_year_in_a_later_year_is_a_year_with_no_edition() -> None:
    """Until the edition took place "this year" is it; asked in a later calendar year, a year the knowledge lacks."""
    assistant = Assistant(KB)
    assert assistant.answer("when is it this year?", "en", BEFORE).faq_id == entry_for("when")
    assert assistant.answer("when is it this year?", "en", in_year(1)).faq_id is None


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "which theme did the conference have this year?"),
        ("nl", "wat was het thema dit jaar?"),
        ("fr", "quel thème le congrès avait-il cette année ?"),
    ],
)
def test_this_year_asked_after_the_edition_in_its_own_year_is_the_edition_in_the_past_tense(
    lang: Lang, question: str
) -> None:
    """Weeks after the edition, in its calendar year, "this year" is still it: its theme, as the past tense says it."""
    assistant = Assistant(KB)
    answer = assistant.answer(question, lang, end_of_edition_year())
    expected = assistant.answer_entry(entry_for("themes"), lang, end_of_edition_year())
    assert expected is not None
    assert answer.text == expected.text
    assert fill("{theme}", lang) in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "who gave the keynote last year?"),
        ("nl", "wie gaf vorig jaar de keynote?"),
        ("fr", "qui a donné la keynote l'an dernier ?"),
    ],
)
def test_last_year_counts_from_the_calendar_year_asked_in(lang: Lang, question: str) -> None:
    """Last year is the year before the one asked in: none in the edition's December, it a year on, none after."""
    assistant = Assistant(KB)
    assert assistant.answer(question, lang, end_of_edition_year()).outcome == "decline"
    assert fill("{keynote_speaker}") in assistant.answer(question, lang, in_year(1)).text
    assert assistant.answer(question, lang, in_year(2)).outcome == "decline"


def test_a_month_name_that_is_an_everyday_word_keeps_the_number_beside_it() -> None:
    """In "may 2 people register?" the "may" is no month, so the "2" stays a word of the question."""
    assert without_days(["may", "2", "people", "register"]) == ["may", "2", "people", "register"]
    assert without_days(["is", "it", "on", "4", "november"]) == ["is", "it", "on", "november"]


@pytest.mark.parametrize("question", ["what is 17 times 23", "is it for 5 people?"])
def test_a_number_beside_no_month_still_counts_as_an_unknown_word(question: str) -> None:
    """A bare number is a date only beside a month or after French "le": "17 times 23" asks nothing about the date."""
    assert Assistant(KB).answer(question, "en", BEFORE).faq_id is None


@pytest.mark.parametrize("question", ["quels ateliers sont prévus ?", "quelles sessions sont prévues ?"])
def test_a_word_further_than_a_typo_from_a_known_one_is_not_read_as_it(question: str) -> None:
    """The French "prévus" ("planned") is two letters short of "previous": never the previous-edition answer.

    Asked after the event, when the previous-edition entry answers (before it, knowing no earlier edition, it declines).
    """
    assistant = Assistant(KB)
    previous = assistant.answer("what about the previous edition", "en", AFTER)
    assert previous.outcome == "answer"
    assert assistant.answer(question, "fr", AFTER).faq_id != previous.faq_id


@pytest.mark.parametrize(
    ("lang", "template"),
    [
        ("en", "translate to french: when is the conference?"),
        ("nl", "vertaal naar het Engels: waar is het congres?"),
        ("fr", "traduis en anglais : où a lieu la conférence ?"),
        ("fr", "traduis ce texte en néerlandais: merci pour l'invitation"),
        ("en", "translate to French: is it on a Tuesday?"),  # a check in the text settles nothing either
    ],
)
def test_a_request_to_translate_a_text_is_declined_whatever_the_text_asks(
    assistant: Assistant, lang: Lang, template: str
) -> None:
    """The text handed over to translate asks the date or the venue, or thanks: the bot translates nothing, declines."""
    answer = assistant.answer(template, lang, BEFORE)
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    assert fill("{city}", lang) not in answer.text


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "when is the conference? translate your answer to French please"),
        ("nl", "wanneer is het congres? vertaal je antwoord naar het Engels"),
        ("en", "I need someone to translate for me, when is the conference?"),
    ],
)
def test_a_question_that_also_mentions_translating_is_answered(assistant: Assistant, lang: Lang, question: str) -> None:
    """The request to translate does not open the message: its question is answered."""
    answer = assistant.answer(question, lang, BEFORE)
    assert answer.faq_id == entry_for("when")
    assert fill("{date}", lang) in answer.text


@pytest.mark.parametrize(
    "question",
    [
        "wat moet ik doen om me aan te melden?",
        "hoe ga ik te werk om in te schrijven",
        "tot wanneer kan ik me nog in te schrijven",
    ],
)
def test_a_dutch_verb_split_around_te_reads_as_the_whole_verb(assistant: Assistant, question: str) -> None:
    """A Dutch separable verb split by "te" ("om in te schrijven": "inschrijven") still asks how to register."""
    assert assistant.answer(question, "nl", BEFORE).faq_id == entry_for("register")


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "Please book me a seat for the conference."),
        ("en", "can you register me and my colleague?"),
        ("nl", "Kun jij me even inschrijven?"),
        ("nl", "Schrijf mij maar in, aub"),
        ("fr", "Réserve-moi une place, s'il te plaît."),
        ("fr", "Pouvez-vous m'inscrire ?"),
    ],
)
def test_a_request_to_book_or_register_is_declined_with_registration_offered(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """The bot cannot sign anyone up: it says so (no entry answered), offers the registration topic as a button."""
    answer = assistant.answer(question, lang, BEFORE)
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    assert answer.text == assistant.renderer(lang, BEFORE).ui("unable_to_book")
    assert [s.faq_id for s in answer.suggestions] == [entry_for("register")]


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "How do I register?"),
        ("en", "can you send me the link to register?"),
        ("nl", "moet ik me inschrijven?"),
        ("nl", "Kan ik me nog inschrijven?"),
        ("fr", "Comment je m'inscris ?"),
        ("fr", "Pourriez-vous me dire comment m'inscrire ?"),
    ],
)
def test_asking_how_to_register_is_still_answered(assistant: Assistant, lang: Lang, question: str) -> None:
    """The asker acts ("how do I", "moet ik me", "comment je m'inscris") or asks for a link: registration answered."""
    assert assistant.answer(question, lang, BEFORE).faq_id == entry_for("register")


@pytest.mark.parametrize(
    ("lang", "question"),
    [
        ("en", "Will the keynote be livestreamed?"),
        ("en", "Will the sessions be recorded so I can watch later?"),
        ("nl", "wordt de keynote opgenomen?"),
        ("fr", "la keynote sera-t-elle filmée ?"),
    ],
)
def test_asking_what_is_done_to_a_topic_is_no_check_of_its_value(
    assistant: Assistant, lang: Lang, question: str
) -> None:
    """A passive names the keynote but asks about a recording the knowledge does not give: no entry is answered."""
    assert assistant.answer(question, lang, BEFORE).faq_id is None


@pytest.mark.parametrize(
    ("lang", "question", "command"),
    [
        ("en", "Remind me who does the keynote?", "keynote"),
        ("en", "could you remind me what the theme is", "themes"),
        ("nl", "herinner me eraan wanneer het is", "when"),
        ("fr", "rappelle-moi quand c'est", "when"),
    ],
)
def test_remind_me_before_a_question_asks_that_question(
    assistant: Assistant, lang: Lang, question: str, command: str
) -> None:
    """A reminder asked for before a question word asks to be told again: the question it opens is answered."""
    assert assistant.answer(question, lang, BEFORE).faq_id == entry_for(command)
