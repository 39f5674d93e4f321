"""Organisers' commands, for ADMIN_IDS only: everyone else gets the unknown-command reply, revealing nothing."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.live import ReloadResult, Snapshot, fingerprint
from bot.render import Renderer
from bot.schedule import format_moment
from bot.telegram_app import editions
from bot.telegram_app.answers import unknown_command
from bot.telegram_app.broadcast import Report, broadcasts
from bot.telegram_app.context import App, Context, Runtime, reader
from bot.telegram_app.reminders import RETRY_AFTER, schedule_reminders
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
    """Send or Cancel under a preview; Send starts the broadcast in the background and returns at once."""
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
    if not runtime.store.start_announcement(announcement_id):  # a second tap, or a second process, got there first
        await send(context.bot, chat.id, render.ui("announce_gone"))
        return
    total = len(runtime.store.pending(announcement_key(announcement_id)))
    message_id: int | None = None
    try:
        message_id = (await send(context.bot, chat.id, render.ui("announce_progress", sent="0", total=f"{total:,}"))).message_id
    except TelegramError as exc:  # the broadcast goes out anyway; the report comes as a new message
        log.warning("could not show the announcement status in chat %s: %s", chat.id, exc)
    start_announcement(context.application, announcement_id, found[0], StatusMessage(context.bot, chat.id, message_id, render))  # type: ignore[arg-type]


class StatusMessage:
    """The organiser's "Sending… n / N" message: edited as the broadcast goes, never holding it up, ending in the report."""

    def __init__(self, bot: Bot, chat_id: int, message_id: int | None, render: Renderer) -> None:
        self.bot, self.chat_id, self.message_id, self.render = bot, chat_id, message_id, render
        self._edit: asyncio.Task[None] | None = None
        self._shown = 0

    def progress(self, report: Report) -> None:
        """Show progress every 5 %; skipped while the previous edit is still on its way."""
        step = max(1, report.total // 20)
        if report.done - self._shown < step or report.done >= report.total or (self._edit is not None and not self._edit.done()):
            return
        self._shown = report.done
        text = self.render.ui("announce_progress", sent=f"{report.done:,}", total=f"{report.total:,}")
        self._edit = asyncio.create_task(self._show(text, final=False))

    async def finish(self, report: Report) -> None:
        """Replace the progress with the report (or send it as a new message if the edit fails)."""
        if self._edit is not None:
            await self._edit
        await self._show(report_text(self.render, report), final=True)

    async def _show(self, text: str, final: bool) -> None:
        try:
            if self.message_id is None:
                raise BadRequest("no status message to edit")
            await self.bot.edit_message_text(escape(text), chat_id=self.chat_id, message_id=self.message_id, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not update the announcement status in chat %s: %s", self.chat_id, exc)
            if final:
                try:
                    await send(self.bot, self.chat_id, text)
                except TelegramError as again:
                    log.warning("could not send the announcement report to chat %s: %s", self.chat_id, again)


def report_text(render: Renderer, report: Report) -> str:
    """An announcement's outcome in words for the organiser."""
    return render.ui(
        "announce_report",
        sent=f"{report.sent:,}",
        blocked=f"{report.blocked:,}",
        failed=f"{report.failed:,}",
        unconfirmed=f"{report.unconfirmed:,}",
    )


def start_announcement(application: App, announcement_id: int, text: str, status: StatusMessage) -> None:
    """Broadcast an announcement (as written, in every language) in the background; report, retry failures, then mark it done."""
    runtime: Runtime = application.bot_data["runtime"]
    key = announcement_key(announcement_id)

    async def on_done(report: Report) -> None:
        if not application.running and report.done < report.total:
            log.info("announcement %s paused by the shutdown; it resumes after the next start", announcement_id)
            return  # still 'sending': the report comes when it is complete
        await status.finish(report)
        if runtime.store.retry_left(key) and application.running:
            if report.failed and application.job_queue is not None:
                application.job_queue.run_once(
                    retry_announcement_job, RETRY_AFTER, data={"id": announcement_id}, name=f"{ANNOUNCE_RETRY_PREFIX}{announcement_id}"
                )
            return  # still 'sending': retried by the job, or resumed at the next start
        if application.running:
            runtime.store.set_announcement_state(announcement_id, "done")

    broadcasts(application).start(key, lambda _lang: text, on_done=on_done, progress=status.progress)


ANNOUNCE_RETRY_PREFIX = "announce-retry:"
RESUME_JOB = "announce-resume"


def resume_announcement(application: App, announcement_id: int) -> None:
    """Finish an interrupted or partly failed announcement in the background; its author gets the report."""
    runtime: Runtime = application.bot_data["runtime"]
    found = runtime.store.announcement(announcement_id)
    author = runtime.store.announcement_author(announcement_id)
    if found is None or found[1] != "sending" or author is None:
        return
    log.info("resuming announcement %s", announcement_id)
    render = runtime.snapshot.assistant.renderer(runtime.lang_for(author, None), runtime.clock())
    start_announcement(application, announcement_id, found[0], StatusMessage(application.bot, author, None, render))


async def retry_announcement_job(context: Context) -> None:
    """Retry an announcement's failed deliveries (scheduled after a run that had failures)."""
    assert context.job is not None
    assert isinstance(context.job.data, dict)
    resume_announcement(context.application, int(context.job.data["id"]))  # type: ignore[arg-type]


async def resume_announcements_job(context: Context) -> None:
    """Just after start-up: finish broadcasts interrupted by a crash or restart, in the background."""
    for announcement_id in context.runtime.store.unfinished_announcements():
        resume_announcement(context.application, announcement_id)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- live reload

RELOAD_JOB = "knowledge-watch"


def reload_summary(render: Renderer, result: ReloadResult) -> str:
    """What a reload did, in words for an organiser."""
    if result.problems:
        return render.ui("reload_failed", problems="\n".join(str(p) for p in result.problems))
    fixed = [render.ui("reload_fixed")] if result.fixed else []
    if not result.changed:
        return "\n".join(fixed) or render.ui("reload_unchanged")
    lines = [*fixed, render.ui(
        "reload_ok",
        added=", ".join(result.added) or "–",
        modified=", ".join(result.modified) or "–",
        removed=", ".join(result.removed) or "–",
    )]  # fmt: skip
    if result.facts:
        lines.append(render.ui("reload_facts", changes="\n".join(f"{name}: {old} → {new}" for name, old, new in result.facts)))
    if result.reminders:
        pattern = render.ui("datetime_format")
        moved = [f"{rid}: {format_moment(at, pattern, render.lang, render.knowledge) if at else render.ui('reload_reminder_removed')}"
                 for rid, at in result.reminders]  # fmt: skip
        lines.append(render.ui("reload_reminders", changes="\n".join(moved)))
    if result.texts:
        lines.append(render.ui("reload_texts", changes=", ".join(result.texts)))
    return "\n".join(lines)


def apply_reload(application: App) -> ReloadResult:
    """Validate knowledge/ and swap it in if valid; reschedule reminders when it changed."""
    runtime: Runtime = application.bot_data["runtime"]
    before = runtime.snapshot
    result = runtime.live.reload()
    if result.changed:
        log.info("knowledge reloaded: +%s ~%s -%s", result.added, result.modified, result.removed)
        schedule_reminders(application)
        application.create_task(editions.after_reload(application, before), name="after-reload")
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
    # Back to the live version after a rejected edit still goes on, to say "fixed".
    if current == runtime.live.current.fingerprint and not runtime.live.broken:
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
    if result.changed or result.problems or result.fixed:
        await tell_admins(context.application, result)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- statistics (teaching: teaching.py)


def _title(snapshot: Snapshot, render: Renderer, faq_id: str) -> str:
    """An entry's title in the reader's language; its id once it is gone from the knowledge."""
    entry = snapshot.knowledge.by_id.get(faq_id)
    return render.localised(dict(entry.title)) if entry is not None else faq_id


@admin_only
async def stats(update: Update, context: Context) -> None:
    """/stats: subscribers, questions today and in total, share answered, most asked, unanswered."""
    if update.effective_chat is None:
        return
    runtime = context.runtime
    snapshot, render = reader(update, context)
    now = runtime.clock()
    today = now.astimezone(snapshot.knowledge.event.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    figures = runtime.store.stats(now, today)
    text = render.ui(
        "stats",
        subscribers=f"{figures.subscribers:,}",
        questions_today=f"{figures.questions_today:,}",
        questions_total=f"{figures.questions_total:,}",
        answered_share=f"{figures.answered_share:.0%}",
        top_entries=", ".join(f"{_title(snapshot, render, faq_id)} ({count})" for faq_id, count in figures.top_entries) or "–",
        unanswered=f"{figures.unanswered:,}",
    )
    await send(context.bot, update.effective_chat.id, text)
