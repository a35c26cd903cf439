"""The older user API at the root (`/api/user/`, `/api/auth/`, `/api/cabinet/`,
`/api/send_message`): its paths, bodies and answers (`{"answer": ...}`), on the same services as
the REST API under /api/v1."""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, respond
from services.core.errors import InvalidInput

routes = RouteTable(tag="compatibility", deprecated=True)


class Answer(BaseModel):
    answer: str


class UserApiSignUp(BaseModel):
    name: str = ""
    login: str
    psw: str


class UserApiChange(BaseModel):
    name: str | None = None
    login: str | None = None
    psw: str | None = Field(default=None, description="the new password")
    old_psw: str | None = Field(default=None, description="required to change the password")


class UserApiCredentials(BaseModel):
    login: str
    psw: str


class UserApiToken(BaseModel):
    answer: str = "success"
    access_token: str


class UserApiCode(BaseModel):
    code: str = Field(min_length=1, max_length=16)


class UserApiBotToken(BaseModel):
    answer: str = "success"
    bot_token: str


class UserApiMessage(BaseModel):
    time: datetime
    text: str
    type: str


class UserApiHistory(BaseModel):
    answer: str = "success"
    messages: list[UserApiMessage]


class UserApiSend(BaseModel):
    text: str = Field(max_length=65536)
    type: str = "Text"
    bot_token: str


@routes.post(
    "/api/user/",
    summary="Create a user from `name`, `login`, `psw` (pending until activated)",
    canonical="POST /api/v1/auth/register/",
    auth="none",
    body=UserApiSignUp,
    response=Answer,
    status=201,
    errors=[409],
)
async def create_user(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiSignUp)
    await services_of(request).accounts.register(
        login=body.login, password=body.psw, full_name=body.name or body.login, email=None
    )
    return respond(Answer(answer="success user was created"), status=201)


@routes.put(
    "/api/user/",
    summary="Change name or password (`psw`, with `old_psw`)",
    body=UserApiChange,
    response=Answer,
    canonical="PATCH /api/v1/account/",
)
async def change_user(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiChange)
    await services_of(request).accounts.update_profile(
        user_of(request).id, full_name=body.name, password=body.psw, old_password=body.old_psw
    )
    return respond(Answer(answer="success user was changed"))


@routes.delete(
    "/api/user/",
    summary="Delete your user (confirm with `login` and `psw`)",
    body=UserApiCredentials,
    response=Answer,
    errors=[409],
    canonical="DELETE /api/v1/account/",
)
async def delete_user(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiCredentials)
    user = user_of(request)
    if body.login != user.login:
        raise InvalidInput("The login does not match your account.", fields={"login": "wrong"})
    services = services_of(request)
    await services.accounts.check_password(user.id, body.psw)
    await services.users.delete(user.id, actor=user)
    return respond(Answer(answer="success user was deleted"))


@routes.post(
    "/api/auth/",
    summary="Sign in with `login` and `psw`, get an access token",
    auth="none",
    body=UserApiCredentials,
    response=UserApiToken,
    errors=[401, 403, 429],
    canonical="POST /api/v1/auth/login/",
)
async def sign_in(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiCredentials)
    services = services_of(request)
    user = await services.accounts.sign_in(body.login, body.psw)
    # The label users see in their token list, as it has always been.
    token = await services.auth.issue_token(user.id, "sign-in (/api/auth/)")
    return respond(UserApiToken(access_token=token))


@routes.post(
    "/api/cabinet/",
    summary="A bot token for a code from the bot",
    body=UserApiCode,
    response=UserApiBotToken,
    status=200,
    errors=[429],
    canonical="POST /api/v1/bot-tokens/",
)
async def create_bot_token(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiCode)
    created = await services_of(request).messaging.create_token_with_code(
        user_of(request), body.code
    )
    return respond(UserApiBotToken(bot_token=created.token))


@routes.get(
    "/api/cabinet/",
    summary="Your message history, newest first",
    response=UserApiHistory,
    canonical="GET /api/v1/messages/",
)
async def message_history(request: web.Request) -> web.Response:
    items, _ = await services_of(request).messaging.history(user_of(request), per_page=500)
    return respond(
        UserApiHistory(
            messages=[
                UserApiMessage(time=m.created_at, text=m.text, type=m.kind.capitalize())
                for m in items
            ]
        )
    )


@routes.post(
    "/api/send_message",
    summary="Send a text message with a bot token in the body",
    auth="none",
    body=UserApiSend,
    response=Answer,
    errors=[401, 409, 429],
    canonical="POST /api/v1/messages/",
)
async def send_message(request: web.Request) -> web.Response:
    body = await read_body(request, UserApiSend)
    if body.type.lower() != "text":
        raise InvalidInput(
            "Only type Text is sent here; files go to /api/v1/messages/.", fields={"type": "Text"}
        )
    messaging = services_of(request).messaging
    token = await messaging.authenticate(body.bot_token)
    await messaging.send(token, text=body.text)
    return respond(Answer(answer="message was successfully send"))
