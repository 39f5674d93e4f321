"""Plain-words wording of schema errors: which field, of which entry, on which line, and what to write instead."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from bot.knowledge.problems import Problem
from bot.knowledge.schema import LANGS

_FRIENDLY = {
    "missing": "is required",
    "extra_forbidden": "is not a known field (a typo?)",
    "string_type": "must be text",
    "list_type": "must be a list",
    "dict_type": "must be a mapping of names to values",
    "model_type": "must be a mapping of names to values",
    "model_attributes_type": "must be a mapping of names to values",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "date_type": "must be a date like 2025-11-04",
    "date_parsing": "must be a date like 2025-11-04",
    "date_from_datetime_parsing": "must be a date like 2025-11-04",
    "string_pattern_mismatch": "must use lowercase letters, digits, _ or - only",
}


def describe(error: Mapping[str, Any]) -> str:
    """One pydantic error in plain words (what the field must be)."""
    kind = error["type"]
    if kind in ("too_short", "string_too_short"):
        return "must be a non-empty list" if kind == "too_short" else "must not be empty"
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        if "'en'" not in expected:
            return f"'{error.get('input')}' is not one of {expected}"
        return f"'{error.get('input')}' is not a supported language ({', '.join(LANGS)})"
    if kind == "string_type" and isinstance(error.get("input"), int | float):
        return "must be text: put it in quotes"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in ("greater_than_equal", "less_than_equal"):
        return str(error["msg"]).lower()
    return _FRIENDLY.get(kind, str(error["msg"]))


def schema_problems(exc: ValidationError, shown: str, data: Any, lines: Mapping[tuple[Any, ...], int]) -> list[Problem]:
    """Every validation error as a ``Problem`` on its line, naming the entry or reminder it is in."""
    problems = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if part != "[key]")
        line = next((lines[loc[:n]] for n in range(len(loc), -1, -1) if loc[:n] in lines), 1)
        where = ""
        fields = loc
        if len(loc) >= 2 and loc[0] in ("entries", "reminders") and isinstance(loc[1], int):
            item = _get(data, loc[:2])
            ident = item.get("id") if isinstance(item, dict) else None
            label = "entry" if loc[0] == "entries" else "reminder"
            where = f"{label} '{ident}': " if ident else f"{label} #{loc[1] + 1}: "
            fields = loc[2:]
        name = ".".join(str(p) for p in fields)
        problems.append(Problem(shown, line, f"{where}'{name}' {describe(error)}" if name else where + describe(error)))
    return problems


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data
