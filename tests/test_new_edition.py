"""The next edition: starting it from an announcement, what ``check`` says afterwards, the archive and translations.

Behaviour tests on the fixture edition (they also run on edition_b); the organiser's whole run on the shipped
knowledge is in test_shipped_new_edition.py.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.__main__ import main
from bot.assistant import Assistant
from bot.knowledge import Knowledge, load
from bot.new_edition import find_date, find_edition, passages_of
from tests.conftest import BEFORE, KB, entry_for, fill

NEXT = str(KB.event.date.year + 1)
PAST = "2001"
ANNOUNCEMENT = f"""Science for Health returns in {NEXT}
The event on 12 March {NEXT} in Mechelen will focus on vaccines.
Why vaccines matter
“We can make them here,” says Ann Peeters.
"""


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def add_past_edition(kb_dir: Path, city: str, speaker: str) -> None:
    """Prepend a ``PAST`` edition to ``past_editions`` in the copy's event.yaml (every fact, as the command does)."""
    path = kb_dir / "event.yaml"
    document = _yaml().load(path.read_text(encoding="utf-8"))
    past = document.get("past_editions") or []
    facts: dict[str, object] = {name: {**texts} for name, texts in KB.facts.items()}
    facts.update(city=city, keynote_speaker=speaker)
    past.insert(0, {"edition": PAST, "date": date(int(PAST), 5, 3), "facts": facts})
    document["past_editions"] = past
    with path.open("w", encoding="utf-8") as out:
        _yaml().dump(document, out)


def add_phrasing(kb_dir: Path, command: str, question: str) -> None:
    """Add an English phrasing to the entry that ``/command`` opens, in the copy's faq.yaml."""
    path = kb_dir / "faq.yaml"
    document = _yaml().load(path.read_text(encoding="utf-8"))
    entry = next(e for e in document["entries"] if e.get("command") == command)
    entry["questions"]["en"].append(question)
    with path.open("w", encoding="utf-8") as out:
        _yaml().dump(document, out)


def run(*args: str) -> int:
    """``python -m bot`` with ``args``, in-process."""
    return main(list(args))


def test_the_announcement_gives_the_edition_date_and_passages() -> None:
    """The year after the current one, the first date of that year, and one passage per paragraph under its heading."""
    assert find_edition(ANNOUNCEMENT, KB.event.edition) == NEXT
    assert find_date(ANNOUNCEMENT, NEXT) == date(int(NEXT), 3, 12)
    assert find_date("le 3 novembre 2031 à Liège", "2031") == date(2031, 11, 3)
    passages = passages_of(ANNOUNCEMENT)
    assert [p.get("heading") for p in passages] == [None, None, "Why vaccines matter"]
    assert passages[2]["text"] == "“We can make them here,” says Ann Peeters."


def test_new_edition_archives_the_current_one_and_check_lists_each_fact_to_fill(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After the command the old edition is in past_editions; check names each empty fact once, with its line."""
    announcement = tmp_path / "announcement.txt"
    announcement.write_text(ANNOUNCEMENT, encoding="utf-8")
    assert run("new-edition", str(announcement), "--kb", str(kb_dir)) == 0
    printed = capsys.readouterr().out
    assert f"Edition {KB.event.edition} archived" in printed
    assert f"Edition {NEXT} on {NEXT}-03-12: 3 passages" in printed
    assert "facts.city (was: " in printed
    assert (kb_dir / "editions" / NEXT / "article.txt").read_text(encoding="utf-8") == ANNOUNCEMENT
    assert run("check", "--kb", str(kb_dir)) == 1
    errors = capsys.readouterr().err
    assert f"{kb_dir / 'event.yaml'}:" in errors
    assert "fact 'city' has no value yet: fill it in" in errors
    assert "which is empty in event.yaml" not in errors  # one message per fact, not one per answer


@pytest.mark.parametrize(
    ("text", "arguments", "message"),
    [
        ("An event without a year.", [], "names no year after"),
        (f"Science for Health {NEXT}, date to be announced.", [], "--date YYYY-MM-DD"),
        (ANNOUNCEMENT, ["--edition", KB.event.edition], "is already in"),
        ("", [], "the announcement is empty"),
    ],
)
def test_new_edition_refuses_what_it_cannot_do_and_changes_nothing(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, arguments: list[str], message: str
) -> None:
    """No year, no date, an edition already there or an empty file: one clear line, exit 1, the folder untouched."""
    announcement = tmp_path / "announcement.txt"
    announcement.write_text(text, encoding="utf-8")
    event = (kb_dir / "event.yaml").read_text(encoding="utf-8")
    assert run("new-edition", str(announcement), "--kb", str(kb_dir), *arguments) == 1
    error = capsys.readouterr().err
    assert message in error
    assert "nothing was changed" in error
    assert (kb_dir / "event.yaml").read_text(encoding="utf-8") == event
    assert not (kb_dir / "editions" / NEXT).exists()


def test_new_edition_on_a_broken_knowledge_base_lists_its_problems(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A knowledge base that does not load is not archived: the problems are listed with file and line."""
    (kb_dir / "faq.yaml").write_text("entries: [\n", encoding="utf-8")
    announcement = tmp_path / "announcement.txt"
    announcement.write_text(ANNOUNCEMENT, encoding="utf-8")
    assert run("new-edition", str(announcement), "--kb", str(kb_dir)) == 1
    error = capsys.readouterr().err
    assert "fix the knowledge base first" in error
    assert f"{kb_dir / 'faq.yaml'}:" in error


def test_new_edition_with_a_missing_announcement_says_so(
    kb_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wrong path is one line naming it, not a traceback."""
    assert run("new-edition", str(tmp_path / "nothing.txt"), "--kb", str(kb_dir)) == 1
    assert f"{tmp_path / 'nothing.txt'}: cannot be read" in capsys.readouterr().err


def test_check_warns_where_the_knowledge_still_names_the_previous_edition(kb_dir: Path) -> None:
    """A literal leftover of the previous edition's speaker is a warning naming the file and line."""
    add_past_edition(kb_dir, "Leuven", "Ann Peeters")
    add_phrasing(kb_dir, "where", "will ann peeters be there")
    warnings = [str(w) for w in load(kb_dir).warnings]
    found = [w for w in warnings if "names 'ann peeters', the keynote_speaker of the previous edition (2001)" in w]
    assert len(found) == 1
    assert found[0].startswith(f"{kb_dir / 'faq.yaml'}:")


@pytest.fixture
def with_past(kb_dir: Path) -> Assistant:
    """An assistant over a copy with a past edition in another city (no learned model: the matcher decides)."""
    add_past_edition(kb_dir, "Leuven", "Ann Peeters")
    return Assistant(load(kb_dir), learned=False)


def test_a_question_naming_a_past_edition_is_answered_from_the_archive_in_the_past_tense(with_past: Assistant) -> None:
    """Asking where it was in 2001 gets the 2001 city, after a lead-in saying when that edition took place."""
    answer = with_past.answer(f"where was it in {PAST}?", "en", BEFORE)
    assert answer.faq_id is not None
    assert answer.faq_id.startswith(f"archive:{PAST}/")
    assert "Leuven" in answer.text
    assert "which took place on" in answer.text
    assert fill("{city}") not in answer.text


def test_a_past_edition_with_nothing_to_say_says_so_as_a_decline(with_past: Assistant) -> None:
    """Who organised the 2001 edition (no contact known then): that edition's honest text, declined, not the generic."""
    answer = with_past.answer(f"who organised the {PAST} edition?", "en", BEFORE)
    assert (answer.outcome, answer.faq_id) == ("decline", None)
    assert "gives no contact details for the organisers" in answer.text
    assert "which took place on" in answer.text


def test_a_year_of_no_edition_is_declined(with_past: Assistant) -> None:
    """A year that is neither the current edition's nor an archived one is declined, as before."""
    answer = with_past.answer("where was it in 1990?", "en", BEFORE)
    assert answer.faq_id is None
    assert answer.outcome == "decline"


def test_an_answer_without_a_translation_is_all_in_english(knowledge: Knowledge) -> None:
    """A French reader of an entry with no French answer gets the English answer with English facts, never a mix."""
    faq_id = entry_for("where")
    untranslated = [
        e.model_copy(update={"answer": {k: v for k, v in e.answer.items() if k != "fr"}}) if e.id == faq_id else e
        for e in knowledge.entries
    ]
    assistant = Assistant(dataclasses.replace(knowledge, entries=tuple(untranslated)), learned=False)
    text = assistant.answer_entry(faq_id, "fr", BEFORE)
    english = Assistant(knowledge, learned=False).answer_entry(faq_id, "en", BEFORE)
    assert text is not None
    assert english is not None
    assert text.text == english.text
    assert fill("{city}", "fr") == fill("{city}", "en") or fill("{city}", "fr") not in text.text


@pytest.mark.parametrize(("group", "warned"), [(["zaventem", "{city}"], False), (["zaventem", "diegem"], True)])
def test_an_old_city_in_the_vocabulary_is_a_leftover_only_outside_a_list_with_the_current_one(
    kb_dir: Path, group: list[str], warned: bool
) -> None:
    """Old city names beside the current city (a list of places people guess) stay quiet; alone, they are a leftover."""
    add_past_edition(kb_dir, "Zaventem", "Ann Peeters")
    path = kb_dir / "vocabulary.yaml"
    document = _yaml().load(path.read_text(encoding="utf-8"))
    document["en"].setdefault("synonyms", {})["townsx"] = [fill(word) for word in group]
    with path.open("w", encoding="utf-8") as out:
        _yaml().dump(document, out)
    warnings = [str(w) for w in load(kb_dir).warnings if "names 'zaventem'" in str(w)]
    assert bool(warnings) is warned
