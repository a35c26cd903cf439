"""Users' files: slot, upload, list, delete, rename and comment, download, share links, stats;
and the public download behind a share link.

A share link's GET reserves one download before the response is prepared; once aiohttp has
decided the response (200 or 206: it serves bytes; 304, 412, 416: it serves none), the
reservation is kept or given back (the rule is in services/storage/files.py). A HEAD reserves
nothing.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, file_part, read_body, read_query, respond
from api.schemas import Id, Instant, Page, PageQuery
from services.core.errors import NotFound
from services.storage.files import FileFilter, FileView, SharedDownload, ShareView, Upload

routes = RouteTable(tag="files")
# What runs after a response (see StoredFileResponse), held here until it is done.
_AFTER_RESPONSES: set[asyncio.Future[None]] = set()
MediaType = Literal["image", "video", "audio", "document", "archive", "other"]
# Multipart framing around one file part is far below this.
MULTIPART_OVERHEAD = 64 * 1024


class FileOut(BaseModel):
    id: int
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
    download_url: str

    @classmethod
    def of(cls, file: FileView) -> FileOut:
        return cls(
            id=file.id,
            name=file.name,
            size=file.size,
            media_type=file.media_type,
            mime_type=file.mime_type,
            source=file.source,
            comment=file.comment,
            sha256=file.sha256,
            created_at=file.created_at,
            last_download_at=file.last_download_at,
            shared=file.shared,
            download_url=f"/api/v1/files/{file.id}/download/",
        )


class UploadOut(FileOut):
    created: bool = Field(description="false when you already had this content")


class SlotQuery(BaseModel):
    name: str = Field(min_length=1, max_length=1000)
    size: int = Field(ge=0)
    hash: str | None = Field(default=None, pattern=r"^[0-9a-fA-F]{64}$", description="SHA-256")


class SlotOut(BaseModel):
    needed: bool = Field(description="false when you already have this content")
    file: FileOut | None
    fits: bool
    quota: int
    used: int
    free: int
    max_size: int


class FileQuery(PageQuery):
    media_type: MediaType | None = None
    date_from: Instant | None = None
    date_to: Instant | None = None
    name: str | None = Field(default=None, max_length=255, description="part of the name")
    user_id: Id | None = Field(default=None, description="administrators: another user's files")


class FilePageOut(Page):
    items: list[FileOut]


class DeleteQuery(BaseModel):
    id: Id | None = None
    media_type: MediaType | None = None
    date_from: Instant | None = None
    date_to: Instant | None = None
    dry_run: bool = False


class DeletedOut(BaseModel):
    dry_run: bool
    count: int
    bytes: int
    items: list[FileOut]


class FilePatch(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=1000)
    comment: str | None = Field(default=None, max_length=4000)


class ShareIn(BaseModel):
    expires_in: int | None = Field(default=None, gt=0, description="seconds")
    max_downloads: int | None = Field(default=None, gt=0)


class ShareOut(BaseModel):
    url: str
    token: str
    created_at: datetime
    expires_at: datetime | None
    max_downloads: int | None
    downloads: int


class StatsQuery(BaseModel):
    media_type: MediaType | None = None
    date_from: Instant | None = None
    date_to: Instant | None = None
    user_id: Id | None = None


class StatsItem(BaseModel):
    media_type: str
    count: int
    bytes: int


class StatsOut(BaseModel):
    items: list[StatsItem]
    count: int
    bytes: int


def content_disposition(name: str, kind: str = "attachment") -> str:
    """RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name."""
    printable = "".join(c for c in name if c.isprintable())
    ascii_name = unicodedata.normalize("NFKD", printable).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r'["\\\\]', "_", ascii_name).strip()
    if not ascii_name or ascii_name.startswith("."):
        # Nothing but the extension is left (a Cyrillic name): clients that read only the
        # fallback (curl -OJ) would write a hidden file.
        ascii_name = "download" + ascii_name
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(printable, safe='')}"


class StoredFileResponse(web.FileResponse):
    """A stored file with its original name; tells `on_done` whether the response served any
    of its bytes (Range and conditional requests are aiohttp's)."""

    def __init__(
        self,
        path: Path,
        file: FileView,
        on_done: Callable[[bool], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(
            path,
            headers={
                "Content-Disposition": content_disposition(file.name),
                "Content-Type": file.mime_type or "application/octet-stream",
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, max-age=0",
            },
        )
        self._on_done = on_done
        self._settled = False

    async def settle(self, request: web.BaseRequest) -> None:
        """Keep or give back the reservation, once. Runs from the app's `on_response_prepare`
        signal — the status is decided, the headers not yet sent — so a client that got a 304
        or a 416 never sees the download still counted; and after `prepare` as a fallback."""
        if self._on_done is None or self._settled:
            return
        self._settled = True
        # aiohttp sets the status before the first byte: 200 and 206 began sending the content
        # (even when the client left meanwhile), any other status sent none.
        served = request.method == "GET" and self.status in (200, 206)
        # A client that leaves may get the handler cancelled (handler_cancellation): the
        # bookkeeping finishes all the same.
        done = asyncio.ensure_future(self._on_done(served))
        _AFTER_RESPONSES.add(done)
        done.add_done_callback(_AFTER_RESPONSES.discard)
        await asyncio.shield(done)

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        try:
            return await super().prepare(request)
        finally:
            await self.settle(request)


async def settle_file_responses(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: settle a share link's reservation before the headers go out."""
    if isinstance(response, StoredFileResponse):
        await response.settle(request)


def _stored(
    request: web.Request, file: FileView, on_done: Callable[[bool], Awaitable[None]] | None = None
) -> StoredFileResponse:
    path = services_of(request).files.store.local_path(file.sha256)
    return StoredFileResponse(path, file, on_done)


def _share_out(request: web.Request, share: ShareView) -> ShareOut:
    base = services_of(request).settings.base_url
    return ShareOut(
        url=f"{base}/s/{share.token}",
        token=share.token,
        created_at=share.created_at,
        expires_at=share.expires_at,
        max_downloads=share.max_downloads,
        downloads=share.downloads,
    )


@routes.get(
    "/api/v1/files/slot/",
    summary="Before uploading: is it needed, does it fit",
    query=SlotQuery,
    response=SlotOut,
)
async def slot(request: web.Request) -> web.Response:
    query = read_query(request, SlotQuery)
    answer = await services_of(request).files.slot(
        user_of(request), name=query.name, size=query.size, sha256=query.hash
    )
    return respond(
        SlotOut(
            needed=answer.needed,
            file=FileOut.of(answer.file) if answer.file else None,
            fits=answer.fits,
            quota=answer.quota,
            used=answer.used,
            free=answer.free,
            max_size=answer.max_size,
        )
    )


@routes.post(
    "/api/v1/files/upload/",
    summary="Upload a file (multipart field `file`), "
    "streamed; your existing file when you already have the content",
    response=UploadOut,
    status=201,
    other_statuses=[200],
    errors=[400, 413, 503, 507],
)
async def upload(request: web.Request) -> web.Response:
    view = await receive_upload(request)
    return respond(
        UploadOut(**FileOut.of(view.file).model_dump(), created=view.created),
        status=201 if view.created else 200,
    )


async def receive_upload(request: web.Request) -> Upload:
    """Stream the multipart part named `file` into storage."""
    part = await file_part(request)
    declared = None
    if request.content_length is not None:
        declared = max(0, request.content_length - MULTIPART_OVERHEAD)
    return await services_of(request).files.upload(
        user_of(request),
        name=part.filename or "upload",
        read=part.read_chunk,
        declared_size=declared,
        source="upload",
    )


@routes.get(
    "/api/v1/files/",
    summary="Your files, newest first; administrators may pass `user_id`",
    query=FileQuery,
    response=FilePageOut,
)
async def list_files(request: web.Request) -> web.Response:
    query = read_query(request, FileQuery)
    page = await services_of(request).files.list_files(
        user_of(request),
        FileFilter(query.media_type, query.date_from, query.date_to, query.name),
        page=query.page,
        per_page=query.per_page,
        user_id=query.user_id,
    )
    return respond(
        FilePageOut(
            page=page.page,
            per_page=page.per_page,
            total=page.total,
            items=[FileOut.of(f) for f in page.items],
        )
    )


@routes.delete(
    "/api/v1/files/",
    summary="Delete one file (`id`) or all matching a date range "
    "and/or media type; `dry_run` only counts",
    query=DeleteQuery,
    response=DeletedOut,
    errors=[404],
)
async def delete_files(request: web.Request) -> web.Response:
    query = read_query(request, DeleteQuery)
    files, user = services_of(request).files, user_of(request)
    if query.id is not None:
        view = await files.get(user, query.id)
        deleted = [view] if query.dry_run else [await files.delete(user, query.id)]
    else:
        deleted = await files.delete_where(
            user,
            FileFilter(query.media_type, query.date_from, query.date_to),
            dry_run=query.dry_run,
        )
    return respond(
        DeletedOut(
            dry_run=query.dry_run,
            count=len(deleted),
            bytes=sum(f.size for f in deleted),
            items=[FileOut.of(f) for f in deleted],
        )
    )


@routes.patch(
    r"/api/v1/files/{file_id:\d{1,18}}/",
    summary="Rename and/or comment a file",
    body=FilePatch,
    response=FileOut,
    errors=[404],
)
async def patch_file(request: web.Request) -> web.Response:
    body = await read_body(request, FilePatch)
    view = await services_of(request).files.update(
        user_of(request), int(request.match_info["file_id"]), name=body.name, comment=body.comment
    )
    return respond(FileOut.of(view))


@routes.get(
    r"/api/v1/files/{file_id:\d{1,18}}/download/",
    summary="Download a file (Range, ETag)",
    errors=[404, 416],
)
async def download(request: web.Request) -> web.StreamResponse:
    files = services_of(request).files
    view = await files.get(user_of(request), int(request.match_info["file_id"]))
    if request.method == "GET":  # a HEAD only looks
        await files.mark_downloaded(view.id)
    return _stored(request, view)


@routes.post(
    r"/api/v1/files/{file_id:\d{1,18}}/share/",
    summary="Create an anonymous link (replaces an earlier one)",
    body=ShareIn,
    response=ShareOut,
    status=201,
    errors=[404],
)
async def share(request: web.Request) -> web.Response:
    body = await read_body(request, ShareIn) if request.can_read_body else ShareIn()
    link = await services_of(request).files.share(
        user_of(request),
        int(request.match_info["file_id"]),
        expires_in=body.expires_in,
        max_downloads=body.max_downloads,
    )
    return respond(_share_out(request, link), status=201)


@routes.get(
    r"/api/v1/files/{file_id:\d{1,18}}/share/",
    summary="The file's anonymous link",
    response=ShareOut,
    errors=[404],
)
async def show_share(request: web.Request) -> web.Response:
    link = await services_of(request).files.shared_link(
        user_of(request), int(request.match_info["file_id"])
    )
    if link is None:
        raise NotFound("This file has no link.", code="not_shared")
    return respond(_share_out(request, link))


@routes.delete(
    r"/api/v1/files/{file_id:\d{1,18}}/share/",
    summary="Revoke the anonymous link",
    status=204,
    errors=[404],
)
async def unshare(request: web.Request) -> web.Response:
    await services_of(request).files.unshare(user_of(request), int(request.match_info["file_id"]))
    return web.Response(status=204)


@routes.get(
    "/api/v1/files/stats/",
    summary="Use of space per media type",
    query=StatsQuery,
    response=StatsOut,
)
async def stats(request: web.Request) -> web.Response:
    query = read_query(request, StatsQuery)
    items = await services_of(request).files.stats(
        user_of(request),
        FileFilter(query.media_type, query.date_from, query.date_to),
        user_id=query.user_id,
    )
    return respond(
        StatsOut(
            items=[StatsItem(media_type=i.media_type, count=i.count, bytes=i.bytes) for i in items],
            count=sum(i.count for i in items),
            bytes=sum(i.bytes for i in items),
        )
    )


@routes.get(
    r"/s/{token:[A-Za-z0-9_-]{16,64}}",
    summary="Public download through a share link; with a download limit, every GET that "
    "serves bytes (the whole file or any range) uses one download, a HEAD none",
    auth="none",
    errors=[404, 410, 416],
)
async def shared_download(request: web.Request) -> web.StreamResponse:
    files = services_of(request).files
    started: SharedDownload = await files.open_shared(
        request.match_info["token"], serve=request.method == "GET"
    )

    async def done(served: bool) -> None:
        await files.close_shared(started, served=served)

    return _stored(request, started.file, done)
