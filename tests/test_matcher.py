"""The matcher on small knowledge bases built in the test: languages, long messages, neutral words, passages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from bot.matcher import Matcher, Phrasing, _Words
from bot.text import Normaliser, asks_for_something, clauses, sentences, typo_of

EN = Normaliser.build(
    {
        "venue": ["location", "place"],
        "when": ["what day"],
        "hello": ["hi", "good morning"],
        "register": ["sign up", "book"],
    },
    ["is", "the", "it", "i", "a", "do", "how", "can", "from", "for", "this", "and", "am", "im", "m", "in", "my", "to"],
    ["hello", "thanks", "quick question", "flying in", "colleague"],
)
NL = Normaliser.build(
    {"venue": ["locatie", "plek"], "when": ["wanneer"], "hello": ["hallo", "hoi"], "register": ["inschrijven"]},
    ["is", "de", "het", "ik", "me", "hoe", "kan", "waar", "een"],
    ["hallo", "bedankt"],
)
PHRASINGS = [
    Phrasing("venue", "en", "what is the location"),
    Phrasing("venue", "en", "where is the venue"),
    Phrasing("date", "en", "when is the conference"),
    Phrasing("date", "en", "what day is it"),
    Phrasing("signup", "en", "how do i sign up"),
    Phrasing("greeting", "en", "hello"),
    Phrasing("keynote", "en", "who gives the keynote speech"),
]


def matcher() -> Matcher:
    """A matcher over English phrasings that understands English and Dutch."""
    return Matcher(PHRASINGS, {"en": EN, "nl": NL})


def best(question: str) -> tuple[str | None, float]:
    """The best entry for ``question`` and its score."""
    ranked = matcher().rank(question, 1)
    return (ranked[0].entry_id, ranked[0].score) if ranked else (None, 0.0)


def test_a_dutch_question_matches_english_phrasings_through_shared_concepts() -> None:
    """The words "wanneer" and "locatie" map to the concepts the English phrasings use: one vocabulary."""
    assert best("wanneer is het")[0] == "date"
    assert best("wat is de locatie")[0] == "venue"
    assert best("hoe kan ik me inschrijven") == ("signup", 100.0)


def test_greetings_and_thanks_do_not_count_against_a_question() -> None:
    """A neutral word next to a question leaves its score as it was; alone, it is the message."""
    assert best("hi, how do i sign up") == best("how do i sign up")
    assert best("hallo, wat is de locatie")[1] == best("wat is de locatie")[1]
    assert best("hi")[0] == "greeting"
    assert best("good morning")[0] == "greeting"


def test_a_question_inside_a_long_message_is_found() -> None:
    """Context sentences before and after the question do not sink it."""
    alone = best("where is the venue")
    wrapped = best(
        "Hello! I'm flying in from Lisbon for this, quick question. Where is the venue? My colleague asked too."
    )
    assert wrapped[0] == "venue"
    assert wrapped[1] >= alone[1] - 10


def test_an_off_topic_question_inside_a_long_message_stays_low() -> None:
    """Chatty context around an unrelated request does not borrow a match from the context."""
    _, score = best(
        "Hi! I'm flying in from Lisbon for this. Which restaurants near the harbour serve grilled sardines tonight?"
    )
    assert score < 50


def test_sentences_split_on_end_punctuation_and_dashes_but_not_inside_numbers() -> None:
    """Sentences end at . ! ? ; : line breaks and spaced dashes; "2.5" and "e-mail" stay whole."""
    assert sentences("Hi! Quick question - is it 2.5 days. Thanks.\nBye") == [
        "Hi",
        "Quick question",
        "is it 2.5 days",
        "Thanks",
        "Bye",
    ]
    assert sentences("my e-mail address") == ["my e-mail address"]
    assert sentences(" ?! ") == []


def test_after_the_askers_context_a_lead_starts_the_question() -> None:
    """A message like "..., and I was wondering when it is?" is read as the question after the lead."""
    assert sentences("I run a lab in Leuven and I was wondering when it is?") == ["when it is"]
    assert sentences("Ik werk in Gent en vroeg me af waar het is.") == ["Ik werk in Gent en", "waar het is"]
    assert sentences("Je suis médecin et je voudrais savoir quand c'est.") == ["Je suis médecin et", "quand c'est"]
    assert sentences("do you know when it is?") == ["do you know when it is"]  # no context: the lead stays
    assert sentences("Do you know when it is?", questions_only=False) == ["Do you know when it is"]


def test_when_a_message_asks_something_only_its_questions_are_scored_alone() -> None:
    """Statements around a question are context: "I fly in tomorrow." is not answered by itself."""
    assert sentences("Hello! I fly in tomorrow. Where is the venue? See you there.") == ["Where is the venue"]
    assert sentences("Bonjour, je viens de Lyon. Où est le lieu ?") == ["Où est le lieu"]
    _, score = best("Hi! I'm flying in from Lisbon. What day is it? Is there a restaurant near the hotel?")
    assert best("Hi! I'm flying in from Lisbon. What day is it? Is there a restaurant near the hotel?")[0] == "date"
    assert score >= best("what day is it")[1] - 10


def test_phrases_match_longest_first_and_neutral_phrases_only_when_alone() -> None:
    """The phrase "sign up" is one concept; "quick question" is dropped next to content and nothing when alone."""
    assert EN.tokens("how do i sign up") == ("register",)
    assert EN.tokens("quick question: the location?") == ("venue",)
    assert EN.tokens("quick question") == ("quick", "question")
    assert EN.tokens("quick question", keep_neutral=False) == ()


def test_loose_phrasings_are_scored_mostly_on_how_much_of_the_question_they_explain() -> None:
    """A long passage text matching every question word scores high although the question covers little of it."""
    text = "The keynote speaker chairs the board of a biotech cluster and runs a research institute in the region"
    passage = Phrasing("passage:bio", "en", text, loose=True)
    strict = Phrasing("other", "en", text)
    ranked = Matcher([*PHRASINGS, passage, strict], {"en": EN}).rank("chairs the board of the biotech cluster", 3)
    scores = {c.entry_id: c.score for c in ranked}
    assert scores["passage:bio"] > 85
    assert scores["passage:bio"] > scores["other"] + 15


def test_rank_only_keeps_other_entries_as_word_weights_but_never_ranks_them() -> None:
    """With ``rank_only`` the other entries are not candidates; ``keep`` filters the ranking too."""
    extra = Phrasing("passage:bio", "en", "the venue opens its doors early", loose=True)
    only = Matcher([*PHRASINGS, extra], {"en": EN}, rank_only=lambda i: i.startswith("passage:"))
    assert [c.entry_id for c in only.rank("where is the venue", 5)] == ["passage:bio"]
    assert [c.entry_id for c in matcher().rank("where is the venue", 5, keep=lambda i: i != "venue")] != ["venue"]


def test_plurals_and_typos_reach_the_known_word() -> None:
    """The word "countries" is read as "country" and "locaton" as "location" (a synonym of venue)."""
    phrasings = [Phrasing("coalition", "en", "which country could join"), *PHRASINGS]
    ranked = Matcher(phrasings, {"en": EN}).rank("which countries could join", 1)
    assert ranked[0].entry_id == "coalition"
    assert ranked[0].score >= 90
    assert best("what is the locaton")[0] == "venue"


def test_only_neighbouring_letters_swapped_make_a_stop_word_typo() -> None:
    """A stop word mistyped ("teh") weighs nothing; "ESMO" has the letters of "some" but is a name the theme lacks."""
    english = Normaliser.build({}, ["what", "is", "the", "of", "some"])
    themes = Matcher([Phrasing("theme", "en", "what is the theme")], {"en": english})
    assert themes.rank("what is teh theme", 1)[0].score == 100.0
    assert themes.rank("what is the theme of ESMO", 1)[0].score < 80


def test_a_passage_keeps_all_its_sentences_even_when_one_asks_a_question() -> None:
    """Passage texts are split into every sentence; only a user's message drops its statements."""
    text = "The keynote tackles the tough questions: what are we missing? We can lead the way."
    assert sentences(text, questions_only=False) == [
        "The keynote tackles the tough questions",
        "what are we missing",
        "We can lead the way",
    ]
    assert sentences(text) == ["what are we missing"]


@settings(max_examples=200, deadline=None)
@given(
    word=st.text(alphabet="abcdeilnorstu", min_size=1, max_size=14),
    known=st.lists(st.text(alphabet="abcdeilnorstu", min_size=1, max_size=20), min_size=1, max_size=60),
    cutoff=st.sampled_from([80, 85, 90]),
)
def test_a_typo_is_corrected_to_the_word_a_search_of_every_known_word_finds(
    word: str, known: list[str], cutoff: int
) -> None:
    """Looking only at words of a length that can reach the cutoff finds what a search of every word finds."""
    found = _Words(known).closest(word, cutoff)
    same_start = sorted({k for k in known if k[:1] == word[:1]})  # a typo keeps its first letter
    everywhere = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=cutoff)
    assert (found[1] if found else None) == (everywhere[1] / 100 if everywhere else None)
    if found is not None:
        assert fuzz.ratio(word, found[0]) == everywhere[1]  # type: ignore[index]


@settings(max_examples=200, deadline=None)
@given(word=st.text(alphabet="abcdeilnorstu", min_size=4, max_size=14), data=st.data())
def test_two_letters_swapped_after_the_first_are_read_as_the_word(word: str, data: st.DataObject) -> None:
    """A typing slip that swaps two neighbouring letters (not the first) is corrected to the word typed."""
    at = data.draw(st.integers(min_value=1, max_value=len(word) - 2))
    slipped = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    found = typo_of(slipped, [word])
    assert found is not None
    assert found[0] == word


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Our lab is planning the autumn, on which day does the event take place",
            ["Our lab is planning the autumn", "on which day does the event take place"],
        ),
        ("hi, how are you", []),
        ("when is it", []),
        ("one, two, three words here", []),
        ("a b c, d e f, g", ["a b c", "d e f"]),
    ],
)
def test_a_sentence_splits_into_clauses_only_where_two_parts_can_stand_alone(
    sentence: str, expected: list[str]
) -> None:
    """Clauses are the parts between commas of three words or more, and only when two or more are."""
    assert clauses(sentence) == expected


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("where is ASCO held", True),
        ("What\u2019s the focus?", True),
        ("Wanneer gaat dat door?", True),
        ("Où se tient-il ?", True),
        ("qu'est-ce que c'est ?", True),
        ("is it in Ghent?", False),
        ("klopt het dat het in Gent is?", False),
        ("c'est le 4 ou le 5 ?", False),  # "ou" is "or"; "où" is "where"
        ("est-ce que la keynote est donnée par un ministre ?", False),
        ("who's giving the keynote?", True),  # "'s" after a question word
        ("d'où vient-il ?", True),  # an elision before one
        ("qu'a-t-il dit ?", True),
        ("est-ce qu'il faut s'inscrire ?", False),  # "qu'il" is no question word
        ("Est-ce qu\u2019on peut venir ?", False),
        ("is het waar dat de keynote door hem is?", False),  # "waar" is "true" here
        ("ou\u0300 est-ce ?", True),  # "où" written with a combining accent
    ],
)
def test_a_question_word_tells_a_question_asking_for_something_from_a_check(text: str, asks: bool) -> None:
    """English, Dutch and French question words mark a question asking for something; a yes/no check has none."""
    assert asks_for_something(text) is asks
