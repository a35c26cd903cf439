"""Scheduled jobs. Jobs receive services, load fresh state, and only enqueue or prune work.

APScheduler 3.x keeps jobs in memory; they are re-added at every start. With several processes,
exactly one runs the scheduler (see README, "Scaling out").
"""

from __future__ import annotations

import contextlib
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.container import Services
from services.core.errors import AppError
from services.core.events import Topic

log = logging.getLogger(__name__)


def create_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
    )


async def prune_logs(services: Services) -> None:
    deleted = await services.logs.prune(services.settings.log_retention_days)
    if deleted:
        log.info(
            "Pruned %d log entries older than %d days",
            deleted,
            services.settings.log_retention_days,
        )


async def prune_messages(services: Services) -> None:
    deleted = await services.delivery.prune(services.settings.message_retention_days)
    if deleted:
        log.info(
            "Pruned %d messages older than %d days",
            deleted,
            services.settings.message_retention_days,
        )


async def prune_polls(services: Services) -> None:
    days = services.settings.log_retention_days
    deleted = await services.stations.prune_polls(days)
    if deleted:
        log.info("Pruned %d station poll records", deleted)
    forgotten = await services.stations.prune_gone_files(days)
    if forgotten:
        log.info("Forgot %d files gone from their stations over %d days ago", forgotten, days)


async def prune_uploads(services: Services) -> None:
    await services.uploads.sweep()  # logs what it removed


async def prune_attempts(services: Services) -> None:
    await services.throttle.prune()


async def prune_expected(services: Services) -> None:
    await services.passes.prune_expected(services.settings.log_retention_days)


async def predict_passes(services: Services) -> None:
    """Fresh orbital elements (a URL is fetched at most daily), then the passes they predict
    over every located station; a failed download keeps the elements there were."""
    passes = services.passes
    try:
        await passes.tles.refresh(datetime.now(UTC))
    except AppError as error:
        log.warning("Orbital elements were not refreshed: %s", error.message)
    await passes.refresh_expected(datetime.now(UTC))


async def check_missed_passes(services: Services) -> None:
    await services.passes.check_missed(datetime.now(UTC))


async def poll_station(services: Services, station_id: int) -> None:
    await services.stations.poll_due(station_id)


class StationJobs:
    """One interval job per enabled station, kept in line with the stations table.

    `sync` runs every minute (stations changed by another process) and right after a change made
    here (a `Topic.STATIONS` event). A job is only replaced when its interval changes, so syncing
    never postpones a poll.
    """

    SYNC_SECONDS = 60

    def __init__(self, scheduler: AsyncIOScheduler, services: Services) -> None:
        self.scheduler = scheduler
        self.services = services
        self._intervals: dict[int, int] = {}
        self._started = False

    @staticmethod
    def job_id(station_id: int) -> str:
        return f"station-{station_id}"

    async def sync(self) -> None:
        first, self._started = not self._started, True
        stations = await self.services.stations.list_stations(enabled_only=True)
        wanted = {s.id: s.poll_interval for s in stations}
        last_polled = {s.id: s.last_poll_at for s in stations}
        for station_id in set(self._intervals) - set(wanted):
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job(self.job_id(station_id))
            del self._intervals[station_id]
        for station_id, interval in wanted.items():
            if self._intervals.get(station_id) == interval:
                continue
            extra: dict[str, Any] = {}
            if station_id not in self._intervals:
                extra["next_run_time"] = self._first_run(interval, last_polled[station_id], first)
            self.scheduler.add_job(
                poll_station,
                "interval",
                seconds=interval,
                jitter=min(30, interval // 10),
                args=[self.services, station_id],
                id=self.job_id(station_id),
                replace_existing=True,
                **extra,
            )
            self._intervals[station_id] = interval

    @staticmethod
    def _first_run(interval: int, last_poll_at: datetime | None, starting: bool) -> datetime:
        """A station added now is polled at once. At start-up (or when this process takes over
        the scheduling from another), each station when its interval since its last poll has
        passed, so a restart or a takeover neither skips nor repeats polls; stations never
        polled are spread over ten seconds."""
        now = datetime.now(UTC)
        if not starting:
            return now
        if last_poll_at is None:
            return now + timedelta(seconds=random.uniform(0, min(10, interval)))  # noqa: S311
        return max(now, last_poll_at + timedelta(seconds=interval))

    def sync_soon(self) -> None:
        self.scheduler.add_job(self.sync, id="stations-sync-now", replace_existing=True)


def schedule_jobs(scheduler: AsyncIOScheduler, services: Services) -> Callable[[], None]:
    """Add every job; returns the function that stops following station changes."""
    jobs = StationJobs(scheduler, services)
    unsubscribe = services.bus.subscribe(Topic.STATIONS, lambda _: jobs.sync_soon())
    scheduler.add_job(
        jobs.sync,
        "interval",
        seconds=StationJobs.SYNC_SECONDS,
        id="stations-sync",
        replace_existing=True,
        next_run_time=datetime.now(UTC),
    )
    # Housekeeping. Uploads expire after a day; their sweep runs hourly so an abandoned one
    # gives its reserved quota back soon after.
    for prune, hours in (
        (prune_polls, 6),
        (prune_logs, 6),
        (prune_messages, 6),
        (prune_uploads, 1),
        (prune_attempts, 1),
        (prune_expected, 6),
    ):
        scheduler.add_job(
            prune,
            "interval",
            hours=hours,
            jitter=300,
            args=[services],
            id=prune.__name__.replace("_", "-"),
            replace_existing=True,
        )
    # Predicted passes: hourly, and once at start; a pass is judged missed within minutes of
    # its wait running out.
    scheduler.add_job(
        predict_passes,
        "interval",
        hours=1,
        args=[services],
        id="predict-passes",
        replace_existing=True,
        next_run_time=datetime.now(UTC) + timedelta(seconds=5),
    )
    scheduler.add_job(
        check_missed_passes,
        "interval",
        minutes=5,
        jitter=30,
        args=[services],
        id="check-missed-passes",
        replace_existing=True,
    )
    return unsubscribe
