"""Rendering pages: the jinja2 environment (autoescaped, strict about unknown names), the data
block the page scripts read, the security headers of every page, and failures shown as pages.

Pages carry no inline script: code comes from /assets, and the page data travels in a
`<script type="application/json">` block, which browsers never execute.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from aiohttp import web

from api.auth import Handler
from api.keys import USER_KEY
from api.web.session import (
    page_language,
    remember_language,
    safe_next,
    session_user,
    wants_html,
)
from api.web.texts import texts
from services.accounts.users import UserView
from services.core.errors import AppError, RateLimited, Unauthorized
from services.core.i18n import error_text

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
TEMPLATES = web.AppKey("web_templates", jinja2.Environment)
# Paths whose errors stay JSON for every client: the API and its WebSockets.
API_PREFIXES = ("/api/", "/files/")
# Telegram's web client shows Mini Apps in a frame; nobody else may frame the pages.
FRAME_ANCESTORS = "'self' https://web.telegram.org"


def create_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def content_security_policy(request: web.Request) -> str:
    # 'self' covers ws: and wss: in current browsers; naming them keeps older ones working.
    sockets = f"ws://{request.host} wss://{request.host}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self' {sockets}; form-action 'self'; base-uri 'none'; "
        f"frame-ancestors {FRAME_ANCESTORS}"
    )


def render(
    request: web.Request,
    template: str,
    *,
    title: str,
    user: UserView | None = None,
    status: int = 200,
    active: str = "",
    data: dict[str, Any] | None = None,
    **context: Any,
) -> web.Response:
    """A page in the user's language; `data` reaches the page's script with the texts."""
    user = user or request.get(USER_KEY)
    language = page_language(request, user)
    words = texts(language)
    page_data = {
        "lang": language,
        "texts": words,
        "user": _user_data(user) if user else None,
        **(data or {}),
    }
    html = (
        request.app[TEMPLATES]
        .get_template(template)
        .render(
            t=words,
            lang=language,
            title=title,
            user=user,
            active=active,
            data=page_data,
            path=request.path,
            **context,
        )
    )
    response = web.Response(text=html, status=status, content_type="text/html")
    remember_language(request, response)
    return response


def _user_data(user: UserView) -> dict[str, Any]:
    return {
        "id": user.id,
        "name": user.display_name,
        "is_admin": user.is_admin,
        "telegram_id": user.telegram_id,
    }


async def error_page(
    request: web.Request, error: AppError | web.HTTPException
) -> web.StreamResponse:
    """A failure as a page in the user's language, never a traceback."""
    if isinstance(error, Unauthorized):
        # Sign in first, then come back (to the page; after a failed form post, to the form's).
        back = request.path_qs if request.method in ("GET", "HEAD") else _referer_path(request)
        location = "/login?next=" + quote(safe_next(back), safe="/")
        return web.Response(status=303, headers={"Location": location})
    user = await session_user(request)
    language = page_language(request, user)
    words = texts(language)
    if isinstance(error, AppError):
        status, message = error.status, error_text(language, error.code, error.message)
    else:
        status = error.status
        message = words["error_not_found"] if status == 404 else (error.reason or "")
    headers = {}
    if isinstance(error, RateLimited):
        headers["Retry-After"] = str(error.retry_after)
    response = render(
        request,
        "message.html",
        title=words.get(f"status_{status}", HTTPStatus(status).phrase),
        user=user,
        status=status,
        message=message,
    )
    response.headers.update(headers)
    return response


def _referer_path(request: web.Request) -> str:
    referer = urlsplit(request.headers.get("Referer", ""))
    if f"{referer.scheme}://{referer.netloc}" != f"{request.scheme}://{request.host}":
        return ""
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _is_page_request(request: web.Request) -> bool:
    return wants_html(request) and not request.path.startswith(API_PREFIXES)


@web.middleware
async def page_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Browsers asking for a page get failures as pages; everyone else gets the API's JSON."""
    try:
        return await handler(request)
    except AppError as error:
        if not _is_page_request(request):
            raise
        return await error_page(request, error)
    except web.HTTPException as error:
        if error.status < 400 or not _is_page_request(request):
            raise
        return await error_page(request, error)
    except Exception:
        if not _is_page_request(request):
            raise
        log.exception("Unhandled error on %s %s", request.method, request.path)
        return await error_page(request, AppError("Something went wrong on our side."))


@web.middleware
async def page_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every HTML page: a Content-Security-Policy without inline code, no sniffing, no caching
    of what a signed-in person sees, no referrer leaving the site."""
    response = await handler(request)
    if not response.prepared and response.content_type == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
    return response
