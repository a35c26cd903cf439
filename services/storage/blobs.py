"""Reference counting of stored content: the one place that places and removes blobs.

Every change of a blob's `ref_count`, and placing or removing its file, happens in a transaction
holding the blob row's lock (an UPDATE of the row, or its INSERT), so content is never removed
while a file refers to it, and two identical uploads end with one blob and the right count.
"""

from __future__ import annotations

from pathlib import Path

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from services.core.errors import NotFound
from services.core.models import Blob, StoredFile
from services.storage.store import BlobStore, IncomingFile


class BlobService:
    def __init__(self, store: BlobStore) -> None:
        self.store = store

    async def retain(self, sha256: str, size: int, source: Path | None) -> None:
        """Count one more reference and make sure the content is in place.

        Call inside a transaction; `source` is a file with new content, moved into place (None:
        the blob must exist).
        """
        locked = await Blob.filter(sha256=sha256).update(ref_count=F("ref_count") + 1)
        if not locked:
            await Blob.create(sha256=sha256, size=size, ref_count=1)
        if source is not None:
            self.store.place(source, size, sha256)
        elif not self.store.local_path(sha256).exists():
            raise NotFound("The content is not in storage.", code="missing_content")

    async def undo_retain(self, sha256: str) -> None:
        """Take back a `retain` in the same transaction (another reference still holds it)."""
        await Blob.filter(sha256=sha256).update(ref_count=F("ref_count") - 1)

    async def retain_content(self, sha256: str, incoming: IncomingFile) -> None:
        """Keep new content for something other than a file (a message attachment)."""
        async with in_transaction():
            await self.retain(sha256, incoming.size, incoming.path)

    async def release_file(self, file_id: int, sha256: str) -> bool:
        """Delete a file reference; the last reference takes the content with it."""
        async with in_transaction():
            if not await StoredFile.filter(id=file_id).delete():
                return False
            await self._release(sha256)
        return True

    async def release(self, sha256: str) -> None:
        """Drop one reference held by something other than a file (a message attachment)."""
        async with in_transaction():
            await self._release(sha256)

    async def _release(self, sha256: str) -> None:
        await Blob.filter(sha256=sha256).update(ref_count=F("ref_count") - 1)
        # Still holding the row lock: the last reference takes the content with it.
        if await Blob.filter(sha256=sha256, ref_count__lte=0).delete():
            self.store.remove(sha256)

    async def release_user_files(self, user_id: int) -> int:
        rows = await StoredFile.filter(user_id=user_id).values_list("id", "blob_id")
        released = 0
        for file_id, sha256 in rows:
            released += await self.release_file(int(file_id), str(sha256))
        return released
