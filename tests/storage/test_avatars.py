"""Avatars: crops, thumbnails, refusals of non-images and decompression bombs."""

from __future__ import annotations

import io

from aiohttp import web
from aiohttp.test_utils import TestClient
from PIL import Image

from services.container import Services
from services.core.models import Blob, StoredFile
from tests.support.avatars import send, token_for
from tests.support.data import picture
from tests.support.people import bearer

Client = TestClient[web.Request, web.Application]


async def test_large_picture_is_cropped_to_1536_with_thumbnails(
    client: Client, services: Services
) -> None:
    token = await token_for(services)
    response = await send(client, token, "selfie_avatar.png", picture(2000, 1800, "PNG"))
    assert response.status == 201
    avatar = await response.json()
    assert (avatar["width"], avatar["height"], avatar["format"]) == (1536, 1536, "PNG")
    assert [(t["size"], t["name"]) for t in avatar["thumbnails"]] == [
        (48, "48_selfie_avatar.png"),
        (96, "96_selfie_avatar.png"),
        (256, "256_selfie_avatar.png"),
    ]
    image = await client.get(avatar["url"], headers=bearer(token))
    with Image.open(io.BytesIO(await image.read())) as cropped:
        assert cropped.size == (1536, 1536) and cropped.format == "PNG"
        assert cropped.getpixel((768, 768)) == (255, 0, 0)
    thumb = await client.get(avatar["thumbnails"][0]["url"], headers=bearer(token))
    with Image.open(io.BytesIO(await thumb.read())) as small:
        assert small.size == (48, 48)

    again = await send(client, token, "other-name.png", picture(2000, 1800, "PNG"))
    assert again.status == 200 and (await again.json())["id"] == avatar["id"]
    listed = await (await client.get("/api/v1/avatar/", headers=bearer(token))).json()
    assert [a["id"] for a in listed["items"]] == [avatar["id"]]
    files = await (await client.get("/api/v1/files/", headers=bearer(token))).json()
    assert files["total"] == 0  # avatars live under /avatar, not in the file list
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(token))).json()
    assert quota["used"] == sum(f.size for f in await StoredFile.all())


async def test_small_picture_is_cropped_on_its_smaller_side_keeping_jpeg(
    client: Client, services: Services
) -> None:
    token = await token_for(services)
    avatar = await (await send(client, token, "me.jpg", picture(800, 600, "JPEG"))).json()
    assert (avatar["width"], avatar["height"], avatar["format"]) == (600, 600, "JPEG")
    assert avatar["thumbnails"][2]["name"] == "256_me.jpg"


async def test_non_images_and_bombs_are_refused(client: Client, services: Services) -> None:
    token = await token_for(services)
    fake = await send(client, token, "evil.png", b"<?php system($_GET['c']); ?>")
    assert fake.status == 400
    assert (await fake.json())["error"]["code"] == "not_an_image"
    truncated = await send(client, token, "cut.png", picture(300, 300, "PNG")[:100])
    assert truncated.status == 400
    bomb = picture(10_000, 10_000, "PNG", mode="1")
    assert len(bomb) < 1_000_000
    refused = await send(client, token, "bomb.png", bomb)
    assert refused.status == 400
    assert "too large" in (await refused.json())["error"]["message"]
    assert await StoredFile.all().count() == 0


async def test_deleting_an_avatar_frees_its_files(client: Client, services: Services) -> None:
    token = await token_for(services)
    avatar = await (await send(client, token, "a.webp", picture(400, 400, "WEBP"))).json()
    assert avatar["format"] == "WEBP"
    assert await StoredFile.all().count() == 4
    assert (
        await client.delete(f"/api/v1/avatar/?id={avatar['id']}", headers=bearer(token))
    ).status == 204
    assert await StoredFile.all().count() == 0 and await Blob.all().count() == 0
    assert (
        await client.delete(f"/api/v1/avatar/?id={avatar['id']}", headers=bearer(token))
    ).status == 404
