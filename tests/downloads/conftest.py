"""Fixtures of the download tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.container import Services
from services.downloads.worker import DownloadWorker
from tests.support.timing import FAST


@pytest.fixture
async def worker(services: Services) -> AsyncIterator[DownloadWorker]:
    """A download worker of the test's own, quick to retry and to take over a lapsed lease."""
    running = DownloadWorker(
        services.downloads,
        concurrency=4,
        retries=20,
        retry_delay=0.2,
        lease=2,
        tick=FAST.worker_tick,
    )
    running.start()
    yield running
    await running.stop()
