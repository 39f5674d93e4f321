"""/stats for organisers: subscribers, questions today and in total, share answered, most asked, unanswered."""

from __future__ import annotations

from telegram import Update

from bot.live import Snapshot
from bot.render import Renderer
from bot.telegram_app.context import Context, reader
from bot.telegram_app.organisers import admin_only
from bot.telegram_app.replies import send


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
