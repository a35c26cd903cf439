"""The aiohttp application factory."""

from __future__ import annotations

from aiohttp import web

from api.auth import Handler
from api.errors import error_middleware
from api.keys import SERVICES
from api.openapi import add_routes, build_openapi
from api.routes import route_tables
from api.routes.docs import add_docs_routes
from api.routes.downloads import add_websocket_routes
from api.web import add_web_routes, page_errors, page_headers, web_route_tables
from services.audit import set_origin
from services.container import Services

VERSION = "0.1.0"
# The longest request line the OpenAPI document allows: 1,000-character query values (a path
# prefix, a file name) percent-encoded as 4-byte UTF-8 are 12,000 bytes, beyond aiohttp's 8,190,
# whose refusal is a plain-text 400 our middlewares never see.
MAX_REQUEST_LINE = 16 * 1024


@web.middleware
async def origin_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The caller's address, for the audit log of whatever this request does."""
    set_origin(request.remote or "")
    return await handler(request)


def create_app(services: Services) -> web.Application:
    # Outermost first: JSON errors, page headers, the audit origin, failures shown as pages.
    app = web.Application(
        middlewares=[error_middleware, page_headers, origin_middleware, page_errors],
        handler_args={"max_line_size": MAX_REQUEST_LINE},
    )
    app[SERVICES] = services
    tables = [*route_tables(), *web_route_tables()]
    add_routes(app, tables)
    add_websocket_routes(app)
    add_web_routes(app)
    add_docs_routes(app, build_openapi(tables, title="ftpgram", version=VERSION))
    return app
