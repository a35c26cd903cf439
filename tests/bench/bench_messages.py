"""Messaging benchmark (issue 7): 10,000 messages to 100 users, posted as fast as the API takes
them, delivered through a fake Telegram server that enforces the documented limits (30 messages
a second overall, one a second per chat) by answering 429.

    .venv/bin/python -m tests.bench.bench_messages [--users 100] [--messages 10000]

Reports: delivered, duplicates, 429 answers, and the total time against the minimum the limits
allow (messages / 30 s); target: all delivered, none twice, no 429, within 10% of the minimum.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import signal
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from services.core import db
from services.core.models import BotToken, User
from services.messaging.service import TOKEN_PREFIX, _hash
from tests.support.net import free_port
from tests.support.telegram_fake import FakeTelegram

GLOBAL_LIMIT = 30


async def prepare(database_url: str, users: int) -> list[str]:
    """Active Telegram users with one bot token each (written straight into the database)."""
    await db.connect(database_url)
    try:
        tokens = []
        for n in range(users):
            user = await User.create(full_name=f"user {n}", telegram_id=10_000 + n, is_active=True)
            token = TOKEN_PREFIX + secrets.token_urlsafe(32)
            await BotToken.create(
                user_id=user.id,
                token_hash=_hash(token),
                label="bench",
                created_at=datetime.now(UTC),
                bucket=1000,
            )
            tokens.append(token)
        return tokens
    finally:
        await db.close()


async def run(users: int, messages: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="ftpgram-bench-msg-"))
    telegram = FakeTelegram()
    await telegram.start()
    telegram.enforce_limits(GLOBAL_LIMIT, 1.0)
    for n in range(users):
        telegram.open_chat(10_000 + n)
    api_port = free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(work / "data"),
        "API_PORT": str(api_port),
        "BOT_TOKEN": telegram.token,
        "TELEGRAM_API_URL": telegram.base_url,
        "LOG_LEVEL": "WARNING",
        "BOT_TOKEN_RATE": "1000",
        "BOT_TOKEN_BURST": "1000",
        "BOT_TOKEN_DAILY": "100000",
    }
    migrate = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ftpgram",
        "migrate",
        env=env,
        cwd=work,
        stdout=asyncio.subprocess.DEVNULL,
    )
    await migrate.wait()
    tokens = await prepare(f"sqlite://{work / 'data' / 'ftpgram.sqlite3'}", users)
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "ftpgram", "run", env=env, cwd=work
    )
    base = f"http://127.0.0.1:{api_port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                with contextlib.suppress(aiohttp.ClientConnectionError):
                    async with http.get(f"{base}/health") as response:
                        if response.status == 200:
                            break
                await asyncio.sleep(0.1)
            start = time.monotonic()
            queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
            for n in range(messages):
                queue.put_nowait((tokens[n % users], f"message {n}"))
            refused: Counter[int] = Counter()

            async def poster() -> None:
                while not queue.empty():
                    token, text = queue.get_nowait()
                    async with http.post(
                        f"{base}/api/v1/messages/",
                        json={"text": text},
                        headers={"Authorization": f"Bearer {token}"},
                    ) as r:
                        if r.status != 202:
                            refused[r.status] += 1

            await asyncio.gather(*(poster() for _ in range(50)))
            posted = time.monotonic() - start

            def total() -> int:
                return sum(len(telegram.sent_to(10_000 + n)) for n in range(users))

            deadline = time.monotonic() + messages / GLOBAL_LIMIT * 3 + 60
            while total() < messages and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            elapsed = time.monotonic() - start
    finally:
        server.send_signal(signal.SIGTERM)
        await server.wait()
        await telegram.stop()

    texts = Counter(m.text for n in range(users) for m in telegram.sent_to(10_000 + n))
    delivered = len(texts)
    duplicates = sum(count - 1 for count in texts.values() if count > 1)
    # The binding limit: 30 a second overall, or one a second to each chat.
    minimum = max(messages / GLOBAL_LIMIT, messages / users)
    print(f"\n{messages} messages to {users} users")
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| posted (API accepted) | {messages - sum(refused.values())} in {posted:.1f} s "
        f"| all; refused: {dict(refused) or 0} |"
    )
    print(f"| delivered | {delivered} | {messages} |")
    print(f"| delivered twice | {duplicates} | 0 |")
    print(f"| 429 answers from Telegram | {telegram.flood_answers} | 0 |")
    print(
        f"| total time | {elapsed:.1f} s | ≤ {minimum * 1.1:.1f} s "
        f"(minimum {minimum:.1f} s; ratio {elapsed / minimum:.3f}) |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--messages", type=int, default=10_000)
    args = parser.parse_args()
    asyncio.run(run(args.users, args.messages))


if __name__ == "__main__":
    main()
