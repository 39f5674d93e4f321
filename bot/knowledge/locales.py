"""The interface strings: the bot's own per language (``bot/locales/*.yaml``), with what the knowledge overrides.

The bot's own texts ship with the code and define every key it uses, in every language; they
name only the event's own fields (``{name}``, ``{date}``...) and what the code passes in. A
knowledge folder's ``locales/<lang>.yaml`` holds only the texts its organisers want to say
differently; a key the bot does not use there is reported (file and key) and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.knowledge.checks import check_texts
from bot.knowledge.model import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.reading import read_yaml
from bot.knowledge.schema import DEFAULT_LANG, LANGS, PLACEHOLDER, Lang, Variants, text_variant
from bot.knowledge.wording import describe

PACKAGE_LOCALES = Path(__file__).resolve().parent.parent / "locales"


def load_locales(
    directory: Path,
    known: Knowledge,
    problems: list[Problem],
    warnings: list[Problem],
    pending: dict[str, str] | None = None,
) -> dict[Lang, dict[str, Variants]]:
    """The bot's own strings per language, ``directory/locales/<lang>.yaml`` applied (``pending``: ``check_texts``)."""
    shipped = {lang: _read(PACKAGE_LOCALES / f"{lang}.yaml", problems) for lang in LANGS}
    passed_in = {key: _code_placeholders(key, shipped, known) for key in shipped[DEFAULT_LANG]}
    for lang, strings in shipped.items():
        for key, (variants, line) in strings.items():
            check_texts(
                variants,
                known,
                str(PACKAGE_LOCALES / f"{lang}.yaml"),
                line,
                f"'{key}': ",
                problems,
                passed_in.get(key, ()),
                pending,
            )
    # Topic commands' menu texts (``cmd_<command>``) belong to the knowledge that declares the command.
    allowed = set(passed_in) | {f"cmd_{entry.command}" for entry in known.entries if entry.command}
    overrides: dict[Lang, dict[str, tuple[Variants, int]]] = {}
    for lang in LANGS:
        path = directory / "locales" / f"{lang}.yaml"
        if not path.exists():
            continue
        shown = str(path)
        overrides[lang] = {}
        for key, (variants, line) in _read(path, problems).items():
            if key not in allowed:
                warnings.append(
                    Problem(
                        shown, line, f"'{key}' is not a text the bot uses (misspelt, or no longer used?): it is ignored"
                    )
                )
                continue
            check_texts(variants, known, shown, line, f"'{key}': ", problems, passed_in.get(key, ()), pending)
            overrides[lang][key] = (variants, line)
    # A text overridden in English only: the other languages keep the bot's own (English where it has none).
    used = "the bot's own text (or the English override where the bot has none) is used"
    for other in LANGS:
        if other != DEFAULT_LANG:
            shown = str(directory / "locales" / f"{other}.yaml")
            untranslated = [key for key in overrides.get(DEFAULT_LANG, {}) if key not in overrides.get(other, {})]
            warnings.extend(Problem(shown, 1, f"'{key}' is overridden in English only: {used}") for key in untranslated)
    return {
        lang: {key: variants for key, (variants, _) in {**shipped[lang], **overrides.get(lang, {})}.items()}
        for lang in LANGS
    }


def _read(path: Path, problems: list[Problem]) -> dict[str, tuple[Variants, int]]:
    """The texts of one locale file, each with its line; what does not fit is added to ``problems``."""
    shown = str(path)
    try:
        data, lines = read_yaml(path, shown)
    except KnowledgeError as exc:
        problems.extend(exc.problems)
        return {}
    if data is None:  # an empty override file overrides nothing
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "must be a mapping of keys to texts"))
        return {}
    strings: dict[str, tuple[Variants, int]] = {}
    for key, value in data.items():
        line = lines.get((key,), 1)
        try:
            strings[str(key)] = (Variants.model_validate(text_variant(value)), line)
        except ValidationError as exc:
            problems.extend(Problem(shown, line, f"'{key}' {describe(error)}") for error in exc.errors())
    return strings


def _code_placeholders(
    key: str, shipped: Mapping[Lang, Mapping[str, tuple[Variants, Any]]], known: Knowledge
) -> tuple[str, ...]:
    """The placeholders the code fills in for ``key``: those its shipped texts use that are not the knowledge's."""
    names: set[str] = set()
    for strings in shipped.values():
        if key in strings:
            variants = strings[key][0]
            texts = [*variants.all_texts(), *(variants.missing.all_texts() if variants.missing else [])]
            names.update(name for text in texts for name in PLACEHOLDER.findall(text) if not known.is_placeholder(name))
    return tuple(sorted(names))
