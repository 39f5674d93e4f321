"""Teaching from Telegram (admins only): /unanswered with ranked candidates, "new entry", "ignore", /undo.

Every change goes through ``bot.learning`` off the event loop (it reads, validates and writes
faq.yaml), is refused when it would make a question the bot answers today go elsewhere, and
is recorded so /undo can put faq.yaml back. A tap already applied changes nothing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime

from telegram import ForceReply, Message, Update
from telegram.ext import filters

from bot import learning
from bot.assistant import Assistant
from bot.insights import UnansweredGroup, group_unanswered
from bot.knowledge import Knowledge, KnowledgeError, Lang
from bot.languages import written_in
from bot.learning import Edit, HarmfulEdit
from bot.store import Question, Store
from bot.telegram_app.context import Context, Runtime, button_tap, reader, text_message
from bot.telegram_app.helpdesk import ADD_ANSWER
from bot.telegram_app.live_reload import apply_reload
from bot.telegram_app.replies import buttons, send

log = logging.getLogger(__name__)

# Callback data: "learn:<question id>:<entry id>", "learn:<question id>:+" (new entry), "learn:<question id>:-"
# (ignore).
LEARN = "learn:"
NEW, IGNORE = "+", "-"
MAX_GROUPS = 10
PREVIEW = 90


def _preview(text: str) -> str:
    """The start of an answer, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1].rstrip() + "…"


def _lang_of(runtime: Runtime, text: str, fallback: str) -> Lang:
    """The language ``text`` is written in (the stored language when that is unclear)."""
    found = written_in(text, runtime.snapshot.knowledge)
    return found or fallback  # type: ignore[return-value]


async def unanswered(update: Update, context: Context) -> None:
    """/unanswered: misses grouped, each with its closest entries (title and the answer they give) and buttons."""
    if update.effective_chat is None:
        return
    runtime = context.runtime
    snapshot, render = reader(update, context)
    questions = runtime.store.unanswered(since_days=runtime.settings.retention_days, now=runtime.clock())
    groups = await asyncio.to_thread(_grouped, questions, snapshot.knowledge, runtime.clock())
    if not groups:
        await send(context.bot, update.effective_chat.id, render.ui("unanswered_none"))
        return
    lines = [render.ui("unanswered_header")]
    rows: list[list[tuple[str, str]]] = []
    for number, group in enumerate(groups, 1):
        lines.append("")
        lines.append(
            render.ui(
                "unanswered_group",
                number=str(number),
                question=group.text,
                count=str(group.count),
                languages=", ".join(group.langs),
            )
        )
        choices = []
        for faq_id in group.nearest:
            answer = snapshot.assistant.answer_entry(faq_id, render.lang, render.now)
            title = render.entry_title(faq_id)
            lines.append(render.ui("unanswered_candidate", entry=title, answer=_preview(answer.text if answer else "")))
            data = f"{LEARN}{group.question_ids[0]}:{faq_id}"
            if len(data.encode()) <= 64:
                choices.append((f"{number}. + {title}", data))
        rows.append(choices)
        rows.append(
            [
                (f"{number}. {render.ui('new_entry_button')}", f"{LEARN}{group.question_ids[0]}:{NEW}"),
                (f"{number}. {render.ui('ignore_button')}", f"{LEARN}{group.question_ids[0]}:{IGNORE}"),
            ]
        )
    await send(context.bot, update.effective_chat.id, "\n".join(lines), buttons([r for r in rows if r]))


def _grouped(questions: list[Question], knowledge: Knowledge, now: datetime) -> list[UnansweredGroup]:
    """The unanswered groups with their closest entries, ranked by an assistant of this thread's own.

    Runs off the event loop: the live assistant's matcher keeps caches that the loop uses for every
    question, so the thread never touches them (their check-then-read would race) and builds its own.
    """
    return group_unanswered(questions, Assistant(knowledge, learned=False), 2, MAX_GROUPS, now)  # matcher-ranked


def _group_of(runtime: Runtime, question: Question) -> UnansweredGroup | None:
    """The unanswered group ``question`` belongs to now (``None`` once it was resolved)."""
    recent = runtime.store.unanswered(since_days=runtime.settings.retention_days, now=runtime.clock())
    return next((g for g in group_unanswered(recent) if question.id in g.question_ids), None)


async def learn_button(update: Update, context: Context) -> None:
    """A tap under /unanswered: file the group under an entry, ask for a new entry's answer, or ignore it."""
    tap = await button_tap(update, context)
    if tap is None:
        return
    snapshot, render = reader(update, context)
    raw_id, _, choice = tap.data.removeprefix(LEARN).partition(":")
    question = tap.runtime.store.question(int(raw_id)) if raw_id.isdigit() else None
    group = _group_of(tap.runtime, question) if question is not None else None
    if question is None or group is None:  # resolved by an earlier tap (or purged): nothing to do twice
        await send(context.bot, tap.chat.id, render.ui("learn_already"))
        return
    if choice == IGNORE:
        tap.runtime.store.ignore_questions(group.question_ids)
        await send(context.bot, tap.chat.id, render.ui("ignored", count=str(group.count), question=group.text))
        return
    if choice == NEW:
        prompt = await context.bot.send_message(
            tap.chat.id,
            render.ui("new_entry_prompt", question=group.text),
            reply_markup=ForceReply(selective=True),
            parse_mode=None,
        )
        tap.runtime.store.add_prompt(tap.chat.id, prompt.message_id, question.id, tap.runtime.clock())
        return
    if snapshot.assistant.silent(choice, render):
        # listed before its fact was emptied (or forged): filed there, the group would be resolved yet unanswered
        await send(context.bot, tap.chat.id, render.ui("learn_silent", entry=render.entry_title(choice)))
        return
    lang = _lang_of(tap.runtime, question.text, question.lang)
    call = learning.add_phrasing, tap.runtime.live.directory, choice, lang, question.text
    await _apply(update, context, call, group.question_ids, question.text, lang, "learned")


class PromptReply(filters.MessageFilter):
    """A reply to one of teaching's "write the answer" prompts, looked up in the store (so it survives a restart)."""

    def __init__(self, store: Store) -> None:
        super().__init__(name="PromptReply")
        self.store = store

    def filter(self, message: Message) -> bool:
        """Whether ``message`` replies to a prompt still awaiting its answer."""
        original = message.reply_to_message
        return original is not None and self.store.prompt(message.chat.id, original.message_id) is not None


async def answer_prompt_reply(update: Update, context: Context) -> None:
    """An admin's reply to our "write the answer" prompt (via ``PromptReply``, ``Admins``): a new entry's answer."""
    said = text_message(update)
    if said is None:
        return
    runtime = context.runtime
    original = said.message.reply_to_message
    question_id = runtime.store.prompt(said.chat.id, original.message_id) if original is not None else None
    if original is None or question_id is None:  # the filter saw the prompt: only a concurrent /forget removes it
        return
    question = runtime.store.question(question_id)
    group = _group_of(runtime, question) if question is not None else None
    if question is None or group is None:
        runtime.store.drop_prompt(said.chat.id, original.message_id)
        await send(context.bot, said.chat.id, reader(update, context)[1].ui("learn_already"))
        return
    runtime.store.drop_prompt(said.chat.id, original.message_id)
    lang = _lang_of(runtime, question.text, question.lang)
    answer_lang = written_in(said.text, runtime.snapshot.knowledge)
    call = learning.new_entry, runtime.live.directory, question.text, lang, said.text, answer_lang
    await _apply(update, context, call, group.question_ids, question.text, lang, "entry_created")


async def add_answer_button(update: Update, context: Context) -> None:
    """The "Add as an answer" button under an organiser's reply: a new entry with the attendee's question and reply."""
    tap = await button_tap(update, context)
    if tap is None:
        return
    token = tap.data.removeprefix(ADD_ANSWER)
    found = tap.runtime.store.ticket_answer(token)
    if found is None or tap.runtime.store.edit_done(tap.data):
        await send(context.bot, tap.chat.id, reader(update, context)[1].ui("learn_already"))
        return
    question, stored_lang, reply = found
    lang = _lang_of(tap.runtime, question, stored_lang)
    answer_lang = written_in(reply, tap.runtime.snapshot.knowledge)
    call = learning.new_entry, tap.runtime.live.directory, question, lang, reply, answer_lang
    await _apply(update, context, call, (), question, lang, "entry_created", key=tap.data)


async def _apply(
    update: Update,
    context: Context,
    call: tuple[object, ...],
    question_ids: tuple[int, ...],
    question: str,
    lang: Lang,
    done: str,
    key: str | None = None,
) -> None:
    """Run a faq.yaml edit off the event loop; if it works record it for /undo, resolve questions, reload, show it."""
    chat = update.effective_chat
    assert chat is not None
    runtime = context.runtime
    _, render = reader(update, context)
    function, *arguments = call
    try:
        edit: Edit = await asyncio.to_thread(function, *arguments)  # type: ignore[arg-type]
    except HarmfulEdit as exc:
        lines = [
            render.ui(
                "harm_line", question=h.question, was=render.entry_title(h.was), would_be=render.entry_title(h.would_be)
            )
            for h in exc.harms[:10]
        ]
        await send(context.bot, chat.id, render.ui("learn_harmful", harms="\n".join(lines)))
        return
    except KnowledgeError as exc:
        await send(context.bot, chat.id, render.ui("learn_failed", problems="\n".join(map(str, exc.problems))))
        return
    if edit.before != edit.after:
        runtime.store.record_edit(
            key or uuid.uuid4().hex, edit.file, edit.before, edit.after, runtime.clock(), question_ids
        )
    runtime.store.resolve_questions(question_ids, edit.faq_id)
    await apply_reload(context.application)  # type: ignore[arg-type]
    fresh = runtime.snapshot
    attendee = fresh.assistant.answer(question, lang, runtime.clock())
    title = render.entry_title(edit.faq_id, fresh.knowledge)
    await send(context.bot, chat.id, render.ui(done, question=question, entry=title, answer=attendee.text))


async def undo(update: Update, context: Context) -> None:
    """/undo: put faq.yaml back as it was before the last change made from Telegram, and reload."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    _, render = reader(update, context)
    last = runtime.store.last_edit()
    if last is None:
        await send(context.bot, chat.id, render.ui("undo_nothing"))
        return
    edit_id, file, before, after = last
    try:
        await asyncio.to_thread(learning.undo, runtime.live.directory, before, after, file)
    except KnowledgeError as exc:
        await send(context.bot, chat.id, render.ui("undo_failed", problems="\n".join(map(str, exc.problems))))
        return
    runtime.store.mark_undone(edit_id)
    await apply_reload(context.application)  # type: ignore[arg-type]
    await send(context.bot, chat.id, render.ui("undo_done", file=str(runtime.live.directory / file)))
