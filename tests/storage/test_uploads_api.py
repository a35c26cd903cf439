"""Resumable uploads over REST: a connection cut mid-way resumes from the bytes that arrived
and the SHA-256 comes out right; quota and size refused before any byte; nobody reaches another
person's upload; bad offsets and headers get clear JSON errors; sessions expire."""

from __future__ import annotations

import asyncio
import hashlib
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from services.core.models import StoredFile, UploadSession, User
from services.scheduler import create_scheduler, schedule_jobs
from tests.support.data import MIB, blob
from tests.support.people import bearer, make_user

pytestmark = pytest.mark.every_backend

Client = TestClient[web.Request, web.Application]
Json = dict[str, Any]


@pytest.fixture
async def alice(services: Services) -> str:
    user = await make_user(services, 9401, name="Alice")
    return await services.auth.issue_token(user.id)


@pytest.fixture
async def bob(services: Services) -> str:
    user = await make_user(services, 9402, name="Bob")
    return await services.auth.issue_token(user.id)


async def open_upload(
    client: Client, token: str, name: str, data: bytes, *, sha256: bool = True
) -> tuple[int, Json]:
    body: Json = {"name": name, "size": len(data)}
    if sha256:
        body["sha256"] = hashlib.sha256(data).hexdigest()
    response = await client.post("/api/v1/uploads/", json=body, headers=bearer(token))
    return response.status, await response.json()


async def send(
    client: Client, token: str, upload_id: int, offset: int, data: bytes, **headers: str
) -> tuple[int, Json]:
    sent = {**bearer(token), "Upload-Offset": str(offset), **headers}
    if "Content-Range" in headers:
        del sent["Upload-Offset"]
    response = await client.put(
        f"/api/v1/uploads/{upload_id}/", data=io.BytesIO(data), headers=sent
    )
    return response.status, await response.json()


async def offset_of(client: Client, token: str, upload_id: int) -> int:
    response = await client.get(f"/api/v1/uploads/{upload_id}/", headers=bearer(token))
    assert response.status == 200
    assert response.headers["Upload-Offset"] == str((await response.json())["offset"])
    return int(response.headers["Upload-Offset"])


async def cut_off(
    client: Client, token: str, upload_id: int, offset: int, total: int, data: bytes
) -> asyncio.StreamWriter:
    """A PUT announcing `total` bytes from `offset` that sends only `data`; the caller closes
    the connection whenever it likes (as a dying client would)."""
    _reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    head = (
        f"PUT /api/v1/uploads/{upload_id}/ HTTP/1.1\r\n"
        f"Host: {client.server.host}\r\n"
        f"Authorization: Bearer {token}\r\n"
        f"Upload-Offset: {offset}\r\n"
        "Content-Type: application/octet-stream\r\n"
        f"Content-Length: {total}\r\n\r\n"
    )
    writer.write(head.encode() + data)
    await writer.drain()
    return writer


async def claimed(upload_id: int) -> None:
    """Until a request is writing the upload."""
    async with asyncio.timeout(15):
        while True:
            if (await UploadSession.get(id=upload_id)).writer:
                return
            await asyncio.sleep(0.05)


async def settled_offset(client: Client, token: str, upload_id: int) -> int:
    """The offset once the server has noticed a cut connection and recorded what it kept (what
    the network had delivered but the server had not read yet is lost with the connection)."""
    async with asyncio.timeout(15):
        while True:
            row = await UploadSession.get(id=upload_id)
            if row.updated_at > row.created_at and not row.writer:  # claimed, then let go
                return await offset_of(client, token, upload_id)
            await asyncio.sleep(0.05)


async def test_an_upload_cut_off_mid_way_resumes_where_it_stopped_with_the_right_sha256(
    client: Client, alice: str, services: Services
) -> None:
    data = blob(5 * MIB + 12345, seed=41)
    status, session = await open_upload(client, alice, "Пролёт 17.bin", data)
    assert status == 201 and session["offset"] == 0 and session["size"] == len(data)
    cut = 3 * MIB + 777  # not on a chunk boundary
    connection = await cut_off(client, alice, session["id"], 0, len(data), data[:cut])
    connection.close()
    await connection.wait_closed()
    kept = await settled_offset(client, alice, session["id"])
    assert MIB <= kept <= cut
    part = services.files.store.part_path(f"upload-{session['id']}")
    assert part.read_bytes() == data[:kept]

    # A client with no memory of the session finds it again by its content.
    status, again = await open_upload(client, alice, "Пролёт 17.bin", data)
    assert status == 200 and (again["id"], again["offset"]) == (session["id"], kept)
    status, error = await send(client, alice, session["id"], 0, data)
    assert status == 409 and error["error"]["code"] == "offset_mismatch"
    assert str(kept) in error["error"]["message"]

    status, done = await send(client, alice, session["id"], kept, data[kept:])
    assert status == 201 and done["complete"] and done["offset"] == len(data)
    file = done["file"]
    assert file["sha256"] == hashlib.sha256(data).hexdigest()
    assert (file["name"], file["size"], file["created"]) == ("Пролёт 17.bin", len(data), True)
    got = await client.get(file["download_url"], headers=bearer(alice))
    assert await got.read() == data
    # The session is over and nothing partial is left behind.
    gone = await client.get(f"/api/v1/uploads/{session['id']}/", headers=bearer(alice))
    assert gone.status == 404 and (await gone.json())["error"]["code"] == "unknown_upload"
    assert services.files.store.part_keys() == []
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(alice))).json()
    assert quota["used"] == len(data)


async def test_quota_and_size_limit_are_refused_before_any_byte(
    client: Client, services: Services
) -> None:
    user = await make_user(services, 9403)
    await User.filter(id=user.id).update(storage_quota=1000)
    token = await services.auth.issue_token(user.id)
    status, error = await open_upload(client, token, "big.bin", b"x" * 1001)
    assert status == 507 and error["error"]["code"] == "quota_exceeded"
    assert "1000 bytes are free" in error["error"]["message"]
    status, first = await open_upload(client, token, "a.bin", b"a" * 600)
    assert status == 201
    # An unfinished upload holds its space: a second one must fit beside it.
    status, error = await open_upload(client, token, "b.bin", b"b" * 600)
    assert status == 507 and "400 bytes are free" in error["error"]["message"]
    services.files.max_upload = 500
    status, error = await open_upload(client, token, "c.bin", b"c" * 501)
    assert status == 413 and error["error"]["code"] == "file_too_large"
    assert "max 500 bytes" in error["error"]["message"]
    assert await UploadSession.filter(user_id=user.id).count() == 1
    assert services.files.store.part_keys() == []

    # Dropping the unfinished upload frees its space.
    dropped = await client.delete(f"/api/v1/uploads/{first['id']}/", headers=bearer(token))
    assert dropped.status == 204
    services.files.max_upload = 10_000
    status, _ = await open_upload(client, token, "b.bin", b"b" * 1000)
    assert status == 201


async def test_a_quota_that_shrinks_meanwhile_keeps_the_bytes_until_it_fits(
    client: Client, services: Services
) -> None:
    user = await make_user(services, 9404)
    token = await services.auth.issue_token(user.id)
    data = b"q" * 5000
    _, session = await open_upload(client, token, "q.bin", data)
    await User.filter(id=user.id).update(storage_quota=4000)
    status, error = await send(client, token, session["id"], 0, data)
    assert status == 507 and error["error"]["code"] == "quota_exceeded"
    assert await offset_of(client, token, session["id"]) == len(data)
    await User.filter(id=user.id).update(storage_quota=None)
    status, done = await send(client, token, session["id"], len(data), b"")
    assert status == 201 and done["file"]["sha256"] == hashlib.sha256(data).hexdigest()


async def test_someone_elses_upload_is_not_found(client: Client, alice: str, bob: str) -> None:
    data = b"alice's bytes" * 100
    _, session = await open_upload(client, alice, "mine.bin", data)
    path = f"/api/v1/uploads/{session['id']}/"
    for method, body in (("GET", None), ("PUT", data), ("DELETE", None)):
        response = await client.request(
            method, path, data=body, headers={**bearer(bob), "Upload-Offset": "0"}
        )
        assert response.status == 404, method
        assert (await response.json())["error"]["code"] == "unknown_upload"
    listing = await client.get("/api/v1/uploads/", headers=bearer(bob))
    assert (await listing.json())["items"] == []
    # Bob opening the same content gets a session of his own, not Alice's.
    status, his = await open_upload(client, bob, "mine.bin", data)
    assert status == 201 and his["id"] != session["id"]
    status, done = await send(client, alice, session["id"], 0, data)
    assert status == 201 and done["file"]["size"] == len(data)


async def test_bad_offsets_and_headers_get_clear_answers(client: Client, alice: str) -> None:
    data = bytes(range(256)) * 16
    _, session = await open_upload(client, alice, "r.bin", data)
    url = f"/api/v1/uploads/{session['id']}/"

    missing = await client.put(url, data=data, headers=bearer(alice))
    assert missing.status == 400
    assert (await missing.json())["error"]["code"] == "missing_offset"
    for value in ("abc", "-1", "1.5"):
        status, error = await send(
            client, alice, session["id"], 0, data, **{"Upload-Offset": value}
        )
        assert (status, error["error"]["code"]) == (400, "bad_offset"), value
    status, error = await send(client, alice, session["id"], 100, data[100:])
    assert (status, error["error"]["code"]) == (409, "offset_mismatch")
    status, error = await send(client, alice, session["id"], 0, data + b"!")
    assert (status, error["error"]["code"]) == (400, "beyond_size")
    bad_range = {"Content-Range": f"bytes 0-99/{len(data) + 1}"}
    status, error = await send(client, alice, session["id"], 0, data[:100], **bad_range)
    assert (status, error["error"]["code"]) == (400, "size_mismatch")
    nonsense = {"Content-Range": "bytes=0-99"}
    status, error = await send(client, alice, session["id"], 0, data[:100], **nonsense)
    assert (status, error["error"]["code"]) == (400, "bad_offset")
    assert await offset_of(client, alice, session["id"]) == 0
    huge = await client.get("/api/v1/uploads/99999999999999999999/", headers=bearer(alice))
    assert huge.status == 404 and (await huge.json())["error"]["code"] == "not_found"

    # Content-Range works as well as Upload-Offset.
    first = {"Content-Range": f"bytes 0-999/{len(data)}"}
    status, partial = await send(client, alice, session["id"], 0, data[:1000], **first)
    assert status == 200 and not partial["complete"] and partial["offset"] == 1000
    rest = {"Content-Range": f"bytes 1000-{len(data) - 1}/{len(data)}"}
    status, done = await send(client, alice, session["id"], 0, data[1000:], **rest)
    assert status == 201 and done["file"]["sha256"] == hashlib.sha256(data).hexdigest()

    invalid = await client.post(
        "/api/v1/uploads/", json={"name": "x", "size": -1, "sha256": "xyz"}, headers=bearer(alice)
    )
    assert invalid.status == 400
    assert set((await invalid.json())["error"]["fields"]) == {"size", "sha256"}


async def test_content_that_does_not_match_its_sha256_is_discarded(
    client: Client, alice: str, services: Services
) -> None:
    data = b"announced content"
    _, session = await open_upload(client, alice, "x.bin", data)
    status, error = await send(client, alice, session["id"], 0, b"different content")
    assert (status, error["error"]["code"]) == (400, "checksum_mismatch")
    assert hashlib.sha256(data).hexdigest() in error["error"]["message"]
    assert (
        await client.get(f"/api/v1/uploads/{session['id']}/", headers=bearer(alice))
    ).status == 404
    assert services.files.store.part_keys() == []
    assert await StoredFile.all().count() == 0


async def test_content_you_have_is_not_stored_twice_and_empty_files_work(
    client: Client, alice: str
) -> None:
    data = b"twice" * 1000
    _, first = await open_upload(client, alice, "one.bin", data, sha256=False)
    status, stored = await send(client, alice, first["id"], 0, data)
    assert status == 201
    _, second = await open_upload(client, alice, "two.bin", data, sha256=False)
    assert second["id"] != first["id"]
    status, again = await send(client, alice, second["id"], 0, data)
    assert status == 200 and again["complete"] and not again["file"]["created"]
    assert again["file"]["id"] == stored["file"]["id"]
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(alice))).json()
    assert quota["used"] == len(data)

    status, empty = await open_upload(client, alice, "empty.txt", b"")
    assert status == 201
    status, done = await send(client, alice, empty["id"], 0, b"")
    assert status == 201 and done["file"]["size"] == 0


async def test_a_second_request_while_one_is_sending_is_told_to_wait(
    client: Client, alice: str
) -> None:
    data = blob(2 * MIB, seed=42)
    _, session = await open_upload(client, alice, "busy.bin", data)
    connection = await cut_off(client, alice, session["id"], 0, len(data), data[:MIB])
    try:
        # Once the first request has claimed the upload (sending a second before that would
        # race it: whichever claims first writes)...
        await claimed(session["id"])
        status, error = await send(client, alice, session["id"], 0, data)
        assert status == 409 and error["error"]["code"] == "upload_busy"
        assert "try again" in error["error"]["message"]
    finally:
        connection.close()
        await connection.wait_closed()
    kept = await settled_offset(client, alice, session["id"])
    assert kept <= MIB
    status, done = await send(client, alice, session["id"], kept, data[kept:])
    assert status == 201 and done["file"]["sha256"] == hashlib.sha256(data).hexdigest()


async def test_expired_uploads_and_stray_parts_are_swept(
    client: Client, alice: str, services: Services
) -> None:
    data = b"e" * 4000
    _, old = await open_upload(client, alice, "old.bin", data)
    await send(client, alice, old["id"], 0, data[:1000])
    part = services.files.store.part_path(f"upload-{old['id']}")
    assert part.stat().st_size == 1000
    stray = services.files.store.part_path("upload-999999")
    stray.write_bytes(b"left by a crash")
    await UploadSession.filter(id=old["id"]).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    expired = await client.get(f"/api/v1/uploads/{old['id']}/", headers=bearer(alice))
    assert expired.status == 404
    _, new = await open_upload(client, alice, "new.bin", b"n" * 10)  # sweeps
    assert not part.exists() and not stray.exists()
    assert not await UploadSession.filter(id=old["id"]).exists()
    listing = await (await client.get("/api/v1/uploads/", headers=bearer(alice))).json()
    assert [item["id"] for item in listing["items"]] == [new["id"]]


async def test_housekeeping_removes_an_abandoned_upload_without_anyone_uploading_again(
    client: Client, alice: str, services: Services
) -> None:
    data = b"a" * 4000
    _, left = await open_upload(client, alice, "left.bin", data)
    await send(client, alice, left["id"], 0, data[:1500])
    part = services.files.store.part_path(f"upload-{left['id']}")
    await UploadSession.filter(id=left["id"]).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    scheduler = create_scheduler()
    schedule_jobs(scheduler, services)
    job = scheduler.get_job("prune-uploads")
    assert job is not None and job.trigger.interval == timedelta(hours=1)
    await job.func(*job.args)  # as the scheduler runs it, once an hour
    assert not part.exists()
    assert not await UploadSession.filter(id=left["id"]).exists()
