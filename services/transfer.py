"""Receiving a large file fast and in constant memory: a data connection read straight into a few
preallocated buffers (`asyncio.BufferedProtocol`); each full buffer is written to the partial
file by one thread and hashed by another, while the event loop receives into the next buffer.

Memory is `depth × chunk` bytes whatever the file size. When every buffer is busy the transport
stops reading (TCP then slows the sender) until a buffer comes back. SHA-256 runs over the
bytes as they arrive; a resumed transfer first hashes the partial file it continues (once).
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CHUNK = 1 << 20
DEPTH = 8


class WriteFailed(OSError):
    """The partial file could not be written (a full disk, an I/O error): our side, not the
    station's."""


class PartFile:
    """The partial file of one transfer: appended to, hashed as it grows, fsynced at the end."""

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.size = offset
        self.hasher = hashlib.sha256()
        self._file: int | None = None
        self._offset = offset

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

    def write(self, data: memoryview) -> None:
        assert self._file is not None
        view = data
        try:
            while view:
                written = os.write(self._file, view)
                view = view[written:]
        except OSError as error:
            raise WriteFailed(
                error.errno, f"Cannot write {self.path.name}: {error.strerror}"
            ) from error

    def finish(self) -> None:
        if self._file is not None:
            os.fsync(self._file)

    def close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None


class Receiver(asyncio.BufferedProtocol):
    """Receives one data connection into `part`, reporting progress with `on_progress(size)`.

    `done` resolves when the sender closed the connection and every byte is written and hashed;
    it fails with the first error (the connection lost, a write error such as a full disk).
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
        self.loop = asyncio.get_running_loop()
        self.done: asyncio.Future[int] = self.loop.create_future()
        self._writer, self._hasher = pools  # one thread each: order is kept
        self._on_progress = on_progress
        self._chunk = chunk
        self._free: deque[bytearray] = deque(bytearray(chunk) for _ in range(depth))
        self._buffer: bytearray | None = self._free.popleft()
        self._filled = 0
        self.received = 0
        self._busy = 0
        self._closed = False
        self._paused = False
        self._tasks: set[asyncio.Future[None]] = set()
        self._transport: asyncio.BaseTransport | None = None
        # TLS may hand over already-decrypted bytes after reading was paused: they land here.
        self._spare = bytearray(256 * 1024)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport

    def get_buffer(self, sizehint: int) -> memoryview:
        if self._buffer is None:
            return memoryview(self._spare)
        return memoryview(self._buffer)[self._filled :]

    def buffer_updated(self, nbytes: int) -> None:
        self.received += nbytes
        if self._buffer is None:
            self._buffer, self._filled = bytearray(self._spare[:nbytes]), nbytes
            self._flush()
            return
        self._filled += nbytes
        if self._filled == len(self._buffer):
            self._flush()

    def _flush(self) -> None:
        if self._buffer is None or not self._filled:
            return
        buffer, filled = self._buffer, self._filled
        self._buffer, self._filled = None, 0
        self._busy += 1
        self._tasks.add(task := asyncio.ensure_future(self._store(buffer, filled)))
        task.add_done_callback(self._tasks.discard)
        if self._free:
            self._buffer = self._free.popleft()
        elif not self._paused and isinstance(self._transport, asyncio.ReadTransport):
            self._transport.pause_reading()
            self._paused = True

    async def _store(self, buffer: bytearray, filled: int) -> None:
        """Write and hash one buffer. Each of the two single-thread pools keeps the order of
        the buffers, so writing and hashing run side by side, neither waiting for the other."""
        view = memoryview(buffer)[:filled]
        try:
            results = await asyncio.gather(
                self.loop.run_in_executor(self._writer, self.part.write, view),
                self.loop.run_in_executor(self._hasher, self.part.hasher.update, view),
                return_exceptions=True,
            )
            view.release()
            for result in results:
                if isinstance(result, BaseException):
                    raise result
            self.part.size += filled
            if self._on_progress is not None:
                self._on_progress(self.part.size)
        except BaseException as error:
            self._fail(error)
        finally:
            self._busy -= 1
            self._give_back(buffer)

    def _give_back(self, buffer: bytearray) -> None:
        if len(buffer) == self._chunk:  # a pooled buffer (not a copy of the spare one)
            if self._buffer is None:
                self._buffer = buffer
            else:
                self._free.append(buffer)
        if self._paused and not self._closed and isinstance(self._transport, asyncio.ReadTransport):
            self._paused = False
            self._transport.resume_reading()
        if self._closed and not self._busy:
            self._complete()

    def _fail(self, error: BaseException) -> None:
        if not self.done.done():
            self.done.set_exception(error)
        if self._transport is not None:
            self._transport.close()

    def eof_received(self) -> bool | None:
        return None  # close the transport; connection_lost follows

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        if exc is not None:
            self._fail(ConnectionResetError(f"The data connection broke: {exc}"))
            return
        self._flush()
        if not self._busy:
            self._complete()

    def _complete(self) -> None:
        if not self.done.done():
            self.done.set_result(self.part.size)

    def abort(self) -> None:
        """Stop receiving now (pause, cancel): close the connection; `done` fails."""
        self._fail(asyncio.CancelledError())
