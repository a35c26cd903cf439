"""Downloads: station files fetched into storage, paused, resumed, stopped and removed.

Two tables keep the state, so a restart loses nothing:
- `Download` is a person's request for a station file and its status: queued → downloading →
  completed, or paused, failed (with a reason, can be started again), cancelled.
- `Transfer` is the fetch of one station file's content, shared by everyone who asked for it:
  two people, one file, one transfer. Its partial data lives in the blob store's part file.

`DownloadWorker` claims queued transfers (a guarded UPDATE and a lease renewed every second, so
several processes can share the queue and a dead worker's transfer is picked up again), runs at
most `concurrency` at once and at most a station's `max_connections` per station (the slot is
shared with polling), fairly between people, and retries connection losses with a growing wait,
resuming from the last byte written. On completion: size checked against the listing, SHA-256
taken while streaming, the part file moved into content-addressed storage, the database
committed — in that order; then every person waiting gets a file referring to that content.

Pausing or stopping a download stops its transfer only when nobody else still wants it; the
running worker notices within a second (its lease renewal finds the transfer changed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from services.accounts.users import UserService, UserView
from services.core.errors import Conflict, Forbidden, InvalidInput, NotFound, QuotaExceeded
from services.core.models import (
    DOWNLOAD_HOLDING,
    Download,
    DownloadBoard,
    Station,
    StationFile,
    Transfer,
)
from services.downloads.ports import DownloadNotifier
from services.ftp.client import FtpError, FtpSession
from services.ftp.transfer import PartFile, Receiver, WriteFailed
from services.stations.service import StationService
from services.storage.files import FileService, Held, clean_name, read_head
from services.storage.store import BlobStore, quota_error

log = logging.getLogger(__name__)

STATUSES = ("queued", "downloading", "paused", "completed", "failed", "cancelled")
ACTIVE = ("queued", "downloading")  # someone wants the transfer to run
HOLDING = DOWNLOAD_HOLDING  # someone may still want the partial data
FINISHED = ("completed", "failed", "cancelled")
MAX_RETRY_WAIT = 600.0


async def _emptied(part: PartFile) -> PartFile:
    """The partial file closed and opened again empty: the transfer starts over."""
    part.close()
    fresh = PartFile(part.path, 0)
    await asyncio.to_thread(fresh.open)
    return fresh


class Stopped(Exception):
    """A running transfer was paused, stopped or taken over: leave its state to whoever did."""


@dataclass(frozen=True)
class DownloadView:
    id: int
    user_id: int
    station_file_id: int | None
    station_name: str
    path: str
    name: str
    size: int
    status: str
    bytes_done: int
    percent: float
    speed: int  # bytes per second while downloading, else 0
    eta: int | None  # seconds left, when it can be told
    error: str
    error_code: str
    restarted: bool  # the station could not resume: the transfer started over
    file_id: int | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, row: Download, transfer: Transfer | None) -> DownloadView:
        if row.status == "completed":
            done = row.size
        elif transfer is not None and row.status != "cancelled":
            done = min(transfer.bytes_done, row.size)
        else:
            done = 0
        speed = transfer.rate if transfer is not None and row.status == "downloading" else 0
        left = row.size - done
        return cls(
            id=row.id,
            user_id=row.user_id,
            station_file_id=row.station_file_id,
            station_name=row.station_name,
            path=row.path,
            name=row.name,
            size=row.size,
            status=row.status,
            bytes_done=done,
            percent=round(100.0 * done / row.size, 1) if row.size else 100.0,
            speed=speed,
            eta=int(left / speed) if speed > 0 else (0 if left == 0 else None),
            error=row.error,
            error_code=row.error_code,
            restarted=bool(transfer is not None and transfer.restarted),
            file_id=row.file_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            finished_at=row.finished_at,
        )


@dataclass(frozen=True)
class DownloadPage:
    items: list[DownloadView]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class DownloadFilter:
    status: str | None = None  # one of STATUSES, or "active" (queued, downloading, paused)
    station_id: int | None = None
    name: str | None = None


@dataclass(frozen=True)
class Board:
    """A chat's live downloads message, due for an edit."""

    id: int
    user_id: int
    message_id: int
    page: int
    digest: str
    claimed_at: datetime  # render the page after this; pass it to `board_shown`


class DownloadEvents:
    """In-process wake-ups for live views: `changed(user)` after a state change. The database
    stays the source of truth: watchers re-read it when woken and at least every second, so a
    change made by another process shows within a second too."""

    def __init__(self) -> None:
        self._watchers: dict[int, set[asyncio.Event]] = {}

    def changed(self, user_ids: Iterable[int]) -> None:
        for user_id in set(user_ids):
            for event in self._watchers.get(user_id, ()):
                event.set()

    @contextlib.contextmanager
    def watch(self, user_id: int) -> Iterator[asyncio.Event]:
        event = asyncio.Event()
        self._watchers.setdefault(user_id, set()).add(event)
        try:
            yield event
        finally:
            watchers = self._watchers.get(user_id, set())
            watchers.discard(event)
            if not watchers:
                self._watchers.pop(user_id, None)


def _now() -> datetime:
    return datetime.now(UTC)


class DownloadService:
    def __init__(
        self,
        *,
        files: FileService,
        stations: StationService,
        users: UserService,
        notifier: DownloadNotifier,
        store: BlobStore,
    ) -> None:
        self.files = files
        self.stations = stations
        self.users = users
        self.notifier = notifier
        self.store = store
        self.events = DownloadEvents()
        # Set by the worker: look at the queue now; stop a transfer running in this process.
        self.on_wake: Callable[[], None] | None = None
        self.on_stop: Callable[[int], None] | None = None

    # ---- views ---------------------------------------------------------------------------

    async def _views(self, rows: list[Download]) -> list[DownloadView]:
        ids = {r.transfer_id for r in rows if r.transfer_id is not None}
        transfers = {t.id: t for t in await Transfer.filter(id__in=ids)} if ids else {}
        return [
            DownloadView.of(r, transfers.get(r.transfer_id) if r.transfer_id else None)
            for r in rows
        ]

    async def _view(self, row: Download) -> DownloadView:
        return (await self._views([row]))[0]

    async def _own(self, user: UserView, download_id: int) -> Download:
        row = await Download.get_or_none(id=download_id)
        if row is None or (row.user_id != user.id and not user.is_admin):
            raise NotFound("There is no such download.", code="unknown_download")
        return row

    async def get(self, user: UserView, download_id: int) -> DownloadView:
        return await self._view(await self._own(user, download_id))

    async def snapshot(self, user_id: int, download_id: int | None = None) -> list[DownloadView]:
        """A user's downloads (or one of them) as the database has them now, newest first."""
        query = Download.filter(user_id=user_id)
        if download_id is not None:
            query = query.filter(id=download_id)
        return await self._views(await query.order_by("-created_at", "-id"))

    async def list_downloads(
        self,
        user: UserView,
        where: DownloadFilter,
        *,
        page: int = 1,
        per_page: int = 20,
        user_id: int | None = None,
    ) -> DownloadPage:
        owner = user.id if user_id is None else user_id
        if owner != user.id and not user.is_admin:
            raise Forbidden(
                "Only administrators may see another user's downloads.", code="admin_only"
            )
        query = Download.filter(user_id=owner)
        if where.status == "active":
            query = query.filter(status__in=HOLDING)
        elif where.status:
            if where.status not in STATUSES:
                raise InvalidInput(
                    "Unknown status.", fields={"status": "|".join((*STATUSES, "active"))}
                )
            query = query.filter(status=where.status)
        if where.station_id is not None:
            query = query.filter(station_file__station_id=where.station_id)
        if where.name:
            query = query.filter(name__icontains=where.name)
        total = await query.count()
        rows = (
            await query.order_by("-created_at", "-id").offset((page - 1) * per_page).limit(per_page)
        )
        return DownloadPage(await self._views(rows), page, per_page, total)

    async def counts(self, user_id: int) -> dict[str, int]:
        rows = await Download.filter(user_id=user_id).values_list("status", flat=True)
        counts = dict.fromkeys(STATUSES, 0)
        for status in rows:
            counts[str(status)] += 1
        return counts

    # ---- requests ------------------------------------------------------------------------

    async def request(self, user: UserView, station_file_id: int) -> tuple[DownloadView, bool]:
        """Download a station file: a new download (True), or the user's existing one for that
        file (False; started again when it was paused, failed or cancelled)."""
        station_file = await StationFile.get_or_none(id=station_file_id).select_related("station")
        if station_file is None or station_file.gone:
            raise NotFound("The station no longer has this file.", code="unknown_station_file")
        if not station_file.station.enabled:
            raise Conflict("The station is switched off.", code="station_disabled")
        if not station_file.stable:
            raise Conflict(
                "The file is still being written on the station; it can be downloaded once "
                "it is announced.",
                code="file_not_ready",
            )
        row = await Download.get_or_none(user_id=user.id, station_file_id=station_file.id)
        if row is not None and row.status in ACTIVE:
            return await self._view(row), False
        if row is not None and row.status == "completed" and row.file_id is not None:
            return await self._view(row), False
        if row is None:
            now = _now()
            try:
                row = await Download.create(
                    user_id=user.id,
                    station_file_id=station_file.id,
                    station_name=station_file.station.name,
                    path=station_file.path,
                    name=clean_name(station_file.path),
                    size=station_file.size,
                    status="paused",  # until attached below
                    created_at=now,
                    updated_at=now,
                )
            except IntegrityError:  # the same request twice at once
                row = await Download.get(user_id=user.id, station_file_id=station_file.id)
                return await self._view(row), False
            try:
                return await self._start(user, row, station_file), True
            except QuotaExceeded:
                await Download.filter(id=row.id).delete()  # refused: nothing asked for
                raise
        return await self._start(user, row, station_file), False

    async def _reserve(self, user: UserView, row: Download, size: int) -> None:
        """The download holds its size against the quota, checked beside every other
        reservation, also those made at the same moment: of two racing requests one may be
        refused, never both let through. A refused one holds nothing."""
        holding = row.status in HOLDING
        if not holding:
            await Download.filter(id=row.id, status=row.status).update(status="paused")
        free = await self.users.free(user, except_download=row.id)
        if size <= free:
            return
        if not holding:
            await Download.filter(id=row.id, status="paused").update(status=row.status)
        raise quota_error(free)(size)

    async def _start(
        self,
        user: UserView,
        row: Download,
        station_file: StationFile | None = None,
    ) -> DownloadView:
        if station_file is None:
            if row.station_file_id is None:
                raise Conflict(
                    "The station or its file was removed; this download cannot start again.",
                    code="station_file_gone",
                )
            station_file = await StationFile.get(id=row.station_file_id).select_related("station")
        if station_file.gone:
            raise Conflict("The station no longer has this file.", code="station_file_gone")
        await self._reserve(user, row, station_file.size)
        now = _now()
        ready: Transfer | None = None
        async with in_transaction():
            transfer = await self._transfer_for(station_file, now)
            if transfer.status == "completed":
                ready = transfer
            elif transfer.status not in ("queued", "running"):
                await Transfer.filter(id=transfer.id).update(
                    status="queued",
                    attempts=0,
                    next_attempt_at=now,
                    error="",
                    error_code="",
                    updated_at=now,
                )
            await Download.filter(id=row.id).update(
                transfer_id=transfer.id,
                status="downloading" if transfer.status == "running" else "queued",
                size=station_file.size,
                error="",
                error_code="",
                file_id=None,
                finished_at=None,
                updated_at=now,
            )
        if ready is not None and not await self._deliver_stored(ready, row.id):
            # The content was deleted since: fetch it again.
            await Transfer.filter(id=ready.id, status="completed").update(
                status="queued", sha256=None, bytes_done=0, next_attempt_at=now, updated_at=now
            )
        self._wake()
        self.events.changed([row.user_id])
        return await self._view(await Download.get(id=row.id))

    async def _transfer_for(self, station_file: StationFile, now: datetime) -> Transfer:
        """The transfer of this station file, made to match the file as listed now."""
        transfer = await Transfer.get_or_none(station_file_id=station_file.id)
        if transfer is None:
            try:
                async with in_transaction():
                    return await Transfer.create(
                        station_file_id=station_file.id,
                        station_id=station_file.station_id,
                        status="queued",
                        size=station_file.size,
                        modified_at=station_file.modified_at,
                        next_attempt_at=now,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:
                transfer = await Transfer.get(station_file_id=station_file.id)
        changed = (transfer.size, transfer.modified_at) != (
            station_file.size,
            station_file.modified_at,
        )
        if changed and transfer.status != "running":
            # The file changed on the station since: what we have of it is worthless.
            self.store.part_path(part_key(transfer.id)).unlink(missing_ok=True)
            await Transfer.filter(id=transfer.id).update(
                status="queued",
                size=station_file.size,
                modified_at=station_file.modified_at,
                bytes_done=0,
                sha256=None,
                restarted=False,
                next_attempt_at=now,
                updated_at=now,
            )
            transfer = await Transfer.get(id=transfer.id)
        return transfer

    async def _deliver_stored(self, transfer: Transfer, download_id: int) -> bool:
        """Complete a download from content already in storage; False when it is not there."""
        assert transfer.sha256 is not None
        download = await Download.get(id=download_id)
        try:
            await self._deliver(download, transfer.sha256, transfer.size, None, None)
        except NotFound:
            return False
        return True

    async def pause(self, user: UserView, download_id: int) -> DownloadView:
        row = await self._own(user, download_id)
        if row.status == "paused":
            return await self._view(row)
        if row.status not in ACTIVE:
            raise Conflict("Only a queued or running download can be paused.", code="not_active")
        await self._set(row, "paused")
        return await self._view(await Download.get(id=row.id))

    async def start(self, user: UserView, download_id: int) -> DownloadView:
        row = await self._own(user, download_id)
        if row.status in ACTIVE:
            return await self._view(row)
        if row.status == "completed" and row.file_id is not None:
            raise Conflict("This file is downloaded already.", code="already_downloaded")
        owner = user if row.user_id == user.id else await self.users.get(row.user_id)
        return await self._start(owner, row)

    async def down(self, user: UserView, download_id: int) -> DownloadView:
        """Stop a download and delete what it fetched: the partial data (unless someone else
        still wants it) or the finished file."""
        row = await self._own(user, download_id)
        if row.file_id is not None:
            await self._delete_file(row)
        await self._set(row, "cancelled")
        return await self._view(await Download.get(id=row.id))

    async def remove(self, user: UserView, download_id: int) -> None:
        """Delete a finished download from the list, with its file (the content goes when
        nobody refers to it any more)."""
        row = await self._own(user, download_id)
        if row.status in HOLDING:
            raise Conflict(
                "This download has not finished; stop it first (down).", code="download_active"
            )
        if row.file_id is not None:
            await self._delete_file(row)
        await Download.filter(id=row.id).delete()
        await self._release(row.transfer_id)
        self.events.changed([row.user_id])

    async def _delete_file(self, row: Download) -> None:
        assert row.file_id is not None
        owner = await self.users.get(row.user_id)
        with contextlib.suppress(NotFound):  # deleted from the files list already
            await self.files.delete(owner, row.file_id)

    async def _set(self, row: Download, status: str) -> None:
        """Pause or cancel a download; its transfer stops when nobody else wants it."""
        now = _now()
        changes: dict[str, Any] = {"status": status, "updated_at": now}
        if status == "cancelled":
            changes.update(file_id=None, transfer_id=None, error="", error_code="", finished_at=now)
        await Download.filter(id=row.id).update(**changes)
        await self._release(row.transfer_id)
        self.events.changed([row.user_id])

    async def _release(self, transfer_id: int | None) -> None:
        """After a download let go of a transfer: stop it when nobody wants it to run, and drop
        its partial data when nobody may want it any more."""
        if transfer_id is None:
            return
        now = _now()
        wanted = await Download.filter(transfer_id=transfer_id, status__in=ACTIVE).exists()
        if not wanted:
            stopped = await Transfer.filter(
                id=transfer_id, status__in=("queued", "running")
            ).update(status="idle", claim="", lease_until=None, rate=0, updated_at=now)
            if stopped and self.on_stop is not None:
                self.on_stop(transfer_id)
        if not await Download.filter(transfer_id=transfer_id, status__in=HOLDING).exists():
            dropped = await Transfer.filter(id=transfer_id, status__in=("idle", "failed")).update(
                bytes_done=0, restarted=False, updated_at=now
            )
            if dropped:
                self.store.part_path(part_key(transfer_id)).unlink(missing_ok=True)

    def _wake(self) -> None:
        if self.on_wake is not None:
            self.on_wake()

    # ---- completing ----------------------------------------------------------------------

    async def _deliver(
        self,
        row: Download,
        sha256: str,
        size: int,
        path: Path | None,
        head: bytes | None,
    ) -> None:
        """Give the download's owner a file with the content (moved in from `path` if it is not
        stored yet). Raises NotFound when there is no `path` and the content is not stored."""
        owner = await self.users.get(row.user_id)
        now = _now()
        try:
            upload = await self.files.add_content(
                owner,
                path,
                size,
                sha256,
                row.name,
                "station",
                head=head,
                held=Held(download=row.id),
            )
        except QuotaExceeded as error:
            await self._fail_downloads([row.id], error.message, error.code)
            return
        completed = await Download.filter(id=row.id, status__in=HOLDING).update(
            status="completed",
            file_id=upload.file.id,
            error="",
            error_code="",
            finished_at=now,
            updated_at=now,
        )
        if not completed:  # stopped while the file was being stored
            if upload.created:
                await self.files.delete(owner, upload.file.id)
            return
        self.events.changed([row.user_id])
        view = await self._view(await Download.get(id=row.id))
        with contextlib.suppress(Exception):
            await self.notifier.download_finished(owner, view)

    async def _fail_downloads(self, ids: list[int], message: str, code: str) -> None:
        if not ids:
            return
        now = _now()
        rows = await Download.filter(id__in=ids, status__in=ACTIVE)
        await Download.filter(id__in=[r.id for r in rows], status__in=ACTIVE).update(
            status="failed", error=message, error_code=code, finished_at=now, updated_at=now
        )
        self.events.changed(r.user_id for r in rows)
        for view in await self._views(await Download.filter(id__in=[r.id for r in rows])):
            owner = await self.users.get(view.user_id)
            with contextlib.suppress(Exception):
                await self.notifier.download_failed(owner, view)

    # ---- the chat's live message -----------------------------------------------------------

    async def set_board(self, user_id: int, message_id: int, page: int, digest: str) -> None:
        """Make `message_id` the chat's live downloads message (replacing an earlier one)."""
        now = _now()
        updated = await DownloadBoard.filter(user_id=user_id).update(
            message_id=message_id, page=page, digest=digest, updated_at=now, next_edit_at=now
        )
        if not updated:
            with contextlib.suppress(IntegrityError):
                await DownloadBoard.create(
                    user_id=user_id,
                    message_id=message_id,
                    page=page,
                    digest=digest,
                    updated_at=now,
                    next_edit_at=now,
                )

    async def boards_due(self, interval: float) -> list[Board]:
        """Claim the live messages due for a look, at most one claim per `interval` seconds,
        each claimed by one process only; boards of people with nothing moving are left."""
        now = _now()
        rows = await DownloadBoard.filter(next_edit_at__lte=now)
        if not rows:
            return []
        users = [r.user_id for r in rows]
        latest: dict[int, datetime] = {
            int(item["user_id"]): item["last"]
            for item in await Download.filter(user_id__in=users)
            .annotate(last=Max("updated_at"))
            .group_by("user_id")
            .values("user_id", "last")
        }
        moving = {d.user_id for d in await Download.filter(user_id__in=users, status__in=ACTIVE)}
        due: list[Board] = []
        for row in rows:
            last = latest.get(row.user_id)
            if row.user_id not in moving and (last is None or last <= row.updated_at):
                continue  # nothing moves, and the last change is shown already
            claimed = await DownloadBoard.filter(id=row.id, next_edit_at=row.next_edit_at).update(
                next_edit_at=now + timedelta(seconds=interval)
            )
            if claimed:
                due.append(
                    Board(row.id, row.user_id, int(row.message_id), row.page, row.digest, now)
                )
        return due

    async def board_shown(self, board_id: int, digest: str, *, as_of: datetime) -> None:
        """The board shows `digest`, rendered from the state at `as_of` (its claim time): a
        change after that time still counts as not shown."""
        await DownloadBoard.filter(id=board_id).update(digest=digest, updated_at=as_of)

    async def board_later(self, board_id: int, seconds: float) -> None:
        """Telegram asked to wait (`retry_after`): look at the board again after that."""
        await DownloadBoard.filter(id=board_id).update(
            next_edit_at=_now() + timedelta(seconds=seconds)
        )

    async def drop_board(self, board_id: int) -> None:
        await DownloadBoard.filter(id=board_id).delete()


def part_key(transfer_id: int) -> str:
    return f"transfer-{transfer_id}"


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
        self._stations: dict[int, int] = {}  # running transfer -> its station
        self._receivers: dict[int, Receiver] = {}
        # Running transfers told to stop before their data connection was open (while
        # connecting or logging in): they stop as soon as it would open.
        self._stopping: set[int] = set()
        self._loop_task: asyncio.Task[None] | None = None
        self._last_reconcile = 0.0
        service.on_wake = self.wake
        service.on_stop = self.interrupt

    # ---- the loop ------------------------------------------------------------------------

    def start(self) -> None:
        self._loop_task = asyncio.create_task(self._run(), name="downloads")

    async def stop(self) -> None:
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
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.tick)

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
            now = _now()
            candidates = (
                await Transfer.filter(
                    Q(status="queued", next_attempt_at__lte=now)
                    | Q(status="running", lease_until__lt=now)
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
                if self._station_full(station):
                    full.add(station.id)
                    continue
                if not await self._claim(pick, station, now):
                    continue
                owner = first[pick.id][0]
                load[owner] = load.get(owner, 0) + 1
                free -= 1
                started += 1
            if len(full) == full_before:
                break  # no station filled up: a new query would find the same transfers
        return started

    def _station_full(self, station: Station) -> bool:
        # Downloads leave one of the station's connections to polling (when it allows two or
        # more), so a long download never holds up announcements.
        mine = sum(1 for s in self._stations.values() if s == station.id)
        if mine >= max(1, station.max_connections - 1):
            return True
        # Every connection to the station is in use (polls wait there too).
        return self.stations.gates.gate(station.id, station.max_connections).locked()

    async def _claim(self, transfer: Transfer, station: Station, now: datetime) -> bool:
        gate = self.stations.gates.gate(station.id, station.max_connections)
        await gate.acquire()
        claim = secrets.token_hex(8)
        claimed = await Transfer.filter(
            id=transfer.id, status=transfer.status, claim=transfer.claim
        ).update(
            status="running",
            claim=claim,
            lease_until=now + timedelta(seconds=self.lease),
            updated_at=now,
        )
        if not claimed:
            gate.release()
            return False
        owner = (
            await Download.filter(transfer_id=transfer.id, status__in=ACTIVE)
            .order_by("created_at")
            .first()
        )
        self._owners[transfer.id] = owner.user_id if owner is not None else 0
        self._stations[transfer.id] = station.id
        task = asyncio.create_task(self._guarded(transfer.id, claim, gate))
        self._tasks[transfer.id] = task
        return True

    async def _guarded(self, transfer_id: int, claim: str, gate: asyncio.Semaphore) -> None:
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
            gate.release()
            self._tasks.pop(transfer_id, None)
            self._owners.pop(transfer_id, None)
            self._stations.pop(transfer_id, None)
            self._receivers.pop(transfer_id, None)
            self._stopping.discard(transfer_id)
            self.wake()

    async def _hand_back(self, transfer_id: int, claim: str) -> None:
        """On shutdown: queue the transfer again at once, for the next start of any worker."""
        with contextlib.suppress(Exception):
            await asyncio.shield(
                Transfer.filter(id=transfer_id, claim=claim, status="running").update(
                    status="queued", claim="", lease_until=None, rate=0, updated_at=_now()
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
        rows = await Download.filter(transfer_id=transfer_id, status="queued")
        await Download.filter(id__in=[r.id for r in rows], status="queued").update(
            status="downloading", error="", error_code="", updated_at=_now()
        )
        self.service.events.changed(r.user_id for r in rows)

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
        last_size, last_time, rate = progress(), loop.time(), 0.0
        while True:
            await asyncio.sleep(self.tick)
            now_time = loop.time()
            size = progress()
            if size < last_size:  # started over (the station cannot resume)
                last_size, rate = 0, 0.0
            current = (size - last_size) / max(now_time - last_time, 1e-6)
            rate = current if rate == 0 else 0.5 * rate + 0.5 * current
            last_size, last_time = size, now_time
            now = _now()
            try:
                still = await Transfer.filter(id=transfer_id, claim=claim, status="running").update(
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
        wait = min(MAX_RETRY_WAIT, self.retry_delay * 2 ** (attempts - 1))
        now = _now()
        retried = await Transfer.filter(id=transfer.id, claim=claim, status="running").update(
            status="queued",
            claim="",
            lease_until=None,
            rate=0,
            attempts=attempts,
            bytes_done=size,
            error=error.message,
            error_code=error.code,
            next_attempt_at=now + timedelta(seconds=wait),
            updated_at=now,
        )
        if not retried:
            return
        log.info("Transfer %s: %s; retrying in %.0f s", transfer.id, error.message, wait)
        rows = await Download.filter(transfer_id=transfer.id, status__in=ACTIVE)
        await Download.filter(id__in=[r.id for r in rows], status__in=ACTIVE).update(
            status="queued",
            error=f"{error.message}; retrying in {wait:.0f} s",
            error_code=error.code,
            updated_at=now,
        )
        self.service.events.changed(r.user_id for r in rows)

    async def _finish_failed(
        self, transfer_id: int, claim: str, message: str, code: str, *, bytes_done: int = 0
    ) -> None:
        now = _now()
        failed = await Transfer.filter(id=transfer_id, claim=claim, status="running").update(
            status="failed",
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
            await self.service._fail_downloads([r.id for r in rows], message, code)

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
        now = _now()
        mine = await Transfer.filter(id=transfer.id, claim=claim, status="running").update(
            bytes_done=part.size, lease_until=now + timedelta(seconds=self.lease), updated_at=now
        )
        if not mine:
            return
        # Everyone waiting gets the file; the first one's reference moves the content in.
        for row in await Download.filter(transfer_id=transfer.id, status__in=ACTIVE).order_by(
            "created_at", "id"
        ):
            await self.service._deliver(row, sha256, part.size, path, head)
        await Transfer.filter(id=transfer.id, claim=claim).update(
            status="completed",
            sha256=sha256,
            claim="",
            lease_until=None,
            rate=0,
            attempts=0,
            error="",
            error_code="",
            updated_at=_now(),
        )
        # Whoever asked while the content was being stored.
        for row in await Download.filter(transfer_id=transfer.id, status__in=ACTIVE):
            with contextlib.suppress(NotFound):
                await self.service._deliver(row, sha256, part.size, None, None)
        path.unlink(missing_ok=True)  # nobody could take it (quota): it is not kept

    # ---- keeping every state leavable ------------------------------------------------------

    async def reconcile(self) -> None:
        """Repair states that a crash or a removed station can leave behind, so that no download
        waits for something that will never happen."""
        now = _now()
        # Transfers queued or running that nobody wants any more.
        for transfer in await Transfer.filter(status__in=("queued", "running")):
            if not await Download.filter(transfer_id=transfer.id, status__in=ACTIVE).exists():
                await self.service._release(transfer.id)
        # Downloads whose transfer was removed with its station or file.
        orphans = await Download.filter(status__in=ACTIVE, transfer_id=None)
        await self.service._fail_downloads(
            [r.id for r in orphans], "The station or its file was removed.", "station_file_gone"
        )
        # Downloads waiting on a transfer that is not going to run: queue it again.
        rows = await Download.filter(status__in=ACTIVE, transfer__status__in=("idle", "failed"))
        for transfer_id in {r.transfer_id for r in rows}:
            await Transfer.filter(id=transfer_id, status__in=("idle", "failed")).update(
                status="queued", attempts=0, next_attempt_at=now, updated_at=now
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
        rows = await Download.filter(status__in=ACTIVE, transfer__status="completed")
        for row in rows:
            transfer = await Transfer.get(id=row.transfer_id)
            if not await self.service._deliver_stored(transfer, row.id):
                await Transfer.filter(id=transfer.id, status="completed").update(
                    status="queued", sha256=None, bytes_done=0, next_attempt_at=now
                )
        if rows:
            self.wake()
