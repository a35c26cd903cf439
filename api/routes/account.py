"""The signed-in user's own account: profile, password, tokens, quota, deletion."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, respond
from api.schemas import UserOut

routes = RouteTable(tag="account")


class AccountPatch(BaseModel):
    full_name: str | None = None
    email: str | None = None
    password: str | None = Field(default=None, description="the new password")
    old_password: str | None = Field(default=None, description="required to change a password")


class TokenItem(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None


class TokenList(BaseModel):
    items: list[TokenItem]


class Quota(BaseModel):
    quota: int = Field(description="bytes")
    used: int = Field(description="bytes")
    free: int = Field(description="bytes")


@routes.get("/api/v1/account/", summary="What we know about you", response=UserOut)
async def get_account(request: web.Request) -> web.Response:
    return respond(UserOut.of(user_of(request)))


@routes.patch(
    "/api/v1/account/",
    summary="Change full name, email or password (a password change needs the old password)",
    body=AccountPatch,
    response=UserOut,
)
async def patch_account(request: web.Request) -> web.Response:
    body = await read_body(request, AccountPatch)
    user = await services_of(request).accounts.update_profile(
        user_of(request).id,
        full_name=body.full_name,
        email=body.email,
        password=body.password,
        old_password=body.old_password,
    )
    return respond(UserOut.of(user))


@routes.delete(
    "/api/v1/account/",
    summary="Delete your account with everything it holds",
    status=204,
    errors=[409],
)
async def delete_account(request: web.Request) -> web.Response:
    user = user_of(request)
    await services_of(request).users.delete(user.id, actor=user)
    return web.Response(status=204)


@routes.get("/api/v1/account/tokens/", summary="Your API tokens", response=TokenList)
async def list_tokens(request: web.Request) -> web.Response:
    tokens = await services_of(request).auth.tokens(user_of(request).id)
    return respond(TokenList(items=[TokenItem.model_validate(t) for t in tokens]))


@routes.delete(
    r"/api/v1/account/tokens/{token_id:\d{1,18}}/",
    summary="Revoke one of your tokens",
    status=204,
    errors=[404],
)
async def revoke_token(request: web.Request) -> web.Response:
    await services_of(request).auth.revoke(user_of(request).id, int(request.match_info["token_id"]))
    return web.Response(status=204)


@routes.get("/api/v1/account/quota/", summary="Your storage quota in bytes", response=Quota)
async def get_quota(request: web.Request) -> web.Response:
    usage = await services_of(request).users.usage(user_of(request))
    return respond(Quota(quota=usage.quota, used=usage.used, free=usage.free))
