"""Content for tests to store, upload and fetch: bytes of any size, pictures."""

from __future__ import annotations

import hashlib
import io

from PIL import Image

MIB = 1 << 20


def blob(size: int, seed: int = 1) -> bytes:
    """`size` bytes that differ from any other seed's (fast, unlike os.urandom for big sizes)."""
    block = hashlib.sha256(f"block {seed}".encode()).digest() * (MIB // 32)
    data = (block * (size // len(block) + 1))[:size]
    return data[:-8] + seed.to_bytes(8, "big") if size >= 8 else data


def picture(width: int, height: int, fmt: str, mode: str = "RGB") -> bytes:
    """An encoded picture; in RGB, with a red marker in the centre (it survives a centre crop)."""
    image = Image.new(mode, (width, height), color=0)
    if mode == "RGB":
        image.paste((255, 0, 0), (width // 2 - 5, height // 2 - 5, width // 2 + 5, height // 2 + 5))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()
