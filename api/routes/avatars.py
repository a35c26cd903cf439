"""Avatars: upload with square crop and thumbnails, list, delete."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel

from api.keys import services_of, user_of
from api.openapi import RouteTable, file_part, read_query, respond
from api.schemas import Id
from services.storage.avatars import AvatarView

routes = RouteTable(tag="avatars")


class ThumbnailOut(BaseModel):
    size: int
    name: str
    file_id: int
    url: str


class AvatarOut(BaseModel):
    id: int
    name: str
    width: int
    height: int
    format: str
    created_at: datetime
    file_id: int
    url: str
    thumbnails: list[ThumbnailOut]
    created: bool = True

    @classmethod
    def of(cls, avatar: AvatarView, created: bool = True) -> AvatarOut:
        return cls(
            id=avatar.id,
            name=avatar.name,
            width=avatar.width,
            height=avatar.height,
            format=avatar.format,
            created_at=avatar.created_at,
            file_id=avatar.image.id,
            url=f"/api/v1/files/{avatar.image.id}/download/",
            created=created,
            thumbnails=[
                ThumbnailOut(
                    size=t.size,
                    name=t.name,
                    file_id=t.file.id,
                    url=f"/api/v1/files/{t.file.id}/download/",
                )
                for t in avatar.thumbnails
            ],
        )


class AvatarList(BaseModel):
    items: list[AvatarOut]


class AvatarDelete(BaseModel):
    id: Id


@routes.post(
    "/api/v1/avatar/upload/",
    summary="Upload an avatar (multipart field `file`): "
    "square crop (1536 max) and thumbnails 48/96/256 in the original format",
    response=AvatarOut,
    status=201,
    other_statuses=[200],
    errors=[400, 507],
)
async def upload_avatar(request: web.Request) -> web.Response:
    part = await file_part(request)
    avatar, created = await services_of(request).avatars.upload(
        user_of(request), name=part.filename or "avatar", read=part.read_chunk
    )
    return respond(AvatarOut.of(avatar, created), status=201 if created else 200)


@routes.get("/api/v1/avatar/", summary="Your avatars, newest first", response=AvatarList)
async def list_avatars(request: web.Request) -> web.Response:
    avatars = await services_of(request).avatars.list_avatars(user_of(request))
    return respond(AvatarList(items=[AvatarOut.of(a) for a in avatars]))


@routes.delete(
    "/api/v1/avatar/",
    summary="Delete an avatar and its thumbnails (`?id=`)",
    query=AvatarDelete,
    status=204,
    errors=[404],
)
async def delete_avatar(request: web.Request) -> web.Response:
    query = read_query(request, AvatarDelete)
    await services_of(request).avatars.delete(user_of(request), query.id)
    return web.Response(status=204)
