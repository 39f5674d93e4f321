"""Answering attendees: /start with deep links, /help, topic commands, free text, buttons, groups."""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ChatType, MessageEntityType

from bot.assistant import Answer
from bot.telegram_app.context import Context, reader, text_message
from bot.telegram_app.guards import expired_button
from bot.telegram_app.menu import commands_text
from bot.telegram_app.replies import (
    TOPICS,
    answer_keyboard,
    entry_of,
    reply,
    say,
    thread_of,
    topics_keyboard,
)

log = logging.getLogger(__name__)

QUESTIONS_JOB = "write-questions"
DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


async def start(update: Update, context: Context) -> None:
    """Welcome the user with the main topics; ``/start <topic>`` (a deep link) opens that topic."""
    chat = update.effective_chat
    if chat is None:
        return
    snapshot, render = reader(update, context)
    payload = context.args[0] if context.args else ""
    if payload and DEEP_LINK.match(payload):
        answer = snapshot.assistant.answer_entry(payload.lower(), render.lang, render.now)
        if answer is not None:
            ticket = pass_on_ticket(update, context, answer)
            await reply(
                update,
                context,
                answer.text,
                answer_keyboard(answer, snapshot, render, ticket) or topics_keyboard(snapshot, render),
            )
            return
    await reply(update, context, render.ui("welcome"), topics_keyboard(snapshot, render))


async def help_command(update: Update, context: Context) -> None:
    """Explain how to use the bot."""
    if update.effective_chat is None:
        return
    snapshot, render = reader(update, context)
    private = update.effective_chat.type == ChatType.PRIVATE
    await reply(
        update,
        context,
        render.ui("help", commands=commands_text(snapshot, render, private)),
        topics_keyboard(snapshot, render),
    )


async def topics(update: Update, context: Context) -> None:
    """/faq: every entry as a button."""
    if update.effective_chat is None:
        return
    snapshot, render = reader(update, context)
    await reply(update, context, render.ui("topics_header"), topics_keyboard(snapshot, render, everything=True))


async def topic_command(update: Update, context: Context) -> None:
    """A command an entry declares (``command: when`` in faq.yaml) opens that entry; any other is unknown.

    The commands come from the live knowledge, so an organiser adds, renames or removes
    one by editing faq.yaml; a removed one gets the unknown-command reply (in groups: silence).
    """
    said = text_message(update)
    if said is None or not said.text:
        return
    name, _, addressee = said.text.split()[0][1:].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # "/when@other_bot" in a group is not for us
    snapshot, render = reader(update, context)
    entry = snapshot.knowledge.by_command.get(name.lower())
    if entry is None:
        if said.chat.type == ChatType.PRIVATE:
            await unknown_command(update, context)
        return
    event = snapshot.knowledge.event
    if entry.map and event.latitude is not None and event.longitude is not None:
        await context.bot.send_venue(
            said.chat.id,
            latitude=event.latitude,
            longitude=event.longitude,
            title=event.venue or f"{event.name} {event.edition}",
            address=event.address or render.place(),
            message_thread_id=thread_of(update),
        )
    await reply_with_entry(update, context, entry.id)


async def reply_with_entry(update: Update, context: Context, faq_id: str) -> None:
    """Send entry ``faq_id``'s answer with its follow-up buttons."""
    if update.effective_chat is None:
        return
    snapshot, render = reader(update, context)
    answer = snapshot.assistant.answer_entry(faq_id, render.lang, render.now)
    if answer is None:  # an organiser removed the entry: fall back to the topics
        await reply(update, context, render.ui("topics_header"), topics_keyboard(snapshot, render))
        return
    await reply(
        update, context, answer.text, answer_keyboard(answer, snapshot, render, pass_on_ticket(update, context, answer))
    )


async def private_text(update: Update, context: Context) -> None:
    """Free text in a private chat: answer it."""
    said = text_message(update)  # no chat: no one to answer
    if said is not None:
        await answer_question(update, context, said.text)


async def group_text(update: Update, context: Context) -> None:
    """In groups, answer only messages that mention the bot or reply to it; stay silent otherwise."""
    said = text_message(update)  # no chat: no one to answer
    if said is None:
        return
    username = context.bot.username
    replying_to_bot = (
        said.message.reply_to_message is not None
        and said.message.reply_to_message.from_user is not None
        and (said.message.reply_to_message.from_user.id == context.bot.id)
    )
    mentions = [
        text
        for entity, text in said.message.parse_entities([MessageEntityType.MENTION]).items()
        if text.lower() == f"@{username}".lower()
    ]
    if not mentions and not replying_to_bot:
        return
    question = re.sub(rf"@{re.escape(username)}\b", " ", said.text, flags=re.IGNORECASE).strip()
    await answer_question(update, context, question)


async def answer_question(update: Update, context: Context, question: str) -> None:
    """Answer ``question``, remember it (without who asked), and offer the buttons that fit."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    snapshot, render = reader(update, context)
    answer = snapshot.assistant.answer_for(question, render)
    if answer.outcome != "empty":
        # The text is kept only when it may teach the organisers something (docs/organisers.md, "Privacy").
        kept = "" if answer.outcome == "answer" else question
        asker = update.effective_user.id if update.effective_user else None
        runtime.store.record_question(
            kept, answer.lang, answer.faq_id, answer.score, answer.outcome, runtime.clock(), asker
        )
    await reply(
        update, context, answer.text, answer_keyboard(answer, snapshot, render, pass_on_ticket(update, context, answer))
    )


def pass_on_ticket(update: Update, context: Context, answer: Answer) -> str | None:
    """For a decline, where there are organisers to ask, the ticket of its "Ask the organisers" button; else ``None``.

    Only the asker can pass it on, once: the button carries an unguessable ticket, not a question number. A topic chosen
    by name that has nothing to say ("Contact", no contact known) passes on that topic's question.
    """
    runtime = context.runtime
    user = update.effective_user
    if answer.outcome != "decline" or runtime.settings.organiser_chat_id is None or user is None:
        return None
    return runtime.store.create_ticket(user.id, answer.lang, answer.question, runtime.clock())


async def write_questions_job(context: Context) -> None:
    """Write the questions recorded since the last write (a backup or ``bot stats`` then sees them within seconds)."""
    context.runtime.store.write_questions()


async def button(update: Update, context: Context) -> None:
    """A pressed answer or topics button."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    data = query.data
    if data == TOPICS:
        await query.answer()
        await topics(update, context)
    elif (faq_id := entry_of(data, context.runtime.snapshot)) is not None:
        await query.answer()
        await reply_with_entry(update, context, faq_id)
    else:  # an entry that no longer exists, or forged data
        await expired_button(update, context)


async def unsupported(update: Update, context: Context) -> None:
    """Stickers, photos, voice and the like in a private chat: a short hint."""
    if update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE:
        await say(update, context, "unsupported_message")


async def unknown_command(update: Update, context: Context) -> None:
    """A command the bot does not have (admins' commands look the same to everyone else)."""
    await say(update, context, "unknown_command")
