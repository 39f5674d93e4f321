"""Read YAML safely (YAML 1.2 plain scalars) and remember the line of every key and item, to point errors at them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.problems import KnowledgeError, Problem
from bot.knowledge.safe_read import RefusedFile, read_capped
from bot.knowledge.wording import schema_problems
from bot.knowledge.yaml_wording import explain, unquoted_colon

# Deeper YAML is refused before it is built (the shipped files nest 6 levels at most): very deep nesting exhausts
# Python's recursion limit in the loader and the validation, a crash rather than a message.
MAX_DEPTH = 32
_NESTING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_UNNESTING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _PureSafeLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, reading plain scalars in flow collections as libyaml and YAML 1.2 do.

    The pure-Python scanner ends a plain scalar at any ``?`` inside ``{...}`` or ``[...]``
    (``{en: What is an ATMP?, nl: ...}`` is then an error), where libyaml, which the C
    loader uses, ends it only at ``,[]{}`` or at ``:`` before a space. Without this, the
    same knowledge would load with libyaml and be rejected without it.
    """

    def scan_plain(self) -> yaml.ScalarToken:
        """PyYAML's ``Scanner.scan_plain`` (PyYAML 6), with ``?`` no longer ending a plain scalar in flow context."""
        chunks: list[str] = []
        start_mark = self.get_mark()
        end_mark = start_mark
        indent = self.indent + 1
        spaces: list[str] | None = []
        breaking = "\0 \t\r\n\x85\u2028\u2029"
        while True:
            length = 0
            if self.peek() == "#":
                break
            while True:
                ch = self.peek(length)
                if (
                    ch in breaking
                    or (ch == ":" and self.peek(length + 1) in breaking + (",[]{}" if self.flow_level else ""))
                    or (self.flow_level and ch in ",[]{}")
                ):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or [])
            chunks.append(self.prefix(length))
            self.forward(length)
            end_mark = self.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or self.peek() == "#" or (not self.flow_level and self.column < indent):
                break
        return yaml.ScalarToken("".join(chunks), True, start_mark, end_mark)


try:  # the C parser is much faster; both keep node positions
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,attr-defined,unused-ignore]
except AttributeError:  # PyYAML built without libyaml (tests force this case in a separate process)
    _BaseLoader = _PureSafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type,unused-ignore]
    """Safe loading with YAML 1.2's plain-scalar rules, which surprise organisers less.

    Only true/false are booleans (not yes, no, on, off), 09:00 stays text (not the
    number 540), and dates stay text so that validation can say where a bad one is.
    """


_REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))


def _read_text(path: Path, shown: str) -> str:
    """The text of one knowledge file, or ``KnowledgeError`` saying why it cannot be used."""
    try:
        return read_capped(path).decode("utf-8")
    except FileNotFoundError:
        raise KnowledgeError([Problem(shown, 1, "file is missing")]) from None
    except RefusedFile as exc:
        raise KnowledgeError([Problem(shown, 1, str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError([Problem(shown, 1, f"cannot be read: {exc}")]) from None


def _check_depth(text: str, shown: str) -> None:
    """Refuse YAML nested deeper than ``MAX_DEPTH``, at the line going too deep (read as events: no recursion)."""
    loader = _Loader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, _NESTING):
                depth += 1
                if depth > MAX_DEPTH:
                    line = event.start_mark.line + 1 if event.start_mark else 1
                    message = (
                        f"nested more than {MAX_DEPTH} levels deep: knowledge "
                        "files need a handful of levels, flatten it"
                    )
                    raise KnowledgeError([Problem(shown, line, message)])
            elif isinstance(event, _UNNESTING):
                depth -= 1
    finally:
        loader.dispose()


def read_yaml(path: Path, shown: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse one YAML file safely (size and nesting capped) and remember the line of every key and item."""
    text = _read_text(path, shown)
    loader = _Loader(text)
    try:
        _check_depth(text, shown)
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(filter(None, [exc.context, exc.problem]))
        raise KnowledgeError([Problem(shown, *explain(text, line, reason))]) from None
    except yaml.YAMLError as exc:
        raise KnowledgeError([Problem(shown, 1, f"YAML error: {exc}")]) from None
    finally:
        loader.dispose()
    lines: dict[tuple[Any, ...], int] = {}
    duplicates: list[Problem] = []

    def walk(n: yaml.Node, where: tuple[Any, ...]) -> None:
        lines.setdefault(where, n.start_mark.line + 1)
        if isinstance(n, yaml.MappingNode):
            for key_node, value_node in n.value:
                key = key_node.value
                if (*where, key) in lines:
                    name = ".".join(str(p) for p in (*where, key))
                    first = lines[(*where, key)]
                    twice = f"'{name}' is defined twice (first on line {first}): keep only one"
                    duplicates.append(Problem(shown, key_node.start_mark.line + 1, twice))
                lines[(*where, key)] = key_node.start_mark.line + 1
                walk(value_node, (*where, key))
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, (*where, index))

    if node is not None:
        walk(node, ())
    if duplicates:
        raise KnowledgeError(duplicates)
    return data, lines


def parse(model: type[BaseModel], path: Path, shown: str, problems: list[Problem]) -> tuple[Any, dict[Any, int]]:
    """Read and validate one file; on failure add its problems and return ``None``."""
    try:
        data, lines = read_yaml(path, shown)
    except KnowledgeError as exc:
        problems.extend(exc.problems)
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "must be a mapping of names to values at the top level"))
        return None, lines
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        text = _read_text(path, shown)
        for problem in schema_problems(exc, shown, data, lines):  # "must be text" from an unquoted "word: more"
            plain = unquoted_colon(text, problem.line) if problem.message.endswith("must be text") else None
            message = f"{problem.message.removesuffix('must be text').rstrip()}: {plain}" if plain else problem.message
            problems.append(Problem(problem.file, problem.line, message))
        return None, lines
