"""GET /health: is the service working."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of
from api.openapi import RouteTable, respond

routes = RouteTable(tag="health")


class HealthBody(BaseModel):
    status: str
    database: bool
    bot: bool
    scheduler: bool
    role: str = Field(description="leader (runs the scheduler and the Telegram sender) or follower")
    redis: bool | None = Field(description="Redis answers; null with one process (no Redis)")
    process: str = Field(description="the process that answered: host:pid")


@routes.get(
    "/health",
    summary="Database, bot and scheduler status",
    auth="none",
    response=HealthBody,
    errors=[503],
)
async def health(request: web.Request) -> web.Response:
    report = await services_of(request).health.check()
    body = HealthBody(
        status="ok" if report.ok else "degraded",
        database=report.database,
        bot=report.bot,
        scheduler=report.scheduler,
        role=report.role,
        redis=report.redis,
        process=report.process,
    )
    return respond(body, status=200 if report.ok else 503)
