"""Downloads over REST and WebSocket, as an app or a web page uses them: queue, watch live,
pause, start, stop, remove; answers for bad input; nobody sees anyone else's downloads."""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.accounts.users import UserView
from services.container import Services
from services.core.events import Event
from tests.support.data import MIB, blob
from tests.support.ftp_servers import Certificates, vsftpd_server
from tests.support.people import bearer, make_user
from tests.support.stations import station_files
from tests.support.timing import FAST

Client = TestClient[web.Request, web.Application]
Json = dict[str, Any]


@pytest.fixture
async def accounts(services: Services) -> tuple[UserView, str, UserView, str]:
    admin = await make_user(services, 900001, admin=True, name="Root")
    alice = await make_user(services, 7301, name="Alice")
    bob = await make_user(services, 7302, name="Bob")
    return (
        admin,
        await services.auth.issue_token(alice.id),
        alice,
        await services.auth.issue_token(bob.id),
    )


async def receive(socket: aiohttp.ClientWebSocketResponse, timeout: float = 30) -> Json:
    message = await socket.receive_json(timeout=timeout)
    assert isinstance(message, dict)
    return message


async def until(
    socket: aiohttp.ClientWebSocketResponse, wanted: str, log: list[Json], timeout: float = 60
) -> Json:
    """Messages (kept in `log`) until one whose item has status `wanted`."""
    async with asyncio.timeout(timeout):
        while True:
            message = await receive(socket)
            log.append({**message, "at": time.monotonic()})
            if message.get("item", {}).get("status") == wanted:
                return message


async def fetched(
    client: Client, url: str, auth: dict[str, str], done: Any, timeout: float = 30
) -> Json:
    """GET `url` until `done(answer)`."""
    async with asyncio.timeout(timeout):
        while True:
            answer: Json = await (await client.get(url, headers=auth)).json()
            if done(answer):
                return answer
            await asyncio.sleep(0.1)


@pytest.mark.usefixtures("worker")
async def test_rest_queue_see_list_pause_start_cancel_delete(
    client: Client,
    services: Services,
    accounts: tuple[UserView, str, UserView, str],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, alice_token, _alice, bob_token = accounts
    data = blob(12 * MIB, seed=21)  # seconds left after the first MiB, for the pause
    with vsftpd_server(ftp_root, tls="explicit", certs=certs, rate=2 * MIB) as endpoint:
        ids = await station_files(services, admin, endpoint, {"a.bin": data, "b.bin": b"tiny"})
        auth = bearer(alice_token)
        response = await client.post(
            "/api/v1/downloads/", json={"station_file_id": ids["a.bin"]}, headers=auth
        )
        assert response.status == 201, await response.text()
        first = await response.json()
        assert first["status"] in ("queued", "downloading") and first["total"] == len(data)
        again = await client.post(
            "/api/v1/downloads/", json={"station_file_id": ids["a.bin"]}, headers=auth
        )
        assert again.status == 200 and (await again.json())["id"] == first["id"]
        url = f"/api/v1/downloads/{first['id']}/"
        item = await fetched(client, url, auth, lambda answer: answer["bytes"] >= MIB)
        assert item["status"] == "downloading" and 0 < item["percent"] < 100
        assert item["speed"] > 0 and item["eta"] is not None
        # Someone else's download does not exist for Bob.
        assert (await client.get(url, headers=bearer(bob_token))).status == 404
        paused = await client.post(url + "pause/", headers=auth)
        assert paused.status == 200 and (await paused.json())["status"] == "paused"
        listed = await client.get("/api/v1/downloads/?status=paused", headers=auth)
        page = await listed.json()
        assert page["total"] == 1 and page["items"][0]["id"] == first["id"]
        # Removing an unfinished download is refused, with the way out in the message.
        refused = await client.delete(url, headers=auth)
        assert refused.status == 409
        assert (await refused.json())["error"]["code"] == "download_active"
        started = await client.post(url + "start/", headers=auth)
        assert (await started.json())["status"] in ("queued", "downloading")
        item = await fetched(client, url, auth, lambda answer: answer["status"] == "completed")
        assert item["bytes"] == item["total"] == len(data) and item["file_id"]
        stored = await client.get(f"/api/v1/files/{item['file_id']}/download", headers=auth)
        assert stored.status == 200 and await stored.read() == data
        # Cancelling a finished download deletes its file; deleting takes it off the list.
        stopped = await client.post(url + "cancel/", headers=auth)
        assert (await stopped.json())["status"] == "cancelled"
        gone = await client.get(f"/api/v1/files/{item['file_id']}/download", headers=auth)
        assert gone.status == 404
        removed = await client.delete(url, headers=auth)
        assert removed.status == 204
        assert (await client.get(url, headers=auth)).status == 404


async def test_rest_answers_bad_requests_with_clear_errors(
    client: Client,
    services: Services,
    accounts: tuple[UserView, str, UserView, str],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, alice_token, alice, _bob = accounts
    await services.users.set_quota(alice.id, MIB, actor=admin)
    auth = bearer(alice_token)
    with vsftpd_server(ftp_root, tls="none", certs=certs) as endpoint:
        ids = await station_files(services, admin, endpoint, {"huge.bin": blob(2 * MIB, 22)})
        cases: list[tuple[Json | str, int, str]] = [
            ({"station_file_id": ids["huge.bin"]}, 507, "quota_exceeded"),
            ({"station_file_id": 999999}, 404, "unknown_station_file"),
            ({"station_file_id": "x"}, 400, "invalid_input"),
            ({"file": 1}, 400, "invalid_input"),
            ("not json", 400, "malformed_json"),
            ({"station_file_id": True}, 400, "invalid_input"),
            ({"station_file_id": 2**63}, 400, "invalid_input"),
        ]
        for body, status, code in cases:
            if isinstance(body, str):
                response = await client.post("/api/v1/downloads/", data=body, headers=auth)
            else:
                response = await client.post("/api/v1/downloads/", json=body, headers=auth)
            answer = await response.json()
            assert (response.status, answer["error"]["code"]) == (status, code), answer
        quota = await client.post(
            "/api/v1/downloads/", json={"station_file_id": ids["huge.bin"]}, headers=auth
        )
        message = (await quota.json())["error"]["message"]
        assert "needs at least 2097152 bytes" in message and "1048576 bytes are free" in message
    wrong = await client.get("/api/v1/downloads/?status=sleeping", headers=auth)
    assert wrong.status == 400
    other = await client.get(f"/api/v1/downloads/?user_id={admin.id}", headers=auth)
    assert other.status == 403
    assert (await client.post("/api/v1/downloads/12345/pause/", headers=auth)).status == 404
    # Ids beyond any the database holds are missing, not a failure of ours.
    for method, path in (
        ("GET", "/api/v1/downloads/9223372036854775808/"),
        ("POST", "/api/v1/downloads/99999999999999999999/pause/"),
        ("GET", "/api/v1/files/99999999999999999999/download/"),
    ):
        huge = await client.request(method, path, headers=auth)
        assert huge.status == 404 and (await huge.json())["error"]["code"] == "not_found"


@pytest.mark.usefixtures("worker")
async def test_websocket_snapshot_then_changes_and_progress_at_most_once_a_second(
    client: Client,
    services: Services,
    accounts: tuple[UserView, str, UserView, str],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, alice_token, alice, _bob = accounts
    data = blob(6 * MIB, seed=23)
    with vsftpd_server(ftp_root, tls="explicit", certs=certs, rate=2 * MIB) as endpoint:
        ids = await station_files(services, admin, endpoint, {"live.bin": data})
        async with client.ws_connect(f"/api/v1/downloads/live/?token={alice_token}") as ws:
            snapshot = await receive(ws)
            assert snapshot == {"type": "snapshot", "items": []}
            view, _ = await services.downloads.request(alice, ids["live.bin"])
            log: list[Json] = []
            await until(ws, "completed", log)
        kinds = [m["type"] for m in log]
        assert kinds[0] == "change" and kinds[-1] == "change"
        statuses = [m["item"]["status"] for m in log if m["type"] == "change"]
        assert statuses[-1] == "completed" and "downloading" in statuses
        progress = [m for m in log if m["type"] == "progress"]
        assert len(progress) >= 2  # a 3-second download shows it moving
        amounts = [m["item"]["bytes"] for m in progress]
        assert amounts == sorted(amounts) and all(0 < a <= len(data) for a in amounts)
        assert any(a % MIB for a in amounts), amounts  # what arrived, not whole buffers written
        # At most once a second. The stamps are taken on receipt, in the loop the server also
        # runs in, so one message delayed by a busy machine shortens the next gap: the bound
        # leaves room for that and still tells once a second from once a chunk.
        gaps = [b["at"] - a["at"] for a, b in itertools.pairwise(progress)]
        assert min(gaps) >= 0.5
        assert len(progress) <= progress[-1]["at"] - progress[0]["at"] + 2
        # Reconnecting gives a fresh snapshot from the database.
        async with client.ws_connect(f"/api/v1/downloads/live?token={alice_token}") as ws:
            fresh = await receive(ws)
        assert fresh["type"] == "snapshot"
        (item,) = fresh["items"]
        assert (item["id"], item["status"], item["bytes"]) == (view.id, "completed", len(data))


@pytest.mark.usefixtures("worker")
async def test_websocket_one_download_with_the_token_as_first_message(
    client: Client,
    services: Services,
    accounts: tuple[UserView, str, UserView, str],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, alice_token, alice, bob_token = accounts
    with vsftpd_server(ftp_root, tls="none", certs=certs) as endpoint:
        ids = await station_files(services, admin, endpoint, {"one.bin": b"1" * 1000})
        view, _ = await services.downloads.request(alice, ids["one.bin"])
        path = f"/api/v1/downloads/{view.id}/live/?user_id={alice.id}"
        async with client.ws_connect(path) as ws:
            await ws.send_json({"token": alice_token})
            snapshot = await receive(ws)
            assert snapshot["type"] == "snapshot" and [i["id"] for i in snapshot["items"]] == [
                view.id
            ]
            await ws.send_json({"type": "ping"})
            replies = [await receive(ws) for _ in range(1)]
            while {"type": "pong"} not in replies:
                replies.append(await receive(ws))
        # A wrong first message: an error, then the socket closes.
        async with client.ws_connect(path) as ws:
            await ws.send_json({"token": "not-a-token"})
            error = await receive(ws)
            assert error["type"] == "error" and error["error"]["code"] in (
                "invalid_token",
                "unauthorized",
            )
            closing = await ws.receive(timeout=5)
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
            assert ws.close_code == 4401
        # Bob may not watch Alice's downloads: refused before the upgrade, as JSON.
        refused = await client.get(
            f"/api/v1/downloads/live/?user_id={alice.id}", headers=bearer(bob_token)
        )
        assert refused.status == 403
        assert (await refused.json())["error"]["code"] == "not_yours"
        # Nor ask for Alice's with his own token in the first message.
        async with client.ws_connect(path) as ws:
            await ws.send_json({"token": bob_token})
            assert (await receive(ws))["error"]["code"] == "not_yours"
        # An unknown download: a clear error.
        async with client.ws_connect(f"/api/v1/downloads/999999/live/?token={alice_token}") as ws:
            error = await receive(ws)
            assert error["error"]["code"] == "unknown_download"


async def test_a_watcher_whose_access_ends_is_cut_off(
    client: Client,
    services: Services,
    accounts: tuple[UserView, str, UserView, str],
) -> None:
    """An open socket does not outlive the right to watch: a deactivated account or a revoked
    token ends it within the re-check interval (`Timing.recheck`), with the reason."""
    admin, alice_token, alice, bob_token = accounts
    bob = await services.auth.authenticate(bob_token)
    async with client.ws_connect(f"/api/v1/downloads/live/?token={alice_token}") as ws:
        assert (await receive(ws))["type"] == "snapshot"
        await services.users.set_active([alice.id], False, actor=admin)
        error = await receive(ws, timeout=10)
        # (deactivating also revokes the account's tokens)
        assert error["type"] == "error"
        assert error["error"]["code"] in ("inactive_user", "invalid_token")
        await ws.receive(timeout=5)
        assert ws.close_code == 4401
    async with client.ws_connect(f"/api/v1/downloads/live/?user_id={bob.id}") as ws:
        await ws.send_json({"token": bob_token})
        assert (await receive(ws))["type"] == "snapshot"
        revoked = time.monotonic()
        await services.auth.revoke_presented(bob_token)
        # A change of his downloads just before the re-check is due does not postpone it (a
        # watcher that started its wait over would cut him off only after twice the interval).
        loop = asyncio.get_running_loop()
        loop.call_later(FAST.recheck * 0.95, services.bus.publish, Event.downloads([bob.id]))
        error = await receive(ws, timeout=10)
        assert error["error"]["code"] == "invalid_token"
        assert time.monotonic() - revoked <= FAST.recheck + 0.35
        await ws.receive(timeout=5)
        assert ws.close_code == 4401


async def test_whose_downloads_are_watched(
    client: Client, services: Services, accounts: tuple[UserView, str, UserView, str]
) -> None:
    """The caller's own; an administrator may name anyone's (`user_id`); a bad one is refused
    before the upgrade."""
    admin, alice_token, alice, _bob = accounts
    admin_token = await services.auth.issue_token(admin.id)
    url = f"/api/v1/downloads/live/?user_id={alice.id}&token={admin_token}"
    async with client.ws_connect(url) as ws:
        assert (await receive(ws)) == {"type": "snapshot", "items": []}
    for query, status in (("x", 400), ("", 400), ("-1", 400), ("99999999999", 404)):
        response = await client.get(
            f"/api/v1/downloads/live/?user_id={query}", headers=bearer(alice_token)
        )
        assert response.status == status, query
        assert response.content_type == "application/json", query
