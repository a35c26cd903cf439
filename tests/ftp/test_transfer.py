"""Receiving files from real FTP servers into a partial file: every byte and the SHA-256 right,
from the start or resumed from an offset, in bounded memory."""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from services.ftp.client import FtpError, FtpSession
from services.ftp.transfer import CHUNK, PartFile, Receiver
from tests.support.ftp_files import fill
from tests.support.ftp_servers import Certificates, station_server
from tests.support.stations import target_of

SIZE = 5 * CHUNK + 12345  # several buffers and a ragged tail


@pytest.fixture
def pools() -> Iterator[tuple[ThreadPoolExecutor, ThreadPoolExecutor]]:
    with ThreadPoolExecutor(1) as writer, ThreadPoolExecutor(1) as hasher:
        yield writer, hasher


async def fetch(
    session: FtpSession,
    part_path: Path,
    pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
    offset: int = 0,
) -> PartFile:
    part = PartFile(part_path, offset)
    await asyncio.to_thread(part.open)
    progress: list[int] = []
    try:
        receiver = Receiver(part, pools, on_progress=progress.append, chunk=CHUNK, depth=2)
        size = await session.retrieve("/big.bin", receiver, offset=offset)
        await asyncio.to_thread(part.finish)
    finally:
        part.close()
    assert size == SIZE and progress == sorted(progress) and progress[-1] == SIZE
    return part


@pytest.mark.parametrize(
    "kind", ["aioftp", "pyftpdlib", "vsftpd", "vsftpd-explicit", "vsftpd-implicit"]
)
async def test_a_file_arrives_whole_and_resumes_from_an_offset(
    kind: str,
    ftp_root: Path,
    certs: Certificates,
    tmp_path: Path,
    pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
) -> None:
    data = os.urandom(SIZE)
    fill(ftp_root, {"big.bin": data})
    expected = hashlib.sha256(data).hexdigest()
    async with (
        station_server(kind, ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        whole = await fetch(session, tmp_path / "whole.part", pools)
        assert whole.hasher.hexdigest() == expected
        assert (tmp_path / "whole.part").read_bytes() == data
        # A partial file with junk after the resume point: the junk is dropped, the rest fetched.
        resumed_path = tmp_path / "resumed.part"
        resumed_path.write_bytes(data[: 2 * CHUNK + 7] + b"junk")
        resumed = await fetch(session, resumed_path, pools, offset=2 * CHUNK + 7)
        assert resumed.hasher.hexdigest() == expected
        assert resumed_path.read_bytes() == data


@pytest.mark.parametrize("kind", ["aioftp", "pyftpdlib", "vsftpd", "vsftpd-explicit"])
async def test_a_file_gone_from_the_station_fails_at_once_and_the_session_goes_on(
    kind: str,
    ftp_root: Path,
    certs: Certificates,
    tmp_path: Path,
    pools: tuple[ThreadPoolExecutor, ThreadPoolExecutor],
) -> None:
    """The refusal is RETR's final reply: nothing else is waited for, and the same control
    connection fetches the next file (a scheduler walking many gone files keeps one login)."""
    data = os.urandom(SIZE)
    fill(ftp_root, {"big.bin": data})
    async with (
        station_server(kind, ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        for _ in range(3):
            part = PartFile(tmp_path / "gone.part", 0)
            await asyncio.to_thread(part.open)
            started = asyncio.get_running_loop().time()
            with pytest.raises(FtpError) as caught:
                await session.retrieve("/gone.bin", Receiver(part, pools))
            part.close()
            assert caught.value.kind == "not_found"
            assert asyncio.get_running_loop().time() - started < 1.0
            assert not session.broken
        whole = await fetch(session, tmp_path / "whole.part", pools)
        assert whole.hasher.hexdigest() == hashlib.sha256(data).hexdigest()
