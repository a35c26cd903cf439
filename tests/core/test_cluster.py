"""Coordination between processes: one leader, station connection slots counted across
processes, and what happens when a process's connection to PostgreSQL dies. Each coordinator here
stands for one process (its own PostgreSQL connection)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from services.core.cluster import LocalCoordinator, PostgresCoordinator, Slot, take
from tests.support.pg import Cluster


@pytest.fixture
async def postgres_url(pg_cluster: Cluster) -> AsyncIterator[str]:
    """An empty database of its own (advisory locks are per database)."""
    name = f"c_{uuid.uuid4().hex[:16]}"
    admin = await asyncpg.connect(pg_cluster.url("postgres"))
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield pg_cluster.url(name)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def processes(postgres_url: str) -> AsyncIterator[list[PostgresCoordinator]]:
    started = [PostgresCoordinator(postgres_url, tick=0.1) for _ in range(3)]
    for coordinator in started:
        await coordinator.start()
    yield started
    for coordinator in started:
        await coordinator.stop()


async def until(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not callable(condition) or not condition():
        assert time.monotonic() < deadline, "not reached in time"
        await asyncio.sleep(0.02)  # coordinators campaign every 0.1 s


async def test_exactly_one_process_leads_and_another_takes_over_when_it_stops(
    processes: list[PostgresCoordinator],
) -> None:
    await until(lambda: sum(p.leader for p in processes) == 1)
    leader = next(p for p in processes if p.leader)
    roles: list[bool] = []
    others = [p for p in processes if p is not leader]
    for other in others:
        other.on_role(roles.append)
    await leader.stop()
    started = time.monotonic()
    await until(lambda: sum(p.leader for p in others) == 1)
    assert time.monotonic() - started < 2
    assert roles == [True]  # the new leader was told once
    await asyncio.sleep(0.5)
    assert sum(p.leader for p in others) == 1  # and nobody else joined it


async def test_a_stations_connections_are_counted_over_every_process(
    processes: list[PostgresCoordinator],
) -> None:
    first, second, third = processes
    # Three connections; downloads may use two of them, and slot 0 stays for polls.
    one = await first.try_take(7, 3, download=True)
    two = await second.try_take(7, 3, download=True)
    assert {one, two} == {Slot(7, 1), Slot(7, 2)}
    assert await third.try_take(7, 3, download=True) is None
    poll = await third.try_take(7, 3, download=False)
    assert poll == Slot(7, 0)
    assert await first.try_take(7, 3, download=False) is None
    assert await first.try_take(8, 3, download=True) is not None  # another station: its own
    # A poll waiting for a connection gets one as soon as any process gives one back.
    waiting = asyncio.create_task(take(first, 7, 3))
    await asyncio.sleep(0.3)
    assert not waiting.done()
    assert two is not None
    await second.give(two)
    assert await asyncio.wait_for(waiting, 2) == two


async def test_a_process_that_loses_its_connection_stops_leading_and_takes_its_slots_back(
    processes: list[PostgresCoordinator], postgres_url: str
) -> None:
    await until(lambda: sum(p.leader for p in processes) == 1)
    leader = next(p for p in processes if p.leader)
    held = await leader.try_take(9, 2, download=True)
    assert held == Slot(9, 1)
    admin = await asyncpg.connect(postgres_url.replace("postgres://", "postgresql://", 1))
    try:
        # PostgreSQL restarted, or a network cut: the process's locks are gone with it.
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'ftpgram-coordination' AND pid IN "
            "(SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = 9)"
        )
    finally:
        await admin.close()
    await until(lambda: not leader.leader)
    await until(lambda: sum(p.leader for p in processes) == 1)
    await until(lambda: leader.healthy)
    # It came back holding the slot its running transfer still uses.
    others = [p for p in processes if p is not leader]
    assert await others[0].try_take(9, 2, download=True) is None


async def test_one_process_leads_and_counts_its_slots_alone() -> None:
    local = LocalCoordinator()
    roles: list[bool] = []
    local.on_role(roles.append)
    await local.start()
    assert local.leader and roles == [True]
    assert await local.try_take(1, 1, download=True) == Slot(1, 0)  # one connection: shared
    assert await local.try_take(1, 1, download=False) is None
    await local.give(Slot(1, 0))
    assert await local.try_take(1, 1, download=False) == Slot(1, 0)
    await local.stop()
    assert roles == [True, False]
