"""Where content lives: a small blob-store interface and its local-disk implementation.

Content is addressed by SHA-256 (`blobs/ab/cd/<sha256>`); disk paths never come from names.
Incoming content is written to a temporary file in the same file system (`tmp/`), hashed while
it streams (in a worker thread, overlapped with receiving), and moved into place atomically.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import secrets
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

from services.core.errors import AppError, PayloadTooLarge, QuotaExceeded

CHUNK = 1024 * 1024
# Hashing and writing run here, overlapped with receiving. Few threads keep memory flat: every
# extra thread that touches large buffers grows its own malloc arena.
_WRITER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="ftpgram-storage")


class BlobStore(Protocol):
    """What services need from a store of immutable content."""

    def incoming(self) -> IncomingFile: ...

    def place(self, source: Path, size: int, sha256: str) -> None:
        """Move a finished file (`size` bytes, on the store's file system) into place as the
        content `sha256` (call while holding the blob's row lock)."""

    def part_path(self, key: str) -> Path:
        """Where the partial data of a long transfer lives (beside the content, same file
        system, kept across restarts)."""

    def remove(self, sha256: str) -> None:
        """Remove content (call while holding the blob's row lock)."""

    def local_path(self, sha256: str) -> Path:
        """A path the HTTP edge can send with sendfile."""

    def sweep_incoming(self, idle: float = 0.0) -> int:
        """Remove partial incoming content left by a crash (untouched for `idle` seconds: with
        several processes, another one may be writing the rest); returns how many."""

    def part_keys(self) -> list[str]:
        """The keys of the part files present (see `part_path`)."""


class IncomingFile:
    """A temporary file that content streams into; hashes and counts as it goes.

    `limit` stops the stream as soon as it is passed (quota or size maximum): `on_limit` makes the
    error to raise. Writes and hashing run in a worker thread, one chunk ahead of the receiver.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = 0
        self._hash = hashlib.sha256()
        self._file = path.open("wb")
        self._pending: asyncio.Future[None] | None = None
        self.limit: int | None = None
        self.on_limit: Callable[[int], AppError] | None = None

    def _write(self, chunk: bytes) -> None:
        self._hash.update(chunk)
        self._file.write(chunk)

    async def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.limit is not None and self.size > self.limit:
            assert self.on_limit is not None
            await self.discard()
            raise self.on_limit(self.size)
        if self._pending is not None:
            # Shielded: a cancelled request must not leave the thread writing unseen (see
            # `discard`, which waits for it before closing the file).
            await asyncio.shield(self._pending)
        self._pending = asyncio.get_running_loop().run_in_executor(_WRITER, self._write, chunk)

    async def finish(self) -> str:
        """Flush to disk; returns the SHA-256 of everything written."""
        if self._pending is not None:
            await asyncio.shield(self._pending)
            self._pending = None
        await asyncio.get_running_loop().run_in_executor(_WRITER, self._sync_and_close)
        return self._hash.hexdigest()

    def _sync_and_close(self) -> None:
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()

    async def discard(self) -> None:
        if self._pending is not None:
            with contextlib.suppress(Exception):
                await self._pending
            self._pending = None
        self._file.close()
        self.path.unlink(missing_ok=True)

    async def copy_from(self, read: Callable[[int], Awaitable[bytes]]) -> None:
        """Stream everything `read(n)` returns (until b"") into this file."""
        while chunk := await read(CHUNK):
            await self.write(chunk)


def quota_error(free: int) -> Callable[[int], AppError]:
    def make(size: int) -> AppError:
        error = QuotaExceeded(
            f"Not enough space: this needs at least {size} bytes, {free} bytes are free.",
            code="quota_exceeded",
        )
        error.needed, error.free = size, free
        return error

    return make


def size_error(maximum: int) -> Callable[[int], AppError]:
    def make(size: int) -> AppError:
        error = PayloadTooLarge(
            f"The file is too large (max {maximum} bytes).", code="file_too_large"
        )
        error.maximum = maximum
        return error

    return make


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"
        self.blobs = root / "blobs"
        self.parts = root / "parts"
        for folder in (self.tmp, self.blobs, self.parts):
            folder.mkdir(parents=True, exist_ok=True)

    def local_path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.blobs / sha256[:2] / sha256[2:4] / sha256

    def incoming(self) -> IncomingFile:
        return IncomingFile(self.tmp / f"{secrets.token_hex(16)}.part")

    def part_path(self, key: str) -> Path:
        return self.parts / f"{key}.part"

    def place(self, source: Path, size: int, sha256: str) -> None:
        target = self.local_path(sha256)
        if target.exists() and target.stat().st_size == size:
            source.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def remove(self, sha256: str) -> None:
        self.local_path(sha256).unlink(missing_ok=True)

    def part_keys(self) -> list[str]:
        return [path.stem for path in self.parts.glob("*.part")]

    def sweep_incoming(self, idle: float = 0.0) -> int:
        """Remove temporary files left by a crash (at start, before anything streams here)."""
        removed = 0
        before = time.time() - idle
        for leftover in self.tmp.glob("*.part"):
            with contextlib.suppress(FileNotFoundError):
                if not idle or leftover.stat().st_mtime < before:
                    leftover.unlink(missing_ok=True)
                    removed += 1
        return removed
