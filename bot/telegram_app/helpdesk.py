"""The helpdesk loop: an attendee passes a question on; an organiser replies in the organiser chat; they get it.

Neither side learns who the other is: the organiser chat sees the question and the bot's best
guesses, the attendee sees the reply as the bot's message. The button carries an unguessable
ticket that only the person who asked can use, once.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import filters

from bot.store import MAX_TICKET_QUESTION
from bot.telegram_app.context import Context, Runtime, button_tap, reader, text_message
from bot.telegram_app.guards import expired_button
from bot.telegram_app.replies import ORGANISERS, buttons, reply, send

log = logging.getLogger(__name__)

# Callback data of "add this as an answer" under a delivered reply: "hd:<ticket>" (admins only).
ADD_ANSWER = "hd:"


async def ask_organisers(update: Update, context: Context) -> None:
    """The "Ask the organisers" button: pass the question to ORGANISER_CHAT_ID once, with the bot's best guesses."""
    tap = await button_tap(update, context, answer=False)  # answered once the ticket is known to exist
    if tap is None:
        return
    snapshot, render = reader(update, context)
    organisers = tap.runtime.settings.organiser_chat_id
    token = tap.data.removeprefix(ORGANISERS)
    known = tap.runtime.store.ticket(token)
    if known is None:  # purged, forgotten, or forged
        await expired_button(update, context)
        return
    await tap.query.answer()
    if organisers is None:
        await reply(update, context, render.ui("no_organiser_chat"))
        return
    ticket = tap.runtime.store.claim_ticket(token, tap.query.from_user.id)
    if ticket is None:
        await reply(
            update,
            context,
            render.ui("already_forwarded" if known.asker_id == tap.query.from_user.id else "ticket_not_yours"),
        )
        return
    organiser_render = snapshot.assistant.renderer(tap.runtime.lang_for(organisers, None), tap.runtime.clock())
    guesses = [snapshot.knowledge.by_id[c.entry_id] for c in snapshot.assistant.matcher.rank(ticket.question, limit=3)]
    text = organiser_render.ui(
        "organiser_forward",
        question=ticket.question,
        guesses=", ".join(organiser_render.title(e) for e in guesses) or "–",
    )
    # a long question: only its start goes, and both sides know
    cut = {"count": f"{MAX_TICKET_QUESTION:,}"} if ticket.cut else None
    if cut:
        text = f"{text}\n\n{organiser_render.ui('question_cut', **cut)}"
    try:
        sent = await send(context.bot, organisers, text)
    except TelegramError as exc:
        log.warning("could not reach the organiser chat: %s", exc)
        tap.runtime.store.reopen_ticket(ticket.token)
        await reply(update, context, render.ui("no_organiser_chat"))
        return
    tap.runtime.store.ticket_sent(ticket.token, organisers, sent.message_id)
    done = render.ui("forwarded_to_organisers")
    await reply(update, context, f"{done} {render.ui('question_cut', **cut)}" if cut else done)


class ForwardedReply(filters.MessageFilter):
    """A reply in the organiser chat to a question the bot forwarded there (its ticket kept, or gone since)."""

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(name="ForwardedReply")
        self.runtime = runtime

    def filter(self, message: Message) -> bool:
        """Whether ``message`` replies to a forwarded question: its ticket is in the store, or it reads like ours."""
        original, runtime = message.reply_to_message, self.runtime
        if original is None:
            return False
        if runtime.store.ticket_for_message(message.chat.id, original.message_id) is not None:
            return True
        from_bot = original.from_user is not None and original.from_user.id == message.get_bot().id
        chat_render = runtime.snapshot.assistant.renderer(runtime.lang_for(message.chat.id, None), runtime.clock())
        return from_bot and (original.text or "").startswith(chat_render.ui("organiser_forward").split("\n")[0])


async def organiser_reply(update: Update, context: Context) -> None:
    """A reply in the organiser chat to a forwarded question (``ForwardedReply``): deliver it to the asker."""
    said = text_message(update)
    if said is None or said.message.reply_to_message is None:
        return
    runtime = context.runtime
    original = said.message.reply_to_message
    ticket = runtime.store.ticket_for_message(said.chat.id, original.message_id)
    snapshot, render = reader(update, context)
    if ticket is None:  # its ticket is gone (/forget or expiry): say so rather than treat it as a question
        await reply(update, context, render.ui("organiser_answer_undeliverable"))
        return
    attendee = snapshot.assistant.renderer(runtime.lang_for(ticket.asker_id, ticket.lang), runtime.clock())
    try:
        await send(
            context.bot, ticket.asker_id, attendee.ui("organiser_answer", question=ticket.question, answer=said.text)
        )
    except TelegramError as exc:  # the attendee blocked the bot or used /forget meanwhile
        log.info("could not deliver an organiser reply: %s", exc)
        await reply(update, context, render.ui("organiser_answer_undeliverable"))
        return
    runtime.store.ticket_answered(ticket.token, said.text)
    keyboard = (
        buttons([[(render.ui("add_as_answer_button"), f"{ADD_ANSWER}{ticket.token}")]])
        if runtime.settings.admin_ids
        else None
    )
    await reply(update, context, render.ui("organiser_answer_delivered"), keyboard)
