"""The event bus: one stream of "something changed" events inside a process.

Publishers (the download requests and worker, station settings, the delivery queue) say what
changed; subscribers (the worker, the scheduler, the delivery queue's sender, each WebSocket
watcher, the Telegram live messages) react. An
event carries ids only, never state: the database stays the source of truth, and a subscriber
re-reads it when woken — and now and then without a wake-up, so a change it missed (made by
another process, or published while it was busy) still shows.

The interface is two methods, `publish` and `subscribe`, so a cross-process transport (Redis
pub/sub, PostgreSQL LISTEN/NOTIFY) can stand in later: it publishes locally and remotely and
hands events arriving from elsewhere to `deliver`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

log = logging.getLogger(__name__)


class Topic(StrEnum):
    DOWNLOADS = "downloads"  # the downloads of `user_ids` changed (state or progress)
    QUEUE = "queue"  # transfers may be due: a worker should look at the queue now
    TRANSFER_STOPPED = "transfer_stopped"  # transfer `subject` must stop where it runs
    STATIONS = "stations"  # station settings changed: polling jobs follow
    MESSAGES = "messages"  # a message to a person was queued: the sender looks now


@dataclass(frozen=True)
class Event:
    topic: Topic
    user_ids: frozenset[int] = field(default_factory=frozenset)
    subject: int | None = None

    @classmethod
    def downloads(cls, user_ids: Iterable[int]) -> Event:
        return cls(Topic.DOWNLOADS, frozenset(user_ids))


Handler = Callable[[Event], None]


class EventBus:
    """In-process fan-out. Handlers run synchronously inside `publish` and must not block:
    they set a flag, wake a task or cancel something, and the woken task does the work."""

    def __init__(self) -> None:
        self._handlers: dict[Topic, list[Handler]] = {}

    def publish(self, event: Event) -> None:
        self.deliver(event)

    def deliver(self, event: Event) -> None:
        """Hand `event` to this process's subscribers; one failing handler stops no other."""
        for handler in list(self._handlers.get(event.topic, ())):
            try:
                handler(event)
            except Exception:
                log.exception("A subscriber to %s failed", event.topic)

    def subscribe(self, topic: Topic, handler: Handler) -> Callable[[], None]:
        """Call `handler` for every event on `topic`; returns the function that stops it."""
        handlers = self._handlers.setdefault(topic, [])
        handlers.append(handler)

        def unsubscribe() -> None:
            with contextlib.suppress(ValueError):
                handlers.remove(handler)

        return unsubscribe


@contextlib.contextmanager
def signal(bus: EventBus, topic: Topic, *, user_id: int | None = None) -> Iterator[asyncio.Event]:
    """An `asyncio.Event` set by every event on `topic` (concerning `user_id`, if given) while
    the block runs: the waiter clears it, re-reads, and waits again."""
    flag = asyncio.Event()

    def handler(event: Event) -> None:
        if user_id is None or user_id in event.user_ids:
            flag.set()

    unsubscribe = bus.subscribe(topic, handler)
    try:
        yield flag
    finally:
        unsubscribe()


async def wait(flag: asyncio.Event, seconds: float) -> bool:
    """Wait for `flag` at most `seconds`; True when it was set.

    `asyncio.timeout`, not `wait_for`: on Python 3.11 `wait_for` can swallow a cancellation
    that arrives as the wait ends, and a background loop cancelled then runs on forever (its
    owner's stop hangs)."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await flag.wait()
        return True
    return False
