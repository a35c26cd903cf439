"""Administration: users, their activation, rights and quotas; the server log."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond
from api.schemas import Id, Page, PageQuery, UserOut
from services.accounts.users import UserService, UserView

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


class AdminUser(UserOut):
    quota: int
    used: int


class UserPageOut(Page):
    items: list[AdminUser]


class UserPageQuery(PageQuery):
    per_page: int = Field(default=50, ge=1, le=500)


class Ids(BaseModel):
    ids: list[Id] = Field(min_length=1, max_length=1000)


class Changed(BaseModel):
    changed: list[int] = Field(description="ids whose state changed")


class AdminUserPatch(BaseModel):
    is_active: bool | None = None
    is_admin: bool | None = None
    quota: int | None = Field(default=None, ge=0, description="bytes; null: the default quota")


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


async def _admin_out(users: UserService, user: UserView) -> AdminUser:
    usage = await users.usage(user)
    return AdminUser(**UserOut.of(user).model_dump(), quota=usage.quota, used=usage.used)


async def admin_user(request: web.Request, user_id: int) -> AdminUser:
    """User `user_id` as administrators see them."""
    users = services_of(request).users
    return await _admin_out(users, await users.get(user_id))


@routes.get(
    "/api/v1/admin/users/",
    summary="Users, paged, with quota, usage, state and last visit",
    auth="admin",
    query=UserPageQuery,
    response=UserPageOut,
)
async def list_users(request: web.Request) -> web.Response:
    query = read_query(request, UserPageQuery)
    users = services_of(request).users
    page = await users.list_users(page=query.page, per_page=query.per_page)
    items = [await _admin_out(users, user) for user in page.items]
    return respond(
        UserPageOut(page=page.page, per_page=page.per_page, total=page.total, items=items)
    )


@routes.post(
    "/api/v1/admin/users/activate/",
    summary="Activate users (`ids`); the answer names those whose state changed",
    auth="admin",
    body=Ids,
    response=Changed,
)
async def activate_users(request: web.Request) -> web.Response:
    body = await read_body(request, Ids)
    changed = await services_of(request).users.set_active(body.ids, True, actor=user_of(request))
    return respond(Changed(changed=changed))


@routes.post(
    "/api/v1/admin/users/deactivate/",
    summary="Deactivate users (`ids`); their tokens stop working at once",
    auth="admin",
    body=Ids,
    response=Changed,
    errors=[409],
)
async def deactivate_users(request: web.Request) -> web.Response:
    body = await read_body(request, Ids)
    changed = await services_of(request).users.set_active(body.ids, False, actor=user_of(request))
    return respond(Changed(changed=changed))


@routes.patch(
    r"/api/v1/admin/users/{user_id:\d{1,18}}/",
    summary="Change a user's state, admin flag or quota",
    auth="admin",
    body=AdminUserPatch,
    response=AdminUser,
    errors=[404, 409],
)
async def patch_user(request: web.Request) -> web.Response:
    body = await read_body(request, AdminUserPatch)
    user_id = int(request.match_info["user_id"])
    users, actor = services_of(request).users, user_of(request)
    await users.get(user_id)
    if body.is_active is not None:
        await users.set_active([user_id], body.is_active, actor=actor)
    if body.is_admin is not None:
        await users.set_admin(user_id, body.is_admin, actor=actor)
    if "quota" in body.model_fields_set:
        await users.set_quota(user_id, body.quota, actor=actor)
    return respond(await admin_user(request, user_id))


@routes.delete(
    r"/api/v1/admin/users/{user_id:\d{1,18}}/",
    summary="Delete a user with everything they hold",
    auth="admin",
    status=204,
    errors=[404, 409],
)
async def delete_user(request: web.Request) -> web.Response:
    await services_of(request).users.delete(
        int(request.match_info["user_id"]), actor=user_of(request)
    )
    return web.Response(status=204)
