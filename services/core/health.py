"""Health: is each part of the service working, as one report."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.core import db

Probe = Callable[[], Awaitable[bool]]


@dataclass(frozen=True)
class HealthReport:
    database: bool
    bot: bool
    scheduler: bool

    @property
    def ok(self) -> bool:
        return self.database and self.bot and self.scheduler


class HealthService:
    """Asks each part; the bot and scheduler probes are given by the composition root."""

    def __init__(self, *, bot: Probe, scheduler: Callable[[], bool]) -> None:
        self._bot = bot
        self._scheduler = scheduler

    async def check(self) -> HealthReport:
        return HealthReport(
            database=await db.ping(), bot=await self._bot(), scheduler=self._scheduler()
        )
