"""The event bus: subscribers hear the topics they asked for, stop hearing when they leave, and a
failing subscriber stops no other."""

from __future__ import annotations

import asyncio
import logging

import pytest

from services.core.events import Event, EventBus, Topic, signal, wait


def test_subscribers_hear_their_topic_until_they_unsubscribe() -> None:
    bus = EventBus()
    heard: list[Event] = []
    stop = bus.subscribe(Topic.QUEUE, heard.append)
    bus.publish(Event(Topic.QUEUE))
    bus.publish(Event(Topic.STATIONS))  # another topic: not heard
    stop()
    stop()  # twice is harmless
    bus.publish(Event(Topic.QUEUE))
    assert heard == [Event(Topic.QUEUE)]


def test_a_failing_subscriber_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = EventBus()
    heard: list[int | None] = []

    def broken(event: Event) -> None:
        raise RuntimeError("subscriber bug")

    bus.subscribe(Topic.TRANSFER_STOPPED, broken)
    bus.subscribe(Topic.TRANSFER_STOPPED, lambda event: heard.append(event.subject))
    with caplog.at_level(logging.ERROR, logger="services.core.events"):
        bus.publish(Event(Topic.TRANSFER_STOPPED, subject=7))
    assert heard == [7]
    assert "A subscriber to transfer_stopped failed" in caplog.text


async def test_a_signal_wakes_only_for_its_user_and_leaves_no_subscriber_behind() -> None:
    bus = EventBus()
    with signal(bus, Topic.DOWNLOADS, user_id=1) as changed:
        bus.publish(Event.downloads([2, 3]))
        assert not await wait(changed, 0.01)
        loop = asyncio.get_running_loop()
        loop.call_soon(bus.publish, Event.downloads([3, 1]))
        assert await wait(changed, 1.0)
    for _ in range(200):  # watchers come and go
        with signal(bus, Topic.DOWNLOADS, user_id=1):
            pass
    assert bus._handlers[Topic.DOWNLOADS] == []


async def test_a_loop_waiting_for_a_wake_up_stops_when_cancelled_as_it_wakes() -> None:
    # A worker's loop waits for its wake-up with a timeout. Cancelled in the very step its
    # wake-up comes, it must stop: Python 3.11's wait_for swallowed that cancellation, the
    # loop ran on, and its owner's stop waited forever.
    flag = asyncio.Event()

    async def loop() -> None:
        while True:
            await wait(flag, 10)
            flag.clear()

    task = asyncio.create_task(loop())
    for _ in range(2):
        await asyncio.sleep(0)  # the loop is waiting now
    flag.set()
    task.cancel()
    await asyncio.wait({task}, timeout=1)
    assert task.cancelled()
