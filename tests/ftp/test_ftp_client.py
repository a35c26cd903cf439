"""ftpgram's FTP client against real servers: recursive listings with awkward names, RETR of the
raw names, and failures that say what went wrong."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from services.ftp.client import (
    Entry,
    FtpError,
    FtpSession,
    FtpTarget,
    Masks,
    parse_list,
    parse_mlsd,
)
from tests.support.ftp_files import TREE, fill, put_raw
from tests.support.ftp_servers import STATION_KINDS, Certificates, station_server
from tests.support.stations import target_of


async def log_in(target: FtpTarget) -> None:
    """Connect and log in (the tests expect this to fail)."""
    async with FtpSession.connect(target) as session:
        assert not session.broken


@pytest.mark.parametrize("kind", STATION_KINDS)
async def test_walk_lists_every_file_at_any_depth(
    kind: str, ftp_root: Path, certs: Certificates
) -> None:
    fill(ftp_root)
    async with station_server(kind, ftp_root, certs) as endpoint:
        target = target_of(endpoint)
        async with FtpSession.connect(target) as session:
            listing = await session.walk("/", Masks([], []))
            files = listing.files
            assert listing.skipped == []
            listed = {f.path: f.size for f in files}
            assert listed == {"/" + name: len(data) for name, data in TREE.items()}
            stamps = [f.modified_at for f in files]
            assert all(s is not None and abs((datetime.now(UTC) - s).days) <= 1 for s in stamps)
            # Every listed name can be fetched back byte for byte with the name as listed.
            for remote in files:
                chunks = []
                async with session.transfer(f"RETR {remote.remote_path}") as (reader, _):
                    while chunk := await reader.read(65536):
                        chunks.append(chunk)
                assert b"".join(chunks) == TREE[remote.path[1:]], remote.path


async def test_cp1251_names_on_vsftpd_are_listed_and_fetched(
    ftp_root: Path, certs: Certificates
) -> None:
    """vsftpd sends the bytes on disk: a station keeping cp1251 names shows them as such."""
    raw = "Снимок 01.dat".encode("cp1251")
    put_raw(ftp_root, raw, b"cp1251 content")
    async with (
        station_server("vsftpd-explicit", ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        files = (await session.walk("/", Masks([], []))).files
        assert [f.path for f in files] == ["/Снимок 01.dat"]
        async with session.transfer(f"RETR {files[0].remote_path}") as (reader, _):
            assert await reader.read() == b"cp1251 content"


async def test_masks_and_root_narrow_the_listing(ftp_root: Path, certs: Certificates) -> None:
    fill(ftp_root)
    async with (
        station_server("pyftpdlib", ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        files = (await session.walk("/2026", Masks(["*.hrpt", "*.TIF"], ["23/it*", "*_х*"]))).files
        assert sorted(f.path for f in files) == [
            "/2026/11/23/NOAA 19 pass.hrpt",
            '/2026/11/23/Снимок "Метеор-М".tif',
        ]
        files = (await session.walk("/", Masks([], ["deep", "2026"]))).files
        assert [f.path for f in files] == ["/readme.txt"]


async def test_wrong_password_is_a_login_error(ftp_root: Path, certs: Certificates) -> None:
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        with pytest.raises(FtpError) as caught:
            await log_in(target_of(endpoint, password="wrong"))
    assert caught.value.kind == "login"
    assert not caught.value.transient
    assert "wrong" not in caught.value.message


async def test_closed_port_is_unreachable() -> None:
    from tests.support.net import free_port

    with pytest.raises(FtpError) as caught:
        await log_in(FtpTarget(host="127.0.0.1", port=free_port(), timeout=5))
    assert caught.value.kind == "unreachable"
    assert caught.value.transient


async def test_untrusted_certificate_is_a_tls_error_unless_verification_is_off(
    ftp_root: Path, certs: Certificates
) -> None:
    fill(ftp_root, {"a.dat": b"a"})
    async with station_server("vsftpd-implicit", ftp_root, certs) as endpoint:
        with pytest.raises(FtpError) as caught:
            await log_in(target_of(endpoint, ca_file=None))
        assert caught.value.kind == "tls"
        assert "certificate" in caught.value.message
        target = target_of(endpoint, ca_file=None, verify_tls=False)
        async with FtpSession.connect(target) as session:
            files = (await session.walk("/", Masks([], []))).files
        assert [f.path for f in files] == ["/a.dat"]


def test_list_formats() -> None:
    now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    text = "\r\n".join(
        [
            "total 12",
            "drwxr-xr-x    2 0        0            4096 Nov 23 08:14 sub folder",
            "-rw-r--r--    1 ftp      ftp          1234 Dec 30 23:59 last year.dat",
            "-rw-r--r--    1 1000 1234 Jan 02  2024 no group.dat",
            "lrwxrwxrwx    1 0        0               4 Nov 23 08:14 link -> a",
            "11-23-26  08:14PM       <DIR>          Windows Folder",
            "11-23-26  08:14AM                  77 windows file.txt",
            "garbage line",
        ]
    )
    assert parse_list(text, now) == [
        Entry("sub folder", True, 4096, datetime(2026, 11, 23, 8, 14, tzinfo=UTC), 60),
        Entry("last year.dat", False, 1234, datetime(2025, 12, 30, 23, 59, tzinfo=UTC), 60),
        Entry("no group.dat", False, 1234, datetime(2024, 1, 2, tzinfo=UTC), 86400),
        Entry("Windows Folder", True, 0, datetime(2026, 11, 23, 20, 14, tzinfo=UTC), 60),
        Entry("windows file.txt", False, 77, datetime(2026, 11, 23, 8, 14, tzinfo=UTC), 60),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "-rw-r--r--  1 ftp ftp 1234 ноя 23 08:14 russian month.dat\r\n",
        "-rw-r--r-- 1 ftp ftp 1234 2026-11-23 08:14 long iso.dat\n",
    ],
)
def test_a_listing_nothing_can_be_read_from_is_an_error_not_an_empty_folder(text: str) -> None:
    with pytest.raises(FtpError) as caught:
        parse_list(text, datetime.now(UTC))
    assert caught.value.kind == "protocol" and "not understood" in caught.value.message
    assert parse_list("total 0\r\n", datetime.now(UTC)) == []


def test_mlsd_with_a_bad_time_keeps_the_file() -> None:
    entries = parse_mlsd("type=file;size=5;modify=20261399999999; odd time.dat\r\n")
    assert entries == [Entry("odd time.dat", False, 5, None, 1)]


async def test_a_link_back_up_is_not_walked_in_circles(ftp_root: Path, certs: Certificates) -> None:
    fill(ftp_root, {"sub/a.dat": b"a", "b.dat": b"b"})
    (ftp_root / "sub" / "loop").symlink_to("..")
    async with (
        station_server("pyftpdlib", ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        listing = await session.walk("/", Masks([], []))
    assert sorted(f.path for f in listing.files) == ["/b.dat", "/sub/a.dat"]


async def test_a_folder_the_station_will_not_open_is_skipped_and_reported(
    ftp_root: Path, certs: Certificates
) -> None:
    fill(ftp_root, {"open/a.dat": b"a", "closed/b.dat": b"b"})
    (ftp_root / "closed").chmod(0o700)  # vsftpd serves as nobody
    async with (
        station_server("vsftpd", ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):
        listing = await session.walk("/", Masks([], []))
        assert [f.path for f in listing.files] == ["/open/a.dat"]
        assert listing.skipped == ["/closed"]
        with pytest.raises(FtpError) as caught:
            await session.walk("/closed", Masks([], []))
        assert caught.value.kind == "not_found"


@pytest.mark.parametrize("kind", ["vsftpd", "vsftpd-explicit", "pyftpdlib"])
async def test_a_transfer_stopped_early_leaves_the_session_usable(
    kind: str, ftp_root: Path, certs: Certificates
) -> None:
    fill(ftp_root, {"big.dat": os.urandom(8 << 20), "small.dat": b"small"})
    async with (
        station_server(kind, ftp_root, certs) as endpoint,
        FtpSession.connect(target_of(endpoint)) as session,
    ):

        async def give_up() -> None:
            async with session.transfer("RETR /big.dat") as (reader, _):
                await reader.read(1000)
                raise LookupError("the caller gave up")

        with pytest.raises(LookupError):
            await give_up()
        assert not session.broken  # the pending 426/226 was read
        listing = await session.walk("/", Masks([], []))
        assert sorted(f.path for f in listing.files) == ["/big.dat", "/small.dat"]
