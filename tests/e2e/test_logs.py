"""The logs promise counts and entry ids only: in a run touching every feature that logs, no user or chat id appears."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest

from bot.knowledge import load
from bot.logs import quiet_libraries
from tests.e2e.harness import running_bot
from tests.e2e.test_helpdesk import as_message
from tests.e2e.test_next_edition import edition_2025, set_edition
from tests.fakes.botapi import ANONYMOUS_ADMIN

ADMIN = 4242001  # an admin who pressed Start
SILENT_ADMIN = 4242002  # an admin who never did: the bot cannot message them
ATTENDEE = 7310042
GROUP = -4009876
SUPERGROUP = -1004009876
ORGANISERS = -1005550001
IDS = (ADMIN, SILENT_ADMIN, ATTENDEE, GROUP, SUPERGROUP, ORGANISERS)


@pytest.fixture
def log_as_the_bot_does(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every record at DEBUG, libraries as quiet as ``python -m bot run`` keeps them (levels restored afterwards)."""
    names = ("telegram", "httpx", "httpcore")
    levels = {name: logging.getLogger(name).level for name in names}
    caplog.set_level(logging.DEBUG)
    quiet_libraries("DEBUG")
    yield caplog
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def test_no_user_or_chat_id_in_any_log_line_over_a_whole_run(
    tmp_path: Path, log_as_the_bot_does: pytest.LogCaptureFixture
) -> None:
    """Asking, reminders, helpdesk, teaching, announcing (status lost), new edition, /forget, migration log no id."""
    kb = edition_2025(tmp_path)
    event = load(kb).event
    after = datetime.combine(event.date + timedelta(days=200), clock_time(10), tzinfo=event.tz)
    admins = frozenset({ADMIN, SILENT_ADMIN})
    async with running_bot(
        tmp_path / "data", now=after, knowledge_dir=kb, admin_ids=admins, organiser_chat_id=ORGANISERS
    ) as bot:
        api = bot.api
        admin, attendee = api.user(ADMIN), api.user(ATTENDEE)
        organisers = api.group(ORGANISERS, "Organisers")
        # An attendee asks, subscribes and passes a question on; an organiser answers; an admin adopts it.
        await api.ask("where is it?", attendee)
        await api.ask("/remind", attendee)
        declined = await api.ask("is there a cloakroom for my coat", attendee)
        start = len(api.calls)
        await api.press(declined, "Ask the organisers", attendee)
        forwarded = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        start = len(api.calls)
        await api.send("Yes, next to the entrance.", api.user(555), organisers, reply_to_message=as_message(forwarded))
        confirmed = await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        start = len(api.calls)
        await api.press(confirmed, "Add as an answer", admin)
        await api.wait_for(lambda c: api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        # An announcement whose status message cannot be shown (the report then comes as a new message).
        preview = await api.ask("/announce The doors open at 9:00.", admin)
        api.fail("sendMessage", 400, "Bad Request: not enough rights to send text messages to the chat", chat_id=ADMIN)
        await api.press(preview, "Send", admin)
        await bot.broadcasts_done()
        await api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("Announcement sent"))
        # The next edition is published: one admin never pressed Start and cannot be told.
        set_edition(kb / "event.yaml")
        assert (await api.ask("/reload", admin)).text.startswith("Knowledge reloaded.")
        await api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("New edition published"))
        await api.wait_for(lambda c: c.chat_id == SILENT_ADMIN and c.status == 400)
        # A group subscribes, becomes a supergroup, and its anonymous administrator has it forgotten.
        group = {"id": GROUP, "type": "group", "title": "Attendees"}
        api.chats[GROUP] = group
        await api.ask("/remind", attendee, group)
        supergroup = (await api.migrate(group, SUPERGROUP, attendee))["message"]["chat"]
        await api.ask("/status", attendee, supergroup)
        start = len(api.calls)
        update = await api.send("/forget", ANONYMOUS_ADMIN, supergroup, sender_chat=supergroup)
        update["_seen"] = start
        await api.reply_to(update)
        await api.ask("/forget", attendee)
    records = log_as_the_bot_does.records
    warned = {r.name for r in records if r.levelno == logging.WARNING}
    assert {
        "bot.telegram_app.editions",
        "bot.telegram_app.announcements",
    } <= warned  # the paths that used to log ids ran
    lines = [record.getMessage() + "\n" + (record.exc_text or "") for record in records]
    for line in lines:
        for number in IDS:
            assert str(number) not in line, line
            assert str(abs(number)) not in line, line
