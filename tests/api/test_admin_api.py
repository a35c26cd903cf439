"""Administration over REST, and the rights of every route, table-driven."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from api.compat import compat_route_tables
from api.openapi import PATH_PARAM
from api.routes import route_tables
from services.container import Services
from services.core.models import AuditEvent, User
from tests.support.people import bearer, make_user
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
TABLES = [*route_tables(), *compat_route_tables()]
ENDPOINTS = [e for table in TABLES for e in table.endpoints]


def concrete(path: str) -> str:
    return PATH_PARAM.sub("1", path)


async def test_every_protected_route_checks_who_is_asking(
    client: Client, services: Services
) -> None:
    member = await make_user(services, 8001)
    member_token = await services.auth.issue_token(member.id)
    protected = [e for e in ENDPOINTS if e.auth != "none"]
    assert len(protected) >= 15
    for endpoint in protected:
        path = concrete(endpoint.path)
        anonymous = await client.request(endpoint.method, path)
        assert anonymous.status == 401, (endpoint.method, path)
        assert (await anonymous.json())["error"]["code"] == "missing_token"
        forged = await client.request(endpoint.method, path, headers=bearer("ftg_forged"))
        assert forged.status == 401, (endpoint.method, path)
        if endpoint.auth == "admin":
            as_member = await client.request(
                endpoint.method, path, headers=bearer(member_token), json={}
            )
            assert as_member.status == 403, (endpoint.method, path)


def test_the_openapi_document_lists_every_route_with_schemas() -> None:
    from api.openapi import build_openapi

    document = build_openapi(TABLES, title="t", version="1")
    for endpoint in ENDPOINTS:
        doc_path = PATH_PARAM.sub(r"{\1}", endpoint.path)
        operation = document["paths"][doc_path][endpoint.method.lower()]
        if endpoint.body is not None:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            assert schema["$ref"].endswith(endpoint.body.__name__)
        if endpoint.response is not None:
            success = operation["responses"][str(endpoint.status)]
            assert success["content"]["application/json"]["schema"]["$ref"].endswith(
                endpoint.response.__name__
            )
    ids = [op["operationId"] for ops in document["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


@pytest.fixture
async def admin_token(services: Services) -> str:
    admin = await make_user(services, 900001, admin=True, name="Root")
    return await services.auth.issue_token(admin.id)


async def test_user_list_and_its_seed_aliases(
    client: Client, services: Services, admin_token: str
) -> None:
    await make_user(services, 8002, active=False, name="Pending Pat")
    for path in ("/api/v1/admin/users/", "/api/v1/admin/list_users", "/api/v1/account/list/"):
        response = await client.get(path + "?per_page=1", headers=bearer(admin_token))
        assert response.status == 200, path
        page = await response.json()
        assert (page["total"], page["per_page"], len(page["items"])) == (2, 1, 1)
        first = page["items"][0]
        assert first["full_name"] == "Pending Pat" and first["state"] == "pending"
        assert {"quota", "used", "last_seen_at", "is_admin"} <= set(first)


async def test_activation_rights_quota_and_deletion(
    client: Client, services: Services, admin_token: str, telegram: FakeTelegram
) -> None:
    pat = await make_user(services, 8003, active=False, name="Pat")
    headers = bearer(admin_token)
    activated = await client.post(
        "/api/v1/admin/users/activate/", json={"ids": [pat.id, 999]}, headers=headers
    )
    assert await activated.json() == {"changed": [pat.id]}
    told = await telegram.expect_message(8003)
    assert "active now" in told.text

    patched = await client.patch(
        f"/api/v1/admin/users/{pat.id}/", headers=headers, json={"is_admin": True, "quota": 1024}
    )
    body = await patched.json()
    assert (body["is_admin"], body["quota"]) == (True, 1024)
    reset = await client.patch(
        f"/api/v1/admin/users/{pat.id}/", json={"quota": None}, headers=headers
    )
    assert (await reset.json())["quota"] == 10 * 1024**3
    negative = await client.patch(
        f"/api/v1/admin/users/{pat.id}/", json={"quota": -1}, headers=headers
    )
    assert negative.status == 400

    root = await User.get(telegram_id=900001)
    myself = await client.post(
        "/api/v1/admin/users/deactivate/", json={"ids": [root.id]}, headers=headers
    )
    assert myself.status == 409

    assert (await client.delete(f"/api/v1/admin/users/{pat.id}", headers=headers)).status == 204
    assert (await client.delete(f"/api/v1/admin/users/{pat.id}", headers=headers)).status == 404
    events = await AuditEvent.filter(actor_id=root.id).exclude(action="register").order_by("id")
    actions = [e.action for e in events]
    assert actions == ["activate", "make_admin", "set_quota", "set_quota", "delete_user"]


async def test_the_last_admin_cannot_delete_themselves(client: Client, admin_token: str) -> None:
    response = await client.delete("/api/v1/account/", headers=bearer(admin_token))
    assert response.status == 409
    assert (await response.json())["error"]["code"] == "last_admin"
