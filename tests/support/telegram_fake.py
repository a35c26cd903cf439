"""A fake Telegram Bot API server (aiohttp) that the real aiogram bot talks to over HTTP.

It keeps the state a test needs to act as users and to read what the bot sent:

    tg = FakeTelegram(); await tg.start()            # tg.base_url -> TELEGRAM_API_URL
    alice = tg.user(1001, "Alice", language_code="ru")
    await tg.send_text(alice, "/start")
    reply = await tg.expect_message(alice.id)        # the next message the bot sent Alice
    await tg.press(alice, reply, "Activate")        # press an inline button by its text

Behaviour follows the real API where tests depend on it: long polling with offsets, 64-byte
callback data, 4096-character texts, HTML entity parsing, "message is not modified", 20 MB getFile
limit, and switches for 429 `retry_after` (`fail_next`) and 403 "bot was blocked" (`block`).

Updates wait for getUpdates, or, while a webhook is set, are POSTed to it like Telegram does: in
order, one at a time, with the webhook's secret header; an update whose POST fails (not 2xx, or no
connection) is posted again after a growing wait and is never lost. `webhook_ssl` is the client
context for https webhooks (e.g. one trusting a test CA); `webhook_posts` records every attempt.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import random
import re
import ssl
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "media",
    "reply_parameters",
    "menu_button",
}
INT_FIELDS = {"message_id", "offset", "limit", "timeout", "cache_time", "max_connections"}
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "span",
    "tg-spoiler",
    "blockquote",
    "tg-emoji",
}
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_GETFILE_BYTES = 20 * 1024 * 1024
# Waits between webhook attempts for one update: doubling from the first to the last.
WEBHOOK_RETRY_FIRST = 0.1
WEBHOOK_RETRY_MAX = 2.0
WEBHOOK_TIMEOUT = 10.0


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass(frozen=True)
class TgUser:
    id: int
    first_name: str
    language_code: str | None = "en"
    username: str | None = None
    last_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    def chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}


@dataclass
class BotMessage:
    """A message the bot sent, as it stands now (edits applied)."""

    chat_id: int
    message_id: int
    raw: dict[str, Any]
    edits: int = 0
    deleted: bool = False

    @property
    def text(self) -> str:
        return str(self.raw.get("text") or self.raw.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.raw.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def button(self, text: str) -> dict[str, Any]:
        for button in self.buttons:
            if text in button["text"]:
                return button
        raise AssertionError(f"no button {text!r} in {[b['text'] for b in self.buttons]}")


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z-]*)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def check_html(text: str) -> None:
    """Telegram's HTML parse mode: known tags, properly nested, every < and & escaped."""
    stack: list[str] = []
    for position in (m.start() for m in re.finditer("<", text)):
        tag = _TAG.match(text, position)
        if tag is None or tag.group(2).lower() not in HTML_TAGS:
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: Unsupported start tag at offset {position}",
            )
        name = tag.group(2).lower()
        if tag.group(1):
            if not stack or stack[-1] != name:
                raise ApiError(
                    400,
                    f"Bad Request: can't parse entities: Unexpected end tag at offset {position}",
                )
            stack.pop()
        else:
            stack.append(name)
    if stack:
        raise ApiError(
            400, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag"
        )
    for position in (m.start() for m in re.finditer("&", text)):
        if not _ENTITY.match(text, position):
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: Character entity expected at {position}",
            )


@dataclass(frozen=True)
class WebhookPost:
    """One attempt to deliver an update to the webhook: the HTTP status, or the error."""

    update_id: int
    url: str
    status: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass
class _Failure:
    code: int
    description: str
    retry_after: int | None


@dataclass
class FakeTelegram:
    token: str = "123456:TEST"
    bot_username: str = "ftpgram_test_bot"
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    messages: dict[tuple[int, int], BotMessage] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    callback_answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    webhook: dict[str, Any] | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    webhook_ssl: ssl.SSLContext | None = None
    webhook_posts: list[WebhookPost] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bot_id = int(self.token.split(":")[0])
        self._updates: list[dict[str, Any]] = []
        self._confirmed = 0
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._inbox: dict[int, list[BotMessage]] = defaultdict(list)
        self._read: dict[int, int] = defaultdict(int)
        self._changed = asyncio.Condition()
        self._failures: dict[str, list[_Failure]] = defaultdict(list)
        self._delays: dict[str, tuple[float, float]] = {}
        self._random = random.Random(1)  # the same uneven network in every run
        self._runner: web.AppRunner | None = None
        self._closing = False
        # Bots may only write to people who wrote to them first.
        self.open_chats: set[int] = set()
        # Telegram's sending limits, when enforced (see `enforce_limits`).
        self._limits: tuple[int, float] | None = None
        self._recent_sends: list[float] = []
        self._last_send: dict[int, float] = {}
        self.flood_answers = 0
        self.flood_reasons: list[str] = []  # why each 429 was answered
        self._open_queries: set[str] = set()
        self._delivery: asyncio.Task[None] | None = None
        self.menu_button: Any = None
        self.base_url = ""

    # ---- server -------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self._delivery = asyncio.create_task(self._deliver_updates(), name="fake-telegram-webhook")
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        if self._delivery is not None:
            self._delivery.cancel()
            await asyncio.gather(self._delivery, return_exceptions=True)
            self._delivery = None
        if self._runner is not None:
            await self._runner.cleanup()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        await self._notify()
        if method in self._delays:
            least, spread = self._delays[method]
            await asyncio.sleep(least + self._random.uniform(0, spread))
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        try:
            queued = self._failures.get(method)
            if queued:
                failure = queued.pop(0)
                raise ApiError(failure.code, failure.description, failure.retry_after)
            chat_id = params.get("chat_id")
            if chat_id is not None and int(chat_id) in self.blocked:
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            if (
                method.startswith("send")
                and chat_id is not None
                and int(chat_id) not in self.open_chats
            ):
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            if method.startswith("send") and chat_id is not None and self._limits is not None:
                self._check_limits(int(chat_id))
            result = await handler(params)
        except ApiError as exc:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.code)
        return web.json_response({"ok": True, "result": result})

    # ---- webhook delivery ---------------------------------------------------------------

    async def _deliver_updates(self) -> None:
        """The one sender of webhook calls: the oldest pending update first, until it is taken."""
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=WEBHOOK_TIMEOUT)
        ) as http:
            delay = WEBHOOK_RETRY_FIRST
            while True:
                async with self._changed:
                    while self.webhook is None or not self._updates:
                        await self._changed.wait()
                    webhook, update = self.webhook, self._updates[0]
                post = await self._post_update(http, webhook, update)
                self.webhook_posts.append(post)
                # getUpdates is refused while a webhook is set, so the head is still `update`
                # unless a deleteWebhook and getUpdates took it meanwhile.
                if post.delivered and self._updates and self._updates[0] is update:
                    self._updates.pop(0)
                await self._notify()
                if post.delivered:
                    delay = WEBHOOK_RETRY_FIRST
                else:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, WEBHOOK_RETRY_MAX)

    async def _post_update(
        self, http: aiohttp.ClientSession, webhook: dict[str, Any], update: dict[str, Any]
    ) -> WebhookPost:
        url = str(webhook["url"])
        headers = {}
        if webhook.get("secret_token"):
            headers["X-Telegram-Bot-Api-Secret-Token"] = str(webhook["secret_token"])
        try:
            async with http.post(
                url, json=update, headers=headers, ssl=self.webhook_ssl or True
            ) as response:
                await response.read()
                return WebhookPost(update["update_id"], url, response.status)
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return WebhookPost(update["update_id"], url, None, f"{type(exc).__name__}: {exc}")

    def webhook_deliveries(self, update_id: int) -> int:
        """How many times the webhook accepted (2xx) the update `update_id`."""
        return sum(1 for p in self.webhook_posts if p.update_id == update_id and p.delivered)

    @property
    def pending_updates(self) -> int:
        """Updates neither fetched by getUpdates nor accepted by the webhook yet."""
        return len(self._updates)

    async def wait_delivered(self, timeout: float = 10.0) -> None:
        """Wait until the webhook accepted every update pushed so far."""
        try:
            await self.wait_until(lambda: not self._updates, timeout)
        except AssertionError:
            last = self.webhook_posts[-1] if self.webhook_posts else None
            raise AssertionError(
                f"{len(self._updates)} updates not delivered to the webhook within {timeout}s "
                f"(last attempt: {last})"
            ) from None

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.method == "POST":
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = {
                        "filename": value.filename,
                        "content": value.file.read(),
                        "content_type": value.content_type,
                    }
                else:
                    params[key] = value
        for key in list(params):
            if key in JSON_FIELDS and isinstance(params[key], str):
                params[key] = json.loads(params[key])
            elif key in INT_FIELDS and isinstance(params[key], str):
                params[key] = int(params[key])
        if isinstance(params.get("chat_id"), str) and params["chat_id"].lstrip("-").isdigit():
            params["chat_id"] = int(params["chat_id"])
        return params

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    # ---- switches -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        code: int = 429,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """Make the next `times` calls of `method` fail (default: 429 with retry_after)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if code == 429
                else "Internal Server Error"
            )
        for _ in range(times):
            self._failures[method].append(
                _Failure(code, description, retry_after if code == 429 else None)
            )

    def slow_down(self, method: str, seconds: float, *, spread: float = 0.0) -> None:
        """Take every later call of `method` in only after `seconds` plus up to `spread` more,
        at random (a slow or uneven link: calls arrive, and count, late and out of order)."""
        self._delays[method] = (seconds, spread)

    def enforce_limits(self, per_second: int = 30, chat_interval: float = 1.0) -> None:
        """Answer 429 like Telegram when the bot sends more than `per_second` messages in any
        second, or to one chat more often than every `chat_interval` seconds."""
        self._limits = (per_second, chat_interval)

    def _check_limits(self, chat_id: int) -> None:
        assert self._limits is not None
        per_second, chat_interval = self._limits
        now = time.monotonic()
        self._recent_sends = [t for t in self._recent_sends if now - t < 1.0]
        too_soon = now - self._last_send.get(chat_id, -1e9) < chat_interval
        if too_soon or len(self._recent_sends) >= per_second:
            self.flood_answers += 1
            self.flood_reasons.append(
                f"chat {chat_id}: {now - self._last_send.get(chat_id, -1e9):.3f} s after the last"
                if too_soon
                else f"{len(self._recent_sends)} sends in the last second"
            )
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self._recent_sends.append(now)
        self._last_send[chat_id] = now

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every call for this chat answers 403."""
        self.blocked.add(chat_id)

    # ---- acting as users ----------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Test", **kwargs: Any) -> TgUser:
        return TgUser(user_id, first_name, **kwargs)

    def open_chat(self, chat_id: int) -> None:
        """The person has pressed Start in the past: the bot may write to them."""
        self.open_chats.add(chat_id)

    async def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update["update_id"] = next(self._update_ids)
        sender = (update.get("message") or update.get("callback_query") or {}).get("from")
        if sender:
            self.open_chat(int(sender["id"]))
        if "callback_query" in update:
            self._open_queries.add(update["callback_query"]["id"])
        self._updates.append(update)
        await self._notify()
        return update

    def _user_message(self, user: TgUser, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids[user.id]),
            "date": int(time.time()),
            "chat": user.chat(),
            "from": user.as_dict(),
            **content,
        }

    async def send_text(self, user: TgUser, text: str) -> dict[str, Any]:
        """The user writes `text`; a leading /command gets its bot_command entity."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message = self._user_message(user, **content)
        await self._push({"message": message})
        return message

    async def send_document(
        self,
        user: TgUser,
        file_name: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        kind: str = "document",
        declared_size: int | None = None,
    ) -> dict[str, Any]:
        """The user sends a file: a document (default), or `kind` photo / video / audio / voice.

        `declared_size` makes Telegram report another size (to try the bots' download limit).
        """
        file_id = self._store_file(content)
        info = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": declared_size if declared_size is not None else len(content),
        }
        media: Any
        if kind == "photo":
            media = [{**info, "width": 100, "height": 100}]
        elif kind == "voice":
            media = {**info, "duration": 1, "mime_type": mime_type}
        else:
            media = {**info, "file_name": file_name, "mime_type": mime_type}
            if kind in ("video", "audio"):
                media["duration"] = 1
            if kind == "video":
                media.update(width=100, height=100)
        extra = {"caption": caption} if caption else {}
        message = self._user_message(user, **{kind: media}, **extra)
        await self._push({"message": message})
        return message

    async def press(self, user: TgUser, message: BotMessage, button_text: str) -> str:
        """The user presses the inline button whose text contains `button_text`."""
        button = message.button(button_text)
        if "callback_data" not in button:
            raise AssertionError(f"button {button_text!r} has no callback data")
        query_id = str(next(self._callback_ids))
        await self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_dict(),
                    "chat_instance": str(user.id),
                    "message": message.raw,
                    "data": button["callback_data"],
                }
            }
        )
        return query_id

    # ---- reading what the bot did -------------------------------------------------------

    async def expect_message(self, chat_id: int, timeout: float = 10.0) -> BotMessage:
        """The next message the bot sent to `chat_id` that this test has not read yet."""

        async def arrived() -> BotMessage:
            async with self._changed:
                while self._read[chat_id] >= len(self._inbox[chat_id]):
                    await self._changed.wait()
                message = self._inbox[chat_id][self._read[chat_id]]
                self._read[chat_id] += 1
                return message

        try:
            return await asyncio.wait_for(arrived(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"the bot sent nothing to chat {chat_id} within {timeout}s"
            ) from None

    async def expect_callback_answer(self, query_id: str, timeout: float = 10.0) -> dict[str, Any]:
        async def answered() -> dict[str, Any]:
            async with self._changed:
                while query_id not in self.callback_answers:
                    await self._changed.wait()
                return self.callback_answers[query_id]

        try:
            return await asyncio.wait_for(answered(), timeout)
        except TimeoutError:
            raise AssertionError(f"callback query {query_id} was not answered") from None

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `condition()` holds; it is checked whenever the bot calls the API."""

        async def reached() -> None:
            async with self._changed:
                while not condition():
                    await self._changed.wait()

        try:
            await asyncio.wait_for(reached(), timeout)
        except TimeoutError:
            raise AssertionError(f"condition not reached within {timeout}s") from None

    def unread(self, chat_id: int) -> list[BotMessage]:
        return self._inbox[chat_id][self._read[chat_id] :]

    def sent_to(self, chat_id: int) -> list[BotMessage]:
        return list(self._inbox[chat_id])

    def message_counts(self) -> dict[int, int]:
        """How many messages the bot sent to each chat (accepted ones; 429s are not counted)."""
        return {chat: len(messages) for chat, messages in self._inbox.items() if messages}

    # ---- Bot API methods ----------------------------------------------------------------

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "ftpgram test",
            "username": self.bot_username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getme(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._bot_user()

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset", 0))
        limit = int(params.get("limit", 100))
        timeout = float(params.get("timeout", 0))
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), remaining)
                except TimeoutError:
                    break
        return self._updates[:limit]

    def _check_markup(self, markup: dict[str, Any] | None) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(data.encode()) > MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _check_text(self, text: str | None, params: dict[str, Any], limit: int = MAX_TEXT) -> None:
        if text is None:
            return
        if params.get("parse_mode") == "HTML":
            check_html(text)
        if len(text) > limit:
            raise ApiError(400, "Bad Request: message is too long")

    async def _record(self, chat_id: int, content: dict[str, Any]) -> BotMessage:
        raw = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "User"},
            "from": self._bot_user(),
            **content,
        }
        message = BotMessage(chat_id, raw["message_id"], raw)
        self.messages[(chat_id, message.message_id)] = message
        self._inbox[chat_id].append(message)
        await self._notify()
        return message

    def _message(self, params: dict[str, Any]) -> BotMessage:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        self._check_text(text, params)
        self._check_markup(params.get("reply_markup"))
        content = {"text": text}
        if params.get("reply_markup"):
            content["reply_markup"] = params["reply_markup"]
        return (await self._record(int(params["chat_id"]), content)).raw

    async def _send_file(self, params: dict[str, Any], kind: str) -> dict[str, Any]:
        upload = params.get(kind)
        if isinstance(upload, str) and upload.startswith("attach://"):
            upload = params.get(upload.removeprefix("attach://"))
        if isinstance(upload, dict):
            file_id = self._store_file(upload["content"])
            size, name = len(upload["content"]), upload["filename"]
        elif isinstance(upload, str) and upload in self.files:
            file_id, size, name = upload, len(self.files[upload]), None
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        self._check_text(params.get("caption"), params, MAX_CAPTION)
        info = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size}
        content: dict[str, Any] = {}
        if kind == "photo":
            content["photo"] = [{**info, "width": 100, "height": 100}]
        else:
            content["document"] = {**info, **({"file_name": name} if name else {})}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return (await self._record(int(params["chat_id"]), content)).raw

    async def _api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "document")

    async def _api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        return await self._send_file(params, "photo")

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params)
        text = params.get("text")
        self._check_text(text, params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if text == message.raw.get("text") and markup == message.raw.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message "
                "content and reply markup are exactly the same as a current "
                "content and reply markup of the message",
            )
        message.raw["text"] = text
        if markup is None:
            message.raw.pop("reply_markup", None)
        else:
            message.raw["reply_markup"] = markup
        message.edits += 1
        await self._notify()
        return message.raw

    async def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._message(params)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if markup == message.raw.get("reply_markup"):
            raise ApiError(400, "Bad Request: message is not modified")
        if markup is None:
            message.raw.pop("reply_markup", None)
        else:
            message.raw["reply_markup"] = markup
        message.edits += 1
        await self._notify()
        return message.raw

    async def _api_deletemessage(self, params: dict[str, Any]) -> bool:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None or message.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        message.deleted = True
        await self._notify()
        return True

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        query_id = str(params["callback_query_id"])
        if query_id not in self._open_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_queries.discard(query_id)
        self.callback_answers[query_id] = params
        await self._notify()
        return True

    async def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        return True

    async def _api_setchatmenubutton(self, params: dict[str, Any]) -> bool:
        self.menu_button = params.get("menu_button")
        return True

    def _store_file(self, content: bytes) -> str:
        file_id = f"file{next(self._file_ids)}"
        self.files[file_id] = content
        return file_id

    async def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        size = len(self.files[file_id])
        if size > MAX_GETFILE_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": size,
            "file_path": f"documents/{file_id}",
        }

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True)

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        for command in params.get("commands", []):
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command["command"]):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command["description"]) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = (self._scope_key(params), str(params.get("language_code", "")))
        self.commands[key] = list(params.get("commands", []))
        await self._notify()
        return True

    async def _api_getmycommands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(
            (self._scope_key(params), str(params.get("language_code", ""))), []
        )

    async def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop((self._scope_key(params), str(params.get("language_code", ""))), None)
        return True

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        await self._notify()
        return True

    async def _api_deletewebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        await self._notify()
        return True

    async def _api_getwebhookinfo(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        last = self.webhook_posts[-1] if self.webhook_posts else None
        if self.webhook is not None and last is not None and not last.delivered:
            info["last_error_message"] = (
                last.error or f"Wrong response from the webhook: {last.status}"
            )
        return info

    def commands_for(self, scope: dict[str, Any] | None = None, language: str = "") -> list[str]:
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language)
        return [c["command"] for c in self.commands.get(key, [])]


async def _serve_forever(port: int) -> None:
    fake = FakeTelegram()
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", fake._handle)
    app.router.add_get("/file/bot{token}/{path:.+}", fake._download)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print(f"fake Bot API on http://127.0.0.1:{port} (token {fake.token}); a user writes /start")
    user = fake.user(777, "Manual", language_code="ru")
    await fake.send_text(user, "/start")
    reply = await fake.expect_message(user.id, timeout=3600)
    print(f"the bot answered: {reply.text}")
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    asyncio.run(_serve_forever(int(sys.argv[1]) if len(sys.argv) > 1 else 8081))
