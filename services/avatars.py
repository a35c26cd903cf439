"""Avatars (seed 001): a square crop of an uploaded picture and its thumbnails, with Pillow.

The crop is 1536×1536 from the centre when the picture is larger, otherwise a square on its
smaller side; the original format is kept. Thumbnails are named `{size}_{filename}.{ext}`.
Non-images and decompression bombs are refused before any pixel is decoded.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from PIL import Image, ImageOps, UnidentifiedImageError

from services.errors import InvalidInput, NotFound
from services.files import AVATAR_SOURCE, FileService, FileView, clean_name
from services.models import Avatar, AvatarThumbnail, StoredFile
from services.users import UserView

CROP = 1536
THUMBNAIL_SIZES = (48, 96, 256)
MAX_PIXELS = 50_000_000
MAX_AVATAR_BYTES = 30 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}


@dataclass(frozen=True)
class Rendition:
    size: int
    name: str
    data: bytes


@dataclass(frozen=True)
class Processed:
    format: str
    width: int
    height: int
    image: bytes
    thumbnails: list[Rendition]


@dataclass(frozen=True)
class ThumbnailView:
    size: int
    name: str
    file: FileView


@dataclass(frozen=True)
class AvatarView:
    id: int
    name: str
    width: int
    height: int
    format: str
    created_at: datetime
    image: FileView
    thumbnails: list[ThumbnailView]


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput(reason, code="not_an_image", fields={"file": reason})


def process(data: bytes, name: str, sizes: tuple[int, ...] = THUMBNAIL_SIZES) -> Processed:
    """Crop and make thumbnails (CPU work: run it in a thread)."""
    # Pillow warns about (and past twice the limit refuses) pictures over MAX_IMAGE_PIXELS
    # when opening them, before decoding a pixel; our own limit below is stricter.
    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.format not in FORMATS:
                raise _refuse("Send a JPEG, PNG, WebP, GIF, BMP or TIFF picture.")
            width, height = opened.size
            if width * height > MAX_PIXELS:
                raise _refuse(f"The picture is too large ({width}×{height} pixels).")
            fmt = opened.format
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse("The picture is too large to decode safely.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse("This is not a picture we can read.") from None
    width, height = picture.size
    side = CROP if min(width, height) > CROP else min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = picture.crop((left, top, left + side, top + side))
    if fmt == "JPEG" and square.mode not in ("RGB", "L"):
        square = square.convert("RGB")
    stem, extension = PurePosixPath(name).stem or "avatar", FORMATS[fmt]

    def encode(image: Image.Image) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format=fmt)
        return buffer.getvalue()

    thumbnails = [
        Rendition(
            size,
            f"{size}_{stem}.{extension}",
            encode(square.resize((size, size), Image.Resampling.LANCZOS)),
        )
        for size in sizes
    ]
    return Processed(fmt, side, side, encode(square), thumbnails)


class AvatarService:
    def __init__(self, files: FileService) -> None:
        self._files = files

    async def upload(
        self, user: UserView, *, name: str, read: Callable[[int], Awaitable[bytes]]
    ) -> tuple[AvatarView, bool]:
        """A new avatar, or the existing one made from the same picture."""
        name = clean_name(name)
        chunks, total = [], 0
        while chunk := await read(1024 * 1024):
            total += len(chunk)
            if total > MAX_AVATAR_BYTES:
                raise InvalidInput(
                    f"An avatar picture may have at most {MAX_AVATAR_BYTES} bytes.",
                    code="file_too_large",
                )
            chunks.append(chunk)
        data = b"".join(chunks)
        source = hashlib.sha256(data).hexdigest()
        existing = await Avatar.filter(user_id=user.id, source_sha256=source).first()
        if existing is not None:
            return await self._view(existing), False
        processed = await asyncio.to_thread(process, data, name)
        image = await self._files.store_bytes(
            user, name=name, data=processed.image, source=AVATAR_SOURCE, reuse=False
        )
        avatar = await Avatar.create(
            user_id=user.id,
            name=name,
            source_sha256=source,
            image_id=image.file.id,
            width=processed.width,
            height=processed.height,
            format=processed.format,
            created_at=datetime.now(UTC),
        )
        for rendition in processed.thumbnails:
            stored = await self._files.store_bytes(
                user, name=rendition.name, data=rendition.data, source=AVATAR_SOURCE, reuse=False
            )
            await AvatarThumbnail.create(
                avatar_id=avatar.id, size=rendition.size, file_id=stored.file.id
            )
        return await self._view(avatar), True

    async def _view(self, avatar: Avatar) -> AvatarView:
        image = FileView.of(await StoredFile.get(id=avatar.image_id))
        thumbnails = []
        for thumb in await AvatarThumbnail.filter(avatar_id=avatar.id).order_by("size"):
            file = FileView.of(await StoredFile.get(id=thumb.file_id))
            thumbnails.append(ThumbnailView(thumb.size, file.name, file))
        return AvatarView(
            avatar.id,
            avatar.name,
            avatar.width,
            avatar.height,
            avatar.format,
            avatar.created_at,
            image,
            thumbnails,
        )

    async def list_avatars(self, user: UserView) -> list[AvatarView]:
        rows = await Avatar.filter(user_id=user.id).order_by("-created_at", "-id")
        return [await self._view(row) for row in rows]

    async def delete(self, user: UserView, avatar_id: int) -> None:
        avatar = await Avatar.get_or_none(id=avatar_id, user_id=user.id)
        if avatar is None:
            raise NotFound("There is no such avatar.", code="unknown_avatar")
        view = await self._view(avatar)
        for file in [view.image, *(t.file for t in view.thumbnails)]:
            await self._files.delete(user, file.id)
