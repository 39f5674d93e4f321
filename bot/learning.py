"""Teaching the bot from Telegram, safely: add a phrasing or a new entry to faq.yaml, undo it.

A phrasing goes to the file that holds its entry: ``faq.yaml`` for the generic entries, the current
edition's ``editions/<edition>/faq.yaml`` for the entries about its article; a new entry goes to ``faq.yaml``.

faq.yaml is edited as a round-trip document (ruamel.yaml) so comments, order and quoting stay as
the organisers wrote them. Every edit is validated and checked for harm before it is written:
a phrasing that would make a question the bot already answers go to another entry is refused,
with the questions it would break. Nothing here imports Telegram; callers run these functions
off the event loop (``asyncio.to_thread``) because they read, validate and write files.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.assistant import Assistant
from bot.knowledge import DEFAULT_LANG, Knowledge, KnowledgeError, Lang, Problem, load
from bot.knowledge.safe_read import RefusedFile, read_capped
from bot.knowledge.schema import EDITIONS
from bot.text import fold

FAQ = "faq.yaml"
# How many times an edit is redone when faq.yaml changed under it before it is refused.
ATTEMPTS = 3


@dataclass(frozen=True)
class Edit:
    """A faq file before and after a change (what /undo restores), the entry it concerns and the file (relative)."""

    faq_id: str
    before: str
    after: str
    file: str = FAQ


@dataclass(frozen=True)
class Harm:
    """A question the bot answers today that the change would send elsewhere."""

    question: str
    was: str
    would_be: str | None


class HarmfulEdit(Exception):
    """The change would make questions the bot answers today go to another entry."""

    def __init__(self, harms: list[Harm]) -> None:
        super().__init__(f"{len(harms)} question(s) would be answered differently")
        self.harms = harms


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: comments, order and quoting survive
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    return yaml


class FileChanged(Exception):
    """faq.yaml is no longer what the edit was computed and validated from (someone saved it meanwhile)."""


def _redone(attempt: Callable[[], Edit], path: Path) -> Edit:
    """Run an edit; if faq.yaml changed under it, redo it from the new content (a few times), then refuse."""
    for _ in range(ATTEMPTS):
        try:
            return attempt()
        except FileChanged:
            continue
    message = (
        "kept changing while this edit was checked (someone is editing it?); nothing was written: try again in a moment"
    )
    raise KnowledgeError([Problem(str(path), 1, message)])


def add_phrasing(directory: Path, faq_id: str, lang: str, question: str) -> Edit:
    """Append ``question`` to entry ``faq_id``'s phrasings in ``lang``; the file changes only if valid and harmless.

    Every phrasing in faq.yaml must keep its answer, else ``HarmfulEdit``. (The questions
    attendees asked are no check: the store keeps no text of a question that was answered.)
    Raises ``KnowledgeError`` (and leaves faq.yaml as it was) when the entry is unknown or the
    edited knowledge base would not validate, e.g. when another entry already has that phrasing.
    The change is written only over the very text it was computed from: an edit saved
    meanwhile (by hand) is kept, and this change is redone on top of it.
    """
    file = file_of(directory, faq_id)
    return _redone(lambda: _add_phrasing(directory, file, faq_id, lang, question), directory / file)


def file_of(directory: Path, faq_id: str) -> str:
    """The faq file (relative to ``directory``) holding entry ``faq_id``: the current edition's for its entries."""
    knowledge = load(directory)
    return f"{EDITIONS}/{knowledge.event.edition}/{FAQ}" if faq_id in knowledge.edition_ids else FAQ


def _add_phrasing(directory: Path, file: str, faq_id: str, lang: str, question: str) -> Edit:
    """One attempt at ``add_phrasing``; ``FileChanged`` if the file changed before it could be written."""
    path = directory / file
    original = _read(path)
    yaml = _yaml()
    document = yaml.load(original)
    entry = next((e for e in _entries(document) if e.get("id") == faq_id), None)
    if entry is None:
        raise KnowledgeError([Problem(str(path), 1, f"no entry '{faq_id}' to add a phrasing to")])
    questions = entry.setdefault("questions", CommentedMap())
    phrasings = questions.get(lang)
    if phrasings is None:
        phrasings = questions[lang] = CommentedSeq()
    cleaned = " ".join(question.split())
    if cleaned.casefold() in (str(p).casefold() for p in phrasings):
        return Edit(faq_id, original, original)
    phrasings.append(cleaned)
    return _commit(directory, yaml, document, original, faq_id, expect={cleaned: faq_id}, file=file)


def new_entry(directory: Path, question: str, lang: Lang, answer: str, answer_lang: Lang | None) -> Edit:
    """Create an entry answering ``question`` (its first phrasing, in ``lang``) with ``answer``, if valid and harmless.

    The answer is filed under the language it is written in and, when that is not English,
    also under English (the fallback every entry needs) until someone translates it.
    Like ``add_phrasing``, it never writes over an edit saved meanwhile.
    """
    return _redone(lambda: _new_entry(directory, question, lang, answer, answer_lang), directory / FAQ)


def _new_entry(directory: Path, question: str, lang: Lang, answer: str, answer_lang: Lang | None) -> Edit:
    """One attempt at ``new_entry``; ``FileChanged`` if faq.yaml changed before it could be written."""
    path = directory / FAQ
    original = _read(path)
    yaml = _yaml()
    document = yaml.load(original)
    entries = _entries(document)
    cleaned = " ".join(question.split())
    faq_id = _new_id(cleaned, {str(e.get("id")) for e in entries})
    title = CommentedMap({lang: cleaned[:1].upper() + cleaned[1:60]})
    title.fa.set_flow_style()
    texts = CommentedMap()
    written = answer_lang or lang
    texts[written] = answer.strip()
    if DEFAULT_LANG not in texts:
        texts[DEFAULT_LANG] = answer.strip()
    entry = CommentedMap()
    entry["id"] = faq_id
    entry["title"] = title
    entry["questions"] = CommentedMap({lang: CommentedSeq([cleaned])})
    entry["answer"] = texts
    document["entries"].append(entry)
    return _commit(directory, yaml, document, original, faq_id, expect={cleaned: faq_id}, new=True)


def undo(directory: Path, before: str, after: str, file: str = FAQ) -> None:
    """Put a faq file back as it was before an edit; refused when the file changed since (someone edited it by hand).

    ``before`` is validated in a scratch copy first, and written only over the exact text
    ``after``: a later edit, saved by hand even while this runs, is never discarded.
    """
    path = directory / file
    changed = KnowledgeError([Problem(str(path), 1, "was edited since that change; undo it by hand")])
    if _read(path) != after:
        raise changed
    _validated(directory, before, file)
    try:
        _replace_if_unchanged(path, after, before)
    except FileChanged:
        raise changed from None


def _entries(document: object) -> list[CommentedMap]:
    entries = document.get("entries") if isinstance(document, CommentedMap) else None
    return [e for e in entries or [] if isinstance(e, CommentedMap)]


def _new_id(question: str, taken: set[str]) -> str:
    """A readable, unused entry id from the question's longest words."""
    words = [w for w in fold(question).split() if len(w) > 3][:3] or ["entry"]
    base = re.sub(r"[^a-z0-9_-]", "", "-".join(words))[:40] or "entry"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _commit(
    directory: Path,
    yaml: YAML,
    document: object,
    original: str,
    faq_id: str,
    expect: dict[str, str],
    new: bool = False,
    file: str = FAQ,
) -> Edit:
    """Validate the edited document in a scratch copy, check it harms no answer, then write it over ``file``."""
    stream = io.StringIO()
    yaml.dump(document, stream)
    edited = stream.getvalue()
    if new and "\n\n- id: " in original:  # entries are separated by a blank line: so is the new one
        at = edited.find(f"\n- id: {faq_id}\n")
        if at > 0 and edited[at - 1] != "\n":
            edited = edited[:at] + "\n" + edited[at:]
    before = load(directory)
    after = _validated(directory, edited, file)
    harms = _harms(before, after, expect)
    if harms:
        raise HarmfulEdit(harms)
    _replace_if_unchanged(directory / file, original, edited)
    return Edit(faq_id, original, edited, file)


def _validated(directory: Path, faq_text: str, file: str = FAQ) -> Knowledge:
    """The knowledge ``directory`` would hold with ``faq_text`` as ``file`` (in a scratch copy); ``KnowledgeError``."""
    with tempfile.TemporaryDirectory(prefix="kb-check-") as scratch:
        copy = Path(scratch) / "kb"
        shutil.copytree(directory, copy)
        (copy / file).write_text(faq_text, encoding="utf-8")
        try:
            return load(copy)
        except KnowledgeError as exc:
            raise KnowledgeError([_shown(p, directory, copy) for p in exc.problems]) from None


def _shown(problem: Problem, directory: Path, copy: Path) -> Problem:
    """A problem found in the scratch copy, pointing at the real file."""
    return Problem(problem.file.replace(str(copy), str(directory)), problem.line, problem.message)


def _harms(before: Knowledge, after: Knowledge, expect: dict[str, str]) -> list[Harm]:
    """Phrasings answered before that the edited knowledge answers with another entry (or not at all)."""
    now = datetime.combine(before.event.date, time(12), tzinfo=before.event.tz)
    # The matcher's answers: the learned second opinion is retrained at the reload that follows, not once per check.
    old, new = Assistant(before, learned=False), Assistant(after, learned=False)
    checks: dict[tuple[str, Lang], None] = {}
    for entry in before.entries:
        for lang, texts in entry.questions.items():
            for text in texts:
                checks[(text, lang)] = None
    harms = []
    for text, lang in checks:
        if text in expect:
            continue
        was = old.answer(text, lang, now)
        if was.faq_id is None:
            continue
        will = new.answer(text, lang, now)
        if will.faq_id != was.faq_id:
            harms.append(Harm(text, was.faq_id, will.faq_id))
    return harms


def _read(path: Path) -> str:
    """faq.yaml's text, never waiting on a pipe nor reading past the size limit; ``KnowledgeError`` saying why not."""
    try:
        return read_capped(path).decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = str(exc) if isinstance(exc, RefusedFile) else f"cannot be read: {exc}"
        raise KnowledgeError([Problem(str(path), 1, reason)]) from None


def _replace_if_unchanged(path: Path, expected: str, text: str) -> None:
    """Write ``text`` over ``path`` only if it still holds ``expected``; ``FileChanged`` (nothing written) otherwise.

    The new text is written to a temporary file beside ``path`` first (never a half-written
    file), then the file is compared once more right before the rename, so the window in
    which a hand edit could still be lost is the rename itself.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".faq-", suffix=".yaml.tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        if _read(path) != expected:
            raise FileChanged(str(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
