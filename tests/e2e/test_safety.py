"""Privacy, buttons, flood control and forum topics, through the real ``python -m bot run`` and real Application."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.assistant import Assistant
from bot.knowledge import LANGS
from tests.conftest import BEFORE, KNOWLEDGE, ROOT, fill
from tests.e2e.harness import running_bot
from tests.e2e.test_process import bot_env
from tests.fakes.botapi import TOKEN, FakeBotApi, LoopbackServer

ADMIN = 42


def ui(assistant: Assistant, key: str) -> str:
    """The English UI string ``key`` of the knowledge the bot runs with."""
    return assistant.renderer("en", BEFORE).ui(key)


@dataclass
class Output:
    """What the bot process printed, and how it exited (filled in when it has stopped)."""

    text: str = ""
    status: int | None = None


@asynccontextmanager
async def bot_process(tmp_path: Path, api: FakeBotApi, cwd: Path = ROOT, **extra: str) -> AsyncIterator[Output]:
    """``python -m bot run`` against ``api`` over loopback HTTP, output read as it comes; SIGINT stops it afterwards."""
    output = Output()
    async with LoopbackServer(api) as server:
        env = bot_env(server.url, tmp_path / "data", **extra)
        env = {k: v for k, v in env.items() if v != "-"}  # "-" removes a variable
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=cwd,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        assert process.stderr is not None
        readers = asyncio.gather(process.stdout.read(), process.stderr.read())  # drained while the bot runs
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            yield output
        finally:
            process.send_signal(signal.SIGINT)
            stdout, stderr = await asyncio.wait_for(readers, 30)
            output.status = await process.wait()
            output.text = stdout.decode() + stderr.decode()


def raw_files(data: Path) -> dict[str, bytes]:
    """The raw bytes of every file in ``data``."""
    return {str(path.relative_to(data)): path.read_bytes() for path in sorted(data.rglob("*")) if path.is_file()}


# ------------------------------------------------------------------------------------------- privacy

USER_ID = 987654321
PERSONAL = "who painted the mona lisa? I am Alice Dupont, call me on +32 470 12 34 56"
TRACES = (b"Alice", b"Dupont", b"470 12 34 56", b"mona lisa", USER_ID.to_bytes(4, "big"), str(USER_ID).encode())


async def test_forget_leaves_none_of_the_users_text_in_any_file_of_data_dir(
    tmp_path: Path, assistant: Assistant
) -> None:
    """After /forget no raw byte of any DATA_DIR file (database, WAL, keys) holds the user's text or id; nor do logs."""
    api = FakeBotApi()
    alice = api.user(USER_ID, "en", first_name="Alice")
    other = api.user(555000111)
    data = tmp_path / "data"
    async with bot_process(tmp_path, api, LOG_LEVEL="DEBUG") as output:
        await api.ask(PERSONAL, alice)
        await api.ask("/remind", alice)
        await api.ask("do you sell pizza", other)
        before = b"".join(raw_files(data).values())
        assert b"Dupont" in before  # the question really was on disk
        assert (await api.ask("/forget", alice)).text == ui(assistant, "forgotten")
        files = raw_files(data)
        assert {"bot.sqlite3", "pseudonym.key"} <= set(files)
        for name, content in files.items():
            for trace in TRACES:
                assert trace not in content, (name, trace)
        assert b"do you sell pizza" in b"".join(files.values())  # another user's question stays
    assert output.status == 0
    for name, content in raw_files(data).items():
        for trace in TRACES:
            assert trace not in content, (name, trace)
    for word in ("Alice", "Dupont", "470 12", "mona lisa", str(USER_ID), "pizza"):
        assert word not in output.text  # no text, name or user id in the DEBUG log
    assert TOKEN not in output.text


async def test_only_group_administrators_can_forget_a_groups_settings(tmp_path: Path) -> None:
    """In a group, a member's /forget is refused, pointing to a private chat; an admin's deletes the settings."""
    async with running_bot(tmp_path / "data") as bot:
        group = bot.api.group()
        member, admin = bot.api.user(501), bot.api.user(502)
        bot.api.chat_admins[group["id"]] = {admin["id"]}
        bot.runtime.store.set_language(group["id"], "fr")
        refused = await bot.api.ask("/forget", member, group)
        render = bot.runtime.snapshot.assistant.renderer("fr", bot.clock())
        assert refused.text == render.ui("forget_admins_only")
        assert bot.runtime.store.language(group["id"]) == "fr"
        done = await bot.api.ask("/forget", admin, group)
        assert done.text == render.ui("forgotten")
        assert bot.runtime.store.language(group["id"]) is None
        assert bot.runtime.store.rows_about(group["id"]) == 0


async def test_privacy_says_what_is_kept_in_every_language(tmp_path: Path) -> None:
    """/privacy names the pseudonymous key and the retention period in en, nl and fr."""
    async with running_bot(tmp_path / "data", retention_days=21) as bot:
        for number, lang in enumerate(LANGS):
            text = (await bot.api.ask("/privacy", bot.api.user(600 + number, lang))).text
            assert "21" in text
            render = bot.runtime.snapshot.assistant.renderer(lang, bot.clock())
            assert text == f"{render.ui('privacy', retention_days='21')}\n\n{render.ui('privacy_responsible')}"
            assert "/forget" in text


async def test_privacy_names_who_is_responsible_and_how_to_reach_them(tmp_path: Path, kb_dir: Path) -> None:
    """/privacy ends by naming the organisers as responsible for the data, with the contact once event.yaml has one."""
    async with running_bot(tmp_path / "data") as bot:
        text = (await bot.api.ask("/privacy")).text
    assert text.endswith(fill("Responsible for this data: the organisers of {name} {edition}, who run this bot."))
    event = kb_dir / "event.yaml"
    event.write_text(
        event.read_text(encoding="utf-8").replace("contact: null", "contact: privacy@example.org", 1), encoding="utf-8"
    )
    async with running_bot(tmp_path / "data2", knowledge_dir=kb_dir) as bot:
        french = (await bot.api.ask("/privacy", bot.api.user(601, "fr"))).text
    assert french.endswith(
        fill(
            "Responsables de ces données : les organisateurs de {name} {edition}, qui gèrent ce bot. "
            "Contact : privacy@example.org.",
            "fr",
        )
    )


ADOPTED = {
    "en": "that text becomes the organisers' own text in my knowledge base",
    "nl": "wordt die tekst hun eigen tekst in mijn kennisbank",
    "fr": "ce texte devient le leur dans ma base de connaissances",
}


async def test_privacy_says_adopted_text_becomes_the_organisers_text(tmp_path: Path) -> None:
    """/privacy says plainly, in each language, that adopted questions become the organisers' and what /forget wipes."""
    async with running_bot(tmp_path / "data") as bot:
        for number, lang in enumerate(LANGS):
            text = (await bot.api.ask("/privacy", bot.api.user(700 + number, lang))).text
            assert ADOPTED[lang] in text.replace("&#x27;", "'")


# ------------------------------------------------------------------------------------------- buttons

FORGED = ("a:no-such-entry", "a#0123456789abcdef0123", "lang:xx", "nonsense", "x" * 64, "calendar:extra")


async def test_forged_and_stale_buttons_are_answered_politely(tmp_path: Path, assistant: Assistant) -> None:
    """Each forged or stale callback gets answerCallbackQuery ("This button has expired"), admin ones too; none spin."""
    api = FakeBotApi()
    user = api.user(700)
    async with bot_process(tmp_path, api, LOG_LEVEL="INFO"):
        forged = (*FORGED, "o:999")  # "ask the organisers" carries a ticket: an unknown one is forged or stale
        taps = [await api.tap(data, user) for data in (*forged, "an:send:1", "learn:1:venue", "topics")]
        await api.wait_for(lambda c: all(api.answered(tap) is not None for tap in taps))
        for tap in taps[: len(forged)]:
            answer = api.answered(tap)
            assert answer is not None
            assert answer.params["text"] == ui(assistant, "button_expired"), tap["callback_query"]["data"]
        for tap in taps[len(forged) :]:  # recognised buttons: answered without an alert
            answer = api.answered(tap)
            assert answer is not None
            assert "text" not in answer.params
        assert not [c for c in api.calls if c.method == "answerCallbackQuery" and c.status != 200]


async def test_long_entry_ids_fit_in_64_bytes_of_callback_data(tmp_path: Path, edit: Any, kb_dir: Path) -> None:
    """An entry id of 64 characters still gets a working button of ≤ 64 bytes, in /start, /faq and inline results."""
    long_id = "c" * 64
    edit("faq.yaml", "- id: capital_markets", f"- id: {long_id}")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        snapshot = bot.runtime.snapshot
        title = bot.runtime.snapshot.assistant.renderer("en", bot.clock()).localised(
            dict(snapshot.knowledge.by_id[long_id].title)
        )
        for command in ("/start", "/faq"):
            menu = await bot.api.ask(command)
            assert all(len(b["callback_data"].encode()) <= 64 for row in menu.buttons for b in row)
        await bot.api.press(menu, title)
        answer = await bot.api.wait_for(
            lambda c: c.method == "sendMessage" and c.params.get("_message_id", 0) > menu.params["_message_id"]
        )
        expected = snapshot.assistant.answer_entry(long_id, "en", bot.clock())
        assert expected is not None
        assert answer.text == expected.text
        await bot.api.inline(snapshot.knowledge.by_id[long_id].questions["en"][0])
        results = (await bot.api.wait_for(lambda c: c.method == "answerInlineQuery")).params["results"]
        assert results
        assert all(len(r["id"].encode()) <= 64 for r in results)


# ------------------------------------------------------------------------------------------- flood control


async def test_inline_flood_never_silences_a_private_chat(tmp_path: Path, assistant: Assistant) -> None:
    """Inline queries have their own limit; messages per chat get one notice; a refused tap is still answered."""
    api = FakeBotApi()
    user = api.user(800)
    async with bot_process(
        tmp_path, api, LOG_LEVEL="INFO", FLOOD_LIMIT_PER_MINUTE="3", INLINE_FLOOD_LIMIT_PER_MINUTE="4"
    ):
        for length in range(1, 9):  # one inline query per keystroke
            await api.inline("keynote"[:length] or "k", user)
        assert (await api.ask("/start", user)).text  # answered: the 8 inline queries were not charged to the chat
        assert len(api.sent("answerInlineQuery")) == 4
        assert (await api.ask("/help", user)).text
        assert (await api.ask("/when", user)).text
        notice = await api.ask("/faq", user)
        assert notice.text == ui(assistant, "flood_notice")
        await api.send("/themes", user)  # over the limit, noticed already: silence
        tap = await api.tap("topics", user)
        await api.wait_for(lambda c: api.answered(tap) is not None)
        answer = api.answered(tap)
        assert answer is not None
        assert answer.params["text"] == ui(assistant, "flood_notice")
        messages = api.sent("sendMessage", user["id"])
        assert [m.text for m in messages].count(ui(assistant, "flood_notice")) == 1
        assert messages[-1] is notice


# ------------------------------------------------------------------------------------------- forum topics


async def test_replies_go_to_the_forum_topic_they_came_from(tmp_path: Path) -> None:
    """In a forum, commands, mentions, documents and button taps are answered in their topic; plain groups get none."""
    api = FakeBotApi()
    user = api.user(900)
    forum, group = api.forum(), api.group()
    async with bot_process(tmp_path, api, LOG_LEVEL="INFO"):
        assert (await api.ask("/when", user, forum, thread=42)).params["message_thread_id"] == 42
        mention = await api.ask("@sfh_test_bot where is it?", user, forum, thread=7)
        assert mention.params["message_thread_id"] == 7
        document = await api.ask("/calendar", user, forum, method="sendDocument", thread=42)
        assert document.params["message_thread_id"] == 42
        start = len(api.calls)
        await api.tap("topics", user, forum, thread=9)
        topics = await api.wait_for(lambda c: api.calls.index(c) >= start and c.method == "sendMessage")
        assert topics.params["message_thread_id"] == 9
        assert "message_thread_id" not in (await api.ask("/when", user, group)).params


# ------------------------------------------------------------------------------------------- .env and /announce


async def test_dot_env_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    """``.env`` in the working directory supplies the token; a variable set in the environment wins over the file."""
    (tmp_path / ".env").write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nTELEGRAM_API_URL=http://127.0.0.1:9\n", encoding="utf-8"
    )
    api = FakeBotApi()
    async with bot_process(
        tmp_path, api, cwd=tmp_path, TELEGRAM_BOT_TOKEN="-", ENV_FILE="-", KNOWLEDGE_DIR=str(KNOWLEDGE)
    ) as output:
        assert (await api.ask("/help")).text  # the token came from .env, the fake's URL from the environment
    assert output.status == 0
    assert TOKEN not in output.text


async def test_announce_keeps_its_text_exactly_as_typed(tmp_path: Path) -> None:
    """/announce keeps everything after the command: the first word, line breaks and blank lines."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        render = bot.runtime.snapshot.assistant.renderer("en", bot.clock())
        for typed, kept in (
            ("/announce Doors open\nat nine", "Doors open\nat nine"),
            ("/announce\nRoom change:\n\nhall B  ", "Room change:\n\nhall B"),
        ):
            preview = await bot.api.ask(typed, admin)
            assert preview.text == render.ui("announce_preview", subscribers="0", text=kept)
