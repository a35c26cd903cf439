"""Health: is each part of the service working, as one report."""

from __future__ import annotations

import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.core import db
from services.core.cluster import Coordinator

Probe = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class HealthReport:
    database: bool
    bot: bool
    scheduler: bool
    # "leader" runs the scheduler and the Telegram sender; "follower" serves and downloads.
    role: str
    # Redis (several processes) answers; None with one process, which needs no Redis.
    redis: bool | None
    # Which process answered: host and process id.
    process: str

    @property
    def ok(self) -> bool:
        return self.database and self.bot and self.scheduler and self.redis is not False


class HealthService:
    """Asks each part; the probes are given by the composition root."""

    def __init__(
        self,
        *,
        bot: Probe,
        scheduler: Callable[[], bool],
        coordinator: Coordinator,
        redis: Probe | None = None,
    ) -> None:
        self._bot = bot
        self._scheduler = scheduler
        self._coordinator = coordinator
        self._redis = redis
        self.process = f"{socket.gethostname()}:{os.getpid()}"

    async def check(self) -> HealthReport:
        leader = self._coordinator.leader
        return HealthReport(
            database=await db.ping() and self._coordinator.healthy,
            bot=await self._bot(),
            # Only the leader runs the scheduler.
            scheduler=self._scheduler() if leader else True,
            role="leader" if leader else "follower",
            redis=None if self._redis is None else await self._redis(),
            process=self.process,
        )
