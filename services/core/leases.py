"""A station's lease: whoever holds it (a poll, or a re-reading of its names) is the one writer
of the station's files and passes, in this process or another. The lease is a column of the
station row, taken with a guarded update, so it holds on SQLite and PostgreSQL alike and a
crashed holder's lease simply runs out."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from tortoise.expressions import Q

from services.core.errors import Conflict
from services.core.models import Station


@contextlib.asynccontextmanager
async def station_lease(station_id: int, seconds: float) -> AsyncIterator[datetime]:
    """Hold the station for at most `seconds`; Conflict while someone else holds it."""
    now = datetime.now(UTC)
    lease = now + timedelta(seconds=seconds)
    taken = await Station.filter(
        Q(poll_lease_until__isnull=True) | Q(poll_lease_until__lt=now), id=station_id
    ).update(poll_lease_until=lease)
    if not taken:
        raise Conflict("This station is being polled right now.", code="poll_running")
    try:
        yield now
    finally:
        await Station.filter(id=station_id, poll_lease_until=lease).update(poll_lease_until=None)
