"""The real ``python -m bot run`` process against the fake Bot API over loopback HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import urllib.parse
from pathlib import Path

from tests.conftest import KNOWLEDGE, ROOT, fill, line_of
from tests.fakes.botapi import TOKEN, FakeBotApi, LoopbackServer


def bot_env(api_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment for a bot process: the fake's URL and token, DEBUG logging, a private data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_", "ORGANISER_", "WEBHOOK_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=api_url,
        DATA_DIR=str(data_dir),
        LOG_LEVEL="DEBUG",
        BROADCAST_RATE="500",
        ENV_FILE=str(data_dir.parent / "no.env"),
    )
    env.update(KNOWLEDGE_DIR=str(KNOWLEDGE))
    env.update(extra)
    return env


class BotProcess:
    """A running ``python -m bot run`` whose stdout and stderr are read line by line as they come (no unread pipe)."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.out: list[str] = []
        self.err: list[str] = []
        self.changed = asyncio.Condition()
        assert process.stdout is not None
        assert process.stderr is not None
        self.readers = [
            asyncio.create_task(self._drain(process.stdout, self.out)),
            asyncio.create_task(self._drain(process.stderr, self.err)),
        ]

    async def _drain(self, stream: asyncio.StreamReader, lines: list[str]) -> None:
        async for raw in stream:
            lines.append(raw.decode(errors="replace"))
            async with self.changed:
                self.changed.notify_all()

    @property
    def stdout(self) -> str:
        """Everything printed so far."""
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        """Everything logged so far."""
        return "".join(self.err)

    async def log_line(self, needle: str, timeout: float = 30) -> str:
        """The first stderr line containing ``needle``, waiting for it."""

        def found() -> str | None:
            return next((line for line in self.err if needle in line), None)

        async with self.changed:
            await asyncio.wait_for(
                self.changed.wait_for(lambda: found() is not None or self.process.returncode is not None), timeout
            )
        line = found()
        assert line is not None, self.stderr
        return line

    async def wait(self, timeout: float = 30) -> int:
        """Wait for the process to exit and its output to be read; its exit code (on a timeout, fail with its log)."""
        try:
            code = await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            self.process.kill()  # leave no process (nor its pipes) behind the failure
            await self.process.wait()
            raise AssertionError(f"the bot did not exit within {timeout} s; its log:\n{self.stderr}") from None
        await asyncio.wait_for(asyncio.gather(*self.readers), timeout)
        return code

    @property
    def returncode(self) -> int | None:
        """The exit status, once the process has exited."""
        return self.process.returncode

    async def communicate(self) -> tuple[bytes, bytes]:
        """Wait for the exit; everything printed on stdout and stderr (as ``asyncio`` processes give it)."""
        await self.wait()
        return self.stdout.encode(), self.stderr.encode()

    def send_signal(self, signal_number: int) -> None:
        """Send ``signal_number`` to the bot process."""
        self.process.send_signal(signal_number)

    async def interrupt(self) -> int:
        """Stop the bot as Ctrl+C would; its exit code."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGINT)
        return await self.wait()


async def start_bot(env: dict[str, str]) -> BotProcess:
    """Start ``python -m bot run`` in the project folder."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    return BotProcess(process)


async def test_bot_process_answers_over_http_and_stops_cleanly_on_sigint(tmp_path: Path) -> None:
    """The bot starts, registers its menu, answers over real HTTP, exits 0 on SIGINT, and never logs its token."""
    api = FakeBotApi()
    async with LoopbackServer(api) as server:
        process = await start_bot(bot_env(server.url, tmp_path / "data"))
        try:
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            reply = await api.ask("where is science for health?")
            assert fill("{city}") in reply.text
            document = await api.ask("/calendar", method="sendDocument")
            assert fill("SUMMARY:{name} {edition}").encode() in next(iter(document.files.values()))[1]
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr
    log = process.stderr
    assert "polling for updates" in log
    assert "stopped" in log
    assert TOKEN not in log + process.stdout
    assert (tmp_path / "data" / "bot.sqlite3").exists()


async def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    """Without TELEGRAM_BOT_TOKEN, ``run`` prints one line saying what to do and exits 2, no traceback."""
    env = bot_env("http://127.0.0.1:9", tmp_path)
    del env["TELEGRAM_BOT_TOKEN"]
    process = await start_bot(env)
    assert await process.wait() == 2
    assert (
        process.stderr.strip()
        == "error: TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token"
    )


async def test_malformed_token_is_rejected_without_echoing_it(tmp_path: Path) -> None:
    """A malformed token is refused with a clear message that does not repeat the value."""
    process = await start_bot(bot_env("http://127.0.0.1:9", tmp_path, TELEGRAM_BOT_TOKEN="not-a-token-secret"))
    assert await process.wait() == 2
    assert "does not look like a bot token" in process.stderr
    assert "not-a-token-secret" not in process.stderr


async def test_broken_knowledge_base_is_reported_before_starting(tmp_path: Path, kb_dir: Path) -> None:
    """``run`` with an invalid knowledge base lists the problems with file and line and exits 1."""
    (kb_dir / "event.yaml").write_text(
        (kb_dir / "event.yaml").read_text().replace("timezone: Europe/Brussels", "timezone: Nowhere/Land")
    )
    process = await start_bot(bot_env("http://127.0.0.1:9", tmp_path, KNOWLEDGE_DIR=str(kb_dir)))
    assert await process.wait() == 1
    line = line_of(kb_dir / "event.yaml", "  timezone: Nowhere/Land")
    assert process.stderr.strip().splitlines()[-1] == (
        f"error: the knowledge base in {kb_dir} has 1 problem(s), the first: "
        f"{kb_dir / 'event.yaml'}:{line}: "
        "'event.timezone' 'Nowhere/Land' is not a known timezone (use a name like Europe/Brussels) "
        "(`python -m bot check` lists them all)"
    )
    assert "Traceback" not in process.stderr


async def test_webhook_mode_registers_and_answers_posted_updates(tmp_path: Path) -> None:
    """With WEBHOOK_URL set the bot registers a secret webhook (no token in its URL) and answers updates sent to it."""
    import httpx

    api = FakeBotApi()
    user = api.user()
    async with LoopbackServer(api) as server:
        public = "https://bot.example.org"  # the proxy's address Telegram posts to; PORT=0: the OS picks the local port
        process = await start_bot(bot_env(server.url, tmp_path / "data", WEBHOOK_URL=public, PORT="0"))
        try:
            port = int((await process.log_line("serving webhook on port ")).rsplit(" ", 1)[1])
            registered = await api.wait_for(lambda c: c.method == "setWebhook", timeout=30)
            url, secret = str(registered.params["url"]), str(registered.params["secret_token"])
            assert url.startswith(f"{public}/telegram-")
            assert TOKEN not in url
            local = f"http://127.0.0.1:{port}{urllib.parse.urlparse(url).path}"
            update = {"update_id": 1, "message": api.message("when is it?", user)}
            async with httpx.AsyncClient() as client:
                refused = await client.post(local, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                assert refused.status_code == 403
                accepted = await client.post(local, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
                assert accepted.status_code == 200
            reply = await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user["id"], timeout=30)
            assert fill("{date}") in reply.text
        finally:
            code = await process.interrupt()
    assert code == 0, process.stderr
    assert TOKEN not in process.stderr
