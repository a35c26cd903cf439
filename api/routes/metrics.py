"""GET /metrics: Prometheus' scrape of this process (`services.core.metrics`), for whoever holds
METRICS_TOKEN; without that setting the route is not there."""

from __future__ import annotations

import hmac

from aiohttp import web
from pydantic import SecretStr

from api.keys import services_of
from api.openapi import RouteTable
from services.core import metrics
from services.core.errors import Unauthorized

routes = RouteTable(tag="metrics")

# The text format every Prometheus reads: prometheus-client's CONTENT_TYPE_LATEST in older
# releases (newer ones name version 1.0.0, which reads the same for names like ours).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def check_metrics_token(request: web.Request, token: SecretStr | None) -> None:
    """404 while METRICS_TOKEN is unset (nothing tells a prober the route exists); 401 unless
    the request carries `Authorization: Bearer <METRICS_TOKEN>`. The comparison takes the same
    time however much of the token is right."""
    if token is None:
        raise web.HTTPNotFound()
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise Unauthorized(
            "Send the metrics token as 'Authorization: Bearer <METRICS_TOKEN>'.",
            code="missing_token",
        )
    # Header values arrive decoded with surrogateescape: encoding them back never fails.
    if not hmac.compare_digest(
        presented.strip().encode("utf-8", "surrogateescape"),
        token.get_secret_value().strip().encode("utf-8"),
    ):
        raise Unauthorized("The metrics token is not valid.", code="invalid_token")


@routes.get(
    "/metrics",
    summary=(
        "This process's Prometheus metrics (text format), with "
        "`Authorization: Bearer <METRICS_TOKEN>`; 404 while METRICS_TOKEN is unset"
    ),
    auth="none",
    errors=[401, 404],
)
async def scrape(request: web.Request) -> web.Response:
    check_metrics_token(request, services_of(request).settings.metrics_token)
    return web.Response(body=await metrics.render(), headers={"Content-Type": CONTENT_TYPE})
