"""The event bus across processes: every event published here also goes out on a Redis pub/sub
channel, and events other processes publish there are handed to this process's subscribers.

Events carry ids only and subscribers re-read the database now and then anyway, so an event lost
while Redis is away costs latency, never data: publishing never waits for Redis and never fails,
and the listener reconnects by itself. `connected` says whether Redis answers (for /health).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.core.events import Event, EventBus, Topic

log = logging.getLogger(__name__)
CHANNEL = "ftpgram:events"
BACKLOG = 10_000  # events waiting to go out while Redis is slow; older ones are dropped
# An event names a few people at most; anything larger on the channel is not ours.
MAX_EVENT = 64 * 1024


class RedisEventBus(EventBus):
    def __init__(self, redis: Redis, *, channel: str = CHANNEL) -> None:
        super().__init__()
        self._redis = redis
        self._channel = channel
        self._origin = secrets.token_hex(6)  # this process: its own events come back, skipped
        self._outbox: asyncio.Queue[str] = asyncio.Queue(BACKLOG)
        self._tasks: list[asyncio.Task[None]] = []
        self._subscribed = asyncio.Event()
        self.connected = False

    def publish(self, event: Event) -> None:
        self.deliver(event)
        message = json.dumps(
            {
                "o": self._origin,
                "t": event.topic.value,
                "u": sorted(event.user_ids),
                "s": event.subject,
            }
        )
        if self._outbox.full():
            with contextlib.suppress(asyncio.QueueEmpty):
                self._outbox.get_nowait()
        self._outbox.put_nowait(message)

    async def start(self) -> None:
        """Listen and send from now on; returns once listening (or after 5 s without Redis)."""
        self._tasks = [
            asyncio.create_task(self._listen(), name="events-in"),
            asyncio.create_task(self._send(), name="events-out"),
        ]
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(5):
                await self._subscribed.wait()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(2):
                await self._redis.ping()
        except (RedisError, OSError, TimeoutError):
            return False
        return True

    async def _send(self) -> None:
        while True:
            message = await self._outbox.get()
            try:
                await self._redis.publish(self._channel, message)
            except (RedisError, OSError) as exc:
                if self.connected:
                    log.warning("Events cannot reach Redis: %s", type(exc).__name__)
                self.connected = False

    async def _listen(self) -> None:
        delay = 0.5
        first = True
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    if not self.connected:
                        log.info("Events flow through Redis")
                    self.connected = True
                    self._subscribed.set()
                    delay = 0.5
                    async for message in pubsub.listen():
                        self._received(message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # whatever it was, listening starts again
                if self.connected or first:
                    log.warning(
                        "Cannot reach Redis (%s: %s); events of other processes wait for it",
                        type(exc).__name__,
                        exc,
                    )
                self.connected = False
            first = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)

    def _received(self, message: dict[str, Any]) -> None:
        if message.get("type") != "message" or len(message.get("data") or b"") > MAX_EVENT:
            return
        try:
            data = json.loads(message["data"])
            if data["o"] == self._origin:
                return
            event = Event(
                Topic(data["t"]),
                frozenset(int(u) for u in data["u"]),
                None if data["s"] is None else int(data["s"]),
            )
        except Exception:  # anything published there by someone else: never our listener's end
            log.warning("Ignored a malformed event from Redis")
            return
        self.deliver(event)
