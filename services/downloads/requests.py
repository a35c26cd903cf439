"""Downloads: station files fetched into storage, paused, resumed, stopped and removed.

The worker (`worker.py`) runs the transfers; `completion.py` ends them."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from services.accounts.users import UserView
from services.core.errors import Conflict, Forbidden, InvalidInput, NotFound, QuotaExceeded
from services.core.events import Event, Topic
from services.core.models import (
    Download,
    DownloadStatus,
    StationFile,
    Transfer,
    TransferStatus,
)
from services.downloads.completion import Completion
from services.downloads.views import (
    ACTIVE,
    ACTIVE_FILTER,
    HOLDING,
    STATUSES,
    TRANSFER_LIVE,
    DownloadFilter,
    DownloadPage,
    DownloadView,
    part_key,
    utcnow,
    view_of,
    views_of,
)
from services.passes.service import PassService
from services.stations.service import StationService
from services.storage.files import clean_name
from services.storage.store import quota_error

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassRequest:
    """What asking for a whole pass did: the downloads of its files (new and existing), how
    many are new, and whether some file did not fit the quota."""

    downloads: list[DownloadView]
    new: int
    refused: int


class DownloadService:
    """The rules of downloads as people use them: ask for a station file, list, pause, start,
    stop (deleting what was fetched) and remove."""

    def __init__(
        self, *, stations: StationService, passes: PassService, completion: Completion
    ) -> None:
        self.stations = stations
        self.passes = passes
        self.completion = completion
        # The people, files, disk and bus the downloads end in: the completion's own.
        self.users = completion.users
        self.files = completion.files
        self.store = completion.store
        self.bus = completion.bus

    # ---- views ---------------------------------------------------------------------------

    async def _own(self, user: UserView, download_id: int) -> Download:
        row = await Download.get_or_none(id=download_id)
        if row is None or (row.user_id != user.id and not user.is_admin):
            raise NotFound("There is no such download.", code="unknown_download")
        return row

    async def get(self, user: UserView, download_id: int) -> DownloadView:
        return await view_of(await self._own(user, download_id))

    async def snapshot(self, user_id: int, download_id: int | None = None) -> list[DownloadView]:
        """A user's downloads (or one of them) as the database has them now, newest first."""
        query = Download.filter(user_id=user_id)
        if download_id is not None:
            query = query.filter(id=download_id)
        return await views_of(await query.order_by("-created_at", "-id"))

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
        if where.status == ACTIVE_FILTER:
            query = query.filter(status__in=HOLDING)
        elif where.status:
            if where.status not in STATUSES:
                raise InvalidInput(
                    "Unknown status.", fields={"status": "|".join((*STATUSES, ACTIVE_FILTER))}
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
        return DownloadPage(await views_of(rows), page, per_page, total)

    async def counts(self, user_id: int) -> dict[str, int]:
        rows = await Download.filter(user_id=user_id).values_list("status", flat=True)
        counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
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
            return await view_of(row), False
        if row is not None and row.status == DownloadStatus.COMPLETED and row.file_id is not None:
            return await view_of(row), False
        if row is None:
            try:
                row = await self._create(user, station_file)
            except IntegrityError:  # the same request twice at once
                row = await Download.get(user_id=user.id, station_file_id=station_file.id)
                return await view_of(row), False
            try:
                return await self._start(user, row, station_file), True
            except QuotaExceeded:
                await Download.filter(id=row.id).delete()  # refused: nothing asked for
                raise
        return await self._start(user, row, station_file), False

    async def request_pass(self, user: UserView, pass_id: int) -> PassRequest:
        """Download every file of a pass now available: one download per file, as `request`
        would make them. Files that do not fit the quota are left out (and counted); when none
        fits, QuotaExceeded."""
        views: list[DownloadView] = []
        new = refused = 0
        first_refusal: QuotaExceeded | None = None
        for station_file_id in await self.passes.file_ids(user, pass_id):
            try:
                view, created = await self.request(user, station_file_id)
            except QuotaExceeded as error:
                first_refusal, refused = first_refusal or error, refused + 1
                continue
            except (NotFound, Conflict):
                continue  # gone or changed since the pass was read: nothing to fetch
            views.append(view)
            new += created
        if first_refusal is not None and not views:
            raise first_refusal
        return PassRequest(views, new, refused)

    async def _create(self, user: UserView, station_file: StationFile) -> Download:
        """A new download holding the file's size, made and checked under the user's space
        lock: a download finishing meanwhile never sees a reservation that is about to be
        refused (and gone)."""
        now = utcnow()
        async with self.users.space_lock(user.id):
            row = await Download.create(
                user_id=user.id,
                station_file_id=station_file.id,
                station_name=station_file.station.name,
                path=station_file.path,
                name=clean_name(station_file.path),
                size=station_file.size,
                status=DownloadStatus.PAUSED,  # until attached by _start
                created_at=now,
                updated_at=now,
            )
            free = await self.users.free(user, except_download=row.id)
            if station_file.size > free:
                raise quota_error(free)(station_file.size)  # rolls the row back
        return row

    async def _reserve(self, user: UserView, row: Download, size: int) -> None:
        """The download holds its size against the quota, checked beside every other
        reservation under the user's space lock: of two racing requests one may be refused,
        never both let through, and a refused one holds nothing, even for a moment."""
        async with self.users.space_lock(user.id):
            if row.status not in HOLDING:
                await Download.filter(id=row.id, status=row.status).update(
                    status=DownloadStatus.PAUSED
                )
            free = await self.users.free(user, except_download=row.id)
            if size > free:
                raise quota_error(free)(size)  # rolls the change back

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
        now = utcnow()
        ready: Transfer | None = None
        async with in_transaction():
            transfer = await self._transfer_for(station_file, now)
            if transfer.status == TransferStatus.COMPLETED:
                ready = transfer
            elif transfer.status not in TRANSFER_LIVE:
                await Transfer.filter(id=transfer.id).update(
                    status=TransferStatus.QUEUED,
                    attempts=0,
                    next_attempt_at=now,
                    error="",
                    error_code="",
                    updated_at=now,
                )
            await Download.filter(id=row.id).update(
                transfer_id=transfer.id,
                status=(
                    DownloadStatus.DOWNLOADING
                    if transfer.status == TransferStatus.RUNNING
                    else DownloadStatus.QUEUED
                ),
                size=station_file.size,
                error="",
                error_code="",
                file_id=None,
                finished_at=None,
                updated_at=now,
            )
        if ready is not None and not await self.completion.deliver_stored(ready, row.id):
            # The content was deleted since: fetch it again.
            await Transfer.filter(id=ready.id, status=TransferStatus.COMPLETED).update(
                status=TransferStatus.QUEUED,
                sha256=None,
                bytes_done=0,
                next_attempt_at=now,
                updated_at=now,
            )
        self._wake()
        self.bus.publish(Event.downloads([row.user_id]))
        return await view_of(await Download.get(id=row.id))

    async def _transfer_for(self, station_file: StationFile, now: datetime) -> Transfer:
        """The transfer of this station file, made to match the file as listed now."""
        transfer = await Transfer.get_or_none(station_file_id=station_file.id)
        if transfer is None:
            try:
                async with in_transaction():
                    return await Transfer.create(
                        station_file_id=station_file.id,
                        station_id=station_file.station_id,
                        status=TransferStatus.QUEUED,
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
        if changed and transfer.status != TransferStatus.RUNNING:
            # The file changed on the station since: what we have of it is worthless.
            self.store.part_path(part_key(transfer.id)).unlink(missing_ok=True)
            await Transfer.filter(id=transfer.id).update(
                status=TransferStatus.QUEUED,
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

    async def pause(self, user: UserView, download_id: int) -> DownloadView:
        row = await self._own(user, download_id)
        if row.status == DownloadStatus.PAUSED:
            return await view_of(row)
        if row.status not in ACTIVE:
            raise Conflict("Only a queued or running download can be paused.", code="not_active")
        await self._set(row, DownloadStatus.PAUSED)
        return await view_of(await Download.get(id=row.id))

    async def start(self, user: UserView, download_id: int) -> DownloadView:
        row = await self._own(user, download_id)
        if row.status in ACTIVE:
            return await view_of(row)
        if row.status == DownloadStatus.COMPLETED and row.file_id is not None:
            raise Conflict("This file is downloaded already.", code="already_downloaded")
        owner = user if row.user_id == user.id else await self.users.get(row.user_id)
        return await self._start(owner, row)

    async def down(self, user: UserView, download_id: int) -> DownloadView:
        """Stop a download and delete what it fetched: the partial data (unless someone else
        still wants it) or the finished file."""
        row = await self._own(user, download_id)
        if row.file_id is not None:
            await self._delete_file(row)
        await self._set(row, DownloadStatus.CANCELLED)
        return await view_of(await Download.get(id=row.id))

    async def remove(self, user: UserView, download_id: int) -> None:
        """Delete a finished download from the list, with its file (the content goes when
        nobody refers to it any more)."""
        row = await self._own(user, download_id)
        if row.status in HOLDING:
            raise Conflict(
                "This download has not finished; cancel it first.", code="download_active"
            )
        if row.file_id is not None:
            await self._delete_file(row)
        await Download.filter(id=row.id).delete()
        await self.completion.release(row.transfer_id)
        self.bus.publish(Event.downloads([row.user_id]))

    async def _delete_file(self, row: Download) -> None:
        assert row.file_id is not None
        owner = await self.users.get(row.user_id)
        with contextlib.suppress(NotFound):  # deleted from the files list already
            await self.files.delete(owner, row.file_id)

    async def _set(self, row: Download, status: str) -> None:
        """Pause or cancel a download; its transfer stops when nobody else wants it."""
        now = utcnow()
        changes: dict[str, Any] = {"status": status, "updated_at": now}
        if status == DownloadStatus.CANCELLED:
            changes.update(file_id=None, transfer_id=None, error="", error_code="", finished_at=now)
        await Download.filter(id=row.id).update(**changes)
        await self.completion.release(row.transfer_id)
        self.bus.publish(Event.downloads([row.user_id]))

    def _wake(self) -> None:
        self.bus.publish(Event(Topic.QUEUE))
