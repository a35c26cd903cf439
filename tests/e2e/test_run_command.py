"""`ftpgram run` as an operator starts it: a real process against the fake Telegram server."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sqlite3
import sys
from pathlib import Path

import aiohttp

from tests.support.net import free_port
from tests.support.telegram_fake import FakeTelegram


async def wait_healthy(url: str, process: asyncio.subprocess.Process) -> dict[str, object]:
    async with aiohttp.ClientSession() as http:
        for _ in range(600):  # 60 s: a cold start on a busy machine compiles every module
            if process.returncode is not None:
                raise AssertionError(f"ftpgram exited with {process.returncode}")
            # Not listening yet: try again shortly.
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get(url) as response:
                    if response.status == 200:
                        body: dict[str, object] = await response.json()
                        return body
            await asyncio.sleep(0.1)
    raise AssertionError("ftpgram never became healthy")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_run_answers_start_serves_health_and_stops_on_sigterm(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "BOT_TOKEN": telegram.token,
        "TELEGRAM_API_URL": telegram.base_url,
        "API_PORT": str(port),
        "DATA_DIR": str(tmp_path / "data"),
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "ftpgram",
        "run",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        health = await wait_healthy(f"http://127.0.0.1:{port}/health", process)
        assert health == {
            "status": "ok",
            "database": True,
            "bot": True,
            "scheduler": True,
            # One process leads (schedules and sends) and needs no Redis.
            "role": "leader",
            "redis": None,
            "process": f"{socket.gethostname()}:{process.pid}",
        }

        user = telegram.user(4242, "Operator", language_code="en")
        await telegram.send_text(user, "/start")
        reply = await telegram.expect_message(user.id)
        assert "Operator" in reply.text
        print(f"idle RSS of ftpgram run: {rss_kib(process.pid) / 1024:.1f} MiB")
        assert rss_kib(process.pid) < 250 * 1024

        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 15)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.stdout is not None
    output = (await process.stdout.read()).decode()
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert telegram.token.split(":")[1] not in output
    assert "Stopped" in output

    data = tmp_path / "data"
    assert "Receiving updates by long polling" in (data / "ftpgram.log").read_text()
    with sqlite3.connect(data / "ftpgram.sqlite3") as connection:
        (registered,) = connection.execute(
            'SELECT is_active FROM "user" WHERE telegram_id = 4242'
        ).fetchone()
        stored = [row[0] for row in connection.execute("SELECT message FROM log_entry")]
    assert registered == 0
    assert any("HTTP API listening" in message for message in stored)
