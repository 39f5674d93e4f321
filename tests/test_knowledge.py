"""Loading and validating a knowledge base: every broken edit is located (on the fixture edition)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.knowledge import LANGS, KnowledgeError, load
from tests.conftest import KB

Edit = Callable[[str, str, str], None]


def problems_after(kb_dir: Path) -> list[str]:
    """Load ``kb_dir`` expecting failure; return the error lines."""
    with pytest.raises(KnowledgeError) as caught:
        load(kb_dir)
    return [str(p) for p in caught.value.problems]


def line_of(kb_dir: Path, file: str, snippet: str) -> int:
    """The 1-based line of the first occurrence of ``snippet`` in ``file``."""
    for number, line in enumerate((kb_dir / file).read_text(encoding="utf-8").splitlines(), 1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not found")


def test_shipped_interface_strings_cover_every_key_the_code_asks_for() -> None:
    """The bot's own English texts define every interface string the code names; other languages no key of their own."""
    from bot.commands import COMMANDS
    from bot.knowledge.locales import PACKAGE_LOCALES

    source = "\n".join(
        path.read_text(encoding="utf-8") for path in (Path(__file__).resolve().parent.parent / "bot").rglob("*.py")
    )
    used = set(re.findall(r"""(?:\.ui\(|say\(update, context, )\s*"([a-z_]+)\"""", source)) | {c.text for c in COMMANDS}
    shipped = {
        lang: set(yaml.safe_load((PACKAGE_LOCALES / f"{lang}.yaml").read_text(encoding="utf-8"))) for lang in LANGS
    }
    assert used - shipped["en"] == set()
    for lang in LANGS:  # a key missing in Dutch or French is said in English; one English lacks is a stray
        assert shipped[lang] <= shipped["en"], lang


def test_yaml_syntax_error_names_file_and_line(kb_dir: Path, edit: Edit) -> None:
    """A broken YAML edit reports the file and the line of the problem."""
    edit("faq.yaml", "- id: theme\n", "- id: theme\n  title: [unclosed\n")
    [problem] = problems_after(kb_dir)
    line = line_of(kb_dir, "faq.yaml", "  title: [unclosed")
    assert (
        problem == f"{kb_dir / 'faq.yaml'}:{line}: "
        "the list or mapping opened with [ is never closed: add ] at the end of the line"
    )


def test_missing_field_names_entry_and_field(kb_dir: Path, edit: Edit) -> None:
    """An entry without questions is reported with its id and the field's line."""
    edit(
        "faq.yaml",
        "  questions:\n    en:\n    - what is the theme this year",
        "  phrasings:\n    en:\n    - what is the theme this year",
    )
    problems = problems_after(kb_dir)
    assert any(p.endswith("entry 'theme': 'questions' is required") for p in problems), problems
    assert any("entry 'theme': 'phrasings' is not a known field" in p for p in problems), problems


def test_empty_question_list_is_located(kb_dir: Path) -> None:
    """An empty list of phrasings reads as the issue's example message, on the right line."""
    path = kb_dir / "faq.yaml"
    text = path.read_text(encoding="utf-8")
    theme = text.index("- id: theme\n")
    start = text.index("    nl:\n", theme)
    end = text.index("    fr:\n", start)
    path.write_text(text[:start] + "    nl: []\n" + text[end:], encoding="utf-8")
    line = line_of(kb_dir, "faq.yaml", "    nl: []")
    assert f"{kb_dir / 'faq.yaml'}:{line}: entry 'theme': 'questions.nl' must be a non-empty list" in problems_after(
        kb_dir
    )


def test_wrong_type_is_reported(kb_dir: Path, edit: Edit) -> None:
    """A field of the wrong type says what it should be."""
    edit("faq.yaml", "- id: date\n  menu: true", "- id: date\n  menu: [yes please]")
    assert any("entry 'date': 'menu' must be true or false" in p for p in problems_after(kb_dir))


def test_duplicate_id_is_reported(kb_dir: Path, edit: Edit) -> None:
    """Two entries with one id are reported, pointing back at the first."""
    edit("faq.yaml", "- id: price\n", "- id: theme\n")
    problems = problems_after(kb_dir)
    assert any("entry 'theme': duplicate id (first defined on line" in p for p in problems), problems


def test_same_phrasing_under_two_entries_is_reported(kb_dir: Path, edit: Edit) -> None:
    """A phrasing already used by another entry is reported with both entries."""
    edit("faq.yaml", "    - is it free\n", "    - what is the theme this year\n")
    line = line_of(kb_dir, "faq.yaml", "    - what is the theme this year") + 0
    problems = problems_after(kb_dir)
    assert any(
        "entry 'price': phrasing 'what is the theme this year' is also under entry 'theme'" in p for p in problems
    ), problems
    assert all(f":{line}:" not in p for p in problems if "price" in p)  # reported at the duplicate, not the original


def test_placeholder_that_names_no_fact_is_reported(kb_dir: Path, edit: Edit) -> None:
    """An answer using an unknown {placeholder} is rejected with the entry and language."""
    edit("faq.yaml", 'en: "VC stands for venture capital:', 'en: "VC ({vc_expansion}) stands for venture capital:')
    problems = problems_after(kb_dir)
    assert any(
        "entry 'vc': answer.en: placeholder {vc_expansion} names no fact in event.yaml" in p for p in problems
    ), problems


def test_invalid_date_and_timezone_are_reported(kb_dir: Path, edit: Edit) -> None:
    """A date that does not exist and an unknown timezone are both reported."""
    edit("event.yaml", f"date: {KB.event.date.isoformat()}", "date: 2025-11-31")
    edit("event.yaml", "timezone: Europe/Brussels", "timezone: Europe/Bruxelles")
    problems = problems_after(kb_dir)
    line = line_of(kb_dir, "event.yaml", "date: 2025-11-31")
    assert f"{kb_dir / 'event.yaml'}:{line}: 'event.date' must be a date like 2025-11-04" in problems
    assert any("'event.timezone' 'Europe/Bruxelles' is not a known timezone" in p for p in problems), problems


def test_empty_answer_is_reported(kb_dir: Path, edit: Edit) -> None:
    """An empty answer text is rejected."""
    edit("faq.yaml", '    en: "VIB is the Flanders Institute', '    en: ""\n    xx: "')
    problems = problems_after(kb_dir)
    assert any("entry 'vib': 'answer.en.text' must not be empty" in p for p in problems), problems
    assert any("'xx' is not a supported language (en, nl, fr)" in p for p in problems), problems


def test_yaml_words_and_times_stay_text(kb_dir: Path, edit: Edit) -> None:
    """Unquoted 09:00 and the words no/on/yes stay text (YAML 1.1 would make them 540 and booleans)."""
    edit("reminders.yaml", 'at: "09:00"', "at: 09:00")
    edit("vocabulary.yaml", '"yes", "no"', "yes, no")
    knowledge = load(kb_dir)
    assert knowledge.reminders[0].at.hour == 9
    assert {"yes", "no"} <= set(knowledge.vocabulary["en"].stopwords)


def test_number_where_text_is_expected_gets_a_hint(kb_dir: Path, edit: Edit) -> None:
    """A bare number for a time or a text says how to fix it."""
    edit("reminders.yaml", 'at: "09:00"', "at: 9")
    edit("vocabulary.yaml", '"yes", "no"', "yes, 42")
    problems = problems_after(kb_dir)
    assert any("reminder 'week-before': 'at' must be a time like \"09:00\"" in p for p in problems), problems
    assert any("'en.stopwords." in p and "must be text: put it in quotes" in p for p in problems), problems


def test_duplicate_yaml_key_is_reported(kb_dir: Path, edit: Edit) -> None:
    """A key written twice (which YAML would silently overwrite) is an error."""
    text = (kb_dir / "vocabulary.yaml").read_text(encoding="utf-8")
    first = re.search(r"^en:\n(?:.*\n)*?  synonyms:\n    ([a-z_]+): \[", text, re.MULTILINE)
    assert first is not None
    key = first.group(1)
    edit("vocabulary.yaml", f"    {key}: [", f"    {key}: [stad]\n    {key}: [")
    problems = problems_after(kb_dir)
    assert any("knowledge/vocabulary.yaml:" in p and f"'en.synonyms.{key}' is defined twice" in p for p in problems), (
        problems
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # an empty fact (no venue yet) used by an answer
        (
            'en: "VC stands for venture capital:',
            'en: "At {venue}: VC stands for venture capital:',
            "entry 'vc': answer.en: uses {venue}, which is empty in event.yaml: add a 'missing' answer",
        ),
        # an entry marked to decline with its "missing" text, which has none
        (
            "- id: theme\n",
            "- id: theme\n  when_missing: decline\n",
            "entry 'theme': when_missing: decline needs a 'missing' text in every language; none in en, fr, nl",
        ),
    ],
)
def test_a_missing_text_that_is_needed_is_reported(kb_dir: Path, edit: Edit, old: str, new: str, message: str) -> None:
    """An empty fact used without a 'missing' answer, or a decline with none to say, is rejected with entry and why."""
    edit("faq.yaml", old, new)
    problems = problems_after(kb_dir)
    assert any(message in p for p in problems), problems


def test_every_problem_is_reported_at_once(kb_dir: Path, edit: Edit) -> None:
    """Several mistakes in several files are all listed, not just the first."""
    edit("event.yaml", "timezone: Europe/Brussels", "timezone: Mars/Olympus")
    edit("faq.yaml", "- id: date\n  menu: true", "- id: date\n  menu: maybe")
    assert {p.split(":")[0] for p in problems_after(kb_dir)} == {str(kb_dir / "event.yaml"), str(kb_dir / "faq.yaml")}
    edit("event.yaml", "timezone: Mars/Olympus", "timezone: Europe/Brussels")
    edit("faq.yaml", "- id: date\n  menu: maybe", "- id: date\n  menu: true")
    edit("faq.yaml", "- id: price\n", "- id: theme\n")
    edit("locales/fr.yaml", 'cmd_where: "Lieu"', "cmd_where: ''")
    problems = problems_after(kb_dir)
    assert {p.split(":")[0] for p in problems} == {str(kb_dir / "faq.yaml"), str(kb_dir / "locales" / "fr.yaml")}
    assert any("'cmd_where' must not be empty" in p for p in problems), problems


def test_missing_translation_is_a_warning_with_english_fallback(kb_dir: Path, edit: Edit) -> None:
    """An entry without French loads with a warning, and French readers get its English answer."""
    from bot.assistant import Assistant
    from tests.conftest import BEFORE

    edit("faq.yaml", "    fr:\n    - qu'est-ce que le VIB\n    - qui dirige le vib\n", "")
    text = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
    french_answer = next(line for line in text.splitlines() if line.startswith('    fr: "Le VIB est'))
    edit("faq.yaml", french_answer + "\n", "")
    knowledge = load(kb_dir)
    assert any(
        "entry 'vib': no 'fr' phrasings or answer; English is used instead" in str(w) for w in knowledge.warnings
    )
    answer = Assistant(knowledge).answer("what is vib", "fr", BEFORE)
    assert answer.text.startswith("VIB is the Flanders Institute for Biotechnology")


def test_unsupported_language_key_is_an_error(kb_dir: Path, edit: Edit) -> None:
    """An answer in a language the bot does not support is reported."""
    edit("faq.yaml", "    fr: \"Le VIB est l'Institut", "    de: \"Le VIB est l'Institut")
    assert any("'de' is not a supported language (en, nl, fr)" in p for p in problems_after(kb_dir))


def test_yaml_tags_cannot_build_objects(kb_dir: Path, edit: Edit) -> None:
    """YAML is loaded safely: a Python object tag is a syntax error, not code."""
    edit("faq.yaml", "- id: price\n", "- id: !!python/object/apply:os.system ['true']\n")
    problems = problems_after(kb_dir)
    assert any("knowledge/faq.yaml:" in p and "python/object" in p for p in problems), problems


def test_check_rejects_a_command_the_bot_owns_or_two_entries_share(kb_dir: Path, edit: Edit) -> None:
    """`command: start` and a command claimed by two entries are reported with file and line."""
    edit("faq.yaml", "  command: when\n", "  command: start\n")
    edit("faq.yaml", "  command: themes\n", "  command: keynote\n")
    problems = problems_after(kb_dir)
    lines = (kb_dir / "faq.yaml").read_text(encoding="utf-8").splitlines()
    start_line = line_of(kb_dir, "faq.yaml", "  command: start")
    # the second entry to claim it
    shared_line = max(n for n, line in enumerate(lines, 1) if line == "  command: keynote")
    assert any(
        p.startswith(f"{kb_dir / 'faq.yaml'}:{start_line}: ") and "command /start is one of the bot's own commands" in p
        for p in problems
    )
    assert any(
        p.startswith(f"{kb_dir / 'faq.yaml'}:{shared_line}: ") and "command /keynote is already used by entry" in p
        for p in problems
    )


def test_check_rejects_an_unknown_location_fact_or_button(kb_dir: Path, edit: Edit) -> None:
    """`event.location` naming no fact and an unknown answer button are both located."""
    edit("event.yaml", "location: [venue, address, city]", "location: [venue, town]")
    location_line = line_of(kb_dir, "event.yaml", "location: [venue, town]")
    assert (
        f"{kb_dir / 'event.yaml'}:{location_line}: 'event.location' names 'town', which is no fact in event.yaml"
        in problems_after(kb_dir)
    )
    edit("event.yaml", "location: [venue, town]", "location: [venue, address, city]")
    edit("faq.yaml", "  buttons: [remind, calendar]\n", "  buttons: [remind, parking]\n")
    buttons_line = line_of(kb_dir, "faq.yaml", "  buttons: [remind, parking]")
    assert (
        f"{kb_dir / 'faq.yaml'}:{buttons_line}: "
        "entry 'date': 'buttons.1' 'parking' is not one of 'remind' or 'calendar'" in problems_after(kb_dir)
    )


def test_past_edition_values_are_placeholders_with_an_honest_fallback(kb_dir: Path, edit: Edit) -> None:
    """{previous_city} needs a past edition; without one the entry's 'missing' text is used, and a typo is an error."""
    from bot.assistant import Assistant
    from tests.conftest import BEFORE

    knowledge = load(kb_dir)
    if knowledge.previous is None:
        assert (
            "no information about earlier editions"
            in Assistant(knowledge).answer("what about the previous edition", "en", BEFORE).text
        )
    else:
        answer = Assistant(knowledge).answer("what about the previous edition", "en", BEFORE).text
        assert knowledge.previous.edition in answer
        assert knowledge.previous.facts["keynote_speaker"]["en"] in answer
    edit("faq.yaml", "{previous_city}; the keynote", "{previous_town}; the keynote")
    assert any("placeholder {previous_town} names no fact in event.yaml" in p for p in problems_after(kb_dir))


def test_a_synonym_group_no_phrasing_uses_is_a_warning_naming_its_line(kb_dir: Path, edit: Edit) -> None:
    """A concept no phrasing uses only pulls questions away from every entry: the organiser is told where it is."""
    edit("vocabulary.yaml", "en:\n  synonyms:\n", "en:\n  synonyms:\n    weather: [rain, forecast, sunny]\n")
    knowledge = load(kb_dir)
    shown = [str(w) for w in knowledge.warnings if "'weather'" in str(w)]
    line = line_of(kb_dir, "vocabulary.yaml", "    weather: [rain, forecast, sunny]")
    assert shown == [
        f"{kb_dir / 'vocabulary.yaml'}:{line}: "
        "en: no phrasing in faq.yaml or passages.yaml uses 'weather', so a question "
        "with one of the words of 'weather' matches no entry better for it and every entry worse; add a phrasing that "
        "uses one of them, or remove the group"
    ]


def test_an_override_the_bot_does_not_use_is_named_with_its_file_and_line(kb_dir: Path) -> None:
    """A misspelt key in locales/ loads with a warning naming the file, the line and the key; the shipped text stays."""
    path = kb_dir / "locales" / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'welcom: "Hello there"\n', encoding="utf-8")
    knowledge = load(kb_dir)
    line = len(path.read_text(encoding="utf-8").splitlines())
    assert f"{path}:{line}: 'welcom' is not a text the bot uses (misspelt, or no longer used?): it is ignored" in map(
        str, knowledge.warnings
    )
    assert "welcom" not in knowledge.locales["en"]


def test_a_knowledge_folder_without_locales_speaks_with_the_shipped_texts(kb_dir: Path) -> None:
    """Removing locales/ leaves a valid knowledge base: every interface string comes from the package, all languages."""
    import shutil

    from bot.assistant import Assistant
    from tests.conftest import BEFORE

    shutil.rmtree(kb_dir / "locales")
    knowledge = load(kb_dir)
    render = Assistant(knowledge).renderer("fr", BEFORE)
    assert render.ui("language_set") == "Je vous répondrai désormais en français."
    assert render.ui("calendar_description") == f"{knowledge.event.name} {knowledge.event.edition}."


def test_an_override_replaces_the_shipped_text_in_its_language_only(kb_dir: Path) -> None:
    """An organiser's nl text replaces the shipped Dutch one; English and French keep the package's."""
    from bot.assistant import Assistant
    from tests.conftest import BEFORE

    path = kb_dir / "locales" / "nl.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + 'language_set: "Vanaf nu in het Nederlands."\n', encoding="utf-8"
    )
    assistant = Assistant(load(kb_dir))
    assert assistant.renderer("nl", BEFORE).ui("language_set") == "Vanaf nu in het Nederlands."
    assert assistant.renderer("en", BEFORE).ui("language_set") == "I'll answer in English from now on."


def test_an_override_with_a_placeholder_its_text_never_gets_is_an_error(kb_dir: Path) -> None:
    """A placeholder that is neither a fact nor one the code fills in for that key is reported with file and key."""
    path = kb_dir / "locales" / "en.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'language_set: "From now on: {question}."\n', encoding="utf-8")
    problems = problems_after(kb_dir)
    assert any(
        p.startswith(f"{path}:") and "'language_set': placeholder {question} names no fact" in p for p in problems
    ), problems


def test_every_command_in_the_table_has_a_handler_and_a_menu_text() -> None:
    """Each row of the command table names an existing async handler and a description in the shipped English texts."""
    import inspect

    from bot.commands import COMMANDS
    from bot.knowledge.locales import PACKAGE_LOCALES
    from bot.telegram_app.app import handler_of

    english = yaml.safe_load((PACKAGE_LOCALES / "en.yaml").read_text(encoding="utf-8"))
    for command in COMMANDS:
        assert inspect.iscoroutinefunction(handler_of(command)), command.name
        assert command.text in english, command.name


def test_what_is_derived_from_the_knowledge_lives_on_it_and_is_never_pickled() -> None:
    """Normalisers and lexicons are built once per knowledge, left out of its pickled copy, and rebuilt there on use."""
    import pickle

    knowledge = load(KB.directory)
    assert knowledge.normalisers is knowledge.normalisers
    assert knowledge.lexicons is knowledge.lexicons
    assert knowledge.lexicons["en"]
    copy = pickle.loads(pickle.dumps(knowledge))  # noqa: S301 - our own bytes
    assert "normalisers" not in copy.__dict__
    assert "lexicons" not in copy.__dict__
    assert copy.normalisers["en"] == knowledge.normalisers["en"]
    assert copy.lexicons == knowledge.lexicons


def test_the_shipped_interface_strings_name_no_fact_of_an_edition() -> None:
    """The bot's own texts use only the event's fields and what the code passes in: no city, speaker or theme."""
    from bot.knowledge import PLACEHOLDER
    from bot.knowledge.locales import PACKAGE_LOCALES

    for lang in LANGS:
        text = (PACKAGE_LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")
        named = {
            name
            for line in text.splitlines()
            if not line.lstrip().startswith("#")
            for name in PLACEHOLDER.findall(line.split("  #")[0])
        }
        assert named & set(KB.facts) == set(), lang


def test_a_text_overridden_in_english_only_warns_for_the_other_languages(kb_dir: Path) -> None:
    """A Dutch file lacking a key the English overrides loads with a warning; a topic command's text is then English."""
    from bot.assistant import Assistant
    from tests.conftest import BEFORE

    path = kb_dir / "locales" / "nl.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('cmd_where: "Locatie"\n', ""), encoding="utf-8")
    knowledge = load(kb_dir)
    expected = (
        "'cmd_where' is overridden in English only: "
        "the bot's own text (or the English override where the bot has none) is used"
    )
    assert f"{path}:1: {expected}" in map(str, knowledge.warnings)
    assert Assistant(knowledge).renderer("nl", BEFORE).ui("cmd_where") == "Venue"
