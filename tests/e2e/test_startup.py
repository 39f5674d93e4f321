"""Start-up failures of the real ``python -m bot run``: one clear last line, a non-zero exit, no traceback, no token."""

from __future__ import annotations

import asyncio
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import TOKEN, FakeBotApi, LoopbackServer

# Well-formed, but not the token the fake Bot API knows: it answers 401 Unauthorized, as Telegram does for a revoked
# token.
WRONG_TOKEN = "987654:REVOKED-zyxwvutsrqponmlkjihgfedcba98"
REJECTED = (
    "error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): "
    "copy the current token from @BotFather (/mybots → API Token)"
)
FAST_RETRIES = {"TELEGRAM_CONNECT_ATTEMPTS": "3", "TELEGRAM_RETRY_SECONDS": "0.01"}


async def finish(env: dict[str, str]) -> tuple[int, str]:
    """Run the bot to its exit; its status and everything it printed (stdout then stderr)."""
    process = await start_bot(env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode is not None
    return process.returncode, stdout.decode() + stderr.decode()


def assert_one_line_failure(output: str, line: str, *secrets: str) -> None:
    """The output ends with exactly ``line``, shows no traceback and none of ``secrets``."""
    assert output.strip().splitlines()[-1] == line, output
    assert "Traceback" not in output
    for secret in (TOKEN, TOKEN.partition(":")[2], *secrets):
        assert secret not in output


def closed_port() -> int:
    """A loopback port nobody listens on (the OS picks it, then it is released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_rejected_token_is_one_line_without_the_token_at_every_log_level(tmp_path: Path) -> None:
    """A token Telegram rejects (401) ends with one line and exit 2; the token appears nowhere, at every LOG_LEVEL."""
    api = FakeBotApi()
    levels = ("DEBUG", "INFO", "WARNING", "ERROR")
    async with LoopbackServer(api) as server:
        results = await asyncio.gather(
            *(
                finish(bot_env(server.url, tmp_path / f"data-{level}", TELEGRAM_BOT_TOKEN=WRONG_TOKEN, LOG_LEVEL=level))
                for level in levels
            )
        )
    assert [c.method for c in api.calls] == []  # the fake served nothing: every request was refused as unauthorised
    for level, (status, output) in zip(levels, results, strict=True):
        assert status == 2, (level, output)
        assert_one_line_failure(output, REJECTED, WRONG_TOKEN, WRONG_TOKEN.partition(":")[2])
        if level != "DEBUG":
            assert output.strip() == REJECTED  # nothing else at all


async def test_unreachable_telegram_is_retried_then_one_line(tmp_path: Path) -> None:
    """Connection refused is retried with backoff, then the bot gives up with one line and exit 1."""
    url = f"http://127.0.0.1:{closed_port()}"
    status, output = await finish(bot_env(url, tmp_path / "data", LOG_LEVEL="WARNING", **FAST_RETRIES))
    assert status == 1
    line = (
        f"error: cannot reach Telegram at {url} after 3 attempt(s): "
        "check the network connection and TELEGRAM_API_URL, then start again"
    )
    assert_one_line_failure(output, line)
    assert output.count("Telegram unreachable (attempt") == 2


async def test_malformed_answers_are_retried_then_one_line(tmp_path: Path) -> None:
    """A server that answers HTML instead of the Bot API's JSON is retried, then reported in one line, exit 1."""
    async with LoopbackServer(FakeBotApi(), malformed=True) as server:
        status, output = await finish(bot_env(server.url, tmp_path / "data", LOG_LEVEL="ERROR", **FAST_RETRIES))
    assert status == 1
    line = (
        f"error: Telegram at {server.url} gave an answer that is not the Bot API's, 3 time(s): "
        "check TELEGRAM_API_URL (a proxy or a wrong address?), then start again"
    )
    assert_one_line_failure(output, line)
    assert output.count("Can not load invalid JSON data") == 3  # logged once per attempt, without a traceback


async def test_a_passing_outage_is_retried_and_the_bot_starts(tmp_path: Path) -> None:
    """A 502 on the first getMe is retried; the bot then starts and answers."""
    api = FakeBotApi()
    api.fail("getMe", 502, "Bad Gateway")
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, tmp_path / "data", **FAST_RETRIES))
        try:
            reply = await api.ask("/help")
            assert reply.text
        finally:
            process.send_signal(signal.SIGINT)
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0
    assert [c.status for c in api.calls if c.method == "getMe"][:2] == [502, 200]
    assert "Telegram unreachable (attempt 1 of 3): retrying" in stderr.decode()


def _corrupt(data: Path) -> None:
    """A database file that is not SQLite at all."""
    data.mkdir()
    (data / "bot.sqlite3").write_bytes(b"this is not a database " * 200)


def _truncated(data: Path) -> None:
    """A real database cut in half (a full disk, a copy interrupted)."""
    data.mkdir()
    database = sqlite3.connect(data / "bot.sqlite3")
    database.execute("CREATE TABLE t (x TEXT)")
    database.executemany("INSERT INTO t VALUES (?)", [(f"row {i} " * 20,) for i in range(2000)])
    database.commit()
    database.close()
    size = (data / "bot.sqlite3").stat().st_size
    with (data / "bot.sqlite3").open("r+b") as file:
        file.truncate(size // 2)


DAMAGED = "is damaged or not an SQLite database: restore it from a backup, or move it away to start afresh"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("file", "error: DATA_DIR {data} is a file, not a folder: set DATA_DIR to a folder (it is created if missing)"),
        (
            "missing parent",
            "error: DATA_DIR {data} cannot be created because {parent} does not exist: create it or fix DATA_DIR",
        ),
        (
            "not writable",
            "error: DATA_DIR /sys is not writable (Permission denied): fix its permissions or choose another folder",
        ),
        ("corrupt", "error: the database {data}/bot.sqlite3 " + DAMAGED),
        ("truncated", "error: the database {data}/bot.sqlite3 " + DAMAGED),
        (
            "damaged key",
            "error: {data}/pseudonym.key is damaged (too short): "
            "delete it (stored questions can then no longer be linked to /forget)",
        ),
        (
            "unreadable key",
            "error: {data}/pseudonym.key cannot be read (Is a directory): make it a readable file, or delete it",
        ),
    ],
)
async def test_unusable_data_dir_is_one_line(tmp_path: Path, case: str, expected: str) -> None:
    """Each unusable DATA_DIR or database stops ``run`` with its one line and exit 1, before contacting Telegram."""
    data = tmp_path / "data"
    if case == "file":
        data.write_text("not a folder")
    elif case == "missing parent":
        data = tmp_path / "nowhere" / "data"
    elif case == "not writable":
        data = Path("/sys")  # read-only for every user, root included
    elif case == "corrupt":
        _corrupt(data)
    elif case == "damaged key":
        data.mkdir()
        (data / "pseudonym.key").write_bytes(b"abc")
    elif case == "unreadable key":
        (data / "pseudonym.key").mkdir(parents=True)
    else:
        _truncated(data)
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        env = bot_env(server.url, data, LOG_LEVEL="INFO")
        env["ENV_FILE"] = str(tmp_path / "no.env")
        status, output = await finish(env)
    assert status == 1
    line = expected.format(data=data, parent=data.parent)
    assert_one_line_failure(output, line)
    assert output.strip() == line
    assert api.calls == []


async def test_unanswered_command_with_an_unusable_data_dir_is_one_line(tmp_path: Path) -> None:
    """``python -m bot unanswered`` reports an unusable DATA_DIR with the same one line as ``run``, exit 1."""
    data = tmp_path / "data"
    data.write_text("not a folder")
    env = bot_env("http://127.0.0.1:9", data)
    env["ENV_FILE"] = str(tmp_path / "no.env")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "unanswered",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    line = f"error: DATA_DIR {data} is a file, not a folder: set DATA_DIR to a folder (it is created if missing)"
    assert (stdout + stderr).decode().strip() == line


async def test_webhook_port_in_use_is_one_line(tmp_path: Path) -> None:
    """With WEBHOOK_URL set and PORT already taken, ``run`` says so in one line and exits 1."""
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104 - the bot listens on every interface, so must the blocker
        taken.listen()
        port = taken.getsockname()[1]
        api = FakeBotApi()
        async with LoopbackServer(api) as server:
            env = bot_env(
                server.url,
                tmp_path / "data",
                LOG_LEVEL="WARNING",
                WEBHOOK_URL=f"http://127.0.0.1:{port}",
                PORT=str(port),
            )
            status, output = await finish(env)
    assert status == 1
    line = (
        f"error: cannot serve the webhook on port {port} (Address already in use): "
        "choose another PORT or stop what uses it"
    )
    assert_one_line_failure(output, line)


async def test_run_without_a_knowledge_folder_names_the_absolute_path_and_the_fix(tmp_path: Path) -> None:
    """``run`` with KNOWLEDGE_DIR pointing nowhere says which absolute path it looked at and what to set."""
    process = await start_bot(bot_env("http://127.0.0.1:9", tmp_path / "data", KNOWLEDGE_DIR=str(tmp_path / "nowhere")))
    assert await process.wait() == 1
    assert process.stderr.splitlines()[-1] == (
        f"error: the knowledge base in {tmp_path / 'nowhere'} has 1 problem(s), the first: {tmp_path / 'nowhere'}:1: "
        f"{tmp_path / 'nowhere'} does not exist: "
        "run in the project folder, or set KNOWLEDGE_DIR to the knowledge folder "
        "(`python -m bot check` lists them all)"
    )
