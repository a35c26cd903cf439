"""HTTP basics: health, errors as JSON, trailing slashes, OpenAPI and Swagger UI, admin logs."""

from __future__ import annotations

import logging
import os
import re
import socket

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import BaseModel

from api.compat import compat_route_tables
from api.errors import error_middleware
from api.openapi import RouteTable, add_routes, read_body, respond
from ftpgram.app import Application
from services.accounts.users import UserService
from services.container import Services


async def test_health_reports_each_part(api_url: str) -> None:
    async with aiohttp.ClientSession() as http, http.head(f"{api_url}/health") as response:
        assert response.status == 200
    async with aiohttp.ClientSession() as http, http.get(f"{api_url}/health") as response:
        assert response.status == 200
        body = await response.json()
    assert body == {
        "status": "ok",
        "database": True,
        "bot": True,
        "scheduler": True,
        "role": "leader",  # one process leads and needs no Redis
        "redis": None,
        "process": f"{socket.gethostname()}:{os.getpid()}",
    }


async def test_health_is_503_when_a_part_is_down(application: Application, api_url: str) -> None:
    application.scheduler.pause()
    application.scheduler.shutdown(wait=False)
    async with aiohttp.ClientSession() as http, http.get(f"{api_url}/health/") as response:
        assert response.status == 503
        body = await response.json()
    assert body["status"] == "degraded" and body["scheduler"] is False and body["database"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/no/such/page", 404, "not_found"),
        ("POST", "/health", 405, "method_not_allowed"),
        ("GET", "/api/v1/admin/logs", 401, "missing_token"),
    ],
)
async def test_errors_are_json(
    api_url: str, method: str, path: str, status: int, code: str
) -> None:
    async with aiohttp.ClientSession() as http, http.request(method, api_url + path) as response:
        assert response.status == status
        assert response.content_type == "application/json"
        body = await response.json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


class Echo(BaseModel):
    name: str
    size: int


async def test_bodies_are_validated_with_a_message_per_field() -> None:
    routes = RouteTable(tag="test")

    @routes.post("/echo", summary="echo", auth="none", body=Echo, response=Echo)
    async def echo(request: web.Request) -> web.Response:
        return respond(await read_body(request, Echo))

    @routes.get("/boom", summary="fails", auth="none")
    async def boom(request: web.Request) -> web.Response:
        raise RuntimeError("secret internals")

    app = web.Application(middlewares=[error_middleware])
    add_routes(app, [routes])
    async with TestClient(TestServer(app)) as client:
        for path in ("/echo", "/echo/"):
            ok = await client.post(path, json={"name": "a", "size": 1})
            assert ok.status == 200 and await ok.json() == {"name": "a", "size": 1}
        malformed = await client.post(
            "/echo", data=b"{not json", headers={"Content-Type": "application/json"}
        )
        assert malformed.status == 400
        assert (await malformed.json())["error"]["code"] == "malformed_json"
        invalid = await client.post("/echo", json={"size": "big"})
        assert invalid.status == 400
        fields = (await invalid.json())["error"]["fields"]
        assert set(fields) == {"name", "size"}
        failed = await client.get("/boom")
        assert failed.status == 500
        text = await failed.text()
        assert "secret internals" not in text and "Traceback" not in text


async def test_openapi_document_describes_the_routes(api_url: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api_url}/api/v1/openapi.json") as response:
            assert response.status == 200
            document = await response.json()
        assert document["openapi"].startswith("3.")
        health = document["paths"]["/health"]["get"]
        assert health["responses"]["200"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/HealthBody"
        }
        logs = document["paths"]["/api/v1/admin/logs"]["get"]
        assert {p["name"] for p in logs["parameters"]} >= {"level", "page", "per_page"}
        assert logs["security"] == [{"bearer": []}]
        assert "ErrorBody" in document["components"]["schemas"]
        assert "/api/v1/users/{user_id}/{temp_code}/auth/" in document["paths"]


# Path words of the older routes that name no resource, or one resource for another (`files`
# for downloads, `/api/v1/users/` for Telegram users, `account/list` for every user).
OLD_WORDS = {
    "list_files",
    "list_station_files",
    "select_station",
    "add_new_ftp_server",
    "list_users",
    "list",
    "get_temp_code",
    "activate_users",
    "deactivate_users",
    "send_message",
    "cabinet",
    "user",
    "down",
    "remove",
    "downloading",
}


async def test_compatibility_routes_are_marked_and_canonical_names_are_plain(
    api_url: str,
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{api_url}/api/v1/openapi.json") as response,
    ):
        document = await response.json()
    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    compat = {e.method + " " + e.doc_path(): e for t in compat_route_tables() for e in t.endpoints}
    marked = {
        f"{method} {path}"
        for (method, path), operation in operations.items()
        if "compatibility" in operation["tags"]
    }
    assert marked == set(compat)
    for name, endpoint in compat.items():
        method, path = name.split(" ")
        operation = operations[method, path]
        assert operation["tags"] == ["compatibility"] and operation["deprecated"] is True, name
        # Each names its canonical twin, which the document has, unmarked.
        twin = tuple(endpoint.canonical.split(" "))
        assert f"`{endpoint.canonical}`" in operation["description"], name
        assert twin in operations and "deprecated" not in operations[twin], name
        assert "compatibility" not in operations[twin]["tags"], name
    canonical = {key: op for key, op in operations.items() if " ".join(key) not in compat}
    assert len(canonical) >= 60
    for (_, path), operation in canonical.items():
        assert path.startswith("/api/v1/") or path in ("/health", "/metrics", "/s/{token}"), path
        words = [w for w in path.strip("/").split("/") if not w.startswith("{")]
        assert all(re.fullmatch(r"[a-z0-9.-]+", w) for w in words), path  # no seed_style_verbs
        assert not OLD_WORDS & set(words) and not path.startswith("/api/v1/users/"), path
        assert "deprecated" not in operation, path
        assert "seed" not in (operation["summary"] + " ".join(operation["tags"])).lower(), path
        # A download is never a file: `/files/` holds stored files only.
        if path.startswith("/api/v1/files/"):
            assert operation["tags"] == ["files"], path


async def test_swagger_ui_is_served_without_a_cdn(api_url: str) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{api_url}/api/docs") as response:
            assert response.status == 200
            page = await response.text()
            assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert "http://" not in page and "https://" not in page
        for asset in (
            "/api/docs/assets/swagger-ui-bundle.js",
            "/api/docs/assets/swagger-ui.css",
            "/static/swagger-init.js",
        ):
            assert asset in page
            async with http.get(api_url + asset) as response:
                assert response.status == 200, asset
                assert len(await response.read()) > 100


async def test_admin_reads_the_latest_log_entries(application: Application, api_url: str) -> None:
    services = application.services
    assert services is not None and application.log_writer is not None
    admin = await _user(services, 900001, admin=True)
    member = await _user(services, 1001)
    admin_token = await services.auth.issue_token(admin)
    member_token = await services.auth.issue_token(member)
    logging.getLogger("ftpgram.test").warning("disk almost full", extra={"station_id": 7})
    logging.getLogger("ftpgram.test").info("routine event")
    await application.log_writer.flush()

    async with aiohttp.ClientSession() as http:
        url = f"{api_url}/api/v1/admin/logs?level=warning&per_page=10"
        async with http.get(url, headers={"Authorization": f"Bearer {member_token}"}) as response:
            assert response.status == 403
            assert (await response.json())["error"]["code"] == "admin_only"
        async with http.get(url, headers={"Authorization": f"Bearer {admin_token}"}) as response:
            assert response.status == 200
            page = await response.json()
        async with http.get(
            f"{api_url}/api/v1/admin/logs/?per_page=abc",
            headers={"Authorization": f"Bearer {admin_token}"},
        ) as response:
            assert response.status == 400
            assert "per_page" in (await response.json())["error"]["fields"]
    messages = [item["message"] for item in page["items"]]
    assert "disk almost full" in messages and "routine event" not in messages
    entry = page["items"][messages.index("disk almost full")]
    assert entry["level"] == "warning" and entry["station_id"] == 7
    assert all(item["level"] in ("warning", "error") for item in page["items"])


async def test_a_bad_token_is_refused(api_url: str) -> None:
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": "Bearer ftg_not-a-real-token"}
        async with http.get(f"{api_url}/api/v1/admin/logs", headers=headers) as response:
            assert response.status == 401
            assert (await response.json())["error"]["code"] == "invalid_token"


async def _user(services: Services, telegram_id: int, *, admin: bool = False) -> int:
    users: UserService = services.users
    registration = await users.register_telegram(
        telegram_id, full_name="Test", username=None, language_code="en"
    )
    if not registration.user.is_active:
        from services.core.models import User

        await User.filter(id=registration.user.id).update(is_active=True, is_admin=admin)
    return registration.user.id
