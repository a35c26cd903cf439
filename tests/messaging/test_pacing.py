"""Sending pace against Telegram's limits as Telegram counts them: on arrival, which a slow or
uneven link moves away from when ftpgram sent."""

from __future__ import annotations

import contextlib
import time
from collections import Counter

from services.container import Services
from services.core.models import Message
from services.messaging.delivery import UNSURE, Transient, _Pacer
from tests.support.people import make_user
from tests.support.telegram_fake import FakeTelegram

USERS = 40
EACH = 3


async def test_an_uneven_link_never_brings_a_429_and_costs_little_speed(
    services: Services, telegram: FakeTelegram
) -> None:
    """Each call reaches the fake 0–150 ms late, at random: sends spaced evenly where they leave
    arrive in bunches. Telegram answers a bunch over 30 in a second with 429."""
    telegram.enforce_limits(per_second=30, chat_interval=1.0)
    telegram.slow_down("sendMessage", 0.0, spread=0.15)
    people = [await make_user(services, 7_000_000 + n) for n in range(USERS)]
    expected = Counter[tuple[int, str]]()
    began = time.monotonic()
    for round_ in range(EACH):
        for person in people:
            await services.delivery.enqueue(person.id, f"pass {round_} for {person.id}")
            expected[(int(person.telegram_id or 0), f"pass {round_} for {person.id}")] += 1

    def delivered() -> int:
        return sum(len(telegram.sent_to(int(p.telegram_id or 0))) for p in people)

    await telegram.wait_until(lambda: delivered() >= USERS * EACH, timeout=60)
    elapsed = time.monotonic() - began
    await services.delivery.wait_idle()

    assert telegram.flood_answers == 0, telegram.flood_reasons
    received = Counter(
        (int(p.telegram_id or 0), m.text)
        for p in people
        for m in telegram.sent_to(int(p.telegram_id or 0))
    )
    assert received == expected  # each once
    assert await Message.filter(status="sent").count() == USERS * EACH
    # The pace is 29 a second less the round trip's share of the second each send counts for:
    # about 27 here (4.5 s). One call at a time, 75 ms each on average, would be 13 a second.
    assert elapsed < USERS * EACH / 16, f"{USERS * EACH} messages took {elapsed:.1f} s"


async def test_a_send_that_got_no_answer_counts_on_as_it_may_still_arrive() -> None:
    """A call given up on (a timeout, a lost connection) may reach Telegram afterwards: the next
    sends wait as if it had been answered UNSURE seconds later."""

    async def send(pacer: _Pacer, outcome: Exception | None = None) -> float:
        """A call that is answered at once (or fails with `outcome`); when it ended."""
        with contextlib.suppress(Transient):
            async with pacer.call():
                if outcome is not None:
                    raise outcome
        return time.monotonic()

    answered = _Pacer(per_second=3, chat_interval=1.0)
    first = await send(answered)
    await send(answered)
    await send(answered)
    fourth = await send(answered)
    assert 0.99 <= fourth - first < 1.5  # a second after the first answer: three a second

    unsure = _Pacer(per_second=3, chat_interval=1.0)
    first = await send(unsure, Transient("timed out"))
    await send(unsure, Transient("timed out"))
    await send(unsure, Transient("timed out"))
    fourth = await send(unsure)
    assert UNSURE + 0.99 <= fourth - first < UNSURE + 1.5
