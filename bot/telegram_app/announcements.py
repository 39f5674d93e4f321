"""/announce: a preview, then Send broadcasts it in the background: live status, retries, resumption after a restart."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError

from bot.render import Renderer
from bot.telegram_app.broadcast import Report, broadcasts, patiently
from bot.telegram_app.context import App, Context, Runtime, button_tap, reader
from bot.telegram_app.reminders import RETRY_AFTER
from bot.telegram_app.replies import buttons, escape, send, split

log = logging.getLogger(__name__)

ANNOUNCE = "an:"


def announcement_key(announcement_id: int) -> str:
    """The delivery-log key of an announcement."""
    return f"announce:{announcement_id}"


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
    subscribers = str(len(runtime.store.subscribers()))
    preview = render.ui("announce_preview", subscribers=subscribers, text=text)
    keyboard = buttons(
        [
            [
                (render.ui("announce_send_button"), f"{ANNOUNCE}send:{announcement_id}"),
                (render.ui("announce_cancel_button"), f"{ANNOUNCE}cancel:{announcement_id}"),
            ]
        ]
    )
    if len(split(escape(preview))) == 1:
        await send(context.bot, chat.id, preview, keyboard)
        return
    # Too long for one message: the heading, then the parts exactly as each subscriber will get them.
    await send(context.bot, chat.id, render.ui("announce_preview", subscribers=subscribers, text="").rstrip())
    parts = split(escape(text))
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await context.bot.send_message(
            chat.id, part, parse_mode=ParseMode.HTML, reply_markup=keyboard if last else None
        )


async def announce_button(update: Update, context: Context) -> None:
    """Send or Cancel under a preview; Send starts the broadcast in the background and returns at once."""
    tap = await button_tap(update, context)
    if tap is None:
        return
    _, render = reader(update, context)
    action, _, raw_id = tap.data.removeprefix(ANNOUNCE).partition(":")
    found = tap.runtime.store.announcement(int(raw_id)) if raw_id.isdigit() else None
    if found is None or found[1] != "draft":
        await send(context.bot, tap.chat.id, render.ui("announce_gone"))
        return
    announcement_id = int(raw_id)
    if action == "cancel":
        tap.runtime.store.set_announcement_state(announcement_id, "cancelled")
        await send(context.bot, tap.chat.id, render.ui("announce_cancelled"))
        return
    if not tap.runtime.store.start_announcement(announcement_id):  # a second tap, or a second process, got there first
        await send(context.bot, tap.chat.id, render.ui("announce_gone"))
        return
    total = len(tap.runtime.store.pending(announcement_key(announcement_id)))
    message_id: int | None = None
    try:
        message_id = (
            await send(context.bot, tap.chat.id, render.ui("announce_progress", sent="0", total=f"{total:,}"))
        ).message_id
    except TelegramError as exc:  # the broadcast goes out anyway; the report comes as a new message
        log.warning("could not show the announcement status to its organiser: %s", exc)  # no chat id: it is a user id
    status = StatusMessage(context.bot, tap.chat.id, message_id, render)
    start_announcement(context.application, announcement_id, found[0], status)  # type: ignore[arg-type]


class StatusMessage:
    """The organiser's "Sending… n / N" message: edited as sending goes on, never holding it up; then the report."""

    def __init__(self, bot: Bot, chat_id: int, message_id: int | None, render: Renderer) -> None:
        self.bot, self.chat_id, self.message_id, self.render = bot, chat_id, message_id, render
        self._edit: asyncio.Task[None] | None = None
        self._shown = 0

    def progress(self, report: Report) -> None:
        """Show progress every 5 %; skipped while the previous edit is still on its way."""
        step = max(1, report.total // 20)
        if (
            report.done - self._shown < step
            or report.done >= report.total
            or (self._edit is not None and not self._edit.done())
        ):
            return
        self._shown = report.done
        text = self.render.ui("announce_progress", sent=f"{report.done:,}", total=f"{report.total:,}")
        self._edit = asyncio.create_task(self._show(text, final=False))

    async def finish(self, report: Report) -> None:
        """Replace the progress with the report (or send it as a new message if the edit fails)."""
        if self._edit is not None:
            await self._edit
        await self._show(report.text(self.render, "announce_report"), final=True)

    async def _show(self, text: str, final: bool) -> None:
        try:
            if self.message_id is None:
                raise BadRequest("no status message to edit")
            await self.bot.edit_message_text(
                escape(text), chat_id=self.chat_id, message_id=self.message_id, parse_mode=ParseMode.HTML
            )
        except TelegramError as exc:
            log.warning("could not update the announcement status: %s", exc)  # no chat id: it is a user id
            if final:
                try:
                    await send(self.bot, self.chat_id, text)
                except TelegramError as again:
                    log.warning("could not send the announcement report: %s", again)


def start_announcement(application: App, announcement_id: int, text: str, status: StatusMessage) -> None:
    """Broadcast an announcement (as written, every language) in the background; report, retry failures, mark done."""
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
                    retry_announcement_job,
                    RETRY_AFTER,
                    data={"id": announcement_id},
                    name=f"{ANNOUNCE_RETRY_PREFIX}{announcement_id}",
                    job_kwargs={"misfire_grace_time": None},  # a retry is never dropped for running late
                )
            return  # still 'sending': retried by the job, or resumed at the next start
        if application.running:
            await patiently(
                runtime.store,
                lambda: runtime.store.set_announcement_state(announcement_id, "done"),
                f"announcement {announcement_id}",
            )

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
