"""The aiohttp application factory."""

from __future__ import annotations

import time
from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address

from aiohttp import web

from api.auth import Handler
from api.compat import add_compat_websocket_routes, compat_route_tables
from api.errors import error_middleware
from api.keys import SERVICES
from api.live.downloads import add_websocket_routes
from api.openapi import RouteTable, add_routes, build_openapi
from api.routes import route_tables
from api.routes.docs import add_docs_routes
from api.routes.files import settle_file_responses
from api.web import add_web_routes, page_errors, page_headers
from services.accounts.audit import set_origin
from services.container import Services
from services.core import metrics

VERSION = "0.1.0"
# The longest request line the OpenAPI document allows: 1,000-character query values (a path
# prefix, a file name) percent-encoded as 4-byte UTF-8 are 12,000 bytes, beyond aiohttp's 8,190,
# whose refusal is a plain-text 400 our middlewares never see.
MAX_REQUEST_LINE = 16 * 1024
# The path aiohttp matched (its template) → the route label of the request metrics.
RouteLabels = dict[str, str]
ROUTE_LABELS: web.AppKey[RouteLabels] = web.AppKey("route_labels")
STARTED = web.RequestKey("started", float)  # time.perf_counter() at the request's arrival


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


def route_labels(tables: Iterable[RouteTable]) -> RouteLabels:
    """An endpoint is served with and without its trailing slash: both count under its path as
    the OpenAPI document writes it. Routes outside the tables (pages, WebSockets, assets) count
    under aiohttp's template."""
    labels: RouteLabels = {}
    for table in tables:
        for endpoint in table.endpoints:
            declared = endpoint.doc_path()
            bare = declared.rstrip("/")
            labels[bare or "/"] = labels[bare + "/"] = declared
    return labels


def route_label(request: web.Request) -> str:
    """The template of the route that took the request, never its path: the labels stay as
    few as the routes, whatever paths clients make up."""
    match = request.match_info
    resource = match.route.resource
    if match.http_exception is not None or resource is None:
        return metrics.UNMATCHED
    return request.app[ROUTE_LABELS].get(resource.canonical, resource.canonical)


@web.middleware
async def clock_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """When the request came in, for the answer time `count_answer` records."""
    request[STARTED] = time.perf_counter()
    return await handler(request)


async def count_answer(request: web.Request, response: web.StreamResponse) -> None:
    """`on_response_prepare`: every answer counts as its status line leaves, with that status
    (errors as the middlewares answered them, a WebSocket at its upgrade, a file as its first
    bytes go); a request whose client left before any answer is not counted. The time is from
    arrival to that moment, so a long download or WebSocket session does not stretch it."""
    started = request.get(STARTED)
    seconds = None if started is None else time.perf_counter() - started
    metrics.http_request(route_label(request), request.method, response.status, seconds)


def create_app(services: Services) -> web.Application:
    # Outermost first: the request's arrival time, JSON errors, page headers, the audit origin,
    # failures shown as pages.
    app = web.Application(
        middlewares=[
            clock_middleware,
            error_middleware,
            page_headers,
            origin_middleware,
            page_errors,
        ],
        handler_args={"max_line_size": MAX_REQUEST_LINE},
    )
    app[SERVICES] = services
    app.on_response_prepare.append(settle_file_responses)
    app.on_response_prepare.append(count_answer)  # last: the status as it finally leaves
    tables = [*route_tables(), *compat_route_tables()]
    add_routes(app, tables)
    app[ROUTE_LABELS] = route_labels(tables)
    add_websocket_routes(app)
    add_compat_websocket_routes(app)
    add_web_routes(app)
    add_docs_routes(app, build_openapi(tables, title="ftpgram", version=VERSION))
    return app
