"""Signing in and out: registration with a login, password sign-in, one-time codes from the bot,
and the state of a Telegram user's registration."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from api.auth import SESSION_COOKIE
from api.keys import TOKEN_KEY, services_of
from api.openapi import RouteTable, read_body, respond
from api.schemas import SignedIn, UserOut
from services.accounts.users import UserView

routes = RouteTable(tag="auth")


class RegisterIn(BaseModel):
    login: str = Field(description="4–20 Latin letters and digits, starting with a letter")
    password: str = Field(
        description="at least 6 characters with an upper-case letter, a digit and a special one"
    )
    full_name: str
    email: str


class LoginIn(BaseModel):
    login: str
    password: str


class CodeRequestIn(BaseModel):
    telegram_id: int


class CodeVerifyIn(BaseModel):
    telegram_id: int
    code: str = Field(min_length=1, max_length=16)


class CodeSent(BaseModel):
    sent: bool = True
    expires_in: int = Field(description="seconds the code stays valid")


class RegistrationState(BaseModel):
    telegram_id: int
    registered: bool
    state: str | None = Field(description="active, pending or rejected; null when unregistered")


async def _signed_in(request: web.Request, user: UserView, method: str) -> web.Response:
    agent = request.headers.get("User-Agent", "")[:60]
    label = f"{method} · {agent}" if agent else method
    token = await services_of(request).auth.issue_token(user.id, label)
    return respond(SignedIn(token=token, user=UserOut.of(user)))


@routes.post(
    "/api/v1/auth/register/",
    summary="Create an account with a login (pending until an administrator activates it)",
    auth="none",
    body=RegisterIn,
    response=UserOut,
    status=201,
    errors=[409],
)
async def register(request: web.Request) -> web.Response:
    body = await read_body(request, RegisterIn)
    user = await services_of(request).accounts.register(
        login=body.login, password=body.password, full_name=body.full_name, email=body.email
    )
    return respond(UserOut.of(user), status=201)


@routes.post(
    "/api/v1/auth/login/",
    summary="Sign in with login and password",
    auth="none",
    body=LoginIn,
    response=SignedIn,
    errors=[401, 403, 429],
)
async def login(request: web.Request) -> web.Response:
    body = await read_body(request, LoginIn)
    user = await services_of(request).accounts.sign_in(body.login, body.password)
    return await _signed_in(request, user, "password")


@routes.post(
    "/api/v1/auth/code/",
    summary="Send a one-time sign-in code through the bot",
    auth="none",
    body=CodeRequestIn,
    response=CodeSent,
    status=202,
    errors=[403, 404, 429],
)
async def request_code(request: web.Request) -> web.Response:
    body = await read_body(request, CodeRequestIn)
    return await send_code(request, body.telegram_id)


async def send_code(request: web.Request, telegram_id: int) -> web.Response:
    """Send a sign-in code to the Telegram user through the bot."""
    services = services_of(request)
    user = await services.users.by_telegram(telegram_id)
    await services.codes.request(user)
    return respond(CodeSent(expires_in=services.codes.lifetime_seconds), status=202)


@routes.post(
    "/api/v1/auth/code/verify/",
    summary="Exchange a one-time code for a token",
    auth="none",
    body=CodeVerifyIn,
    response=SignedIn,
    errors=[403, 404, 429],
)
async def verify_code(request: web.Request) -> web.Response:
    body = await read_body(request, CodeVerifyIn)
    return await sign_in_with_code(request, body.telegram_id, body.code)


async def sign_in_with_code(request: web.Request, telegram_id: int, code: str) -> web.Response:
    """A new token for the Telegram user, when `code` is the one the bot sent them."""
    user = await services_of(request).codes.verify(telegram_id, code)
    return await _signed_in(request, user, "code")


@routes.post("/api/v1/auth/logout/", summary="Revoke the token in use", status=204)
async def logout(request: web.Request) -> web.Response:
    await services_of(request).auth.revoke_presented(request[TOKEN_KEY])
    response = web.Response(status=204)
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


@routes.get(
    r"/api/v1/auth/registration/{telegram_id:\d{1,18}}/",
    summary="The state of a Telegram user's registration (registration itself happens in the bot)",
    auth="none",
    response=RegistrationState,
    telegram_ids=["telegram_id"],
)
async def registration_state(request: web.Request) -> web.Response:
    telegram_id = int(request.match_info["telegram_id"])
    found = await services_of(request).users.find_by_telegram(telegram_id)
    return respond(
        RegistrationState(
            telegram_id=telegram_id,
            registered=found is not None,
            state=found.state if found else None,
        )
    )
