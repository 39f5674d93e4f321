"""Live reload of knowledge/: the file watcher, /reload, and the report organisers read (changes or problems)."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.error import TelegramError

from bot.live import ReloadResult, fingerprint
from bot.render import Renderer
from bot.schedule import format_moment
from bot.telegram_app import editions
from bot.telegram_app.context import App, Context, Runtime, reader
from bot.telegram_app.reminders import schedule_reminders
from bot.telegram_app.replies import send

log = logging.getLogger(__name__)

RELOAD_JOB = "knowledge-watch"


def reload_summary(render: Renderer, result: ReloadResult) -> str:
    """What a reload did, in words for an organiser."""
    if result.problems:
        return render.ui("reload_failed", problems="\n".join(str(p) for p in result.problems))
    fixed = [render.ui("reload_fixed")] if result.fixed else []
    if not result.changed:
        return "\n".join(fixed) or render.ui("reload_unchanged")
    lines = [
        *fixed,
        render.ui(
            "reload_ok",
            added=", ".join(result.added) or "–",
            modified=", ".join(result.modified) or "–",
            removed=", ".join(result.removed) or "–",
        ),
    ]
    if result.facts:
        lines.append(
            render.ui("reload_facts", changes="\n".join(f"{name}: {old} → {new}" for name, old, new in result.facts))
        )
    if result.reminders:
        pattern = render.ui("datetime_format")
        moved = [
            f"{rid}: {format_moment(at, pattern, render.lang, render.knowledge)}"
            if at
            else f"{rid}: {render.ui('reload_reminder_removed')}"
            for rid, at in result.reminders
        ]
        lines.append(render.ui("reload_reminders", changes="\n".join(moved)))
    if result.texts:
        lines.append(render.ui("reload_texts", changes=", ".join(result.texts)))
    return "\n".join(lines)


async def apply_reload(application: App) -> ReloadResult:
    """Validate knowledge/, swap it in if valid, off the event loop (training takes a second); reschedule reminders."""
    runtime: Runtime = application.bot_data["runtime"]
    result = await asyncio.to_thread(runtime.live.reload)
    if result.changed and result.previous is not None:
        # compared with the snapshot this reload replaced (reloads may overlap)
        log.info("knowledge reloaded: +%s ~%s -%s", result.added, result.modified, result.removed)
        if application.running:
            schedule_reminders(application)
            application.create_task(editions.after_reload(application, result.previous), name="after-reload")
        else:  # a reload ending while the bot stops: the next start rebuilds the reminders, but a new edition's offer
            # to notify subscribers is only known now (the next start loads the new files as the old)
            await editions.after_reload(application, result.previous)
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


async def reload(update: Update, context: Context) -> None:
    """/reload: validate and apply knowledge/ now, and say what changed (or every problem)."""
    if update.effective_chat is None:
        return
    result = await apply_reload(context.application)  # type: ignore[arg-type]
    _, render = reader(update, context)
    await send(context.bot, update.effective_chat.id, reload_summary(render, result))


async def watch_knowledge(context: Context) -> None:
    """Poll knowledge/ for edits; reload once a change has settled (unchanged across two polls).

    Editors often save in two steps; waiting for the files to stop changing avoids
    validating a half-written file, and a rejected version is reported to admins only once.
    """
    runtime = context.runtime
    state = runtime.watch
    try:
        current = fingerprint(runtime.live.directory)
    except OSError:
        return
    # Back to the live version after a rejected edit still goes on, to say "fixed".
    if current == runtime.live.current.fingerprint and not runtime.live.broken:
        state.pending = None
        return
    if current != state.pending:
        state.pending = current  # changed since the last poll: let it settle
        return
    if current == state.reported:
        return  # this broken version was already reported
    result = await apply_reload(context.application)  # type: ignore[arg-type]
    state.pending = None
    state.reported = current if result.problems else None
    if result.changed or result.problems or result.fixed:
        await tell_admins(context.application, result)  # type: ignore[arg-type]
