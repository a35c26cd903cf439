"""The compatibility routes (api/compat/): every older path still answers as its canonical twin
does. Where both take the same input, both are called in turn and give the same status and the
same body (reads, and actions that leave nothing to change the second time) or the same body
shape. The older user API at /api/... and the form routes answer in shapes of their own: they
are checked to do what their twins do, as seen through the twins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient

from api.compat import compat_route_tables
from services.container import Services
from services.core.models import User
from tests.support.ftp_servers import aioftp_server
from tests.support.messages import code_in
from tests.support.people import bearer, make_user
from tests.support.stations import station_files
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
Values = dict[str, Any]
JSON = {"Accept": "application/json"}
PASSWORD = "Secret#12"


@dataclass(frozen=True)
class Call:
    method: str
    url: str  # `{name}`s are filled in from the scenario's values
    body: Callable[[Values], Any] | None = None


@dataclass(frozen=True)
class Twins:
    """A compatibility route (as the OpenAPI document names it), a call of it and the same
    request to its canonical twin, which is made first."""

    route: str
    old: Call
    new: Call
    same_body: bool = True  # else the same body shape


async def answer(
    client: Client, call: Call, values: Values, headers: dict[str, str]
) -> tuple[int, Any]:
    response = await client.request(
        call.method,
        call.url.format(**values),
        json=call.body(values) if call.body else None,
        headers=headers,
    )
    if response.content_type == "application/json":
        return response.status, await response.json()
    return response.status, await response.read()


def shape(value: Any) -> Any:
    """Keys and value types, lists by their first item."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


async def check(
    client: Client, twins: list[Twins], values: Values, headers: dict[str, str]
) -> None:
    for twin in twins:
        new_status, new_body = await answer(client, twin.new, values, headers)
        old_status, old_body = await answer(client, twin.old, values, headers)
        assert (old_status, shape(old_body)) == (new_status, shape(new_body)), twin.route
        if twin.same_body:
            assert old_body == new_body, twin.route


# ---- downloads and stations ----------------------------------------------------------------

STATION_TWINS = [
    Twins(
        "GET /api/v1/files/list_station_files/",
        Call("GET", "/api/v1/files/list_station_files/?per_page=1"),
        Call("GET", "/api/v1/station-files/?per_page=1"),
    ),
    Twins(
        "GET /api/v1/files/survey/",
        Call("GET", "/api/v1/files/survey/"),
        Call("GET", "/api/v1/stations/survey/"),
    ),
    Twins(
        "PUT /api/v1/users/me/stations/",
        Call("PUT", "/api/v1/users/me/stations/", lambda v: {"station_ids": [v["station"]]}),
        Call("PUT", "/api/v1/account/stations/", lambda v: {"station_ids": [v["station"]]}),
    ),
    Twins(
        "GET /api/v1/users/select_station/",
        Call("GET", "/api/v1/users/select_station/?station_ids={station}"),
        Call("PUT", "/api/v1/account/stations/", lambda v: {"station_ids": [v["station"]]}),
    ),
]
DOWNLOAD_TWINS = [
    Twins(
        "GET /api/v1/files/list_files/",
        Call("GET", "/api/v1/files/list_files/?status=queued"),
        Call("GET", "/api/v1/downloads/?status=queued"),
    ),
    Twins(
        "POST /api/v1/files/{file_id}/pause/",
        Call("POST", "/api/v1/files/{a}/pause/"),
        Call("POST", "/api/v1/downloads/{a}/pause/"),
    ),
    Twins(
        "POST /api/v1/files/{file_id}/start/",
        Call("POST", "/api/v1/files/{a}/start/"),
        Call("POST", "/api/v1/downloads/{a}/start/"),
    ),
    # Refused alike while the download runs, with the same error.
    Twins(
        "POST /api/v1/files/{file_id}/remove/",
        Call("POST", "/api/v1/files/{a}/remove/"),
        Call("DELETE", "/api/v1/downloads/{a}/"),
    ),
    Twins(
        "POST /api/v1/files/{file_id}/down/",
        Call("POST", "/api/v1/files/{a}/down/"),
        Call("POST", "/api/v1/downloads/{a}/cancel/"),
        same_body=False,  # the second cancels again: a later updated_at
    ),
    # Both downloads are cancelled now: each goes, one by each route.
    Twins(
        "POST /api/v1/files/{file_id}/remove/",
        Call("POST", "/api/v1/files/{a}/remove/"),
        Call("DELETE", "/api/v1/downloads/{b}/"),
    ),
]
# The older WebSocket paths and their canonical twins: the same first message (the snapshot).
SOCKET_TWINS = [
    ("/files/{user}/downloading/", "/api/v1/downloads/live/"),
    ("/api/v1/files/{user}/downloading", "/api/v1/downloads/live/"),
    ("/files/{a}/{user}/downloading/", "/api/v1/downloads/{a}/live/"),
    ("/api/v1/files/{a}/{user}/downloading/", "/api/v1/downloads/{a}/live/"),
]


async def test_download_and_station_routes_answer_as_their_twins(
    client: Client, services: Services, ftp_root: Path
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    alice = await make_user(services, 7401, name="Alice")
    token = await services.auth.issue_token(alice.id)
    async with aioftp_server(ftp_root) as endpoint:
        ids = await station_files(services, admin, endpoint, {"a.bin": b"a" * 10, "b.bin": b"b"})
    station = next(s.id for s in await services.stations.list_stations())
    await services.stations.follow(alice, [station])
    a, _ = await services.downloads.request(alice, ids["a.bin"])
    b, _ = await services.downloads.request(alice, ids["b.bin"])
    values = {"station": station, "a": a.id, "b": b.id, "user": alice.id}

    await check(client, STATION_TWINS, values, bearer(token))
    for old, new in SOCKET_TWINS:
        snapshots = []
        for path in (new, old):
            url = path.format(**values) + f"?token={token}"
            async with client.ws_connect(url) as socket:
                snapshots.append(await socket.receive_json(timeout=30))
        assert snapshots[0]["type"] == "snapshot" and snapshots[0]["items"], old
        assert snapshots[1] == snapshots[0], old
    await services.downloads.down(alice, b.id)
    await check(client, DOWNLOAD_TWINS, values, bearer(token))
    assert (await client.get("/api/v1/downloads/", headers=bearer(token))).status == 200
    for download in (a, b):
        gone = await client.get(f"/api/v1/downloads/{download.id}/", headers=bearer(token))
        assert gone.status == 404


# ---- administration ------------------------------------------------------------------------

ADMIN_TWINS = [
    # Shapes only: the caller's own `last_seen_at` may move between the two.
    Twins(
        "GET /api/v1/admin/list_users/",
        Call("GET", "/api/v1/admin/list_users/?per_page=2"),
        Call("GET", "/api/v1/admin/users/?per_page=2"),
        same_body=False,
    ),
    Twins(
        "GET /api/v1/account/list/",
        Call("GET", "/api/v1/account/list/?per_page=2"),
        Call("GET", "/api/v1/admin/users/?per_page=2"),
        same_body=False,
    ),
    Twins(
        "POST /api/v1/admin/activate_users/",
        Call("POST", "/api/v1/admin/activate_users/", lambda v: {"ids": [v["p1"]]}),
        Call("POST", "/api/v1/admin/users/activate/", lambda v: {"ids": [v["p2"]]}),
        same_body=False,
    ),
    Twins(
        "POST /api/v1/admin/deactivate_users/",
        Call("POST", "/api/v1/admin/deactivate_users/", lambda v: {"ids": [v["p1"]]}),
        Call("POST", "/api/v1/admin/users/deactivate/", lambda v: {"ids": [v["p2"]]}),
        same_body=False,
    ),
    Twins(
        "PUT /api/v1/account/quota/",
        Call("PUT", "/api/v1/account/quota/", lambda v: {"user_id": v["p1"], "quota": 2048}),
        Call("PATCH", "/api/v1/admin/users/{p1}/", lambda v: {"quota": 2048}),
    ),
    # Another body for the same thing: a station (polled at once, unreachable here).
    Twins(
        "POST /api/v1/admin/add_new_ftp_server/",
        Call(
            "POST",
            "/api/v1/admin/add_new_ftp_server/",
            lambda v: {"login": "q", "pwd": "p", "url": "ftp://127.0.0.1:1/in", "is_ssl": True},
        ),
        Call(
            "POST",
            "/api/v1/admin/stations/",
            lambda v: {
                "url": "ftp://127.0.0.1:1/in",
                "login": "q",
                "password": "p",
                "tls": "explicit",
            },
        ),
        same_body=False,
    ),
]


async def test_administration_routes_answer_as_their_twins(
    client: Client, services: Services
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    first = await make_user(services, 7402, active=False, name="Pat")
    second = await make_user(services, 7403, active=False, name="Sam")
    token = await services.auth.issue_token(admin.id)
    await check(client, ADMIN_TWINS, {"p1": first.id, "p2": second.id}, bearer(token))
    stations = await services.stations.list_stations()
    assert [(s.tls, s.root) for s in stations] == [("explicit", "/in")] * 2


# ---- signing in with a code from the bot ---------------------------------------------------

CODE_ROUTES = [
    "GET /api/v1/users/{user_id}/registration/",
    "GET /api/v1/users/{user_id}/get_temp_code/",
    "GET /api/v1/users/{user_id}/{temp_code}/auth/",
]


async def test_code_routes_answer_as_their_twins(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await check(
        client,
        [
            Twins(
                CODE_ROUTES[0],
                Call("GET", "/api/v1/users/7404/registration/"),
                Call("GET", "/api/v1/auth/registration/7404/"),
            )
        ],
        {},
        {},
    )
    await make_user(services, 7404, name="Vera")
    answers = []
    for ask, verify in (
        (
            Call("POST", "/api/v1/auth/code/", lambda v: {"telegram_id": 7404}),
            Call("POST", "/api/v1/auth/code/verify/", lambda v: {"telegram_id": 7404, **v}),
        ),
        (
            Call("GET", "/api/v1/users/7404/get_temp_code/"),
            Call("GET", "/api/v1/users/7404/{code}/auth/"),
        ),
    ):
        sent = await answer(client, ask, {}, {})
        code = code_in((await telegram.expect_message(7404)).text)
        answers.append((sent, await answer(client, verify, {"code": code}, {})))
    (new_sent, new_signed), (old_sent, old_signed) = answers
    assert old_sent == new_sent and new_sent[0] == 202
    assert (old_signed[0], shape(old_signed[1])) == (200, shape(new_signed[1]))
    assert old_signed[1]["user"] == new_signed[1]["user"]
    assert old_signed[1]["token"] != new_signed[1]["token"]


# ---- the user API at /api/... --------------------------------------------------------------

USER_API_ROUTES = [
    "POST /api/user/",
    "POST /api/auth/",
    "PUT /api/user/",
    "POST /api/cabinet/",
    "POST /api/send_message",
    "GET /api/cabinet/",
    "DELETE /api/user/",
]


async def test_the_user_api_does_what_its_twins_do(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    async def call(method: str, url: str, body: Any = None, token: str = "") -> tuple[int, Any]:
        return await answer(client, Call(method, url, lambda v: body), {}, bearer(token))

    login = {"login": "fedor1", "psw": PASSWORD}
    assert await call("POST", "/api/user/", {"name": "Fedor", **login}) == (
        201,
        {"answer": "success user was created"},
    )
    twin = {"login": "gleb12", "password": PASSWORD, "full_name": "Gleb", "email": "g@example.org"}
    assert (await call("POST", "/api/v1/auth/register/", twin))[0] == 201
    # Both wait for activation, and say so alike.
    pending = await call("POST", "/api/auth/", login)
    assert pending == await call(
        "POST", "/api/v1/auth/login/", {"login": "fedor1", "password": PASSWORD}
    )
    assert pending[0] == 403
    await User.filter(login="fedor1").update(is_active=True, telegram_id=7405)
    telegram.open_chat(7405)

    status, signed = await call("POST", "/api/auth/", login)
    assert (status, set(signed), signed["answer"]) == (200, {"answer", "access_token"}, "success")
    token = signed["access_token"]
    assert (await call("GET", "/api/v1/account/", token=token))[1]["login"] == "fedor1"

    changed = await call("PUT", "/api/user/", {"name": "Fedor K"}, token)
    assert changed == (200, {"answer": "success user was changed"})
    assert (await call("GET", "/api/v1/account/", token=token))[1]["full_name"] == "Fedor K"

    assert (await call("POST", "/api/v1/bot-tokens/code/", token=token))[0] == 202
    code = code_in((await telegram.expect_message(7405)).text)
    status, created = await call("POST", "/api/cabinet/", {"code": code}, token)
    assert (status, set(created), created["answer"]) == (200, {"answer", "bot_token"}, "success")
    listed = (await call("GET", "/api/v1/bot-tokens/", token=token))[1]["items"]
    assert len(listed) == 1

    sent = await call(
        "POST",
        "/api/send_message",
        {"text": "hi", "type": "Text", "bot_token": created["bot_token"]},
    )
    assert sent == (200, {"answer": "message was successfully send"})
    assert (await telegram.expect_message(7405)).text == "hi"
    history = (await call("GET", "/api/v1/messages/", token=token))[1]["items"]
    status, cabinet = await call("GET", "/api/cabinet/", token=token)
    assert (status, cabinet["answer"]) == (200, "success")
    assert [m["text"] for m in cabinet["messages"]] == [m["text"] for m in history] == ["hi"]
    assert set(cabinet["messages"][0]) == {"time", "text", "type"}

    deleted = await call("DELETE", "/api/user/", login, token)
    assert deleted == (200, {"answer": "success user was deleted"})
    assert (await call("GET", "/api/v1/account/", token=token))[0] == 401


# ---- the form routes -----------------------------------------------------------------------

FORM_ROUTES = [
    "POST /register",
    "POST /login",
    "POST /upload",
    "GET /files",
    "GET /download/{filename}",
    "GET /logout",
]


async def test_form_routes_answer_as_their_twins(client: Client) -> None:
    async def form(url: str, fields: dict[str, str], token: str = "") -> aiohttp.ClientResponse:
        headers = {**JSON, **(bearer(token) if token else {})}
        return await client.post(url, data=fields, headers=headers)

    person = {"full_name": "Ira", "email": "i@example.org", "password": PASSWORD}
    old = await form("/register", {"username": "irina1", **person})
    new = await client.post("/api/v1/auth/register/", json={"login": "iosif1", **person})
    assert (old.status, shape(await old.json())) == (new.status, shape(await new.json()))
    assert old.status == 201
    await User.all().update(is_active=True)

    old = await form("/login", {"username": "irina1", "password": PASSWORD})
    client.session.cookie_jar.clear()  # scripts use the token
    new = await client.post("/api/v1/auth/login/", json={"login": "irina1", "password": PASSWORD})
    assert (old.status, shape(await old.json())) == (new.status, shape(await new.json()))
    token, other = (await old.json())["token"], (await new.json())["token"]

    uploads = []
    for url, content in (("/api/v1/files/upload/", b"new route"), ("/upload", b"older route")):
        data = FormData()
        data.add_field("file", content, filename=f"{content[:3].decode()}.txt")
        uploads.append(await client.post(url, data=data, headers={**JSON, **bearer(token)}))
    new, old = uploads
    assert (old.status, shape(await old.json())) == (new.status, shape(await new.json()))

    old = await client.get("/files", headers={**JSON, **bearer(token)})
    new = await client.get("/api/v1/files/", headers=bearer(token))
    assert (old.status, await old.json()) == (new.status, await new.json())

    file_id = (await new.json())["items"][0]["id"]
    new = await client.get(f"/api/v1/files/{file_id}/download/", headers=bearer(token))
    old = await client.get("/download/old.txt", headers=bearer(token))
    assert (old.status, await old.read()) == (new.status, await new.read()) == (200, b"older route")
    assert old.headers["Content-Disposition"] == new.headers["Content-Disposition"]

    # Signing out: a JSON answer here, 204 from the twin; the token stops working either way.
    old = await client.get("/logout", headers=bearer(token))
    assert (old.status, await old.json()) == (200, {"signed_out": True})
    assert (await client.post("/api/v1/auth/logout/", headers=bearer(other))).status == 204
    for gone in (token, other):
        assert (await client.get("/api/v1/account/", headers=bearer(gone))).status == 401


# ---- every route ---------------------------------------------------------------------------


def test_every_compatibility_route_is_called_here() -> None:
    called = {
        *(t.route for t in [*STATION_TWINS, *DOWNLOAD_TWINS, *ADMIN_TWINS]),
        *CODE_ROUTES,
        *USER_API_ROUTES,
        *FORM_ROUTES,
    }
    documented = {f"{e.method} {e.doc_path()}" for t in compat_route_tables() for e in t.endpoints}
    assert called == documented
    for twins in (*STATION_TWINS, *DOWNLOAD_TWINS, *ADMIN_TWINS):
        assert twins.old.method == twins.route.split(" ")[0], twins.route
