"""Subscriptions (/remind, /stop, /status) and reminder delivery through the JobQueue."""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import Update

from bot.languages import in_language, language_in
from bot.schedule import delivery_key, format_moment, next_reminder, plan
from bot.telegram_app.broadcast import Report, broadcasts
from bot.telegram_app.context import App, Context, Runtime, reader
from bot.telegram_app.replies import reply, say

log = logging.getLogger(__name__)

JOB_PREFIX = "reminder:"
RETRY_PREFIX = "reminder-retry:"
RETRY_AFTER = timedelta(minutes=2)


def _next_text(runtime: Runtime, lang: str) -> str | None:
    """When the next reminder fires, written for ``lang``; ``None`` when none is left."""
    snapshot = runtime.snapshot
    due = next_reminder(snapshot.knowledge, runtime.clock())
    if due is None:
        return None
    pattern = snapshot.assistant.renderer(lang, runtime.clock()).ui("datetime_format")  # type: ignore[arg-type]
    return format_moment(due.at, pattern, lang, snapshot.knowledge)


async def remind(update: Update, context: Context) -> None:
    """/remind or the "Remind me" button: subscribe, or say honestly that it is too late."""
    chat = update.effective_chat
    if chat is None:
        return
    if update.callback_query is not None:  # the "Remind me" button
        await update.callback_query.answer()
    runtime = context.runtime
    _, render = reader(update, context)
    when = _next_text(runtime, render.lang)
    if when is None and render.phase == "after":  # between editions: hear when the next one is announced
        fresh = runtime.store.subscribe(chat.id, runtime.clock(), render.lang)
        await reply(
            update, context, render.ui("subscribed_next_edition" if fresh else "already_subscribed_next_edition")
        )
        return
    if when is None:
        await reply(update, context, render.ui("subscribe_too_late"))
        return
    fresh = runtime.store.subscribe(chat.id, runtime.clock(), render.lang)
    await reply(update, context, render.ui("subscribed" if fresh else "already_subscribed", when=when))


async def stop(update: Update, context: Context) -> None:
    """/stop: unsubscribe."""
    if update.effective_chat is not None:
        gone = context.runtime.store.unsubscribe(update.effective_chat.id)
        await say(update, context, "unsubscribed" if gone else "not_subscribed")


async def status(update: Update, context: Context) -> None:
    """/status: subscribed or not, and when the next reminder comes (event-local time)."""
    chat = update.effective_chat
    if chat is None:
        return
    runtime = context.runtime
    _, render = reader(update, context)
    if not runtime.store.is_subscribed(chat.id):
        await reply(update, context, render.ui("status_not_subscribed"))
        return
    when = _next_text(runtime, render.lang)
    await reply(update, context, render.ui("status_subscribed", when=when) if when else render.ui("status_no_more"))


async def reminder_job(context: Context) -> None:
    """Start sending one reminder in the background (joining a run already in progress); failures are retried later."""
    assert context.job is not None
    reminder_id = str(context.job.data["id"] if isinstance(context.job.data, dict) else context.job.data)
    start_reminder(context.application, reminder_id)  # type: ignore[arg-type]


def start_reminder(application: App, reminder_id: str) -> None:
    """Broadcast reminder ``reminder_id`` to every subscriber who has not had it; at most one run at a time."""
    runtime: Runtime = application.bot_data["runtime"]
    snapshot = runtime.snapshot
    reminder = next((r for r in snapshot.knowledge.reminders if r.id == reminder_id), None)
    if reminder is None:
        log.info("reminder %s no longer exists; not sent", reminder_id)
        return

    def text_for(lang: str | None) -> str:
        render = snapshot.assistant.renderer(language_in(reminder.text, lang), runtime.clock())
        return render.text(in_language(reminder.text, render.lang))

    key = delivery_key(snapshot.knowledge, reminder)

    async def on_done(report: Report) -> None:
        if report.failed and runtime.store.retry_left(key) and application.job_queue is not None:
            log.info("reminder %s: %s failed deliveries retried in %s", reminder_id, report.failed, RETRY_AFTER)
            application.job_queue.run_once(
                reminder_job,
                RETRY_AFTER,
                data={"id": reminder_id},
                name=f"{RETRY_PREFIX}{reminder_id}",
                job_kwargs={"misfire_grace_time": None},  # a retry is never dropped for running late
            )

    broadcasts(application).start(key, text_for, on_done=on_done)


def schedule_reminders(application: App) -> None:
    """(Re)build the reminder jobs from the live knowledge: upcoming ones at their time, recent misses now."""
    runtime: Runtime = application.bot_data["runtime"]
    queue = application.job_queue
    if queue is None:
        raise RuntimeError("the job-queue extra is required: pip install 'python-telegram-bot[job-queue]'")
    for job in queue.jobs():
        if job.name and job.name.startswith(JOB_PREFIX):
            job.schedule_removal()
    now = runtime.clock()
    grace = timedelta(minutes=runtime.settings.reminder_grace_minutes)
    # A job that fires late (the loop stalled, the VM was paused, the wall clock jumped) still runs within the same
    # grace a restart gets, instead of the scheduler's default of one second; later than that it is skipped, as at a
    # restart.
    late = {"misfire_grace_time": int(grace.total_seconds()), "coalesce": True}
    schedule = plan(runtime.snapshot.knowledge, now, grace)
    for due in schedule.upcoming:
        # A delay from our clock (not an absolute time) keeps an injected clock and the JobQueue in step.
        data = {"id": due.reminder.id, "at": due.at.isoformat()}
        queue.run_once(reminder_job, due.at - now, data=data, name=JOB_PREFIX + due.reminder.id, job_kwargs=late)
    for due in schedule.catch_up:
        log.info("reminder %s was due at %s, within the grace window: sending now", due.reminder.id, due.at.isoformat())
        data = {"id": due.reminder.id, "at": due.at.isoformat()}
        queue.run_once(reminder_job, 0, data=data, name=JOB_PREFIX + due.reminder.id, job_kwargs=late)
    for due in schedule.skipped:
        log.debug("reminder %s was due at %s, past the grace window: skipped", due.reminder.id, due.at.isoformat())
