"""Plain-words explanations of YAML mistakes organisers make, pointing at the line to change.

PyYAML reports where the parser got stuck ("while parsing a block mapping did not find
expected key"), which is often a line late and never says what to do. These heuristics look
at the text around that place for the usual causes (a tab, an unclosed or unopened quote, a
colon inside unquoted text, a line indented differently from its neighbours) and say what
to change. Anything else keeps the parser's own words.
"""

from __future__ import annotations

import re

# How far above the parser's position the real mistake can be (an open quote runs on for many lines).
LOOKBACK = 4
QUOTE_LOOKBACK = 40
_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[^\s:#'\"\[\]{}][^:#]*?):(?: +(?P<value>.*?))?\s*$")
_ITEM = re.compile(r"^(?P<indent> *)- +(?P<value>.*?)\s*$")


def explain(text: str, line: int, parser_words: str) -> tuple[int, str]:
    """The (1-based line, message) to show for a YAML syntax error the parser reported at ``line``."""
    lines = text.splitlines()
    last = min(max(line, 1), len(lines)) - 1 if lines else 0
    window = range(last, max(-1, last - LOOKBACK - 1), -1)
    for index in window:
        raw = lines[index]
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            return index + 1, "this line is indented with a tab; indent with spaces only (YAML does not allow tabs)"
    for index in range(last, max(-1, last - QUOTE_LOOKBACK - 1), -1):
        found = _quote_problem(lines[index])
        if found:
            return index + 1, found
    for index in window:
        found = _colon_problem(lines[index])
        if found:
            return index + 1, found
    found_indent = _indent_problem(lines, last)
    if found_indent:
        return found_indent
    return line, f"YAML syntax error: {parser_words}"


def unquoted_colon(text: str, line: int) -> str | None:
    """Why the line ``line`` turned into a mapping when text was expected: an unquoted ``word: more`` list item."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    match = _ITEM.match(lines[line - 1])
    if match and ": " in match.group("value") and match.group("value")[:1] not in "\"'":
        value = match.group("value")
        return (
            'the text contains ": ", which YAML reads as a key and a '
            f'value: put the whole text in double quotes, like - "{value}"'
        )
    return None


def _value(raw: str) -> str | None:
    """The text after ``key:`` or ``-`` on a line, if any."""
    stripped = (
        raw.split(" #", maxsplit=1)[0].rstrip()
        if not raw.lstrip().startswith(("'", '"', "- '", '- "'))
        else raw.rstrip()
    )
    match = _KEY.match(stripped)
    if match and match.group("value"):
        return match.group("value")
    item = _ITEM.match(raw.rstrip())
    return item.group("value") if item else None


def _quote_problem(raw: str) -> str | None:
    """An unclosed or unopened quote on this line, in plain words."""
    value = _value(raw)
    if value is None:
        return None
    body = raw.rstrip()
    for opening, closing in (("[", "]"), ("{", "}")):
        if value.startswith(opening) and value.count(closing) < value.count(opening):
            return f"the list or mapping opened with {opening} is never closed: add {closing} at the end of the line"
    if value.startswith('"'):
        closes = re.search(r'(?<!\\)"', value[1:])
        if closes is None:
            return 'the text opens a double quote (") but never closes it: add " at the end of the text'
    elif value.startswith("'"):
        inner = value[1:]
        closes = re.search(r"'(?!')", inner.replace("''", "\0\0"))
        if closes is None:
            return (
                "the text opens a single quote (') but never closes it: "
                "add ' at the end of the text, or use double quotes"
            )
        rest = inner[closes.start() + 1 :].strip()
        if rest and not rest.startswith("#"):
            return (
                "a ' inside text in single quotes ends it early: write it twice ('') or put the text in double quotes"
            )
    elif body.endswith('"') and value.count('"') % 2 == 1:
        return 'the text ends with a double quote (") but does not start with one: add " right after the colon'
    elif body.endswith("'") and value.count("'") % 2 == 1 and not re.search(r"\w'\w", value):
        return "the text ends with a single quote (') but does not start with one: add ' at the start of the text"
    return None


def _colon_problem(raw: str) -> str | None:
    """``key: text: more`` with unquoted text, in plain words."""
    match = _KEY.match(raw.split(" #", maxsplit=1)[0].rstrip())
    value = match.group("value") if match else None
    if value and value[:1] not in "\"'[{|>" and ": " in value + " ":
        key = match.group("key").strip() if match else ""
        return (
            f'the text after "{key}:" contains ": ", which YAML cannot read: '
            f'put the whole text in double quotes, like {key}: "{value}"'
        )
    return None


def _indent_problem(lines: list[str], last: int) -> tuple[int, str] | None:
    """A line indented differently from the lines around it, in plain words."""
    for index in range(last, max(-1, last - LOOKBACK - 1), -1):
        raw = lines[index]
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        above = [
            (i, lines[i])
            for i in range(index - 1, -1, -1)
            if lines[i].strip() and not lines[i].lstrip().startswith("#")
        ]
        if not above:
            continue
        _, previous = above[0]
        previous_indent = len(previous) - len(previous.lstrip(" "))
        is_item = raw.lstrip().startswith("- ")
        if is_item and previous.lstrip().startswith("- ") and indent < previous_indent:
            return index + 1, (
                f"this list item is indented by {_spaces(indent)} but the items above by {previous_indent}: "
                f"indent it by {previous_indent} spaces, like them"
            )
        if not is_item:
            levels = _levels(above)
            if indent not in levels:
                siblings = [lvl for lvl in levels if lvl <= previous_indent]
                # Between two levels equally near (3 spaces between 2 and 4), the next line tells which block this key
                # is in.
                below = [r for r in lines[index + 1 :] if r.strip() and not r.lstrip().startswith("#")]
                following = len(below[0]) - len(below[0].lstrip(" ")) if below else None
                expected = (
                    min(siblings, key=lambda lvl: (abs(lvl - indent), lvl != following, -lvl))
                    if siblings
                    else previous_indent
                )
                name = raw.strip().split(":")[0]
                return index + 1, (
                    f"'{name}' is indented by {_spaces(indent)}, which lines up with nothing above: "
                    f"indent it by {expected} spaces, like the keys around it"
                )
    return None


def _levels(above: list[tuple[int, str]]) -> set[int]:
    """The indentations a new key may use: those of the open blocks above it (the nearest line, then each shallower)."""
    levels: set[int] = set()
    smallest = None
    for _, raw in above:
        indent = len(raw) - len(raw.lstrip(" "))
        if raw.lstrip().startswith("- "):
            indent_key = indent + 2  # keys of a mapping inside a list item line up after "- "
            if smallest is None or indent_key <= smallest:
                levels.add(indent_key)
        if smallest is None or indent <= smallest:
            levels.add(indent)
            if raw.rstrip().endswith(":") and smallest is None:
                levels.add(indent + 2)
            smallest = indent
        if indent == 0:
            break
    return levels


def _spaces(count: int) -> str:
    """A count of spaces in words: 1 space, 5 spaces."""
    return "1 space" if count == 1 else f"{count} spaces"
