"""Moving file content between Telegram and storage, within the Bot API's limits.

The public Bot API lets bots download files up to 20 MB and send up to 50 MB; a self-hosted Bot
API server raises both to 2000 MB (and in --local mode hands out paths on its own disk).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from aiogram import Bot

from services.core.settings import Settings

MB = 1000 * 1000
PUBLIC_HOST = "api.telegram.org"


def is_public_api(settings: Settings) -> bool:
    return urlsplit(settings.telegram_api_url).hostname == PUBLIC_HOST


def download_limit(settings: Settings) -> int:
    return 20 * MB if is_public_api(settings) else 2000 * MB


def send_limit(settings: Settings) -> int:
    return 50 * MB if is_public_api(settings) else 2000 * MB


async def telegram_reader(
    bot: Bot, file_id: str, *, local: bool
) -> Callable[[int], Awaitable[bytes]]:
    """A `read(n)` over a Telegram file's content, for `FileService.upload`."""
    file = await bot.get_file(file_id)
    assert file.file_path is not None
    if local:
        handle = await asyncio.to_thread(Path(file.file_path).open, "rb")

        async def read_local(size: int) -> bytes:
            chunk: bytes = await asyncio.to_thread(handle.read, size)
            if not chunk:
                handle.close()
            return chunk

        return read_local
    url = bot.session.api.file_url(bot.token, file.file_path)
    chunks: AsyncIterator[bytes] = bot.session.stream_content(
        url, timeout=3600, chunk_size=1024 * 1024
    )

    async def read_remote(size: int) -> bytes:
        try:
            return await anext(chunks)
        except StopAsyncIteration:
            return b""

    return read_remote
