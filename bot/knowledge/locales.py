"""The UI strings of each language (``locales/*.yaml``): English is complete, the others fall back to it."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from bot.knowledge.checks import check_texts
from bot.knowledge.model import Knowledge
from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.reading import read_yaml
from bot.knowledge.schema import DEFAULT_LANG, LANGS, UI_KEYS, UI_PLACEHOLDERS, Lang, Variants, text_variant
from bot.knowledge.wording import describe


def load_locales(
    directory: Path, known: Knowledge, problems: list[Problem], warnings: list[Problem], pending: dict[str, str] | None = None
) -> dict[Lang, dict[str, Variants]]:
    """Read ``locales/<lang>.yaml`` for every language; English must define every UI key (``pending``: see ``check_texts``)."""
    locales: dict[Lang, dict[str, Variants]] = {}
    for lang in LANGS:
        path = directory / "locales" / f"{lang}.yaml"
        shown = str(directory / "locales" / f"{lang}.yaml")
        if not path.exists() and lang != DEFAULT_LANG:
            warnings.append(Problem(shown, 1, "file is missing; English is used instead"))
            continue
        try:
            data, lines = read_yaml(path, shown)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, dict):
            problems.append(Problem(shown, 1, "must be a mapping of keys to texts"))
            continue
        strings: dict[str, Variants] = {}
        for key, value in data.items():
            try:
                strings[str(key)] = Variants.model_validate(text_variant(value))
            except ValidationError as exc:
                for error in exc.errors():
                    problems.append(Problem(shown, lines.get((key,), 1), f"'{key}' {describe(error)}"))
                continue
            check_texts(strings[str(key)], known, shown, lines.get((key,), 1), f"'{key}': ", problems, UI_PLACEHOLDERS, pending)
        locales[lang] = strings
    english = locales.get(DEFAULT_LANG, {})
    if DEFAULT_LANG in locales:
        for key in UI_KEYS:
            if key not in english:
                problems.append(Problem(str(directory / "locales" / "en.yaml"), 1, f"'{key}' is required"))
    for lang, strings in locales.items():
        if lang == DEFAULT_LANG:
            continue
        for key in english:
            if key not in strings:
                warnings.append(Problem(str(directory / "locales" / f"{lang}.yaml"), 1, f"'{key}' is missing; English is used instead"))
    return locales
