"""The OpenAPI document and Swagger UI, served from local assets (no CDN)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from aiohttp import web

# swagger-ui-py ships the Swagger UI 5 assets; we serve them ourselves with our own page.
SWAGGER_ASSETS = Path(str(files("swagger_ui") / "static"))
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
OPENAPI = web.AppKey("openapi", dict[str, Any])
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'"
)


async def openapi_json(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI])


async def swagger_ui(request: web.Request) -> web.FileResponse:
    return web.FileResponse(
        STATIC_DIR / "swagger.html",
        headers={"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"},
    )


def add_docs_routes(app: web.Application, document: dict[str, Any]) -> None:
    app[OPENAPI] = document
    for path in ("/api/v1/openapi.json", "/api/v1/openapi.json/"):
        app.router.add_get(path, openapi_json)
    for path in ("/api/docs", "/api/docs/"):
        app.router.add_get(path, swagger_ui)
    app.router.add_static("/api/docs/assets", SWAGGER_ASSETS)
    app.router.add_static("/static", STATIC_DIR)
