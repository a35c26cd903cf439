"""Coordination between the processes of one deployment: who leads, and who holds a station's
connections.

- **The leader** runs what must run once: the scheduler (polls, housekeeping) and the sender of
  Telegram messages (one sender keeps Telegram's limits, which are per bot). One process leads
  at a time; when it dies another takes over within `tick` seconds.
- **Connection slots**: a station allows `max_connections` connections at once, counted over
  polls and downloads of every process. Slots are numbered `0 .. limit-1`; downloads never take
  slot 0 of a station allowing two or more, so a long download never holds up polling.

One process (`LocalCoordinator`) keeps both in memory. Several processes (`PostgresCoordinator`)
keep them as PostgreSQL advisory locks held by one connection of each process: the server
releases them the moment that connection ends, so a process killed with SIGKILL leaves nothing
held and no lease to wait out. (Transfers and messages a dead process had claimed are taken over
by their own leases in the database.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Advisory lock keys are (namespace, id) pairs of 32-bit integers; ours start with "ftpg".
_LEADER = 0x66747067
_MIGRATIONS = _LEADER + 1
_SLOTS = _LEADER + 0x100  # + slot number; the second key is the station id


@dataclass(frozen=True)
class Slot:
    """One connection to a station, held until given back."""

    station_id: int
    number: int


def candidates(limit: int, *, download: bool) -> range:
    """The slots a poll (any) or a download (all but the first, when there are two or more) may
    take."""
    limit = max(1, limit)
    return range(1, limit) if download and limit > 1 else range(limit)


RoleListener = Callable[[bool], None]


class Coordinator(Protocol):
    @property
    def leader(self) -> bool: ...

    @property
    def healthy(self) -> bool:
        """Whether coordination works (the lock connection is up)."""
        ...

    def on_role(self, listener: RoleListener) -> None:
        """Call `listener(True)` on becoming leader and `listener(False)` on losing it."""
        ...

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def try_take(self, station_id: int, limit: int, *, download: bool) -> Slot | None:
        """A free slot of the station at once, or None."""
        ...

    async def give(self, slot: Slot) -> None: ...

    @property
    def freed(self) -> asyncio.Event:
        """Set whenever this process gives a slot back."""
        ...


async def take(coordinator: Coordinator, station_id: int, limit: int) -> Slot:
    """Wait for a slot any use may take (polls, tests); the caller bounds the wait. A slot
    given back here wakes the wait at once; one given back by another process within 0.2 s."""
    freed = coordinator.freed
    while True:
        freed.clear()
        slot = await coordinator.try_take(station_id, limit, download=False)
        if slot is not None:
            return slot
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(0.2):
                await freed.wait()


@contextlib.asynccontextmanager
async def holding(
    coordinator: Coordinator, station_id: int, limit: int, *, within: float
) -> AsyncIterator[Slot]:
    """Hold a slot of the station for the block; TimeoutError when none came free in time."""
    async with asyncio.timeout(within):
        slot = await take(coordinator, station_id, limit)
    try:
        yield slot
    finally:
        await coordinator.give(slot)


class _Roles:
    """What both coordinators share: this process's role, who hears of its changes, and the
    signal that a slot was given back."""

    def __init__(self) -> None:
        self._leader = False
        self._listeners: list[RoleListener] = []
        self._freed = asyncio.Event()

    @property
    def leader(self) -> bool:
        return self._leader

    @property
    def freed(self) -> asyncio.Event:
        return self._freed

    def on_role(self, listener: RoleListener) -> None:
        self._listeners.append(listener)
        if self._leader:
            listener(True)

    def _change_role(self, leader: bool) -> None:
        if leader == self._leader:
            return
        self._leader = leader
        log.info("This process %s", "leads now" if leader else "no longer leads")
        for listener in list(self._listeners):
            try:
                listener(leader)
            except Exception:
                log.exception("A role listener failed")


class LocalCoordinator(_Roles):
    """One process: it leads, and slots are counted in memory."""

    def __init__(self) -> None:
        super().__init__()
        self._held: dict[int, set[int]] = {}

    @property
    def healthy(self) -> bool:
        return True

    async def start(self) -> None:
        self._change_role(True)

    async def stop(self) -> None:
        self._change_role(False)

    async def try_take(self, station_id: int, limit: int, *, download: bool) -> Slot | None:
        held = self._held.setdefault(station_id, set())
        if len(held) >= max(1, limit):  # the limit was lowered while connections were open
            return None
        for number in candidates(limit, download=download):
            if number not in held:
                held.add(number)
                return Slot(station_id, number)
        return None

    async def give(self, slot: Slot) -> None:
        self._held.get(slot.station_id, set()).discard(slot.number)
        self._freed.set()


class PostgresCoordinator(_Roles):
    """Several processes: advisory locks on one PostgreSQL connection of this process.

    Every `tick` the process checks its connection and, when it does not lead, tries to. When
    the connection fails, every lock it held is gone with it: the process stops leading at once,
    reconnects, and takes again the slots its running transfers still hold (a slot someone else
    took in between is logged; that transfer's station may see one connection too many until it
    ends).
    """

    def __init__(self, database_url: str, *, tick: float = 1.0) -> None:
        super().__init__()
        self._url = database_url
        self._tick = tick
        self._connection: Any = None  # asyncpg.Connection
        self._lock = asyncio.Lock()
        self._held: set[Slot] = set()
        self._task: asyncio.Task[None] | None = None

    @property
    def healthy(self) -> bool:
        return self._connection is not None and not self._connection.is_closed()

    async def start(self) -> None:
        with contextlib.suppress(OSError, ConnectionError):
            await self._connect()
            await self._campaign()
        self._task = asyncio.create_task(self._run(), name="coordination")

    async def stop(self) -> None:
        if self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._change_role(False)
        if self._connection is not None:
            connection, self._connection = self._connection, None
            with contextlib.suppress(Exception):
                await connection.close(timeout=5)

    async def _connect(self) -> None:
        import asyncpg  # the PostgreSQL driver tortoise uses; only cluster mode needs it here

        self._connection = await asyncpg.connect(
            _asyncpg_url(self._url),
            timeout=10,
            # A leader cut off without a word (packets dropped) must lose its lock within
            # seconds, not after the kernel's two-hour keepalive.
            server_settings={
                "application_name": "ftpgram-coordination",
                "tcp_keepalives_idle": "5",
                "tcp_keepalives_interval": "2",
                "tcp_keepalives_count": "3",
            },
        )
        for slot in list(self._held):
            if not await self._try_lock(_SLOTS + slot.number, slot.station_id):
                log.warning(
                    "Connection slot %d of station %d was taken by another process while this "
                    "one was disconnected",
                    slot.number,
                    slot.station_id,
                )

    async def _run(self) -> None:
        delay = self._tick
        while True:
            await asyncio.sleep(delay)
            try:
                if not self.healthy:
                    if self._connection is not None:  # closed under us: its locks are gone
                        self._lost(ConnectionError("the connection was closed"))
                    await self._connect()
                    log.info("Coordination connection to PostgreSQL restored")
                await self._campaign()
                delay = self._tick
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._lost(exc)
                delay = min(delay * 2, 10 * self._tick)

    def _lost(self, exc: BaseException) -> None:
        """The connection failed (or an answer was lost, so what it holds is unknown): drop it,
        and with it every lock; `_run` connects again and takes back the slots still in use."""
        if self._connection is not None or self._leader:
            log.warning("Coordination connection to PostgreSQL lost: %s", exc)
        self._change_role(False)
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.terminate()

    async def _campaign(self) -> None:
        if self._leader:
            async with self._lock:
                await self._connection.fetchval("SELECT 1", timeout=5)
        elif await self._try_lock(_LEADER, 0):
            self._change_role(True)

    async def _try_lock(self, key: int, station_id: int) -> bool:
        async with self._lock:
            taken: bool = await self._connection.fetchval(
                "SELECT pg_try_advisory_lock($1, $2)", key, station_id, timeout=5
            )
            return taken

    async def try_take(self, station_id: int, limit: int, *, download: bool) -> Slot | None:
        if not self.healthy:
            return None  # without the locks nobody can count: wait until they are back
        for number in candidates(limit, download=download):
            slot = Slot(station_id, number)
            if slot in self._held:
                continue
            try:
                if await self._try_lock(_SLOTS + number, station_id):
                    self._held.add(slot)
                    return slot
            except asyncio.CancelledError as exc:  # the lock may be taken, unrecorded
                self._lost(exc)
                raise
            except Exception as exc:
                self._lost(exc)
                return None
        return None

    async def give(self, slot: Slot) -> None:
        self._held.discard(slot)
        if self.healthy:  # otherwise the locks went with the connection
            try:
                async with self._lock:
                    await self._connection.fetchval(
                        "SELECT pg_advisory_unlock($1, $2)",
                        _SLOTS + slot.number,
                        slot.station_id,
                        timeout=5,
                    )
            except Exception as exc:  # whether it is still held is unknown: start afresh
                self._lost(exc)
        self._freed.set()


def _asyncpg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://", "asyncpg://"))


@contextlib.asynccontextmanager
async def migration_lock(database_url: str) -> AsyncIterator[None]:
    """Processes starting together migrate one after another (PostgreSQL only)."""
    if not is_postgres(database_url):
        yield
        return
    import asyncpg

    connection = await asyncpg.connect(_asyncpg_url(database_url), timeout=30)
    try:
        await connection.execute("SELECT pg_advisory_lock($1, 0)", _MIGRATIONS)
        yield
    finally:
        await connection.close()
