"""Webhook mode's health endpoint and SIGTERM, through the real process: what a host's health check and stop see."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx

from tests.conftest import fill
from tests.e2e.test_process import bot_env, start_bot
from tests.fakes.botapi import FakeBotApi, LoopbackServer


async def test_webhook_mode_answers_health_checks_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    """GET /healthz on the webhook port answers 200 {"status": "ok"} while serving; SIGTERM then stops it, exit 0."""
    api = FakeBotApi()
    user = api.user()
    async with LoopbackServer(api) as server:
        process = await start_bot(
            bot_env(server.url, tmp_path / "data", WEBHOOK_URL="https://bot.example.org", PORT="0", LOG_LEVEL="INFO")
        )
        try:
            port = int((await process.log_line("serving webhook on port ")).rsplit(" ", 1)[1])
            registered = await api.wait_for(lambda c: c.method == "setWebhook", timeout=30)
            await api.wait_for(lambda c: c.method == "setMyShortDescription", timeout=30)
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                health = await client.get("/healthz")
                assert (health.status_code, health.json(), health.headers["content-type"]) == (
                    200,
                    {"status": "ok"},
                    "application/json",
                )
                assert (await client.post("/healthz", content=b"{}")).status_code == 405
                assert (await client.get("/elsewhere")).status_code == 404
                # The webhook itself still works beside it.
                path = httpx.URL(str(registered.params["url"])).path
                update = {"update_id": 1, "message": api.message("when is it?", user)}
                secret = {"X-Telegram-Bot-Api-Secret-Token": str(registered.params["secret_token"])}
                assert (await client.post(path, json=update, headers=secret)).status_code == 200
            reply = await api.wait_for(lambda c: c.method == "sendMessage" and c.chat_id == user["id"], timeout=30)
            assert fill("{date}") in reply.text
        finally:
            process.send_signal(signal.SIGTERM)
            code = await process.wait()
    assert code == 0, process.stderr
    assert process.stderr.rstrip().endswith("stopped")
    assert "Traceback" not in process.stderr
