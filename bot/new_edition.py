"""Start the next edition from its announcement: archive the current one, quote the new article, list what to fill.

``python -m bot new-edition ANNOUNCEMENT.txt`` does, in the knowledge folder:

1. archives the current edition: its values go first in ``past_editions`` of ``event.yaml`` (so questions
   naming its year are answered from the archive, in the past tense) and its article content stays in
   ``editions/<old>/``;
2. writes the new edition and its date into ``event.yaml`` and empties every fact and every event field
   that belonged to the old edition (venue, times, price...), so that no old value is ever shown as new;
3. makes ``editions/<new>/`` with the announcement (``article.txt``), its paragraphs as ``passages.yaml``
   (quoted by the passage tier from the first minute) and an empty ``faq.yaml`` for the article's entries.

Generic entries (``faq.yaml``: when, where, who speaks, register) refer to the facts and carry over. Pure
file work, no Telegram; ``event.yaml`` is edited with ruamel.yaml so its comments and order stay.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.knowledge import Knowledge, KnowledgeError, load
from bot.knowledge.schema import EDITION_FIELDS, EDITIONS
from bot.text import YEAR, fold

# Month names of the three languages, for finding the date in the announcement.
MONTHS = {
    **{m: n for n, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                   "september", "october", "november", "december"), 1)},
    **{m: n for n, m in enumerate(("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                   "september", "oktober", "november", "december"), 1)},
    **{m: n for n, m in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                                   "septembre", "octobre", "novembre", "decembre"), 1)},
}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|er)? ([a-z]+),? (\d{4})\b")
_MONTH_DAY_YEAR = re.compile(r"\b([a-z]+) (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b")
# A line that is a heading: short, and not ending like a sentence.
_HEADING_WORDS = 10
_SENTENCE_END = (".", "!", "?", "”", '"', "’", ":", ";")


class NewEditionError(Exception):
    """Why the next edition could not be started, in words an organiser can act on (nothing was changed)."""


@dataclass(frozen=True)
class Started:
    """What ``start`` did and what is left to the organiser."""

    previous: str
    edition: str
    day: date
    passages: int
    todo: tuple[str, ...]


def find_edition(text: str, after: str) -> str | None:
    """The edition the announcement is about: the most frequent year in it later than ``after``."""
    years = [y for y in YEAR.findall(text) if not after.isdigit() or int(y) > int(after)]
    return max(dict.fromkeys(years), key=years.count) if years else None


def find_date(text: str, year: str) -> date | None:
    """The first date of ``year`` written in the announcement ("12 March 2027", "March 12, 2027", "12 mars 2027")."""
    folded = fold(text)
    found: list[tuple[int, date]] = []
    for match in _DAY_MONTH_YEAR.finditer(folded):
        day, month, in_year = match.groups()
        found += _as_date(match.start(), in_year, month, day, year)
    for match in _MONTH_DAY_YEAR.finditer(folded):
        month, day, in_year = match.groups()
        found += _as_date(match.start(), in_year, month, day, year)
    return min(found)[1] if found else None


def _as_date(at: int, in_year: str, month: str, day: str, year: str) -> list[tuple[int, date]]:
    if in_year != year or month not in MONTHS:
        return []
    try:
        return [(at, date(int(in_year), MONTHS[month], int(day)))]
    except ValueError:
        return []


def _slug(text: str, taken: set[str]) -> str:
    """A passage id from the first words of ``text``, unique among ``taken``."""
    words = [w for w in fold(text).split() if len(w) > 2][:4] or ["passage"]
    base = "_".join(words)[:36].strip("_")
    chosen, number = base, 2
    while chosen in taken:
        chosen, number = f"{base}_{number}", number + 1
    taken.add(chosen)
    return chosen


def is_heading(line: str) -> bool:
    """Whether a line of the article is a section heading (short, not a sentence)."""
    return len(line.split()) <= _HEADING_WORDS and not line.rstrip().endswith(_SENTENCE_END)


def passages_of(text: str) -> list[dict[str, str]]:
    """The article's paragraphs as passages (id, heading of their section, text), in order; headings are not ones."""
    found: list[dict[str, str]] = []
    taken: set[str] = set()
    heading: str | None = None
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if is_heading(line) and found:  # the title (first line) stays a passage: it names the edition
            heading = line
            continue
        passage = {"id": _slug(heading or line, taken)}
        if heading:
            passage["heading"] = heading
        passage["text"] = line
        found.append(passage)
    return found


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer: Any, _: None) -> Any:
    """Write an empty value as ``null``, as the shipped files do (not as nothing after the colon)."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _plain(value: Any) -> Any:
    """A fact's value as plain data (ruamel's commented maps turned into dicts)."""
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, dict) else value


def _archive_entry(knowledge: Knowledge, facts: CommentedMap) -> CommentedMap:
    """The current edition as a ``past_editions`` item: its edition, date and every fact it had."""
    past = CommentedMap()
    past["edition"] = knowledge.event.edition
    past["date"] = knowledge.event.date
    kept = CommentedMap()
    for name, value in facts.items():
        if value is not None:
            plain = _plain(value)
            kept[name] = CommentedMap(plain) if isinstance(plain, dict) else plain
    past["facts"] = kept
    return past


def start(directory: Path, announcement: Path, edition: str | None = None, day: date | None = None) -> Started:
    """Archive ``directory``'s current edition, start the one ``announcement`` announces; raise ``NewEditionError``."""
    try:
        knowledge = load(directory)
    except KnowledgeError as exc:
        listed = "\n".join(f"  {problem}" for problem in exc.problems)
        raise NewEditionError(f"fix the knowledge base first ({len(exc.problems)} problem(s)):\n{listed}") from None
    try:
        text = announcement.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NewEditionError(
            f"{announcement}: cannot be read as a UTF-8 text file ({exc.__class__.__name__})"
        ) from None
    if not text.strip():
        raise NewEditionError(f"{announcement}: the announcement is empty")
    previous = knowledge.event.edition
    edition = edition or find_edition(text, previous)
    if edition is None:
        raise NewEditionError(
            f"{announcement}: names no year after {previous}: give the new edition with --edition (e.g. --edition 2026)"
        )
    if edition == previous or any(past.edition == edition for past in knowledge.past_editions):
        raise NewEditionError(
            f"edition {edition} is already in {directory / 'event.yaml'}: give the new edition with --edition"
        )
    day = day or find_date(text, edition)
    if day is None:
        raise NewEditionError(
            f"{announcement}: gives no date in {edition} that I can read: give it with --date YYYY-MM-DD"
        )
    if day <= knowledge.event.date:
        raise NewEditionError(f"--date {day} is not after the current edition's date ({knowledge.event.date})")
    target = directory / EDITIONS / edition
    if target.exists():
        raise NewEditionError(f"{target} already exists: remove it, or give another edition with --edition")

    yaml = _yaml()
    event_path = directory / "event.yaml"
    document = yaml.load(event_path.read_text(encoding="utf-8"))
    facts = document.get("facts") or CommentedMap()
    past = document.get("past_editions")
    if not isinstance(past, list):
        past = document["past_editions"] = CommentedSeq()
    past.insert(0, _archive_entry(knowledge, facts))
    event = document["event"]
    event["edition"] = edition
    event["date"] = day
    for name in EDITION_FIELDS:
        if name in event:
            event[name] = None
    todo = [f"event.yaml: facts.{name} (was: {_shown(value)})" for name, value in facts.items() if value is not None]
    trailing = _trailing_comment(facts)
    for name in facts:
        facts[name] = None
    if trailing is not None:  # the comment after the last fact (above past_editions) stays where it was
        facts.ca.items[list(facts)[-1]] = [None, None, trailing, None]
    todo += [
        f"event.yaml: event.{name}, if the announcement gives it"
        for name in ("start_time", "venue", "registration_url", "price")
    ]

    archive = directory / EDITIONS / previous
    archive.mkdir(parents=True, exist_ok=True)
    loose = directory / "passages.yaml"
    if loose.exists():  # the old layout: the article's passages at the top level belong to the archive
        if (archive / "passages.yaml").exists():
            raise NewEditionError(f"both {loose} and {archive / 'passages.yaml'} exist: keep one")
        shutil.move(loose, archive / "passages.yaml")
    target.mkdir(parents=True)
    (target / "article.txt").write_text(text, encoding="utf-8")
    passages = passages_of(text)
    with (target / "passages.yaml").open("w", encoding="utf-8") as out:
        out.write(
            f"# The paragraphs of the {edition} announcement (article.txt), quoted word for word when no entry\n"
            "# answers confidently. Add `questions:` (en/nl/fr) to a passage for words its text lacks.\n"
        )
        yaml.dump({"passages": passages}, out)
    (target / "faq.yaml").write_text(
        f"# The {edition} edition's article entries: its speaker, arguments and quotes, named literally\n"
        f"# (see ../{previous}/faq.yaml for the previous edition's). Generic entries are in ../../faq.yaml.\n"
        "entries: []\n",
        encoding="utf-8",
    )
    with event_path.open("w", encoding="utf-8") as out:
        yaml.dump(document, out)
    article_ids = sorted(knowledge.edition_ids)
    if article_ids:
        todo.append(
            f"editions/{edition}/faq.yaml: entries about the new article, like {previous}'s ({', '.join(article_ids)})"
        )
    return Started(previous, edition, day, len(passages), tuple(todo))


def _trailing_comment(facts: CommentedMap) -> Any:
    """The comment after the last fact, which ruamel keeps on that fact's own value (lost when the value is emptied)."""
    if not facts:
        return None
    value = facts[list(facts)[-1]]
    holder = value if isinstance(value, CommentedMap) and value else facts
    key = list(holder)[-1]
    item = holder.ca.items.get(key)
    return item[2] if item and len(item) > 2 else None


def _shown(value: Any, width: int = 60) -> str:
    """A fact's old value in one line, cut at ``width`` characters."""
    text = str(next(iter(value.values()))) if isinstance(value, dict) else str(value)
    return text if len(text) <= width else text[: width - 1] + "…"
