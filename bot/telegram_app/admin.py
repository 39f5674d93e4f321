"""Organisers' commands, for ADMIN_IDS only: everyone else gets the unknown-command reply, revealing nothing."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.live import ReloadResult, fingerprint
from bot.render import Renderer
from bot.telegram_app.answers import unknown_command
from bot.telegram_app.broadcast import Report, broadcast
from bot.telegram_app.context import App, Context, Runtime, reader
from bot.telegram_app.reminders import schedule_reminders
from bot.telegram_app.replies import buttons, escape, send

log = logging.getLogger(__name__)

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
ANNOUNCE = "an:"


def admin_only(handler: Handler) -> Handler:
    """Run ``handler`` for admins; answer anyone else exactly as an unknown command would."""

    @functools.wraps(handler)
    async def guarded(update: Update, context: Context) -> None:
        user = update.effective_user
        if context.runtime.is_admin(user.id if user else None):
            await handler(update, context)
        elif update.callback_query is not None:
            await update.callback_query.answer()
        else:
            await unknown_command(update, context)

    return guarded


def announcement_key(announcement_id: int) -> str:
    """The delivery-log key of an announcement."""
    return f"announce:{announcement_id}"


@admin_only
async def announce(update: Update, context: Context) -> None:
    """/announce <text>: a preview with Send and Cancel buttons."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or update.effective_user is None:
        return
    runtime = context.runtime
    _, render = reader(update, context)
    # Everything after the command, exactly as typed: line breaks kept, the first word included.
    parts = (message.text or "").split(None, 1)
    text = parts[1].rstrip() if len(parts) > 1 else ""
    if not text:
        await send(context.bot, chat.id, render.ui("announce_usage"))
        return
    announcement_id = runtime.store.create_announcement(update.effective_user.id, text, runtime.clock())
    preview = render.ui("announce_preview", subscribers=str(len(runtime.store.subscribers())), text=text)
    keyboard = buttons([[(render.ui("announce_send_button"), f"{ANNOUNCE}send:{announcement_id}"),
                         (render.ui("announce_cancel_button"), f"{ANNOUNCE}cancel:{announcement_id}")]])  # fmt: skip
    await send(context.bot, chat.id, preview, keyboard)


@admin_only
async def announce_button(update: Update, context: Context) -> None:
    """Send or Cancel under a preview."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    await query.answer()
    runtime = context.runtime
    _, render = reader(update, context)
    action, _, raw_id = query.data.removeprefix(ANNOUNCE).partition(":")
    found = runtime.store.announcement(int(raw_id)) if raw_id.isdigit() else None
    if found is None or found[1] != "draft":
        await send(context.bot, chat.id, render.ui("announce_gone"))
        return
    announcement_id = int(raw_id)
    if action == "cancel":
        runtime.store.set_announcement_state(announcement_id, "cancelled")
        await send(context.bot, chat.id, render.ui("announce_cancelled"))
        return
    runtime.store.set_announcement_state(announcement_id, "sending")
    total = len(runtime.store.pending(announcement_key(announcement_id)))
    status = await send(context.bot, chat.id, render.ui("announce_progress", sent="0", total=f"{total:,}"))
    step = max(1, total // 20)

    async def progress(report: Report) -> None:
        if report.done % step == 0 and report.done < report.total:
            await context.bot.edit_message_text(
                escape(render.ui("announce_progress", sent=f"{report.done:,}", total=f"{report.total:,}")),
                chat_id=chat.id, message_id=status.message_id, parse_mode=ParseMode.HTML,
            )  # fmt: skip

    report = await send_announcement(context.bot, runtime, announcement_id, found[0], progress)
    final = render.ui("announce_report", sent=f"{report.sent:,}", blocked=f"{report.blocked:,}", failed=f"{report.failed:,}")
    await context.bot.edit_message_text(escape(final), chat_id=chat.id, message_id=status.message_id, parse_mode=ParseMode.HTML)


async def send_announcement(
    bot: Bot, runtime: Runtime, announcement_id: int, text: str, progress: Callable[[Report], Awaitable[None]] | None = None
) -> Report:
    """Broadcast an announcement (as written, in every language) and mark it done."""
    report = await broadcast(bot, runtime.store, announcement_key(announcement_id), lambda _lang: text, runtime.clock, progress)
    runtime.store.set_announcement_state(announcement_id, "done")
    return report


async def resume_announcements(application: App) -> None:
    """Finish broadcasts interrupted by a crash or restart (exactly once, like reminders)."""
    runtime: Runtime = application.bot_data["runtime"]
    for announcement_id in runtime.store.unfinished_announcements():
        found = runtime.store.announcement(announcement_id)
        if found is not None:
            log.info("resuming announcement %s", announcement_id)
            await send_announcement(application.bot, runtime, announcement_id, found[0])


# ---------------------------------------------------------------------------- live reload

RELOAD_JOB = "knowledge-watch"


def reload_summary(render: Renderer, result: ReloadResult) -> str:
    """What a reload did, in words for an organiser."""
    if result.problems:
        return render.ui("reload_failed", problems="\n".join(str(p) for p in result.problems))
    if not result.changed:
        return render.ui("reload_unchanged")
    return render.ui(
        "reload_ok",
        added=", ".join(result.added) or "–",
        modified=", ".join(result.modified) or "–",
        removed=", ".join(result.removed) or "–",
    )


def apply_reload(application: App) -> ReloadResult:
    """Validate knowledge/ and swap it in if valid; reschedule reminders when it changed."""
    runtime: Runtime = application.bot_data["runtime"]
    result = runtime.live.reload()
    if result.changed:
        log.info("knowledge reloaded: +%s ~%s -%s", result.added, result.modified, result.removed)
        schedule_reminders(application)
    elif result.problems:
        log.warning("knowledge edit rejected (%s problems); still serving the last good version", len(result.problems))
    return result


async def tell_admins(application: App, result: ReloadResult) -> None:
    """Send every admin the reload's summary (or its problems)."""
    runtime: Runtime = application.bot_data["runtime"]
    for admin_id in sorted(runtime.settings.admin_ids):
        render = runtime.snapshot.assistant.renderer(runtime.lang_for(admin_id, None), runtime.clock())
        try:
            await send(application.bot, admin_id, reload_summary(render, result))
        except TelegramError as exc:  # an admin who never pressed Start cannot be messaged
            log.warning("could not notify an admin of the reload: %s", exc)  # no user id in the log


@admin_only
async def reload(update: Update, context: Context) -> None:
    """/reload: validate and apply knowledge/ now, and say what changed (or every problem)."""
    if update.effective_chat is None:
        return
    result = apply_reload(context.application)  # type: ignore[arg-type]
    _, render = reader(update, context)
    await send(context.bot, update.effective_chat.id, reload_summary(render, result))


async def watch_knowledge(context: Context) -> None:
    """Poll knowledge/ for edits; reload once a change has settled (unchanged across two polls).

    Editors often save in two steps; waiting for the files to stop changing avoids
    validating a half-written file, and a rejected version is reported to admins only once.
    """
    runtime = context.runtime
    state = runtime.extras.setdefault("watch", {"pending": None, "reported": None})
    try:
        current = fingerprint(runtime.live.directory)
    except OSError:
        return
    if current == runtime.live.current.fingerprint:
        state["pending"] = None
        return
    if current != state["pending"]:
        state["pending"] = current  # changed since the last poll: let it settle
        return
    if current == state["reported"]:
        return  # this broken version was already reported
    result = apply_reload(context.application)  # type: ignore[arg-type]
    state["pending"] = None
    state["reported"] = current if result.problems else None
    if result.changed or result.problems:
        await tell_admins(context.application, result)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- statistics (teaching: teaching.py)


@admin_only
async def stats(update: Update, context: Context) -> None:
    """/stats: subscribers, questions today and in total, share answered, most asked, unanswered."""
    if update.effective_chat is None:
        return
    runtime = context.runtime
    _, render = reader(update, context)
    now = runtime.clock()
    today = now.astimezone(runtime.snapshot.knowledge.event.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    figures = runtime.store.stats(now, today)
    text = render.ui(
        "stats",
        subscribers=f"{figures.subscribers:,}",
        questions_today=f"{figures.questions_today:,}",
        questions_total=f"{figures.questions_total:,}",
        answered_share=f"{figures.answered_share:.0%}",
        top_entries=", ".join(f"{faq_id} ({count})" for faq_id, count in figures.top_entries) or "–",
        unanswered=f"{figures.unanswered:,}",
    )
    await send(context.bot, update.effective_chat.id, text)
