"""Station polling benchmark (issue 5): ftpgram's poll against lftp's `find` on the same tree.

    .venv/bin/python -m tests.bench.bench_stations [--files 10000] [--folders 20] [--runs 5]

A vsftpd station (explicit FTPS, TLS session reuse required, as in the tests) serves `--files`
files spread over `--folders` folders. Each run measures, on a fresh SQLite database:
- first poll: connect, list every folder, write every file's row (the baseline);
- re-poll: the same, unchanged tree (only the poll record is written);
- lftp: `find /` over the same FTPS connection settings, output discarded.
Targets: first poll ≤ 3× lftp's listing, re-poll ≤ 1.5×. Needs vsftpd and lftp (Debian:
apt-get install vsftpd lftp); not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import cast

from services.accounts.audit import AuditService
from services.accounts.users import UserService, UserView
from services.container import Notifier
from services.core import db
from services.core.cluster import LocalCoordinator
from services.core.events import EventBus
from services.core.models import User
from services.core.throttle import Throttle
from services.passes.orbits import TleSource
from services.passes.service import PassService
from services.stations.service import StationService
from services.storage.blobs import BlobService
from services.storage.store import LocalBlobStore
from tests.support.ftp_servers import certificates, vsftpd_server


class Silent:
    """A notifier for a benchmark nobody follows: nothing is announced on a baseline poll."""

    async def announce_station_files(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a baseline poll announces nothing")

    async def station_health_changed(self, *args: object, **kwargs: object) -> None:
        return None


def make_tree(root: Path, files: int, folders: int) -> None:
    old = time.time() - 86400
    for n in range(files):
        folder = root / f"2026-11-{n % folders:02d} pass"
        folder.mkdir(mode=0o755, exist_ok=True)
        path = folder / f"NOAA-19 {n:05d}.hrpt"
        path.write_bytes(b"x" * (n % 97))
        os.chmod(path, 0o644)
        os.utime(path, (old, old))


def lftp_find(port: int, ca_file: Path) -> float:
    script = (
        f"set ssl:ca-file {ca_file}; set ftp:ssl-force true; set ftp:ssl-protect-data true; "
        f"set ftp:passive-mode true; open -u anonymous,bench@example.org "
        f"ftp://127.0.0.1:{port}; find / > /dev/null; quit"
    )
    start = time.perf_counter()
    subprocess.run(["lftp", "-c", script], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


async def ftpgram_polls(
    port: int, ca_file: Path, work: Path, run: int, expected: int
) -> tuple[float, float]:
    await db.migrate(f"sqlite://{work / f'bench-{run}.sqlite3'}")
    try:
        admin = UserView.of(await User.create(full_name="Bench", is_admin=True, is_active=True))
        notifier, audit = cast(Notifier, Silent()), AuditService()
        users = UserService(
            admin_ids=(),
            auto_activate=False,
            default_quota=0,
            notifier=notifier,
            audit=audit,
            blobs=BlobService(LocalBlobStore(work / "storage")),
            throttle=Throttle(),
        )
        service = StationService(
            secret=b"bench-secret-key",
            notifier=notifier,
            audit=audit,
            users=users,
            coordinator=LocalCoordinator(),
            bus=EventBus(),
            passes=PassService(
                notifier=notifier,
                users=users,
                audit=audit,
                tles=TleSource(file=None, url=None, cache=work / "tle.txt"),
            ),
            ca_file=ca_file,
        )
        station = await service.create(
            admin,
            {"host": "127.0.0.1", "port": port, "tls": "explicit", "password": "bench@example.org"},
        )
        start = time.perf_counter()
        first = await service.poll(station.id)
        first_time = time.perf_counter() - start
        start = time.perf_counter()
        again = await service.poll(station.id)
        again_time = time.perf_counter() - start
        assert first.ok and first.files_seen == expected, first
        assert again.ok and again.files_seen == expected and again.new_files == 0, again
        return first_time, again_time
    finally:
        await db.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if shutil.which("lftp") is None:
        sys.exit("lftp is needed (Debian: apt-get install lftp)")
    work = Path(tempfile.mkdtemp(prefix="ftpgram-bench-stations-"))
    root = work / "station"
    root.mkdir(mode=0o755)
    os.chmod(work, 0o755)
    make_tree(root, args.files, args.folders)
    firsts: list[float] = []
    agains: list[float] = []
    lftps: list[float] = []
    try:
        with certificates() as certs, vsftpd_server(root, tls="explicit", certs=certs) as ep:
            lftp_find(ep.port, certs.ca_file)  # warm the page cache and vsftpd alike
            for run in range(args.runs):
                lftps.append(lftp_find(ep.port, certs.ca_file))
                first, again = asyncio.run(
                    ftpgram_polls(ep.port, certs.ca_file, work, run, args.files)
                )
                firsts.append(first)
                agains.append(again)
                print(
                    f"run {run + 1}: lftp find {lftps[-1]:.3f} s, first poll {first:.3f} s, "
                    f"re-poll {again:.3f} s",
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    lftp = statistics.median(lftps)
    first, again = statistics.median(firsts), statistics.median(agains)
    print(f"\n{args.files} files in {args.folders} folders, vsftpd explicit FTPS, {args.runs} runs")
    print("| work | median s | ratio to lftp find | target |")
    print("|---|---|---|---|")
    print(f"| lftp `find /` | {lftp:.3f} | 1.00× | |")
    print(f"| ftpgram first poll | {first:.3f} | {first / lftp:.2f}× | ≤ 3× |")
    print(f"| ftpgram unchanged re-poll | {again:.3f} | {again / lftp:.2f}× | ≤ 1.5× |")


if __name__ == "__main__":
    main()
