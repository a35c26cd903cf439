"""Per-address limits behind a reverse proxy: the client's address comes from X-Forwarded-For
only when the connecting peer is a trusted proxy (TRUSTED_PROXIES)."""

from __future__ import annotations

from ipaddress import ip_network

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.core.models import AuditEvent
from services.core.settings import Settings

Client = TestClient[web.Request, web.Application]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"trusted_proxies": (ip_network("127.0.0.0/8"),)})


def register(n: int) -> dict[str, str]:
    return {"login": f"user{n:03d}", "password": "Secret#1", "full_name": "U", "email": "u@x.org"}


async def test_clients_behind_a_trusted_proxy_are_counted_apart(client: Client) -> None:
    # Five registrations an hour per address: the sixth from one client is refused, while
    # another client behind the same proxy still registers.
    first = {"X-Forwarded-For": "203.0.113.7"}
    for n in range(5):
        assert (
            await client.post("/api/v1/auth/register/", json=register(n), headers=first)
        ).status == 201
    refused = await client.post("/api/v1/auth/register/", json=register(5), headers=first)
    assert refused.status == 429
    other = {"X-Forwarded-For": "198.51.100.9"}
    assert (
        await client.post("/api/v1/auth/register/", json=register(6), headers=other)
    ).status == 201
    # What a client writes itself lies left of what the proxy appended, and is not believed.
    forged = {"X-Forwarded-For": "192.0.2.1, 203.0.113.7"}
    assert (
        await client.post("/api/v1/auth/register/", json=register(7), headers=forged)
    ).status == 429
    origins = {event.origin for event in await AuditEvent.filter(action="register")}
    assert origins == {"203.0.113.7", "198.51.100.9"}
