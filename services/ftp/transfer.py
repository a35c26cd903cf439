"""Receiving a large file fast and in constant memory: a data connection read straight into a few
preallocated buffers (`asyncio.BufferedProtocol`); each full buffer is written to the partial
file by one thread and hashed by another, while the event loop receives into the next buffer.

Memory is `depth × chunk` bytes whatever the file size. When every buffer is busy the transport
stops reading (TCP then slows the sender) until a buffer comes back. SHA-256 runs over the
bytes as they arrive; a resumed transfer first hashes the partial file it continues (once).

Writing costs little: a fresh download is written with direct I/O, from the (page-aligned)
buffers to the disk without a copy into the page cache. Where that cannot be (a file system
without it, a transfer resumed at an odd offset, a ragged end) the page cache is pushed to disk
while the file grows and what reached the disk is dropped from the cache. Either way the fsync
at the end has little left to do, and a large download neither evicts everything else from the
page cache nor (on a virtual machine) keeps taking fresh memory.

Whatever stops a transfer (a pause, a broken connection) first writes every byte received, so a
resumed transfer fetches nothing twice; after a failed write nothing more is written, so the
partial file never has a gap.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import errno
import fcntl
import functools
import hashlib
import mmap
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHUNK = 1 << 20
DEPTH = 8
# Bytes written between two pushes to disk. Each push starts writing the newest data and drops
# the data pushed one step earlier (on disk by then) from the page cache.
WRITE_BACK = 8 << 20
_ADVISE = hasattr(os, "posix_fadvise")
# Direct I/O wants memory, file offsets and lengths in multiples of the device's block size;
# a page is a multiple of every common one.
ALIGN = 4096
_DIRECT = getattr(os, "O_DIRECT", 0)


class WriteFailed(OSError):
    """The partial file could not be written (a full disk, an I/O error): our side, not the
    station's."""


class PartFile:
    """The partial file of one transfer: appended to, hashed as it grows, fsynced at the end.

    `write` runs in one thread at a time; `close` may come from another thread while a write is
    under way (a stopped transfer) and waits for it, so no write ever lands in a closed (or
    reused) descriptor.
    """

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.size = offset
        self.hasher = hashlib.sha256()
        self._file: int | None = None
        self._offset = offset
        self._lock = threading.Lock()
        self._end = offset  # where the next write lands
        self._pushed = offset  # written to disk is under way up to here
        self._dropped = offset  # dropped from the page cache up to here
        self._advise = _ADVISE
        self._direct = False

    def open(self) -> None:
        """Open for appending at `offset` (the partial data beyond it is dropped) and hash what
        is kept. Blocking: run in a thread."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            os.ftruncate(fd, self._offset)
            left = self._offset
            while left:
                block = os.read(fd, min(left, 4 * CHUNK))
                if not block:
                    raise OSError(f"{self.path} is shorter than {self._offset} bytes")
                self.hasher.update(block)
                left -= len(block)
            os.lseek(fd, self._offset, os.SEEK_SET)
        except BaseException:
            os.close(fd)
            raise
        self._file = fd
        self._drop(0, self._offset)  # read once, never again
        if self._offset % ALIGN == 0:
            self._direct = self._set_direct(True)

    def _set_direct(self, on: bool) -> bool:
        """Switch direct I/O on or off; True when it is on."""
        if not _DIRECT or self._file is None:
            return False
        try:
            flags = fcntl.fcntl(self._file, fcntl.F_GETFL)
            fcntl.fcntl(self._file, fcntl.F_SETFL, flags | _DIRECT if on else flags & ~_DIRECT)
        except OSError:
            return False  # not on this file system
        return on

    def write(self, data: memoryview) -> None:
        with self._lock:
            if self._file is None:
                raise WriteFailed(errno.EBADF, f"{self.path.name} is closed")
            view = data.cast("B")
            try:
                while view:
                    view = view[self._write_some(self._file, view) :]
            except OSError as error:
                raise WriteFailed(
                    error.errno, f"Cannot write {self.path.name}: {error.strerror}"
                ) from error

    def _write_some(self, fd: int, view: memoryview) -> int:
        """Write the start of `view`; returns how many bytes were written.

        Direct I/O (the whole blocks of a page-aligned buffer) goes from the buffer to the disk
        without a copy into the page cache. Anything else (a ragged end, a buffer that is not
        aligned, a file system without direct I/O) ends it for the rest of the file; from then
        on, the page cache is pushed to disk every WRITE_BACK bytes, and what has reached the
        disk is dropped from it."""
        if self._direct:
            whole = len(view) - len(view) % ALIGN
            try:
                written = os.write(fd, view[:whole]) if whole else 0
            except OSError as error:
                if error.errno != errno.EINVAL:
                    raise
                written = 0
            if written:
                self._end += written
                return written
            self._direct = self._set_direct(False)
            self._pushed = self._dropped = self._end
        written = os.write(fd, view)
        self._end += written
        if self._end - self._pushed >= WRITE_BACK:
            # POSIX_FADV_DONTNEED starts writing dirty pages back (without waiting for them)
            # and drops the clean ones: one call pushes the newest data and drops the data
            # pushed by the previous call.
            self._drop(self._dropped, self._end)
            self._dropped, self._pushed = self._pushed, self._end
        return written

    def _drop(self, start: int, end: int) -> None:
        if self._advise and self._file is not None and end > start:
            try:
                os.posix_fadvise(self._file, start, end - start, os.POSIX_FADV_DONTNEED)
            except OSError:
                self._advise = False  # not for this file system: the page cache keeps it

    def finish(self) -> None:
        with self._lock:
            if self._file is not None:
                os.fsync(self._file)
                self._drop(self._dropped, self._end)

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                os.close(self._file)
                self._file = None


class _Slot:
    """A buffer on its way to the partial file: written and hashed side by side."""

    __slots__ = ("failed", "left", "pooled", "view")

    def __init__(self, view: memoryview, pooled: mmap.mmap | None) -> None:
        self.view = view
        self.pooled = pooled  # the pool's buffer to give back, if it is one
        self.left = 2  # the write and the hash
        self.failed = False


class Receiver(asyncio.BufferedProtocol):
    """Receives one data connection into `part`, reporting progress with `on_progress(size)`.

    `done` resolves when the sender closed the connection and every byte is written and hashed;
    it fails with the first error (the connection lost, a write error such as a full disk), once
    every byte received before it is written (after a write error: nothing more is written).
    """

    def __init__(
        self,
        part: PartFile,
        pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
        *,
        on_progress: Callable[[int], None] | None = None,
        chunk: int = CHUNK,
        depth: int = DEPTH,
    ) -> None:
        self.part = part
        self.start = part.size
        self.loop = asyncio.get_running_loop()
        self.done: asyncio.Future[int] = self.loop.create_future()
        # Whoever stopped a transfer knows why; nobody else has to look at its exception.
        self.done.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._writer, self._hasher = pools  # one thread each: order is kept
        self._on_progress = on_progress
        # Anonymous maps: page-aligned, as direct I/O wants them.
        self._free: deque[mmap.mmap] = deque(mmap.mmap(-1, chunk) for _ in range(depth))
        self._buffer: mmap.mmap | None = self._free.popleft()
        self._filled = 0
        self.received = 0
        self._busy = 0
        self._ended = False  # nothing more is taken in: the connection ended or was stopped
        self._error: BaseException | None = None
        self._write_failed = False  # seen by the writer thread only
        self._paused = False
        self._transport: asyncio.BaseTransport | None = None
        # TLS may hand over already-decrypted bytes after reading was paused: they land here.
        self._spare = bytearray(256 * 1024)

    @property
    def position(self) -> int:
        """How far the file has arrived: the part written so far plus what sits in buffers
        (every byte received is written, also when the transfer stops), for progress."""
        return self.start + self.received

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        if self._buffer is None:
            return memoryview(self._spare)
        return memoryview(self._buffer)[self._filled :]

    def buffer_updated(self, nbytes: int) -> None:
        self.received += nbytes
        if self._ended:
            return  # stopped: whatever still comes is not wanted
        if self._buffer is None:
            self._store(_Slot(memoryview(bytes(memoryview(self._spare)[:nbytes])), None))
            return
        self._filled += nbytes
        if self._filled == len(self._buffer):
            self._flush()

    def _flush(self) -> None:
        if self._buffer is None or not self._filled:
            return
        slot = _Slot(memoryview(self._buffer)[: self._filled], self._buffer)
        self._buffer, self._filled = None, 0
        self._store(slot)
        if self._free:
            self._buffer = self._free.popleft()
        elif not self._paused and isinstance(self._transport, asyncio.ReadTransport):
            self._transport.pause_reading()
            self._paused = True

    def _store(self, slot: _Slot) -> None:
        """Write and hash one buffer. Each of the two single-thread pools keeps the order of
        the buffers, so writing and hashing run side by side, neither waiting for the other;
        each reports back to the event loop when it is done with the buffer."""
        self._busy += 1
        for pool, work in (
            (self._writer, self._write),
            (self._hasher, self.part.hasher.update),
        ):
            future = pool.submit(work, slot.view)
            future.add_done_callback(functools.partial(self._report, slot))

    def _write(self, view: memoryview) -> None:
        """In the writer thread: nothing is written after a failed write, which would leave a
        gap in the partial file."""
        if self._write_failed:
            raise WriteFailed(errno.EIO, f"{self.part.path.name}: an earlier write failed")
        try:
            self.part.write(view)
        except BaseException:
            self._write_failed = True
            raise

    def _report(self, slot: _Slot, future: concurrent.futures.Future[None]) -> None:
        """In a pool's thread: hand the result over to the event loop."""
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            self.loop.call_soon_threadsafe(self._stored, slot, future)

    def _stored(self, slot: _Slot, future: concurrent.futures.Future[None]) -> None:
        error = future.exception() if not future.cancelled() else asyncio.CancelledError()
        if error is not None:
            slot.failed = True
            if self._error is None:
                self._error = error
            self._end()
        slot.left -= 1
        if slot.left:
            return
        filled = slot.view.nbytes
        slot.view.release()
        self._busy -= 1
        if not slot.failed:
            self.part.size += filled
            if self._on_progress is not None:
                self._on_progress(self.part.size)
        self._give_back(slot)

    def _give_back(self, slot: _Slot) -> None:
        if slot.pooled is not None:
            if self._buffer is None:
                self._buffer = slot.pooled
            else:
                self._free.append(slot.pooled)
        if self._paused and not self._ended and isinstance(self._transport, asyncio.ReadTransport):
            self._paused = False
            self._transport.resume_reading()
        self._settle()

    def _end(self) -> None:
        """Take nothing more in: store what the current buffer holds and close the connection;
        `done` follows once everything in flight is stored."""
        if self._ended:
            return
        self._ended = True
        self._flush()
        if self._transport is not None:
            self._transport.close()
        self._settle()

    def _settle(self) -> None:
        if not self._ended or self._busy or self.done.done():
            return
        if self._error is not None:
            self.done.set_exception(self._error)
        else:
            self.done.set_result(self.part.size)

    def eof_received(self) -> bool | None:
        return None  # close the transport; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None and self._error is None:
            self._error = ConnectionResetError(f"The data connection broke: {exc}")
        self._end()

    def abort(self, reason: BaseException) -> None:
        """Stop receiving now (pause, cancel): close the connection; `done` fails with
        `reason` once every byte received so far is written."""
        if self._error is None:
            self._error = reason
        self._end()
