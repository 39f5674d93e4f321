"""/id: an organiser learns their user id and the organiser group's chat id from the bot itself."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.harness import running_bot
from tests.fakes.botapi import BOT_USER


async def test_id_in_a_private_chat_gives_the_senders_user_id(tmp_path: Path) -> None:
    """/id in a private chat answers with the sender's user id and how to get a group's id, in their language."""
    async with running_bot(tmp_path / "data") as bot:
        reply = await bot.api.ask("/id", bot.api.user(5551234))
        assert reply.text == (
            "Your Telegram user id is 5551234 (for ADMIN_IDS).\n"
            "To get a group's id (for ORGANISER_CHAT_ID), add me to the group and send /id there."
        )
        dutch = await bot.api.ask("/id", bot.api.user(5551235, "nl"))
        assert dutch.text.startswith("Je Telegram-gebruikers-id is 5551235 (voor ADMIN_IDS).")


async def test_id_in_a_group_gives_the_groups_chat_id_and_the_senders_user_id(tmp_path: Path) -> None:
    """/id@bot in a group (and in a forum topic) answers there with the group's chat id and the sender's user id."""
    async with running_bot(tmp_path / "data") as bot:
        organisers = bot.api.group(-1001234567890, "Organisers")
        reply = await bot.api.ask(f"/id@{BOT_USER['username']}", bot.api.user(5551234), organisers)
        assert reply.chat_id == -1001234567890
        assert reply.text == (
            "This chat's id is -1001234567890 (for ORGANISER_CHAT_ID).\n"
            "Your Telegram user id is 5551234 (for ADMIN_IDS)."
        )
        forum = bot.api.forum(-1009876543210)
        in_topic = await bot.api.ask("/id", bot.api.user(5551236, "fr"), forum, thread=7)
        assert in_topic.params.get("message_thread_id") == 7
        assert in_topic.text.startswith("L'identifiant de ce chat est -1009876543210 (pour ORGANISER_CHAT_ID).")


async def test_id_is_in_the_private_and_group_menus(tmp_path: Path) -> None:
    """The command menus of private chats and groups offer /id with its description in each language."""
    async with running_bot(tmp_path / "data") as bot:
        menus = {
            (c.params["scope"]["type"], c.params.get("language_code")): {
                d["command"]: d["description"] for d in c.params["commands"]
            }
            for c in bot.api.calls
            if c.method == "setMyCommands"
        }
        assert menus[("all_private_chats", None)]["id"] == "Show your Telegram id and this chat's"
        assert menus[("all_group_chats", "nl")]["id"] == "Toon je Telegram-id en dat van deze chat"
