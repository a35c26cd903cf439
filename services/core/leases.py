"""A station's lease: whoever holds it (a poll, or a re-reading of its names) is the one writer
of the station's files and passes, in this process or another. The lease is a column of the
station row, taken with a guarded update, so it holds on SQLite and PostgreSQL alike.

The holder renews it every third of its length while it works, so a long poll keeps it however
long it takes, and a holder that died (a process killed mid-poll) lets it run out within
`seconds`: another process polls the station again soon after."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from services.core.errors import Conflict
from services.core.models import Station

log = logging.getLogger(__name__)
LEASE_SECONDS = 20.0


@contextlib.asynccontextmanager
async def station_lease(station_id: int, seconds: float = LEASE_SECONDS) -> AsyncIterator[datetime]:
    """Hold the station while the block runs; Conflict while someone else holds it."""
    now = datetime.now(UTC)
    lease = now + timedelta(seconds=seconds)
    taken = await Station.filter(
        Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lt=now), id=station_id
    ).update(poll_lease_until=lease)
    if not taken:
        raise Conflict("This station is being polled right now.", code="poll_running")
    # The lease as last written, and a renewal that may be under way when the block ends.
    held = [lease, lease]

    async def renew() -> None:
        while True:
            await asyncio.sleep(seconds / 3)
            later = held[1] = datetime.now(UTC) + timedelta(seconds=seconds)
            try:
                if await Station.filter(id=station_id, poll_lease_until=held[0]).update(
                    poll_lease_until=later
                ):
                    held[0] = later
            except Exception as exc:  # the next renewal tries again
                log.warning("Could not renew the lease of station %s: %s", station_id, exc)

    renewing = asyncio.create_task(renew(), name=f"station-lease-{station_id}")
    try:
        yield now
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing
        await Station.filter(id=station_id, poll_lease_until__in=held).update(poll_lease_until=None)
