"""The organisers' loop through the real ``python -m bot run`` process: helpdesk reply, add as an answer, /undo."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Any

from tests.e2e.test_helpdesk import as_message
from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import FakeBotApi, LoopbackServer

ADMIN = 42
ORGANISERS = -100555
QUESTION = "is there a cloakroom for my coat"


async def test_organiser_reply_reaches_the_attendee_and_becomes_an_entry_then_undone(
    tmp_path: Path, kb_dir: Path
) -> None:
    """Attendee taps "Ask the organisers"; an organiser's reply reaches them; admin adds it; /undo restores faq.yaml."""
    original = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
    api = FakeBotApi()
    group = api.group(ORGANISERS, "Organisers")
    async with LoopbackServer(api) as server:
        env = bot_env(
            server.url,
            tmp_path / "data",
            KNOWLEDGE_DIR=str(kb_dir),
            ORGANISER_CHAT_ID=str(ORGANISERS),
            ADMIN_IDS=str(ADMIN),
        )
        process = await start_bot(env)
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            attendee = api.user(1001, first_name="Ann")
            reply = await api.ask(QUESTION, attendee)
            start = len(api.calls)
            await api.press(reply, "Ask the organisers", attendee)
            forwarded = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
            await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == 1001)  # "passed on"
            start = len(api.calls)
            await api.send(
                "Yes, next to the entrance.",
                api.user(555, first_name="Olivia"),
                group,
                reply_to_message=as_message(forwarded),
            )
            delivered = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == 1001)
            assert (
                delivered.text == f"The organisers answered your question “{QUESTION}”:\n\nYes, next to the entrance."
            )
            confirmed = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
            start = len(api.calls)
            await api.press(confirmed, "Add as an answer", api.user(ADMIN))
            created = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
            assert created.text.startswith("New entry “")
            assert (await api.ask(QUESTION, api.user(7))).text == "Yes, next to the entrance."
            undone = await api.ask("/undo", api.user(ADMIN))
            assert undone.text.startswith("Undone: ")
            assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == original
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert "Olivia" not in delivered.text
    assert "Yes, next to the entrance." not in stderr.decode()  # no message texts in the logs


def data_files(data: Path) -> bytes:
    """The raw bytes of every file in DATA_DIR (database, write-ahead log, key), together."""
    return b"".join(path.read_bytes() for path in sorted(data.rglob("*")) if path.is_file())


async def adopt(api: FakeBotApi, attendee: dict[str, Any], question: str, answer: str, group: dict[str, Any]) -> None:
    """The attendee asks and passes the question on; an organiser answers; an admin taps "Add as an answer"."""
    reply = await api.ask(question, attendee)
    start = len(api.calls)
    await api.press(reply, "Ask the organisers", attendee)
    forwarded = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
    await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == attendee["id"])  # "passed on"
    start = len(api.calls)
    await api.send(answer, api.user(555, first_name="Olivia"), group, reply_to_message=as_message(forwarded))
    confirmed = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
    start = len(api.calls)
    await api.press(confirmed, "Add as an answer", api.user(ADMIN))
    created = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
    assert created.text.startswith("New entry “")


async def test_forget_removes_the_attendees_words_from_the_edit_history(tmp_path: Path, kb_dir: Path) -> None:
    """After /forget, DATA_DIR has no adopted-then-undone question nor an adopted one's record; faq.yaml keeps it."""
    api = FakeBotApi()
    group = api.group(ORGANISERS, "Organisers")
    data = tmp_path / "data"
    undone, kept = QUESTION, "do you sell pizza"
    async with LoopbackServer(api) as server:
        env = bot_env(
            server.url, data, KNOWLEDGE_DIR=str(kb_dir), ORGANISER_CHAT_ID=str(ORGANISERS), ADMIN_IDS=str(ADMIN)
        )
        process = await start_bot(env)
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            ann, bob = api.user(1001, first_name="Ann"), api.user(1002, first_name="Bob")
            await adopt(api, ann, undone, "Yes, next to the entrance.", group)
            assert (await api.ask("/undo", api.user(ADMIN))).text.startswith("Undone: ")
            await adopt(api, bob, kept, "No, but there is a sandwich bar.", group)
            assert undone.encode() in data_files(data)  # both questions really are on disk
            assert kept.encode() in data_files(data)
            assert (await api.ask("/forget", ann)).text == "Done: I deleted everything I stored about this chat."
            assert undone.encode() not in data_files(data)
            assert (await api.ask("/forget", bob)).text == "Done: I deleted everything I stored about this chat."
            assert kept.encode() not in data_files(data)
            # adopted: now the organisers' text
            assert f"- {kept}\n" in (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        finally:
            process.send_signal(signal.SIGINT)
            await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, process.stderr
    assert undone.encode() not in data_files(data)
    assert kept.encode() not in data_files(data)
