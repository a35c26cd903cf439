"""Scheduled jobs. Jobs receive services, load fresh state, and only enqueue or prune work.

APScheduler 3.x keeps jobs in memory; they are re-added at every start. With several processes,
exactly one runs the scheduler (see README, "Scaling out").
"""

from __future__ import annotations

import logging
from datetime import UTC

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.container import Services

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


def schedule_jobs(scheduler: AsyncIOScheduler, services: Services) -> None:
    scheduler.add_job(
        prune_logs,
        "interval",
        hours=6,
        jitter=300,
        args=[services],
        id="prune-logs",
        replace_existing=True,
    )
    scheduler.add_job(
        prune_messages,
        "interval",
        hours=6,
        jitter=300,
        args=[services],
        id="prune-messages",
        replace_existing=True,
    )
