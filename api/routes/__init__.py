"""One route table per resource module."""

from __future__ import annotations

from api.openapi import RouteTable
from api.routes import admin, health


def route_tables() -> list[RouteTable]:
    return [health.routes, admin.routes]
