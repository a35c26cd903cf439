"""The aiohttp application factory."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from aiohttp import web

from api.auth import Handler
from api.compat import add_compat_websocket_routes, compat_route_tables
from api.errors import error_middleware
from api.keys import SERVICES
from api.live.downloads import add_websocket_routes
from api.openapi import add_routes, build_openapi
from api.routes import route_tables
from api.routes.docs import add_docs_routes
from api.routes.files import settle_file_responses
from api.web import add_web_routes, page_errors, page_headers
from services.accounts.audit import set_origin
from services.container import Services

VERSION = "0.1.0"
# The longest request line the OpenAPI document allows: 1,000-character query values (a path
# prefix, a file name) percent-encoded as 4-byte UTF-8 are 12,000 bytes, beyond aiohttp's 8,190,
# whose refusal is a plain-text 400 our middlewares never see.
MAX_REQUEST_LINE = 16 * 1024


def client_address(request: web.Request, proxies: tuple[IPv4Network | IPv6Network, ...]) -> str:
    """The caller's address: the peer's, or, when the peer is a trusted proxy, the nearest
    address in X-Forwarded-For that is not one (what a client wrote there itself lies further
    left, and is never taken)."""

    def trusted(address: str) -> bool:
        try:
            return any(ip_address(address) in network for network in proxies)
        except ValueError:
            return False

    peer = request.remote or ""
    if not trusted(peer):
        return peer
    hops = [
        hop.strip()
        for line in request.headers.getall("X-Forwarded-For", [])
        for hop in line.split(",")
    ]
    for hop in reversed(hops):
        if not trusted(hop):
            return hop
    return peer


@web.middleware
async def origin_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """The caller's address, for the audit log and the per-address limits of whatever this
    request does."""
    set_origin(client_address(request, request.app[SERVICES].settings.trusted_proxies))
    return await handler(request)


def create_app(services: Services) -> web.Application:
    # Outermost first: JSON errors, page headers, the audit origin, failures shown as pages.
    app = web.Application(
        middlewares=[error_middleware, page_headers, origin_middleware, page_errors],
        handler_args={"max_line_size": MAX_REQUEST_LINE},
    )
    app[SERVICES] = services
    app.on_response_prepare.append(settle_file_responses)
    tables = [*route_tables(), *compat_route_tables()]
    add_routes(app, tables)
    add_websocket_routes(app)
    add_compat_websocket_routes(app)
    add_web_routes(app)
    add_docs_routes(app, build_openapi(tables, title="ftpgram", version=VERSION))
    return app
