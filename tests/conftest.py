"""The fixtures every folder of tests uses: databases (SQLite and a real PostgreSQL), the fake
Telegram server, real FTP servers, and the whole application started in-process. The harness
behind them, and the helpers tests share, are in tests/support/.

A test that takes `database_url` (directly or through `connected`, `services` or `application`)
runs on SQLite. Tests of rules the database enforces (races, locks, queues, migrations) are marked
`every_backend` and run twice: once on SQLite, once on PostgreSQL. Bot, page and client tests do
not depend on the engine under the services, so they run once.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from api.app import create_app
from ftpgram.app import Application
from services.container import Services
from services.core import db
from services.core.settings import Settings, load_settings
from services.downloads.worker import DownloadWorker
from tests.support.application import bot_services
from tests.support.ftp_servers import Certificates, certificates
from tests.support.people import ACTIVE_TELEGRAM
from tests.support.pg import Cluster, temporary_cluster
from tests.support.telegram_fake import FakeTelegram
from tests.support.timing import FAST

BACKENDS = ["sqlite", "postgres"]


def run_in_thread(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run async setup from a sync session fixture, which may be created inside a running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


TEMPLATE_DB = "ftpgram_template"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "database_url" in metafunc.fixturenames:
        every = metafunc.definition.get_closest_marker("every_backend") is not None
        metafunc.parametrize("database_url", BACKENDS if every else ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A developer's own settings (environment, .env) never leak into a test."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    with temporary_cluster() as cluster:
        run_in_thread(_create_template(cluster))
        yield cluster


async def _create_template(cluster: Cluster) -> None:
    connection = await asyncpg.connect(cluster.url("postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
    finally:
        await connection.close()
    await db.migrate(cluster.url(TEMPLATE_DB))
    await db.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    url = f"sqlite://{path}"

    async def build() -> None:
        await db.migrate(url)
        await db.close()

    run_in_thread(build())
    return path


@pytest.fixture
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty, migrated database of its own for each test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite://{path}"
        return
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(cluster.url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"')
        yield cluster.url(name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def connected(database_url: str) -> AsyncIterator[str]:
    """The database, connected for the models; closed after the test."""
    await db.connect(database_url)
    yield database_url
    await db.close()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    ACTIVE_TELEGRAM.append(fake)
    yield fake
    ACTIVE_TELEGRAM.remove(fake)
    await fake.stop()


@pytest.fixture
def settings(database_url: str, telegram: FakeTelegram, tmp_path: Path) -> Settings:
    return load_settings(
        _env_file=None,
        bot_token=telegram.token,
        telegram_api_url=telegram.base_url,
        database_url=database_url,
        data_dir=tmp_path / "data",
        api_port=0,
        secret_key="test-secret-key-that-is-long-enough-0123456789",
        admin_ids="900001",
        station_settle_seconds=0,
    )


@pytest.fixture
async def services(settings: Settings, connected: str) -> AsyncIterator[Services]:
    """The service layer alone, its notices sent by a real bot to the fake Telegram server."""
    async with bot_services(settings, timing=FAST) as built:
        await built.delivery.start()
        yield built
        await built.delivery.stop()


@pytest.fixture
async def application(settings: Settings) -> AsyncIterator[Application]:
    """The whole service (bot polling the fake Telegram, HTTP API, scheduler) in this process."""
    app = Application(settings, timing=FAST)
    try:
        await app.start()
        yield app
    finally:
        await app.stop()


@pytest.fixture
def api_url(application: Application) -> str:
    return f"http://127.0.0.1:{application.port}"


@pytest.fixture(scope="session")
def certs() -> Iterator[Certificates]:
    with certificates() as bundle:
        yield bundle


@pytest.fixture
def ftp_root(tmp_path: Path) -> Path:
    root = tmp_path / "ftp-root"
    root.mkdir()
    os.chmod(root, 0o755)
    return root


@pytest.fixture
async def client(services: Services) -> AsyncIterator[TestClient[web.Request, web.Application]]:
    """The HTTP API through aiohttp's test client, on the real services."""
    async with TestClient(TestServer(create_app(services))) as test_client:
        yield test_client


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
