"""/stats for organisers: subscribers, questions today and in total, share answered, most asked, unanswered."""

from __future__ import annotations

from telegram import Update

from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import send


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
        top_entries=", ".join(f"{render.entry_title(faq_id)} ({count})" for faq_id, count in figures.top_entries)
        or "–",
        unanswered=f"{figures.unanswered:,}",
    )
    await send(context.bot, update.effective_chat.id, text)
