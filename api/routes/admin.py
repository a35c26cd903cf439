"""Administration: the server log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel

from api.keys import services_of
from api.openapi import RouteTable, read_query, respond
from api.schemas import Page, PageQuery

routes = RouteTable(tag="admin")


class LogQuery(PageQuery):
    level: Literal["debug", "info", "warning", "error"] = "debug"


class LogItem(BaseModel):
    id: int
    time: datetime
    level: str
    logger: str
    message: str
    user_id: int | None
    station_id: int | None
    download_id: int | None


class LogPage(Page):
    items: list[LogItem]


@routes.get(
    "/api/v1/admin/logs",
    summary="Latest server log entries, newest first; `level` is the lowest level shown",
    auth="admin",
    query=LogQuery,
    response=LogPage,
)
async def admin_logs(request: web.Request) -> web.Response:
    query = read_query(request, LogQuery)
    entries, total = await services_of(request).logs.latest(
        min_level=query.level, page=query.page, per_page=query.per_page
    )
    items = [
        LogItem(
            id=e.id,
            time=e.created_at,
            level=e.level,
            logger=e.logger,
            message=e.message,
            user_id=e.user_id,
            station_id=e.station_id,
            download_id=e.download_id,
        )
        for e in entries
    ]
    return respond(LogPage(page=query.page, per_page=query.per_page, total=total, items=items))
