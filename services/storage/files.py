"""Users' files: uploads with dedup and quotas, listing, renaming, deleting, share links, stats.

A file is a user's named reference to a blob (content stored once under its SHA-256). Each
reference counts its full size against its owner's quota, also when other users hold the same
content: deleting your file frees exactly its size for you.

- Space: one rule for every way content arrives (an upload, the bot, a resumable upload, a station
  download): it must fit `UserService.free`, the quota less the user's files, their unfinished
  resumable uploads and the downloads they hold. Content that reserved its space when it was
  admitted (a resumable upload's session, a held download) is checked again when it is committed,
  beside everything but its own reservation (`Held`).
- A full disk (not a full quota) answers `StorageFull` (507) and leaves nothing behind; another
  failing write answers 503 `storage_failed`.
- Share links: a link with a download limit counts every response that starts serving the file,
  the whole file or any range of it. The download is reserved atomically (an UPDATE guarded by
  `downloads < max_downloads`) before the first byte, so parallel requests never pass the limit,
  and a response that is cut off stays counted: what it sent cannot be taken back. A HEAD, a 304
  for a cached copy and an unsatisfiable range serve no bytes and count nothing. There is no
  free resume: an anonymous link knows no client to tell a resume from a second download, so a
  resumed range is a download like any other. A link answers like a revoked one (404) while its
  owner's account is deactivated, and works again when it is reactivated.
"""

from __future__ import annotations

import asyncio
import base64
import errno
import hashlib
import hmac
import mimetypes
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath

import filetype
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from services.accounts.users import UserService, UserView
from services.core.errors import (
    AppError,
    Forbidden,
    Gone,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
    StorageFull,
)
from services.core.models import ShareLink, StoredFile
from services.storage.blobs import BlobService
from services.storage.store import CHUNK, IncomingFile, quota_error, size_error

MEDIA_TYPES = ("image", "video", "audio", "document", "archive", "other")
SOURCES = ("upload", "bot", "station", "avatar")
AVATAR_SOURCE = "avatar"
_ARCHIVE_MIMES = {
    "application/zip",
    "application/gzip",
    "application/x-tar",
    "application/x-7z-compressed",
    "application/x-rar-compressed",
    "application/vnd.rar",
    "application/x-bzip2",
    "application/x-xz",
    "application/zstd",
    "application/x-zstd",
    "application/x-lzip",
}
_DOCUMENT_MIMES = {
    "application/pdf",
    "application/msword",
    "application/rtf",
    "application/json",
    "application/xml",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/epub+zip",
}


_NOT_STORED = "the file was not stored. Try again later."


def storage_error(exc: OSError, consequence: str) -> AppError:
    """What to answer when writing content failed: 507 for a full disk (or a file-system quota),
    503 for a failing one. `consequence` says what became of the bytes."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFull(f"The server's disk is full: {consequence}")
    return ServiceUnavailable(
        f"The server could not write to its disk: {consequence}", code="storage_failed"
    )


def classify(name: str, head: bytes) -> tuple[str, str]:
    """(media type, MIME type) from the content's first bytes, else from the name's extension."""
    kind = filetype.guess(head) if head else None
    mime = kind.mime if kind is not None else (mimetypes.guess_type(name)[0] or "")
    if not mime:
        return "other", "application/octet-stream"
    major = mime.split("/")[0]
    if major in ("image", "video", "audio"):
        return major, mime
    if mime in _ARCHIVE_MIMES:
        return "archive", mime
    if major == "text" or mime in _DOCUMENT_MIMES:
        return "document", mime
    return "other", mime


def read_head(path: Path) -> bytes:
    """The first bytes of a file, enough to recognise its type."""
    with path.open("rb") as handle:
        return handle.read(8192)


def clean_name(name: str) -> str:
    """A display name: the last path component, no control characters, at most 255 characters."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    if cleaned in ("", ".", ".."):
        raise InvalidInput("The file needs a name.", fields={"name": "must not be empty"})
    return cleaned[:255]


@dataclass(frozen=True)
class FileView:
    id: int
    user_id: int
    name: str
    size: int
    media_type: str
    mime_type: str
    source: str
    comment: str
    sha256: str
    created_at: datetime
    last_download_at: datetime | None
    shared: bool

    @classmethod
    def of(cls, row: StoredFile, *, shared: bool = False) -> FileView:
        return cls(
            id=row.id,
            user_id=row.user_id,
            name=row.name,
            size=row.size,
            media_type=row.media_type,
            mime_type=row.mime_type,
            source=row.source,
            comment=row.comment,
            sha256=row.blob_id,
            created_at=row.created_at,
            last_download_at=row.last_download_at,
            shared=shared,
        )


@dataclass(frozen=True)
class Held:
    """The reservation that admitted content being committed (an unfinished upload's session or
    a held download). It holds the content's own space, so it is not counted against it."""

    upload: int | None = None
    download: int | None = None


@dataclass(frozen=True)
class Upload:
    file: FileView
    created: bool


@dataclass(frozen=True)
class Slot:
    needed: bool
    file: FileView | None
    fits: bool
    quota: int
    used: int
    free: int
    max_size: int


@dataclass(frozen=True)
class FilePage:
    items: list[FileView]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class FileFilter:
    media_type: str | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    name: str | None = None


@dataclass(frozen=True)
class MediaStats:
    media_type: str
    count: int
    bytes: int


@dataclass(frozen=True)
class ShareView:
    file_id: int
    token: str
    created_at: datetime
    expires_at: datetime | None
    max_downloads: int | None
    downloads: int


@dataclass(frozen=True)
class SharedDownload:
    share_id: int
    file: FileView
    # One download of the link was reserved for this response (it is to serve the content).
    counted: bool


class FileService:
    def __init__(
        self, *, blobs: BlobService, users: UserService, max_upload: int, secret: bytes
    ) -> None:
        self._blobs = blobs
        self.store = blobs.store
        self._users = users
        self.max_upload = max_upload
        self._secret = secret

    # ---- upload ------------------------------------------------------------------------

    async def slot(self, user: UserView, *, name: str, size: int, sha256: str | None) -> Slot:
        """Before an upload: is it needed at all, and would it fit."""
        if size < 0:
            raise InvalidInput("The size cannot be negative.", fields={"size": "must be >= 0"})
        clean_name(name)
        existing = None
        if sha256:
            row = await StoredFile.filter(user_id=user.id, blob_id=sha256.lower()).first()
            existing = FileView.of(row, shared=await self._is_shared(row.id)) if row else None
        free = await self._users.free(user)
        return Slot(
            needed=existing is None,
            file=existing,
            fits=existing is not None or size <= free,
            quota=self._users.quota_of(user),
            used=await self._users.used(user.id),
            free=free,
            max_size=self.max_upload,
        )

    async def upload(
        self,
        user: UserView,
        *,
        name: str,
        read: Callable[[int], Awaitable[bytes]],
        declared_size: int | None = None,
        source: str = "upload",
    ) -> Upload:
        """Stream content into storage; the user's existing file when they have it already."""
        name = clean_name(name)
        free = await self._users.free(user)
        if declared_size is not None:
            self._check_size(declared_size, free)
        incoming = self._incoming()
        # Stop the stream at whichever limit comes first; its own error says which.
        if self.max_upload <= free:
            incoming.limit, incoming.on_limit = self.max_upload, size_error(self.max_upload)
        else:
            incoming.limit, incoming.on_limit = free, quota_error(free)
        try:
            while chunk := await read(CHUNK):
                await self._write(incoming, chunk)
            sha256 = await self._finish(incoming)
        except BaseException:
            await self._discard(incoming)
            raise
        return await self._commit(user, incoming, sha256, name, source, held=Held())

    def _check_size(self, size: int, free: int) -> None:
        if size > self.max_upload:
            raise size_error(self.max_upload)(size)
        if size > free:
            raise quota_error(free)(size)

    async def store_bytes(
        self, user: UserView, *, name: str, data: bytes, source: str, reuse: bool = True
    ) -> Upload:
        """Store content produced here (a processed image, a small file)."""
        incoming = self._incoming()
        try:
            await self._write(incoming, data)
            sha256 = await self._finish(incoming)
        except BaseException:
            await self._discard(incoming)
            raise
        return await self._commit(
            user, incoming, sha256, clean_name(name), source, reuse=reuse, held=Held()
        )

    # Writing content: only errors of the disk (not of the sender, whose network errors can be
    # OSErrors too) become a full or failing disk.

    def _incoming(self) -> IncomingFile:
        try:
            return self.store.incoming()
        except OSError as exc:
            raise storage_error(exc, _NOT_STORED) from exc

    async def _write(self, incoming: IncomingFile, chunk: bytes) -> None:
        try:
            await incoming.write(chunk)
        except OSError as exc:
            raise storage_error(exc, _NOT_STORED) from exc

    async def _finish(self, incoming: IncomingFile) -> str:
        try:
            return await incoming.finish()
        except OSError as exc:
            raise storage_error(exc, _NOT_STORED) from exc

    @staticmethod
    async def _discard(incoming: IncomingFile) -> None:
        try:
            await incoming.discard()
        except OSError:
            # Closing flushes what is still buffered, which fails on a full disk: the file must
            # go all the same, or it keeps the disk full.
            await asyncio.to_thread(incoming.path.unlink, True)

    async def _commit(
        self,
        user: UserView,
        incoming: IncomingFile,
        sha256: str,
        name: str,
        source: str,
        *,
        reuse: bool = True,
        held: Held | None = None,
    ) -> Upload:
        try:
            return await self.add_content(
                user, incoming.path, incoming.size, sha256, name, source, reuse=reuse, held=held
            )
        finally:
            incoming.path.unlink(missing_ok=True)

    async def add_content(
        self,
        user: UserView,
        path: Path | None,
        size: int,
        sha256: str,
        name: str,
        source: str,
        *,
        reuse: bool = True,
        head: bytes | None = None,
        held: Held | None = None,
    ) -> Upload:
        """The user's file for finished content at `path` (hashed already), or their existing file
        with this content. `path` is moved into storage unless the content is there already; no
        `path`, or one that no longer exists, means the content must be in storage (moved in for
        another user; NotFound otherwise). The caller removes `path` if it is still there.

        The content must fit the user's free space (`UserService.free`) beside everything but
        `held`, the reservation that admitted it (none for content that was not reserved)."""
        existing = (
            await StoredFile.filter(user_id=user.id, blob_id=sha256).first() if reuse else None
        )
        if existing is not None:
            return Upload(FileView.of(existing, shared=await self._is_shared(existing.id)), False)
        content = path if path is not None and await asyncio.to_thread(path.exists) else None
        if head is None:
            head = await asyncio.to_thread(read_head, content) if content is not None else b""
        media_type, mime = classify(name, head)
        row, created = await self._add_reference(
            user, sha256, size, name, media_type, mime, source, content, reuse=reuse, held=held
        )
        return Upload(
            FileView.of(row, shared=not created and await self._is_shared(row.id)), created
        )

    async def _add_reference(
        self,
        user: UserView,
        sha256: str,
        size: int,
        name: str,
        media_type: str,
        mime: str,
        source: str,
        content: Path | None,
        *,
        reuse: bool = True,
        held: Held | None = None,
    ) -> tuple[StoredFile, bool]:
        """The new reference, or the user's existing file with this content (and False)."""
        for _attempt in range(3):
            try:
                async with in_transaction():
                    await self._users.lock_space(user.id)
                    held = held or Held()
                    free = await self._users.free(
                        user, except_upload=held.upload, except_download=held.download
                    )
                    if size > free:
                        raise quota_error(free)(size)
                    await self._blobs.retain(sha256, size, content)
                    # Holding the blob's lock: a concurrent upload of the same content by the
                    # same user has either committed its file by now or waits for us.
                    if reuse:
                        existing = await StoredFile.filter(user_id=user.id, blob_id=sha256).first()
                        if existing is not None:
                            await self._blobs.undo_retain(sha256)
                            return existing, False
                    return await StoredFile.create(
                        user_id=user.id,
                        blob_id=sha256,
                        name=name,
                        size=size,
                        media_type=media_type,
                        mime_type=mime,
                        source=source,
                        created_at=datetime.now(UTC),
                    ), True
            except IntegrityError:
                continue  # another upload created the blob row first: lock it instead
        raise RuntimeError("could not store the file reference")

    # ---- reading -----------------------------------------------------------------------

    async def get(self, user: UserView, file_id: int) -> FileView:
        """A file the user may see: their own, or any for administrators."""
        row = await StoredFile.get_or_none(id=file_id)
        if row is None or (row.user_id != user.id and not user.is_admin):
            raise NotFound("There is no such file.", code="unknown_file")
        return FileView.of(row, shared=await self._is_shared(row.id))

    async def _is_shared(self, file_id: int) -> bool:
        now = datetime.now(UTC)
        for share in await ShareLink.filter(file_id=file_id):
            if self._share_usable(share, now):
                return True
        return False

    def _query(self, owner_id: int, where: FileFilter):  # type: ignore[no-untyped-def]
        # Avatars are files too (quota, dedup) but are managed under /avatar.
        query = StoredFile.filter(user_id=owner_id).exclude(source=AVATAR_SOURCE)
        if where.media_type:
            if where.media_type not in MEDIA_TYPES:
                raise InvalidInput(
                    "Unknown media type.", fields={"media_type": "|".join(MEDIA_TYPES)}
                )
            query = query.filter(media_type=where.media_type)
        if where.date_from:
            query = query.filter(created_at__gte=where.date_from)
        if where.date_to:
            query = query.filter(created_at__lte=where.date_to)
        if where.name:
            query = query.filter(name__icontains=where.name)
        return query

    def _owner(self, user: UserView, user_id: int | None) -> int:
        if user_id is None or user_id == user.id:
            return user.id
        if not user.is_admin:
            raise Forbidden("Only administrators may see another user's files.", code="admin_only")
        return user_id

    async def list_files(
        self,
        user: UserView,
        where: FileFilter,
        *,
        page: int = 1,
        per_page: int = 50,
        user_id: int | None = None,
    ) -> FilePage:
        query = self._query(self._owner(user, user_id), where)
        total = await query.count()
        rows = (
            await query.order_by("-created_at", "-id").offset((page - 1) * per_page).limit(per_page)
        )
        shared = await self._shared_ids([r.id for r in rows])
        return FilePage(
            [FileView.of(r, shared=r.id in shared) for r in rows], page, per_page, total
        )

    async def newest_named(self, user: UserView, name: str) -> FileView:
        """The user's newest file with exactly this name (for `/download/{filename}`)."""
        row = (
            await self._query(user.id, FileFilter())
            .filter(name=name)
            .order_by("-created_at", "-id")
            .first()
        )
        if row is None:
            raise NotFound("You have no file with this name.", code="unknown_file")
        return FileView.of(row, shared=await self._is_shared(row.id))

    async def _shared_ids(self, ids: list[int]) -> set[int]:
        now = datetime.now(UTC)
        return {
            s.file_id for s in await ShareLink.filter(file_id__in=ids) if self._share_usable(s, now)
        }

    async def stats(
        self, user: UserView, where: FileFilter, user_id: int | None = None
    ) -> list[MediaStats]:
        rows = (
            await self._query(self._owner(user, user_id), where)
            .annotate(count=Count("id"), total=Sum("size"))
            .group_by("media_type")
            .values("media_type", "count", "total")
        )
        return sorted(
            (MediaStats(r["media_type"], int(r["count"]), int(r["total"] or 0)) for r in rows),
            key=lambda s: MEDIA_TYPES.index(s.media_type) if s.media_type in MEDIA_TYPES else 99,
        )

    # ---- changing ----------------------------------------------------------------------

    async def update(
        self, user: UserView, file_id: int, *, name: str | None = None, comment: str | None = None
    ) -> FileView:
        await self.get(user, file_id)
        changes: dict[str, object] = {}
        if name is not None:
            if "/" in name or "\\" in name:
                # A name someone typed is taken as it is or refused, never cut at a slash.
                raise InvalidInput(
                    "A file name cannot contain / or \\.",
                    code="invalid_name",
                    fields={"name": "must not contain / or \\"},
                )
            changes["name"] = clean_name(name)
        if comment is not None:
            changes["comment"] = comment[:4000]
        if changes:
            await StoredFile.filter(id=file_id).update(**changes)
        return await self.get(user, file_id)

    async def delete(self, user: UserView, file_id: int) -> FileView:
        view = await self.get(user, file_id)
        await self._blobs.release_file(file_id, view.sha256)
        return view

    async def delete_where(
        self, user: UserView, where: FileFilter, *, dry_run: bool = False
    ) -> list[FileView]:
        if not (where.media_type or where.date_from or where.date_to):
            raise InvalidInput(
                "Say what to delete: an id, a date range or a media type.", code="no_selection"
            )
        rows = await self._query(user.id, where).order_by("id")
        views = [FileView.of(r) for r in rows]
        if not dry_run:
            for view in views:
                await self._blobs.release_file(view.id, view.sha256)
        return views

    async def mark_downloaded(self, file_id: int) -> None:
        await StoredFile.filter(id=file_id).update(last_download_at=datetime.now(UTC))

    # ---- share links -------------------------------------------------------------------

    def _token(self, salt: str) -> str:
        digest = hmac.new(self._secret, f"share:{salt}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")

    @staticmethod
    def _share_usable(share: ShareLink, now: datetime) -> bool:
        if share.expires_at is not None and share.expires_at <= now:
            return False
        return share.max_downloads is None or share.downloads < share.max_downloads

    def _share_view(self, share: ShareLink) -> ShareView:
        return ShareView(
            file_id=share.file_id,
            token=self._token(share.salt),
            created_at=share.created_at,
            expires_at=share.expires_at,
            max_downloads=share.max_downloads,
            downloads=share.downloads,
        )

    async def share(
        self,
        user: UserView,
        file_id: int,
        *,
        expires_in: int | None = None,
        max_downloads: int | None = None,
    ) -> ShareView:
        """A new anonymous link for a file (replacing an earlier one)."""
        await self.get(user, file_id)
        if expires_in is not None and expires_in <= 0:
            raise InvalidInput("The expiry must be in the future.", fields={"expires_in": "> 0"})
        if max_downloads is not None and max_downloads <= 0:
            raise InvalidInput(
                "The download limit must be positive.", fields={"max_downloads": "> 0"}
            )
        salt = secrets.token_hex(16)
        now = datetime.now(UTC)
        async with in_transaction():
            await ShareLink.filter(file_id=file_id).delete()
            share = await ShareLink.create(
                file_id=file_id,
                salt=salt,
                token_hash=hashlib.sha256(self._token(salt).encode()).hexdigest(),
                created_at=now,
                expires_at=now + timedelta(seconds=expires_in) if expires_in else None,
                max_downloads=max_downloads,
            )
        return self._share_view(share)

    async def shared_link(self, user: UserView, file_id: int) -> ShareView | None:
        await self.get(user, file_id)
        share = await ShareLink.filter(file_id=file_id).first()
        return self._share_view(share) if share else None

    async def unshare(self, user: UserView, file_id: int) -> None:
        await self.get(user, file_id)
        await ShareLink.filter(file_id=file_id).delete()

    async def open_shared(self, token: str, *, serve: bool) -> SharedDownload:
        """Start a public download. `serve`: the response is to send the content (a GET), so one
        download of the limit is reserved now, before the first byte; without it (a HEAD) the
        link is only checked."""
        if len(token) > 64:
            raise NotFound("There is no such link.", code="unknown_link")
        # A deactivated owner's links answer like revoked ones, and work again on reactivation.
        share = await ShareLink.get_or_none(
            token_hash=hashlib.sha256(token.encode()).hexdigest(), file__user__is_active=True
        ).select_related("file")
        if share is None:
            raise NotFound("There is no such link.", code="unknown_link")
        now = datetime.now(UTC)
        if share.expires_at is not None and share.expires_at <= now:
            raise Gone("This link has expired.", code="link_expired")
        exhausted = Gone("This link has reached its download limit.", code="link_exhausted")
        if not serve:
            if share.max_downloads is not None and share.downloads >= share.max_downloads:
                raise exhausted
            return SharedDownload(share.id, FileView.of(share.file), counted=False)
        # Check and count in one statement: of requests racing for the last download, one wins.
        query = ShareLink.filter(id=share.id)
        if share.max_downloads is not None:
            query = query.filter(downloads__lt=share.max_downloads)
        if not await query.update(downloads=F("downloads") + 1):
            raise exhausted
        return SharedDownload(share.id, FileView.of(share.file), counted=True)

    async def close_shared(self, download: SharedDownload, *, served: bool) -> None:
        """After the response: one that served bytes (however few, or cut off) stays counted;
        one that served none (a 304, a 416) gives its reservation back."""
        if served:
            await self.mark_downloaded(download.file.id)
        elif download.counted:
            await ShareLink.filter(id=download.share_id, downloads__gt=0).update(
                downloads=F("downloads") - 1
            )
