"""Avatars under memory pressure (issue 15): a picture whose decoding would exceed the budget is
refused from its header with a message naming the limit; a large JPEG is decoded at reduced
scale; many uploads at once are decoded a few at a time, and the memory comes back afterwards.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from PIL import Image

from services.container import Services
from services.core.errors import InvalidInput
from services.core.models import StoredFile
from services.storage import avatars
from tests.support.avatars import send, token_for
from tests.support.data import MIB, picture
from tests.support.paths import ROOT

Client = TestClient[web.Request, web.Application]


def declared_png(width: int, height: int, channels: int = 3) -> bytes:
    """A real black PNG (RGB, or RGBA with 4 channels) of any size, small on disk: written a row
    at a time, so making it never holds the pixels."""
    compressor = zlib.compressobj()
    row = bytes(1 + channels * width)  # filter type 0, then black pixels
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind: bytes, payload: bytes) -> bytes:
        checksum = zlib.crc32(kind + payload)
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", checksum)

    colour_type = {3: 2, 4: 6}[channels]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


async def test_a_picture_over_the_pixel_budget_is_refused_naming_the_limit(
    client: Client, services: Services
) -> None:
    token = await token_for(services)
    bomb = declared_png(7000, 7000)  # 49 megapixels: 196 MB decoded, 150 KB on disk
    assert len(bomb) < 200_000
    started = time.monotonic()
    refused = await send(client, token, "bomb.png", bomb)
    elapsed = time.monotonic() - started
    body = await refused.json()
    assert refused.status == 400, body
    assert body["error"]["code"] == "image_too_large"
    assert "7000×7000" in body["error"]["message"]
    assert f"at most {avatars.MAX_PIXELS:,} pixels" in body["error"]["message"]  # 25,165,824
    assert elapsed < 2, f"refusing took {elapsed:.2f} s: was the picture decoded?"
    assert await StoredFile.all().count() == 0

    normal = await send(client, token, "me.jpg", picture(800, 600, "JPEG"))
    assert normal.status == 201
    avatar = await normal.json()
    assert (avatar["width"], avatar["height"], avatar["format"]) == (600, 600, "JPEG")


@pytest.mark.parametrize(
    ("fmt", "size"),
    [
        # At most 6,291,456 pixels: libwebp keeps two canvases of its own and hands Pillow a copy.
        ("WEBP", (4096, 2048)),
        # At most 8,388,608: libtiff may read the whole picture as one strip.
        ("TIFF", (4096, 4096)),
    ],
)
def test_formats_whose_decoders_take_more_memory_have_lower_limits(
    fmt: str, size: tuple[int, int]
) -> None:
    assert size[0] * size[1] <= avatars.MAX_PIXELS  # a PNG this large would be accepted
    data = encoded(Image.new("RGB", size), fmt)
    with pytest.raises(InvalidInput) as refused:
        avatars.process(data, "wide")
    assert refused.value.code == "image_too_large"
    maximum = avatars.DECODE_BUDGET // avatars.BYTES_PER_PIXEL[fmt]
    assert f"may have at most {maximum:,} pixels" in str(refused.value)


def test_a_large_jpeg_is_decoded_at_reduced_scale_unless_progressive() -> None:
    """A baseline JPEG of 64 megapixels is decoded at 1/4 scale (2000×2000); a progressive one
    makes libjpeg buffer the coefficients of the full-size picture (128 MB) whatever the scale."""
    large = Image.new("L", (8000, 8000), color=128)
    large.paste(255, (3900, 3900, 4100, 4100))  # a white square in the centre
    baseline, progressive = encoded(large, "JPEG"), encoded(large, "JPEG", progressive=True)
    del large

    cropped = avatars.process(baseline, "big.jpg")
    assert (cropped.format, cropped.width, cropped.height) == ("JPEG", 1536, 1536)
    with Image.open(io.BytesIO(cropped.image)) as image:
        # At 1/4 scale the 200-pixel square is 50 pixels wide, in the middle of the crop.
        centre, below = image.getpixel((768, 768)), image.getpixel((768, 768 + 40))
        assert isinstance(centre, int | float) and isinstance(below, int | float)  # one band
        assert centre > 240 and abs(below - 128) < 8

    with pytest.raises(InvalidInput) as refused:
        avatars.process(progressive, "big.jpg")
    assert refused.value.code == "image_too_large"
    assert "8000×8000" in str(refused.value)


# Run in a fresh interpreter so that its memory is this work's alone. Refuses 8 pictures over the
# budget, then makes avatars of 8 pictures up to the budget, all at once, through `render` (what
# the upload route uses), and reports RSS in MiB: at the start, the peak after the refusals, the
# peak after the avatars, and once they are made and dropped.
CHILD = """
import asyncio, json, sys
from services.storage import avatars

def status(key):
    with open("/proc/self/status") as lines:
        return next(int(l.split()[1]) // 1024 for l in lines if l.startswith(key + ":"))

over = [open(path, "rb").read() for path in sys.argv[1:9]]
under = [open(path, "rb").read() for path in sys.argv[9:17]]

async def main():
    report = {"start": status("VmRSS")}
    refused = await asyncio.gather(
        *(avatars.render(data, "over.png") for data in over), return_exceptions=True
    )
    report["refused"] = [getattr(error, "code", repr(error)) for error in refused]
    report["peak_refusing"] = status("VmHWM")
    made = await asyncio.gather(*(avatars.render(data, "under") for data in under))
    report["made"] = [(avatar.format, avatar.width, avatar.height) for avatar in made]
    del made
    report["peak"] = status("VmHWM")
    report["after"] = status("VmRSS")
    print(json.dumps(report))

asyncio.run(main())
"""


def test_many_avatars_at_once_take_bounded_memory_and_give_it_back(tmp_path: Path) -> None:
    over = tmp_path / "over.png"
    over.write_bytes(declared_png(7000, 7000))
    # The most each kind may take: a PNG of MAX_PIXELS RGBA pixels (96 MiB decoded); a 24
    # megapixel camera JPEG shot upright (decoded at 1/2 scale); a 12 megapixel progressive JPEG
    # (48 MiB decoded plus 36 MiB of coefficients).
    budget = tmp_path / "budget.png"
    budget.write_bytes(declared_png(6144, avatars.MAX_PIXELS // 6144, channels=4))
    camera, progressive = tmp_path / "camera.jpg", tmp_path / "progressive.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated: the crop is turned upright
    camera.write_bytes(encoded(Image.new("RGB", (6000, 4000), (90, 120, 200)), "JPEG", exif=exif))
    progressive.write_bytes(
        encoded(Image.new("RGB", (4000, 3000), (200, 90, 40)), "JPEG", progressive=True)
    )
    under = [budget] * 4 + [camera] * 2 + [progressive] * 2

    completed = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, [over] * 8 + under)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=100,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout)
    start, after = report["start"], report["after"]
    refusing, peak = report["peak_refusing"] - start, report["peak"] - start
    numbers = (
        f"RSS from {start} MiB: +{refusing} MiB peak refusing 8 pictures over the budget, "
        f"+{peak} MiB peak making 8 avatars at most at the budget, +{after - start} MiB after"
    )
    assert report["refused"] == ["image_too_large"] * 8, numbers
    assert report["made"] == [["PNG", 1536, 1536]] * 4 + [["JPEG", 1536, 1536]] * 4, numbers
    # Refused from the header: nothing was decoded.
    assert refusing < 32, numbers
    # At most DECODE_WORKERS decodes at once, each within the budget plus the crop, its
    # thumbnails and the encoded result (measured: about 15 MiB).
    per_decode = (avatars.DECODE_BUDGET + 48 * MIB) // MIB
    assert peak < avatars.DECODE_WORKERS * per_decode, numbers
    # What glibc keeps on top of each decode thread's arena, for the next decode (measured: up
    # to 30 MiB).
    assert after - start < avatars.DECODE_WORKERS * 32, numbers


def tiled_tiff(width: int, height: int, tile: int) -> bytes:
    """A little-endian RGB TIFF that declares `tile`×`tile` tiles; its one tile's data is a few
    compressed bytes (the header is all a decoder sizes its buffers from)."""
    data = zlib.compress(bytes(1024))
    entries = [  # (tag, type, count, value): types 3 = SHORT, 4 = LONG
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (259, 3, 1, 8),  # deflate
        (262, 3, 1, 2),  # RGB
        (277, 3, 1, 3),
        (284, 3, 1, 1),
        (322, 4, 1, tile),
        (323, 4, 1, tile),
        (324, 4, 1, 0),  # the tile's offset, filled in below
        (325, 4, 1, len(data)),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    offset = 8 + ifd_size
    out = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        value = offset if tag == 324 else value
        if kind == 3:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    return out + struct.pack("<I", 0) + data


def test_a_tiff_declaring_tiles_larger_than_the_budget_is_refused() -> None:
    """libtiff allocates a whole tile at a time: a 1024×1024 picture in 16384×16384 tiles
    would take 1.6 GB however small the picture is."""
    with pytest.raises(InvalidInput) as refused:
        avatars.process(tiled_tiff(1024, 1024, 16384), "tiles.tif")
    assert refused.value.code == "image_too_large"
    # Ordinary tiles stay fine: the picture itself decides.
    with pytest.raises(InvalidInput) as broken:
        avatars.process(tiled_tiff(1024, 1024, 256), "tiles.tif")
    assert broken.value.code != "image_too_large"
