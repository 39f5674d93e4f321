"""Adding a phrasing to an entry in faq.yaml, keeping the file's comments and layout (ruamel.yaml round-trip)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.knowledge import KnowledgeError, Problem, load


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


def add_phrasing(directory: Path, faq_id: str, lang: str, question: str) -> None:
    """Append ``question`` to entry ``faq_id``'s phrasings in ``lang``; the file changes only if the result is valid.

    Raises ``KnowledgeError`` (and leaves faq.yaml as it was) when the entry is unknown or the
    edited knowledge base would not validate, e.g. when another entry already has that phrasing.
    """
    path = directory / "faq.yaml"
    original = path.read_text(encoding="utf-8")
    yaml = _yaml()
    document = yaml.load(original)
    entries = document.get("entries") if isinstance(document, CommentedMap) else None
    entry = next((e for e in entries or [] if isinstance(e, CommentedMap) and e.get("id") == faq_id), None)
    if entry is None:
        raise KnowledgeError([Problem("knowledge/faq.yaml", 1, f"no entry '{faq_id}' to add a phrasing to")])
    questions = entry.setdefault("questions", CommentedMap())
    phrasings = questions.get(lang)
    if phrasings is None:
        phrasings = questions[lang] = CommentedSeq()
    cleaned = " ".join(question.split())
    if cleaned.casefold() in (str(p).casefold() for p in phrasings):
        return
    phrasings.append(cleaned)
    _replace(path, yaml, document)
    try:
        load(directory)
    except KnowledgeError:
        path.write_text(original, encoding="utf-8")
        raise


def _replace(path: Path, yaml: YAML, document: object) -> None:
    """Write ``document`` to a temporary file beside ``path`` and rename it over: never a half-written file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".faq-", suffix=".yaml.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            yaml.dump(document, stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
