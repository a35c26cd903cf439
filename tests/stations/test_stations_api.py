"""Stations over REST: administration, the older add_new_ftp_server body, choice, listing and
survey."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from tests.support.ftp_files import DAY, put
from tests.support.ftp_servers import PASSWORD, Certificates, station_server
from tests.support.people import bearer, make_user

Client = TestClient[web.Request, web.Application]


@pytest.fixture
async def admin_token(services: Services) -> str:
    admin = await make_user(services, 900001, admin=True, name="Root")
    return await services.auth.issue_token(admin.id)


@pytest.fixture
async def user_token(services: Services) -> str:
    member = await make_user(services, 8101, name="Member")
    return await services.auth.issue_token(member.id)


async def test_seed_add_new_ftp_server_accepts_the_seed_body(
    client: Client, admin_token: str
) -> None:
    cases = [
        ({"login": "q", "pwd": "p", "url": "ftp://st.example.org", "is_ssl": True}, 21, "explicit"),
        (
            {"login": "q", "pwd": "p", "url": "ftps://st.example.org", "is_ssl": False},
            990,
            "implicit",
        ),
        (
            {"login": "", "pwd": "", "url": "ftp://10.0.0.7:2121/data/out", "is_ssl": False},
            2121,
            "none",
        ),
    ]
    for body, port, tls in cases:
        response = await client.post(
            "/api/v1/admin/add_new_ftp_server/", json=body, headers=bearer(admin_token)
        )
        assert response.status == 201, await response.text()
        station = await response.json()
        assert (station["port"], station["tls"]) == (port, tls)
        assert "pwd" not in station and "password" not in station
        assert station["has_password"] == bool(body["pwd"])
    last = station
    assert (last["root"], last["login"], last["name"]) == ("/data/out", "anonymous", "10.0.0.7")
    # Same host twice: the second gets its own name.
    names = [
        s["name"]
        for s in (
            await (await client.get("/api/v1/admin/stations/", headers=bearer(admin_token))).json()
        )["items"]
    ]
    assert sorted(names) == ["10.0.0.7", "st.example.org", "st.example.org (2)"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"login": "q", "pwd": "p", "url": "http://example.org", "is_ssl": False}, None),
        ({"login": "q", "pwd": "p", "url": "ftp://", "is_ssl": False}, None),
        ({"login": "q", "pwd": "p", "url": "ftp://host:99999", "is_ssl": False}, None),
        ({"login": "q", "pwd": "p", "is_ssl": False}, "url"),
    ],
)
async def test_bad_station_addresses_get_a_clear_400(
    client: Client, admin_token: str, body: dict[str, object], field: str | None
) -> None:
    response = await client.post(
        "/api/v1/admin/add_new_ftp_server/", json=body, headers=bearer(admin_token)
    )
    assert response.status == 400
    error = (await response.json())["error"]
    assert error["message"]
    if field:
        assert field in error["fields"]


async def test_station_administration_round_trip(
    client: Client, services: Services, admin_token: str, ftp_root: Path, certs: Certificates
) -> None:
    put(ftp_root, "in/a.dat", b"a", age=DAY)
    headers = bearer(admin_token)
    async with station_server("pyftpdlib-explicit", ftp_root, certs) as endpoint:
        services.stations.ca_file = endpoint.ca_file
        fields = {
            "name": "Moscow",
            "url": f"ftp://{endpoint.host}:{endpoint.port}/in",
            "tls": "explicit",
            "login": endpoint.login,
            "password": endpoint.password,
            "include_masks": ["*.dat"],
        }
        probe = await client.post("/api/v1/admin/stations/test/", json=fields, headers=headers)
        assert (probe.status, (await probe.json())["entries"]) == (200, 1)
        bad = await client.post(
            "/api/v1/admin/stations/test/", json={**fields, "password": "nope"}, headers=headers
        )
        assert bad.status == 502
        assert (await bad.json())["error"]["code"] == "ftp_login"

        created = await client.post("/api/v1/admin/stations/", json=fields, headers=headers)
        assert created.status == 201
        station = await created.json()
        assert (station["root"], station["port"], station["health"]) == (
            "/in",
            endpoint.port,
            "waiting",
        )
        base = f"/api/v1/admin/stations/{station['id']}/"
        tested = await client.post(base + "test/", headers=headers)
        assert (tested.status, (await tested.json())["entries"]) == (200, 1)
        polled = await client.post(base + "poll/", headers=headers)
        assert polled.status == 200
        assert (await polled.json())["files_seen"] == 1
        assert (await (await client.get(base, headers=headers)).json())["health"] == "ok"

        renamed = await client.patch(
            base, json={"name": "Moscow-2", "password": "wrong"}, headers=headers
        )
        assert renamed.status == 200
        assert (await renamed.json())["name"] == "Moscow-2"
        failed = await client.post(base + "poll/", headers=headers)
        assert failed.status == 502
        assert (await failed.json())["error"]["code"] == "ftp_login"
        view = await (await client.get(base, headers=headers)).json()
        assert view["health"] == "failing" and "login" in view["last_error"]
        polls = await (await client.get(base + "polls/", headers=headers)).json()
        assert [bool(p["ok"]) for p in polls["items"]] == [False, True]

    other = await client.post(
        "/api/v1/admin/stations/", json={"name": "Other", "host": "h.example"}, headers=headers
    )
    clash = await client.patch(base, json={"name": "Other"}, headers=headers)
    assert (other.status, clash.status) == (201, 409)
    unknown_field = await client.patch(base, json={"colour": "red"}, headers=headers)
    assert unknown_field.status == 400
    too_fast = await client.patch(base, json={"poll_interval": 1}, headers=headers)
    assert too_fast.status == 400 and "poll_interval" in (await too_fast.json())["error"]["fields"]
    gone = await client.delete(base, headers=headers)
    assert gone.status == 204
    assert (await client.get(base, headers=headers)).status == 404
    assert (await client.post(base + "poll/", headers=headers)).status == 404


async def test_the_password_never_appears_in_answers_or_logs(
    client: Client, services: Services, admin_token: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "Pa55-never-shown"
    headers = bearer(admin_token)
    created = await client.post(
        "/api/v1/admin/add_new_ftp_server/",
        json={"login": "u", "pwd": secret, "url": "ftp://127.0.0.1:1", "is_ssl": False},
        headers=headers,
    )
    station = await created.json()
    polled = await client.post(f"/api/v1/admin/stations/{station['id']}/poll/", headers=headers)
    answers = [
        await created.text(),
        await polled.text(),
        await (await client.get("/api/v1/admin/stations/", headers=headers)).text(),
    ]
    assert polled.status == 502
    assert all(secret not in a for a in answers)
    assert "Poll of station" in caplog.text  # the failure was logged, without the password
    assert secret not in caplog.text


async def test_users_choose_stations_and_read_their_files(
    client: Client,
    services: Services,
    admin_token: str,
    user_token: str,
    ftp_root: Path,
    certs: Certificates,
) -> None:
    put(ftp_root, "a/one.dat", b"1", age=DAY)
    put(ftp_root, "a/two.dat", b"22", age=DAY)
    put(ftp_root, "b/three.dat", b"333", age=DAY)
    admin, user = bearer(admin_token), bearer(user_token)
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        ids = []
        for name in ("a", "b"):
            response = await client.post(
                "/api/v1/admin/stations/",
                json={
                    "name": f"Station {name}",
                    "url": f"ftp://{endpoint.host}:{endpoint.port}/{name}",
                    "login": endpoint.login,
                    "password": PASSWORD,
                },
                headers=admin,
            )
            ids.append((await response.json())["id"])
            await client.post(f"/api/v1/admin/stations/{ids[-1]}/poll/", headers=admin)
        disabled = await client.post(
            "/api/v1/admin/stations/", json={"host": "off.example", "enabled": False}, headers=admin
        )
        off_id = (await disabled.json())["id"]

        listed = await (await client.get("/api/v1/stations/", headers=user)).json()
        assert [(s["name"], s["followed"]) for s in listed["items"]] == [
            ("Station a", False),
            ("Station b", False),
        ]
        empty = await (await client.get("/api/v1/station-files/", headers=user)).json()
        assert empty["total"] == 0

        chosen = await client.put(
            "/api/v1/account/stations/", json={"station_ids": ids}, headers=user
        )
        assert [s["followed"] for s in (await chosen.json())["items"]] == [True, True]
        refused = await client.put(
            "/api/v1/account/stations/", json={"station_ids": [off_id]}, headers=user
        )
        assert refused.status == 404
        page = await (await client.get("/api/v1/station-files/?per_page=2", headers=user)).json()
        assert (page["total"], len(page["items"])) == (3, 2)
        filtered = await (
            await client.get(
                f"/api/v1/station-files/?station_id={ids[0]}&path_prefix=/a/t",
                headers=user,
            )
        ).json()
        assert [f["name"] for f in filtered["items"]] == ["two.dat"]
        assert filtered["items"][0]["station_name"] == "Station a"

        seed = await client.get(f"/api/v1/users/select_station/?station_ids={ids[1]}", headers=user)
        assert [s["followed"] for s in (await seed.json())["items"]] == [False, True]
        bad = await client.get("/api/v1/users/select_station/?station_ids=1,x", headers=user)
        assert bad.status == 400
        not_followed = await client.get(f"/api/v1/station-files/?station_id={ids[0]}", headers=user)
        assert not_followed.status == 404

        put(ftp_root, "b/four.dat", b"4444")
        for _ in range(2):
            await client.post(f"/api/v1/admin/stations/{ids[1]}/poll/", headers=admin)
        survey = await (await client.get("/api/v1/stations/survey/", headers=user)).json()
        (item,) = survey["items"]
        assert (item["station_name"], item["new_in_last_poll"], item["new_since_seen"]) == (
            "Station b",
            1,
            1,
        )
        assert item["last_poll"]["ok"] is True
        new = await (await client.get("/api/v1/station-files/?only_new=true", headers=user)).json()
        assert [f["name"] for f in new["items"]] == ["four.dat"]
        seen = await client.post("/api/v1/stations/seen/", json={}, headers=user)
        assert (await seen.json())["stations"] == 1
        survey = await (await client.get("/api/v1/stations/survey/", headers=user)).json()
        assert survey["items"][0]["new_since_seen"] == 0


async def test_a_new_address_never_switches_tls_off_by_itself(
    client: Client, admin_token: str
) -> None:
    headers = bearer(admin_token)
    created = await client.post(
        "/api/v1/admin/stations/",
        json={"url": "ftp://st.example/in", "tls": "explicit", "password": "p"},
        headers=headers,
    )
    base = f"/api/v1/admin/stations/{(await created.json())['id']}/"

    async def patch(body: dict[str, object]) -> tuple[str, int, str]:
        answer = await (await client.patch(base, json=body, headers=headers)).json()
        return answer["tls"], answer["port"], answer["root"]

    assert await patch({"url": "ftp://other.example:2121/out"}) == ("explicit", 2121, "/out")
    assert await patch({"url": "ftps://other.example"}) == ("implicit", 990, "/")
    assert await patch({"url": "ftp://other.example"}) == ("explicit", 21, "/")
    assert await patch({"url": "ftp://other.example", "tls": "none"}) == ("none", 21, "/")
    bad = await client.patch(base, json={"root": "/a\r\nDELE x"}, headers=headers)
    assert bad.status == 400 and "root" in (await bad.json())["error"]["fields"]
    huge = await client.put(
        "/api/v1/account/stations/", json={"station_ids": [2**40]}, headers=headers
    )
    assert huge.status == 400
