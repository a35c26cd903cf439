"""Resumable uploads over REST: open a session, send the bytes in as many requests as it takes
(each from the session's offset), ask where it stands, or drop it.

    POST   /api/v1/uploads/        {name, size, sha256?} → the session (201; 200 when an
                                   unfinished session for the same content is continued)
    PUT    /api/v1/uploads/{id}/   raw bytes from `Upload-Offset: n` (or `Content-Range:
                                   bytes n-m/size`) → the session; with the file when complete
    GET    /api/v1/uploads/{id}/   the session; `Upload-Offset` says where to go on
    GET    /api/v1/uploads/        your unfinished sessions
    DELETE /api/v1/uploads/{id}/   drop a session and what it received
"""

from __future__ import annotations

import re
from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, respond
from api.routes.files import FileOut, UploadOut
from services.core.errors import InvalidInput
from services.storage.uploads import UploadProgress, UploadService, UploadSessionView

routes = RouteTable(tag="uploads")
UPLOAD = r"/api/v1/uploads/{upload_id:\d{1,18}}/"
OFFSET_HEADER = "Upload-Offset"
_CONTENT_RANGE = re.compile(r"^bytes (\d{1,19})-(\d{1,19})/(\d{1,19})$")


class UploadIn(BaseModel):
    name: str = Field(min_length=1, max_length=1000)
    size: int = Field(ge=0, le=2**62, description="bytes")
    sha256: str | None = Field(
        default=None,
        pattern=r"^[0-9a-fA-F]{64}$",
        description="checked when the last byte is in; lets an unfinished session be continued",
    )


class UploadSessionOut(BaseModel):
    id: int
    name: str
    size: int
    offset: int = Field(description="bytes received; send the rest from here")
    sha256: str | None
    created_at: datetime
    expires_at: datetime = Field(description="renewed whenever bytes arrive")
    upload_url: str

    @classmethod
    def of(cls, view: UploadSessionView) -> UploadSessionOut:
        return cls(
            id=view.id,
            name=view.name,
            size=view.size,
            offset=view.offset,
            sha256=view.sha256,
            created_at=view.created_at,
            expires_at=view.expires_at,
            upload_url=f"/api/v1/uploads/{view.id}/",
        )


class UploadSessionList(BaseModel):
    items: list[UploadSessionOut]


class UploadStateOut(UploadSessionOut):
    complete: bool
    file: UploadOut | None = Field(description="the stored file, once complete")


def uploads_of(request: web.Request) -> UploadService:
    return services_of(request).uploads


def _upload_id(request: web.Request) -> int:
    return int(request.match_info["upload_id"])


def _session_response(view: UploadSessionView, status: int = 200) -> web.Response:
    response = respond(UploadSessionOut.of(view), status=status)
    response.headers[OFFSET_HEADER] = str(view.offset)
    return response


def _offset_of(request: web.Request) -> tuple[int, int | None, int | None]:
    """Where the body's bytes go, how many there are, and the file's size, when the request
    says so."""
    length = request.content_length
    header = request.headers.get(OFFSET_HEADER)
    content_range = request.headers.get("Content-Range")
    if header is not None:
        digits = header.strip()
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 18:
            raise InvalidInput(
                f"{OFFSET_HEADER} must be a byte offset (a whole number).", code="bad_offset"
            )
        return int(digits), length, None
    if content_range is not None:
        match = _CONTENT_RANGE.match(content_range.strip())
        if match is None:
            raise InvalidInput(
                "Content-Range must look like 'bytes 0-1023/4096'.", code="bad_offset"
            )
        first, last = int(match[1]), int(match[2])
        if last < first or (length is not None and length != last - first + 1):
            raise InvalidInput("Content-Range does not match the body's length.", code="bad_offset")
        return first, last - first + 1, int(match[3])
    raise InvalidInput(
        f"Say where these bytes go: an {OFFSET_HEADER} header (or Content-Range).",
        code="missing_offset",
    )


@routes.post(
    "/api/v1/uploads/",
    summary="Start a resumable upload (size limit and quota are checked now); 200 continues "
    "your unfinished upload of the same content",
    body=UploadIn,
    response=UploadSessionOut,
    status=201,
    other_statuses=[200],
    errors=[413, 507],
)
async def open_upload(request: web.Request) -> web.Response:
    body = await read_body(request, UploadIn)
    view, created = await uploads_of(request).open(
        user_of(request), name=body.name, size=body.size, sha256=body.sha256
    )
    response = _session_response(view, status=201 if created else 200)
    response.headers["Location"] = f"/api/v1/uploads/{view.id}/"
    return response


@routes.get(
    "/api/v1/uploads/",
    summary="Your unfinished resumable uploads",
    response=UploadSessionList,
)
async def list_uploads(request: web.Request) -> web.Response:
    views = await uploads_of(request).list_sessions(user_of(request))
    return respond(UploadSessionList(items=[UploadSessionOut.of(v) for v in views]))


@routes.get(
    UPLOAD,
    summary="Where a resumable upload stands (also in the Upload-Offset header)",
    response=UploadSessionOut,
    errors=[404],
)
async def get_upload(request: web.Request) -> web.Response:
    view = await uploads_of(request).get(user_of(request), _upload_id(request))
    return _session_response(view)


@routes.put(
    UPLOAD,
    summary="Send bytes (application/octet-stream) from the offset in Upload-Offset or "
    "Content-Range; the last byte stores the file (201, or 200 with your existing file)",
    response=UploadStateOut,
    other_statuses=[201],
    errors=[400, 404, 409, 503, 507],
)
async def send_bytes(request: web.Request) -> web.Response:
    offset, length, size = _offset_of(request)

    async def read(size: int) -> bytes:
        try:
            return await request.content.read(size)
        except Exception as exc:  # the client went away; what arrived is kept
            raise InvalidInput(
                "The request ended before its body did; the upload keeps what arrived.",
                code="upload_interrupted",
            ) from exc

    progress: UploadProgress = await uploads_of(request).append(
        user_of(request), _upload_id(request), offset=offset, read=read, length=length, size=size
    )
    upload = progress.upload
    body = UploadStateOut(
        **UploadSessionOut.of(progress.session).model_dump(),
        complete=upload is not None,
        file=(
            UploadOut(**FileOut.of(upload.file).model_dump(), created=upload.created)
            if upload is not None
            else None
        ),
    )
    response = respond(body, status=201 if upload is not None and upload.created else 200)
    response.headers[OFFSET_HEADER] = str(progress.session.offset)
    return response


@routes.delete(
    UPLOAD,
    summary="Drop a resumable upload and the bytes it received",
    status=204,
    errors=[404],
)
async def cancel_upload(request: web.Request) -> web.Response:
    await uploads_of(request).cancel(user_of(request), _upload_id(request))
    return web.Response(status=204)
