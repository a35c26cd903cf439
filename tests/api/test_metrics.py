"""GET /metrics as Prometheus scrapes it: off without METRICS_TOKEN, refused without the token,
and, with it, an exposition in which requests count under their route's template, transfers and
the queues follow the database, and deliveries and station polls move their counters.

Counters belong to the test process, shared by every test it runs: tests compare before and
after."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from api.app import create_app
from services.container import Services
from services.core import metrics
from services.core.models import TransferStatus
from tests.support.ftp_files import HOUR, put
from tests.support.ftp_servers import aioftp_server
from tests.support.net import free_port
from tests.support.people import bearer, make_user
from tests.support.stations import add_station, station_files
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
TOKEN = "metrics-token-0123456789abcdef"
ADMIN = 900001
ALICE = 7301
REQUESTS = "ftpgram_http_requests_total"
MESSAGES = "ftpgram_telegram_messages_total"
POLLS = "ftpgram_station_polls_total"
# Every sample of a scrape: (sample name, its labels sorted) → value.
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
async def scraper(services: Services) -> AsyncIterator[Client]:
    """The API of a deployment that set METRICS_TOKEN."""
    settings = services.settings.model_copy(update={"metrics_token": SecretStr(TOKEN)})
    app = create_app(dataclasses.replace(services, settings=settings))
    async with TestClient(TestServer(app)) as test_client:
        yield test_client


async def scrape(client: Client) -> Samples:
    response = await client.get("/metrics", headers=bearer(TOKEN))
    assert response.status == 200
    text = await response.text()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    """A sample's value; a labelled counter nothing has counted yet has none: 0."""
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def routes_counted(samples: Samples) -> set[str]:
    return {dict(labels)["route"] for name, labels in samples if name == REQUESTS}


async def until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while True:
            if condition():
                return
            await asyncio.sleep(0.02)


def counted(name: str, **labels: str) -> float:
    """What this process counted so far, straight from the registry (to wait on)."""
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_are_off_without_a_token(client: Client) -> None:
    response = await client.get("/metrics", headers=bearer(TOKEN))
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_token"),
        ({"Authorization": f"Basic {TOKEN}"}, "missing_token"),
        (bearer("metrics-token-0123456789abcdeX"), "invalid_token"),
        (bearer(TOKEN[:-1]), "invalid_token"),
        (bearer("мой-токен-0123456789"), "invalid_token"),
    ],
)
async def test_a_scrape_without_the_token_is_refused(
    scraper: Client, headers: dict[str, str], code: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await scraper.get("/metrics", headers=headers)
    assert response.status == 401
    text = await response.text()
    assert (await response.json())["error"]["code"] == code
    assert TOKEN not in text and "ftpgram_" not in text
    await scrape(scraper)
    assert TOKEN not in caplog.text


async def test_the_scrape_is_prometheus_text_with_every_series(scraper: Client) -> None:
    response = await scraper.get("/metrics", headers=bearer(TOKEN))
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = await scrape(scraper)
    # An empty database: every transfer status is there, at 0, and so are the queues.
    for status in TransferStatus:
        assert samples[("ftpgram_transfers", (("status", status.value),))] == 0
    assert samples[("ftpgram_download_queue", ())] == 0
    assert samples[("ftpgram_telegram_queue", ())] == 0
    for outcome in ("sent", "flood_limited", "failed"):
        assert (MESSAGES, (("outcome", outcome),)) in samples
    assert ("ftpgram_bytes_received_total", ()) in samples
    # The process itself: memory, CPU, the Python it runs.
    assert samples[("process_resident_memory_bytes", ())] > 0
    assert ("process_cpu_seconds_total", ()) in samples
    assert any(name == "python_info" for name, _ in samples)


async def test_requests_count_under_their_route_template(
    scraper: Client, services: Services
) -> None:
    alice = await make_user(services, ALICE, name="Alice")
    token = await services.auth.issue_token(alice.id)
    route = "/api/v1/downloads/{download_id}/"
    before = await scrape(scraper)
    assert (await scraper.get("/api/v1/downloads/123/")).status == 401
    assert (await scraper.get("/api/v1/downloads/456", headers=bearer(token))).status == 404
    assert (await scraper.get("/health")).status == 200
    assert (await scraper.get("/health/")).status == 200
    after = await scrape(scraper)

    def requests(route: str, status: str) -> float:
        return grew(before, after, REQUESTS, route=route, method="GET", status=status)

    assert requests(route, "401") == 1  # the status the client got, errors included
    assert requests(route, "404") == 1  # with or without the trailing slash
    assert requests("/health", "200") == 2
    assert not {r for r in routes_counted(after) if "123" in r or "456" in r}
    durations = "ftpgram_http_request_duration_seconds_count"
    assert grew(before, after, durations, route="/health", method="GET") == 2


async def test_a_websocket_session_counts_at_its_upgrade(
    scraper: Client, services: Services
) -> None:
    alice = await make_user(services, ALICE, name="Alice")
    token = await services.auth.issue_token(alice.id)
    route = "/api/v1/downloads/live/"
    before = await scrape(scraper)
    async with scraper.ws_connect(f"{route}?token={token}") as socket:
        assert (await socket.receive_json())["type"] == "snapshot"
        after = await scrape(scraper)  # while the session lasts
    assert grew(before, after, REQUESTS, route=route, method="GET", status="101") == 1
    # Timed to the upgrade: the session need not end first.
    durations = "ftpgram_http_request_duration_seconds_count"
    assert grew(before, after, durations, route=route, method="GET") == 1


async def test_made_up_paths_and_methods_add_no_series(scraper: Client) -> None:
    # Each route below counted once already (a scrape counts as its answer leaves).
    assert (await scraper.get("/no/such/page")).status == 404
    assert (await scraper.request("PROPFIND", "/health")).status == 405
    await scrape(scraper)
    before = await scrape(scraper)
    for n in range(40):
        assert (await scraper.get(f"/probe-{n}/../wp-admin-{n}.php?x={n}")).status == 404
    for method in ("PROPFIND", "MKCOL", "PURGE", "SEARCH"):
        assert (await scraper.request(method, "/health")).status == 405
    after = await scrape(scraper)
    assert routes_counted(after) == routes_counted(before)
    assert grew(before, after, REQUESTS, route="unmatched", method="GET", status="404") == 40
    assert grew(before, after, REQUESTS, route="unmatched", method="other", status="405") == 4
    assert routes_counted(after) >= {"unmatched", "/metrics"}
    methods = {dict(labels)["method"] for name, labels in after if name == REQUESTS}
    assert methods <= {*metrics.HTTP_METHODS, "other"}


@pytest.mark.every_backend  # the aggregate queries run on either engine
async def test_transfers_by_status_and_the_download_queue(
    scraper: Client, services: Services, ftp_root: Path
) -> None:
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    alice = await make_user(services, ALICE, name="Alice")
    async with aioftp_server(ftp_root) as endpoint:
        ids = await station_files(
            services, admin, endpoint, {"pass-1.bin": b"a" * 10, "pass-2.bin": b"b" * 20}
        )
    first, _ = await services.downloads.request(alice, ids["pass-1.bin"])
    await services.downloads.request(alice, ids["pass-2.bin"])
    samples = await scrape(scraper)
    assert value(samples, "ftpgram_transfers", status="queued") == 2
    assert value(samples, "ftpgram_download_queue") == 2  # no worker runs in this test

    await services.downloads.pause(alice, first.id)  # nobody else wants its transfer
    samples = await scrape(scraper)
    assert value(samples, "ftpgram_transfers", status="queued") == 1
    assert value(samples, "ftpgram_transfers", status="idle") == 1
    assert value(samples, "ftpgram_transfers", status="running") == 0
    assert value(samples, "ftpgram_download_queue") == 1


async def test_sent_and_flood_limited_messages(
    scraper: Client, services: Services, telegram: FakeTelegram
) -> None:
    alice = await make_user(services, ALICE, name="Alice")
    before = await scrape(scraper)
    telegram.fail_next("sendMessage", code=429, retry_after=2)
    await services.delivery.enqueue(alice.id, "Pass received")
    flooded = value(before, MESSAGES, outcome="flood_limited")
    await until(lambda: counted(MESSAGES, outcome="flood_limited") > flooded)

    # Telegram said "too many": the message waits for its retry.
    waiting = await scrape(scraper)
    assert grew(before, waiting, MESSAGES, outcome="flood_limited") == 1
    assert grew(before, waiting, MESSAGES, outcome="sent") == 0
    assert value(waiting, "ftpgram_telegram_queue") == 1

    assert (await telegram.expect_message(ALICE, timeout=15)).text == "Pass received"
    await services.delivery.wait_idle()
    after = await scrape(scraper)
    assert grew(before, after, MESSAGES, outcome="sent") == 1
    assert grew(before, after, MESSAGES, outcome="flood_limited") == 1
    assert value(after, "ftpgram_telegram_queue") == 0


async def test_station_polls_by_station_and_outcome(
    scraper: Client, services: Services, ftp_root: Path
) -> None:
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    put(ftp_root, "pass.bin", b"x" * 10, age=HOUR)
    async with aioftp_server(ftp_root) as endpoint:
        alive = await add_station(services, admin, endpoint)
        dead = await add_station(services, admin, endpoint, name="Gone", port=free_port())
        before = await scrape(scraper)
        assert (await services.stations.poll(alive.id)).ok
        assert not (await services.stations.poll(dead.id)).ok
    after = await scrape(scraper)

    def polls(station: int, outcome: str) -> float:
        return grew(before, after, POLLS, station=str(station), outcome=outcome)

    assert (polls(alive.id, "ok"), polls(alive.id, "failed")) == (1, 0)
    assert (polls(dead.id, "ok"), polls(dead.id, "failed")) == (0, 1)
