"""The next edition by editing knowledge/ alone, and the bot between editions: subscribe, publish, notify once."""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.knowledge import load
from bot.telegram_app.app import build_application
from bot.telegram_app.live_reload import apply_reload
from tests.conftest import FIXTURES, fill
from tests.e2e.harness import Clock, Harness, make_settings, running_bot
from tests.fakes.botapi import Call, FakeBotApi, InProcessRequest

ADMIN = 42
# Another edition's values, and the 2025 values none of the replies may still carry.
NEW = {
    "edition": "2026",
    "date": "2026-10-13",
    "city": ("Antwerp", "Antwerpen", "Anvers"),
    "keynote_speaker": "Ada Lindqvist",
    "keynote_title": "Scaling Cell Therapies Together",
}
OLD = (
    "2025",
    "Brussels",
    "Brussel",
    "Bruxelles",
    "Jérôme",
    "Van Biervliet",
    "Anchoring Innovation",
    "November",
    "novembre",
)


def set_edition(event_yaml: Path, past: str = "") -> None:
    """Write the NEW edition's values into an edition_2025 event.yaml, as an organiser would (and ``past`` editions)."""
    text = event_yaml.read_text(encoding="utf-8")
    en, nl, fr = NEW["city"]
    for old, new in (
        ('edition: "2025"', f'edition: "{NEW["edition"]}"'),
        ("date: 2025-11-04 ", f"date: {NEW['date']} "),
        ("    en: Brussels\n    nl: Brussel\n    fr: Bruxelles", f"    en: {en}\n    nl: {nl}\n    fr: {fr}"),
        ("keynote_speaker: Jérôme Van Biervliet", f"keynote_speaker: {NEW['keynote_speaker']}"),
        ("keynote_title: Anchoring Innovation in Belgium", f"keynote_title: {NEW['keynote_title']}"),
        ("past_editions: []", past or "past_editions: []"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    event_yaml.write_text(text, encoding="utf-8")


def edition_2025(tmp_path: Path) -> Path:
    """A private copy of the 2025 fixture edition."""
    target = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "edition_2025", target)
    return target


def new_moment(days: int, hour: int) -> datetime:
    """A moment ``days`` after the NEW edition's day, Brussels time."""
    knowledge_tz = load(FIXTURES / "edition_2025").event.tz
    return datetime.combine(
        datetime.fromisoformat(str(NEW["date"])).date() + timedelta(days=days), time(hour), tzinfo=knowledge_tz
    )


def assert_new(text: str, *expected: str) -> None:
    """``text`` carries every ``expected`` value and none of the old edition's."""
    for value in expected:
        assert value in text, (value, text)
    for value in OLD:
        assert value not in text, (value, text)


async def test_another_editions_values_change_every_reply(tmp_path: Path) -> None:
    """Only event.yaml values changed: check passes; /start, /when, /where, /keynote, /calendar, text, reminders too."""
    kb = edition_2025(tmp_path)
    set_edition(kb / "event.yaml")
    assert load(kb).warnings == ()  # `bot check` passes, without a warning
    async with running_bot(tmp_path / "data", now=new_moment(-15, 10), knowledge_dir=kb) as bot:
        user = bot.api.user(1)
        assert_new(
            (await bot.api.ask("/start", user)).text, "2026", "Tuesday 13 October 2026", "Antwerp", "Ada Lindqvist"
        )
        assert_new((await bot.api.ask("/when", user)).text, "Tuesday 13 October 2026", "Antwerp")
        assert_new((await bot.api.ask("/where", user)).text, "Antwerp")
        assert_new((await bot.api.ask("/keynote", user)).text, "Ada Lindqvist", "Scaling Cell Therapies Together")
        assert_new((await bot.api.ask("who gives the keynote?", user)).text, "Ada Lindqvist")
        assert_new((await bot.api.ask("when is it?", user)).text, "Tuesday 13 October 2026")
        assert_new(
            (await bot.api.ask("wanneer is het?", bot.api.user(2, "nl"))).text, "dinsdag 13 oktober 2026", "Antwerpen"
        )
        assert_new((await bot.api.ask("où est-ce ?", bot.api.user(3, "fr"))).text, "Anvers")
        document = await bot.api.ask("/calendar", user, method="sendDocument")
        [(filename, content, _)] = document.files.values()
        event = Calendar.from_ical(content).walk("VEVENT")[0]
        assert filename == "science-for-health-2026.ics"
        assert_new(content.decode(), "Antwerp", "Ada Lindqvist", "20261013")
        assert event.decoded("dtstart") == datetime.fromisoformat(str(NEW["date"])).date()
        assert_new(document.text, "Antwerp")
        await bot.api.ask("/remind", user)
        assert bot.app.job_queue is not None
        for job in [j for j in bot.app.job_queue.jobs() if (j.name or "").startswith("reminder:")]:
            start = len(bot.api.calls)
            await job.run(bot.app)
            await bot.broadcasts_done()
            reminder = await bot.api.wait_for(
                lambda c, start=start: bot.api.calls.index(c) >= start and c.chat_id == 1  # type: ignore[misc]
            )
            assert_new(reminder.text, "Antwerp")


async def test_between_editions_subscribe_publish_and_notify_each_subscriber_once(tmp_path: Path) -> None:
    """After the event attendees subscribe; publishing the next edition previews to admins; a press sends one each."""
    kb = edition_2025(tmp_path)
    past_event = load(kb).event
    after = datetime.combine(past_event.date + timedelta(days=200), time(10), tzinfo=past_event.tz)
    async with running_bot(tmp_path / "data", now=after, knowledge_dir=kb, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        # Between editions: an honest answer, and a way to hear about the next one.
        reply = await bot.api.ask("when is the next edition?", bot.api.user(1))
        assert reply.text.startswith("The next edition of Science for Health has not been announced yet")
        await bot.api.press(reply, "Tell me about the next edition", bot.api.user(1))
        done = await bot.api.wait_for(lambda c: c.chat_id == 1 and c.text.startswith("Done!"))
        assert (
            done.text == "Done! I'll tell you as soon as the next edition of Science for Health is announced. "
            "Send /stop to unsubscribe."
        )
        nl = await bot.api.ask("/remind", bot.api.user(2, "nl"))
        assert nl.text.startswith("Klaar! Ik laat het je weten zodra de volgende editie")
        assert (await bot.api.ask("/remind", bot.api.user(2, "nl"))).text.startswith("Je staat al op de lijst")
        assert (await bot.api.ask("/status", bot.api.user(2, "nl"))).text.startswith(
            "Je bent ingeschreven: ik laat het je weten"
        )
        last_year = await bot.api.ask("who gave the keynote last year?", bot.api.user(3))
        assert (
            fill("the keynote “{keynote_title}” was given by {keynote_speaker}", knowledge=load(kb)) in last_year.text
        )
        # The organisers publish the next edition: new values, the old ones kept under past_editions.
        past = (
            'past_editions:\n- edition: "2025"\n  date: 2025-11-04\n  facts:\n'
            "    city: {en: Brussels, nl: Brussel, fr: Bruxelles}\n"
            "    keynote_speaker: Jérôme Van Biervliet\n    keynote_title: Anchoring Innovation in Belgium\n"
        )
        set_edition(kb / "event.yaml", past)
        reloaded = await bot.api.ask("/reload", admin)
        assert reloaded.text.startswith("Knowledge reloaded.")
        preview = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("New edition published"))
        assert preview.text.startswith("New edition published: Science for Health 2026, Tuesday 13 October 2026.")
        assert "to the 2 subscriber(s)" in preview.text
        assert "Science for Health 2026 takes place on Tuesday 13 October 2026 in Antwerp." in preview.text
        assert preview.button_texts == ["Notify subscribers"]
        # Nothing is sent until an admin presses the button; then one message each, in their language.
        assert [c for c in bot.api.sent() if c.chat_id in (1, 2) and "2026" in c.text] == []
        await bot.api.press(preview, "Notify subscribers", admin)
        report = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("New edition message sent"))
        # Every count filled in (no literal placeholder), and failures retried by pressing again, as the button does.
        assert report.text == (
            "New edition message sent: 2 delivered, 0 unsubscribed because they blocked the bot, 0 failed "
            "(press Notify subscribers again to retry them), "
            "0 unconfirmed (Telegram did not answer; not resent, to avoid duplicates)."
        )
        # a second press (or a second admin) sends nothing more
        await bot.api.press(preview, "Notify subscribers", admin)
        await bot.api.wait_for(
            lambda c: c.chat_id == ADMIN and c.text.startswith("New edition message sent: 0 delivered")
        )
        news = [c for c in bot.api.sent() if c.chat_id in (1, 2) and "2026" in c.text]
        assert sorted(c.chat_id or 0 for c in news) == [1, 2]
        by_chat = {c.chat_id: c.text for c in news}
        assert by_chat[1].startswith(
            "The next edition is announced: Science for Health 2026 takes place on Tuesday 13 October 2026 in Antwerp."
        )
        assert by_chat[2].startswith(
            "De volgende editie is aangekondigd: "
            "Science for Health 2026 vindt plaats op dinsdag 13 oktober 2026 in Antwerpen."
        )
        # The past edition keeps its answers ("last year" is now the archived 2025); the next-edition question
        # now has the date.
        last_year = await bot.api.ask("who gave the keynote last year?", bot.api.user(3))
        assert last_year.text.startswith("About Science for Health 2025, which took place on Tuesday 4 November 2025")
        assert "the keynote “Anchoring Innovation in Belgium” was given by Jérôme Van Biervliet." in last_year.text
        assert (await bot.api.ask("when is the next edition?", bot.api.user(3))).text.startswith(
            "The next edition is Science for Health 2026, on Tuesday 13 October 2026 in Antwerp"
        )


async def test_a_stale_notify_button_sends_nothing(tmp_path: Path) -> None:
    """A notify button for an edition that is no longer the current one is refused; nothing is sent."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        await bot.api.ask("/remind", bot.api.user(1))
        tap = Call(
            "sendMessage",
            {
                "chat_id": ADMIN,
                "text": "",
                "reply_markup": {"inline_keyboard": [[{"text": "Notify", "callback_data": "ne:1999"}]]},
            },
        )
        await bot.api.press(tap, "Notify", admin)
        refused = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.method == "sendMessage")
        assert refused.text == "That edition is no longer the current one in event.yaml; nothing was sent."
        assert [c for c in bot.api.sent(chat_id=1) if "announced" in c.text] == []


async def command_names(bot: Harness, start: int) -> set[str]:
    """The private-chat command menu (English) registered after call number ``start``."""
    call = await bot.api.wait_for(
        lambda c: (
            bot.api.calls.index(c) >= start
            and c.method == "setMyCommands"
            and c.params["scope"]["type"] == "all_private_chats"
            and not c.params.get("language_code")
        )
    )
    return {c["command"] for c in call.params["commands"]}


async def test_commands_follow_the_knowledge_removed_renamed_or_added(tmp_path: Path, kb_dir: Path) -> None:
    """Removing an entry's command drops it from the menu and /when becomes unknown; a moved command follows it."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        assert {"when", "where", "keynote", "themes", "register"} <= await command_names(bot, 0)
        faq = kb_dir / "faq.yaml"
        text = (
            faq.read_text(encoding="utf-8")
            .replace("  command: when\n", "", 1)
            .replace("  command: themes\n", "  command: topics\n", 1)
        )
        faq.write_text(text, encoding="utf-8")
        start = len(bot.api.calls)
        assert (await bot.api.ask("/reload", bot.api.user(ADMIN))).text.startswith("Knowledge reloaded.")
        names = await command_names(bot, start)
        assert "when" not in names
        assert "themes" not in names
        assert "topics" in names
        assert (await bot.api.ask("/when")).text == "I don't know that command. Send /help to see what I can do."
        help_text = (await bot.api.ask("/help")).text
        assert "/when" not in help_text
        assert "/topics (" in help_text
        assert fill("“{theme}”") in (await bot.api.ask("/topics")).text


@pytest.mark.parametrize("menu_fails", [False, True])
async def test_a_new_edition_reloaded_while_the_bot_stops_still_offers_the_notification(
    tmp_path: Path, menu_fails: bool
) -> None:
    """A reload publishing the next edition, ending after the bot stopped, still offers it, even if the menu fails."""
    kb = edition_2025(tmp_path)
    past_event = load(kb).event
    after = datetime.combine(past_event.date + timedelta(days=200), time(10), tzinfo=past_event.tz)
    api = FakeBotApi()
    settings = make_settings(tmp_path / "data", knowledge_dir=kb, admin_ids=frozenset({ADMIN}))
    app = build_application(settings, request=InProcessRequest(api), clock=Clock(after))
    api.user(ADMIN)
    async with app:  # initialised, not running: as when app.stop() has begun and a reload's training ends
        set_edition(kb / "event.yaml")
        if menu_fails:  # the same save renames a command, and Telegram refuses the new menu
            faq = kb / "faq.yaml"
            faq.write_text(faq.read_text(encoding="utf-8").replace("  command: when\n", "  command: date\n"), "utf-8")
            api.fail("setMyCommands", 502, "Bad Gateway", times=100)
        await apply_reload(app)
    preview = next(c for c in api.sent(chat_id=ADMIN) if c.text.startswith("New edition published"))
    assert preview.text.startswith("New edition published: Science for Health 2026, Tuesday 13 October 2026.")
    assert preview.button_texts == ["Notify subscribers"]
