"""Downloads from stations: queue one, see it, list them, pause, start, cancel (stop and delete
what it fetched) and delete (a finished download with its file); and the two WebSocket routes
that push a user's download states and progress live. (The older paths for the same handlers,
under `/api/v1/files/` and `/files/`, are in `api.compat`.)

WebSocket protocol (`/api/v1/downloads/live/` for all of a user's downloads,
`/api/v1/downloads/{download_id}/live/` for one; the caller's own, or, for an administrator,
those of the user in `?user_id=`):
- credentials: `?token=…`, the session cookie, an `Authorization` header, or — when none of
  these came with the upgrade — a first message `{"token": "…"}` within 10 seconds;
- the server sends `{"type": "snapshot", "items": [...]}` on connect (and only then: a client
  that reconnects gets a fresh one), then `{"type": "change", "item": {...}}` on every change of
  status, `{"type": "progress", "item": {...}}` at most once a second per moving download,
  `{"type": "removed", "id": n}`, and `{"type": "heartbeat"}` when nothing else was sent for
  15 seconds; errors come as `{"type": "error", "error": {"code", "message"}}` before closing;
- a client may send `{"type": "ping"}` and gets `{"type": "pong"}`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from datetime import datetime
from typing import Any, Literal

from aiohttp import WSMsgType, web
from pydantic import BaseModel, ConfigDict, Field

from api.auth import SESSION_COOKIE, allowed_origins
from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond, text_problem
from api.schemas import ROW_ID_MAX, Page, PageQuery
from services.core.errors import AppError, Forbidden, InvalidInput, NotFound, Unauthorized
from services.core.events import Topic, signal
from services.core.models import DownloadStatus
from services.downloads.views import DownloadFilter, DownloadView

log = logging.getLogger(__name__)
routes = RouteTable(tag="downloads")
DOWNLOADS = "/api/v1/downloads/"
DOWNLOAD = r"/api/v1/downloads/{download_id:\d{1,18}}/"
FIRST_MESSAGE_WAIT = 10.0
# The watcher's rhythm comes from `Services.timing`: progress at most every `progress` seconds;
# the token checked again every `recheck` seconds (a revoked token, a deactivated account or a
# lost admin flag ends the stream, close code 4401 / 4403, within that time); a heartbeat after
# `heartbeat` seconds of silence.


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


def _download_id(request: web.Request) -> int:
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
    view = await services_of(request).downloads.get(user_of(request), _download_id(request))
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
    view = await services_of(request).downloads.pause(user_of(request), _download_id(request))
    return respond(DownloadOut.of(view))


@routes.post(
    DOWNLOAD + "start/",
    summary="Start a paused, failed or cancelled download again (resumes where it was)",
    response=DownloadOut,
    errors=[404, 409, 507],
)
async def start(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.start(user_of(request), _download_id(request))
    return respond(DownloadOut.of(view))


@routes.post(
    DOWNLOAD + "cancel/",
    summary="Cancel a download: stop it and delete what it fetched (the partial data or the "
    "finished file); it stays listed as cancelled",
    response=DownloadOut,
    errors=[404],
)
async def cancel(request: web.Request) -> web.Response:
    view = await services_of(request).downloads.down(user_of(request), _download_id(request))
    return respond(DownloadOut.of(view))


@routes.delete(
    DOWNLOAD,
    summary="Delete a finished (completed, failed or cancelled) download and its file",
    status=204,
    errors=[404, 409],
)
async def remove(request: web.Request) -> web.Response:
    await services_of(request).downloads.remove(user_of(request), _download_id(request))
    return web.Response(status=204)


# ---- WebSocket -------------------------------------------------------------------------------


def add_websocket_routes(app: web.Application) -> None:
    for path, handler in (
        (DOWNLOADS + "live", watch_all),
        (DOWNLOAD + "live", watch_one),
    ):
        app.router.add_get(path, handler)
        app.router.add_get(path + "/", handler)


async def watch_all(request: web.Request) -> web.StreamResponse:
    return await _watch(request, None)


async def watch_one(request: web.Request) -> web.StreamResponse:
    return await _watch(request, _download_id(request))


def _watched_id(request: web.Request) -> int | None:
    """The user whose downloads are asked for: `user_id` in the path (the older routes) or in
    the query; None: the caller's own."""
    raw = request.match_info.get("user_id", request.query.get("user_id"))
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise InvalidInput("user_id must be a number.", fields={"user_id": "expected a number"})
    return int(raw)


async def _caller(request: web.Request, token: str, *, cookie: bool) -> int:
    """The user whose downloads the caller may watch: their own, or, for an administrator, those
    of the user asked for."""
    if cookie:
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in allowed_origins(request):
            raise Forbidden("Cross-site request refused.", code="csrf")
    user = await services_of(request).auth.authenticate(token)
    watched = _watched_id(request)
    if watched is None:
        return user.id
    if user.id != watched and not user.is_admin:
        raise Forbidden("You may only watch your own downloads.", code="not_yours")
    return watched


def _upgrade_token(request: web.Request) -> tuple[str | None, bool]:
    """A token that came with the upgrade request, and whether it came as the cookie."""
    if token := request.query.get("token"):
        return token, False
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip(), False
    if cookie := request.cookies.get(SESSION_COOKIE):
        return cookie, True
    return None, False


async def _watch(request: web.Request, download_id: int | None) -> web.StreamResponse:
    if max(_watched_id(request) or 0, download_id or 0) > ROW_ID_MAX:
        raise NotFound("There is nothing at this address.", code="not_found")  # no such row
    token, cookie = _upgrade_token(request)
    # 401/403 as JSON, before the upgrade
    user_id = await _caller(request, token, cookie=cookie) if token else None
    heartbeat = services_of(request).timing.heartbeat
    socket = web.WebSocketResponse(heartbeat=heartbeat * 2, max_msg_size=64 * 1024)
    await socket.prepare(request)
    try:
        if not token or user_id is None:
            token, user_id = await _first_message_token(request, socket)
        await _stream(request, socket, download_id, token, user_id)
    except AppError as error:
        with contextlib.suppress(ConnectionError):  # the client may be gone already
            detail = {"code": error.code, "message": error.message}
            await socket.send_json({"type": "error", "error": detail})
        await socket.close(code=_close_code(error))
    except ConnectionError:
        log.debug("A download watcher went away mid-message")
    finally:
        await socket.close()
    return socket


def _close_code(error: AppError) -> int:
    """WebSocket close codes in the application range, mirroring HTTP statuses."""
    return 4000 + error.status if 400 <= error.status < 600 else 1011


async def _first_message_token(
    request: web.Request, socket: web.WebSocketResponse
) -> tuple[str, int]:
    """The token the client sends first, and the user it may watch."""
    try:
        message = await asyncio.wait_for(socket.receive(), FIRST_MESSAGE_WAIT)
    except TimeoutError:
        raise Unauthorized(
            'Send your token first: {"token": "…"} (or ?token= in the address).',
            code="missing_token",
        ) from None
    token = ""
    if message.type == WSMsgType.TEXT:
        # RecursionError: JSON nested deeper than the parser goes is no token either.
        with contextlib.suppress(ValueError, AttributeError, RecursionError):
            token = str(json.loads(message.data).get("token") or "")
    if not token or text_problem(token) is not None:  # a lone surrogate cannot be hashed
        raise Unauthorized('The first message must be {"token": "…"}.', code="missing_token")
    return token, await _caller(request, token, cookie=False)


def _dump(view: DownloadView) -> dict[str, Any]:
    dumped: dict[str, Any] = DownloadOut.of(view).model_dump(mode="json")
    return dumped


async def _stream(
    request: web.Request,
    socket: web.WebSocketResponse,
    download_id: int | None,
    token: str,
    user_id: int,
) -> None:
    """The snapshot, then changes and progress, until the client goes or may no longer watch.
    Woken by the event bus; re-reads the database at least every `recheck` seconds anyway (a
    change made by another process)."""
    services = services_of(request)
    downloads, timing = services.downloads, services.timing
    loop = asyncio.get_running_loop()
    with signal(services.bus, Topic.DOWNLOADS, user_id=user_id) as changed:
        views = await downloads.snapshot(user_id, download_id)
        if download_id is not None and not views:
            raise NotFound("There is no such download.", code="unknown_download")
        await socket.send_json({"type": "snapshot", "items": [_dump(v) for v in views]})
        shown = {v.id: v for v in views}
        progress_at = dict.fromkeys(shown, loop.time())
        last_sent = checked = loop.time()
        reader = asyncio.ensure_future(_read(socket))
        try:
            while not reader.done():
                changed.clear()
                waiter = asyncio.ensure_future(changed.wait())
                await asyncio.wait(
                    {reader, waiter},
                    timeout=min(timing.recheck, timing.heartbeat),
                    return_when="FIRST_COMPLETED",
                )
                waiter.cancel()
                if reader.done():
                    break
                now = loop.time()
                if now - checked >= timing.recheck:
                    await _caller(request, token, cookie=False)  # raises when no longer allowed
                    checked = now
                views = await downloads.snapshot(user_id, download_id)
                for view in views:
                    before = shown.get(view.id)
                    if before is None or _state(before) != _state(view):
                        kind = "change"
                    elif (
                        view.bytes_done != before.bytes_done
                        and now - progress_at.get(view.id, 0) >= timing.progress
                    ):
                        kind = "progress"
                    else:
                        continue
                    await socket.send_json({"type": kind, "item": _dump(view)})
                    shown[view.id], progress_at[view.id], last_sent = view, now, now
                for gone in set(shown) - {v.id for v in views}:
                    del shown[gone]
                    await socket.send_json({"type": "removed", "id": gone})
                    last_sent = now
                if now - last_sent >= timing.heartbeat:
                    await socket.send_json({"type": "heartbeat"})
                    last_sent = now
        finally:
            reader.cancel()


def _state(view: DownloadView) -> tuple[object, ...]:
    return (view.status, view.error, view.file_id, view.restarted, view.size)


async def _read(socket: web.WebSocketResponse) -> None:
    """Answer pings; return when the client closes."""
    async for message in socket:
        if message.type == WSMsgType.TEXT:
            with contextlib.suppress(ValueError, AttributeError, RecursionError):
                if json.loads(message.data).get("type") == "ping":
                    await socket.send_json({"type": "pong"})
