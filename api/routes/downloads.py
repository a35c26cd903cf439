"""Downloads from stations over REST: queue one, see it, list them, pause, start, cancel (stop
and delete what it fetched) and delete (a finished download with its file). The same states
pushed live over WebSocket are in `api.live.downloads`; the older paths for these handlers,
under `/api/v1/files/` and `/files/`, are in `api.compat`."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond
from api.schemas import Page, PageQuery
from services.core.models import DownloadStatus
from services.downloads.views import DownloadFilter, DownloadView

log = logging.getLogger(__name__)
routes = RouteTable(tag="downloads")
DOWNLOADS = "/api/v1/downloads/"
DOWNLOAD = r"/api/v1/downloads/{download_id:\d{1,18}}/"


class DownloadOut(BaseModel):
    id: int
    user_id: int
    station_file_id: int | None = Field(description="null once the station or file is removed")
    station_name: str
    path: str = Field(description="the file's path on the station")
    name: str = Field(description="the name it gets in your files")
    status: DownloadStatus
    bytes: int = Field(description="bytes downloaded so far")
    total: int = Field(description="the file's size")
    percent: float
    speed: int = Field(description="bytes per second while downloading")
    eta: int | None = Field(description="seconds left, when known")
    error: str = Field(description="why it failed, or why it waits for a retry")
    error_code: str
    restarted: bool = Field(description="the station could not resume: it started over")
    file_id: int | None = Field(description="the stored file, once completed")
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    pass_id: int | None = Field(
        default=None, description="the satellite pass of the file (GET /api/v1/passes/{id}/)"
    )

    @classmethod
    def of(cls, view: DownloadView) -> DownloadOut:
        return cls(
            id=view.id,
            user_id=view.user_id,
            station_file_id=view.station_file_id,
            station_name=view.station_name,
            path=view.path,
            name=view.name,
            status=view.status,
            bytes=view.bytes_done,
            total=view.size,
            percent=view.percent,
            speed=view.speed,
            eta=view.eta,
            error=view.error,
            error_code=view.error_code,
            restarted=view.restarted,
            file_id=view.file_id,
            created_at=view.created_at,
            updated_at=view.updated_at,
            finished_at=view.finished_at,
            pass_id=view.pass_id,
        )


class DownloadPageOut(Page):
    items: list[DownloadOut]


class DownloadRequest(BaseModel):
    station_file_id: int = Field(
        ge=1, le=2**62, strict=True, description="from /api/v1/station-files/"
    )

    model_config = ConfigDict(extra="forbid")


class DownloadQuery(PageQuery):
    status: DownloadStatus | Literal["active"] | None = Field(
        default=None, description="one status, or active (queued, downloading, paused)"
    )
    station_id: int | None = Field(default=None, ge=1, le=2**31)
    name: str | None = Field(default=None, max_length=255)
    user_id: int | None = Field(default=None, ge=1, le=2**31, description="administrators only")
    per_page: int = Field(default=20, ge=1, le=200)


def download_id_of(request: web.Request) -> int:
    return int(request.match_info["download_id"])


@routes.post(
    DOWNLOADS,
    summary="Download a station file into your storage (201 new, 200 when you asked before)",
    body=DownloadRequest,
    response=DownloadOut,
    status=201,
    other_statuses=[200],
    errors=[404, 409, 507],
)
async def request_download(request: web.Request) -> web.Response:
    body = await read_body(request, DownloadRequest)
    view, created = await services_of(request).downloads.request(
        user_of(request), body.station_file_id
    )
    return respond(DownloadOut.of(view), 201 if created else 200)


@routes.get(
    DOWNLOAD,
    summary="One download: bytes, total, percent, speed, eta, status, error",
    response=DownloadOut,
    errors=[404],
)
async def get_download(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.get(user_of(request), download_id_of(request))
    return respond(DownloadOut.of(view))


@routes.get(
    DOWNLOADS,
    summary="Your downloads in every status, newest first; administrators may pass `user_id`",
    query=DownloadQuery,
    response=DownloadPageOut,
    errors=[403],
)
async def list_downloads(request: web.Request) -> web.Response:
    query = read_query(request, DownloadQuery)
    page = await services_of(request).downloads.list_downloads(
        user_of(request),
        DownloadFilter(status=query.status, station_id=query.station_id, name=query.name),
        page=query.page,
        per_page=query.per_page,
        user_id=query.user_id,
    )
    return respond(
        DownloadPageOut(
            page=page.page,
            per_page=page.per_page,
            total=page.total,
            items=[DownloadOut.of(v) for v in page.items],
        )
    )


@routes.post(
    DOWNLOAD + "pause/",
    summary="Pause a download (the partial data is kept)",
    response=DownloadOut,
    errors=[404, 409],
)
async def pause(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.pause(user_of(request), download_id_of(request))
    return respond(DownloadOut.of(view))


@routes.post(
    DOWNLOAD + "start/",
    summary="Start a paused, failed or cancelled download again (resumes where it was)",
    response=DownloadOut,
    errors=[404, 409, 507],
)
async def start(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.start(user_of(request), download_id_of(request))
    return respond(DownloadOut.of(view))


@routes.post(
    DOWNLOAD + "cancel/",
    summary="Cancel a download: stop it and delete what it fetched (the partial data or the "
    "finished file); it stays listed as cancelled",
    response=DownloadOut,
    errors=[404],
)
async def cancel(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.down(user_of(request), download_id_of(request))
    return respond(DownloadOut.of(view))


@routes.delete(
    DOWNLOAD,
    summary="Delete a finished (completed, failed or cancelled) download and its file",
    status=204,
    errors=[404, 409],
)
async def remove(request: web.Request) -> web.Response:
    await services_of(request).downloads.remove(user_of(request), download_id_of(request))
    return web.Response(status=204)
