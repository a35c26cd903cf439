"""The FTP server fixtures really serve files, as a test using the harness would see them."""

from __future__ import annotations

import asyncio
import ftplib
import ssl
from pathlib import Path

import aioftp
import pytest

from tests.support.ftp_servers import (
    Certificates,
    FtpEndpoint,
    Tls,
    _ImplicitFTP_TLS,
    _ReusingFTP_TLS,
    aioftp_server,
    pyftpdlib_server,
    reference_listing,
    vsftpd_server,
)

CYRILLIC = 'Снимок "NOAA 19".hrpt'


def _put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o755)
    path.write_bytes(data)
    path.chmod(0o644)
    return path


def _retrieve(endpoint: FtpEndpoint, name: str) -> bytes:
    """RETR one file through the same ftplib clients `reference_listing` uses."""
    context = ssl.create_default_context(cafile=str(endpoint.ca_file))
    client: ftplib.FTP_TLS
    if endpoint.tls == "implicit":
        client = _ImplicitFTP_TLS(context=context, encoding="latin-1")
    else:
        client = _ReusingFTP_TLS(context=context, encoding="latin-1")
    chunks: list[bytes] = []
    with client:
        client.connect(endpoint.host, endpoint.port, timeout=10)
        if endpoint.tls == "explicit":
            client.auth()
        client.login(endpoint.login, endpoint.password)
        client.prot_p()
        client.retrbinary(f"RETR {name}", chunks.append)
    return b"".join(chunks)


async def test_aioftp_serves_a_file(ftp_root: Path) -> None:
    _put(ftp_root / "pass 01.dat", b"\x00\x01 frame data")
    async with (
        aioftp_server(ftp_root) as endpoint,
        aioftp.Client.context(
            endpoint.host, endpoint.port, endpoint.login, endpoint.password
        ) as client,
    ):
        names = [path.name for path, _info in await client.list()]
        async with client.download_stream("pass 01.dat") as stream:
            data = b"".join([block async for block in stream.iter_by_block()])
    assert names == ["pass 01.dat"]
    assert data == b"\x00\x01 frame data"


async def test_aioftp_reference_listing(ftp_root: Path) -> None:
    _put(ftp_root / "pass 01.dat", b"data")
    async with aioftp_server(ftp_root) as endpoint:
        # ftplib blocks, and the aioftp server runs on this very event loop.
        assert await asyncio.to_thread(reference_listing, endpoint) == [b"pass 01.dat"]


def test_pyftpdlib_plain_sends_utf8_names(ftp_root: Path) -> None:
    _put(ftp_root / CYRILLIC, b"hrpt")
    with pyftpdlib_server(ftp_root) as endpoint:
        assert reference_listing(endpoint) == [CYRILLIC.encode("utf-8")]


def test_pyftpdlib_cp1251_sends_cp1251_names(ftp_root: Path) -> None:
    _put(ftp_root / CYRILLIC, b"hrpt")
    with pyftpdlib_server(ftp_root, encoding="cp1251") as endpoint:
        [raw] = reference_listing(endpoint)
    assert raw == CYRILLIC.encode("cp1251")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_pyftpdlib_explicit_ftps_requires_tls(ftp_root: Path, certs: Certificates) -> None:
    _put(ftp_root / "pass 02.dat", b"data")
    with pyftpdlib_server(ftp_root, tls="explicit", certs=certs) as endpoint:
        assert reference_listing(endpoint) == [b"pass 02.dat"]
        with ftplib.FTP() as plain:
            plain.connect(endpoint.host, endpoint.port, timeout=10)
            with pytest.raises(ftplib.error_perm, match="TLS"):
                plain.login(endpoint.login, endpoint.password)


@pytest.mark.parametrize("tls", ["explicit", "implicit"])
def test_vsftpd_serves_over_ftps(ftp_root: Path, certs: Certificates, tls: Tls) -> None:
    _put(ftp_root / "pass 03.dat", b"top")
    _put(ftp_root / "2024" / "pass 04.dat", b"nested bytes")
    with vsftpd_server(ftp_root, tls=tls, certs=certs) as endpoint:
        assert reference_listing(endpoint) == [b"2024", b"pass 03.dat"]
        assert _retrieve(endpoint, "2024/pass 04.dat") == b"nested bytes"
