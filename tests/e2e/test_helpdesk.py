"""The helpdesk loop: an attendee asks the organisers, an organiser replies in their chat, the attendee gets it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.telegram_app.replies import entry_data
from tests.conftest import fill
from tests.e2e.harness import Harness, running_bot
from tests.fakes.botapi import BOT_USER, Call

ADMIN = 42
ORGANISERS = -100555
ATTENDEE = 1001
QUESTION = "is there a cloakroom for my coat"


def as_message(call: Call) -> dict[str, Any]:
    """The message the bot sent in ``call``, as Telegram shows it inside a reply."""
    return {
        "message_id": call.params["_message_id"],
        "date": 0,
        "chat": {"id": call.chat_id, "type": "supergroup"},
        "from": BOT_USER,
        "text": call.text,
    }


async def pass_on(bot: Harness) -> Call:
    """The attendee asks what the bot cannot answer, presses "Ask the organisers"; returns what the organisers got."""
    reply = await bot.api.ask(QUESTION, bot.api.user(ATTENDEE, first_name="Ann"))
    start = len(bot.api.calls)
    await bot.api.press(reply, "Ask the organisers")
    forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
    told = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ATTENDEE)
    assert told.text == "I've passed your question on to the organisers."
    return forwarded


async def test_an_organiser_reply_reaches_the_attendee_and_can_become_an_entry(tmp_path: Path, kb_dir: Path) -> None:
    """An organiser replies to the forwarded question; the attendee gets it without names; an admin adds the answer."""
    async with running_bot(
        tmp_path / "data", knowledge_dir=kb_dir, organiser_chat_id=ORGANISERS, admin_ids=frozenset({ADMIN})
    ) as bot:
        group = bot.api.group(ORGANISERS, "Organisers")
        forwarded = await pass_on(bot)
        assert "Ann" not in forwarded.text
        assert str(ATTENDEE) not in forwarded.text
        assert "Reply to this message to answer" in forwarded.text
        organiser = bot.api.user(555, first_name="Olivia")
        start = len(bot.api.calls)
        await bot.api.send("Yes, next to the entrance.", organiser, group, reply_to_message=as_message(forwarded))
        delivered = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ATTENDEE)
        assert delivered.text == f"The organisers answered your question “{QUESTION}”:\n\nYes, next to the entrance."
        assert "Olivia" not in delivered.text
        confirmed = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert confirmed.text == "Sent to the attendee (without your name)."
        assert confirmed.button_texts == ["Add as an answer"]
        start = len(bot.api.calls)
        await bot.api.press(confirmed, "Add as an answer", bot.api.user(ADMIN))
        created = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert created.text.startswith(
            "New entry “Is there a cloakroom for my coat” for “is there a cloakroom for my coat”."
        )
        assert "Yes, next to the entrance." in created.text
        assert (await bot.api.ask(QUESTION, bot.api.user(7))).text == "Yes, next to the entrance."
        start = len(bot.api.calls)
        await bot.api.press(confirmed, "Add as an answer", bot.api.user(ADMIN))  # a second tap changes nothing
        again = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert again.text == "Already done; nothing changed."
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8").count("- is there a cloakroom for my coat") == 1


async def test_an_answer_that_gives_nothing_asked_is_passed_on_and_the_reply_added_is_served(
    tmp_path: Path, kb_dir: Path
) -> None:
    """No contact known: "who organises it?" says so and is passed on; the reply added as an answer is then served.

    The next attendee asking it gets the organisers' answer, not the contact entry's "no contact details" it ties with.
    """
    async with running_bot(
        tmp_path / "data", knowledge_dir=kb_dir, organiser_chat_id=ORGANISERS, admin_ids=frozenset({ADMIN})
    ) as bot:
        group = bot.api.group(ORGANISERS, "Organisers")
        reply = await bot.api.ask("who organises the event?", bot.api.user(ATTENDEE))
        assert reply.text.startswith(fill("The announcement gives no contact details for the organisers of {name}"))
        assert "Ask the organisers" in reply.button_texts
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers")
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert "who organises the event?" in forwarded.text
        start = len(bot.api.calls)
        answer = "The organising team: write to hello@example.org."
        await bot.api.send(answer, bot.api.user(555), group, reply_to_message=as_message(forwarded))
        confirmed = await bot.api.wait_for(
            lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS and bool(c.button_texts)
        )
        start = len(bot.api.calls)
        await bot.api.press(confirmed, "Add as an answer", bot.api.user(ADMIN))
        created = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert created.text.endswith(f"{answer}\n\nSend /undo to take it back.")
        assert (await bot.api.ask("who organises the event?", bot.api.user(7))).text == answer


async def test_a_topic_with_nothing_to_say_opened_by_a_link_offers_to_ask_the_organisers(tmp_path: Path) -> None:
    """/start organiser (no contact known) says so with "Ask the organisers", which passes its question on."""
    async with running_bot(tmp_path / "data", organiser_chat_id=ORGANISERS) as bot:
        bot.api.group(ORGANISERS, "Organisers")
        reply = await bot.api.ask("/start organiser", bot.api.user(ATTENDEE))
        assert reply.text.startswith(fill("The announcement gives no contact details for the organisers of {name}"))
        assert reply.button_texts == ["Ask the organisers", "All topics"]
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers")
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert "“How can I contact the organisers?”" in forwarded.text


async def test_an_old_button_to_a_topic_with_nothing_to_say_offers_to_ask_the_organisers(tmp_path: Path) -> None:
    """A "Contact" button sent while a contact was known, pressed once it is empty: says so, offers the organisers."""
    async with running_bot(tmp_path / "data", organiser_chat_id=ORGANISERS) as bot:
        bot.api.group(ORGANISERS, "Organisers")
        attendee = bot.api.user(ATTENDEE)
        button = {"text": "Contact", "callback_data": entry_data("organiser")}
        old = Call("sendMessage", {"chat_id": ATTENDEE, "text": "", "reply_markup": {"inline_keyboard": [[button]]}})
        start = len(bot.api.calls)
        await bot.api.press(old, "Contact", attendee)
        reply = await bot.api.wait_for(
            lambda c: bot.api.calls.index(c) >= start and c.chat_id == ATTENDEE and c.method == "sendMessage"
        )
        assert reply.text.startswith(fill("The announcement gives no contact details for the organisers of {name}"))
        assert reply.button_texts == ["Ask the organisers", "All topics"]


async def test_only_the_asker_can_pass_a_question_on_and_only_once(tmp_path: Path) -> None:
    """Someone else pressing the button is refused; the asker's second press forwards nothing more."""
    async with running_bot(tmp_path / "data", organiser_chat_id=ORGANISERS) as bot:
        bot.api.group(ORGANISERS, "Organisers")
        reply = await bot.api.ask(QUESTION, bot.api.user(ATTENDEE))
        assert reply.button("Ask the organisers")["callback_data"] != "o:1"  # a capability, not a sequence number
        stranger = bot.api.user(2002)
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers", stranger)
        refused = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
        assert refused.text == "Only the person who asked can pass this question on."
        await pass_on_press(bot, reply)
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers", bot.api.users[ATTENDEE])
        second = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.method == "sendMessage")
        assert second.text == "You already passed this question on to the organisers."
        assert len(bot.api.sent(chat_id=ORGANISERS)) == 1


async def pass_on_press(bot: Harness, reply: Call) -> None:
    """The asker presses "Ask the organisers" under ``reply`` and the organisers receive it."""
    start = len(bot.api.calls)
    await bot.api.press(reply, "Ask the organisers", bot.api.users[ATTENDEE])
    await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
    await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ATTENDEE)


async def test_forget_deletes_a_pending_question_and_the_organisers_are_told(tmp_path: Path) -> None:
    """After /forget the ticket is gone: no row mentions the attendee and an organiser's reply is not delivered."""
    async with running_bot(tmp_path / "data", organiser_chat_id=ORGANISERS) as bot:
        group = bot.api.group(ORGANISERS, "Organisers")
        forwarded = await pass_on(bot)
        assert bot.runtime.store.rows_about(ATTENDEE) >= 1
        await bot.api.ask("/forget", bot.api.users[ATTENDEE])
        assert bot.runtime.store.rows_about(ATTENDEE) == 0
        start = len(bot.api.calls)
        await bot.api.send("It is at the entrance.", bot.api.user(555), group, reply_to_message=as_message(forwarded))
        told = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        assert told.text.startswith("I could not deliver that reply")
        assert bot.api.sent(chat_id=ATTENDEE)[-1].text.startswith("Done: I deleted everything")


async def test_a_long_question_passed_on_says_it_was_cut(tmp_path: Path) -> None:
    """A question over 1,000 characters reaches the organisers cut, and both they and the attendee are told so."""
    question = "is there a cloakroom for my coat " + "zqx " * 300
    async with running_bot(tmp_path / "data", organiser_chat_id=ORGANISERS) as bot:
        bot.api.group(ORGANISERS, "Organisers")
        reply = await bot.api.ask(question, bot.api.user(ATTENDEE, first_name="Ann"))
        start = len(bot.api.calls)
        await bot.api.press(reply, "Ask the organisers")
        forwarded = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ORGANISERS)
        told = await bot.api.wait_for(lambda c: bot.api.calls.index(c) >= start and c.chat_id == ATTENDEE)
        note = "(Only the first 1,000 characters of the question were passed on.)"
        assert told.text == f"I've passed your question on to the organisers. {note}"
        assert forwarded.text.endswith(f"\n\n{note}")
        assert f"“{question[:1000]}”" in forwarded.text
        assert question[:1001] not in forwarded.text
