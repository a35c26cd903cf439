"""Avatars over the API: someone to upload them, and the upload."""

from __future__ import annotations

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from tests.support.people import bearer, make_user

Client = TestClient[web.Request, web.Application]


async def send(client: Client, token: str, name: str, data: bytes) -> aiohttp.ClientResponse:
    """`data` uploaded as an avatar named `name`."""
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("file", data, filename=name)
    return await client.post("/api/v1/avatar/upload/", data=form, headers=bearer(token))


async def token_for(services: Services) -> str:
    """An API token of a new active user."""
    user = await make_user(services, 9301)
    return await services.auth.issue_token(user.id)
