"""Storage faults during an announcement, through the real ``python -m bot run`` against the fake Bot API (HTTP).

    python benchmarks/bench_faults.py                      # every scenario (about three minutes)
    python benchmarks/bench_faults.py --lock-seconds 10    # shorter faults

An admin announces to 100 subscribers at 5 messages/s; after 20 deliveries a fault
begins while 5 attendees each ask a question every second:

* ``lock``: another process holds SQLite's write lock (``BEGIN IMMEDIATE``) for N seconds;
* ``lock + restart``: the same, and the bot is stopped cleanly (SIGINT) during the lock,
  then started again once the lock is gone;
* ``full disk``: DATA_DIR is a 4 MB tmpfs filled to the last byte for N seconds (needs root
  to mount; skipped, and said so, where the OS refuses).

Printed per scenario: questions asked, the median, p99 and slowest answer times (question
pushed → reply received), apologies ("Sorry, something went wrong"), subscribers reached, duplicates,
subscribers never reached, and how many reports the admin got.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import Store
from tests.e2e.test_process import BotProcess, bot_env, start_bot
from tests.fakes.botapi import FakeBotApi, LoopbackServer

ADMIN = 42
SUBSCRIBERS = range(10_000, 10_100)
TEXT = "The doors open at nine; the cloakroom is by the entrance."
QUESTIONS = (
    "where is it?",
    "when does it start?",
    "who gives the keynote?",
    "is there parking?",
    "how do I get there?",
)
APOLOGY = "Sorry, something went wrong"
# Another process holding the write lock for the given seconds (a backup, a manual sqlite3 session).
LOCKER = (
    "import sqlite3, sys, time\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\ndb.execute('BEGIN IMMEDIATE')\n"
    "print('locked', flush=True)\ntime.sleep(float(sys.argv[2]))\ndb.execute('COMMIT')\n"
)


def delivered(api: FakeBotApi) -> Counter[int]:
    """How many times each subscriber received the announcement."""
    return Counter(c.chat_id or 0 for c in api.sent() if c.text == TEXT and (c.chat_id or 0) in SUBSCRIBERS)


def reports(api: FakeBotApi) -> int:
    """Reports the admin received (a new message or the status edited into one)."""
    return sum(
        1 for c in api.calls if c.status == 200 and c.chat_id == ADMIN and c.text.startswith("Announcement sent")
    )


async def until(api: FakeBotApi, condition: Callable[[], bool], within: float) -> bool:
    """Wait on the fake's call log until ``condition()``; whether it came within ``within`` seconds."""
    try:
        async with api.changed:
            await asyncio.wait_for(api.changed.wait_for(condition), within)
    except TimeoutError:
        return False
    return True


async def attendees(api: FakeBotApi, stop: asyncio.Event, latencies: list[float], apologies: list[str]) -> None:
    """Five attendees, each asking a question every second until ``stop``."""

    async def one(n: int) -> None:
        user = api.user(20_000 + n)
        while not stop.is_set():
            started = time.monotonic()
            start = len(api.calls)
            update = await api.send(QUESTIONS[n], user)
            update["_seen"] = start
            reply = await api.reply_to(update, timeout=120)
            latencies.append(time.monotonic() - started)
            if reply.text.startswith(APOLOGY):
                apologies.append(reply.text)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)

    await asyncio.gather(*(one(n) for n in range(len(QUESTIONS))))


@contextlib.asynccontextmanager
async def bot(api: FakeBotApi, server: LoopbackServer, data: Path) -> AsyncIterator[BotProcess]:
    """A bot process on ``data``; stopped with SIGINT at the end if still running."""
    process = await start_bot(bot_env(server.url, data, BROADCAST_RATE="5", ADMIN_IDS=str(ADMIN), LOG_LEVEL="WARNING"))
    try:
        yield process
    finally:
        if process.returncode is None:
            await process.interrupt()


async def scenario(name: str, seconds: float, workdir: Path) -> str:
    """Run one scenario; its Markdown table row."""
    data = workdir / "data"
    mounted = False
    if name == "full disk":
        mount = workdir / "mnt"
        mount.mkdir()
        command = ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)]
        done = await asyncio.to_thread(subprocess.run, command, capture_output=True, check=False)
        if done.returncode != 0:
            reason = done.stderr.decode().strip()
            return f"| {name} | skipped: the OS refuses to mount a tmpfs ({reason}) | | | | | | | | | |"
        mounted, data = True, mount / "data"
    try:
        store = Store(data / "bot.sqlite3")
        store.add_subscribers(SUBSCRIBERS, datetime.now(UTC))
        store.close()
        api = FakeBotApi()
        for chat_id in SUBSCRIBERS:
            api.user(chat_id)
        admin = api.user(ADMIN)
        latencies: list[float] = []
        apologies: list[str] = []
        stop_asking = asyncio.Event()
        async with LoopbackServer(api) as server:
            async with bot(api, server, data) as process:
                await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=60)
                preview = await api.ask(f"/announce {TEXT}", admin)
                await api.press(preview, "Send", admin)
                await until(api, lambda: sum(delivered(api).values()) >= 20, 60)
                asking = asyncio.create_task(attendees(api, stop_asking, latencies, apologies))
                fault_started = time.monotonic()
                if name.startswith("lock"):
                    locker = await asyncio.create_subprocess_exec(
                        sys.executable,
                        "-c",
                        LOCKER,
                        str(data / "bot.sqlite3"),
                        str(seconds),
                        stdout=asyncio.subprocess.PIPE,
                    )
                    assert locker.stdout is not None
                    await locker.stdout.readline()  # "locked"
                    if name == "lock + restart":
                        await asyncio.sleep(seconds / 3)  # the fault's own timing: a clean stop mid-lock
                        stop_asking.set()
                        await asyncio.gather(asking, return_exceptions=True)
                        await process.interrupt()
                    await locker.wait()
                else:
                    filler = data.parent / "filler"
                    with filler.open("wb", buffering=0) as file, contextlib.suppress(OSError):
                        while True:
                            file.write(b"\0" * 4096)
                    await asyncio.sleep(seconds)  # the fault's duration
                    os.unlink(filler)
                fault = time.monotonic() - fault_started
                if name != "lock + restart":
                    await until(api, lambda: reports(api) >= 1, 180)
            if name == "lock + restart":
                async with bot(api, server, data):
                    await until(api, lambda: reports(api) >= 1, 180)
            stop_asking.set()
            await asyncio.gather(asking, return_exceptions=True)
    finally:
        if mounted:
            await asyncio.to_thread(subprocess.run, ["umount", "-l", str(workdir / "mnt")], check=False)
    received = delivered(api)
    p99 = (
        statistics.quantiles(latencies, n=100, method="inclusive")[98]
        if len(latencies) >= 2
        else max(latencies, default=0.0)
    )
    median = statistics.median(latencies) if latencies else 0.0
    return (
        f"| {name} | {fault:.0f} s | {len(latencies)} | {median:.2f} s | "
        f"{p99:.2f} s | {max(latencies, default=0):.2f} s | {len(apologies)} "
        f"| {len(received)} / {len(SUBSCRIBERS)} | {sum(n - 1 for n in received.values())} "
        f"| {len(set(SUBSCRIBERS) - set(received))} | {reports(api)} |"
    )


async def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock-seconds", type=float, default=30.0, help="how long each fault lasts (default: 30)")
    args = parser.parse_args()
    print(
        "| fault | lasted | questions | median answer | p99 answer | slowest answer "
        "| apologies | reached | duplicates | never reached | reports |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in ("lock", "lock + restart", "full disk"):
        with tempfile.TemporaryDirectory() as workdir:
            print(await scenario(name, args.lock_seconds, Path(workdir)), flush=True)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    asyncio.run(main())
