"""The second answer tier: article passages in knowledge/passages.yaml, quoted when no entry is confident."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.knowledge import Knowledge, KnowledgeError, Lang, load
from tests.conftest import BEFORE
from tests.test_cli import run_bot

SHUTTLE = "A shuttle bus leaves the central railway station every twenty minutes from the north entrance."
PASSAGES = f"""passages:
- id: shuttle
  heading: Getting around
  text: "{SHUTTLE}"
  questions:
    nl: [hoe vaak rijdt de pendelbus]
- id: catering
  text: "Vegetarian lunch boxes are served in the foyer after the morning sessions."
"""


def quoted(knowledge: Knowledge, lang: Lang, text: str, lead_in: str = "passage_answer") -> str:
    """The reply quoting ``text`` after the ``lead_in`` of ``lang``'s locale."""
    return str(knowledge.locales[lang][lead_in].text).replace("{text}", text)


@pytest.fixture
def with_passages(kb_dir: Path) -> Path:
    """A copy of the knowledge folder whose passages.yaml holds two passages written for the test."""
    (kb_dir / "passages.yaml").write_text(PASSAGES, encoding="utf-8")
    return kb_dir


def test_the_best_passage_is_quoted_with_the_lead_in_of_the_readers_language(with_passages: Path) -> None:
    """No entry knows about the shuttle: the passage is quoted, introduced by the locale's lead-in."""
    knowledge = load(with_passages)
    assistant = Assistant(knowledge)
    answer = assistant.answer("how often does the shuttle bus leave the railway station?", "en", BEFORE)
    assert (answer.faq_id, answer.outcome) == ("passage:shuttle", "answer")
    assert answer.text == quoted(knowledge, "en", SHUTTLE)
    dutch = assistant.answer("hoe vaak rijdt de pendelbus?", "nl", BEFORE)
    assert dutch.faq_id == "passage:shuttle"
    assert dutch.text == quoted(knowledge, "nl", SHUTTLE)


PENDELBUS = "Elke twintig minuten vertrekt er een pendelbus aan de noordingang van het centraal station."
NAVETTE = "Une navette part de l'entrée nord de la gare centrale toutes les vingt minutes."


def translated(kb_dir: Path) -> Path:
    """``kb_dir`` whose shuttle passage also holds its Dutch and French translations."""
    path = kb_dir / "passages.yaml"
    path.write_text(
        PASSAGES.replace(
            f'  text: "{SHUTTLE}"\n',
            f'  text: "{SHUTTLE}"\n  translations:\n    nl: "{PENDELBUS}"\n    fr: "{NAVETTE}"\n',
        ),
        encoding="utf-8",
    )
    return kb_dir


def test_a_translated_passage_is_quoted_in_the_readers_language(kb_dir: Path) -> None:
    """A Dutch question in words only the translation holds gets the Dutch text; English readers the article's own."""
    knowledge = load(translated(kb_dir))
    assistant = Assistant(knowledge)
    dutch = assistant.answer("om de hoeveel minuten vertrekt de pendelbus aan de noordingang?", "nl", BEFORE)
    assert (dutch.faq_id, dutch.outcome) == ("passage:shuttle", "answer")
    assert dutch.text == quoted(knowledge, "nl", PENDELBUS, "passage_answer_translated")
    french = assistant.answer("la navette part toutes les combien de minutes de la gare ?", "fr", BEFORE)
    assert french.faq_id == "passage:shuttle"
    assert french.text == quoted(knowledge, "fr", NAVETTE, "passage_answer_translated")
    english = assistant.answer("how often does the shuttle bus leave the railway station?", "en", BEFORE)
    assert english.text == quoted(knowledge, "en", SHUTTLE)


def test_a_passage_without_the_readers_translation_is_quoted_as_written(with_passages: Path) -> None:
    """The catering passage has no translation: a French reader gets the article's text, said to be in English."""
    knowledge = load(with_passages)
    answer = Assistant(knowledge).answer("vegetarian lunch boxes served in the foyer?", "fr", BEFORE)
    assert answer.faq_id == "passage:catering"
    assert answer.text == quoted(
        knowledge, "fr", "Vegetarian lunch boxes are served in the foyer after the morning sessions."
    )


def test_a_translation_into_the_articles_own_language_is_reported_with_its_line(kb_dir: Path) -> None:
    """``translations: {en: ...}`` would be a second English text: the error names the file, line and field."""
    path = translated(kb_dir) / "passages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    nl: ", "    en: ", 1), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("  translations:") + 1
    with pytest.raises(KnowledgeError) as caught:
        load(kb_dir)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        p.startswith(f"{path}:{line}:") and "translations" in p and "'en' is the article's own language" in p
        for p in problems
    ), problems


def test_a_confident_entry_wins_over_the_passages(with_passages: Path) -> None:
    """Asking an entry's own phrasing answers the entry, not a passage."""
    knowledge = load(with_passages)
    entry = knowledge.menu[0]
    answer = Assistant(knowledge).answer(entry.questions["en"][0], "en", BEFORE)
    assert answer.faq_id == entry.id


def test_off_topic_questions_are_still_declined_with_passages(with_passages: Path) -> None:
    """A question about neither the entries nor the passages gets no confident answer."""
    answer = Assistant(load(with_passages)).answer("how do I bake sourdough bread at home?", "en", BEFORE)
    assert answer.faq_id is None


def test_ask_json_gives_a_passage_answer_a_faq_id(with_passages: Path) -> None:
    """``ask --json`` keeps its contract; a quoted passage has faq_id "passage:<id>" (not null)."""
    result = run_bot(
        "ask",
        "--json",
        "--kb",
        str(with_passages),
        "--now",
        BEFORE.isoformat(),
        "when are vegetarian lunch boxes served",
    )
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert set(reply) == {"question", "answer", "faq_id", "score", "suggestions", "lang", "outcome"}
    assert (reply["faq_id"], reply["outcome"]) == ("passage:catering", "answer")
    assert "Vegetarian lunch boxes" in reply["answer"]


def test_a_duplicate_passage_id_is_reported_with_its_line(with_passages: Path) -> None:
    """Two passages with one id: the error names the file and the second one's line."""
    path = with_passages / "passages.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- id: catering", "- id: shuttle"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index("- id: shuttle", 2) + 1
    with pytest.raises(KnowledgeError) as caught:
        load(with_passages)
    assert f"{path}:{line}: passage 'shuttle': duplicate id" in [str(p) for p in caught.value.problems]


def test_an_unknown_passage_field_is_reported(with_passages: Path) -> None:
    """A misspelt field (``txt``) is an error in passages.yaml, not silently ignored."""
    path = with_passages / "passages.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('  text: "Vegetarian', '  txt: "Vegetarian'), encoding="utf-8"
    )
    with pytest.raises(KnowledgeError) as caught:
        load(with_passages)
    assert any(str(p).startswith(f"{path}:") and "txt" in str(p) for p in caught.value.problems)


def test_without_passages_the_assistant_answers_entries_only(kb_dir: Path) -> None:
    """passages.yaml is optional: without it nothing is quoted and entries still answer."""
    (kb_dir / "passages.yaml").unlink()
    knowledge = load(kb_dir)
    assert knowledge.passages == ()
    assistant = Assistant(knowledge)
    assert assistant.answer("how often does the shuttle bus leave?", "en", BEFORE).faq_id is None
    entry = knowledge.menu[0]
    assert assistant.answer(entry.questions["en"][0], "en", BEFORE).faq_id == entry.id


def test_a_neutral_word_that_names_a_topic_is_warned_about(kb_dir: Path) -> None:
    """Listing a topic's synonym as neutral would silence the topic everywhere: `check` says so, with the line."""
    synonyms = load(kb_dir).vocabulary["en"].synonyms
    concept, word = next((key, v) for key, variants in synonyms.items() for v in variants if " " not in v and v != key)
    path = kb_dir / "vocabulary.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\n  neutral: [" in text
    path.write_text(text.replace("\n  neutral: [", f"\n  neutral: [{word}, ", 1), encoding="utf-8")
    warnings = [str(w) for w in load(kb_dir).warnings]
    expected = f"en: neutral word '{word}' is a synonym of '{concept}'"
    assert any(w.startswith(f"{kb_dir / 'vocabulary.yaml'}:") and expected in w for w in warnings), warnings
