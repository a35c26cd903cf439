"""The web pages (issue 8): templates, static assets, sign-in with the session cookie, and the
middlewares that give pages their security headers and show failures as pages. Everything a page
shows or changes goes through the JSON API or the same services. (The form routes the pages post
to, /login, /register, /logout and /upload, are documented with `api.compat.form_pages`.)"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.web.pages import add_page_routes
from api.web.render import TEMPLATES, create_environment, page_errors, page_headers

STATIC_DIR = Path(__file__).resolve().parent / "static"
__all__ = ["add_web_routes", "page_errors", "page_headers"]


def add_web_routes(app: web.Application) -> None:
    """The pages and their assets."""
    app[TEMPLATES] = create_environment()
    add_page_routes(app)
    app.router.add_static("/assets", STATIC_DIR)
