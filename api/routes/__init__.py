"""One route table per resource module."""

from __future__ import annotations

from api.openapi import RouteTable
from api.routes import account, admin, auth, avatars, files, health


def route_tables() -> list[RouteTable]:
    return [health.routes, auth.routes, account.routes, files.routes, avatars.routes, admin.routes]
