"""Live downloads over WebSocket: a user's download states and progress pushed as they change,
woken by the event bus (`services.core.events`).

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
import weakref
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from api.auth import SESSION_COOKIE, allowed_origins
from api.keys import services_of
from api.openapi import text_problem
from api.routes.downloads import DOWNLOAD, DOWNLOADS, DownloadOut, download_id_of
from api.schemas import ROW_ID_MAX
from services.core.errors import AppError, Forbidden, InvalidInput, NotFound, Unauthorized
from services.core.events import Topic, signal
from services.downloads.views import DownloadView

log = logging.getLogger(__name__)
FIRST_MESSAGE_WAIT = 10.0


# The open watchers, closed when the server shuts down: otherwise aiohttp waits for them (up to
# its shutdown timeout) and a stopping process would keep its transfers' leases meanwhile.
Sockets = weakref.WeakSet[web.WebSocketResponse]
SOCKETS: web.AppKey[Sockets] = web.AppKey("live_sockets")


async def _close_sockets(app: web.Application) -> None:
    sockets: Sockets = app[SOCKETS]
    for socket in list(sockets):
        await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")


def add_websocket_routes(app: web.Application) -> None:
    app[SOCKETS] = Sockets()
    app.on_shutdown.append(_close_sockets)
    for path, handler in (
        (DOWNLOADS + "live", watch_all),
        (DOWNLOAD + "live", watch_one),
    ):
        app.router.add_get(path, handler)
        app.router.add_get(path + "/", handler)


async def watch_all(request: web.Request) -> web.StreamResponse:
    return await _watch(request, None)


async def watch_one(request: web.Request) -> web.StreamResponse:
    return await _watch(request, download_id_of(request))


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
    request.app[SOCKETS].add(socket)
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

    Woken by the event bus, the watcher re-reads at once after a quiet spell, and at most every
    `progress` seconds while events keep coming (each running transfer reports every tick), so
    many transfers cost one read per interval, not one per transfer. Every `recheck` seconds it
    checks the caller's access again and re-reads anyway (a change made by another process)."""
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
        last_sent = checked = last_read = loop.time()
        reader = asyncio.ensure_future(_read(socket))
        try:
            while not reader.done():
                now = loop.time()
                deadline = min(checked + timing.recheck, last_sent + timing.heartbeat)
                waiting: set[asyncio.Future[Any]] = {reader}
                if changed.is_set():  # a change is waiting for its turn to be read
                    deadline = min(deadline, last_read + timing.progress)
                else:
                    waiting.add(asyncio.ensure_future(changed.wait()))
                await asyncio.wait(
                    waiting, timeout=max(0.0, deadline - now), return_when="FIRST_COMPLETED"
                )
                for waiter in waiting - {reader}:
                    waiter.cancel()
                if reader.done():
                    break
                now = loop.time()
                recheck = now - checked >= timing.recheck
                if recheck:
                    await _caller(request, token, cookie=False)  # raises when no longer allowed
                    checked = now
                if recheck or (changed.is_set() and now - last_read >= timing.progress):
                    changed.clear()  # before reading: an event during the read is not lost
                    views = await downloads.snapshot(user_id, download_id)
                    last_read = now
                    if await _send_differences(
                        socket, views, shown, progress_at, now, timing.progress
                    ):
                        last_sent = now
                if now - last_sent >= timing.heartbeat:
                    await socket.send_json({"type": "heartbeat"})
                    last_sent = now
        finally:
            reader.cancel()


async def _send_differences(
    socket: web.WebSocketResponse,
    views: list[DownloadView],
    shown: dict[int, DownloadView],
    progress_at: dict[int, float],
    now: float,
    progress_every: float,
) -> bool:
    """Send what changed since `shown` (which it updates); whether anything was sent."""
    sent = False
    for view in views:
        before = shown.get(view.id)
        if before is None or _state(before) != _state(view):
            kind = "change"
        elif (
            view.bytes_done != before.bytes_done
            and now - progress_at.get(view.id, 0) >= progress_every
        ):
            kind = "progress"
        else:
            continue
        await socket.send_json({"type": kind, "item": _dump(view)})
        shown[view.id], progress_at[view.id], sent = view, now, True
    for gone in set(shown) - {v.id for v in views}:
        del shown[gone]
        await socket.send_json({"type": "removed", "id": gone})
        sent = True
    return sent


def _state(view: DownloadView) -> tuple[object, ...]:
    return (view.status, view.error, view.file_id, view.restarted, view.size)


async def _read(socket: web.WebSocketResponse) -> None:
    """Answer pings; return when the client closes."""
    async for message in socket:
        if message.type == WSMsgType.TEXT:
            with contextlib.suppress(ValueError, AttributeError, RecursionError):
                if json.loads(message.data).get("type") == "ping":
                    await socket.send_json({"type": "pong"})
