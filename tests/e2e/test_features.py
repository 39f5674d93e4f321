"""Calendar files, inline mode, groups, flood control, errors and the command menu, through the real Application."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from bot.assistant import Assistant
from bot.knowledge import load
from tests.conftest import KB, fill
from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import BOT_USER, TOKEN


async def test_calendar_sends_a_valid_all_day_ics(bot: Harness) -> None:
    """/calendar sends an .ics file for the event day, all-day (no start time is known), in the city."""
    document = await bot.api.ask("/calendar", method="sendDocument")
    [(filename, content, _)] = document.files.values()
    assert filename == fill("{name}-{edition}.ics").lower().replace(" ", "-")
    event = next(c for c in Calendar.from_ical(content).walk("VEVENT"))
    assert str(event["summary"]) == fill("{name} {edition}")
    assert event.decoded("dtstart") == KB.event.date
    assert event.decoded("dtend") == KB.event.date + timedelta(days=1)
    assert str(event["location"]) == fill("{city}")
    assert fill("Keynote: {keynote_speaker}, “{keynote_title}”") in str(event["description"])
    assert document.text.startswith(fill("{name} {edition}, {date}, {city}."))
    assert any(c.method == "sendChatAction" and c.params["action"] == "upload_document" for c in bot.api.calls)


async def test_calendar_uses_the_start_time_and_timezone_when_known(tmp_path: Path, kb_dir: Path) -> None:
    """With a start time in event.yaml the .ics event starts then, in Europe/Brussels; a Dutch user gets Dutch text."""
    path = kb_dir / "event.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("start_time: null", 'start_time: "09:00"')
        .replace("end_time: null", 'end_time: "18:00"')
    )
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        document = await bot.api.ask("/calendar", user=bot.api.user(2002, "nl"), method="sendDocument")
        [(_, content, _)] = document.files.values()
        calendar = Calendar.from_ical(content)
        event = next(c for c in calendar.walk("VEVENT"))
        start = event.decoded("dtstart")
        assert (start.hour, start.minute, str(start.tzinfo)) == (9, 0, "Europe/Brussels")
        assert start.utcoffset() == timedelta(hours=1)
        assert any(True for _ in calendar.walk("VTIMEZONE"))
        assert fill("Thema: {theme}", "nl") in str(event["description"])
        assert document.text.startswith(fill("{name} {edition}, {date}, {city}.", "nl"))


async def test_calendar_button_sends_the_file(bot: Harness) -> None:
    """The "Add to calendar" button under the date answer sends the .ics file."""
    when = await bot.api.ask("/when")
    await bot.api.press(when, "Add to calendar")
    document = await bot.api.wait_for(lambda c: c.method == "sendDocument")
    assert next(iter(document.files.values()))[0].endswith(".ics")


async def test_inline_query_offers_matching_answers(bot: Harness) -> None:
    """@bot keynote in any chat offers keynote answers as articles to share; an empty query offers the topics."""
    start = len(bot.api.calls)
    await bot.api.inline("keynote")
    call = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "answerInlineQuery")
    results = call.params["results"]
    assert results[0]["id"] in ("keynote", "keynote_title")
    assert fill("{keynote_speaker}") in results[0]["input_message_content"]["message_text"]
    start = len(bot.api.calls)
    await bot.api.inline("")
    call = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "answerInlineQuery")
    assert [r["title"] for r in call.params["results"]] == ["Date", "Venue", "Theme", "Registration", "Keynote"]


NO_CONTACT = "The announcement gives no contact details for the organisers of {name} {edition}."


async def test_an_entry_with_nothing_to_say_is_never_offered_as_a_choice(tmp_path: Path, kb_dir: Path) -> None:
    """While no contact is known, "Contact" is no /faq topic nor inline result; a deep link to it says so, declined."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        everything = await bot.api.ask("/faq")
        assert "Contact" not in everything.button_texts
        assert "Venue" in everything.button_texts
        start = len(bot.api.calls)
        await bot.api.inline("how can i contact the organisers")
        call = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "answerInlineQuery")
        assert "organiser" not in [r["id"] for r in call.params["results"]]
        linked = await bot.api.ask("/start organiser")
        assert linked.text == fill(NO_CONTACT)
        assert linked.button_texts == ["All topics"]
        asked = await bot.api.ask("how can i contact the organisers?")
        assert asked.text == fill(NO_CONTACT)  # no promise of a button: this bot has no organisers' chat
        assert "Ask the organisers" not in asked.button_texts


async def test_the_same_entry_is_offered_once_its_fact_is_known(tmp_path: Path, kb_dir: Path) -> None:
    """With a contact in event.yaml, /faq lists "Contact" and its deep link answers with it."""
    path = kb_dir / "event.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  contact: null", "  contact: hello@example.org"))
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        assert "Contact" in (await bot.api.ask("/faq")).button_texts
        linked = await bot.api.ask("/start organiser")
        assert "hello@example.org" in linked.text


async def test_groups_answer_commands_mentions_and_replies_only(bot: Harness) -> None:
    """In a group the bot answers /when@bot, @mentions and replies to it, and ignores other chatter."""
    group = bot.api.group()
    user = bot.api.user()
    start = len(bot.api.calls)
    await bot.api.send("when is the conference? anyone?", user, group)  # chatter: no reply
    mention = await bot.api.ask(f"@{BOT_USER['username']} where is it?", user, group)
    assert fill("takes place in {city}") in mention.text
    replies = [c for c in bot.api.calls[start:] if c.method == "sendMessage"]
    assert replies == [mention]
    command = await bot.api.ask(f"/keynote@{BOT_USER['username']}", user, group)
    assert fill("{keynote_title}") in command.text
    bot_message = {"message_id": 5, "date": 0, "chat": group, "from": BOT_USER, "text": "..."}
    start = len(bot.api.calls)
    update = await bot.api.push(
        {"message": bot.api.message("and the theme?", user, group, reply_to_message=bot_message)}
    )
    update["_seen"] = start
    reply = await bot.api.reply_to(update)
    assert fill("{theme}") in reply.text


async def test_flood_control_warns_once_then_ignores_until_the_minute_passes(tmp_path: Path) -> None:
    """Past 5 messages a minute a user gets one notice, then silence; a minute later they are answered again."""
    async with running_bot(tmp_path / "data", flood_limit=5) as bot:
        user = bot.api.user()
        for _ in range(8):
            await bot.api.send("when is it", user)
        marker_user = bot.api.user(3003)
        await bot.api.ask("/help", marker_user)  # processed after all eight
        texts = [c.text for c in bot.api.sent(chat_id=user["id"])]
        assert len(texts) == 6
        assert texts[5] == "You're sending messages very fast. I'll answer again in a minute."
        bot.clock.advance(timedelta(seconds=61))
        reply = await bot.api.ask("when is it", user)
        assert fill("takes place on {date}") in reply.text


async def test_a_failing_handler_is_logged_apologised_for_and_the_bot_goes_on(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """When Telegram rejects a reply, the error is logged with the update, the user gets an apology; the next works."""
    bot.api.fail("sendMessage", 400, "Bad Request: can't parse entities", times=1)
    with caplog.at_level(logging.ERROR):
        apology = await bot.api.ask("when is it")
    assert apology.text == "Sorry, something went wrong on my side. Please try again in a moment."
    assert any(r.getMessage().startswith("error while handling update") for r in caplog.records)
    assert not any("1001" in r.getMessage() for r in caplog.records)  # no user id in the log
    reply = await bot.api.ask("where is it")
    assert fill("{city}") in reply.text


async def test_command_menu_and_descriptions_are_registered_per_scope_and_language(tmp_path: Path) -> None:
    """post_init registers private, group and admin command menus and descriptions in en, nl and fr."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({42})) as bot:
        menus = [c for c in bot.api.calls if c.method == "setMyCommands"]
        by_scope = {(c.params["scope"]["type"], c.params.get("language_code")): c.params["commands"] for c in menus}
        private_en = {c["command"]: c["description"] for c in by_scope[("all_private_chats", None)]}
        assert private_en["when"] == "Date of the event"
        assert {"start", "remind", "language", "forget"} <= private_en.keys()
        assert "reload" not in private_en
        assert {c["command"]: c["description"] for c in by_scope[("all_private_chats", "nl")]}[
            "when"
        ] == "Datum van het evenement"
        assert {c["command"]: c["description"] for c in by_scope[("all_group_chats", "fr")]}["where"] == "Lieu"
        admin = next(c for c in menus if c.params["scope"]["type"] == "chat")
        assert admin.params["scope"]["chat_id"] == 42
        assert {"reload", "stats", "unanswered", "announce"} <= {c["command"] for c in admin.params["commands"]}
        descriptions = {
            c.params.get("language_code"): c.params["description"]
            for c in bot.api.calls
            if c.method == "setMyDescription"
        }
        assert descriptions[None].startswith(fill("Your assistant for {name} {edition}, {date} in {city}."))
        assert descriptions["fr"].startswith(fill("Votre assistant pour {name} {edition}, le {date} à {city}.", "fr"))
        short = [c.params["short_description"] for c in bot.api.calls if c.method == "setMyShortDescription"]
        assert all(len(s) <= 120 for s in short)
        assert len(short) == 3


async def test_token_never_appears_in_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """With DEBUG logging across a whole conversation and an error, the token is never in a log line."""
    from bot.logs import install_redaction

    install_redaction([TOKEN])
    with caplog.at_level(logging.DEBUG):
        async with running_bot(tmp_path / "data") as bot:
            await bot.api.ask("/start")
            bot.api.fail("sendMessage", 400, f"Bad Request: token {TOKEN} in an error")
            await bot.api.ask("when is it")
            logging.getLogger("test").info("the token is %s", TOKEN)
    assert caplog.records
    assert TOKEN not in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)
    assert "[redacted]" in caplog.text


async def test_faq_lists_topics_but_not_small_talk(tmp_path: Path, kb_dir: Path) -> None:
    """An entry marked ``topic: false`` (a greeting) is answered but never listed by /faq."""
    knowledge = load(kb_dir)
    small_talk = next(e for e in knowledge.entries if not e.menu)
    faq = kb_dir / "faq.yaml"
    faq.write_text(
        faq.read_text(encoding="utf-8").replace(
            f"- id: {small_talk.id}\n", f"- id: {small_talk.id}\n  topic: false\n", 1
        ),
        encoding="utf-8",
    )
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        listing = await bot.api.ask("/faq")
        assistant = bot.runtime.snapshot.assistant  # an entry whose own answer is a decline is not listed
        said = [e for e in knowledge.entries if (a := assistant.answer_entry(e.id, "en", bot.clock())) and a.faq_id]
        titles = [str(e.title["en"]) for e in said if e.id != small_talk.id and e.topic]
        assert str(small_talk.title["en"]) not in listing.button_texts
        assert set(titles) <= set(listing.button_texts)
        answer = await bot.api.ask(small_talk.questions["en"][0])
        expected = Assistant(load(kb_dir)).answer_entry(small_talk.id, "en", bot.clock())
        assert answer.text == expected.text  # type: ignore[union-attr]
