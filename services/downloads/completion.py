"""Completing downloads: delivering content to the people who asked, failing them with a
reason, letting go of transfers nobody wants."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from services.accounts.users import UserService
from services.core.errors import NotFound, QuotaExceeded
from services.core.events import Event, EventBus, Topic
from services.core.models import (
    Download,
    DownloadStatus,
    Transfer,
    TransferStatus,
)
from services.downloads.ports import DownloadNotifier
from services.downloads.views import (
    ACTIVE,
    HOLDING,
    TRANSFER_LIVE,
    TRANSFER_RESTING,
    part_key,
    utcnow,
    view_of,
    views_of,
)
from services.storage.files import FileService, Held
from services.storage.store import BlobStore

log = logging.getLogger(__name__)


class Completion:
    """The end of a transfer for the people who asked: a file in their storage, or a failure
    with its reason, each told; and a transfer let go when nobody wants it any more. Used by
    the requests (a file stored already completes at once) and by the worker."""

    def __init__(
        self,
        *,
        files: FileService,
        users: UserService,
        notifier: DownloadNotifier,
        store: BlobStore,
        bus: EventBus,
    ) -> None:
        self.files = files
        self.users = users
        self.notifier = notifier
        self.store = store
        self.bus = bus

    async def deliver_stored(self, transfer: Transfer, download_id: int) -> bool:
        """Complete a download from content already in storage; False when it is not there."""
        assert transfer.sha256 is not None
        download = await Download.get(id=download_id)
        try:
            await self.deliver(download, transfer.sha256, transfer.size, None, None)
        except NotFound:
            return False
        return True

    async def deliver(
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
        now = utcnow()
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
            await self.fail([row.id], error.message, error.code)
            return
        completed = await Download.filter(id=row.id, status__in=HOLDING).update(
            status=DownloadStatus.COMPLETED,
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
        self.bus.publish(Event.downloads([row.user_id]))
        view = await view_of(await Download.get(id=row.id))
        with contextlib.suppress(Exception):
            await self.notifier.download_finished(owner, view)

    async def fail(self, ids: list[int], message: str, code: str) -> None:
        if not ids:
            return
        now = utcnow()
        rows = await Download.filter(id__in=ids, status__in=ACTIVE)
        await Download.filter(id__in=[r.id for r in rows], status__in=ACTIVE).update(
            status=DownloadStatus.FAILED,
            error=message,
            error_code=code,
            finished_at=now,
            updated_at=now,
        )
        self.bus.publish(Event.downloads(r.user_id for r in rows))
        for view in await views_of(await Download.filter(id__in=[r.id for r in rows])):
            owner = await self.users.get(view.user_id)
            with contextlib.suppress(Exception):
                await self.notifier.download_failed(owner, view)

    async def release(self, transfer_id: int | None) -> None:
        """After a download let go of a transfer: stop it when nobody wants it to run, and drop
        its partial data when nobody may want it any more."""
        if transfer_id is None:
            return
        now = utcnow()
        wanted = await Download.filter(transfer_id=transfer_id, status__in=ACTIVE).exists()
        if not wanted:
            stopped = await Transfer.filter(id=transfer_id, status__in=TRANSFER_LIVE).update(
                status=TransferStatus.IDLE, claim="", lease_until=None, rate=0, updated_at=now
            )
            if stopped:
                self.bus.publish(Event(Topic.TRANSFER_STOPPED, subject=transfer_id))
        if not await Download.filter(transfer_id=transfer_id, status__in=HOLDING).exists():
            dropped = await Transfer.filter(id=transfer_id, status__in=TRANSFER_RESTING).update(
                bytes_done=0, restarted=False, updated_at=now
            )
            if dropped:
                self.store.part_path(part_key(transfer_id)).unlink(missing_ok=True)
