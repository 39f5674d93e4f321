"""Load ``knowledge/*.yaml`` into typed, frozen objects; every error names file, line and field."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, ValidationError, field_validator

from bot.yaml_errors import explain, unquoted_colon

Lang = Literal["en", "nl", "fr"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "en"
Phase = Literal["before", "today", "after"]

FILES = ("event.yaml", "faq.yaml", "vocabulary.yaml", "reminders.yaml", "passages.yaml")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Placeholders the bot computes from the ``event`` block (the rest are the ``facts``).
EVENT_PLACEHOLDERS = (
    "name", "edition", "date", "countdown", "start_time", "end_time", "venue", "address",
    "registration_url", "contact", "price",
)  # fmt: skip
# Extra placeholders that some UI strings receive from the code (not facts).
UI_PLACEHOLDERS: tuple[str, ...] = (
    "topics", "question", "when", "language", "retention_days", "text", "subscribers", "sent", "total", "blocked", "failed", "unconfirmed",
    "added", "modified", "removed", "problems", "questions_total", "questions_today", "answered_share", "top_entries",
    "unanswered", "count", "entry", "topic_commands",
)  # fmt: skip
# Commands the code itself provides; an entry's ``command:`` must use another name.
BUILT_IN_COMMANDS = (
    "start", "help", "faq", "calendar", "remind", "stop", "status", "language", "privacy", "forget",
    "reload", "stats", "unanswered", "announce", "undo",
)  # fmt: skip
# Buttons an entry may offer under its answer (``buttons:`` in faq.yaml).
EntryButton = Literal["remind", "calendar"]
# The newest past edition's values are placeholders too: {previous_edition}, {previous_date}, {previous_<fact>}.
PREVIOUS = "previous_"
# UI strings the code asks for; the English locale must define every one.
UI_KEYS: tuple[str, ...] = (
    "date_format", "tomorrow", "welcome", "help", "topics_header", "did_you_mean", "decline",
    "empty_question", "unsupported_message", "flood_notice", "error", "ask_organisers_button",
    "forwarded_to_organisers", "no_organiser_chat", "organiser_forward", "remind_button",
    "calendar_button", "more_topics_button", "calendar_caption", "calendar_description",
    "language_prompt", "language_set", "chat_greeting", "chat_prompt", "chat_bye", "chat_choose",
    "inline_hint", "group_hint", "bot_description", "bot_short_description",
    "cmd_start", "cmd_help", "cmd_calendar", "cmd_faq", "cmd_remind", "cmd_stop", "cmd_status", "cmd_language",
    "cmd_privacy", "cmd_forget", "cmd_reload", "cmd_stats", "cmd_unanswered", "cmd_announce",
    "subscribed", "already_subscribed", "unsubscribed", "not_subscribed", "status_subscribed",
    "status_no_more", "status_not_subscribed", "subscribe_too_late", "privacy", "forgotten",
    "unknown_command", "datetime_format", "announce_usage", "announce_preview", "announce_send_button",
    "announce_cancel_button", "announce_progress", "announce_report", "announce_cancelled", "announce_gone",
    "reload_ok", "reload_unchanged", "reload_failed", "stats", "unanswered_header", "unanswered_none", "learned",
    "learn_failed", "language_button_en", "language_button_nl", "language_button_fr", "passage_answer",
    "next_edition_button", "subscribed_next_edition", "already_subscribed_next_edition", "new_edition_message",
    "new_edition_preview", "new_edition_notify_button", "new_edition_gone",
)  # fmt: skip
# Placeholders and UI strings of the helpdesk loop and of teaching from Telegram.
UI_PLACEHOLDERS = (*UI_PLACEHOLDERS, "guesses", "answer", "number", "languages", "harms", "was", "would_be", "file", "changes")
UI_KEYS = (
    *UI_KEYS, "already_forwarded", "ticket_not_yours", "organiser_answer", "organiser_answer_delivered",
    "organiser_answer_undeliverable", "add_as_answer_button", "unanswered_group", "unanswered_candidate", "new_entry_button",
    "ignore_button", "new_entry_prompt", "entry_created", "learn_already", "learn_harmful", "harm_line", "ignored", "undo_done",
    "undo_nothing", "undo_failed", "cmd_undo", "reload_fixed", "reload_facts", "reload_reminders", "reload_reminder_removed",
    "reload_texts", "chat_choose_range",
)  # fmt: skip

try:  # the C parser is much faster; both keep node positions
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,attr-defined,unused-ignore]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type,unused-ignore]
    """Safe loading with YAML 1.2's plain-scalar rules, which surprise organisers less.

    Only true/false are booleans (not yes, no, on, off), 09:00 stays text (not the
    number 540), and dates stay text so that validation can say where a bad one is.
    """


_REPLACED = ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _REPLACED] for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"), list("-+0123456789"))


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in the knowledge base, with its place."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        """Render as ``file:line: message``, the form editors and terminals link."""
        return f"{self.file}:{self.line}: {self.message}"


class KnowledgeError(Exception):
    """The knowledge base is invalid; ``problems`` lists every error found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


# --------------------------------------------------------------------------- schema


def _spread_text(value: Any) -> Any:
    """Let one plain text stand for every language."""
    return {lang: value for lang in LANGS} if isinstance(value, str) else value


def _text_variant(value: Any) -> Any:
    """Let one plain text stand for an answer that does not change over time."""
    return {"text": value} if isinstance(value, str) else value


def _parse_clock(value: Any) -> Any:
    """Accept ``"HH:MM"`` strings only (YAML reads an unquoted 09:00 as a number)."""
    if value is None or isinstance(value, time):
        return value
    if isinstance(value, int):
        raise ValueError('must be a time like "09:00"')
    if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value.strip()):
        hours, minutes = (int(x) for x in value.strip().split(":"))
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise ValueError('must be a time like "09:00"')


Text = Annotated[str, Field(min_length=1), BeforeValidator(lambda v: v.strip() if isinstance(v, str) else v)]
Localised = Annotated[dict[Lang, Text], BeforeValidator(_spread_text)]
Clock = Annotated[time | None, BeforeValidator(_parse_clock)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


class Variants(_Strict):
    """An answer's texts for each moment, and what to say when a fact it needs is empty."""

    text: Text | None = None
    before: Text | None = None
    today: Text | None = None
    after: Text | None = None
    missing: Annotated[Variants | None, BeforeValidator(_text_variant)] = None

    def for_phase(self, phase: Phase) -> str | None:
        """The text for ``phase``; on the day the "before" text serves when there is no "today"."""
        order = {"before": (self.before, self.text), "today": (self.today, self.before, self.text),
                 "after": (self.after, self.text)}[phase]  # fmt: skip
        return next((t for t in order if t is not None), None)

    def all_texts(self) -> Iterator[str]:
        """Every text written here, without the "missing" ones."""
        yield from (t for t in (self.text, self.before, self.today, self.after) if t is not None)


Answer = Annotated[Variants, BeforeValidator(_text_variant)]


class EventInfo(_Strict):
    """The structured facts the code computes with (dates, times, places, links)."""

    name: Text
    edition: Annotated[Text, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
    date: dt.date
    end_date: dt.date | None = None
    timezone: Text
    start_time: Clock = None
    end_time: Clock = None
    venue: Text | None = None
    address: Text | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    registration_url: Text | None = None
    price: Text | None = None
    contact: Text | None = None
    location: list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] = []

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not a known timezone (use a name like Europe/Brussels)") from None
        return value

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        """The event's timezone."""
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def last_day(self) -> dt.date:
        """The final day of the event (the same day for a one-day event)."""
        return self.end_date or self.date


FactName = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]


class PastEdition(_Strict):
    """A past edition's values, kept so that questions about it keep their answers."""

    edition: Annotated[Text, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]
    date: dt.date
    facts: dict[FactName, Localised] = {}


class EventFile(_Strict):
    """The shape of event.yaml."""

    event: EventInfo
    facts: dict[FactName, Localised] = {}
    past_editions: list[PastEdition] = []


class Entry(_Strict):
    """One question the bot can answer: its phrasings and answer in each language."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
    title: Localised
    menu: bool = False
    topic: bool = True  # false for small talk (greetings, thanks): answered, but never listed as a topic in /faq
    command: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")] | None = None
    map: bool = False
    buttons: list[EntryButton] = []
    questions: dict[Lang, Annotated[list[Text], Field(min_length=1)]] = Field(min_length=1)
    answer: dict[Lang, Answer] = Field(min_length=1)


class FaqFile(_Strict):
    """The shape of faq.yaml."""

    entries: Annotated[list[Entry], Field(min_length=1)]


class LanguageVocabulary(_Strict):
    """Synonym groups (canonical word -> variants), stop words and neutral words of one language."""

    synonyms: dict[Text, list[Text]] = {}
    stopwords: list[Text] = []
    neutral: list[Text] = []


class Passage(_Strict):
    """One paragraph of the announcement, quoted when no entry answers confidently."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    heading: Text | None = None
    text: Text
    questions: dict[Lang, list[Text]] = {}


class PassagesFile(_Strict):
    """The shape of passages.yaml."""

    passages: list[Passage] = []


class VocabularyFile(RootModel[dict[Lang, LanguageVocabulary]]):
    """The shape of vocabulary.yaml: one section per language."""

    model_config = ConfigDict(frozen=True)


class Reminder(_Strict):
    """A push reminder sent ``days_before`` the event day at local time ``at``."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,40}$")]
    days_before: Annotated[int, Field(ge=0, le=366)]
    at: Annotated[time, BeforeValidator(_parse_clock)]
    text: dict[Lang, Answer] = Field(min_length=1)


class RemindersFile(_Strict):
    """The shape of reminders.yaml."""

    reminders: list[Reminder] = []


# --------------------------------------------------------------------------- the loaded knowledge


@dataclass(frozen=True)
class Knowledge:
    """Everything the bot knows, validated and immutable; swap the whole object to change it."""

    directory: Path
    event: EventInfo
    facts: Mapping[str, Mapping[Lang, str]]
    entries: tuple[Entry, ...]
    vocabulary: Mapping[Lang, LanguageVocabulary]
    reminders: tuple[Reminder, ...]
    locales: Mapping[Lang, Mapping[str, Variants]]
    warnings: tuple[Problem, ...] = ()
    past_editions: tuple[PastEdition, ...] = ()
    by_id: Mapping[str, Entry] = field(default_factory=dict, compare=False)
    by_command: Mapping[str, Entry] = field(default_factory=dict, compare=False)
    passages: tuple[Passage, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {e.id: e for e in self.entries})
        object.__setattr__(self, "by_command", {e.command: e for e in self.entries if e.command})

    @property
    def previous(self) -> PastEdition | None:
        """The most recent past edition (the first of ``past_editions``), if any."""
        return self.past_editions[0] if self.past_editions else None

    def is_placeholder(self, name: str) -> bool:
        """Whether ``{name}`` names something answers can use: a fact, an event field or a past edition's value."""
        if name in self.facts or name in EVENT_PLACEHOLDERS:
            return True
        rest = name.removeprefix(PREVIOUS)
        return rest != name and (rest in ("edition", "date") or rest in self.facts or any(rest in p.facts for p in self.past_editions))

    @property
    def menu(self) -> tuple[Entry, ...]:
        """The entries shown as main topics."""
        return tuple(e for e in self.entries if e.menu)

    @property
    def topics(self) -> tuple[Entry, ...]:
        """The entries /faq lists: every entry except small talk (``topic: false``)."""
        return tuple(e for e in self.entries if e.topic)

    def languages(self) -> list[Lang]:
        """Languages that at least one entry answers in."""
        return [lang for lang in LANGS if any(lang in e.answer for e in self.entries)]

    def fact_is_set(self, name: str) -> bool:
        """Whether placeholder ``name`` has a value (an empty fact makes answers use "missing")."""
        if name in self.facts:
            return True
        if name == "countdown":
            return True
        if name.startswith(PREVIOUS):
            rest = name.removeprefix(PREVIOUS)
            return self.previous is not None and (rest in ("edition", "date") or rest in self.previous.facts)
        return getattr(self.event, name, None) is not None


# --------------------------------------------------------------------------- YAML with positions


def _read_yaml(path: Path, shown: str) -> tuple[Any, dict[tuple[Any, ...], int]]:
    """Parse one YAML file safely and remember the line of every key and item."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KnowledgeError([Problem(shown, 1, "file is missing")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KnowledgeError([Problem(shown, 1, f"cannot be read: {exc}")]) from None
    loader = _Loader(text)
    try:
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


def _describe(error: Mapping[str, Any]) -> str:
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


def _schema_problems(exc: ValidationError, shown: str, data: Any, lines: Mapping[tuple[Any, ...], int]) -> list[Problem]:
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
        problems.append(Problem(shown, line, f"{where}'{name}' {_describe(error)}" if name else where + _describe(error)))
    return problems


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _parse(model: type[BaseModel], path: Path, shown: str, problems: list[Problem]) -> tuple[Any, dict[Any, int]]:
    """Read and validate one file; on failure add its problems and return ``None``."""
    try:
        data, lines = _read_yaml(path, shown)
    except KnowledgeError as exc:
        problems.extend(exc.problems)
        return None, {}
    if not isinstance(data, dict):
        problems.append(Problem(shown, 1, "must be a mapping of names to values at the top level"))
        return None, lines
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        text = path.read_text(encoding="utf-8")
        for problem in _schema_problems(exc, shown, data, lines):  # "must be text" from an unquoted "word: more"
            plain = unquoted_colon(text, problem.line) if problem.message.endswith("must be text") else None
            message = f"{problem.message.removesuffix('must be text').rstrip()}: {plain}" if plain else problem.message
            problems.append(Problem(problem.file, problem.line, message))
        return None, lines


# --------------------------------------------------------------------------- cross-file checks


def _check_texts(
    variants: Variants,
    known: Knowledge,
    shown: str,
    line: int,
    where: str,
    problems: list[Problem],
    extra: tuple[str, ...] = (),
) -> None:
    """Every placeholder names a fact, every moment has a text, and empty facts have a fallback."""
    for text in [*variants.all_texts(), *(variants.missing.all_texts() if variants.missing else [])]:
        for name in PLACEHOLDER.findall(text):
            if not known.is_placeholder(name) and name not in extra:
                problems.append(Problem(shown, line, f"{where}placeholder {{{name}}} names no fact in event.yaml"))
                return
    phases: tuple[Phase, ...] = ("before", "today", "after")
    for phase in phases:
        chosen = variants.for_phase(phase)
        if chosen is None:
            problems.append(Problem(shown, line, f"{where}no answer for the moment '{phase}' (add 'text' or '{phase}')"))
            return
        empty = [n for n in PLACEHOLDER.findall(chosen) if n not in extra and not known.fact_is_set(n)]
        if not empty:
            continue
        fallback = variants.missing.for_phase(phase) if variants.missing else None
        if fallback is None:
            problems.append(Problem(shown, line, f"{where}uses {{{empty[0]}}}, which is empty in event.yaml: add a 'missing' answer"))
            return
        still = [n for n in PLACEHOLDER.findall(fallback) if n not in extra and not known.fact_is_set(n)]
        if still:
            problems.append(Problem(shown, line, f"{where}'missing' answer uses {{{still[0]}}}, which is empty too"))
            return


def _cross_check(
    known: Knowledge,
    event_lines: Mapping[tuple[Any, ...], int],
    faq_lines: Mapping[tuple[Any, ...], int],
    reminder_lines: Mapping[tuple[Any, ...], int],
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    from bot.text import Normaliser, fold  # local: text is a leaf module, kept out of import cycles

    faq, rem = str(known.directory / "faq.yaml"), str(known.directory / "reminders.yaml")
    first_line: dict[str, int] = {}
    owner: dict[tuple[str, str], str] = {}
    normalisers = {lang: Normaliser.build(v.synonyms, v.stopwords, v.neutral) for lang, v in known.vocabulary.items()}
    for index, entry in enumerate(known.entries):
        line = faq_lines.get(("entries", index), 1)
        where = f"entry '{entry.id}': "
        if entry.id in first_line:
            problems.append(Problem(faq, line, f"{where}duplicate id (first defined on line {first_line[entry.id]})"))
        first_line.setdefault(entry.id, line)
        for lang, phrasings in entry.questions.items():
            normaliser = normalisers.get(lang)
            for q_index, question in enumerate(phrasings):
                q_line = faq_lines.get(("entries", index, "questions", lang, q_index), line)
                key = (lang, fold(question))
                other = owner.setdefault(key, entry.id)
                if other != entry.id:
                    problems.append(Problem(faq, q_line, f"{where}phrasing '{question}' is also under entry '{other}'"))
                if normaliser is not None and not normaliser.tokens(question):
                    problems.append(Problem(faq, q_line, f"{where}phrasing '{question}' has only stop words; add a meaningful word"))
        for lang, variants in entry.answer.items():
            a_line = faq_lines.get(("entries", index, "answer", lang), line)
            _check_texts(variants, known, faq, a_line, f"{where}answer.{lang}: ", problems)
        for lang in LANGS:
            if lang not in entry.answer or lang not in entry.questions:
                warnings.append(Problem(faq, line, f"{where}no '{lang}' phrasings or answer; English is used instead"))
        if DEFAULT_LANG not in entry.answer:
            problems.append(Problem(faq, line, f"{where}'answer.{DEFAULT_LANG}' is required (the fallback language)"))
    commands: dict[str, str] = {}
    for index, entry in enumerate(known.entries):
        if entry.command is None:
            continue
        c_line = faq_lines.get(("entries", index, "command"), 1)
        where = f"entry '{entry.id}': command /{entry.command}"
        if entry.command in BUILT_IN_COMMANDS:
            problems.append(Problem(faq, c_line, f"{where} is one of the bot's own commands; choose another name"))
        elif entry.command in commands:
            problems.append(Problem(faq, c_line, f"{where} is already used by entry '{commands[entry.command]}'"))
        commands.setdefault(entry.command, entry.id)
    seen_reminders: set[str] = set()
    for index, reminder in enumerate(known.reminders):
        line = reminder_lines.get(("reminders", index), 1)
        where = f"reminder '{reminder.id}': "
        if reminder.id in seen_reminders:
            problems.append(Problem(rem, line, f"{where}duplicate id"))
        seen_reminders.add(reminder.id)
        for lang, variants in reminder.text.items():
            _check_texts(variants, known, rem, reminder_lines.get(("reminders", index, "text", lang), line),
                         f"{where}text.{lang}: ", problems)  # fmt: skip
        if DEFAULT_LANG not in reminder.text:
            problems.append(Problem(rem, line, f"{where}'text.{DEFAULT_LANG}' is required (the fallback language)"))
    event_file = str(known.directory / "event.yaml")
    if known.event.end_date and known.event.end_date < known.event.date:
        line = event_lines.get(("event", "end_date"), 1)
        problems.append(Problem(event_file, line, "'event.end_date' is before 'event.date'"))
    for index, name in enumerate(known.event.location):
        if not known.is_placeholder(name) or name.startswith(PREVIOUS):
            line = event_lines.get(("event", "location", index), event_lines.get(("event", "location"), 1))
            problems.append(Problem(event_file, line, f"'event.location' names '{name}', which is no fact in event.yaml"))
    for index, past in enumerate(known.past_editions):
        if past.date >= known.event.date:
            line = event_lines.get(("past_editions", index), 1)
            problems.append(Problem(event_file, line, f"past edition '{past.edition}' is not before the current date"))


def _check_neutral(
    vocabulary: Mapping[Lang, LanguageVocabulary], shown: str, lines: Mapping[tuple[Any, ...], int], warnings: list[Problem]
) -> None:
    """Warn when a neutral word is a synonym of a concept that is not neutral itself: the concept would be ignored."""
    from bot.text import fold  # local: text is a leaf module, kept out of import cycles

    neutral = {fold(w) for words in vocabulary.values() for w in words.neutral}  # neutral in one language, in all
    for lang, words in vocabulary.items():
        concept_of = {fold(v): fold(key) for key, variants in words.synonyms.items() for v in variants}
        for index, word in enumerate(words.neutral):
            concept = concept_of.get(fold(word))
            if concept and concept != fold(word) and concept not in neutral:
                line = lines.get((lang, "neutral", index), lines.get((lang, "neutral"), 1))
                warnings.append(Problem(
                    shown, line,
                    f"{lang}: neutral word '{word}' is a synonym of '{concept}', so '{concept}' is ignored next to other "
                    f"words in every language; remove it from one list (or make '{concept}' neutral on purpose)",
                ))  # fmt: skip


def _load_locales(directory: Path, known: Knowledge, problems: list[Problem], warnings: list[Problem]) -> dict[Lang, dict[str, Variants]]:
    locales: dict[Lang, dict[str, Variants]] = {}
    for lang in LANGS:
        path = directory / "locales" / f"{lang}.yaml"
        shown = str(directory / "locales" / f"{lang}.yaml")
        if not path.exists() and lang != DEFAULT_LANG:
            warnings.append(Problem(shown, 1, "file is missing; English is used instead"))
            continue
        try:
            data, lines = _read_yaml(path, shown)
        except KnowledgeError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(data, dict):
            problems.append(Problem(shown, 1, "must be a mapping of keys to texts"))
            continue
        strings: dict[str, Variants] = {}
        for key, value in data.items():
            try:
                strings[str(key)] = Variants.model_validate(_text_variant(value))
            except ValidationError as exc:
                for error in exc.errors():
                    problems.append(Problem(shown, lines.get((key,), 1), f"'{key}' {_describe(error)}"))
                continue
            _check_texts(strings[str(key)], known, shown, lines.get((key,), 1), f"'{key}': ", problems, UI_PLACEHOLDERS)
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


def load(directory: str | Path) -> Knowledge:
    """Load and validate the knowledge base in ``directory``; raise ``KnowledgeError`` listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not directory.is_dir():
        raise KnowledgeError([Problem(str(directory), 1, "is not a folder")])
    event_file, event_lines = _parse(EventFile, directory / "event.yaml", str(directory / "event.yaml"), problems)
    faq_file, faq_lines = _parse(FaqFile, directory / "faq.yaml", str(directory / "faq.yaml"), problems)
    vocab_file, vocab_lines = (
        _parse(VocabularyFile, directory / "vocabulary.yaml", str(directory / "vocabulary.yaml"), problems)
        if (directory / "vocabulary.yaml").exists() else (VocabularyFile({}), {})
    )  # fmt: skip
    reminders_file, reminder_lines = (
        _parse(RemindersFile, directory / "reminders.yaml", str(directory / "reminders.yaml"), problems)
        if (directory / "reminders.yaml").exists() else (RemindersFile(), {})
    )  # fmt: skip
    passages_file, passage_lines = (
        _parse(PassagesFile, directory / "passages.yaml", str(directory / "passages.yaml"), problems)
        if (directory / "passages.yaml").exists() else (PassagesFile(), {})
    )  # fmt: skip
    if event_file is None or faq_file is None or reminders_file is None or vocab_file is None or passages_file is None:
        raise KnowledgeError(problems)
    passage_ids: set[str] = set()
    for index, passage in enumerate(passages_file.passages):
        if passage.id in passage_ids:
            line = passage_lines.get(("passages", index), 1)
            problems.append(Problem(str(directory / "passages.yaml"), line, f"passage '{passage.id}': duplicate id"))
        passage_ids.add(passage.id)
    vocabulary: dict[Lang, LanguageVocabulary] = dict(vocab_file.root)
    known = Knowledge(
        directory=directory, event=event_file.event, facts=event_file.facts, entries=tuple(faq_file.entries),
        vocabulary=vocabulary, reminders=tuple(reminders_file.reminders), locales={},
        past_editions=tuple(event_file.past_editions),
    )  # fmt: skip
    _cross_check(known, event_lines, faq_lines, reminder_lines, problems, warnings)
    _check_neutral(vocabulary, str(directory / "vocabulary.yaml"), vocab_lines, warnings)
    locales = _load_locales(directory, known, problems, warnings)
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(
        directory=directory, event=known.event, facts=known.facts, entries=known.entries, vocabulary=vocabulary,
        reminders=known.reminders, locales=locales, warnings=tuple(warnings), past_editions=known.past_editions,
        passages=tuple(passages_file.passages),
    )  # fmt: skip
