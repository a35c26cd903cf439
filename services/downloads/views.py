"""What a download looks like from outside: its statuses, its view with progress, pages and
filters of them, and the live message of a chat (`Board`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from services.core.models import (
    DOWNLOAD_HOLDING,
    Download,
    DownloadStatus,
    StationFile,
    Transfer,
    TransferStatus,
)

log = logging.getLogger(__name__)

STATUSES = tuple(DownloadStatus)
# Someone wants the transfer to run.
ACTIVE = (DownloadStatus.QUEUED, DownloadStatus.DOWNLOADING)
HOLDING = DOWNLOAD_HOLDING  # someone may still want the partial data
FINISHED = (DownloadStatus.COMPLETED, DownloadStatus.FAILED, DownloadStatus.CANCELLED)
# Stopped short of a file: can be started again.
STARTABLE = (DownloadStatus.PAUSED, DownloadStatus.FAILED, DownloadStatus.CANCELLED)
# Transfers in the queue or running, and transfers at rest (nobody wants them, or they failed).
TRANSFER_LIVE = (TransferStatus.QUEUED, TransferStatus.RUNNING)
TRANSFER_RESTING = (TransferStatus.IDLE, TransferStatus.FAILED)
# The listing filter for every download still holding a claim (queued, downloading, paused).
ACTIVE_FILTER = "active"
MAX_RETRY_WAIT = 600.0


@dataclass(frozen=True)
class DownloadView:
    id: int
    user_id: int
    station_file_id: int | None
    station_name: str
    path: str
    name: str
    size: int
    status: DownloadStatus
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
    pass_id: int | None = None  # the satellite pass of its station file, if any

    @classmethod
    def of(
        cls, row: Download, transfer: Transfer | None, pass_id: int | None = None
    ) -> DownloadView:
        if row.status == DownloadStatus.COMPLETED:
            done = row.size
        elif transfer is not None and row.status != DownloadStatus.CANCELLED:
            done = min(transfer.bytes_done, row.size)
        else:
            done = 0
        speed = (
            transfer.rate
            if transfer is not None and row.status == DownloadStatus.DOWNLOADING
            else 0
        )
        left = row.size - done
        return cls(
            id=row.id,
            user_id=row.user_id,
            station_file_id=row.station_file_id,
            station_name=row.station_name,
            path=row.path,
            name=row.name,
            size=row.size,
            status=DownloadStatus(row.status),
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
            pass_id=pass_id,
        )


@dataclass(frozen=True)
class DownloadPage:
    items: list[DownloadView]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class DownloadFilter:
    status: str | None = None  # a DownloadStatus, or ACTIVE_FILTER
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


def utcnow() -> datetime:
    return datetime.now(UTC)


def part_key(transfer_id: int) -> str:
    return f"transfer-{transfer_id}"


async def views_of(rows: list[Download]) -> list[DownloadView]:
    """Downloads as people see them, with their transfers' progress."""
    ids = {r.transfer_id for r in rows if r.transfer_id is not None}
    transfers = {t.id: t for t in await Transfer.filter(id__in=ids)} if ids else {}
    file_ids = {r.station_file_id for r in rows if r.station_file_id is not None}
    passes: dict[int, int | None] = (
        dict(await StationFile.filter(id__in=file_ids).values_list("id", "satellite_pass_id"))
        if file_ids
        else {}
    )
    return [
        DownloadView.of(
            r,
            transfers.get(r.transfer_id) if r.transfer_id else None,
            passes.get(r.station_file_id) if r.station_file_id else None,
        )
        for r in rows
    ]


async def view_of(row: Download) -> DownloadView:
    return (await views_of([row]))[0]
