"""Organisers improving the bot while it runs: live reload, admin commands, learning from misses, privacy."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import cast

from bot.knowledge import load
from tests.conftest import KB, KNOWLEDGE, at_day, entry_for, fill, line_of
from tests.e2e.harness import Harness, running_bot

ADMIN = 42
UNKNOWN = "I don't know that command. Send /help to see what I can do."


async def poll(bot: Harness, times: int = 2) -> None:
    """Run the knowledge watcher ``times`` times (a change must be seen twice unchanged to settle)."""
    for _ in range(times):
        await bot.job("knowledge-watch").run(bot.app)


def replace_in(path: Path, old: str, new: str) -> None:
    """Edit a knowledge file as an organiser would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def test_valid_edit_while_running_changes_answers_and_tells_admins(tmp_path: Path, kb_dir: Path) -> None:
    """Filling in the venue in event.yaml changes the venue answer at once; admins get a summary."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        assert "not the exact venue" in (await bot.api.ask("where is it?")).text
        replace_in(kb_dir / "event.yaml", "venue: null", "venue: Square Brussels Meeting Centre")
        replace_in(kb_dir / "event.yaml", "address: null", 'address: "Mont des Arts"')
        await poll(bot)
        summary = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("Knowledge reloaded"))
        assert summary.text == (  # facts changed, entries did not
            "Knowledge reloaded. Added: –. Changed: –. Removed: –.\n"
            "Facts changed:\naddress: – → Mont des Arts\nvenue: – → Square Brussels Meeting Centre"
        )
        reply = await bot.api.ask("where is it?")
        assert reply.text == fill(
            "{name} {edition} takes place at Square Brussels Meeting Centre, in {city} ({country})."
        )
        address = await bot.api.ask("what is the address?")
        assert address.text == fill("The address of {name} {edition}: Mont des Arts, {city}.")


async def test_invalid_edit_keeps_old_answers_and_reports_file_and_line_once(tmp_path: Path, kb_dir: Path) -> None:
    """A broken faq.yaml is rejected: the bot keeps answering, admins get file:line once, not on every poll."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        replace_in(kb_dir / "faq.yaml", "- id: theme\n", "- id: theme\n  menu: [broken\n")
        await poll(bot, times=4)
        reports = [c for c in bot.api.sent(chat_id=ADMIN) if "rejected" in c.text]
        assert len(reports) == 1
        line = (kb_dir / "faq.yaml").read_text(encoding="utf-8").splitlines().index("  menu: [broken") + 1
        assert reports[0].text == (
            "The knowledge edit was rejected; I keep answering with the last good version. Problems:\n"
            f"{kb_dir / 'faq.yaml'}:{line}: "
            "the list or mapping opened with [ is never closed: add ] at the end of the line"
        )
        reply = await bot.api.ask("what is the theme")
        assert "Stronger Regions, Greater Impact" in reply.text


async def test_half_written_file_is_not_validated_until_it_settles(tmp_path: Path, kb_dir: Path) -> None:
    """An editor saving in two steps: no alarm while the file keeps changing; the settled version is applied."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        faq = kb_dir / "faq.yaml"
        complete = faq.read_text(encoding="utf-8").replace("ATMP stands for advanced", "ATMP means advanced")
        faq.write_text(complete[: len(complete) // 2], encoding="utf-8")  # first half written
        await poll(bot, times=1)
        faq.write_text(complete, encoding="utf-8")  # second half
        await poll(bot, times=1)
        assert bot.api.sent(chat_id=ADMIN) == []
        await poll(bot, times=1)
        summary = await bot.api.wait_for(lambda c: c.chat_id == ADMIN)
        assert summary.text == "Knowledge reloaded. Added: –. Changed: atmp. Removed: –."
        assert (await bot.api.ask("what is an atmp")).text.startswith("ATMP means advanced therapy medicinal product.")


async def test_reload_command_reports_changes_problems_or_nothing(tmp_path: Path, kb_dir: Path) -> None:
    """/reload says what changed, lists every problem of a bad edit, or says nothing changed; reminders follow edits."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        assert (await bot.api.ask("/reload", admin)).text == "The knowledge files have not changed."
        replace_in(kb_dir / "reminders.yaml", 'days_before: 1\n  at: "09:00"', 'days_before: 1\n  at: "18:30"')
        replace_in(
            kb_dir / "faq.yaml",
            "- id: thanks\n",
            "- id: parking\n  title: {en: Parking}\n  questions:\n    en: [where can i park]\n"
            '  answer:\n    en: "No parking information yet."\n- id: thanks\n',
        )
        reply = await bot.api.ask("/reload", admin)
        first, heading, moved = reply.text.splitlines()
        assert first == "Knowledge reloaded. Added: parking. Changed: –. Removed: –."
        assert heading == "Reminders, with their new time:"
        assert moved.startswith("day-before: ")
        assert moved.endswith(" 18:30")
        assert cast("dict[str, str]", bot.job("reminder:day-before").data)["at"] == at_day(-1, 18, 30).isoformat()
        assert (await bot.api.ask("where can i park")).text == "No parking information yet."
        replace_in(kb_dir / "event.yaml", "timezone: Europe/Brussels", "timezone: Europe/Brusels")
        failed = await bot.api.ask("/reload", admin)
        line = line_of(kb_dir / "event.yaml", "  timezone: Europe/Brusels")
        assert f"knowledge/event.yaml:{line}: 'event.timezone' 'Europe/Brusels' is not a known timezone" in failed.text


async def test_reload_reports_moved_date_reminders_texts_and_a_fix(tmp_path: Path, kb_dir: Path) -> None:
    """Moving the event date lists the fact (old → new), every reminder's new time, changed texts; fixes announced."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        admin = bot.api.user(ADMIN)
        knowledge = bot.runtime.snapshot.knowledge
        old_date = knowledge.event.date
        new_date = old_date + timedelta(days=1)
        replace_in(kb_dir / "event.yaml", f"date: {old_date.isoformat()}", f"date: {new_date.isoformat()}")
        with (kb_dir / "locales" / "nl.yaml").open("a", encoding="utf-8") as overrides:  # an organiser's own wording
            overrides.write('help: "Typ je vraag. Commando\'s: {commands}."\n')
        lines = (await bot.api.ask("/reload", admin)).text.splitlines()
        assert lines[0] == "Knowledge reloaded. Added: –. Changed: –. Removed: –."
        assert lines[1:3] == ["Facts changed:", f"date: {old_date.isoformat()} → {new_date.isoformat()}"]
        assert lines[3] == "Reminders, with their new time:"
        assert [line.split(":")[0] for line in lines[4:-1]] == sorted(r.id for r in knowledge.reminders)
        assert lines[-1] == "Texts changed: nl: help"
        faq = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        (kb_dir / "faq.yaml").write_text(faq.replace("entries:", "entries: [", 1), encoding="utf-8")
        assert (await bot.api.ask("/reload", admin)).text.startswith("The knowledge edit was rejected")
        (kb_dir / "faq.yaml").write_text(faq, encoding="utf-8")
        assert (await bot.api.ask("/reload", admin)).text == "Fixed: the knowledge base is valid again."


async def test_a_fixed_edit_is_announced_to_admins_by_the_watcher(tmp_path: Path, kb_dir: Path) -> None:
    """After a rejected edit, saving a valid version sends admins "fixed", so "rejected" is not their last word."""
    async with running_bot(tmp_path / "data", knowledge_dir=kb_dir, admin_ids=frozenset({ADMIN})) as bot:
        bot.api.user(ADMIN)
        faq = (kb_dir / "faq.yaml").read_text(encoding="utf-8")
        (kb_dir / "faq.yaml").write_text(faq.replace("entries:", "entries: [", 1), encoding="utf-8")
        await poll(bot)
        await bot.api.wait_for(lambda c: c.chat_id == ADMIN and "rejected" in c.text)
        (kb_dir / "faq.yaml").write_text(faq, encoding="utf-8")
        await poll(bot)
        fixed = await bot.api.wait_for(lambda c: c.chat_id == ADMIN and c.text.startswith("Fixed"))
        assert fixed.text == "Fixed: the knowledge base is valid again."


async def test_non_admins_learn_nothing_from_admin_commands(tmp_path: Path) -> None:
    """Every admin command answers a non-admin exactly like an unknown command."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        stranger = bot.api.user(7)
        for command in ("/reload", "/stats", "/unanswered", "/announce hello", "/version"):
            assert (await bot.api.ask(command, stranger)).text == UNKNOWN
        assert (await bot.api.ask("/teleport", stranger)).text == UNKNOWN


async def test_version_tells_an_admin_which_release_runs_and_is_in_the_admins_menu(tmp_path: Path) -> None:
    """/version answers an admin with the package's version; only the admin's own menu lists it."""
    from bot import __version__

    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        assert (await bot.api.ask("/version", bot.api.user(ADMIN))).text == f"Running sfh-assistant {__version__}."
        menus = {
            c.params["scope"]["type"]: [d["command"] for d in c.params["commands"]]
            for c in bot.api.calls
            if c.method == "setMyCommands"
        }
        assert menus["chat"][-1] == "version"
        assert "version" not in menus["all_private_chats"]


def title_for(command: str) -> str:
    """The English title of the entry behind ``command`` (what /stats shows, not the raw id)."""
    return str(KB.by_id[entry_for(command)].title["en"])


async def test_stats_count_questions_subscribers_and_misses(tmp_path: Path) -> None:
    """/stats shows subscribers, questions today and in total, the answered share and the most asked entries."""
    async with running_bot(tmp_path / "data", admin_ids=frozenset({ADMIN})) as bot:
        await bot.api.ask("/remind", bot.api.user(1))
        for question in ("when is it", "when is the event", "where is it", "order me a pizza"):
            await bot.api.ask(question, bot.api.user(1))
        reply = await bot.api.ask("/stats", bot.api.user(ADMIN))
        assert reply.text == (
            "Subscribers: 1\nQuestions today: 4, in total: 4\nAnswered confidently: 75%\n"
            f"Most asked: {title_for('when')} (2), {title_for('where')} (1)\nUnanswered: 1"
        )


async def test_stats_count_today_by_the_events_local_day(tmp_path: Path) -> None:
    """A question at 00:30 event time (the previous day in UTC) counts as today; one from the evening before doesn't."""
    kb = load(KNOWLEDGE)
    local_midnight = datetime.combine(kb.event.date - timedelta(days=10), time(0, 0), tzinfo=kb.event.tz)
    async with running_bot(
        tmp_path / "data", now=(local_midnight - timedelta(hours=2)).astimezone(UTC), admin_ids=frozenset({ADMIN})
    ) as bot:
        await bot.api.ask("order me a pizza", bot.api.user(1))
        bot.clock.advance(timedelta(hours=2, minutes=30))  # 00:30 local, still the day before in UTC
        await bot.api.ask("when is it", bot.api.user(1))
        reply = await bot.api.ask("/stats", bot.api.user(ADMIN))
        assert reply.text.splitlines()[1] == "Questions today: 1, in total: 2"


async def test_privacy_explains_and_forget_leaves_no_row(tmp_path: Path) -> None:
    """/privacy says what is kept and for how long; /forget deletes every row about the chat and confirms."""
    async with running_bot(tmp_path / "data", retention_days=14) as bot:
        user = bot.api.user(77, "nl")
        assert (await bot.api.ask("/privacy", user)).text.endswith(
            fill(
                "Stuur /forget om alles over jou te wissen.\n\n"
                "Verantwoordelijk voor deze gegevens: de organisatoren van {name} {edition}, die deze bot beheren."
            )
        )
        assert "gedurende 14 dagen" in (await bot.api.ask("/privacy", user)).text
        await bot.api.ask("/remind", user)
        await bot.job("reminder:week-before").run(bot.app)
        assert bot.runtime.store.rows_about(77) >= 2
        reply = await bot.api.ask("/forget", user)
        assert reply.text == "Klaar: ik heb alles gewist wat ik over deze chat bewaarde."
        assert bot.runtime.store.rows_about(77) == 0
        await bot.api.ask("who painted the mona lisa", user)
        other = await bot.api.ask("do you sell pizza", bot.api.user(78))
        with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
            columns = [row[1] for row in db.execute("PRAGMA table_info(questions)")]
            askers = [row[0] for row in db.execute("SELECT asker FROM questions ORDER BY id")]
        assert columns == ["id", "asked_at", "lang", "text", "faq_id", "score", "outcome", "asker"]
        assert len(set(askers)) == 2  # a pseudonym per user
        assert not {"77", "78"} & set(askers)  # never the user id
        assert (await bot.api.ask("/forget", user)).text == reply.text
        assert [q.text for q in bot.runtime.store.unanswered(since_days=30, now=bot.clock())] == ["do you sell pizza"]
        assert other.chat_id == 78


async def test_answered_questions_reach_the_database_file_by_the_next_timed_write(tmp_path: Path) -> None:
    """Answered questions are written in batches: another process (a backup, ``bot stats``) sees them after the job."""

    def stored() -> list[tuple[str, str]]:
        with sqlite3.connect(tmp_path / "data" / "bot.sqlite3") as db:
            return [(row[0], row[1]) for row in db.execute("SELECT text, faq_id FROM questions")]

    async with running_bot(tmp_path / "data") as bot:
        reply = await bot.api.ask("/when")
        assert fill("{date}") in reply.text
        await bot.api.ask("when is it?")
        assert stored() == []
        await bot.job("write-questions").run(bot.app)
        assert stored() == [("", entry_for("when"))]  # its text is not kept: it was answered


async def test_old_questions_are_purged_after_the_retention_period(tmp_path: Path) -> None:
    """Questions older than the retention period are deleted by the purge job; newer ones stay."""
    async with running_bot(tmp_path / "data", retention_days=30) as bot:
        await bot.api.ask("who painted the mona lisa")
        bot.clock.advance(timedelta(days=20))
        await bot.api.ask("do you sell pizza")
        bot.clock.advance(timedelta(days=11))
        await bot.job("purge-questions").run(bot.app)
        remaining = [q.text for q in bot.runtime.store.unanswered(since_days=365, now=bot.clock())]
        assert remaining == ["do you sell pizza"]
