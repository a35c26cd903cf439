"""One route table per resource module: the canonical REST API (the older paths are in
`api.compat`)."""

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
    metrics,
    passes,
    stations,
    uploads,
)


def route_tables() -> list[RouteTable]:
    return [
        health.routes,
        metrics.routes,
        auth.routes,
        account.routes,
        files.routes,
        uploads.routes,
        avatars.routes,
        messages.routes,
        admin.routes,
        stations.routes,
        downloads.routes,
        passes.routes,
    ]
