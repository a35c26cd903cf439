"""Storage hardening (issue 15), through the HTTP API on the real services.

- Share links: every GET that starts serving bytes (a whole file or any range) uses one download
  of a link's limit, reserved before the first byte; HEAD, 304 and 416 use none; parallel
  requests never pass the limit. A deactivated owner's links answer like revoked ones.
- Quota: ordinary uploads leave room for unfinished resumable uploads and held downloads.
- A full disk: the storage directory is a small tmpfs of its own here (the tests run as root),
  filled by a file the test writes. A write that fails gives its bytes back and answers 507.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import shutil
import socket
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from services.core.models import Download, ShareLink, StoredFile, UploadSession, User
from services.core.settings import Settings
from tests.support.data import MIB
from tests.support.people import bearer, make_user

pytestmark = pytest.mark.every_backend

Client = TestClient[web.Request, web.Application]
Json = dict[str, Any]
DISK = 8 * MIB


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of DISK bytes, so that filling it is quick and harms nothing else."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK},mode=0700", "tmpfs", str(mount)], check=True
    )
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=True)


@pytest.fixture
def settings(settings: Settings, small_disk: Path) -> Settings:
    """The shared settings, with the content stored on the small disk."""
    settings.storage_dir = small_disk
    return settings


@pytest.fixture
async def alice(services: Services) -> str:
    user = await make_user(services, 9501, name="Alice")
    return await services.auth.issue_token(user.id)


def blob(size: int, seed: int) -> bytes:
    block = hashlib.sha256(f"hardening {seed}".encode()).digest() * (MIB // 32)
    return (block * (size // len(block) + 1))[:size]


async def upload(client: Client, token: str, name: str, content: bytes) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field(
        "file", io.BytesIO(content), filename=name, content_type="application/octet-stream"
    )
    return await client.post("/api/v1/files/upload/", data=form, headers=bearer(token))


async def shared(
    client: Client, token: str, content: bytes, max_downloads: int | None = None
) -> tuple[Json, str]:
    """A stored file and the path of its share link."""
    file = await (await upload(client, token, "shared.bin", content)).json()
    body = {"max_downloads": max_downloads} if max_downloads else {}
    link = await client.post(f"/api/v1/files/{file['id']}/share/", json=body, headers=bearer(token))
    assert link.status == 201
    return file, "/s/" + (await link.json())["token"]


async def downloads_of(client: Client, token: str, file: Json) -> int:
    link = await client.get(f"/api/v1/files/{file['id']}/share/", headers=bearer(token))
    return int((await link.json())["downloads"])


async def error_of(response: aiohttp.ClientResponse) -> tuple[int, str, str]:
    body = await response.json()
    return response.status, body["error"]["code"], body["error"]["message"]


# ---- share links -------------------------------------------------------------------------


async def test_every_range_a_limited_link_serves_counts_and_looking_does_not(
    client: Client, alice: str
) -> None:
    content = blob(10_000, seed=1)
    file, path = await shared(client, alice, content, max_downloads=2)
    # Looking at the link serves no bytes: a HEAD, a 304 for a cached copy, an unsatisfiable
    # range. None of them uses a download.
    head = await client.head(path)
    assert head.status == 200 and head.headers["Content-Length"] == str(len(content))
    for _ in range(3):
        assert (await client.head(path)).status == 200
    cached = await client.get(path, headers={"If-None-Match": head.headers["ETag"]})
    assert cached.status == 304
    beyond = await client.get(path, headers={"Range": f"bytes={len(content) + 5}-"})
    assert beyond.status == 416
    assert await downloads_of(client, alice, file) == 0

    # A range that stops one byte short of the end is a download all the same.
    almost = {"Range": f"bytes=0-{len(content) - 2}"}
    served = []
    for _ in range(4):
        response = await client.get(path, headers=almost)
        served.append((response.status, await response.read()))
    assert [status for status, _ in served] == [206, 206, 410, 410]
    assert served[0][1] == content[:-1]
    assert await downloads_of(client, alice, file) == 2
    exhausted = await client.get(path, headers={"Range": f"bytes={len(content) - 1}-"})
    assert (await error_of(exhausted))[:2] == (410, "link_exhausted")
    assert (await client.head(path)).status == 410


async def test_fifty_requests_at_once_never_pass_the_limit(client: Client, alice: str) -> None:
    content = blob(64_000, seed=2)
    file, path = await shared(client, alice, content, max_downloads=5)

    async def fetch(number: int) -> tuple[int, int]:
        # Whole files, ranges short of the end and single bytes, all at once.
        ranges = [None, f"bytes=0-{len(content) - 2}", "bytes=1000-1000", "bytes=-5000"]
        wanted = ranges[number % len(ranges)]
        headers = {"Range": wanted} if wanted else {}
        response = await client.get(path, headers=headers)
        return response.status, len(await response.read())

    results = await asyncio.gather(*(fetch(number) for number in range(50)))
    statuses = sorted(status for status, _ in results)
    assert len([s for s in statuses if s in (200, 206)]) == 5, statuses
    assert statuses.count(410) == 45
    assert sum(size for status, size in results if status in (200, 206)) <= 5 * len(content)
    assert await downloads_of(client, alice, file) == 5


async def test_a_download_cut_off_after_it_started_still_counts(
    client: Client, alice: str, services: Services
) -> None:
    content = blob(6 * MIB, seed=3)
    file, path = await shared(client, alice, content, max_downloads=1)
    # A client with a tiny window that reads the headers and a little, then goes away.
    connection = socket.socket()
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    connection.setblocking(False)
    loop = asyncio.get_running_loop()
    await loop.sock_connect(connection, (client.server.host, client.server.port))
    request = f"GET {path} HTTP/1.1\r\nHost: {client.server.host}\r\n\r\n"
    await loop.sock_sendall(connection, request.encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += await loop.sock_recv(connection, 1024)
    assert head.startswith(b"HTTP/1.1 200")
    connection.close()
    # Once the server is done with the response (it records the download then)...
    async with asyncio.timeout(15):
        while True:
            if (await StoredFile.get(id=file["id"])).last_download_at is not None:
                break
            await asyncio.sleep(0.05)
    # ...the link is used up: what it served cannot be taken back.
    assert await downloads_of(client, alice, file) == 1
    assert (await error_of(await client.get(path)))[:2] == (410, "link_exhausted")


async def test_a_deactivated_owners_links_stop_and_work_again_when_reactivated(
    client: Client, services: Services
) -> None:
    owner = await make_user(services, 9502, name="Owner")
    admin = await make_user(services, 9503, admin=True, name="Admin")
    token = await services.auth.issue_token(owner.id)
    admin_token = await services.auth.issue_token(admin.id)
    content = b"still mine"
    file, path = await shared(client, token, content, max_downloads=3)
    assert (await client.get(path)).status == 200

    changed = await client.post(
        "/api/v1/admin/users/deactivate/", json={"ids": [owner.id]}, headers=bearer(admin_token)
    )
    assert (await changed.json())["changed"] == [owner.id]
    status, code, message = await error_of(await client.get(path))
    assert (status, code, message) == (404, "unknown_link", "There is no such link.")
    assert (await client.head(path)).status == 404
    ranged = await client.get(path, headers={"Range": "bytes=0-3"})
    assert (await error_of(ranged))[:2] == (404, "unknown_link")
    assert (await ShareLink.get(file_id=file["id"])).downloads == 1

    await client.post(
        "/api/v1/admin/users/activate/", json={"ids": [owner.id]}, headers=bearer(admin_token)
    )
    again = await client.get(path)
    assert again.status == 200 and await again.read() == content
    assert (await ShareLink.get(file_id=file["id"])).downloads == 2


# ---- quota -------------------------------------------------------------------------------


async def test_ordinary_uploads_leave_room_for_unfinished_uploads_and_held_downloads(
    client: Client, services: Services
) -> None:
    user = await make_user(services, 9504)
    await User.filter(id=user.id).update(storage_quota=10_000)
    token = await services.auth.issue_token(user.id)
    resumable = blob(6000, seed=4)
    opened = await client.post(
        "/api/v1/uploads/",
        json={"name": "long.bin", "size": len(resumable)},
        headers=bearer(token),
    )
    assert opened.status == 201
    session = await opened.json()
    now = datetime.now(UTC)
    await Download.create(
        user_id=user.id,
        station_name="Station",
        path="/pass.dat",
        name="pass.dat",
        size=3000,
        status="paused",
        created_at=now,
        updated_at=now,
    )
    # 10 000 less 6000 held by the upload and 3000 by the paused download.
    slot = await client.get(
        "/api/v1/files/slot/", params={"name": "x.bin", "size": "1001"}, headers=bearer(token)
    )
    answer = await slot.json()
    assert (answer["fits"], answer["free"], answer["used"]) == (False, 1000, 0)
    status, code, message = await error_of(await upload(client, token, "x.bin", blob(1001, 5)))
    assert (status, code) == (507, "quota_exceeded") and "1000 bytes are free" in message
    assert await StoredFile.filter(user_id=user.id).count() == 0
    fits = await upload(client, token, "y.bin", blob(1000, 6))
    assert fits.status == 201

    # The resumable upload can still be finished: its space was kept for it.
    done = await client.put(
        f"/api/v1/uploads/{session['id']}/",
        data=io.BytesIO(resumable),
        headers={**bearer(token), "Upload-Offset": "0"},
    )
    assert done.status == 201 and (await done.json())["complete"] is True


# ---- a full disk -------------------------------------------------------------------------


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk until `leave` bytes are free; remove the returned file to free it."""
    filler = disk / "filler"
    with filler.open("wb") as handle:
        handle.write(b"\0" * (shutil.disk_usage(disk).free - leave))
    return filler


async def test_a_resumable_upload_that_fills_the_disk_gives_back_what_it_could_not_finish(
    client: Client, alice: str, services: Services, small_disk: Path
) -> None:
    data = blob(6 * MIB, seed=7)
    opened = await client.post(
        "/api/v1/uploads/",
        json={"name": "big.bin", "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
        headers=bearer(alice),
    )
    session = await opened.json()
    url = f"/api/v1/uploads/{session['id']}/"
    first = await client.put(
        url, data=io.BytesIO(data[:MIB]), headers={**bearer(alice), "Upload-Offset": "0"}
    )
    assert first.status == 200 and first.headers["Upload-Offset"] == str(MIB)
    filler = fill(small_disk, leave=3 * MIB)
    free_before = shutil.disk_usage(small_disk).free

    failed = await client.put(
        url, data=io.BytesIO(data[MIB:]), headers={**bearer(alice), "Upload-Offset": str(MIB)}
    )
    status, code, message = await error_of(failed)
    assert (status, code) == (507, "storage_full")
    assert f"byte {MIB}" in message and "disk is full" in message
    # The request's bytes are given back: the disk is as free as before it, and the upload
    # stands where the server last said it did.
    assert shutil.disk_usage(small_disk).free >= free_before
    part = services.files.store.part_path(f"upload-{session['id']}")
    assert part.stat().st_size == MIB
    state = await client.get(url, headers=bearer(alice))
    assert state.headers["Upload-Offset"] == str(MIB)
    assert (await UploadSession.get(id=session["id"])).received == MIB

    filler.unlink()
    done = await client.put(
        url, data=io.BytesIO(data[MIB:]), headers={**bearer(alice), "Upload-Offset": str(MIB)}
    )
    assert done.status == 201
    stored = await (
        await client.get((await done.json())["file"]["download_url"], headers=bearer(alice))
    ).read()
    assert stored == data


async def test_an_ordinary_upload_on_a_full_disk_answers_507_and_leaves_nothing(
    client: Client, alice: str, services: Services, small_disk: Path
) -> None:
    data = blob(4 * MIB, seed=8)
    filler = fill(small_disk, leave=2 * MIB)
    free_before = shutil.disk_usage(small_disk).free
    status, code, message = await error_of(await upload(client, alice, "big.bin", data))
    assert (status, code) == (507, "storage_full") and "disk is full" in message
    assert list((services.settings.storage / "tmp").iterdir()) == []
    assert shutil.disk_usage(small_disk).free >= free_before
    listing = await (await client.get("/api/v1/files/", headers=bearer(alice))).json()
    assert listing["total"] == 0

    filler.unlink()
    stored = await upload(client, alice, "big.bin", data)
    assert stored.status == 201
    assert (await stored.json())["sha256"] == hashlib.sha256(data).hexdigest()
