"""Inline mode: ``@bot keynote`` in any chat offers the best-matching answers to share."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit, ParseMode

from bot.assistant import SUGGEST_AT
from bot.telegram_app.context import Context, reader
from bot.telegram_app.replies import MAX_CALLBACK_BYTES, entry_data, escape, split

MAX_RESULTS = 5


async def inline_query(update: Update, context: Context) -> None:
    """Offer answers for the typed text (the main topics when it is empty)."""
    query = update.inline_query
    if query is None:
        return
    snapshot, render = reader(update, context)
    text = query.query[: InlineQueryLimit.MAX_QUERY_LENGTH].strip()
    assistant = snapshot.assistant
    if text:
        ranked = assistant.matcher.rank(text, limit=MAX_RESULTS * 2, prefer_lang=render.lang)  # some may be silent
        ids = [c.entry_id for c in assistant.offered(ranked, render) if c.score >= SUGGEST_AT][:MAX_RESULTS]
    else:
        ids = [e.id for e in assistant.speaking(snapshot.knowledge.menu, render)][:MAX_RESULTS]
    results = []
    for faq_id in ids:
        answer = assistant.answer_entry(faq_id, render.lang, render.now)
        if answer is None:
            continue
        title = render.entry_title(faq_id)
        results.append(
            InlineQueryResultArticle(
                id=faq_id if len(faq_id.encode()) <= MAX_CALLBACK_BYTES else entry_data(faq_id),
                title=title,
                description=answer.text[:120],
                input_message_content=InputTextMessageContent(split(escape(answer.text))[0], parse_mode=ParseMode.HTML),
            )
        )
    await query.answer(results, cache_time=60, is_personal=True)
