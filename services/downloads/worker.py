"""The download worker: claims queued transfers (several processes may share the queue),
fetches them with retries and resumption, and hands finished content to `Completion`.

Two tables keep the state, so a restart loses nothing:
- `Download` is a person's request for a station file and its status: queued → downloading →
  completed, or paused, failed (with a reason, can be started again), cancelled.
- `Transfer` is the fetch of one station file's content, shared by everyone who asked for it:
  two people, one file, one transfer. Its partial data lives in the blob store's part file.

`DownloadWorker` claims queued transfers (a guarded UPDATE and a lease renewed every tick, so
several processes can share the queue and a dead worker's transfer is picked up again), runs at
most `concurrency` at once and at most a station's `max_connections` per station (the slot is
shared with polling), fairly between people, and retries connection losses with a growing wait,
resuming from the last byte written. On completion: size checked against the listing, SHA-256
taken while streaming, the part file moved into content-addressed storage, the database
committed — in that order; then every person waiting gets a file referring to that content.

Pausing or stopping a download stops its transfer only when nobody else still wants it; the
running worker stops it at once (a `TRANSFER_STOPPED` event), or within a tick when another
process paused it (its lease renewal finds the transfer changed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from tortoise.expressions import Q

from services.core import metrics
from services.core.cluster import Slot
from services.core.errors import NotFound
from services.core.events import Event, Topic, wait
from services.core.models import (
    Download,
    DownloadStatus,
    Transfer,
    TransferStatus,
)
from services.downloads.requests import DownloadService
from services.downloads.views import ACTIVE, TRANSFER_RESTING, part_key, utcnow
from services.ftp.client import FtpError, FtpSession
from services.ftp.transfer import PartFile, Receiver, WriteFailed
from services.storage.files import read_head

log = logging.getLogger(__name__)
MAX_RETRY_WAIT = 600.0


async def _emptied(part: PartFile) -> PartFile:
    """The partial file closed and opened again empty: the transfer starts over."""
    part.close()
    fresh = PartFile(part.path, 0)
    await asyncio.to_thread(fresh.open)
    return fresh


class Stopped(Exception):
    """A running transfer was paused, stopped or taken over: leave its state to whoever did."""


class DownloadWorker:
    """Runs transfers: claims them from the table, fetches, retries, completes.

    `start()` begins; `stop()` stops taking work and interrupts running transfers, which keep
    their partial data and their queued state for the next start (of any process).
    """

    def __init__(
        self,
        service: DownloadService,
        *,
        concurrency: int,
        retries: int,
        retry_delay: float,
        lease: float = 15.0,
        tick: float = 1.0,
    ) -> None:
        self.service = service
        self.completion = service.completion
        self.stations = service.stations
        self.store = service.store
        self.concurrency = concurrency
        self.retries = retries
        self.retry_delay = retry_delay
        self.lease = lease
        self.tick = tick
        self._wake = asyncio.Event()
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._owners: dict[int, int] = {}  # running transfer -> the user it runs for first
        self._receivers: dict[int, Receiver] = {}
        # Running transfers told to stop before their data connection was open (while
        # connecting or logging in): they stop as soon as it would open.
        self._stopping: set[int] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._last_reconcile = 0.0
        self._unsubscribe: list[Callable[[], None]] = []

    # ---- the loop ------------------------------------------------------------------------

    def start(self) -> None:
        bus = self.service.bus
        self._unsubscribe = [
            bus.subscribe(Topic.QUEUE, lambda _: self.wake()),
            bus.subscribe(Topic.TRANSFER_STOPPED, self._stopped),
        ]
        self._loop_task = asyncio.create_task(self._run(), name="downloads")

    async def stop(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
        if self._loop_task is not None:
            self._loop_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)

    def wake(self) -> None:
        self._wake.set()

    def _stopped(self, event: Event) -> None:
        if event.subject is not None:
            self.interrupt(event.subject)

    def interrupt(self, transfer_id: int) -> None:
        """Stop a transfer this worker runs, now or as soon as its data connection opens."""
        receiver = self._receivers.get(transfer_id)
        if receiver is not None:
            receiver.abort(Stopped())
        elif transfer_id in self._tasks:
            self._stopping.add(transfer_id)

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()  # a wake-up during this round brings the next one at once
            try:
                if loop.time() - self._last_reconcile >= 10 * self.tick:
                    await self.reconcile()
                    self._last_reconcile = loop.time()
                await self.fill()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("The download queue could not be read; trying again")
            await wait(self._wake, self.tick)

    async def fill(self) -> int:
        """Claim and start as many due transfers as there are free slots; returns how many.

        Transfers of a station whose connections are all in use are left out of the query, so a
        long queue on one busy station never hides the transfers of the others."""
        free = self.concurrency - len(self._tasks)
        started = 0
        full: set[int] = set()  # stations that take no more transfers now
        load: dict[int, int] = {}
        for user_id in self._owners.values():
            load[user_id] = load.get(user_id, 0) + 1
        while free > 0:
            now = utcnow()
            candidates = (
                await Transfer.filter(
                    Q(status=TransferStatus.QUEUED, next_attempt_at__lte=now)
                    | Q(status=TransferStatus.RUNNING, lease_until__lt=now)
                )
                .exclude(id__in=list(self._tasks))
                .exclude(station_id__in=list(full))
                .order_by("next_attempt_at", "id")
                .limit(200)
            )
            if not candidates:
                break
            wanted = (
                await Download.filter(transfer_id__in=[c.id for c in candidates], status__in=ACTIVE)
                .order_by("created_at", "id")
                .values("transfer_id", "user_id", "created_at")
            )
            first: dict[int, tuple[int, datetime]] = {}
            for item in wanted:
                first.setdefault(
                    int(item["transfer_id"]), (int(item["user_id"]), item["created_at"])
                )
            full_before = len(full)
            while free > 0:
                # Fair between people: whoever has the fewest transfers running goes next;
                # among equals, whoever asked first.
                ready = [c for c in candidates if c.id in first and c.station_id not in full]
                if not ready:
                    break
                pick = min(ready, key=lambda c: (load.get(first[c.id][0], 0), first[c.id][1], c.id))
                candidates.remove(pick)
                station = await pick.station
                slot = await self.stations.coordinator.try_take(
                    station.id, station.max_connections, download=True
                )
                if slot is None:  # every connection the station gives downloads is in use
                    full.add(station.id)
                    continue
                if not await self._claim(pick, slot, now):
                    continue
                owner = first[pick.id][0]
                load[owner] = load.get(owner, 0) + 1
                free -= 1
                started += 1
            if len(full) == full_before:
                break  # no station filled up: a new query would find the same transfers
        return started

    async def _claim(self, transfer: Transfer, slot: Slot, now: datetime) -> bool:
        claim = secrets.token_hex(8)
        claimed = await Transfer.filter(
            id=transfer.id, status=transfer.status, claim=transfer.claim
        ).update(
            status=TransferStatus.RUNNING,
            claim=claim,
            lease_until=now + timedelta(seconds=self.lease),
            updated_at=now,
        )
        if not claimed:
            await self.stations.coordinator.give(slot)
            return False
        owner = (
            await Download.filter(transfer_id=transfer.id, status__in=ACTIVE)
            .order_by("created_at")
            .first()
        )
        self._owners[transfer.id] = owner.user_id if owner is not None else 0
        task = asyncio.create_task(self._guarded(transfer.id, claim, slot))
        self._tasks[transfer.id] = task
        return True

    async def _guarded(self, transfer_id: int, claim: str, slot: Slot) -> None:
        try:
            await self._fetch(transfer_id, claim)
        except asyncio.CancelledError:
            # Stopping: the transfer stays "running" until its lease runs out, then any worker
            # (this one after a restart) resumes it from the partial file.
            await self._hand_back(transfer_id, claim)
            raise
        except Exception:
            log.exception("Transfer %s failed unexpectedly", transfer_id)
            await self._finish_failed(
                transfer_id, claim, "Something went wrong on our side; try again.", "internal_error"
            )
        finally:
            await self.stations.coordinator.give(slot)
            self._tasks.pop(transfer_id, None)
            self._owners.pop(transfer_id, None)
            self._receivers.pop(transfer_id, None)
            self._stopping.discard(transfer_id)
            self.wake()

    async def _hand_back(self, transfer_id: int, claim: str) -> None:
        """On shutdown: queue the transfer again at once, for the next start of any worker."""
        with contextlib.suppress(Exception):
            await asyncio.shield(
                Transfer.filter(id=transfer_id, claim=claim, status=TransferStatus.RUNNING).update(
                    status=TransferStatus.QUEUED,
                    claim="",
                    lease_until=None,
                    rate=0,
                    updated_at=utcnow(),
                )
            )

    # ---- one transfer --------------------------------------------------------------------

    async def _fetch(self, transfer_id: int, claim: str) -> None:
        transfer = await Transfer.get(id=transfer_id).select_related("station_file", "station")
        station_file = transfer.station_file
        path = self.store.part_path(part_key(transfer.id))
        if station_file.gone:
            await self._finish_failed(
                transfer_id, claim, "The station no longer has this file.", "station_file_gone"
            )
            return
        if (station_file.size, station_file.modified_at) != (transfer.size, transfer.modified_at):
            path.unlink(missing_ok=True)  # the file changed on the station: start over
            transfer.size, transfer.modified_at = station_file.size, station_file.modified_at
            await Transfer.filter(id=transfer.id, claim=claim).update(
                size=transfer.size, modified_at=transfer.modified_at, bytes_done=0
            )
        await self._downloads_running(transfer.id)
        offset = path.stat().st_size if path.exists() else 0
        if offset > transfer.size:
            offset = 0
        log.info(
            "Transfer %s: %s %s from station %s at %d of %d bytes",
            transfer.id,
            "resuming" if offset else "fetching",
            station_file.path,
            transfer.station_id,
            offset,
            transfer.size,
        )
        part = await self._fetch_into(transfer, claim, path, offset)
        if part is None:
            return
        await self._complete(transfer, claim, part)

    async def _downloads_running(self, transfer_id: int) -> None:
        rows = await Download.filter(transfer_id=transfer_id, status=DownloadStatus.QUEUED)
        await Download.filter(id__in=[r.id for r in rows], status=DownloadStatus.QUEUED).update(
            status=DownloadStatus.DOWNLOADING, error="", error_code="", updated_at=utcnow()
        )
        self.service.bus.publish(Event.downloads(r.user_id for r in rows))

    async def _fetch_into(
        self, transfer: Transfer, claim: str, path: Path, offset: int
    ) -> PartFile | None:
        """Receive the rest of the file into its part file; None when the transfer stopped,
        failed or will be retried (its state says which)."""
        target = self.stations.target(transfer.station)
        with (
            ThreadPoolExecutor(1, thread_name_prefix="ftpgram-write") as writer,
            ThreadPoolExecutor(1, thread_name_prefix="ftpgram-hash") as hasher,
        ):
            part = PartFile(path, offset)
            try:
                await asyncio.to_thread(part.open)

                def progress() -> int:  # `part` is a new one when the station cannot resume
                    receiver = self._receivers.get(transfer.id)
                    return receiver.position if receiver is not None else part.size

                ticker = asyncio.create_task(self._renew(transfer.id, claim, progress))
                try:
                    async with FtpSession.connect(target) as session:
                        if await self._replaced(session, transfer, part.size):
                            part = await _emptied(part)
                        if offset < transfer.size:
                            try:
                                await self._retrieve(session, transfer, part, (writer, hasher))
                            except FtpError as error:
                                if error.kind != "no_resume":
                                    raise
                                log.info(
                                    "Transfer %s: the station cannot resume; starting over",
                                    transfer.id,
                                )
                                part = await _emptied(part)
                                await Transfer.filter(id=transfer.id).update(restarted=True)
                                await self._retrieve(session, transfer, part, (writer, hasher))
                    if part.size < transfer.size:  # a clean end, but short: go on from there
                        raise FtpError(
                            "dropped",
                            f"The station ended the transfer after {part.size} of "
                            f"{transfer.size} bytes",
                        )
                    await asyncio.to_thread(part.finish)
                finally:
                    ticker.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await ticker
            except Stopped:
                return None
            except FtpError as error:
                await self._after_error(transfer, claim, part.size, error, offset)
                return None
            except WriteFailed as error:
                await self._finish_failed(
                    transfer.id,
                    claim,
                    f"Storage could not write the file ({error.strerror}). The part already "
                    "downloaded is kept: start it again when there is room.",
                    "write_failed",
                    bytes_done=part.size,
                )
                return None
            finally:
                part.close()
        return part

    async def _replaced(self, session: FtpSession, transfer: Transfer, kept: int) -> bool:
        """Whether the station's file is no longer the one the `kept` partial bytes came from
        (its MDTM changed: replaced, perhaps with one of the same size). Records the stamp the
        partial data now belongs to."""
        stamp = await session.stamp(transfer.station_file.remote_path)
        replaced = bool(kept and stamp and transfer.remote_stamp and stamp != transfer.remote_stamp)
        if replaced:
            log.info(
                "Transfer %s: the file changed on the station since it began; starting over",
                transfer.id,
            )
        if stamp != transfer.remote_stamp:
            await Transfer.filter(id=transfer.id).update(remote_stamp=stamp)
            transfer.remote_stamp = stamp
        return replaced

    async def _retrieve(
        self,
        session: FtpSession,
        transfer: Transfer,
        part: PartFile,
        pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
    ) -> None:
        if transfer.id in self._stopping:
            raise Stopped  # paused or stopped while connecting
        receiver = Receiver(part, pools)
        self._receivers[transfer.id] = receiver
        try:
            await session.retrieve(transfer.station_file.remote_path, receiver, offset=part.size)
        finally:
            self._receivers.pop(transfer.id, None)

    async def _renew(self, transfer_id: int, claim: str, progress: Callable[[], int]) -> None:
        """Every tick: record progress and speed, renew the lease, and stop the transfer when
        its row says it should not run any more (paused, stopped, taken over, deleted)."""
        loop = asyncio.get_running_loop()
        first = progress()
        try:
            await self._renewing(transfer_id, claim, progress, loop, first, loop.time())
        finally:
            metrics.bytes_received(progress() - first)

    async def _renewing(
        self,
        transfer_id: int,
        claim: str,
        progress: Callable[[], int],
        loop: asyncio.AbstractEventLoop,
        last_size: int,
        last_time: float,
    ) -> None:
        rate = 0.0
        while True:
            await asyncio.sleep(self.tick)
            now_time = loop.time()
            size = progress()
            if size < last_size:  # started over (the station cannot resume)
                last_size, rate = 0, 0.0
            current = (size - last_size) / max(now_time - last_time, 1e-6)
            rate = current if rate == 0 else 0.5 * rate + 0.5 * current
            last_size, last_time = size, now_time
            now = utcnow()
            try:
                still = await Transfer.filter(
                    id=transfer_id, claim=claim, status=TransferStatus.RUNNING
                ).update(
                    bytes_done=size,
                    rate=int(rate),
                    lease_until=now + timedelta(seconds=self.lease),
                    updated_at=now,
                )
            except Exception:
                log.warning("Could not record the progress of transfer %s", transfer_id)
                continue
            if not still:
                self.interrupt(transfer_id)
                return
            watchers = await Download.filter(transfer_id=transfer_id).values_list("user_id")
            self.service.bus.publish(Event.downloads(int(row[0]) for row in watchers))

    async def _after_error(
        self, transfer: Transfer, claim: str, size: int, error: FtpError, offset: int
    ) -> None:
        # Retries are counted from the last attempt that moved the file on: a link that keeps
        # dropping still gets every file through, one stretch at a time.
        attempts = 1 if size > offset else transfer.attempts + 1
        if not error.transient or attempts > self.retries:
            if error.kind == "not_found":
                message = "The station no longer has this file."
            elif error.transient:
                message = f"{error.message} (gave up after {attempts} attempts)."
            else:
                message = f"{error.message}."
            await self._finish_failed(transfer.id, claim, message, error.code, bytes_done=size)
            return
        delay = min(MAX_RETRY_WAIT, self.retry_delay * 2 ** (attempts - 1))
        now = utcnow()
        retried = await Transfer.filter(
            id=transfer.id, claim=claim, status=TransferStatus.RUNNING
        ).update(
            status=TransferStatus.QUEUED,
            claim="",
            lease_until=None,
            rate=0,
            attempts=attempts,
            bytes_done=size,
            error=error.message,
            error_code=error.code,
            next_attempt_at=now + timedelta(seconds=delay),
            updated_at=now,
        )
        if not retried:
            return
        log.info("Transfer %s: %s; retrying in %.0f s", transfer.id, error.message, delay)
        rows = await Download.filter(transfer_id=transfer.id, status__in=ACTIVE)
        await Download.filter(id__in=[r.id for r in rows], status__in=ACTIVE).update(
            status=DownloadStatus.QUEUED,
            error=f"{error.message}; retrying in {delay:.0f} s",
            error_code=error.code,
            updated_at=now,
        )
        self.service.bus.publish(Event.downloads(r.user_id for r in rows))

    async def _finish_failed(
        self, transfer_id: int, claim: str, message: str, code: str, *, bytes_done: int = 0
    ) -> None:
        now = utcnow()
        failed = await Transfer.filter(
            id=transfer_id, claim=claim, status=TransferStatus.RUNNING
        ).update(
            status=TransferStatus.FAILED,
            claim="",
            lease_until=None,
            rate=0,
            bytes_done=bytes_done,
            error=message,
            error_code=code,
            updated_at=now,
        )
        if failed:
            rows = await Download.filter(transfer_id=transfer_id, status__in=ACTIVE)
            await self.completion.fail([r.id for r in rows], message, code)

    async def _complete(self, transfer: Transfer, claim: str, part: PartFile) -> None:
        path = part.path
        if part.size > transfer.size:
            path.unlink(missing_ok=True)
            await self._finish_failed(
                transfer.id,
                claim,
                f"The file changed on the station while it was downloaded ({part.size} bytes "
                f"arrived, the listing said {transfer.size}); start it again.",
                "file_changed",
            )
            return
        sha256 = part.hasher.hexdigest()
        head = await asyncio.to_thread(read_head, path)
        now = utcnow()
        mine = await Transfer.filter(
            id=transfer.id, claim=claim, status=TransferStatus.RUNNING
        ).update(
            bytes_done=part.size, lease_until=now + timedelta(seconds=self.lease), updated_at=now
        )
        if not mine:
            return
        # Everyone waiting gets the file; the first one's reference moves the content in.
        for row in await Download.filter(transfer_id=transfer.id, status__in=ACTIVE).order_by(
            "created_at", "id"
        ):
            await self.completion.deliver(row, sha256, part.size, path, head)
        await Transfer.filter(id=transfer.id, claim=claim).update(
            status=TransferStatus.COMPLETED,
            sha256=sha256,
            claim="",
            lease_until=None,
            rate=0,
            attempts=0,
            error="",
            error_code="",
            updated_at=utcnow(),
        )
        # Whoever asked while the content was being stored.
        for row in await Download.filter(transfer_id=transfer.id, status__in=ACTIVE):
            with contextlib.suppress(NotFound):
                await self.completion.deliver(row, sha256, part.size, None, None)
        path.unlink(missing_ok=True)  # nobody could take it (quota): it is not kept

    # ---- keeping every state leavable ------------------------------------------------------

    async def reconcile(self) -> None:
        """Repair states that a crash or a removed station can leave behind, so that no download
        waits for something that will never happen."""
        now = utcnow()
        # Transfers queued, or running without a live worker, that nobody wants any more. One
        # whose worker is alive is left to it: between handing the file to its downloads and
        # marking itself completed, it is wanted by nobody, and idling it then would lose that.
        for transfer in await Transfer.filter(
            Q(status=TransferStatus.QUEUED) | Q(status=TransferStatus.RUNNING, lease_until__lt=now)
        ):
            if not await Download.filter(transfer_id=transfer.id, status__in=ACTIVE).exists():
                await self.completion.release(transfer.id)
        # Downloads whose transfer was removed with its station or file.
        orphans = await Download.filter(status__in=ACTIVE, transfer_id=None)
        await self.completion.fail(
            [r.id for r in orphans], "The station or its file was removed.", "station_file_gone"
        )
        # Downloads waiting on a transfer that is not going to run: queue it again.
        rows = await Download.filter(status__in=ACTIVE, transfer__status__in=TRANSFER_RESTING)
        for transfer_id in {r.transfer_id for r in rows}:
            await Transfer.filter(id=transfer_id, status__in=TRANSFER_RESTING).update(
                status=TransferStatus.QUEUED, attempts=0, next_attempt_at=now, updated_at=now
            )
        # Partial data of transfers that are gone (their station or file was removed).
        keys = {key for key in self.store.part_keys() if key.startswith("transfer-")}
        if keys:
            known = {
                part_key(t.id)
                for t in await Transfer.filter(
                    id__in=[int(k.removeprefix("transfer-")) for k in keys if k[9:].isdigit()]
                )
            }
            for key in keys - known:
                self.store.part_path(key).unlink(missing_ok=True)
        # Downloads of content that is already stored.
        rows = await Download.filter(status__in=ACTIVE, transfer__status=TransferStatus.COMPLETED)
        for row in rows:
            transfer = await Transfer.get(id=row.transfer_id)
            if not await self.completion.deliver_stored(transfer, row.id):
                await Transfer.filter(id=transfer.id, status=TransferStatus.COMPLETED).update(
                    status=TransferStatus.QUEUED, sha256=None, bytes_done=0, next_attempt_at=now
                )
        if rows:
            self.wake()
