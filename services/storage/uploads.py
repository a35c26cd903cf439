"""Resumable uploads: one file arriving over as many requests as it takes.

A session is opened with the file's name, size and (best) SHA-256. The size limit and the quota
are checked then, against the declared size, beside the user's files, their other unfinished
uploads and the station downloads they hold. Each request appends bytes at the session's offset
to a part file in the blob store (the content's file system, kept across restarts). When the last
byte is in, the content is committed exactly like a normal upload (`FileService.add_content`:
quota again, beside everything but this session, dedup by SHA-256), and the session ends.

- Offsets: `received` counts bytes synced to the part file, so it never claims more than the
  disk holds. A request must start exactly there (`Conflict` otherwise); a request that is cut
  off keeps every byte that arrived. Opening a session for content (size and SHA-256) that has an
  unfinished session already continues that one: a client needs no state of its own to resume.
- A write that fails (a full disk: 507 `storage_full`; a failing one: 503 `storage_failed`)
  gives the request's bytes back at once: the part is truncated to the offset the request
  started at, the last one the server had reported, and the answer names it. Kept until the
  session expires, they would hold a full disk full for everyone while the upload could not
  go on anyway.
- Hashing: SHA-256 runs over the bytes while they stream. A request that continues a part first
  re-hashes the part from disk. hashlib's state cannot be saved, and the next request may reach
  another process or come after a restart; keeping hashers in memory would be right only
  sometimes. The price is one sequential read of the part (≈ 1.7 GB/s), paid only on resuming.
- One writer at a time: a request claims the session (`writer`, with a lease in `busy_until`
  renewed while bytes flow); another request meanwhile gets `Conflict` "upload_busy". Each read
  times out well within the lease, so a stalled request cannot outlive its claim.
- Expiry: a session lives `EXPIRY` after its last bytes. Expired sessions and part files without
  a session are swept whenever a session is opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import logging
import os
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tortoise.expressions import Q

from services.accounts.users import UserService, UserView
from services.core.errors import AppError, Conflict, InvalidInput, NotFound
from services.core.models import UploadSession
from services.storage.files import FileService, Held, Upload, clean_name, storage_error
from services.storage.store import BlobStore, quota_error, size_error

log = logging.getLogger(__name__)

EXPIRY = timedelta(hours=24)
LEASE = timedelta(seconds=120)
# No byte for this long ends the request (well within LEASE, so the claim is still ours).
READ_TIMEOUT = 60.0
# Progress is synced and recorded at least this often while bytes flow (seconds).
CHECKPOINT = 2.0
CHUNK = 1 << 20
PART_PREFIX = "upload-"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _now() -> datetime:
    return datetime.now(UTC)


def _idle(now: datetime) -> Q:
    """Nobody writes the session (no claim, or one whose lease ran out)."""
    return Q(busy_until__isnull=True) | Q(busy_until__lt=now)


def part_key(upload_id: int) -> str:
    return f"{PART_PREFIX}{upload_id}"


@dataclass(frozen=True)
class UploadSessionView:
    id: int
    name: str
    size: int
    offset: int
    sha256: str | None
    created_at: datetime
    expires_at: datetime

    @classmethod
    def of(cls, row: UploadSession) -> UploadSessionView:
        return cls(
            id=row.id,
            name=row.name,
            size=row.size,
            offset=row.received,
            sha256=row.sha256,
            created_at=row.created_at,
            expires_at=row.expires_at,
        )


@dataclass(frozen=True)
class UploadProgress:
    """Where a session stands after a request; `upload` is the file once the last byte is in."""

    session: UploadSessionView
    upload: Upload | None = None


class OffsetMismatch(Conflict):
    """Bytes sent for another offset than the session's; `offset` is where it stands."""

    def __init__(self, offset: int) -> None:
        super().__init__(
            f"This upload has {offset} bytes; send the rest starting at byte {offset}.",
            code="offset_mismatch",
        )
        self.offset = offset


def _write_failed(exc: OSError, offset: int) -> AppError:
    return storage_error(
        exc,
        f"the bytes of this request were dropped; the upload stands at byte {offset}: send the "
        "rest from there later.",
    )


class _PartShorter(Exception):
    def __init__(self, length: int) -> None:
        super().__init__(length)
        self.length = length


class PartWriter:
    """The part file of one session: appended to and hashed in a worker thread, one chunk
    ahead of the receiver. `written` counts the bytes that reached the file."""

    def __init__(self, path: Path, offset: int) -> None:
        self.path = path
        self.offset = offset
        self.written = offset
        self.hasher = hashlib.sha256()
        self._fd: int | None = None
        self._pending: asyncio.Future[None] | None = None

    def _open(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            length = os.fstat(fd).st_size
            if length < self.offset:
                raise _PartShorter(length)
            # Bytes beyond the recorded offset were never confirmed: drop them.
            os.ftruncate(fd, self.offset)
            left = self.offset
            while left:
                block = os.read(fd, min(left, 4 * CHUNK))
                if not block:
                    raise _PartShorter(self.offset - left)
                self.hasher.update(block)
                left -= len(block)
            os.lseek(fd, self.offset, os.SEEK_SET)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    async def open(self) -> None:
        await asyncio.to_thread(self._open)

    def _write(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            count = os.write(self._fd, view)
            self.hasher.update(view[:count])
            self.written += count
            view = view[count:]

    async def write(self, data: bytes) -> None:
        await self._wait()
        self._pending = asyncio.get_running_loop().run_in_executor(None, self._write, data)

    async def _wait(self) -> None:
        if self._pending is not None:
            # Shielded: when the request is cancelled (its client went away) the thread still
            # writes, and closing the descriptor under it could send its bytes into another file
            # that reuses the number. The pending write stays for `close` to wait out.
            await asyncio.shield(self._pending)
            self._pending = None

    async def sync(self) -> None:
        await self._wait()
        if self._fd is not None:
            await asyncio.to_thread(os.fsync, self._fd)

    async def give_back(self) -> None:
        """After a failed write: drop the bytes this writer added (truncate the part to the
        offset it started at) and close."""
        with contextlib.suppress(OSError):
            await self._wait()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)
        try:
            # Shrinking needs no space, so it works on a full disk.
            await asyncio.to_thread(os.truncate, self.path, self.offset)
        except OSError:
            log.exception("Could not truncate the part file %s", self.path.name)
        self.written = self.offset

    async def close(self) -> None:
        """Sync what was written and close; the file stays."""
        try:
            await self.sync()
        finally:
            if self._fd is not None:
                fd, self._fd = self._fd, None
                os.close(fd)

    def hexdigest(self) -> str:
        return self.hasher.hexdigest()


class UploadService:
    def __init__(self, *, files: FileService, users: UserService) -> None:
        self._files = files
        self._users = users
        self.store: BlobStore = files.store

    # ---- sessions ----------------------------------------------------------------------

    async def open(
        self, user: UserView, *, name: str, size: int, sha256: str | None = None
    ) -> tuple[UploadSessionView, bool]:
        """A new session (True), or the unfinished one for the same content (False)."""
        name = clean_name(name)
        if size < 0:
            raise InvalidInput("The size cannot be negative.", fields={"size": "must be >= 0"})
        digest = sha256.lower() if sha256 else None
        if digest is not None and not _SHA256.match(digest):
            raise InvalidInput(
                "The SHA-256 must be 64 hexadecimal digits.", fields={"sha256": "invalid"}
            )
        await self.sweep()
        if digest is not None:
            row = (
                await UploadSession.filter(user_id=user.id, sha256=digest, size=size)
                .order_by("-received", "id")
                .first()
            )
            if row is not None:
                if row.name != name:
                    row.name = name
                    await row.save(update_fields=["name"])
                return UploadSessionView.of(row), False
        if size > self._files.max_upload:
            raise size_error(self._files.max_upload)(size)
        async with self._users.space_lock(user.id):
            free = await self._users.free(user)
            if size > free:
                raise quota_error(free)(size)
            now = _now()
            row = await UploadSession.create(
                user_id=user.id,
                name=name,
                size=size,
                sha256=digest,
                created_at=now,
                updated_at=now,
                expires_at=now + EXPIRY,
            )
        return UploadSessionView.of(row), True

    async def _own(self, user: UserView, upload_id: int) -> UploadSession:
        row = await UploadSession.get_or_none(id=upload_id, user_id=user.id)
        if row is None or row.expires_at <= _now():
            raise NotFound("There is no such upload (or it has expired).", code="unknown_upload")
        return row

    async def get(self, user: UserView, upload_id: int) -> UploadSessionView:
        return UploadSessionView.of(await self._own(user, upload_id))

    async def list_sessions(self, user: UserView) -> list[UploadSessionView]:
        rows = await UploadSession.filter(user_id=user.id, expires_at__gt=_now()).order_by("id")
        return [UploadSessionView.of(row) for row in rows]

    async def cancel(self, user: UserView, upload_id: int) -> None:
        """Drop a session and what it received (a request still sending gets a Conflict)."""
        row = await self._own(user, upload_id)
        await self._drop(row.id)

    async def _drop(self, upload_id: int, *, unless_busy_at: datetime | None = None) -> bool:
        """Delete a session and its part; with `unless_busy_at`, only if it is expired and
        nobody writes it then."""
        query = UploadSession.filter(id=upload_id)
        if unless_busy_at is not None:
            query = query.filter(expires_at__lte=unless_busy_at).filter(_idle(unless_busy_at))
        if not await query.delete():
            return False
        await asyncio.to_thread(self.store.part_path(part_key(upload_id)).unlink, True)
        return True

    async def sweep(self) -> int:
        """Remove expired sessions (unless being written) and part files without a session."""
        now = _now()
        expired = await (
            UploadSession.filter(expires_at__lte=now)
            .filter(_idle(now))
            .values_list("id", flat=True)
        )
        swept = 0
        for expired_id in expired:
            swept += await self._drop(int(str(expired_id)), unless_busy_at=now)
        parts = {
            int(key.removeprefix(PART_PREFIX)): key
            for key in self.store.part_keys()
            if key.startswith(PART_PREFIX) and key.removeprefix(PART_PREFIX).isdigit()
        }
        # A session's row is created before its part file, so a part listed above whose row
        # is missing now has lost its session.
        known = {
            int(str(upload_id))
            for upload_id in await UploadSession.filter(id__in=list(parts)).values_list(
                "id", flat=True
            )
        }
        for upload_id, key in parts.items():
            if upload_id not in known:
                await asyncio.to_thread(self.store.part_path(key).unlink, True)
                swept += 1
        if swept:
            log.info("Swept %d expired or abandoned uploads", swept)
        return swept

    # ---- receiving ---------------------------------------------------------------------

    async def append(
        self,
        user: UserView,
        upload_id: int,
        *,
        offset: int,
        read: Callable[[int], Awaitable[bytes]],
        length: int | None = None,
        size: int | None = None,
    ) -> UploadProgress:
        """Append the bytes `read` returns (until b"") at `offset`; commits the file when the
        last byte is in. `length` is the request's body size and `size` the file's size the
        client assumes, when it says. `read` reports its failures as AppErrors, never as
        OSError (an OSError here is the disk's)."""
        row = await self._own(user, upload_id)
        if offset < 0:
            raise InvalidInput("The offset cannot be negative.", code="bad_offset")
        if size is not None and size != row.size:
            raise InvalidInput(
                f"This upload is {row.size} bytes, not {size}.", code="size_mismatch"
            )
        if offset != row.received:
            raise OffsetMismatch(row.received)
        if length is not None and offset + length > row.size:
            raise InvalidInput(
                f"This upload is {row.size} bytes; {length} bytes from byte {offset} go past "
                "its end.",
                code="beyond_size",
            )
        claim = await self._claim(row, offset)
        part = PartWriter(self.store.part_path(part_key(row.id)), offset)
        try:
            await part.open()
        except _PartShorter as short:
            # The part lost data (it can only have been truncated outside ftpgram).
            await self._record(row.id, claim, short.length)
            raise OffsetMismatch(short.length) from None
        except OSError as exc:
            await self._record(row.id, claim, offset)
            log.error("Could not open the part of upload %d: %s", row.id, exc)
            raise _write_failed(exc, offset) from exc
        except BaseException:
            await self._record(row.id, claim, offset)
            raise
        try:
            await self._receive(row, claim, part, read)
        except OSError as exc:  # the disk's: `read` reports its own failures as InvalidInput
            await self._give_back(row.id, claim, part)
            log.error("Could not write upload %d: %s", row.id, exc)
            raise _write_failed(exc, offset) from exc
        except BaseException:
            # Cut off or refused: keep every byte that reached the disk.
            if await self._close(part) is None:
                await self._record(row.id, claim, part.written)
            else:
                await self._give_back(row.id, claim, part)
            raise
        failure = await self._close(part)
        if failure is not None:
            await self._give_back(row.id, claim, part)
            raise _write_failed(failure, offset) from failure
        if part.written < row.size:
            await self._record(row.id, claim, part.written)
            return UploadProgress(await self.get(user, row.id))
        return await self._complete(user, row, claim, part)

    async def _give_back(self, upload_id: int, claim: str, part: PartWriter) -> None:
        """A write failed: the request's bytes go (see the module's docstring)."""
        await part.give_back()
        await self._record(upload_id, claim, part.offset)

    @staticmethod
    async def _close(part: PartWriter) -> OSError | None:
        """Sync and close the part; the error when the disk failed (its tail is then unknown)."""
        try:
            await part.close()
        except OSError as exc:
            log.exception("Could not write the part file %s", part.path.name)
            return exc
        return None

    async def _claim(self, row: UploadSession, offset: int) -> str:
        claim = secrets.token_hex(16)
        now = _now()
        claimed = (
            await UploadSession.filter(id=row.id, received=offset)
            .filter(_idle(now))
            .update(writer=claim, busy_until=now + LEASE, updated_at=now, expires_at=now + EXPIRY)
        )
        if claimed:
            return claim
        fresh = await UploadSession.get_or_none(id=row.id)
        if fresh is None:
            raise NotFound("There is no such upload (or it has expired).", code="unknown_upload")
        if fresh.received != offset:
            raise OffsetMismatch(fresh.received)
        raise Conflict(
            "Another request is sending bytes to this upload right now; try again shortly.",
            code="upload_busy",
        )

    async def _receive(
        self,
        row: UploadSession,
        claim: str,
        part: PartWriter,
        read: Callable[[int], Awaitable[bytes]],
    ) -> None:
        """Stream into the part up to the session's size; more than that is refused."""
        buffered = bytearray()
        received = part.written
        checkpoint = time.monotonic()
        try:
            while True:
                try:
                    async with asyncio.timeout(READ_TIMEOUT):
                        chunk = await read(CHUNK)
                except TimeoutError:
                    raise InvalidInput(
                        f"No bytes arrived for {READ_TIMEOUT:.0f} seconds; the upload keeps "
                        "what it received.",
                        code="upload_stalled",
                    ) from None
                if not chunk:
                    break
                if received + len(chunk) > row.size:
                    raise InvalidInput(
                        f"This upload is {row.size} bytes; the request sent more.",
                        code="beyond_size",
                    )
                received += len(chunk)
                buffered += chunk
                if len(buffered) >= CHUNK:
                    await part.write(bytes(buffered))
                    buffered.clear()
                if time.monotonic() - checkpoint >= CHECKPOINT:
                    await part.sync()
                    await self._renew(row.id, claim, part.written)
                    checkpoint = time.monotonic()
        finally:
            if buffered:
                await part.write(bytes(buffered))

    async def _renew(self, upload_id: int, claim: str, received: int) -> None:
        now = _now()
        if not await UploadSession.filter(id=upload_id, writer=claim).update(
            received=received, busy_until=now + LEASE, updated_at=now, expires_at=now + EXPIRY
        ):
            raise Conflict("The upload was cancelled meanwhile.", code="upload_cancelled")

    async def _record(self, upload_id: int, claim: str, received: int) -> None:
        """Record progress and let go of the session."""
        now = _now()
        await UploadSession.filter(id=upload_id, writer=claim).update(
            received=received, writer="", busy_until=None, updated_at=now
        )

    async def _complete(
        self, user: UserView, row: UploadSession, claim: str, part: PartWriter
    ) -> UploadProgress:
        try:
            await self._renew(row.id, claim, part.written)
            sha256 = part.hexdigest()
            if row.sha256 is not None and sha256 != row.sha256:
                await self._drop(row.id)
                raise InvalidInput(
                    f"The content's SHA-256 is {sha256}, not the {row.sha256} announced; "
                    "the upload was discarded.",
                    code="checksum_mismatch",
                )
            upload = await self._files.add_content(
                user, part.path, row.size, sha256, row.name, "upload", held=Held(upload=row.id)
            )
        except BaseException:
            # Complete but not committed (say, the quota shrank): the bytes stay, and an empty
            # request at the end offset commits again.
            await self._record(row.id, claim, part.written)
            raise
        await self._drop(row.id)
        view = dataclasses.replace(UploadSessionView.of(row), offset=row.size)
        return UploadProgress(view, upload)
