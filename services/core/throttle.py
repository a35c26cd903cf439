"""Attempt limits that hold when requests arrive at the same moment, in any number of processes.

A limit is "at most N attempts per key in a window" (wrong passwords per login, code guesses per
address, registrations per address, ...). An attempt reserves its slot *before* it is evaluated,
with one conditional UPDATE (`count = count + 1 WHERE count < N`), so fifty parallel requests
are evaluated at most N times whatever the database (SQLite or PostgreSQL) or the number of
processes; a successful attempt gives its slot back when the limit counts failures only.

Windows are fixed: the first attempt opens one of `window` length, and the count starts again
when it has passed. The state lives in the `attempt_window` table; expired rows are pruned.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from services.core.errors import RateLimited
from services.core.models import AttemptWindow


@dataclass(frozen=True)
class Limit:
    """At most `attempts` per key in `window`; `message` tells the person what happened."""

    name: str
    attempts: int
    window: timedelta
    message: str


@dataclass(frozen=True)
class Slot:
    """One reserved attempt; `Throttle.give_back` returns it."""

    key: str


def _key(limit: Limit, subject: str) -> str:
    # Subjects come from outside (logins, addresses): hashed, so any length or character fits.
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{limit.name[:70]}:{digest}"


class Throttle:
    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))

    async def take(self, limit: Limit, subject: str) -> Slot:
        """Reserve one attempt for `subject`, or raise `RateLimited` with the wait."""
        key = _key(limit, subject)
        for _ in range(3):
            now = self._clock()
            # Within the open window and under the limit.
            if await AttemptWindow.filter(
                key=key, expires_at__gt=now, count__lt=limit.attempts
            ).update(count=F("count") + 1):
                return Slot(key)
            # The window has passed: this attempt opens the next one.
            if await AttemptWindow.filter(key=key, expires_at__lte=now).update(
                count=1, expires_at=now + limit.window
            ):
                return Slot(key)
            row = await AttemptWindow.get_or_none(key=key)
            if row is not None:
                if row.expires_at <= now or row.count < limit.attempts:
                    continue  # changed between our statements: look again
                wait = (row.expires_at - now).total_seconds()
                raise RateLimited(limit.message, retry_after=max(1, math.ceil(wait)))
            try:
                await AttemptWindow.create(key=key, count=1, expires_at=now + limit.window)
                return Slot(key)
            except IntegrityError:
                continue  # another request created it first
        raise RateLimited(limit.message, retry_after=1)

    async def take_all(self, *wanted: tuple[Limit, str]) -> list[Slot]:
        """Reserve one attempt under each (limit, subject), in order; all or none."""
        slots: list[Slot] = []
        try:
            for limit, subject in wanted:
                slots.append(await self.take(limit, subject))
        except RateLimited:
            for slot in slots:
                await self.give_back(slot)
            raise
        return slots

    async def give_back(self, slot: Slot) -> None:
        """Return a reserved attempt (it succeeded, and the limit counts failures)."""
        await AttemptWindow.filter(key=slot.key, count__gt=0).update(count=F("count") - 1)

    async def exhausted(self, limit: Limit, subject: str) -> int | None:
        """Seconds until `subject` may try again, when its window is full; otherwise None."""
        now = self._clock()
        row = await AttemptWindow.get_or_none(key=_key(limit, subject), expires_at__gt=now)
        if row is None or row.count < limit.attempts:
            return None
        return max(1, math.ceil((row.expires_at - now).total_seconds()))

    async def prune(self) -> int:
        """Forget windows that have passed."""
        deleted: int = await AttemptWindow.filter(expires_at__lte=self._clock()).delete()
        return deleted
