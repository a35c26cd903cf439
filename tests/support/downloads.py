"""What became of a download: the file it stored, the partial file of its transfer."""

from __future__ import annotations

from pathlib import Path

from services.container import Services
from services.core.models import Download, StoredFile
from services.downloads.views import DownloadView, part_key


async def stored(services: Services, download: DownloadView) -> bytes:
    """The content of the user's file a download became."""
    assert download.file_id is not None
    row = await StoredFile.get(id=download.file_id)
    assert row.user_id == download.user_id and row.source == "station"
    return services.files.store.local_path(row.blob_id).read_bytes()


async def part_of(services: Services, download_id: int) -> Path:
    """Where the transfer behind a download writes before the file is whole."""
    transfer_id = (await Download.get(id=download_id)).transfer_id
    assert transfer_id is not None
    return services.files.store.part_path(part_key(transfer_id))
