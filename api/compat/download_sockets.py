"""The older WebSocket paths for watching downloads: `/files/{user_id}/downloading/` (all of
user `user_id`'s downloads) and `/files/{file_id}/{user_id}/downloading/` (one download, `file_id`
being its id), also under /api/v1. The canonical ones are `/api/v1/downloads/live/` and
`/api/v1/downloads/{download_id}/live/` (`?user_id=` for administrators); the protocol is the
same (see `api.live.downloads`)."""

from __future__ import annotations

from aiohttp import web

from api.live.downloads import watch_all, watch_one
from api.openapi import path_params_renamed


def add_compat_websocket_routes(app: web.Application) -> None:
    one = path_params_renamed(watch_one, {"file_id": "download_id"})
    for prefix in ("", "/api/v1"):
        for path, handler in (
            (r"/files/{user_id:\d{1,18}}/downloading", watch_all),
            (r"/files/{file_id:\d{1,18}}/{user_id:\d{1,18}}/downloading", one),
        ):
            app.router.add_get(prefix + path, handler)
            app.router.add_get(prefix + path + "/", handler)
