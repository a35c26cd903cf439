"""Delivery: every message the bot sends, queued in the database, paced, retried and recorded.

External apps' messages and ftpgram's own notices take the same path. The queue is the `message`
table, so a restart loses nothing: a message claimed by a process that died is queued again when
its claim expires. Pacing stays under Telegram's limits (about 30 messages a second overall and
one a second per chat) as Telegram counts them, on arrival (see _Pacer); a 429 pauses sending
for `retry_after`, 5xx and network errors back off, 403 marks the person unreachable. Long texts
go out in parts of at most 4096 characters.

Messages have an origin: "app" (sent by an external app with a bot token: that is the history
its owner reads) or "service" (ftpgram's own notices: codes, admin notices; never listed). A
secret message (a one-time code) keeps its text only while it waits to be sent: once it is sent
or has failed for good, the text is erased, so no history, API answer or backup can show it.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from tortoise.expressions import F

from services.core import metrics
from services.core.errors import Conflict, NotFound
from services.core.events import Event, EventBus, Topic, wait
from services.core.models import (
    BotToken,
    Message,
    MessageKind,
    MessageOrigin,
    MessageStatus,
    User,
)
from services.messaging.telegram_text import render, split
from services.storage.blobs import BlobService

log = logging.getLogger(__name__)

# Sends that may count at Telegram in any one second (it allows about 30; see _Pacer).
PER_SECOND = 29
CHAT_INTERVAL = 1.1  # seconds from a chat's last answer to its next send (Telegram: 1 a second)
# A send that got no answer may still arrive at Telegram: it counts this many seconds longer.
UNSURE = 2.0
# A sender taking over from another waits this long first: the other stops within about two
# seconds of losing the lead (or is dead), and its last sends still count at Telegram.
TAKEOVER_PAUSE = 3.0
# A message is claimed as its send begins, for at most this long (a file takes longer to upload);
# a claim that ran out belongs to a sender that died, and its message goes back into the queue.
TEXT_CLAIM = timedelta(seconds=30)
IN_DOUBT = 4
FILE_CLAIM = timedelta(minutes=15)
MAX_ATTEMPTS = 8
BATCH = 200
CONCURRENCY = 32
# Files uploading at once: each counts for its whole upload, and texts (codes) need the rest.
FILE_UPLOADS = 4
IDLE_WAIT = 30.0


class DeliveryError(Exception):
    """Raised by a gateway; says what to do with the message."""


class RetryAfter(DeliveryError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"flood limit: retry after {seconds} s")
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The person blocked the bot (or never started it)."""


class Rejected(DeliveryError):
    """Telegram refused this message for good (a bad request)."""


class Transient(DeliveryError):
    """Telegram or the network failed; worth trying again later."""


class TelegramGateway(Protocol):
    """What delivery needs from Telegram; the bot edge implements it."""

    async def send_text(
        self,
        chat_id: int,
        html: str,
        *,
        reply_markup: dict[str, Any] | None,
        silent: bool,
        disable_link_preview: bool,
    ) -> int: ...

    async def send_file(
        self, chat_id: int, *, kind: str, path: Path, name: str, caption_html: str, silent: bool
    ) -> int: ...

    async def edit_text(
        self, chat_id: int, message_id: int, html: str, *, reply_markup: dict[str, Any] | None
    ) -> None: ...

    async def delete(self, chat_id: int, message_id: int) -> None: ...


@dataclass(frozen=True)
class MessageView:
    id: int
    user_id: int
    bot_token_id: int | None
    kind: str
    origin: str
    text: str
    title: str
    format: str
    status: str
    error: str
    telegram_message_ids: list[int]
    created_at: datetime
    sent_at: datetime | None
    attempts: int

    @classmethod
    def of(cls, row: Message) -> MessageView:
        return cls(
            row.id,
            row.user_id,
            row.bot_token_id,
            row.kind,
            row.origin,
            row.text,
            row.title,
            row.format,
            row.status,
            row.error,
            list(row.telegram_message_ids or []),
            row.created_at,
            row.sent_at,
            row.attempts,
        )


def _forget_secret(row: Message) -> dict[str, Any]:
    """The fields that erase a secret message's text once it has been delivered (or never will
    be)."""
    return {"text": "", "reply_markup": None} if row.secret else {}


class _Pacer:
    """Keeps the queue's sends within Telegram's limits as Telegram counts them: on arrival.

    A send arrives somewhere between our call and Telegram's answer, and a busy network or event
    loop (ours or Telegram's) moves it anywhere in between. So a send counts here from its call
    until one second after its answer, and a call starts only while fewer than `per_second`
    count. Why that holds at Telegram: take the sends arriving in any second [t, t+1) and the
    one among them called last, at s < t+1. Every other one was answered at or after t, so
    after s-1: when s came it was still on its way or answered within the last second, so it
    counted. The last one started only because fewer than `per_second` counted, so that second
    holds at most `per_second`.

    A call that got no answer (a timeout, a lost connection, a cancellation) may still land
    after we gave up on it: it counts for `UNSURE` seconds more. The rate this allows is
    `per_second` / (1 + round trip): 28.2 a second at 30 ms (less the database's share: about
    27 with four calls on their way at once). Calls are spread about 1/`per_second` apart on
    average; two may start together after a lull.

    Two rules are kept around `call()`, not in it: one chat gets its next message
    `chat_interval` after the answer to its last (`hold_chat`/`release_chat`), and after a 429
    nothing is sent for its `retry_after` (`pause`). Direct answers to a person's own command
    (bot handlers) are not paced: they come at that person's pace, within the spare second.
    """

    def __init__(self, per_second: int, chat_interval: float) -> None:
        self.per_second = per_second
        self.interval = 1.0 / per_second
        self.chat_interval = chat_interval
        self.next_chat: dict[int, float] = {}
        self.paused_until = 0.0
        self._next = 0.0  # the earliest start of the next call, on an even grid
        self._calls = 0  # calls not answered yet
        self._answers: deque[float] = deque()  # answers in the last second (monotonic)
        self._answered = asyncio.Event()
        self._lock = asyncio.Lock()

    def chat_ready(self, chat_id: int, now: float) -> bool:
        return self.next_chat.get(chat_id, 0.0) <= now

    def hold_chat(self, chat_id: int) -> None:
        """No other message to this chat until `release_chat`."""
        self.next_chat[chat_id] = float("inf")

    def release_chat(self, chat_id: int) -> None:
        """The spacing counts from when the last message was answered."""
        self.next_chat[chat_id] = time.monotonic() + self.chat_interval

    def pause(self, seconds: float) -> None:
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)

    def _free_at(self, now: float) -> float:
        """When a call may start as far as the last second's count goes (inf: not until some
        call is answered)."""
        while self._answers and self._answers[0] <= now - 1.0:
            self._answers.popleft()
        if self._calls + len(self._answers) < self.per_second:
            return now
        return self._answers[0] + 1.0 if self._answers else float("inf")

    @contextlib.asynccontextmanager
    async def call(self) -> AsyncIterator[None]:
        """Around one call to Telegram: waits for its turn, and counts it until a second after
        it is answered (or fails)."""
        async with self._lock:
            while True:
                now = time.monotonic()
                due = max(self._next, self.paused_until, self._free_at(now))
                if due <= now:
                    break
                self._answered.clear()
                await wait(self._answered, due - now)
            # On the grid even after a late wake-up; after an idle spell it starts from now.
            self._next = max(self._next, now - self.interval) + self.interval
            self._calls += 1
        answered = False
        try:
            yield
            answered = True
        except (RetryAfter, Unreachable, Rejected):
            answered = True  # Telegram's own answers
            raise
        finally:
            self._calls -= 1
            # Kept in order: a call that got no answer counts on past later ones.
            bisect.insort(self._answers, time.monotonic() + (0.0 if answered else UNSURE))
            self._answered.set()


class DeliveryService:
    def __init__(
        self, *, gateway: TelegramGateway, blobs: BlobService, bus: EventBus, look: float = 0.5
    ) -> None:
        self._gateway = gateway
        # Without a wake-up, the queue is read this often (retries coming due, other processes).
        self._look = look
        self._blobs = blobs
        self._bus = bus
        self._unsubscribe: Callable[[], None] | None = None
        self._wake = asyncio.Event()
        self._pacer = _Pacer(PER_SECOND, CHAT_INTERVAL)
        self._inflight: set[asyncio.Task[None]] = set()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        # At most IN_DOUBT text messages are on their way at once, each claimed as it goes and
        # recorded as soon as Telegram answers: those are all a process that dies can leave
        # with an unknown fate. (One at a time would bound the rate by Telegram's latency.)
        self._sending = asyncio.Semaphore(IN_DOUBT)
        self._uploading = asyncio.Semaphore(FILE_UPLOADS)
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    # ---- queueing ----------------------------------------------------------------------

    async def enqueue(
        self,
        user_id: int,
        text: str,
        *,
        fmt: str = "html",
        title: str = "",
        silent: bool = False,
        disable_link_preview: bool = True,
        reply_markup: dict[str, Any] | None = None,
        bot_token_id: int | None = None,
        kind: str = MessageKind.TEXT,
        attachment: tuple[str, str, int] | None = None,
        origin: MessageOrigin = MessageOrigin.SERVICE,
        secret: bool = False,
    ) -> MessageView:
        """Queue a message to a user; `attachment` is (sha256, name, size) of stored content."""
        now = datetime.now(UTC)
        row = await Message.create(
            user_id=user_id,
            bot_token_id=bot_token_id,
            kind=kind,
            text=text,
            title=title,
            format=fmt,
            silent=silent,
            disable_link_preview=disable_link_preview,
            reply_markup=reply_markup,
            attachment_sha256=attachment[0] if attachment else None,
            attachment_name=attachment[1] if attachment else None,
            attachment_size=attachment[2] if attachment else 0,
            origin=origin,
            secret=secret,
            next_attempt_at=now,
            created_at=now,
        )
        self._bus.publish(Event(Topic.MESSAGES))  # the sender, wherever it runs, looks now
        return MessageView.of(row)

    async def get(self, message_id: int) -> MessageView:
        row = await Message.get_or_none(id=message_id)
        if row is None:
            raise NotFound("There is no such message.", code="unknown_message")
        return MessageView.of(row)

    async def history(
        self, user_id: int, *, page: int = 1, per_page: int = 50
    ) -> tuple[list[MessageView], int]:
        """The messages apps sent to this user (ftpgram's own notices are not history)."""
        query = Message.filter(user_id=user_id, origin=MessageOrigin.APP)
        total = await query.count()
        rows = (
            await query.order_by("-created_at", "-id").offset((page - 1) * per_page).limit(per_page)
        )
        return [MessageView.of(r) for r in rows], total

    # ---- edits -------------------------------------------------------------------------

    async def edit(
        self,
        message_id: int,
        text: str,
        *,
        fmt: str | None = None,
        reply_markup: dict[str, Any] | None = None,
    ) -> MessageView:
        """Change a message: in the queue if it has not gone out, in the chat if it has."""
        row = await Message.get(id=message_id)
        fmt = fmt or row.format
        if row.status in (MessageStatus.QUEUED, MessageStatus.FAILED):
            await Message.filter(id=message_id, status=row.status).update(
                text=text, format=fmt, reply_markup=reply_markup
            )
            return await self.get(message_id)
        if row.status != MessageStatus.SENT or row.kind != MessageKind.TEXT:
            raise Conflict("This message cannot be edited now.", code="not_editable")
        html = split(render(text, fmt, row.title))
        user = await User.get(id=row.user_id)
        if len(html) > len(row.telegram_message_ids):
            raise Conflict("The new text needs more messages than the old one.", code="too_long")
        chat = int(user.telegram_id or 0)
        for index, message in enumerate(row.telegram_message_ids):
            part = html[index] if index < len(html) else "…"
            markup = reply_markup if index == len(html) - 1 else None
            try:
                await self._gateway.edit_text(chat, int(message), part, reply_markup=markup)
            except DeliveryError as exc:
                raise Conflict(f"Telegram refused the edit: {exc}", code="edit_failed") from None
        await Message.filter(id=message_id).update(text=text, format=fmt, reply_markup=reply_markup)
        return await self.get(message_id)

    async def delete(self, message_id: int) -> None:
        """Delete a message from the chat (if sent) and from the queue and history."""
        row = await Message.get(id=message_id)
        if row.status == MessageStatus.SENT:
            user = await User.get(id=row.user_id)
            for message in row.telegram_message_ids:
                with contextlib.suppress(DeliveryError):
                    await self._gateway.delete(int(user.telegram_id or 0), int(message))
        if await Message.filter(id=message_id).delete() and row.attachment_sha256:
            await self._blobs.release(row.attachment_sha256)

    async def prune(self, older_than_days: int) -> int:
        """Forget delivered and failed messages older than the retention period."""
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        old = Message.filter(
            created_at__lt=cutoff, status__in=[MessageStatus.SENT, MessageStatus.FAILED]
        )
        attachments = [sha for sha in await old.values_list("attachment_sha256", flat=True) if sha]
        deleted: int = await old.delete()
        for sha in attachments:
            await self._blobs.release(str(sha))
        return deleted

    # ---- the worker --------------------------------------------------------------------

    async def start(self, *, after: float = 0.0) -> None:
        """Begin sending. One sender runs at a time (the one process, or the cluster's leader).
        A message another sender claimed goes back into the queue only once its claim has run
        out: that sender may have lost the lead without dying and still be sending it."""
        self._stopping = False
        # Taking over from another sender: its last sends count against Telegram's limits
        # for a while (`after` seconds).
        if after:
            self._pacer.pause(after)
        self._unsubscribe = self._bus.subscribe(Topic.MESSAGES, lambda _: self._wake.set())
        self._task = asyncio.create_task(self._run(), name="delivery")

    async def stop(self) -> None:
        self._stopping = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._wake.set()
        if self._task is not None:
            task, self._task = self._task, None
            await asyncio.wait({task}, timeout=10)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._inflight:
            await asyncio.wait(self._inflight, timeout=10)

    async def _run(self) -> None:
        while not self._stopping:
            try:
                sent_any = await self._round()
            except Exception:
                log.exception("Delivery round failed")
                sent_any = False
            if not sent_any and not self._stopping:
                self._wake.clear()
                await wait(self._wake, self._look)

    async def _round(self) -> bool:
        now = datetime.now(UTC)
        # Messages whose sender died mid-send go back into the queue.
        await Message.filter(status=MessageStatus.SENDING, claimed_until__lt=now).update(
            status=MessageStatus.QUEUED
        )
        due = (
            await Message.filter(status=MessageStatus.QUEUED, next_attempt_at__lte=now)
            .order_by("id")
            .limit(BATCH)
            .select_related("user")
        )
        started = False
        for row in due:
            if self._stopping:
                break
            chat = row.user.telegram_id
            if chat is None:
                await self._fail(row, "This user has no Telegram account.")
                continue
            if not self._pacer.chat_ready(chat, time.monotonic()):
                continue  # also while this chat's message is in hand here
            self._pacer.hold_chat(chat)
            await self._slots.acquire()
            task = asyncio.create_task(self._deliver(row, chat))
            self._inflight.add(task)
            task.add_done_callback(self._finished)
            started = True
        return started

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        self._slots.release()

    async def _deliver(self, row: Message, chat: int) -> None:
        try:
            await self._send_parts(row, chat)
        finally:
            self._pacer.release_chat(chat)
            # The chat can take its next message then: look at the queue again at that moment.
            asyncio.get_running_loop().call_later(self._pacer.chat_interval, self._wake.set)

    async def _claim(self, row: Message, claim: timedelta, *, first: bool) -> bool:
        """Claim the message as its (next) part goes out; False when it is no longer queued
        (edited, deleted, or sent by another sender meanwhile)."""
        until = datetime.now(UTC) + claim
        if not first:
            await Message.filter(id=row.id).update(claimed_until=until)
            return True
        claimed: int = await Message.filter(id=row.id, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SENDING, claimed_until=until
        )
        return bool(claimed)

    async def _record(self, row: Message, sent_ids: list[int], *, done: bool) -> None:
        if not done:
            await Message.filter(id=row.id).update(telegram_message_ids=sent_ids)
            return
        metrics.message("sent")
        await Message.filter(id=row.id).update(
            status=MessageStatus.SENT,
            sent_at=datetime.now(UTC),
            telegram_message_ids=sent_ids,
            error="",
            attempts=row.attempts + 1,
            claimed_until=None,
            **_forget_secret(row),
        )

    async def _send_parts(self, row: Message, chat: int) -> None:
        sent_ids: list[int] = list(row.telegram_message_ids or [])
        first = True
        try:
            if row.kind == MessageKind.TEXT:
                parts = split(render(row.text, row.format, row.title))
                for index, part in enumerate(parts):
                    if index < len(sent_ids):
                        continue  # went out before a retry
                    if not first:
                        await asyncio.sleep(self._pacer.chat_interval)  # one chat, one a second
                    async with self._sending:
                        if not await self._claim(row, TEXT_CLAIM, first=first):
                            return
                        first = False
                        markup = row.reply_markup if index == len(parts) - 1 else None
                        async with self._pacer.call():
                            sent_ids.append(
                                await self._gateway.send_text(
                                    chat,
                                    part,
                                    reply_markup=markup,
                                    silent=row.silent,
                                    disable_link_preview=row.disable_link_preview,
                                )
                            )
                        await self._record(row, sent_ids, done=index == len(parts) - 1)
            else:
                async with self._uploading:
                    if not await self._claim(row, FILE_CLAIM, first=True):
                        return
                    assert row.attachment_sha256 is not None
                    async with self._pacer.call():
                        sent_ids.append(
                            await self._gateway.send_file(
                                chat,
                                kind=row.kind,
                                path=self._blobs.store.local_path(row.attachment_sha256),
                                name=row.attachment_name or "file",
                                caption_html=render(row.text, row.format, row.title)[:1024],
                                silent=row.silent,
                            )
                        )
                    await self._record(row, sent_ids, done=True)
        except RetryAfter as exc:
            metrics.message("flood_limited")
            self._pacer.pause(exc.seconds)
            await self._retry(row, sent_ids, exc.seconds, str(exc), count=False)
            return
        except Transient as exc:
            delay = min(300.0, 2.0 ** (row.attempts + 1))
            await self._retry(row, sent_ids, delay, str(exc), count=True)
            return
        except Unreachable as exc:
            await User.filter(id=row.user_id).update(unreachable_at=datetime.now(UTC))
            await self._fail(row, f"unreachable: {exc}", sent_ids)
            return
        except Rejected as exc:
            await self._fail(row, str(exc), sent_ids)
            return
        except Exception as exc:
            log.exception("Delivering message %s failed", row.id)
            await self._retry(
                row, sent_ids, 30.0, f"internal error: {type(exc).__name__}", count=True
            )
            return
        if row.bot_token_id is not None:
            await BotToken.filter(id=row.bot_token_id).update(messages_sent=F("messages_sent") + 1)
        await User.filter(id=row.user_id, unreachable_at__not_isnull=True).update(
            unreachable_at=None
        )

    async def _retry(
        self, row: Message, sent_ids: list[int], delay: float, error: str, *, count: bool
    ) -> None:
        attempts = row.attempts + (1 if count else 0)
        if attempts >= MAX_ATTEMPTS:
            await self._fail(row, error, sent_ids)
            return
        await Message.filter(id=row.id).update(
            status=MessageStatus.QUEUED,
            attempts=attempts,
            error=error,
            telegram_message_ids=sent_ids,
            next_attempt_at=datetime.now(UTC) + timedelta(seconds=delay),
            claimed_until=None,
        )

    async def _fail(self, row: Message, error: str, sent_ids: list[int] | None = None) -> None:
        metrics.message("failed")
        await Message.filter(id=row.id).update(
            status=MessageStatus.FAILED,
            error=error[:2000],
            telegram_message_ids=sent_ids or [],
            attempts=row.attempts + 1,
            claimed_until=None,
            **_forget_secret(row),
        )

    async def wait_idle(self) -> None:
        """Until nothing due is queued or being sent (for tests); at most IDLE_WAIT seconds."""
        deadline = time.monotonic() + IDLE_WAIT
        while time.monotonic() < deadline:
            if (
                not self._inflight
                and not await Message.filter(
                    status__in=[MessageStatus.QUEUED, MessageStatus.SENDING],
                    next_attempt_at__lte=datetime.now(UTC),
                ).exists()
            ):
                return
            await asyncio.sleep(0.05)
        raise TimeoutError("messages still queued")
