"""The fake Bot API refuses what Telegram refuses, with Telegram's words, so tests catch what production would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.fakes.botapi import FakeBotApi, parse_html


async def call(api: FakeBotApi, method: str, **params: Any) -> tuple[int, str]:
    """Make one call to the fake; returns the status and the description (or "ok")."""
    status, body = await api.handle(method, params)
    return status, "ok" if body["ok"] else body["description"]


@pytest.fixture
def api() -> FakeBotApi:
    """A fake with one private chat (user 1001)."""
    fake = FakeBotApi()
    fake.user()
    return fake


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>i</ins> <s>s</s> "
        "<strike>s</strike> <del>d</del>",
        '<span class="tg-spoiler">x</span> <tg-spoiler>y</tg-spoiler> '
        '<a href="https://example.org/?a=1&amp;b=2">link</a>',
        '<code>c</code> <pre><code class="language-python">p</code></pre> <blockquote expandable>q</blockquote>',
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &lt;tag&gt; &amp; &quot; &#38; &#x26; > 5',
    ],
)
async def test_valid_html_is_accepted(api: FakeBotApi, text: str) -> None:
    """Every tag, attribute and entity Telegram documents is accepted."""
    assert await call(api, "sendMessage", chat_id=1001, text=text, parse_mode="HTML") == (200, "ok")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1 < 2", "Unexpected"),
        ("Tom & Jerry", "Unsupported HTML entity"),
        ("fish &chips;", "Unsupported HTML entity"),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag "b"'),
        ("é</i>", 'Unmatched end tag "i" at byte offset 2'),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a>x</a>", 'Tag "a" must have attribute "href"'),
        ('<b style="x">x</b>', 'Unsupported attribute "style" of tag "b"'),
    ],
)
async def test_invalid_html_is_refused_like_telegram(api: FakeBotApi, text: str, reason: str) -> None:
    """Unknown tags, unbalanced tags and unescaped ``<`` or ``&`` get 400 "can't parse entities"."""
    status, description = await call(api, "sendMessage", chat_id=1001, text=text, parse_mode="HTML")
    assert status == 400
    assert description.startswith("Bad Request: can't parse entities: ")
    assert reason in description
    assert api.sent() == []


async def test_without_parse_mode_any_text_is_plain(api: FakeBotApi) -> None:
    """Without parse_mode, ``<`` and ``&`` are just characters."""
    assert await call(api, "sendMessage", chat_id=1001, text="1 < 2 & <b>") == (200, "ok")


async def test_length_is_counted_in_utf16_units_after_entity_parsing(api: FakeBotApi) -> None:
    """4,096 units pass (an entity counts once); 2,049 emoji are 4,098 units and are refused."""
    assert await call(api, "sendMessage", chat_id=1001, text="&amp;" * 4096, parse_mode="HTML") == (200, "ok")
    assert await call(api, "sendMessage", chat_id=1001, text="🎉" * 2048) == (200, "ok")
    assert await call(api, "sendMessage", chat_id=1001, text="🎉" * 2049) == (400, "Bad Request: message is too long")
    assert await call(api, "editMessageText", chat_id=1001, message_id=1, text="x" * 4097) == (
        400,
        "Bad Request: message is too long",
    )


async def test_captions_are_limited_to_1024_units(api: FakeBotApi) -> None:
    """A document caption over 1,024 units is refused."""
    assert await call(api, "sendDocument", chat_id=1001, caption="x" * 1024) == (200, "ok")
    assert await call(api, "sendDocument", chat_id=1001, caption="x" * 1025) == (
        400,
        "Bad Request: message caption is too long",
    )


@pytest.mark.parametrize("text", ["", "   \n", "<b> </b>"])
async def test_empty_text_is_refused(api: FakeBotApi, text: str) -> None:
    """Text that shows nothing is refused."""
    assert await call(api, "sendMessage", chat_id=1001, text=text, parse_mode="HTML") == (
        400,
        "Bad Request: message text is empty",
    )


async def test_callback_data_over_64_bytes_is_refused(api: FakeBotApi) -> None:
    """64 bytes of callback data pass; 65 (or 33 two-byte characters) get BUTTON_DATA_INVALID."""

    def markup(data: str) -> str:
        return json.dumps({"inline_keyboard": [[{"text": "Go", "callback_data": data}]]})

    assert await call(api, "sendMessage", chat_id=1001, text="hi", reply_markup=markup("x" * 64)) == (200, "ok")
    for data in ("x" * 65, "é" * 33):
        assert await call(api, "sendMessage", chat_id=1001, text="hi", reply_markup=markup(data)) == (
            400,
            "Bad Request: BUTTON_DATA_INVALID",
        )


async def test_inline_results_are_checked(api: FakeBotApi) -> None:
    """Inline results need a title, unique ids and a valid, not too long message text."""

    def result(**changes: Any) -> dict[str, Any]:
        base = {
            "type": "article",
            "id": "a",
            "title": "T",
            "input_message_content": {"message_text": "ok", "parse_mode": "HTML"},
        }
        return {**base, **changes}

    assert await call(api, "answerInlineQuery", inline_query_id="1", results=json.dumps([result()])) == (200, "ok")
    cases = {
        "Bad Request: RESULT_TITLE_EMPTY": [result(title="")],
        "Bad Request: RESULT_ID_INVALID": [result(), result()],
        "Bad Request: message is too long": [result(input_message_content={"message_text": "x" * 4097})],
    }
    for description, results in cases.items():
        assert await call(api, "answerInlineQuery", inline_query_id="1", results=json.dumps(results)) == (
            400,
            description,
        )
    status, description = await call(
        api,
        "answerInlineQuery",
        inline_query_id="1",
        results=json.dumps([result(input_message_content={"message_text": "a &b", "parse_mode": "HTML"})]),
    )
    assert (status, description.split(":")[1]) == (400, " can't parse entities")


async def test_callback_queries_must_be_answered_once(api: FakeBotApi) -> None:
    """A pressed button stays unanswered until answerCallbackQuery; unknown or repeated answers are refused."""
    await api.push({"callback_query": {"id": "77", "from": api.users[1001], "chat_instance": "ci", "data": "x"}})
    assert [q["id"] for q in api.unanswered_callbacks()] == ["77"]
    assert await call(api, "answerCallbackQuery", callback_query_id="77") == (200, "ok")
    assert api.unanswered_callbacks() == []
    status, description = await call(api, "answerCallbackQuery", callback_query_id="77")
    assert (status, description) == (
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )


def test_parse_html_returns_what_the_reader_sees() -> None:
    """Tags vanish and entities are decoded."""
    assert (
        parse_html('<b>Fish &amp; chips</b> &lt;3 <a href="https://x.org">here</a> &#127881;')
        == "Fish & chips <3 here 🎉"
    )
