"""Avatars: a square crop of an uploaded picture and its thumbnails, with Pillow.

The crop is 1536×1536 from the centre when the picture is larger, otherwise a square on its
smaller side; the original format is kept. Thumbnails are named `{size}_{filename}.{ext}`.
A JPEG larger than needed is decoded at 1/2, 1/4 or 1/8 scale (its smaller side still at least
1536), so its crop covers more of the picture than a crop of the full-size picture would.

Memory is bounded (issue 15). Non-images, and pictures whose decoding would take more than
`DECODE_BUDGET` (96 MiB), are refused from their header before any pixel is decoded, whatever
Pillow's own decompression-bomb threshold is: at most 25,165,824 pixels (6144×4096) for PNG,
GIF, BMP and JPEG (a JPEG counted at the scale it is decoded at: a 108-megapixel photo passes),
8,388,608 for TIFF, 6,291,456 for WebP, and fewer for a progressive JPEG, whose full-size
coefficients libjpeg buffers. At most `DECODE_WORKERS` (2) pictures are decoded at once, however
many are uploaded, and the memory a decode took is handed back to the system after it. Measured
with Pillow 13, 8 uploads at once of pictures at the budget: peak RSS +220 MiB, and +1 to +15 MiB
after (before this: 8 uploads at once of a 140 KB PNG declaring 7000×7000 took the peak to
+2.3 GB).
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import hashlib
import io
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath

from PIL import ExifTags, Image, JpegImagePlugin, TiffImagePlugin, UnidentifiedImageError

from services.accounts.users import UserView
from services.core.errors import InvalidInput, NotFound
from services.core.models import Avatar, AvatarThumbnail, StoredFile
from services.storage.files import AVATAR_SOURCE, FileService, FileView, clean_name

CROP = 1536
THUMBNAIL_SIZES = (48, 96, 256)
MAX_AVATAR_BYTES = 30 * 1024 * 1024
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif", "BMP": "bmp", "TIFF": "tiff"}

# The memory one picture may take while it is decoded. What we keep is a 1536×1536 crop (9 MiB)
# shown as thumbnails of at most 256 pixels, so the budget only has to admit the pictures people
# actually send: a 24-megapixel camera picture, and a 12-megapixel progressive JPEG (84 MiB).
# A decode peaks at about the budget plus 15 MiB (crop, thumbnails, encoded output), so with
# DECODE_WORKERS decodes at once the process grows by at most about 2 × 111 MiB.
DECODE_BUDGET = 96 * 1024 * 1024
DECODE_WORKERS = 2
# Bytes a decoded pixel costs at the decode's peak: peak RSS growth of `process` on one picture
# divided by its pixels, measured with Pillow 13. Pillow keeps every mode in at most 4 bytes a
# pixel, and its PNG, GIF, BMP and JPEG decoders work a row at a time. libtiff reads a strip or
# tile at a time, and a picture may be a single strip: 7 measured for 8-bit RGB, counted at 12
# for 16-bit RGBA (8 bytes a pixel). libwebp's animation decoder, which Pillow uses for every
# WebP, keeps two canvases of its own and hands Pillow a copy of the frame: 16 measured.
BYTES_PER_PIXEL = {"JPEG": 4, "PNG": 4, "GIF": 4, "BMP": 4, "TIFF": 12, "WEBP": 16}
MAX_PIXELS = DECODE_BUDGET // BYTES_PER_PIXEL["PNG"]
# Decodes run only here: a bounded pool keeps at most DECODE_WORKERS pictures in memory at once
# (at most RECEIVING uploads wait holding their bytes), and few threads mean few malloc arenas.
_DECODER = ThreadPoolExecutor(max_workers=DECODE_WORKERS, thread_name_prefix="ftpgram-avatar")


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


def _refuse(reason: str, code: str = "not_an_image") -> InvalidInput:
    return InvalidInput(reason, code=code, fields={"file": reason})


def _too_large(size: tuple[int, int], fmt: str, maximum: int) -> InvalidInput:
    width, height = size
    return _refuse(
        f"The picture is too large: {width}×{height} pixels, and a {fmt} avatar like this one "
        f"may have at most {maximum:,} pixels.",
        code="image_too_large",
    )


def _first_scan_components(data: bytes) -> int:
    """How many colour components a JPEG's first scan carries (0 when no scan is found). The
    markers before it all state their length, so no compressed data is read."""
    position = 2  # after SOI
    while position + 4 < len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # SOS: length (2 bytes), then the number of components
            return data[position + 4]
        if marker == 0xFF:  # a fill byte before a marker
            position += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            position += 2
        else:
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    return 0


def _coefficient_bytes(
    picture: JpegImagePlugin.JpegImageFile, size: tuple[int, int], data: bytes
) -> int:
    """What libjpeg buffers beyond the decoded pixels: nothing for a JPEG of one scan (decoded a
    row of blocks at a time), but every DCT coefficient of the full-size picture (2 bytes a
    sample), whatever the scale of the decode, for a progressive JPEG or one with a scan per
    component: 3 bytes a pixel for the usual 4:2:0 colour sampling, 6 for 4:4:4."""
    if not picture.info.get("progressive") and _first_scan_components(data) >= picture.layers:
        return 0
    width, height = size
    # A sampling factor of 0 is invalid (libjpeg refuses the picture when it loads it).
    sampling = [(max(h, 1), max(v, 1)) for _, h, v, _ in picture.layer]
    h_max, v_max = max(h for h, _ in sampling), max(v for _, v in sampling)
    total = 0
    for h, v in sampling:
        blocks_wide = -(-width * h // (8 * h_max))
        blocks_high = -(-height * v // (8 * v_max))
        # libjpeg rounds each component up to whole units of its sampling factors.
        total += -(-blocks_wide // h) * h * -(-blocks_high // v) * v * 64 * 2
    return total


def _decode_cost(picture: Image.Image, size: tuple[int, int], data: bytes) -> int:
    """Bytes the decode of `picture` (already told its scale) will take at its peak, from its
    header; `size` is the full size it declares."""
    width, height = picture.size
    pixels = width * height
    if isinstance(picture, TiffImagePlugin.TiffImageFile):
        # libtiff reads a whole tile at a time, and a tile may be declared larger than the
        # picture itself (a 1024×1024 picture in 16384×16384 tiles takes 1.6 GB).
        tags = picture.tag_v2
        pixels = max(pixels, int(tags.get(322, 0)) * int(tags.get(323, 0)))
    cost = pixels * BYTES_PER_PIXEL[picture.format or ""]
    if isinstance(picture, JpegImagePlugin.JpegImageFile):
        cost += _coefficient_bytes(picture, size, data)
    return cost


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


# EXIF orientations whose upright picture runs against the stored x (or y) axis.
_FLIPS_X = {2, 3, 7, 8}
_FLIPS_Y = {3, 4, 6, 7}


def _centre(margin: int, flipped: bool) -> int:
    return margin - margin // 2 if flipped else margin // 2


def _crop(data: bytes) -> tuple[str, Image.Image]:
    """The picture's format and its upright centre square, at most CROP on a side."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            fmt = opened.format
            if fmt not in FORMATS:
                raise _refuse("Send a JPEG, PNG, WebP, GIF, BMP or TIFF picture.")
            declared = opened.size
            if fmt == "JPEG":
                # libjpeg decodes at 1/2, 1/4 or 1/8 scale directly, keeping both sides >= CROP.
                opened.draft(None, (CROP, CROP))
            cost = _decode_cost(opened, declared, data)
            if cost > DECODE_BUDGET:
                pixels = declared[0] * declared[1]
                raise _too_large(declared, fmt, DECODE_BUDGET * pixels // cost)
            opened.load()
            orientation = opened.getexif().get(ExifTags.Base.Orientation, 1)
            width, height = opened.size
            side = min(CROP, width, height)
            # Crop first, then turn upright: only the crop is copied, not the whole picture. The
            # centre is rounded down in upright coordinates, as if turned first.
            left = _centre(width - side, orientation in _FLIPS_X)
            top = _centre(height - side, orientation in _FLIPS_Y)
            square = opened.crop((left, top, left + side, top + side))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own check, on its global (and by default, warning-only) threshold, seldom
        # gets here: ours above is stricter. It still names our limit.
        raise _refuse(
            f"The picture is too large: an avatar may have at most {MAX_PIXELS:,} pixels.",
            code="image_too_large",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _refuse("This is not a picture we can read.") from None
    if (method := _TRANSPOSE.get(orientation)) is not None:
        square = square.transpose(method)
    return fmt, square


def process(data: bytes, name: str, sizes: tuple[int, ...] = THUMBNAIL_SIZES) -> Processed:
    """Crop and make thumbnails (CPU work: run it through `render`)."""
    try:
        return _process(data, name, sizes)
    finally:
        # Pillow's block cache is left off (Image.core.set_blocks_max stays 0), and a truncated
        # picture is refused, not half decoded (ImageFile.LOAD_TRUNCATED_IMAGES stays False).
        # The decoded picture is freed by now, but not handed back: Pillow allocates it in blocks
        # of up to 16 MiB, which after the first such free glibc serves from the decode thread's
        # arena instead of mmap, and keeps there. Measured after 8 decodes at the budget: 40 to
        # 170 MB kept without this, 0 to 30 MB with it (malloc_trim cannot shrink the top of a
        # thread's arena, which glibc trims itself only past its trim threshold; the next decode
        # reuses it).
        _release_memory()


def _process(data: bytes, name: str, sizes: tuple[int, ...]) -> Processed:
    fmt, square = _crop(data)
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
    return Processed(fmt, square.width, square.height, encode(square), thumbnails)


def _malloc_trim() -> Callable[[], object]:
    """glibc's malloc_trim(0), which hands free memory in every arena back to the system; a
    no-op elsewhere (musl, macOS)."""
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError):
        return lambda: None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return lambda: trim(0)


_release_memory = _malloc_trim()


async def render(data: bytes, name: str) -> Processed:
    """`process` on the decode pool: waits while DECODE_WORKERS pictures are being decoded.

    A pool, not a semaphore around `asyncio.to_thread`: an upload cancelled mid-decode (its
    client gone) would release the semaphore while its thread still holds the picture."""
    return await asyncio.get_running_loop().run_in_executor(_DECODER, process, data, name)


# Pictures received at once: each is held in memory (up to MAX_AVATAR_BYTES) until it is
# decoded, so more uploads wait before their bodies are read, holding nothing.
RECEIVING = 4


class AvatarService:
    def __init__(self, files: FileService) -> None:
        self._files = files
        self._receiving = asyncio.Semaphore(RECEIVING)

    async def upload(
        self, user: UserView, *, name: str, read: Callable[[int], Awaitable[bytes]]
    ) -> tuple[AvatarView, bool]:
        """A new avatar, or the existing one made from the same picture."""
        name = clean_name(name)
        async with self._receiving:
            return await self._upload(user, name, read)

    async def _upload(
        self, user: UserView, name: str, read: Callable[[int], Awaitable[bytes]]
    ) -> tuple[AvatarView, bool]:
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
        processed = await render(data, name)
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
