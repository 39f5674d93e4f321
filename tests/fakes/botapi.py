"""A fake Telegram Bot API: one in-memory core, an in-process transport and a loopback HTTP transport.

The core keeps an update queue served by a real long-polling ``getUpdates``, a log
of every call the bot makes, and injectable failures (429 with retry_after, 403,
400, 5xx). Tests wait on the call log (``wait_for``), never on sleeps.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import itertools
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

TOKEN = "123456:TEST-abcdefghijklmnopqrstuvwxyz012345"
BOT_USER = {
    "id": 123456, "is_bot": True, "first_name": "SfH Assistant", "username": "sfh_test_bot",
    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": True,
}  # fmt: skip
SENDING = {"sendMessage", "sendDocument", "sendVenue", "editMessageText", "editMessageReplyMarkup", "sendChatAction"}
INT_FIELDS = {"chat_id", "message_id", "user_id", "offset", "limit", "timeout", "latitude", "longitude",
              "reply_to_message_id", "message_thread_id"}  # fmt: skip
# What Telegram answers a well-formed token it does not know (revoked, or a typo).
UNAUTHORIZED = {"ok": False, "error_code": 401, "description": "Unauthorized"}
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
# Telegram's placeholder sender of an anonymous group administrator's messages (which also carry sender_chat: the
# group).
ANONYMOUS_ADMIN: dict[str, Any] = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)
    status: int = 200

    @property
    def chat_id(self) -> int | None:
        """The target chat, when the method has one."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        """The text or caption sent."""
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows sent with the message."""
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return list(markup.get("inline_keyboard", []))

    @property
    def button_texts(self) -> list[str]:
        """Every button's label, row by row."""
        return [b["text"] for row in self.buttons for b in row]

    def button(self, label: str) -> dict[str, Any]:
        """The button labelled ``label``."""
        for row in self.buttons:
            for candidate in row:
                if candidate["text"] == label:
                    return dict(candidate)
        raise AssertionError(f"no button {label!r} in {self.button_texts}")


@dataclass
class Failure:
    """An error to return instead of a result, for matching calls."""

    method: str
    status: int
    description: str
    chat_id: int | None = None
    retry_after: int | None = None
    times: int = 1


class FakeBotApi:
    """The in-memory Bot API shared by both transports."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.failures: list[Failure] = []
        self.blocked: set[int] = set()
        self.chats: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        # chat id -> user ids getChatMember reports as administrators.
        self.chat_admins: dict[int, set[int]] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._changed: asyncio.Condition | None = None
        self._pollers = itertools.count(1)
        self._poller = 0  # the getUpdates request currently waiting (a newer one terminates it with 409)
        self.long_polls = 0  # long-polling getUpdates requests waiting right now
        self.callback_queries: dict[str, dict[str, Any]] = {}  # id -> the pressed query, until answered
        self.before_result: Callable[[Call], Any] | None = None
        self.lost_answers: list[Failure] = []  # delivered, but the answer never reaches the bot (a timeout)
        self.migrated: dict[int, int] = {}  # a group's old id -> the supergroup it became
        self.revoked = False  # the token was revoked (@BotFather): every call, a waiting long poll too, gets 401
        self.slowed: set[int] = set()  # chats whose sends are answered slowly until release() (see slow_down)
        self.slow_seconds = 0.0
        self._released: asyncio.Event | None = None

    @property
    def changed(self) -> asyncio.Condition:
        """Notified whenever a call is logged or an update queued (created on the running loop)."""
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed

    async def _notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    # ------------------------------------------------------------------ what tests do

    def user(self, user_id: int = 1001, language_code: str | None = "en", first_name: str = "Ann") -> dict[str, Any]:
        """A Telegram user (remembered so their private chat exists)."""
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        self.chats.setdefault(user_id, {"id": user_id, "type": "private", "first_name": first_name})
        return user

    def group(self, chat_id: int = -100777, title: str = "Attendees") -> dict[str, Any]:
        """A group chat."""
        chat = {"id": chat_id, "type": "supergroup", "title": title}
        self.chats[chat_id] = chat
        return chat

    def forum(self, chat_id: int = -100888, title: str = "Attendees forum") -> dict[str, Any]:
        """A supergroup with topics (a forum); messages in a topic carry ``message_thread_id``."""
        chat = {"id": chat_id, "type": "supergroup", "title": title, "is_forum": True}
        self.chats[chat_id] = chat
        return chat

    async def migrate(self, group: dict[str, Any], new_id: int, user: dict[str, Any]) -> dict[str, Any]:
        """``group`` becomes supergroup ``new_id`` (``user`` changed a setting): both service messages Telegram sends.

        From then on, sending to the old id fails with 400 and ``migrate_to_chat_id``, as on Telegram.
        """
        supergroup = {"id": new_id, "type": "supergroup", "title": group.get("title", "")}
        self.chats[new_id] = supergroup
        self.migrated[int(group["id"])] = new_id
        await self.push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": group,
                    "from": user,
                    "migrate_to_chat_id": new_id,
                }
            }
        )
        return await self.push(
            {
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": supergroup,
                    "from": user,
                    "sender_chat": supergroup,
                    "migrate_from_chat_id": group["id"],
                }
            }
        )

    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for the bot's next getUpdates."""
        update["update_id"] = next(self._update_ids)
        if "callback_query" in update:
            self.callback_queries[str(update["callback_query"]["id"])] = update["callback_query"]
        self.updates.append(update)
        await self._notify()
        return update

    def message(
        self,
        text: str,
        user: dict[str, Any],
        chat: dict[str, Any] | None = None,
        thread: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Message from ``user`` as Telegram sends it, commands with a bot_command entity (in topic ``thread``)."""
        chat = chat or self.chats[user["id"]]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if thread is not None:
            message.update(message_thread_id=thread, is_topic_message=True)
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}
            ]
        mention = f"@{BOT_USER['username']}"
        if mention in text and not text.startswith("/"):
            offset = text.index(mention)
            message.setdefault("entities", []).append({"type": "mention", "offset": offset, "length": len(mention)})
        message.update(extra)
        return message

    async def send(
        self,
        text: str,
        user: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
        thread: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """``user`` sends ``text`` (in a private chat unless ``chat`` is given; in forum topic ``thread`` if given)."""
        user = user or self.user()
        return await self.push({"message": self.message(text, user, chat, thread, **extra)})

    async def press(self, call: Call, label: str, user: dict[str, Any] | None = None) -> dict[str, Any]:
        """``user`` presses the inline button ``label`` on the message the bot sent in ``call``."""
        button = call.button(label)
        chat = self.chats[int(call.params["chat_id"])]
        user = user or self.users.get(chat["id"]) or self.user()
        message = {
            "message_id": call.params.get("_message_id", 1),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": call.text,
        }
        if call.params.get("message_thread_id") is not None:
            message.update(message_thread_id=call.params["message_thread_id"], is_topic_message=True)
        query = {
            "id": str(next(self._update_ids)),
            "from": user,
            "chat_instance": "ci",
            "message": message,
            "data": button["callback_data"],
        }
        return await self.push({"callback_query": query})

    async def tap(
        self,
        data: str,
        user: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
        thread: int | None = None,
    ) -> dict[str, Any]:
        """``user`` taps a button carrying any callback ``data`` (stale or forged) under a bot message in ``chat``."""
        user = user or self.user()
        chat = chat or self.chats[user["id"]]
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            "text": "…",
        }
        if thread is not None:
            message.update(message_thread_id=thread, is_topic_message=True)
        query = {
            "id": str(next(self._update_ids)),
            "from": user,
            "chat_instance": "ci",
            "message": message,
            "data": data,
        }
        return await self.push({"callback_query": query})

    def answered(self, update: dict[str, Any]) -> Call | None:
        """The bot's answerCallbackQuery for the tap in ``update``, if it answered."""
        query_id = update["callback_query"]["id"]
        return next(
            (
                c
                for c in self.calls
                if c.method == "answerCallbackQuery" and str(c.params.get("callback_query_id")) == query_id
            ),
            None,
        )

    async def inline(self, query: str, user: dict[str, Any] | None = None) -> dict[str, Any]:
        """``user`` types ``@bot query`` in any chat."""
        user = user or self.user()
        return await self.push(
            {"inline_query": {"id": str(next(self._update_ids)), "from": user, "query": query, "offset": ""}}
        )

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        chat_id: int | None = None,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Make the next ``times`` matching calls fail."""
        self.failures.append(Failure(method, status, description, chat_id, retry_after, times))

    async def revoke(self) -> None:
        """Revoke the token, as @BotFather's /revoke does: from now on every call is answered 401 Unauthorized."""
        self.revoked = True
        await self._notify()

    def slow_down(self, chats: Iterable[int], seconds: float = 1.5) -> None:
        """Answer each send to ``chats`` only after ``seconds`` (below any client's read timeout) until release().

        A busy Telegram, made on purpose: a broadcast to these chats crawls (at most one message per worker
        per ``seconds``), so a test can do its steps mid-broadcast however slow the machine, then release it.
        """
        self.slowed = set(chats)
        self.slow_seconds = seconds
        if self._released is None or self._released.is_set():
            self._released = asyncio.Event()

    def release(self) -> None:
        """End ``slow_down``: sends waiting now are answered at once, later ones at full speed."""
        self.slowed = set()
        if self._released is not None:
            self._released.set()

    async def _answer_slowly(self, chat_id: int | None) -> None:
        """Wait ``slow_seconds`` before answering a send to a slowed chat, or less if ``release`` comes first."""
        if chat_id in self.slowed and self._released is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._released.wait(), self.slow_seconds)

    def lose_answer(self, method: str, chat_id: int | None = None, times: int = 1) -> None:
        """Deliver the next ``times`` matching calls but let the bot's request time out (in-process transport)."""
        self.lost_answers.append(Failure(method, 200, "timed out", chat_id, None, times))

    def answer_lost(self, method: str, chat_id: int | None) -> bool:
        """Whether the answer to this (delivered) call is to be lost."""
        for lost in self.lost_answers:
            if lost.times > 0 and lost.method == method and lost.chat_id in (None, chat_id):
                lost.times -= 1
                return True
        return False

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        """Successful calls of ``method`` (to ``chat_id``), in order."""
        return [
            c
            for c in self.calls
            if c.method == method and c.status == 200 and (chat_id is None or c.chat_id == chat_id)
        ]

    def unanswered_callbacks(self) -> list[dict[str, Any]]:
        """Button presses the bot never answered with answerCallbackQuery (their spinner would still turn)."""
        return list(self.callback_queries.values())

    async def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 30.0) -> Call:
        """The first logged call matching ``predicate``, waiting for it if needed."""

        def found() -> Call | None:
            return next((c for c in self.calls if predicate(c)), None)

        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: found() is not None), timeout)
        result = found()
        assert result is not None
        return result

    async def reply_to(self, update: dict[str, Any], method: str = "sendMessage", timeout: float = 10.0) -> Call:
        """The bot's first ``method`` call made after ``update`` was pushed, to the same chat."""
        start = len(self.calls) if "_seen" not in update else update["_seen"]
        chat_id = _chat_of(update)

        def match(c: Call) -> bool:
            return (
                self.calls.index(c) >= start
                and c.method == method
                and c.status == 200
                and (chat_id is None or c.chat_id == chat_id)
            )

        return await self.wait_for(match, timeout)

    async def ask(
        self,
        text: str,
        user: dict[str, Any] | None = None,
        chat: dict[str, Any] | None = None,
        method: str = "sendMessage",
        thread: int | None = None,
    ) -> Call:
        """Send ``text`` and return the bot's reply."""
        start = len(self.calls)
        update = await self.send(text, user, chat, thread)
        update["_seen"] = start
        return await self.reply_to(update, method)

    async def count(self, method: str, at_least: int, timeout: float = 30.0) -> list[Call]:
        """Wait until ``method`` succeeded at least ``at_least`` times; return those calls."""
        async with self.changed:
            await asyncio.wait_for(self.changed.wait_for(lambda: len(self.sent(method)) >= at_least), timeout)
        return self.sent(method)

    # ------------------------------------------------------------------ the API itself

    async def handle(
        self, method: str, params: dict[str, Any], files: dict[str, tuple[str, bytes, str]] | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Serve one Bot API call; returns the HTTP status and the JSON body."""
        params = {k: _coerce(k, v) for k, v in params.items()}
        call = Call(method, params, files or {})
        if self.revoked:
            self.calls.append(Call(method, params, status=401))
            await self._notify()
            return 401, dict(UNAUTHORIZED)
        if method == "getUpdates":
            updates = await self._get_updates(params)
            if self.revoked:  # revoked while this long poll waited
                return await self.handle(method, params, files)
            if updates is None:
                self.calls.append(Call(method, params, status=409))
                await self._notify()
                return 409, {"ok": False, "error_code": 409, "description": CONFLICT}
            return 200, {"ok": True, "result": updates}
        if method in SENDING:
            await self._answer_slowly(call.chat_id)
        failure = self._failure_for(method, call.chat_id)
        if failure is None and method in SENDING and call.chat_id in self.blocked:
            failure = Failure(method, 403, "Forbidden: bot was blocked by the user")
        if failure is None and method in SENDING and call.chat_id in self.migrated:
            call.status = 400
            self.calls.append(call)
            await self._notify()
            return 400, {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": self.migrated[call.chat_id]},
            }
        if failure is None and method in SENDING and call.chat_id is not None and call.chat_id not in self.chats:
            failure = Failure(method, 400, "Bad Request: chat not found")
        if failure is None:
            failure = self._rejection(method, params)
        if failure is not None:
            call.status = failure.status
            self.calls.append(call)
            await self._notify()
            body: dict[str, Any] = {"ok": False, "error_code": failure.status, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return failure.status, body
        result = self._result(method, call)
        if self.before_result is not None:
            self.before_result(call)
        self.calls.append(call)
        await self._notify()
        if result is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        return 200, {"ok": True, "result": result}

    def _rejection(self, method: str, params: dict[str, Any]) -> Failure | None:
        """The 400 Telegram would answer for this call's content, if any."""
        try:
            check_call(method, params)
        except BadRequest as error:
            return Failure(method, 400, error.description)
        if method == "getChatMember" and int(params.get("user_id") or 0) == ANONYMOUS_ADMIN["id"]:
            return Failure(method, 400, "Bad Request: user not found")  # the placeholder is nobody's membership
        if (
            method == "answerCallbackQuery"
            and self.callback_queries.pop(str(params.get("callback_query_id")), None) is None
        ):
            return Failure(
                method, 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        return None

    def _failure_for(self, method: str, chat_id: int | None) -> Failure | None:
        for failure in self.failures:
            if failure.times > 0 and failure.method == method and failure.chat_id in (None, chat_id):
                failure.times -= 1
                return failure
        return None

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]] | None:
        """The pending updates (long-polling up to ``timeout``); ``None`` when a newer getUpdates ended this one."""
        timeout = float(params.get("timeout") or 0)
        me = next(self._pollers)
        if timeout > 0:  # a new long poll terminates the one waiting (another bot process): it gets 409 Conflict
            self._poller = me
            await self._notify()
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0:
            self.long_polls += 1
            try:
                async with self.changed:
                    self.changed.notify_all()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self.changed.wait_for(lambda: bool(self.updates) or self._poller != me or self.revoked),
                            timeout,
                        )
            finally:
                self.long_polls -= 1
        if timeout > 0 and self._poller != me:
            return None
        limit = int(params.get("limit") or 100)
        return [{k: v for k, v in u.items() if not k.startswith("_")} for u in self.updates[:limit]]

    def _result(self, method: str, call: Call) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getChatMember":
            user_id = int(call.params["user_id"])
            status = (
                "administrator" if user_id in self.chat_admins.get(int(call.params["chat_id"]), set()) else "member"
            )
            member: dict[str, Any] = {
                "status": status,
                "user": self.users.get(user_id, {"id": user_id, "is_bot": False, "first_name": "?"}),
            }
            if status == "administrator":
                member.update(
                    {
                        f"can_{right}": True
                        for right in (
                            "be_edited",
                            "manage_chat",
                            "delete_messages",
                            "manage_video_chats",
                            "restrict_members",
                            "promote_members",
                            "change_info",
                            "invite_users",
                            "post_stories",
                            "edit_stories",
                            "delete_stories",
                        )
                    }
                )
                member["is_anonymous"] = False
            return member
        if method in ("sendMessage", "sendDocument", "sendVenue", "editMessageText"):
            message_id = int(call.params.get("message_id") or next(self._message_ids))
            call.params["_message_id"] = message_id
            message: dict[str, Any] = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": self.chats[int(call.params["chat_id"])],
                "from": BOT_USER,
            }
            if call.params.get("message_thread_id") is not None:
                message.update(message_thread_id=call.params["message_thread_id"], is_topic_message=True)
            if method in ("sendMessage", "editMessageText"):
                message["text"] = call.params.get("text", "")
            if method == "sendDocument":
                name = next(iter(call.files.values()))[0] if call.files else "file"
                message["document"] = {
                    "file_id": f"doc{message_id}",
                    "file_unique_id": f"u{message_id}",
                    "file_name": name,
                }
                if call.params.get("caption"):
                    message["caption"] = call.params["caption"]
            if method == "sendVenue":
                message["venue"] = {
                    "location": {
                        "latitude": float(call.params["latitude"]),
                        "longitude": float(call.params["longitude"]),
                    },
                    "title": call.params.get("title", ""),
                    "address": call.params.get("address", ""),
                }
            return message
        known_true = {
            "answerCallbackQuery", "answerInlineQuery", "sendChatAction", "setMyCommands", "setMyDescription",
            "setMyShortDescription", "deleteWebhook", "setWebhook", "deleteMyCommands", "editMessageReplyMarkup",
            "close", "logOut",
        }  # fmt: skip
        return True if method in known_true else None


# ---------------------------------------------------------------------- what Telegram rejects

MAX_TEXT = 4096  # UTF-16 code units of a message's text after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_INLINE_RESULTS = 50
MAX_INLINE_ID = 64  # bytes
# Tags Telegram's HTML parse mode accepts, and the attributes each may (or must) carry.
HTML_TAGS: dict[str, set[str]] = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(), "s": set(), "strike": set(),
    "del": set(), "span": {"class"}, "tg-spoiler": set(), "a": {"href"}, "code": {"class"}, "pre": set(),
    "blockquote": {"expandable"}, "tg-emoji": {"emoji-id"},
}  # fmt: skip
_PLAIN = re.compile(r"[^<&]+")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>")
_ATTRIBUTE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'>]+)))?")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class BadRequest(Exception):
    """A call Telegram would refuse with 400 and this description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = f"Bad Request: {description}"


def utf16_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The plain text Telegram shows for ``text`` in HTML parse mode; raises BadRequest where Telegram would."""

    def fail(reason: str, at: int) -> BadRequest:
        offset = len(text[:at].encode())
        return BadRequest(f"can't parse entities: {reason} at byte offset {offset}")

    plain: list[str] = []
    open_tags: list[tuple[str, int]] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char == "<":
            tag = _TAG.match(text, position)
            if tag is None:
                raise fail(
                    "Unexpected end of name token"
                    if text[position + 1 : position + 2].strip()
                    else "Unexpected character",
                    position,
                )
            closing, name, attributes = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
            if name not in HTML_TAGS:
                raise fail(f'Unsupported {"end" if closing else "start"} tag "{name}"', position)
            if closing:
                if not open_tags or open_tags[-1][0] != name:
                    raise fail(f'Unmatched end tag "{name}"', position)
                open_tags.pop()
            else:
                found = {
                    m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                    for m in _ATTRIBUTE.finditer(attributes)
                }
                unknown = set(found) - HTML_TAGS[name]
                if unknown:
                    raise fail(f'Unsupported attribute "{sorted(unknown)[0]}" of tag "{name}"', position)
                if name == "span" and found.get("class") != "tg-spoiler":
                    raise fail('Tag "span" must have class "tg-spoiler"', position)
                if name == "a" and not found.get("href"):
                    raise fail('Tag "a" must have attribute "href"', position)
                if name == "tg-emoji" and not found.get("emoji-id"):
                    raise fail('Tag "tg-emoji" must have attribute "emoji-id"', position)
                open_tags.append((name, position))
            position = tag.end()
        elif char == "&":
            entity = _ENTITY.match(text, position)
            if entity is None:
                raise fail(
                    "Character entity expected"
                    if text[position + 1 : position + 2] in ("#", "")
                    else "Unsupported HTML entity",
                    position,
                )
            named, decimal, hexadecimal = entity.groups()
            code = int(decimal) if decimal else int(hexadecimal, 16) if hexadecimal else None
            if code is not None and not 0 < code <= 0x10FFFF:
                raise fail("Invalid character entity", position)
            plain.append(_NAMED[named] if named else chr(code or 0))
            position = entity.end()
        else:  # a run of plain text, up to the next tag or entity
            run = _PLAIN.match(text, position)
            assert run is not None  # text[position] is neither "<" nor "&"
            plain.append(run.group())
            position = run.end()
    if open_tags:
        name, at = open_tags[-1]
        raise fail(f'Can\'t find end tag corresponding to start tag "{name}"', at)
    return "".join(plain)


def check_text(text: Any, parse_mode: Any, limit: int, empty: str | None) -> None:
    """Raise BadRequest where Telegram refuses a text or caption: bad HTML, too long, or empty when it must not be."""
    raw = "" if text is None else str(text)
    plain = parse_html(raw) if str(parse_mode or "").upper() == "HTML" else raw
    if empty is not None and not plain.strip():
        raise BadRequest(empty)
    if utf16_length(plain.strip()) > limit:
        raise BadRequest("message is too long" if limit == MAX_TEXT else "message caption is too long")


def check_markup(markup: Any) -> None:
    """Raise BadRequest for callback data Telegram refuses (empty or over 64 bytes)."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise BadRequest("BUTTON_DATA_INVALID")


def check_inline_results(results: Any) -> None:
    """Raise BadRequest for inline query results Telegram refuses."""
    if isinstance(results, str):
        results = json.loads(results)
    if len(results) > MAX_INLINE_RESULTS:
        raise BadRequest("RESULTS_TOO_MUCH")
    ids = [str(r.get("id", "")) for r in results]
    if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= MAX_INLINE_ID for i in ids):
        raise BadRequest("RESULT_ID_INVALID" if all(ids) else "RESULT_ID_EMPTY")
    for result in results:
        if result.get("type") == "article" and not str(result.get("title") or "").strip():
            raise BadRequest("RESULT_TITLE_EMPTY")
        content = result.get("input_message_content") or {}
        if "message_text" in content:
            check_text(content["message_text"], content.get("parse_mode"), MAX_TEXT, "message text is empty")
        check_markup(result.get("reply_markup"))


def check_call(method: str, params: dict[str, Any]) -> None:
    """Raise BadRequest where Telegram would refuse this call's content."""
    if method in ("sendMessage", "editMessageText"):
        check_text(params.get("text"), params.get("parse_mode"), MAX_TEXT, "message text is empty")
    elif "caption" in params:
        check_text(params.get("caption"), params.get("parse_mode"), MAX_CAPTION, None)
    if method == "answerInlineQuery":
        check_inline_results(params.get("results"))
    check_markup(params.get("reply_markup"))


def _chat_of(update: dict[str, Any]) -> int | None:
    for key in ("message", "edited_message", "channel_post"):
        if key in update:
            return int(update[key]["chat"]["id"])
    if "callback_query" in update:
        return int(update["callback_query"]["message"]["chat"]["id"])
    return None


def _coerce(name: str, value: Any) -> Any:
    """Decode form values the way Telegram does: JSON objects and arrays, numbers for id fields."""
    if isinstance(value, str):
        if value[:1] in "[{":
            with contextlib.suppress(ValueError):
                return json.loads(value)
        if name in INT_FIELDS:
            with contextlib.suppress(ValueError):
                return int(value) if "." not in value else float(value)
    return value


# ---------------------------------------------------------------------- transport 1: in-process


class InProcessRequest(BaseRequest):
    """A ``telegram.request.BaseRequest`` that hands calls straight to the fake core (no sockets)."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api

    @property
    def read_timeout(self) -> float | None:
        """Long polls are served by the core's own timeout."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Serve the call from the fake core."""
        prefix = f"/bot{self.api.token}/"
        path = urllib.parse.urlparse(url).path
        if prefix not in path:
            return 401, json.dumps(UNAUTHORIZED).encode()
        api_method = path.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files: dict[str, tuple[str, bytes, str]] = {}
        if request_data and request_data.contains_files:
            for name, part in request_data.multipart_data.items():
                filename, content, mime = part[0], part[1], part[2] if len(part) > 2 else "application/octet-stream"
                files[name] = (str(filename), content if isinstance(content, bytes) else content.read(), str(mime))
        status, body = await self.api.handle(api_method, params, files)
        if status == 200 and self.api.answer_lost(api_method, _coerce("chat_id", params.get("chat_id"))):
            raise TimedOut  # Telegram delivered it; the bot never hears back
        return status, json.dumps(body).encode()


# ---------------------------------------------------------------------- transport 2: HTTP on loopback


class LoopbackServer:
    """The fake core served over real HTTP/1.1 on 127.0.0.1, as ``{root}/bot{token}/METHOD``."""

    def __init__(self, api: FakeBotApi, malformed: bool = False) -> None:
        self.api = api
        # Answer every request with an HTML page instead of the Bot API's JSON (a captive portal, a wrong URL).
        self.malformed = malformed
        self.server: asyncio.Server | None = None
        self.port = 0

    @property
    def url(self) -> str:
        """The root URL to give the bot as TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> LoopbackServer:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.server.wait_closed(), 5)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    break
                _, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                kind = "text/html"
                if self.malformed:
                    status, data = 200, b"<html><body>Welcome to the hotel Wi-Fi</body></html>"
                else:
                    status, payload = await self._dispatch(target, headers.get("content-type", ""), body)
                    data, kind = json.dumps(payload).encode(), "application/json"
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: {kind}\r\nContent-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError, ValueError):
            pass
        finally:
            writer.close()

    async def _dispatch(self, target: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        path = urllib.parse.urlparse(target).path
        prefix = f"/bot{self.api.token}/"
        if not path.startswith(prefix):
            return 401, dict(UNAUTHORIZED)
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes, str]] = {}
        if content_type.startswith("multipart/form-data"):
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                f"Content-Type: {content_type}\r\n\r\n".encode() + body
            )
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                assert isinstance(payload, bytes)  # decode=True gives the part's bytes
                filename = part.get_filename()
                if filename:
                    files[str(name)] = (filename, payload, part.get_content_type())
                else:
                    params[str(name)] = payload.decode()
        elif content_type.startswith("application/json") and body:
            params = json.loads(body)
        elif body:
            params = dict(urllib.parse.parse_qsl(body.decode(), keep_blank_values=True))
        return await self.api.handle(path[len(prefix) :], params, files)
