"""Builds the Application: one place, one ordered block of handlers."""

from __future__ import annotations

import importlib
import logging
import os
import time
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.commands import COMMANDS, Command
from bot.config import Settings
from bot.flood import FloodGuard
from bot.live import LiveKnowledge
from bot.store import QUESTION_WRITE_SECONDS, Store
from bot.telegram_app import (
    announcements,
    answers,
    broadcast,
    calendar,
    conflict,
    editions,
    guards,
    helpdesk,
    inline,
    language,
    live_reload,
    menu,
    migration,
    organisers,
    privacy,
    reminders,
    revoked,
    teaching,
)
from bot.telegram_app.context import App, Context, Runtime
from bot.telegram_app.ratelimit import Limits, TwoLaneRateLimiter
from bot.telegram_app.replies import ANSWER, CALENDAR, ENTRY_DIGEST, LANGUAGE, ORGANISERS, REMIND, TOPICS

CONTEXT_TYPES = ContextTypes(context=Context)
log = logging.getLogger(__name__)


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
    monotonic: Callable[[], float] | None = None,
    limits: Limits | None = None,
) -> App:
    """The bot, wired: settings, live knowledge, store, rate limiter and every handler.

    ``request`` replaces the HTTP client (tests pass the fake Bot API's in-process
    transport); ``clock`` and ``monotonic`` replace the real clocks; ``limits``
    replaces Telegram's limits (overall ``BROADCAST_RATE``, 1/s per chat, 20/min per group).
    """
    # Opt in to python-telegram-bot's coming behaviour (durations such as RetryAfter.retry_after as
    # timedelta), as its deprecation warning recommends. PTB reads PTB_TIMEDELTA whenever such a
    # duration is read (get_timedelta_value in telegram/_utils/datetime.py), never at import: setting
    # it here, before the Application exists, covers every duration the bot reads.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    live = LiveKnowledge(settings.knowledge_dir)  # raises KnowledgeError with every problem
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        .context_types(CONTEXT_TYPES)
        # Two lanes: replies to people first, broadcasts with what is left; 429s retried after retry_after.
        .rate_limiter(TwoLaneRateLimiter(limits or Limits(overall=settings.broadcast_rate), max_retries=3))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    # getUpdates is watched: a token revoked while running stops the bot like a rejected one at start-up.
    builder = builder.get_updates_request(revoked.WatchedUpdates(request or HTTPXRequest(connection_pool_size=1)))
    application: App = builder.build()  # type: ignore[assignment]
    application.bot_data["runtime"] = Runtime(
        settings=settings,
        live=live,
        store=Store(settings.data_dir / "bot.sqlite3"),
        clock=clock or (lambda: datetime.now(UTC)),
        monotonic=monotonic or time.monotonic,
        flood=FloodGuard(settings.flood_limit),
        inline_flood=FloodGuard(settings.inline_flood_limit),
    )
    add_handlers(application)
    return application


def handler_of(command: Command) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """The handler a row of the command table names (``"module.function"`` under ``bot.telegram_app``)."""
    module, function = command.handler.rsplit(".", 1)
    handler: Callable[[Update, Context], Coroutine[Any, Any, None]]
    handler = getattr(importlib.import_module(f"bot.telegram_app.{module}"), function)
    return handler


def add_handlers(application: App) -> None:
    """Register every handler, in the order Telegram updates should meet them."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    # -1: flood control sees every update first and can stop it (per chat; inline queries apart).
    application.add_handler(TypeHandler(Update, guards.flood_control), group=-1)
    # 0: a group that became a supergroup (a service message, in both chats): its settings move to the new id.
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, migration.migrated))
    runtime: Runtime = application.bot_data["runtime"]
    admins = organisers.Admins(runtime)
    # Free text first, as most updates are questions (no command or button matches these filters, so this order costs
    # nothing else): every private message; in groups only mentions and replies (the handler checks they are ours).
    new_text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
    # First: an admin's reply to teaching's "write the answer" prompt (kept in the store) creates a new entry, even when
    # the organiser chat is that admin's private chat, where the helpdesk below would otherwise take every reply.
    prompt_reply = teaching.PromptReply(runtime.store)
    application.add_handler(
        MessageHandler(new_text & private & filters.REPLY & prompt_reply & admins, teaching.answer_prompt_reply)
    )
    organiser_chat = runtime.settings.organiser_chat_id
    if organiser_chat is not None:  # helpdesk: replies in the organiser chat reach the attendee who asked
        forwarded = helpdesk.ForwardedReply(runtime)
        application.add_handler(
            MessageHandler(new_text & filters.Chat(organiser_chat) & forwarded, helpdesk.organiser_reply)
        )
    application.add_handler(MessageHandler(new_text & private, answers.private_text))
    application.add_handler(
        MessageHandler(new_text & groups & (filters.Entity("mention") | filters.REPLY), answers.group_text)
    )
    # The bot's own commands, from the one table (bot/commands.py): in private chats and groups ("/when@bot"),
    # or private chats only; admins' commands for ADMIN_IDS only (anyone else's falls through to the unknown-command
    # reply below). New messages only: an edited message never runs a command (CommandHandler would take edits too).
    for command in COMMANDS:
        chats = filters.UpdateType.MESSAGE & (private if command.where == "private" else filters.ALL)
        who = chats & admins if command.who == "admins" else chats
        application.add_handler(CommandHandler(command.name, handler_of(command), filters=who))
    # Buttons under the bot's messages.
    application.add_handler(CallbackQueryHandler(calendar.calendar, pattern=f"^{CALENDAR}$"))
    application.add_handler(CallbackQueryHandler(reminders.remind, pattern=f"^{REMIND}$"))
    application.add_handler(CallbackQueryHandler(language.choose_language, pattern=f"^{LANGUAGE}"))
    application.add_handler(CallbackQueryHandler(helpdesk.ask_organisers, pattern=f"^{ORGANISERS}"))
    # Organisers' buttons: a tap by anyone else is answered and does nothing.
    for callback, prefix in (
        (announcements.announce_button, announcements.ANNOUNCE),
        (teaching.learn_button, teaching.LEARN),
        (teaching.add_answer_button, helpdesk.ADD_ANSWER),
        (editions.notify_button, editions.NOTIFY),
    ):
        application.add_handler(CallbackQueryHandler(organisers.admin_only(callback), pattern=f"^{prefix}"))
    application.add_handler(CallbackQueryHandler(answers.button, pattern=f"^({ANSWER}|{ENTRY_DIGEST}|{TOPICS}$)"))
    # Any other button (stale, or forged callback data) is answered "This button has expired", never left spinning.
    application.add_handler(CallbackQueryHandler(guards.expired_button))
    # Inline mode: @bot <question> in any chat.
    application.add_handler(InlineQueryHandler(inline.inline_query))
    # Last: the topic commands faq.yaml declares (/when...); other commands get a hint in private chats.
    # Non-text messages in private chats get a hint too; edits and channel posts are ignored.
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.COMMAND, answers.topic_command))
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE & private & ~filters.TEXT, answers.unsupported))
    application.add_error_handler(conflict.on_conflict)  # first: a 409 stops the bot with one clear line
    application.add_error_handler(revoked.on_revoked)  # a 401 on getUpdates (token revoked while running) too
    application.add_error_handler(guards.on_error)


async def _post_init(application: App) -> None:
    """Start-up: the command menu, the reminder jobs (with catch-up), the watchers, and interrupted announcements.

    Broadcasts never run here: catch-ups and interrupted announcements start as jobs
    once the bot is running, as background tasks, so start-up does not wait for them.
    """
    runtime: Runtime = application.bot_data["runtime"]
    # This process owns DATA_DIR (the lock in ``python -m bot run``): what was in flight when a previous one died is
    # retried.
    # Before any broadcast runs; a database locked by another process (a backup) makes start-up wait, never fail.
    recovered = await broadcast.patiently(runtime.store, runtime.store.recover_unrecorded, "start-up")
    if recovered:  # outcomes a locked database could not take at the last shutdown
        log.info("%s delivery outcome(s) kept at the last shutdown are now recorded", recovered)
    interrupted = await broadcast.patiently(runtime.store, runtime.store.release_interrupted, "start-up")
    if interrupted:
        log.info("%s deliveries were in flight when the bot last stopped: they will be sent again", interrupted)
    await menu.register_menu(application)
    reminders.schedule_reminders(application)
    assert application.job_queue is not None  # the job-queue extra is a dependency
    interval = runtime.settings.reload_interval_seconds
    application.job_queue.run_repeating(
        live_reload.watch_knowledge, interval, first=interval, name=live_reload.RELOAD_JOB
    )
    application.job_queue.run_repeating(
        answers.write_questions_job, QUESTION_WRITE_SECONDS, first=QUESTION_WRITE_SECONDS, name=answers.QUESTIONS_JOB
    )
    application.job_queue.run_repeating(privacy.purge_job, 6 * 3600, first=0, name=privacy.PURGE_JOB)
    application.job_queue.run_once(
        announcements.resume_announcements_job,
        0,
        name=announcements.RESUME_JOB,
        job_kwargs={"misfire_grace_time": None},
    )


async def _post_shutdown(application: App) -> None:
    """Close the store."""
    runtime: Runtime = application.bot_data["runtime"]
    runtime.store.close()
