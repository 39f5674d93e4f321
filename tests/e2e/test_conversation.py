"""Attendees talking to the bot in Telegram: commands, buttons, deep links, free text, the organisers."""

from __future__ import annotations

import html
from pathlib import Path

from tests.conftest import AFTER, entry_for, fill, shown
from tests.e2e.harness import Harness, running_bot


async def test_start_welcomes_with_the_main_topics(bot: Harness) -> None:
    """/start says what the bot knows, with a countdown, and offers the main topics as buttons."""
    reply = await bot.api.ask("/start")
    assert reply.text.startswith(fill("Hi! I'm the assistant for {name} {edition}, {date} in {city}: in 15 days."))
    assert reply.params["parse_mode"] == "HTML"
    assert reply.button_texts == [
        "Date",
        "Venue",
        "Theme",
        "Registration",
        "Keynote",
        "Funding gap",
        "Remind me",
        "Add to calendar",
        "All topics",
    ]


async def test_pressing_a_topic_button_answers_it(bot: Harness) -> None:
    """Pressing "Venue" under the welcome answers the venue question."""
    welcome = await bot.api.ask("/start")
    start = len(bot.api.calls)
    await bot.api.press(welcome, "Venue")
    answer = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
    assert fill("takes place in {city} ({country})") in answer.text
    assert "not the exact venue or address yet" in answer.text
    assert await bot.api.wait_for(lambda c: c.method == "answerCallbackQuery")


async def test_deep_link_opens_a_topic(bot: Harness) -> None:
    """t.me/<bot>?start=keynote (a QR code on a poster) opens straight on the keynote."""
    reply = await bot.api.ask("/start keynote")
    assert reply.text.startswith(fill("{keynote_speaker}, {keynote_roles}, will deliver the keynote"))


async def test_unknown_deep_link_falls_back_to_the_welcome(bot: Harness) -> None:
    """A deep link naming no topic shows the normal welcome."""
    reply = await bot.api.ask("/start no-such-topic")
    assert reply.text.startswith(fill("Hi! I'm the assistant for {name} {edition}"))


async def test_topic_commands_answer_their_topics(bot: Harness) -> None:
    """/when, /where, /keynote, /themes and /register each answer their topic."""
    expectations = {
        "/when": "takes place on {date} in {city}: in 15 days.",
        "/where": "takes place in {city} ({country})",
        "/keynote": "“{keynote_title}”",
        "/themes": "The theme of {name} {edition} is “{theme}”, with a focus on “{focus}”",
        "/register": "gives no registration link",
    }
    for command, snippet in expectations.items():
        reply = await bot.api.ask(command)
        assert shown(snippet) in reply.text, (command, reply.text)
    when = await bot.api.ask("/when")
    assert when.button_texts == ["Remind me", "Add to calendar"]


async def test_help_lists_the_commands_of_the_chats_menu(bot: Harness) -> None:
    """/help describes each command of the chat's menu (from the command table); a group's has no private-only ones."""
    private = await bot.api.ask("/help")
    assert private.text.startswith(
        "Just type your question, in English, Dutch or French. Commands: /when (Date of the event), "
    )
    assert private.text.endswith(
        "/calendar (Add to your calendar), /faq (All topics), /remind (Get reminders before the event), "
        "/stop (Stop reminders), /status (Your reminder status), /language (Change language), "
        "/privacy (What I store about you), /forget (Delete your data), /id (Show your Telegram id and this chat's)."
    )
    group = await bot.api.ask("/help", bot.api.user(5), bot.api.group(-100777, "Attendees"))
    assert group.text.endswith(
        "/calendar (Add to your calendar), /faq (All topics), /id (Show your Telegram id and this chat's)."
    )
    assert "/remind" not in group.text


async def test_help_and_faq_list_everything(bot: Harness) -> None:
    """/help explains the commands; /faq offers every entry as a button."""
    help_reply = await bot.api.ask("/help")
    assert help_reply.text.startswith(
        "Just type your question, in English, Dutch or French. Commands: /when (Date of the event), /where (Venue), "
    )
    faq = await bot.api.ask("/faq")
    assert faq.text == "Topics I can help with:"
    labels = faq.button_texts
    topics = [e for e in bot.runtime.snapshot.knowledge.entries if e.topic]
    # an entry whose own answer is a decline (when_missing: decline, no contact known) is not offered
    answers = [bot.runtime.snapshot.assistant.answer_entry(e.id, "en", bot.clock()) for e in topics]
    said = [a for a in answers if a is not None and a.outcome == "answer"]
    # every topic entry (small talk left out), then the calendar and reminder buttons
    assert len(labels) == len(said) + 2
    assert "Hello" not in labels
    assert "Contact" not in labels
    assert {"Date", "What is an ATMP?", "Clinical trials", "Coalition of the willing"} <= set(labels)


async def test_free_text_is_answered_and_past_tense_after_the_event(tmp_path: Path) -> None:
    """A typed question gets the matching answer; after the event it is in the past tense, offering news of the next."""
    async with running_bot(tmp_path / "data", now=AFTER) as bot:
        reply = await bot.api.ask("when was it?")
        assert reply.text == fill("{name} {edition} took place on {date} in {city}.", now=AFTER)
        assert reply.button_texts == ["Tell me about the next edition"]
        welcome = await bot.api.ask("/start")
        assert fill("which took place on {date}") in welcome.text
        assert "Remind me" not in welcome.button_texts
        assert "Tell me about the next edition" in welcome.button_texts


async def test_did_you_mean_buttons_answer_when_pressed(bot: Harness) -> None:
    """A vague question offers "did you mean" buttons; pressing one answers it."""
    reply = await bot.api.ask("money")
    assert reply.text == "I'm not sure I understood. Did you mean:"
    choices = bot.runtime.snapshot.assistant.answer("money", "en", bot.clock()).suggestions
    assert len(choices) >= 2
    assert reply.button_texts == [*(choice.title for choice in choices), "All topics"]
    start = len(bot.api.calls)
    await bot.api.press(reply, choices[-1].title)
    answer = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
    expected = bot.runtime.snapshot.assistant.answer_entry(choices[-1].faq_id, "en", bot.clock())
    assert expected is not None
    assert answer.text == html.escape(expected.text, quote=False)


async def test_unknown_question_is_forwarded_to_the_organisers(tmp_path: Path) -> None:
    """Pressing "Ask the organisers" forwards the question (escaped, without who asked) and tells the user."""
    async with running_bot(tmp_path / "data", organiser_chat_id=-100555) as bot:
        bot.api.group(-100555, "Organisers")
        reply = await bot.api.ask("<b>Is there parking & wifi?</b>")
        assert reply.text.startswith("Sorry, I don&#x27;t know") or reply.text.startswith("Sorry, I don't know")
        assert reply.button_texts == ["Ask the organisers", "All topics"]
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers")
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == -100555)
        assert forwarded.text.startswith(
            "Question from an attendee that I could not answer:\n"
            "“&lt;b&gt;Is there parking &amp; wifi?&lt;/b&gt;”\nMy best guesses: "
        )
        assert "Ann" not in forwarded.text
        assert "1001" not in forwarded.text
        told = await bot.api.wait_for(
            lambda c: bot.api.calls.index(c) >= start and c.chat_id == 1001 and c.method == "sendMessage"
        )
        assert told.text == "I've passed your question on to the organisers."


async def test_a_request_to_register_me_offers_registration_and_the_organisers(tmp_path: Path) -> None:
    """Asked to register someone, the bot says it cannot and offers the registration topic and the organisers."""
    async with running_bot(tmp_path / "data", organiser_chat_id=-100555) as bot:
        bot.api.group(-100555, "Organisers")
        reply = await bot.api.ask("Can you register me and my colleague?")
        assert reply.text == shown(
            "Sorry, I can't book, register or pay for anything myself: I only answer questions about {name} {edition}."
        )
        registration = bot.runtime.snapshot.assistant.answer_entry(entry_for("register"), "en", bot.clock())
        assert registration is not None
        topic = bot.runtime.snapshot.assistant.answer("Can you register me and my colleague?", "en", bot.clock())
        assert reply.button_texts == [topic.suggestions[0].title, "Ask the organisers", "All topics"]
        start = len(bot.api.calls)
        await bot.api.press(reply, topic.suggestions[0].title)
        answered = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
        assert answered.text == html.escape(registration.text, quote=False)
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers")
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == -100555)
        assert "Can you register me and my colleague?" in forwarded.text


async def test_without_an_organiser_chat_no_ask_the_organisers_button(bot: Harness) -> None:
    """With no ORGANISER_CHAT_ID, a question the bot cannot answer offers the topics only, no dead-end button."""
    reply = await bot.api.ask("is there a cloakroom for coats")
    assert reply.button_texts == ["All topics"]


async def test_hostile_and_odd_input_gets_polite_escaped_replies(bot: Harness) -> None:
    """Markup, ampersands, 10,000 characters, emoji and control characters all get a polite reply."""
    for text in ["<script>alert(1)</script>", "&amp; & <i>", "a" * 10_000, "🙂 ¿qué? 你好", "\u202e\u0000evil"]:
        reply = await bot.api.ask(text)
        assert reply.text
        assert "<script>" not in reply.text
        assert len(reply.text) <= 4096


async def test_stickers_get_a_hint_and_edits_are_ignored(bot: Harness) -> None:
    """A sticker gets "I can only read text"; an edited message gets nothing."""
    user = bot.api.user()
    sticker = bot.api.message("", user)
    del sticker["text"]
    sticker["sticker"] = {
        "file_id": "s",
        "file_unique_id": "s",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
    }
    start = len(bot.api.calls)
    await bot.api.push({"message": sticker})
    hint = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
    assert hint.text == "I can only read text messages. Please type your question."
    start = len(bot.api.calls)
    await bot.api.push({"edited_message": {**bot.api.message("when is it", user), "edit_date": 1}})
    marker = await bot.api.ask("/help")
    replies = [c for c in bot.api.calls[start:] if c.method == "sendMessage"]
    assert replies == [marker]  # the edit was processed before /help and got no reply


async def test_unknown_command_gets_a_hint(bot: Harness) -> None:
    """An unknown command is answered with a pointer to /help."""
    reply = await bot.api.ask("/teleport")
    assert reply.text == "I don't know that command. Send /help to see what I can do."


async def test_venue_pin_is_sent_when_coordinates_are_known(tmp_path: Path, kb_dir: Path) -> None:
    """With coordinates in event.yaml, /where sends a map pin before the text."""
    path = kb_dir / "event.yaml"
    text = (
        path.read_text(encoding="utf-8")
        .replace("latitude: null", "latitude: 50.8466")
        .replace("longitude: null", "longitude: 4.3528")
    )
    path.write_text(text, encoding="utf-8")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        venue = await bot.api.ask("/where", method="sendVenue")
        assert (venue.params["latitude"], venue.params["longitude"]) == (50.8466, 4.3528)
        assert venue.params["title"] == fill("{name} {edition}")
        await bot.api.wait_for(lambda c: c.method == "sendMessage" and fill("takes place in {city}") in c.text)


async def test_long_answers_are_split_cleanly(tmp_path: Path, kb_dir: Path) -> None:
    """An answer longer than 4,096 characters arrives as several messages, none cut mid-word."""
    path = kb_dir / "faq.yaml"
    long_text = " ".join(f"word{i}" for i in range(1500))
    text = path.read_text(encoding="utf-8").replace(
        'en: "You\'re welcome! Anything else about {name} {edition}?"', f'en: "{long_text}"'
    )
    path.write_text(text, encoding="utf-8")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        start = len(bot.api.calls)
        await bot.api.send("thank you")
        await bot.api.wait_for(
            lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage" and c.text.endswith("word1499")
        )
        parts = [c.text for c in bot.api.calls[start:] if c.method == "sendMessage"]
        assert len(long_text) > 3 * 4096
        assert len(parts) == 4
        assert all(len(p) <= 4096 for p in parts)
        assert " ".join(parts) == long_text


async def test_long_emoji_answers_are_split_by_telegrams_count_at_paragraphs(tmp_path: Path, kb_dir: Path) -> None:
    """An answer of emoji paragraphs arrives in parts of at most 4,096 UTF-16 units, each cut at a paragraph break."""
    path = kb_dir / "faq.yaml"
    paragraph = " ".join(["🎉"] * 700)  # 2,099 characters, 2,799 UTF-16 units
    long_text = "\\n\\n".join([paragraph] * 4)
    text = path.read_text(encoding="utf-8").replace(
        'en: "You\'re welcome! Anything else about {name} {edition}?"', f'en: "{long_text}"'
    )
    path.write_text(text, encoding="utf-8")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        start = len(bot.api.calls)
        await bot.api.send("thank you")
        await bot.api.count("sendMessage", 4)
        parts = [c.text for c in bot.api.calls[start:] if c.method == "sendMessage"]
        assert parts == [paragraph] * 4
        assert [c for c in bot.api.calls[start:] if c.status != 200] == []


async def test_inline_answers_are_never_cut_inside_an_escaped_character(tmp_path: Path, kb_dir: Path) -> None:
    """An over-long answer full of ``&`` is offered inline as valid HTML (the fake refuses a cut ``&amp;``)."""
    path = kb_dir / "faq.yaml"
    text = path.read_text(encoding="utf-8").replace(
        'en: "You\'re welcome! Anything else about {name} {edition}?"', 'en: "' + "& " * 2100 + '"'
    )
    path.write_text(text, encoding="utf-8")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir) as bot:
        start = len(bot.api.calls)
        await bot.api.inline("thank you")
        call = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "answerInlineQuery")
        assert call.status == 200
        assert call.params["results"][0]["input_message_content"]["message_text"] == "&amp; " * 2047 + "&amp;"
