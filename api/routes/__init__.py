"""One route table per resource module."""

from __future__ import annotations

from api.openapi import RouteTable
from api.routes import (
    account,
    admin,
    auth,
    avatars,
    files,
    health,
    messages,
    seed004,
    stations,
)


def route_tables() -> list[RouteTable]:
    return [
        health.routes,
        auth.routes,
        account.routes,
        files.routes,
        avatars.routes,
        messages.routes,
        admin.routes,
        stations.routes,
        seed004.routes,
    ]
