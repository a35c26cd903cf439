"""Seed 004's routes at their documented paths, in their shapes, on the same services."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, respond
from services.core.errors import InvalidInput

routes = RouteTable(tag="seed 004")


class Answer(BaseModel):
    answer: str


class SeedUserIn(BaseModel):
    name: str = ""
    login: str
    psw: str


class SeedUserPut(BaseModel):
    name: str | None = None
    login: str | None = None
    psw: str | None = Field(default=None, description="the new password")
    old_psw: str | None = Field(default=None, description="required to change the password")


class SeedAuthIn(BaseModel):
    login: str
    psw: str


class SeedToken(BaseModel):
    answer: str = "success"
    access_token: str


class SeedCode(BaseModel):
    code: str = Field(min_length=1, max_length=16)


class SeedBotToken(BaseModel):
    answer: str = "success"
    bot_token: str


class SeedMessage(BaseModel):
    time: datetime
    text: str
    type: str


class SeedHistory(BaseModel):
    answer: str = "success"
    messages: list[SeedMessage]


class SeedSendIn(BaseModel):
    text: str = Field(max_length=65536)
    type: str = "Text"
    bot_token: str


@routes.post(
    "/api/user/",
    summary="Seed 004: create a user (pending until activated)",
    auth="none",
    body=SeedUserIn,
    response=Answer,
    status=201,
    errors=[409],
)
async def seed_create_user(request: web.Request) -> web.Response:
    body = await read_body(request, SeedUserIn)
    await services_of(request).accounts.register(
        login=body.login, password=body.psw, full_name=body.name or body.login, email=None
    )
    return respond(Answer(answer="success user was created"), status=201)


@routes.put(
    "/api/user/", summary="Seed 004: change name or password", body=SeedUserPut, response=Answer
)
async def seed_change_user(request: web.Request) -> web.Response:
    body = await read_body(request, SeedUserPut)
    await services_of(request).accounts.update_profile(
        user_of(request).id, full_name=body.name, password=body.psw, old_password=body.old_psw
    )
    return respond(Answer(answer="success user was changed"))


@routes.delete(
    "/api/user/",
    summary="Seed 004: delete your user (confirm with login and psw)",
    body=SeedAuthIn,
    response=Answer,
    errors=[409],
)
async def seed_delete_user(request: web.Request) -> web.Response:
    body = await read_body(request, SeedAuthIn)
    user = user_of(request)
    if body.login != user.login:
        raise InvalidInput("The login does not match your account.", fields={"login": "wrong"})
    services = services_of(request)
    await services.accounts.check_password(user.id, body.psw)
    await services.users.delete(user.id, actor=user)
    return respond(Answer(answer="success user was deleted"))


@routes.post(
    "/api/auth/",
    summary="Seed 004: sign in, get an access token",
    auth="none",
    body=SeedAuthIn,
    response=SeedToken,
    errors=[401, 403, 429],
)
async def seed_auth(request: web.Request) -> web.Response:
    body = await read_body(request, SeedAuthIn)
    services = services_of(request)
    user = await services.accounts.sign_in(body.login, body.psw)
    token = await services.auth.issue_token(user.id, "seed 004 sign-in")
    return respond(SeedToken(access_token=token))


@routes.post(
    "/api/cabinet/",
    summary="Seed 004: a bot token for a code from the bot",
    body=SeedCode,
    response=SeedBotToken,
    status=200,
    errors=[429],
)
async def seed_cabinet_token(request: web.Request) -> web.Response:
    body = await read_body(request, SeedCode)
    created = await services_of(request).messaging.create_token_with_code(
        user_of(request), body.code
    )
    return respond(SeedBotToken(bot_token=created.token))


@routes.get(
    "/api/cabinet/", summary="Seed 004: your message history, newest first", response=SeedHistory
)
async def seed_cabinet_history(request: web.Request) -> web.Response:
    items, _ = await services_of(request).messaging.history(user_of(request), per_page=500)
    return respond(
        SeedHistory(
            messages=[
                SeedMessage(time=m.created_at, text=m.text, type=m.kind.capitalize()) for m in items
            ]
        )
    )


@routes.post(
    "/api/send_message",
    summary="Seed 004: send a message with a bot token in the body",
    auth="none",
    body=SeedSendIn,
    response=Answer,
    errors=[401, 409, 429],
)
async def seed_send_message(request: web.Request) -> web.Response:
    body = await read_body(request, SeedSendIn)
    if body.type.lower() != "text":
        raise InvalidInput(
            "Only type Text is sent here; files go to /api/v1/messages/.", fields={"type": "Text"}
        )
    messaging = services_of(request).messaging
    token = await messaging.authenticate(body.bot_token)
    await messaging.send(token, text=body.text)
    return respond(Answer(answer="message was successfully send"))
