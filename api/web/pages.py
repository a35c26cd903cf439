"""The web pages: home, sign-in (code from the bot, or login and password), registration, files,
stations, satellite passes, downloads, administration and the Telegram Mini App entry.

Pages are HTML shells; their scripts call the same JSON API as every other client (with the
session cookie), so the API's access rules are the pages' rules. Signing in and out happens here,
because only here the session cookie is set and cleared.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from api.auth import SESSION_COOKIE, guard
from api.keys import services_of, user_of
from api.openapi import multipart_parts, parse_json, read_body, refuse_unstorable
from api.schemas import UserOut
from api.web.render import render
from api.web.session import (
    HOME,
    check_form_origin,
    clear_session,
    cross_site,
    page_language,
    safe_next,
    session_user,
    set_session,
    wants_html,
    wants_json,
)
from api.web.texts import texts
from services.accounts.users import UserView
from services.core.errors import AppError, InvalidInput
from services.core.i18n import error_text

MAX_FORM_FIELD = 64 * 1024  # sign-in and registration fields are short


class TelegramSignIn(BaseModel):
    init_data: str = Field(max_length=8192)
    embedded: bool = False


class SignedInUser(BaseModel):
    user: UserOut


def _label(request: web.Request, method: str) -> str:
    agent = request.headers.get("User-Agent", "")[:60]
    return f"web {method} · {agent}" if agent else f"web {method}"


async def start_session(
    request: web.Request, user: UserView, method: str, *, go: str | None = None
) -> web.Response:
    """A new token in the session cookie; browsers go on to `go`, scripts get the token."""
    token = await services_of(request).auth.issue_token(user.id, _label(request, method))
    if go is None:
        response = web.json_response(
            {"token": token, "user": UserOut.of(user).model_dump(mode="json")}
        )
    else:
        response = redirect(go)
    set_session(response, request, token)
    return response


def redirect(location: str) -> web.Response:
    """303 See Other as a response (cookies can ride on it)."""
    return web.Response(status=303, headers={"Location": location})


async def form(request: web.Request) -> dict[str, str]:
    """A urlencoded or multipart form, or a JSON object, as strings. A malformed body, and text
    the database cannot store, are a 400 before anything looks the values up."""
    fields: dict[str, str]
    if request.content_type == "application/json":
        body = parse_json(await request.read())
        if not isinstance(body, dict):
            raise InvalidInput("The request body must be a JSON object.", code="malformed_json")
        fields = {str(k): str(v) for k, v in body.items() if isinstance(v, str | int)}
    elif request.content_type.startswith("multipart/"):
        fields = {}
        async for part in multipart_parts(request):
            if part.name and part.filename is None:
                value = await part.read(limit=MAX_FORM_FIELD, decode=True)
                fields[part.name] = value.decode("utf-8", "replace")
            else:
                await part.release()  # these forms take no files
    else:
        try:
            posted = await request.post()
        except (ValueError, LookupError):  # bytes the charset cannot decode, an unknown charset
            raise InvalidInput("The form is malformed.", code="malformed_form") from None
        fields = {k: v for k, v in posted.items() if isinstance(v, str)}
    refuse_unstorable(fields)
    return fields


# ---- pages everyone may see ----------------------------------------------------------------


async def home(request: web.Request) -> web.StreamResponse:
    if await session_user(request) is not None:
        return redirect(HOME)
    words = texts(page_language(request, None))
    return render(request, "home.html", title=words["home_title"])


def _login_page(
    request: web.Request,
    *,
    status: int = 200,
    error: str = "",
    who: str = "",
    code_sent: bool = False,
    username: str = "",
    next_path: str | None = None,
) -> web.Response:
    words = texts(page_language(request, None))
    return render(
        request,
        "login.html",
        title=words["login_title"],
        status=status,
        error=error,
        who=who,
        code_sent=code_sent,
        username=username,
        next_path=safe_next(next_path or request.query.get("next")),
    )


async def login_page(request: web.Request) -> web.StreamResponse:
    if await session_user(request) is not None:
        return redirect(safe_next(request.query.get("next")))
    return _login_page(request)


def _failed(request: web.Request, error: AppError) -> str:
    return error_text(page_language(request, None), error.code, error.message)


async def login(request: web.Request) -> web.StreamResponse:
    """Seed 003's POST /login (`username`, `password`), also the login page's form. Scripts get
    `{"token", "user"}` and the cookie; browsers go on to the page they wanted."""
    check_form_origin(request)
    fields = await form(request)
    username, password = fields.get("username", ""), fields.get("password", "")
    next_path = safe_next(fields.get("next"))
    try:
        if not username or not password:
            raise InvalidInput(
                "Send a username and a password.",
                code="missing_credentials",
                fields={"username": "required", "password": "required"},
            )
        user = await services_of(request).accounts.sign_in(username, password)
    except AppError as error:
        if wants_json(request):
            raise
        return _login_page(
            request,
            status=error.status,
            error=_failed(request, error),
            username=username,
            next_path=next_path,
        )
    return await start_session(
        request, user, "password", go=None if wants_json(request) else next_path
    )


async def request_code(request: web.Request) -> web.StreamResponse:
    """First step of signing in with a code: the bot sends it to the person's Telegram chat."""
    check_form_origin(request)
    fields = await form(request)
    who, next_path = fields.get("who", "").strip(), safe_next(fields.get("next"))
    services = services_of(request)
    try:
        if not who:
            raise InvalidInput("Enter your Telegram id or username.", code="missing_who")
        user = await services.users.by_telegram_handle(who)
        await services.codes.request(user)
    except AppError as error:
        return _login_page(
            request,
            status=error.status,
            error=_failed(request, error),
            who=who,
            next_path=next_path,
        )
    return _login_page(request, who=who, code_sent=True, next_path=next_path)


async def verify_code(request: web.Request) -> web.StreamResponse:
    check_form_origin(request)
    fields = await form(request)
    who, code = fields.get("who", "").strip(), fields.get("code", "").strip()
    next_path = safe_next(fields.get("next"))
    services = services_of(request)
    try:
        person = await services.users.by_telegram_handle(who)
        if not code:
            raise InvalidInput("The code is wrong or has expired.", code="invalid_code")
        user = await services.codes.verify_user(person.id, code)
    except AppError as error:
        return _login_page(
            request,
            status=error.status,
            error=_failed(request, error),
            who=who,
            code_sent=error.code in ("invalid_code", "rate_limited"),
            next_path=next_path,
        )
    return await start_session(request, user, "code", go=next_path)


async def register_page(request: web.Request) -> web.StreamResponse:
    words = texts(page_language(request, None))
    return render(
        request, "register.html", title=words["register_title"], error="", problems={}, values={}
    )


async def register(request: web.Request) -> web.StreamResponse:
    """Seed 003's POST /register (`username`, `password`; the page adds a name and an email).
    The account waits for an administrator unless AUTO_ACTIVATE is on."""
    check_form_origin(request)
    fields = await form(request)
    username = fields.get("username", "").strip()
    email = fields.get("email", "").strip() or None
    full_name = fields.get("full_name", "").strip() or username
    services = services_of(request)
    language = page_language(request, None)
    words = texts(language)
    try:
        user = await services.accounts.register(
            login=username, password=fields.get("password", ""), full_name=full_name, email=email
        )
    except AppError as error:
        if wants_json(request):
            raise
        problems = getattr(error, "fields", {}) or {}
        return render(
            request,
            "register.html",
            title=words["register_title"],
            status=error.status,
            error=error_text(language, error.code, error.message),
            problems={name: _problem(language, name) for name in map(_form_name, problems)},
            values={"username": username, "full_name": fields.get("full_name", ""), "email": email},
        )
    if wants_json(request):
        return web.json_response(UserOut.of(user).model_dump(mode="json"), status=201)
    if user.is_active:
        return await start_session(request, user, "password", go=HOME)
    return render(
        request,
        "message.html",
        title=words["registered_title"],
        status=201,
        message=words["registered_pending"],
        link=("/login", words["go_login"]),
    )


def _form_name(service_name: str) -> str:
    """The form calls the login `username`, as the older form routes do."""
    return "username" if service_name == "login" else service_name


def _problem(language: str, name: str) -> str:
    words = texts(language)
    return words.get(f"problem_{name}", words["problem_other"])


async def logout(request: web.Request) -> web.StreamResponse:
    """Seed 003's GET /logout (and POST from the confirmation page): the token is revoked, the
    cookie cleared. A sign-out link on another site only gets a confirmation page."""
    words = texts(page_language(request, await session_user(request)))
    if request.method == "GET" and cross_site(request):
        return render(request, "logout.html", title=words["logout_title"])
    if request.method == "POST":
        check_form_origin(request)
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    token = bearer.strip() if scheme.lower() == "bearer" else request.cookies.get(SESSION_COOKIE)
    if token:
        await services_of(request).auth.revoke_presented(token)
    response = redirect("/") if wants_html(request) else web.json_response({"signed_out": True})
    clear_session(response)
    return response


async def telegram_sign_in(request: web.Request) -> web.StreamResponse:
    """The Mini App page posts Telegram's `initData` here; no code needed."""
    check_form_origin(request)
    body = await read_body(request, TelegramSignIn)
    user, token = await services_of(request).webapp.sign_in(
        body.init_data, label=_label(request, "telegram")
    )
    response = web.json_response(SignedInUser(user=UserOut.of(user)).model_dump(mode="json"))
    set_session(response, request, token, embedded=body.embedded)
    return response


async def mini_app(request: web.Request) -> web.StreamResponse:
    words = texts(page_language(request, None))
    return render(request, "app.html", title=words["app_title"], scripts=["telegram.js"])


# ---- pages for signed-in users -------------------------------------------------------------


def _page(template: str, title_key: str, active: str, scripts: list[str]) -> Any:
    async def show(request: web.Request) -> web.StreamResponse:
        user = user_of(request)
        words = texts(page_language(request, user))
        return render(
            request,
            template,
            title=words[title_key],
            user=user,
            active=active,
            scripts=scripts,
        )

    show.__name__ = f"show_{active}"
    return show


files_page = _page("files.html", "files_title", "files", ["files.js"])
stations_page = _page("stations.html", "stations_title", "stations", ["stations.js"])
downloads_page = _page("downloads.html", "downloads_title", "downloads", ["downloads.js"])
admin_page = _page("admin.html", "admin_title", "admin", ["admin.js"])


async def passes_page(request: web.Request) -> web.StreamResponse:
    """Passes of the followed stations, their next passes; times in the person's zone."""
    user = user_of(request)
    words = texts(page_language(request, user))
    return render(
        request,
        "passes.html",
        title=words["passes_title"],
        user=user,
        active="passes",
        scripts=["passes.js"],
        data={"time_zone": user.time_zone},
    )


def add_page_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/", home)
    router.add_get("/login", login_page)
    router.add_post("/login/code", request_code)
    router.add_post("/login/code/verify", verify_code)
    router.add_get("/register", register_page)
    router.add_get("/app", mini_app)
    router.add_post("/web/session/telegram", telegram_sign_in)
    router.add_post("/logout", logout)
    router.add_get("/index", guard(files_page, "user"))
    router.add_get("/stations", guard(stations_page, "user"))
    router.add_get("/downloads", guard(downloads_page, "user"))
    router.add_get("/passes", guard(passes_page, "user"))
    router.add_get("/admin", guard(admin_page, "admin"))
