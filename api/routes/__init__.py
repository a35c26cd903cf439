"""One route table per resource module."""

from __future__ import annotations

from api.openapi import RouteTable
from api.routes import (
    account,
    admin,
    auth,
    avatars,
    downloads,
    files,
    health,
    messages,
    seed004,
    stations,
    uploads,
)


def route_tables() -> list[RouteTable]:
    return [
        health.routes,
        auth.routes,
        account.routes,
        files.routes,
        uploads.routes,
        avatars.routes,
        messages.routes,
        admin.routes,
        stations.routes,
        downloads.routes,
        seed004.routes,
    ]
