"""Attendees asking about the announcement in Telegram: a quoted passage, with the lead-in in their language."""

from __future__ import annotations

import html
from pathlib import Path

from bot.knowledge import load
from tests.e2e.harness import running_bot

TEXT = (
    "The poster session opens in the winter garden right after the keynote, with forty posters from young researchers."
)


async def test_a_question_only_a_passage_answers_gets_the_quote_in_telegram(tmp_path: Path, kb_dir: Path) -> None:
    """The running bot quotes the passage under the reader's lead-in; an English reader and a Dutch one."""
    (kb_dir / "passages.yaml").write_text(f'passages:\n- id: posters\n  text: "{TEXT}"\n', encoding="utf-8")
    locales = load(kb_dir).locales
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        reply = await bot.api.ask("is there a poster session for young researchers?")
        assert html.unescape(reply.text) == str(locales["en"]["passage_answer"].text).replace("{text}", TEXT)
        dutch = await bot.api.ask("is there a poster session for young researchers?", bot.api.user(502, "nl"))
        assert html.unescape(dutch.text) == str(locales["nl"]["passage_answer"].text).replace("{text}", TEXT)
