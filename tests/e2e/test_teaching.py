"""Teaching the bot from Telegram without hurting it: ranked candidates, new entries, ignore, /undo, refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.knowledge import KnowledgeError, load
from bot.telegram_app.app import build_application
from bot.telegram_app.live_reload import apply_reload
from tests.e2e.harness import Harness, make_settings, running_bot
from tests.fakes.botapi import Call, FakeBotApi, InProcessRequest

ADMIN = 42
# How the file watcher's reports to admins begin (bot/locales/en.yaml: reload_ok, reload_fixed, reload_failed).
WATCHER_REPORTS = ("Knowledge reloaded", "Fixed: the knowledge base", "The knowledge edit was rejected")
# A tap or an answer rewrites the knowledge and reloads it, training the decision model again (twice when a hand edit
# lands in between): on a loaded 2-core CI machine under coverage that took over 30 s once. The wait ends as soon as
# the reply is logged; this only bounds a reply that never comes.
RELOAD_WAIT = 120.0


def title(kb_dir: Path, faq_id: str, lang: str = "en") -> str:
    """An entry's title as the knowledge base under test spells it."""
    return str(load(kb_dir).by_id[faq_id].title[lang])  # type: ignore[index]


async def miss(bot: Harness, *questions: str) -> None:
    """Attendees ask questions the bot cannot answer."""
    for number, question in enumerate(questions, 1):
        reply = await bot.api.ask(question, bot.api.user(100 + number))
        assert reply.text.startswith(("Sorry", "I'm not sure", "Désolé", "Sorry, ik", "Ik weet", "Je ne"))


def teaching_reply(bot: Harness, start: int) -> Callable[[Call], bool]:
    """A message to the admin sent after call ``start`` that is not the file watcher's report of an edit."""
    return lambda c: (
        bot.api.calls.index(c) >= start
        and c.chat_id == ADMIN
        and c.method == "sendMessage"
        and not c.text.startswith(WATCHER_REPORTS)
    )


async def tap(bot: Harness, message: Call, label: str) -> Call:
    """The admin taps ``label`` under ``message``; returns the bot's next teaching message to the admin."""
    start = len(bot.api.calls)
    await bot.api.press(message, label, bot.api.user(ADMIN))
    return await bot.api.wait_for(teaching_reply(bot, start), timeout=RELOAD_WAIT)


async def admin_sends(bot: Harness, text: str) -> Call:
    """The admin sends ``text``; returns the bot's next teaching message to the admin (not a watcher's report)."""
    start = len(bot.api.calls)
    await bot.api.send(text, bot.api.user(ADMIN))
    return await bot.api.wait_for(teaching_reply(bot, start), timeout=RELOAD_WAIT)


async def new_entry_prompt(bot: Harness) -> Call:
    """An attendee asks what the bot cannot answer; the admin opens /unanswered, taps "New entry": the bot's prompt."""
    await miss(bot, "is there a cloakroom for coats")
    listing = await bot.api.ask("/unanswered", bot.api.user(ADMIN))
    return await tap(bot, listing, "1. New entry")


async def write_answer(bot: Harness, prompt: Call) -> Call:
    """The admin replies to ``prompt`` with the cloakroom answer; returns the admin's next teaching message."""
    start = len(bot.api.calls)
    await bot.api.send(
        "Yes: the cloakroom is next to the entrance.", bot.api.user(ADMIN), reply_to_message=reply_to(prompt)
    )
    return await bot.api.wait_for(teaching_reply(bot, start), timeout=RELOAD_WAIT)


def reply_to(call: Call) -> dict[str, Any]:
    """The bot's message in ``call`` as quoted by a reply."""
    return {
        "message_id": call.params["_message_id"],
        "date": 0,
        "chat": {"id": call.chat_id, "type": "private"},
        "from": {"id": 123456, "is_bot": True, "first_name": "SfH"},
        "text": call.text,
    }


def learn_listing(question_id: int, faq_id: str) -> Call:
    """The admin's listing message with the one button that files question ``question_id`` under ``faq_id``."""
    button = {"text": f"+ {faq_id}", "callback_data": f"learn:{question_id}:{faq_id}"}
    return Call("sendMessage", {"chat_id": ADMIN, "text": "", "reply_markup": {"inline_keyboard": [[button]]}})


async def test_unanswered_ranks_entries_by_title_with_their_answer_and_a_tap_shows_the_new_answer(
    tmp_path: Path, kb_dir: Path
) -> None:
    """/unanswered shows titles and each one's answer; a tap files the question, shows its new answer; twice is once."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        await miss(bot, "is there a cloakroom at the venue", "Is there a cloakroom at the venue?", "do you sell pizza")
        listing = await bot.api.ask("/unanswered", admin)
        lines = listing.text.splitlines()
        assert lines[0].startswith("Questions I could not answer (most frequent first).")
        assert lines[2] == "1. Is there a cloakroom at the venue? (2×, en)"
        venue = title(kb_dir, "venue")
        assert lines[3].startswith(f"• {venue}: “")  # the title, and the start of the answer attendees would get
        assert "venue:" not in listing.text
        assert f"1. + {venue}" in listing.button_texts
        assert "1. New entry" in listing.button_texts
        assert "1. Ignore" in listing.button_texts
        learned = await tap(bot, listing, f"1. + {venue}")
        assert learned.text.startswith(
            f"Added “Is there a cloakroom at the venue?” to “{venue}”. Attendees asking it now get:\n\n"
        )
        attendee = await bot.api.ask("is there a cloakroom at the venue", bot.api.user(4))
        assert attendee.text in learned.text
        assert learned.text.endswith("Send /undo to take it back.")
        text = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        assert text.count("Is there a cloakroom at the venue?") == 1
        assert "# After any edit run:  python -m bot check" in text  # comments survive the round-trip
        assert (await tap(bot, listing, f"1. + {venue}")).text == "Already done; nothing changed."
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == text
        assert "cloakroom" not in (await bot.api.ask("/unanswered", admin)).text


async def test_unanswered_never_offers_an_entry_with_nothing_to_say(tmp_path: Path, kb_dir: Path) -> None:
    """With no contact known, a question for the organisers is listed without "+ Contact"; once one is set, with it.

    Filed under an entry with nothing to say, it would be marked answered while attendees asking it are still declined.
    """
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        for number, question in enumerate(("how do i email the organisers", "how do I email the organisers?")):
            declined = await bot.api.ask(question, bot.api.user(100 + number))
            assert declined.text.startswith("The announcement gives no contact details for the organisers")
        listing = await bot.api.ask("/unanswered", admin)
        assert listing.text.splitlines()[2] == "1. how do I email the organisers? (2×, en)"
        contact = title(kb_dir, "organiser")
        assert f"1. + {contact}" not in listing.button_texts
        assert f"• {contact}:" not in listing.text
        assert "1. New entry" in listing.button_texts
    event = kb_dir / "event.yaml"
    event.write_text(event.read_text(encoding="utf-8").replace("  contact: null", "  contact: hello@example.org"))
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        listing = await bot.api.ask("/unanswered", bot.api.user(ADMIN))
        assert f"1. + {contact}" in listing.button_texts


async def test_a_stale_choice_of_an_entry_with_nothing_to_say_files_nothing(tmp_path: Path, kb_dir: Path) -> None:
    """A "+ Contact" listed while a contact was known, tapped once it is empty: refused, saying why; nothing filed."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        before = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        bot.runtime.store.record_question("how do i email the organisers", "en", None, 40.0, "decline", bot.clock())
        question_id = bot.runtime.store.unanswered(since_days=1, now=bot.clock())[0].id
        bot.api.user(ADMIN)
        refused = await tap(bot, learn_listing(question_id, "organiser"), "+ organiser")
        assert refused.text.startswith(f"“{title(kb_dir, 'organiser')}” has nothing to say yet")
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == before
        assert [q.id for q in bot.runtime.store.unanswered(since_days=1, now=bot.clock())] == [question_id]


async def test_a_phrasing_that_would_make_another_question_answer_wrongly_is_refused(
    tmp_path: Path, kb_dir: Path
) -> None:
    """Filing "where is it held" under the price entry would send "where" questions there: refused, saying why."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        before = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        bot.runtime.store.record_question("where is it held", "en", None, 40.0, "decline", bot.clock())
        question_id = bot.runtime.store.unanswered(since_days=1, now=bot.clock())[0].id
        listing = learn_listing(question_id, "price")
        bot.api.user(ADMIN)
        refused = await tap(bot, listing, "+ price")
        assert refused.text.startswith("I did not save it: these questions would then get another answer:\n")
        assert f"“where”: {title(kb_dir, 'venue')} → {title(kb_dir, 'price')}" in refused.text.splitlines()
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == before
        assert (
            await bot.api.ask("/undo", bot.api.user(ADMIN))
        ).text == "There is no change made from Telegram to undo."


async def test_a_clashing_phrasing_is_refused_with_the_real_file_and_line(tmp_path: Path, kb_dir: Path) -> None:
    """Attaching a question another entry has is refused with the validator's reason at the real file; faq.yaml kept."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        before = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        bot.runtime.store.record_question("is it free", "en", None, 40.0, "suggest", bot.clock())
        question_id = bot.runtime.store.unanswered(since_days=1, now=bot.clock())[0].id
        listing = learn_listing(question_id, "venue")
        bot.api.user(ADMIN)
        refused = await tap(bot, listing, "+ venue")
        assert refused.text.startswith(f"Could not add that phrasing:\n{kb_dir / 'faq.yaml'}:")
        assert "phrasing 'is it free' is also under entry" in refused.text
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == before


async def test_new_entry_and_undo_round_trip_through_faq_yaml(tmp_path: Path, kb_dir: Path) -> None:
    """Via "New entry" the admin writes the answer; faq.yaml gains an entry (comments kept); /undo restores the file."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        original = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        prompt = await new_entry_prompt(bot)
        assert (
            prompt.text
            == "Write the answer attendees should get for “is there a cloakroom for coats”, as a reply to this message."
        )
        assert prompt.params["reply_markup"]["force_reply"] is True
        created = await write_answer(bot, prompt)
        assert created.text.startswith(
            "New entry “Is there a cloakroom for coats” for “is there a cloakroom for coats”."
        )
        assert "\n\nYes: the cloakroom is next to the entrance.\n\n" in created.text
        edited = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        assert edited.startswith(original.rstrip("\n"))  # everything before is kept byte for byte, comments included
        assert "  questions:\n    en:\n    - is there a cloakroom for coats\n" in edited
        assert edited[len(original.rstrip("\n")) :].startswith("\n\n- id: ")  # a blank line before it, like the others
        assert "    en: 'Yes: the cloakroom is next to the entrance.'\n" in edited
        assert (
            await bot.api.ask("is there a cloakroom for coats", bot.api.user(5))
        ).text == "Yes: the cloakroom is next to the entrance."
        undone = await bot.api.ask("/undo", admin)
        assert (
            undone.text == f"Undone: {kb_dir / 'faq.yaml'} is back as it was before the last change made from Telegram."
        )
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == original
        assert (await bot.api.ask("is there a cloakroom for coats", bot.api.user(6))).text.startswith("Sorry")
        assert "cloakroom for coats" in (await bot.api.ask("/unanswered", admin)).text
        assert (await bot.api.ask("/undo", admin)).text == "There is no change made from Telegram to undo."


async def test_ignore_takes_a_group_off_the_list(tmp_path: Path) -> None:
    """Tapping "Ignore" removes the group from /unanswered and teaches nothing."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        await miss(bot, "do you sell pizza", "Do you sell pizza?")
        listing = await bot.api.ask("/unanswered", admin)
        assert (await tap(bot, listing, "1. Ignore")).text == "Ignored 2 question(s) like “Do you sell pizza?”."
        assert (await bot.api.ask("/unanswered", admin)).text == "No unanswered questions. 🎉"


async def test_a_dutch_question_is_filed_under_dutch_whatever_the_admins_language(tmp_path: Path, kb_dir: Path) -> None:
    """A Dutch question learned by an English-speaking admin goes to the entry's Dutch phrasings."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        question = "waar kan ik mijn jas achterlaten op de locatie"
        reply = await bot.api.ask(question, bot.api.user(9, "en"))
        assert reply.button_texts[-1] == "All topics"
        listing = await bot.api.ask("/unanswered", admin)
        assert "(1×, " in listing.text
        venue = title(kb_dir, "venue")
        await tap(bot, listing, f"1. + {venue}")
        document = load(kb_dir)
        assert question in document.by_id["venue"].questions["nl"]
        assert question not in document.by_id["venue"].questions["en"]


HAND_EDIT = (
    "\n- id: parking-bikes\n  title: {en: Bike parking}\n  questions: {en: [is there bike parking]}\n"
    "  answer: {en: Bikes go in the courtyard.}\n"
)


def hand_edit_during(monkeypatch: pytest.MonkeyPatch, kb_dir: Path) -> list[str]:
    """Make another organiser save a hand edit to faq.yaml while the next teaching change is validated; texts saved."""
    from bot import learning

    real = learning._validated
    saved: list[str] = []

    def validate_while_someone_saves(directory: Path, text: str, file: str = "faq.yaml") -> Any:
        """Validation takes a while: a hand edit lands meanwhile (once)."""
        if not saved:
            faq = kb_dir / "faq.yaml"
            saved.append(faq.read_text(encoding="utf-8").rstrip("\n") + "\n" + HAND_EDIT)
            faq.write_text(saved[0], encoding="utf-8")
        return real(directory, text, file)

    monkeypatch.setattr(learning, "_validated", validate_while_someone_saves)
    return saved


async def test_a_hand_edit_saved_while_a_tap_is_applied_is_kept_and_the_tap_redone(
    tmp_path: Path, kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand edit saved between the tap's read and write survives: both entries answer; /undo reverts only the tap."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        prompt = await new_entry_prompt(bot)
        saved = hand_edit_during(monkeypatch, kb_dir)
        created = await write_answer(bot, prompt)
        assert created.text.startswith("New entry “Is there a cloakroom for coats”")
        text = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        assert "- id: parking-bikes\n" in text  # the hand edit is still there
        assert "- is there a cloakroom for coats\n" in text
        assert (await bot.api.ask("is there bike parking", bot.api.user(5))).text == "Bikes go in the courtyard."
        assert (
            await bot.api.ask("is there a cloakroom for coats", bot.api.user(6))
        ).text == "Yes: the cloakroom is next to the entrance."
        assert (await admin_sends(bot, "/undo")).text.startswith("Undone: ")
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == saved[0]  # the hand edit stays after /undo


async def test_undo_never_discards_a_hand_edit_saved_while_it_runs(
    tmp_path: Path, kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand edit saved while /undo checks the old version makes /undo refuse, saying so; the hand edit is kept."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        prompt = await new_entry_prompt(bot)
        await write_answer(bot, prompt)
        saved = hand_edit_during(monkeypatch, kb_dir)
        refused = await admin_sends(bot, "/undo")
        assert (
            refused.text == f"Could not undo:\n{kb_dir / 'faq.yaml'}:1: was edited since that change; undo it by hand"
        )
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == saved[0]


def test_an_edit_that_keeps_meeting_changes_is_refused_and_writes_nothing(
    kb_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When faq.yaml changes under every attempt, the change is refused with a message and the last hand edit stands."""
    from bot import learning

    real = learning._validated
    faq = kb_dir / "faq.yaml"

    def always_edited(directory: Path, text: str, file: str = "faq.yaml") -> Any:
        """Someone saves faq.yaml during every validation."""
        faq.write_text(faq.read_text(encoding="utf-8") + "# saved by hand\n", encoding="utf-8")
        return real(directory, text, file)

    monkeypatch.setattr(learning, "_validated", always_edited)
    with pytest.raises(KnowledgeError) as caught:
        learning.new_entry(kb_dir, "is there a cloakroom for coats", "en", "Yes.", "en")
    assert str(caught.value).startswith(f"{faq}:1: kept changing while this edit was checked")
    assert faq.read_text(encoding="utf-8").endswith("# saved by hand\n" * learning.ATTEMPTS)
    assert "cloakroom" not in faq.read_text(encoding="utf-8")


async def test_new_entry_answer_works_when_the_organiser_chat_is_the_admins_private_chat(
    tmp_path: Path, kb_dir: Path
) -> None:
    """With ORGANISER_CHAT_ID set to the admin's own chat, the reply to "write the answer" still creates the entry."""
    async with running_bot(
        tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN}), organiser_chat_id=ADMIN
    ) as bot:
        prompt = await new_entry_prompt(bot)
        created = await write_answer(bot, prompt)
        assert created.text.startswith(
            "New entry “Is there a cloakroom for coats” for “is there a cloakroom for coats”."
        )
        assert (
            await bot.api.ask("is there a cloakroom for coats", bot.api.user(5))
        ).text == "Yes: the cloakroom is next to the entrance."


async def test_a_new_entry_prompt_is_still_answered_after_a_restart(tmp_path: Path, kb_dir: Path) -> None:
    """Admin taps "New entry", the bot restarts, the admin replies: the entry is created (the store kept the prompt)."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        prompt = await new_entry_prompt(bot)
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        created = await write_answer(bot, prompt)
        assert created.text.startswith(
            "New entry “Is there a cloakroom for coats” for “is there a cloakroom for coats”."
        )
        again = await bot.api.ask("/unanswered", admin)
        assert "cloakroom" not in again.text


async def test_unanswered_never_uses_the_live_matcher_off_the_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/unanswered ranks in a worker thread with its own matcher: the live one (and its caches) stays on the loop."""
    import threading

    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        live = bot.runtime.snapshot.assistant.matcher
        threads: list[str] = []
        real_rank = live.rank

        def rank(*args: Any, **kwargs: Any) -> Any:
            """The live matcher's rank, noting which thread calls it."""
            threads.append(threading.current_thread().name)
            return real_rank(*args, **kwargs)

        monkeypatch.setattr(live, "rank", rank)
        await miss(bot, "is there a cloakroom at the venue", "Is there a cloakroom at the venue?")
        listing = await bot.api.ask("/unanswered", bot.api.user(ADMIN))
        assert "1. New entry" in listing.button_texts
        assert any(label.startswith("1. + ") for label in listing.button_texts)  # candidates were still ranked
        assert set(threads) == {threading.main_thread().name}  # the answers on the loop; never the worker thread


def test_a_teaching_edit_never_waits_on_a_pipe_in_place_of_faq_yaml(kb_dir: Path) -> None:
    """With a named pipe in place of faq.yaml, a teaching edit is refused at once with the reason (never written to)."""
    import os
    import threading

    from bot import learning

    faq = kb_dir / "faq.yaml"
    faq.unlink()
    os.mkfifo(faq)
    outcome: list[BaseException] = []

    def attempt() -> None:
        """The edit, as the teaching thread runs it."""
        try:
            learning.new_entry(kb_dir, "is there a cloakroom for coats", "en", "Yes.", "en")
        except KnowledgeError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)  # a daemon: if it blocks, the test fails instead of hanging
    worker.start()
    worker.join(10)
    assert [str(e) for e in outcome] == [
        f"{faq}:1: is not a regular file (a pipe, device or socket?): replace it with the YAML file itself"
    ]


def move_to_the_edition_folder(kb_dir: Path, faq_id: str) -> Path:
    """Move entry ``faq_id`` from faq.yaml to the current edition's folder, as about its article; that file's path."""
    from ruamel.yaml import YAML

    yaml = YAML()
    generic = yaml.load((kb_dir / "faq.yaml").read_text(encoding="utf-8"))
    entry = next(e for e in generic["entries"] if e["id"] == faq_id)
    generic["entries"].remove(entry)
    yaml.dump(generic, kb_dir / "faq.yaml")
    folder = kb_dir / "editions" / load(kb_dir).event.edition
    folder.mkdir(parents=True)
    yaml.dump({"entries": [entry]}, folder / "faq.yaml")
    return folder / "faq.yaml"


async def test_a_phrasing_for_an_entry_of_the_editions_article_goes_to_its_file_and_undo_restores_it(
    tmp_path: Path, kb_dir: Path
) -> None:
    """An entry in editions/<edition>/faq.yaml learns a phrasing there (faq.yaml untouched); /undo restores the file."""
    edition_faq = move_to_the_edition_folder(kb_dir, "venue")
    generic, original = (kb_dir / "faq.yaml").read_text(encoding="utf-8"), edition_faq.read_text(encoding="utf-8")
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        await miss(bot, "is there a cloakroom at the venue")
        listing = await bot.api.ask("/unanswered", admin)
        venue = title(kb_dir, "venue")
        learned = await tap(bot, listing, f"1. + {venue}")
        assert learned.text.startswith(f"Added “is there a cloakroom at the venue” to “{venue}”.")
        assert "is there a cloakroom at the venue" in edition_faq.read_text(encoding="utf-8")
        assert (kb_dir / "faq.yaml").read_text(encoding="utf-8") == generic
        answer = await bot.api.ask("is there a cloakroom at the venue", bot.api.user(4))
        assert answer.text in learned.text
        undone = await bot.api.ask("/undo", admin)
        assert undone.text == f"Undone: {edition_faq} is back as it was before the last change made from Telegram."
        assert edition_faq.read_text(encoding="utf-8") == original


async def test_a_reload_that_finishes_while_the_bot_stops_still_swaps_the_knowledge(
    tmp_path: Path, kb_dir: Path
) -> None:
    """A teaching edit's reload ending after the bot stopped serves the edit, starting no task on a stopped bot."""
    faq = kb_dir / "faq.yaml"
    app = build_application(
        make_settings(tmp_path / "data", knowledge_dir=kb_dir), request=InProcessRequest(FakeBotApi())
    )
    async with app:  # initialised, never started: as in the moment after app.stop()
        faq.write_text(faq.read_text(encoding="utf-8").rstrip("\n") + "\n" + HAND_EDIT, encoding="utf-8")
        result = await apply_reload(app)  # a task created here would warn, and warnings fail the suite
        assert result.added == ("parking-bikes",)
        runtime = app.bot_data["runtime"]
        assert runtime.snapshot.assistant.answer("is there bike parking", "en", runtime.clock()).text == (
            "Bikes go in the courtyard."
        )
