"""Routes kept for older clients: the paths the customer's first documents prescribed, each
answering exactly as it always has, mostly on the handler of its canonical twin. The OpenAPI
document tags them "compatibility", marks them deprecated and names the route to use instead."""

from __future__ import annotations

from api.compat import form_pages, user_api, v1_aliases
from api.compat.download_sockets import add_compat_websocket_routes
from api.openapi import RouteTable

__all__ = ["add_compat_websocket_routes", "compat_route_tables"]


def compat_route_tables() -> list[RouteTable]:
    return [v1_aliases.routes, user_api.routes, form_pages.routes]
