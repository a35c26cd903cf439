"""The web pages (issue 8) and seed 003's routes: templates, static assets, sign-in with the
session cookie, and the middlewares that give pages their security headers and show failures
as pages. Everything a page shows or changes goes through the JSON API or the same services."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.openapi import RouteTable
from api.web import seed003
from api.web.pages import add_page_routes
from api.web.render import TEMPLATES, create_environment, page_errors, page_headers

STATIC_DIR = Path(__file__).resolve().parent / "static"
__all__ = ["add_web_routes", "page_errors", "page_headers", "web_route_tables"]


def web_route_tables() -> list[RouteTable]:
    """Routes documented in the OpenAPI document beside the API's."""
    return [seed003.routes]


def add_web_routes(app: web.Application) -> None:
    """The pages and their assets (seed 003's routes come with `web_route_tables`)."""
    app[TEMPLATES] = create_environment()
    add_page_routes(app)
    app.router.add_static("/assets", STATIC_DIR)
