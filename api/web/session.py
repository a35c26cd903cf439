"""The browser session of the web pages: the `ftpgram_session` cookie (an ordinary API token,
HttpOnly), who is signed in, the page language, where to go after signing in, and the origin check
for form posts that sign people in.

Cross-site request forgery: every state-changing request that a cookie authenticates must carry
an `Origin` of our own (`api.auth`; browsers send `Origin` with every POST, PUT, PATCH and DELETE,
and a request without one is refused). Sign-in forms carry no session yet, so they are checked
here: a foreign `Origin` is refused, none (curl, scripts) is allowed. The one unsafe GET, the
older `/logout`, signs out only when `Sec-Fetch-Site` does not say the request came from another
site.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from aiohttp import web

from api.auth import SESSION_COOKIE, allowed_origins
from api.keys import USER_KEY, services_of
from services.accounts.users import SUPPORTED_LANGUAGES, UserView
from services.core.errors import Forbidden, Unauthorized

SESSION_AGE = timedelta(days=30)
LANGUAGE_COOKIE = "ftpgram_lang"
HOME = "/index"


def is_secure(request: web.Request) -> bool:
    return request.secure or services_of(request).settings.base_url.startswith("https://")


def set_session(
    response: web.StreamResponse, request: web.Request, token: str, *, embedded: bool = False
) -> None:
    """Put the token in the session cookie. Telegram's web client shows Mini Apps in a frame,
    where a SameSite=Lax cookie is never sent: there (https only) the cookie is SameSite=None and
    partitioned, so it exists only inside that frame."""
    if embedded and is_secure(request):
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(SESSION_AGE.total_seconds()),
            path="/",
            httponly=True,
            secure=True,
            samesite="None",
            partitioned=True,
        )
        return
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_AGE.total_seconds()),
        path="/",
        httponly=True,
        secure=is_secure(request) or None,
        samesite="Lax",
    )


def clear_session(response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE, path="/")


async def session_user(request: web.Request) -> UserView | None:
    """Who the session cookie (or a bearer token) belongs to; None when nobody is signed in."""
    if USER_KEY in request:
        return request[USER_KEY]
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    token = bearer.strip() if scheme.lower() == "bearer" else request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return await services_of(request).auth.authenticate(token)
    except Unauthorized:
        return None


def check_form_origin(request: web.Request) -> None:
    """Refuse a form post that another site's page made (signing someone in to the attacker's
    account is an attack too)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() not in allowed_origins(request):
        raise Forbidden("Cross-site request refused.", code="csrf")


def cross_site(request: web.Request) -> bool:
    """A navigation another site started (browsers say so in Sec-Fetch-Site)."""
    return request.headers.get("Sec-Fetch-Site", "none").lower() not in ("same-origin", "none")


def safe_next(value: str | None) -> str:
    """A local path to go to after signing in; anything else (another site) goes home."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return HOME
    if any(not c.isprintable() for c in value) or urlsplit(value).netloc:
        return HOME
    return value


def wants_html(request: web.Request) -> bool:
    return "text/html" in request.headers.get("Accept", "")


def wants_json(request: web.Request) -> bool:
    """A script rather than a browser: it asked for JSON, or sent JSON."""
    return request.content_type == "application/json" or (
        "application/json" in request.headers.get("Accept", "") and not wants_html(request)
    )


def _accepted_languages(header: str) -> list[str]:
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.split("-")[0].lower()))
    return [tag for _, _, tag in sorted(ranked)]


def page_language(request: web.Request, user: UserView | None) -> str:
    """The signed-in user's language; for others the one they chose on a page, else the
    browser's preference; English when we speak none of those."""
    if user is not None and user.language in SUPPORTED_LANGUAGES:
        return user.language
    chosen = request.query.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in SUPPORTED_LANGUAGES:
        return chosen
    for tag in _accepted_languages(request.headers.get("Accept-Language", "")):
        if tag in SUPPORTED_LANGUAGES:
            return tag
    return "en"


def remember_language(request: web.Request, response: web.StreamResponse) -> None:
    """`?lang=` on a page sticks for the next pages (it is not a secret: readable, Lax)."""
    chosen = request.query.get("lang")
    if chosen in SUPPORTED_LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            path="/",
            samesite="Lax",
            secure=is_secure(request) or None,
        )
