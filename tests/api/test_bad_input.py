"""Bad input gets a 4xx JSON answer, never a 500 (issue 15): integers beyond 64 bits, JSON nested
too deep, lone surrogates, malformed multipart and over-long names — and nothing is stored."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from aiohttp import ClientResponse, WSMsgType, web
from aiohttp.test_utils import TestClient

from services.container import Services
from services.core.models import Avatar, LoginCode, Message, StoredFile, User
from tests.support.people import bearer, make_user
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
HUGE = 361560060537256476672  # 2**68.3: fits no database integer
JSON = {"Content-Type": "application/json"}


async def assert_refused(response: ClientResponse, code: str | None = None) -> dict[str, Any]:
    """A 4xx with the API's JSON error body."""
    assert 400 <= response.status < 500, (response.status, await response.text())
    assert response.content_type == "application/json"
    body = await response.json()
    error: dict[str, Any] = body["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    if code is not None:
        assert error["code"] == code, error
    return error


@pytest.fixture
async def admin(services: Services) -> str:
    user = await make_user(services, 900001, admin=True, name="Root")
    return await services.auth.issue_token(user.id)


@pytest.fixture
async def member(services: Services) -> str:
    user = await make_user(services, 9001, name="Alice")
    return await services.auth.issue_token(user.id)


@pytest.fixture
async def app_token(services: Services) -> str:
    """A bot token of a person the bot can write to."""
    user = await make_user(services, 9002, name="Reader")
    return (await services.messaging.create_token(user, "app")).token


async def test_integers_beyond_64_bits_are_refused(
    client: Client, services: Services, admin: str, member: str
) -> None:
    users_before = await User.all().count()
    for path in ("/api/v1/auth/code/", "/api/v1/auth/code/verify/"):
        code_request = {"telegram_id": HUGE, "code": "123456"}
        error = await assert_refused(await client.post(path, json=code_request), "invalid_input")
        assert "telegram_id" in error["fields"]
    # Nested in a list, and as raw JSON text (beyond what a float could round-trip).
    raw = b'{"ids": [1, 99999999999999999999999999999999]}'
    response = await client.post(
        "/api/v1/admin/users/activate/", data=raw, headers={**JSON, **bearer(admin)}
    )
    assert "ids.1" in (await assert_refused(response, "invalid_input"))["fields"]

    target = await make_user(services, 9002, name="Bob")
    quota_before = (await User.get(id=target.id)).storage_quota
    requests: list[tuple[str, str, dict[str, int] | None]] = [
        # The older quota route (see tests/api/test_compat_routes.py) takes the user in the body.
        ("PUT", "/api/v1/account/quota/", {"user_id": target.id, "quota": HUGE}),
        ("PUT", "/api/v1/account/quota/", {"user_id": HUGE, "quota": 1}),
        ("PATCH", f"/api/v1/admin/users/{target.id}/", {"quota": HUGE}),
    ]
    for method, path, body in requests:
        response = await client.request(method, path, json=body, headers=bearer(admin))
        await assert_refused(response, "invalid_input")
    assert (await User.get(id=target.id)).storage_quota == quota_before
    # Row ids are 32-bit on PostgreSQL: a larger one names no row, in the path, body or query.
    requests = [
        ("PATCH", "/api/v1/admin/users/99999999999/", {"quota": 1}),
        ("DELETE", "/api/v1/account/tokens/99999999999/", None),
        ("GET", "/api/v1/admin/stations/999999999999999999/", None),
    ]
    for method, path, body in requests:
        response = await client.request(method, path, json=body, headers=bearer(admin))
        await assert_refused(response, "not_found")
    response = await client.put(
        "/api/v1/account/quota/", json={"user_id": 2**40, "quota": 1}, headers=bearer(admin)
    )
    assert "user_id" in (await assert_refused(response, "invalid_input"))["fields"]
    # More digits than Python turns into an int is not JSON we take either.
    response = await client.post(
        "/api/v1/auth/code/", data=b'{"telegram_id": ' + b"9" * 5000 + b"}", headers=JSON
    )
    await assert_refused(response, "malformed_json")

    for path in (
        "/api/v1/files/?page=99999999999999999999",
        "/api/v1/admin/users/?page=99999999999999999999",
        "/api/v1/downloads/?page=99999999999999999999",
    ):
        response = await client.get(path, headers=bearer(admin))
        assert "page" in (await assert_refused(response, "invalid_input"))["fields"], path
    for path in (
        "/api/v1/avatar/?id=99999999999999999999",
        "/api/v1/files/?id=-99999999999999999999",
    ):
        response = await client.delete(path, headers=bearer(member))
        assert "id" in (await assert_refused(response, "invalid_input"))["fields"], path

    assert await User.all().count() == users_before + 1  # only Bob, made above
    assert await LoginCode.all().count() == 0


async def test_times_off_the_calendar_in_utc_are_refused(client: Client, member: str) -> None:
    # PostgreSQL stores times in UTC, where these fall before year 1 or after year 9999.
    for query in ("date_from=0001-01-01T00:00:00%2B14:00", "date_to=9999-12-31T23:59:59-14:00"):
        response = await client.get(f"/api/v1/files/?{query}", headers=bearer(member))
        error = await assert_refused(response, "invalid_input")
        assert set(error["fields"]) == {query.partition("=")[0]}


async def test_the_openapi_document_bounds_every_integer_input(client: Client) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    code_request = document["components"]["schemas"]["CodeRequestIn"]["properties"]
    assert (code_request["telegram_id"]["minimum"], code_request["telegram_id"]["maximum"]) == (
        -(2**63),
        2**63 - 1,
    )
    quota = document["components"]["schemas"]["AdminUserPatch"]["properties"]["quota"]
    assert quota["anyOf"][0] == {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    ids = document["components"]["schemas"]["Ids"]["properties"]["ids"]["items"]
    assert (ids["minimum"], ids["maximum"]) == (1, 2**31 - 1)  # a row id
    parameters = document["paths"]["/api/v1/files/"]["get"]["parameters"]
    schemas = {p["name"]: p["schema"] for p in parameters}
    assert (schemas["page"]["minimum"], schemas["page"]["maximum"]) == (1, 2**31 - 1)
    assert schemas["user_id"]["anyOf"][0]["maximum"] == 2**31 - 1  # a row id
    # Path ids: what the route takes, and the 404 for anything else.
    patch_user = document["paths"]["/api/v1/admin/users/{user_id}/"]["patch"]
    assert patch_user["parameters"][0]["schema"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 2**31 - 1,
    }
    assert "404" in patch_user["responses"]


def nested(depth: int) -> bytes:
    return b'{"login": ' + b"[" * depth + b"]" * depth + b', "password": "x"}'


async def test_json_nested_too_deep_is_refused(
    client: Client, services: Services, member: str
) -> None:
    deep = nested(20_000)
    for path in ("/api/v1/auth/login/", "/api/v1/auth/register/", "/web/session/telegram"):
        response = await client.post(path, data=deep, headers=JSON)
        await assert_refused(response, "malformed_json")
    # The form routes read JSON themselves.
    for path in ("/login", "/register"):
        response = await client.post(
            path, data=deep, headers={**JSON, "Accept": "application/json"}
        )
        await assert_refused(response, "malformed_json")
    assert await User.all().count() == 1  # Alice alone

    # A WebSocket's first message is JSON too: too deep is no token, and the socket says so.
    async with client.ws_connect("/api/v1/downloads/live/") as socket:
        await socket.send_str("[" * 20_000 + "]" * 20_000)
        message = await socket.receive_json()
        assert message["type"] == "error"
        assert message["error"]["code"] == "missing_token"
        closing = await socket.receive()
        assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED)
    assert socket.close_code == 4401


async def test_lone_surrogates_and_nul_are_refused(client: Client, member: str) -> None:
    users_before = await User.all().count()
    for path, body in (
        ("/api/v1/auth/login/", b'{"login": "\\ud800", "password": "Secret1!"}'),
        (
            "/api/v1/auth/register/",
            b'{"login": "abc\\udfff", "password": "Secret1!x", "full_name": "A", '
            b'"email": "a@example.org"}',
        ),
        ("/api/auth/", b'{"login": "x", "psw": "\\ud83d"}'),
        ("/api/v1/auth/login/", b'{"login": "a\\u0000b", "password": "x"}'),  # PostgreSQL: no NUL
    ):
        response = await client.post(path, data=body, headers=JSON)
        error = await assert_refused(response, "invalid_input")
        assert set(error["fields"]) & {"login", "psw"}, error
    # The form route /login reads its JSON itself.
    response = await client.post(
        "/login", data=b'{"username": "\\udfff", "password": "x"}', headers=JSON
    )
    assert "username" in (await assert_refused(response, "invalid_input"))["fields"]
    response = await client.patch(
        "/api/v1/account/",
        data=b'{"full_name": "Alice \\udc00"}',
        headers={**JSON, **bearer(member)},
    )
    assert "full_name" in (await assert_refused(response, "invalid_input"))["fields"]
    assert await User.all().count() == users_before
    assert await User.filter(full_name="Alice").count() == 1  # unchanged


MALFORMED_MULTIPART = [
    pytest.param("multipart/form-data", b"--x\r\n\r\nabc\r\n--x--\r\n", id="no-boundary"),
    pytest.param(
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a\0b"\r\n\r\nabc\r\n'
        b"--x--\r\n",
        id="nul-in-header",
    ),
    pytest.param(
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="file"\rX: y\r\n\r\nabc\r\n--x--\r\n',
        id="cr-in-header",
    ),
    pytest.param(
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nabc',
        id="no-closing-boundary",
    ),
    pytest.param(
        "multipart/form-data; boundary=x",
        b'--x\r\nContent-Disposition: form-data; name="fi',
        id="truncated-headers",
    ),
    pytest.param("multipart/form-data; boundary=x", b"garbage\r\n", id="no-opening-boundary"),
]


@pytest.mark.parametrize(("content_type", "body"), MALFORMED_MULTIPART)
async def test_malformed_multipart_is_refused(
    client: Client, member: str, app_token: str, content_type: str, body: bytes
) -> None:
    # Uploads, seed 003's /login, whose form may come as multipart too, and app messages.
    for path, token in (
        ("/api/v1/files/upload/", member),
        ("/upload", member),
        ("/api/v1/avatar/upload/", member),
        ("/login", member),
        ("/api/v1/messages/", app_token),
    ):
        response = await client.post(
            path, data=body, headers={"Content-Type": content_type, **bearer(token)}
        )
        await assert_refused(response, "malformed_multipart")
    assert await StoredFile.all().count() == 0
    assert await Avatar.all().count() == 0
    assert await Message.all().count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("text", b"a\0b", id="nul"),
        pytest.param("text", b"x" * 100_000, id="too-long"),
        pytest.param("title", b"t" * 300, id="title-too-long"),
    ],
)
async def test_a_bad_field_in_a_message_form_is_refused(
    client: Client, app_token: str, field: str, value: bytes
) -> None:
    body = (
        b'--x\r\nContent-Disposition: form-data; name="'
        + field.encode()
        + b'"\r\n\r\n'
        + value
        + b"\r\n--x--\r\n"
    )
    response = await client.post(
        "/api/v1/messages/",
        data=body,
        headers={"Content-Type": "multipart/form-data; boundary=x", **bearer(app_token)},
    )
    assert field in (await assert_refused(response))["fields"]
    assert await Message.all().count() == 0


async def test_an_over_long_name_on_seed_003_download_is_not_found(
    client: Client, member: str
) -> None:
    for name in ("a" * 5000, "a" * 256, "%F0%9F%98%80" * 300):
        response = await client.get(f"/download/{name}", headers=bearer(member))
        assert response.status in (400, 404)
        await assert_refused(response)
    assert await StoredFile.all().count() == 0


async def raw_status(client: Client, request: bytes) -> int:
    """Send bytes as they are (an HTTP client would encode the headers) and read the status."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
        await writer.wait_closed()
    return int(status_line.split()[1])


async def test_undecodable_bytes_in_headers_are_refused_not_failed(
    client: Client, services: Services, member: str, telegram: FakeTelegram
) -> None:
    def get(path: str, header: bytes) -> bytes:
        return b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\n" + header + b"\r\n\r\n"

    assert (
        await raw_status(client, get("/api/v1/account/", b"Authorization: Bearer ftg_\xff")) == 401
    )
    assert await raw_status(client, get("/", b"Cookie: ftpgram_session=ftg_\xff")) < 500
    sent = (
        b"POST /api/v1/messages/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ftb_\xff\r\n"
        b'Content-Type: application/json\r\nContent-Length: 13\r\n\r\n{"text": "x"}'
    )
    assert await raw_status(client, sent) == 401
    # "²" is a digit to str.isdigit, not a byte offset.
    opened = await client.post(
        "/api/v1/uploads/", json={"name": "a.bin", "size": 4}, headers=bearer(member)
    )
    upload_id = (await opened.json())["id"]
    offset = (
        f"PUT /api/v1/uploads/{upload_id}/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {member}"
        "\r\nUpload-Offset: ²\r\nContent-Length: 4\r\n\r\nabcd"
    ).encode()
    assert await raw_status(client, offset) == 400
    # A browser's User-Agent becomes the new token's label.
    await make_user(services, 9003)
    await client.post("/api/v1/auth/code/", json={"telegram_id": 9003})
    code = re.search(r"<code>(\d{6})</code>", (await telegram.expect_message(9003)).text)
    assert code
    body = json.dumps({"telegram_id": 9003, "code": code.group(1)}).encode()
    verify = (
        b"POST /api/v1/auth/code/verify/ HTTP/1.1\r\nHost: x\r\nUser-Agent: Mozilla \xff\xfe\r\n"
        b"Content-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\n\r\n"
        + body
    )
    assert await raw_status(client, verify) == 200


async def test_a_login_with_a_trailing_newline_is_refused(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/register/",
        json={"login": "alice\n", "password": "Secret#1", "full_name": "A", "email": "a@b.org"},
    )
    assert "login" in (await assert_refused(response, "invalid_input"))["fields"]
    assert await User.filter(login__startswith="alice").count() == 0
