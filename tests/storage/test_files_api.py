"""Stored files over REST: uploads with dedup and quotas, rights, downloads, share links."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import unquote

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from services.core.models import Blob, ShareLink, StoredFile, User
from tests.support.people import bearer, make_user

pytestmark = pytest.mark.every_backend

Client = TestClient[web.Request, web.Application]
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\0" * 40


async def upload(client: Client, token: str, name: str, content: bytes) -> aiohttp.ClientResponse:
    # Like curl and browsers: the file name as UTF-8 in the part header.
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    return await client.post("/api/v1/files/upload/", data=form, headers=bearer(token))


@pytest.fixture
async def alice(services: Services) -> str:
    user = await make_user(services, 9001, name="Alice")
    return await services.auth.issue_token(user.id)


@pytest.fixture
async def bob(services: Services) -> str:
    user = await make_user(services, 9002, name="Bob")
    return await services.auth.issue_token(user.id)


async def test_upload_list_download(client: Client, alice: str, services: Services) -> None:
    content = b"satellite pass data\n" * 1000
    response = await upload(client, alice, "pass 01.dat", content)
    assert response.status == 201
    body = await response.json()
    assert (body["name"], body["size"], body["created"]) == ("pass 01.dat", len(content), True)
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert body["source"] == "upload"
    image = await (await upload(client, alice, "x.bin", PNG)).json()
    assert (image["media_type"], image["mime_type"]) == ("image", "image/png")

    listing = await (await client.get("/api/v1/files/", headers=bearer(alice))).json()
    assert [f["name"] for f in listing["items"]] == ["x.bin", "pass 01.dat"]
    filtered = await client.get("/api/v1/files/?media_type=image", headers=bearer(alice))
    assert [f["name"] for f in (await filtered.json())["items"]] == ["x.bin"]
    by_name = await client.get("/api/v1/files/?name=PASS", headers=bearer(alice))
    assert (await by_name.json())["total"] == 1

    # A HEAD (a client checking size and ETag before resuming) is not a download.
    head = await client.head(f"/api/v1/files/{body['id']}/download/", headers=bearer(alice))
    assert head.status == 200 and head.headers["Content-Length"] == str(len(content))
    assert (await StoredFile.get(id=body["id"])).last_download_at is None
    got = await client.get(f"/api/v1/files/{body['id']}/download/", headers=bearer(alice))
    assert got.status == 200 and await got.read() == content
    assert got.headers["Accept-Ranges"] == "bytes" and got.headers["ETag"]
    assert (await StoredFile.get(id=body["id"])).last_download_at is not None


async def test_same_content_is_stored_once(
    client: Client, alice: str, bob: str, services: Services
) -> None:
    content = b"shared content" * 5000
    first = await (await upload(client, alice, "a.dat", content)).json()
    again = await upload(client, alice, "renamed.dat", content)
    assert again.status == 200
    assert (await again.json())["id"] == first["id"] and (await again.json())["created"] is False
    results = await asyncio.gather(*(upload(client, bob, f"b{i}.dat", content) for i in range(4)))
    # Concurrent uploads of one content by one user end as one file.
    assert sorted(r.status for r in results) == [200, 200, 200, 201]
    assert len({(await r.json())["id"] for r in results}) == 1
    sha = hashlib.sha256(content).hexdigest()
    blob = await Blob.get(sha256=sha)
    references = await StoredFile.filter(blob_id=sha).count()
    assert blob.ref_count == references
    assert len(list(services.files.store.local_path(sha).parent.iterdir())) == 1

    for file in await StoredFile.filter(blob_id=sha):
        owner = alice if file.user_id == (await User.get(telegram_id=9001)).id else bob
        await client.delete(f"/api/v1/files/?id={file.id}", headers=bearer(owner))
    assert not await Blob.filter(sha256=sha).exists()
    assert not services.files.store.local_path(sha).exists()


async def test_concurrent_identical_uploads_by_different_users(
    client: Client, services: Services
) -> None:
    tokens = []
    for n in range(5):
        user = await make_user(services, 9100 + n)
        tokens.append(await services.auth.issue_token(user.id))
    content = b"x" * 300_000
    results = await asyncio.gather(*(upload(client, t, "same.bin", content) for t in tokens))
    assert [r.status for r in results] == [201] * 5
    blob = await Blob.get(sha256=hashlib.sha256(content).hexdigest())
    assert blob.ref_count == 5


async def test_quota_boundaries(client: Client, services: Services) -> None:
    user = await make_user(services, 9003)
    await User.filter(id=user.id).update(storage_quota=1000)
    token = await services.auth.issue_token(user.id)
    assert (await upload(client, token, "a", b"a" * 600)).status == 201
    exactly = await upload(client, token, "b", b"b" * 400)
    assert exactly.status == 201
    over = await upload(client, token, "c", b"c")
    assert over.status == 507
    error = (await over.json())["error"]
    assert error["code"] == "quota_exceeded" and "0 bytes are free" in error["message"]
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(token))).json()
    assert quota == {"quota": 1000, "used": 1000, "free": 0}
    await User.filter(id=user.id).update(storage_quota=1100)
    one_over = await upload(client, token, "d", b"d" * 101)
    assert one_over.status == 507
    assert "100 bytes are free" in (await one_over.json())["error"]["message"]
    assert list((services.settings.storage / "tmp").iterdir()) == []


async def test_slot(client: Client, alice: str) -> None:
    content = b"slot content"
    sha = hashlib.sha256(content).hexdigest()
    before = await (
        await client.get(f"/api/v1/files/slot/?name=a&size=12&hash={sha}", headers=bearer(alice))
    ).json()
    assert before["needed"] and before["fits"] and before["file"] is None
    await upload(client, alice, "a", content)
    after = await (
        await client.get(f"/api/v1/files/slot/?name=a&size=12&hash={sha}", headers=bearer(alice))
    ).json()
    assert not after["needed"] and after["file"]["sha256"] == sha
    huge = await (
        await client.get("/api/v1/files/slot/?name=a&size=99999999999999", headers=bearer(alice))
    ).json()
    assert huge["fits"] is False


async def test_rights(client: Client, alice: str, bob: str, services: Services) -> None:
    mine = await (await upload(client, alice, "mine.txt", b"mine")).json()
    for method, path in [
        ("GET", f"/api/v1/files/{mine['id']}/download/"),
        ("PATCH", f"/api/v1/files/{mine['id']}/"),
        ("POST", f"/api/v1/files/{mine['id']}/share/"),
        ("DELETE", f"/api/v1/files/?id={mine['id']}"),
    ]:
        response = await client.request(method, path, headers=bearer(bob), json={})
        assert response.status == 404, (method, path)
    assert (await client.get("/api/v1/files/?user_id=1", headers=bearer(bob))).status == 403
    admin = await make_user(services, 900001, admin=True)
    admin_token = await services.auth.issue_token(admin.id)
    alice_id = (await User.get(telegram_id=9001)).id
    seen = await client.get(f"/api/v1/files/?user_id={alice_id}", headers=bearer(admin_token))
    assert [f["name"] for f in (await seen.json())["items"]] == ["mine.txt"]
    got = await client.get(f"/api/v1/files/{mine['id']}/download/", headers=bearer(admin_token))
    assert await got.read() == b"mine"


@pytest.mark.parametrize(
    ("name", "ascii_part", "exact"),
    [
        ("Снимок NOAA.hrpt", 'filename="NOAA.hrpt"', "Снимок NOAA.hrpt"),
        ('say "hi".txt', 'filename="say _hi_.txt"', 'say "hi".txt'),
        ("line\nbreak.txt", 'filename="linebreak.txt"', "linebreak.txt"),
        # Nothing ASCII but the extension: not a hidden ".txt" for clients that read only this.
        ("пробел файл.txt", 'filename="download.txt"', "пробел файл.txt"),
    ],
)
async def test_names_in_content_disposition(
    client: Client, alice: str, name: str, ascii_part: str, exact: str
) -> None:
    body = await (await upload(client, alice, "plain.txt", name.encode())).json()
    # Names reach us in multipart headers (uploads) and JSON (renames); JSON can carry anything.
    renamed = await client.patch(
        f"/api/v1/files/{body['id']}/", json={"name": name}, headers=bearer(alice)
    )
    assert (await renamed.json())["name"] == exact
    got = await client.get(f"/api/v1/files/{body['id']}/download/", headers=bearer(alice))
    header = got.headers["Content-Disposition"]
    assert header.startswith("attachment; ") and ascii_part in header
    assert "\n" not in header and "\r" not in header
    assert unquote(header.split("filename*=UTF-8''")[1]) == exact


async def test_a_name_with_a_slash_is_refused_on_rename_and_cut_on_upload(
    client: Client, alice: str
) -> None:
    body = await (await upload(client, alice, "../../etc/passwd", b"x")).json()
    assert body["name"] == "passwd"  # a browser's path, not a place to write to
    for name in ("Отчёт 1/2", "..\\evil.txt"):
        refused = await client.patch(
            f"/api/v1/files/{body['id']}/", json={"name": name}, headers=bearer(alice)
        )
        assert refused.status == 400
        assert (await refused.json())["error"]["code"] == "invalid_name"
    listed = await (await client.get("/api/v1/files/", headers=bearer(alice))).json()
    assert [f["name"] for f in listed["items"]] == ["passwd"]


async def test_range_requests_and_etag(client: Client, alice: str) -> None:
    content = bytes(range(256)) * 40
    body = await (await upload(client, alice, "r.bin", content)).json()
    url = f"/api/v1/files/{body['id']}/download/"
    part = await client.get(url, headers={**bearer(alice), "Range": "bytes=100-199"})
    assert part.status == 206 and await part.read() == content[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(content)}"
    tail = await client.get(url, headers={**bearer(alice), "Range": "bytes=-10"})
    assert await tail.read() == content[-10:]
    bad = await client.get(url, headers={**bearer(alice), "Range": f"bytes={len(content) + 5}-"})
    assert bad.status == 416
    etag = part.headers["ETag"]
    cached = await client.get(url, headers={**bearer(alice), "If-None-Match": etag})
    assert cached.status == 304


async def test_share_links(client: Client, alice: str, services: Services) -> None:
    body = await (await upload(client, alice, "Отчёт.pdf", b"%PDF-1.4 report")).json()
    created = await client.post(
        f"/api/v1/files/{body['id']}/share/", json={"max_downloads": 2}, headers=bearer(alice)
    )
    assert created.status == 201
    link = await created.json()
    assert len(link["token"]) >= 22 and "Отчёт" not in link["url"] and "alice" not in link["url"]
    path = "/s/" + link["token"]
    # A range is a download like any other: it uses one of the limit.
    partial = await client.get(path, headers={"Range": "bytes=0-3"})
    assert partial.status == 206 and await partial.read() == b"%PDF"
    first = await client.get(path)
    assert first.status == 200 and await first.read() == b"%PDF-1.4 report"
    assert (
        "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82.pdf"
        in first.headers["Content-Disposition"]
    )
    exhausted = await client.get(path)
    assert exhausted.status == 410
    assert (await exhausted.json())["error"]["code"] == "link_exhausted"

    again = await (
        await client.post(
            f"/api/v1/files/{body['id']}/share/", json={"expires_in": 60}, headers=bearer(alice)
        )
    ).json()
    assert (await client.get("/s/" + again["token"])).status == 200
    assert (await client.get(path)).status == 404  # the old link was replaced
    await ShareLink.filter(file_id=body["id"]).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    expired = await client.get("/s/" + again["token"])
    assert expired.status == 410 and (await expired.json())["error"]["code"] == "link_expired"

    fresh = await (
        await client.post(f"/api/v1/files/{body['id']}/share/", headers=bearer(alice))
    ).json()
    shown = await (
        await client.get(f"/api/v1/files/{body['id']}/share/", headers=bearer(alice))
    ).json()
    assert shown["token"] == fresh["token"]
    assert (
        await client.delete(f"/api/v1/files/{body['id']}/share/", headers=bearer(alice))
    ).status == 204
    assert (await client.get("/s/" + fresh["token"])).status == 404
    assert (await client.get("/s/" + "A" * 32)).status == 404


async def test_rename_comment_delete_by_filter_and_stats(client: Client, alice: str) -> None:
    doc = await (await upload(client, alice, "notes.txt", b"hello")).json()
    await upload(client, alice, "pic.png", PNG)
    patched = await client.patch(
        f"/api/v1/files/{doc['id']}/",
        json={"name": "new.txt", "comment": "Комментарий"},
        headers=bearer(alice),
    )
    assert (await patched.json())["name"] == "new.txt" and (await patched.json())[
        "comment"
    ] == "Комментарий"
    stats = await (await client.get("/api/v1/files/stats/", headers=bearer(alice))).json()
    assert {i["media_type"]: i["count"] for i in stats["items"]} == {"image": 1, "document": 1}
    assert stats["bytes"] == 5 + len(PNG)

    counted = await (
        await client.delete("/api/v1/files/?media_type=image&dry_run=true", headers=bearer(alice))
    ).json()
    assert (counted["count"], counted["dry_run"]) == (1, True)
    assert (await (await client.get("/api/v1/files/", headers=bearer(alice))).json())["total"] == 2
    deleted = await (
        await client.delete("/api/v1/files/?media_type=image", headers=bearer(alice))
    ).json()
    assert [f["name"] for f in deleted["items"]] == ["pic.png"]
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    none = await client.delete(
        "/api/v1/files/", params={"date_from": future}, headers=bearer(alice)
    )
    assert (await none.json())["count"] == 0
    nothing = await client.delete("/api/v1/files/", headers=bearer(alice))
    assert nothing.status == 400


async def test_upload_size_limit_and_bad_forms(
    client: Client, alice: str, services: Services
) -> None:
    services.files.max_upload = 1000
    too_big = await upload(client, alice, "big.bin", b"x" * 1001)
    assert too_big.status == 413
    assert "max 1000 bytes" in (await too_big.json())["error"]["message"]
    no_file = await client.post(
        "/api/v1/files/upload/", data=aiohttp.FormData({"other": "x"}), headers=bearer(alice)
    )
    assert no_file.status == 400
    not_form = await client.post("/api/v1/files/upload/", json={}, headers=bearer(alice))
    assert not_form.status == 400
    assert list((services.settings.storage / "tmp").iterdir()) == []


async def test_deleting_an_account_removes_its_content(
    client: Client, alice: str, services: Services
) -> None:
    body = await (await upload(client, alice, "only-mine.bin", b"unique bytes")).json()
    path = services.files.store.local_path(body["sha256"])
    assert path.exists()
    assert (await client.delete("/api/v1/account/", headers=bearer(alice))).status == 204
    assert not path.exists() and not await Blob.filter(sha256=body["sha256"]).exists()
