"""Download benchmark: ftpgram fetching station files into storage against curl, same files.

    .venv/bin/python -m tests.bench.bench_downloads [--runs 5] [--size-mib 1024]

A vsftpd station (plain FTP, anonymous) on 127.0.0.1 serves one `--size-mib` file, four files of
a quarter of that size, and one more full-size file for the resume check. Each run measures:
- one file: ftpgram's time from `DownloadService.request` (queued) to the download completed
  (received, SHA-256, fsync, moved into storage, database committed) against
  `curl -s -o FILE ftp://...` to a file on the same disk (curl neither hashes nor fsyncs);
- four files at once: the wall time of four requests (worker concurrency 4, station
  max_connections 5, one of them left to polling) against four curls in parallel;
- memory: ftpgram's RSS just before the one-file download and its peak during it;
- resume: the download is paused once half the file has arrived, then started again; the bytes
  received in total (counted at the receiver) minus the file size were fetched twice.

ftpgram runs in a child process of its own (fresh SQLite database and storage folder each run),
driven over its stdin/stdout. So its RSS is sampled from outside (`/proc/PID/status` every 20 ms)
without a sampling thread competing with the download for the GIL, and its memory holds nothing
of the benchmark's own (the test data, curl's bookkeeping). curl and ftpgram take turns going
first. Every output stays until its run ends: on a virtual machine, writing into memory that
was freed a moment ago is several times faster than into memory not touched for a while, so
deleting curl's file just before the next measurement would hand that one a head start. Each
measurement waits (up to 15 s) for the CPUs to be idle first and says so when they were not.
Page-cache write speed here still varies a lot from one run to the next: compare medians.

Targets: ftpgram ≤ 1.0× curl's time, peak RSS within 50 MiB of idle, ≤ 1 MiB fetched twice
on resume. Needs vsftpd and curl (Debian: apt-get install vsftpd curl); not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

MIB = 1 << 20
ROOT = Path(__file__).resolve().parents[2]
ONE = "one.bin"
FOUR = tuple(f"four-{n}.bin" for n in range(4))
RESUME = "resume.bin"
HOUR = 3600
# Phases of the one-file download, in the order they happen (seconds since the request).
PHASES = (
    "requested",
    "claimed",
    "logged in",
    "data connection",
    "first byte",
    "last byte",
    "written and hashed",
    "transfer reply",
    "fsync start",
    "fsync end",
    "storing",
    "moved into storage",
    "completed",
)


# ---- the station's files -------------------------------------------------------------------


def make_file(path: Path, size: int) -> str:
    """`size` bytes unlike any other file's (a random block, numbered per MiB); returns the
    SHA-256."""
    block = bytearray(os.urandom(MIB))
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for n in range(0, size, MIB):
            block[:8] = n.to_bytes(8, "big")
            piece = memoryview(block)[: min(MIB, size - n)]
            digest.update(piece)
            os.write(fd, piece)
    finally:
        os.close(fd)
    os.chmod(path, 0o644)
    old = time.time() - HOUR
    os.utime(path, (old, old))
    return digest.hexdigest()


# ---- the ftpgram side (a child process) ---------------------------------------------------------


class Phases:
    """When each phase of the one-file download first happened."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.claims: list[float] = []  # every transfer the worker claimed

    def mark(self, name: str) -> None:
        self.times.setdefault(name, time.perf_counter())

    def since(self, start: float) -> dict[str, float]:
        return {name: at - start for name, at in self.times.items()}


class Counter:
    """Bytes received from the station (every data connection), with one optional trigger."""

    def __init__(self) -> None:
        self.total = 0
        self.at: int | None = None
        self.then: Callable[[], None] | None = None

    def add(self, nbytes: int) -> None:
        self.total += nbytes
        if self.at is not None and self.total >= self.at and self.then is not None:
            then, self.at, self.then = self.then, None, None
            then()


def instrument(phases: Phases, counter: Counter) -> None:
    """Wrap a few methods to time the phases and count the bytes received (in this benchmark's
    child process only; each wrapper costs a function call)."""
    from services.downloads.worker import DownloadWorker
    from services.ftp.client import FtpSession
    from services.ftp.transfer import PartFile, Receiver
    from services.storage.store import LocalBlobStore

    claim = DownloadWorker._claim
    complete = DownloadWorker._complete
    login = FtpSession._open
    retrieve = FtpSession.retrieve
    made, updated, lost, done = (
        Receiver.connection_made,
        Receiver.buffer_updated,
        Receiver.connection_lost,
        Receiver._settle,
    )
    finish, place = PartFile.finish, LocalBlobStore.place

    async def claimed(self: DownloadWorker, *args: Any) -> bool:
        result = await claim(self, *args)
        if result:
            phases.mark("claimed")
            phases.claims.append(time.perf_counter())
        return result

    async def completing(self: DownloadWorker, *args: Any) -> None:
        phases.mark("storing")
        await complete(self, *args)

    async def logged_in(self: FtpSession) -> None:
        await login(self)
        phases.mark("logged in")

    async def retrieved(self: FtpSession, *args: Any, **kwargs: Any) -> int:
        size = await retrieve(self, *args, **kwargs)
        phases.mark("transfer reply")
        return size

    def connection_made(self: Receiver, transport: asyncio.BaseTransport) -> None:
        phases.mark("data connection")
        made(self, transport)

    def buffer_updated(self: Receiver, nbytes: int) -> None:
        if not counter.total:
            phases.mark("first byte")
        counter.add(nbytes)
        updated(self, nbytes)

    def connection_lost(self: Receiver, exc: Exception | None) -> None:
        phases.mark("last byte")
        lost(self, exc)

    def settled(self: Receiver) -> None:
        done(self)
        if self.done.done():
            phases.mark("written and hashed")

    def finished(self: PartFile) -> None:
        phases.mark("fsync start")
        finish(self)
        phases.mark("fsync end")

    def placed(self: LocalBlobStore, *args: Any) -> None:
        place(self, *args)
        phases.mark("moved into storage")

    for cls, name, wrapper in (
        (DownloadWorker, "_claim", claimed),
        (DownloadWorker, "_complete", completing),
        (FtpSession, "_open", logged_in),
        (FtpSession, "retrieve", retrieved),
        (Receiver, "connection_made", connection_made),
        (Receiver, "buffer_updated", buffer_updated),
        (Receiver, "connection_lost", connection_lost),
        (Receiver, "_settle", settled),
        (PartFile, "finish", finished),
        (LocalBlobStore, "place", placed),
    ):
        setattr(cls, name, wrapper)


class Silent:
    """A notifier for a benchmark nobody follows: a finished download resolves its future."""

    def __init__(self, phases: Phases) -> None:
        self.phases = phases
        self._outcomes: dict[int, asyncio.Future[Any]] = {}

    def outcome(self, download_id: int) -> asyncio.Future[Any]:
        if download_id not in self._outcomes:
            self._outcomes[download_id] = asyncio.get_running_loop().create_future()
        return self._outcomes[download_id]

    async def download_finished(self, user: object, download: Any) -> None:
        self.phases.mark("completed")
        self.outcome(download.id).set_result(download)

    async def download_failed(self, user: object, download: Any) -> None:
        self.outcome(download.id).set_exception(RuntimeError(f"failed: {download.error}"))

    async def announce_station_files(self, *args: object, **kwargs: object) -> None:
        return None

    async def station_health_changed(self, *args: object, **kwargs: object) -> None:
        return None


def say(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


async def ftpgram_child(port: int, work: Path) -> None:
    from services.accounts.audit import AuditService
    from services.accounts.users import UserService, UserView
    from services.container import Notifier
    from services.core import db
    from services.core.cluster import LocalCoordinator
    from services.core.events import EventBus
    from services.core.models import Download, StationFile, StoredFile, User
    from services.core.throttle import Throttle
    from services.downloads.completion import Completion
    from services.downloads.requests import DownloadService
    from services.downloads.worker import DownloadWorker
    from services.passes.orbits import TleSource
    from services.passes.service import PassService
    from services.stations.service import StationService
    from services.storage.blobs import BlobService
    from services.storage.files import FileService
    from services.storage.store import LocalBlobStore

    phases, counter = Phases(), Counter()
    instrument(phases, counter)
    await db.migrate(f"sqlite://{work / 'ftpgram.sqlite3'}")
    try:
        silent = Silent(phases)
        notifier, audit = cast(Notifier, silent), AuditService()
        store = LocalBlobStore(work / "storage")
        blobs = BlobService(store)
        users = UserService(
            admin_ids=(),
            auto_activate=False,
            default_quota=1 << 40,
            notifier=notifier,
            audit=audit,
            blobs=blobs,
            throttle=Throttle(),
        )
        files = FileService(blobs=blobs, users=users, max_upload=1 << 40, secret=b"bench-secret")
        bus = EventBus()
        passes = PassService(
            notifier=notifier,
            users=users,
            audit=audit,
            tles=TleSource(file=None, url=None, cache=work / "tle.txt"),
        )
        stations = StationService(
            secret=b"bench-secret-key",
            notifier=notifier,
            audit=audit,
            users=users,
            coordinator=LocalCoordinator(),
            bus=bus,
            passes=passes,
            settle_seconds=0,
        )
        completion = Completion(files=files, users=users, notifier=notifier, store=store, bus=bus)
        downloads = DownloadService(stations=stations, passes=passes, completion=completion)
        user = UserView.of(await User.create(full_name="Bench", is_admin=True, is_active=True))
        station = await stations.create(
            user,
            {
                "host": "127.0.0.1",
                "port": port,
                "tls": "none",
                "login": "anonymous",
                "password": "bench@example.org",
                "max_connections": 5,
            },
        )
        polled = await stations.poll(station.id)
        assert polled.ok, polled
        ids = {
            row.path.lstrip("/"): row.id
            for row in await StationFile.filter(station_id=station.id, stable=True)
        }
        assert {ONE, RESUME, *FOUR} <= set(ids), ids
        # The production defaults: a 1 s tick, four transfers at once.
        worker = DownloadWorker(downloads, concurrency=4, retries=3, retry_delay=1.0)
        worker.start()
        await asyncio.sleep(0.5)  # its first look at the (empty) queue is done

        async def sha256_of(download: Any) -> str:
            row = await StoredFile.get(id=download.file_id)
            return str(row.blob_id)

        async def one() -> dict[str, Any]:
            phases.times.clear()
            counter.total = 0
            start = time.perf_counter()
            view, created = await downloads.request(user, ids[ONE])
            phases.mark("requested")
            assert created
            done = await silent.outcome(view.id)
            seconds = time.perf_counter() - start
            return {
                "seconds": seconds,
                "phases": phases.since(start),
                "sha256": await sha256_of(done),
            }

        async def four() -> dict[str, Any]:
            phases.claims.clear()
            start = time.perf_counter()
            views = [(await downloads.request(user, ids[name]))[0] for name in FOUR]
            requested = time.perf_counter() - start
            done = await asyncio.gather(*(silent.outcome(v.id) for v in views))
            seconds = time.perf_counter() - start
            return {
                "seconds": seconds,
                "requested": requested,
                "claims": [at - start for at in phases.claims],
                "sha256": [await sha256_of(d) for d in done],
            }

        async def resume() -> dict[str, Any]:
            size = (await StationFile.get(id=ids[RESUME])).size
            counter.total = 0
            pausing: asyncio.Future[asyncio.Task[Any]] = asyncio.get_running_loop().create_future()
            view, _ = await downloads.request(user, ids[RESUME])
            counter.at = size // 2
            counter.then = lambda: pausing.set_result(
                asyncio.create_task(downloads.pause(user, view.id))
            )
            async with asyncio.timeout(120):
                await (await pausing)
                for _ in range(24000):  # the transfer noticed the pause and let go
                    if not worker.running:
                        break
                    await asyncio.sleep(0.005)
            received_first = counter.total
            row = await Download.get(id=view.id)
            part = store.part_path(f"transfer-{row.transfer_id}")
            kept = part.stat().st_size if part.exists() else 0
            await downloads.start(user, view.id)
            done = await silent.outcome(view.id)
            return {
                "size": size,
                "received_first": received_first,
                "kept": kept,
                "received": counter.total,
                "sha256": await sha256_of(done),
            }

        scenarios = {"one": one, "four": four, "resume": resume}
        say({"ready": True})
        while (command := (await asyncio.to_thread(sys.stdin.readline)).strip()) not in (
            "",
            "quit",
        ):
            say(await scenarios[command]())
        await worker.stop()
    finally:
        await db.close()


# ---- the parent: curl, the clock, the memory --------------------------------------------------


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


class RssSampler:
    """The highest RSS of a process while it works, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, rss_mib(self.pid))
            if self._stop.wait(0.02):
                return

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib(self.pid))


class Ftpgram:
    """The child process running ftpgram's services and download worker."""

    def __init__(self, port: int, work: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.bench.bench_downloads", "--child", str(port), str(work)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.read().get("ready")

    def read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the ftpgram process ended ({self.process.wait()})")
        return cast(dict[str, Any], json.loads(line))

    def run(self, command: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def curl(port: int, names: tuple[str, ...], out: Path | None) -> float:
    """Wall time of one curl per name, all at once, each into a file in `out` (a new folder;
    None: /dev/null)."""
    if out is not None:
        out.mkdir()
    start = time.perf_counter()
    processes = [
        subprocess.Popen(
            [
                "curl",
                "-s",
                "-o",
                str(out / name) if out is not None else os.devnull,
                f"ftp://127.0.0.1:{port}/{name}",
            ]
        )
        for name in names
    ]
    codes = [p.wait() for p in processes]
    seconds = time.perf_counter() - start
    if any(codes):
        raise RuntimeError(f"curl failed: {codes}")
    return seconds


def cpu_busy() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine so far."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def quiet(limit: float = 15) -> bool:
    """Wait (up to `limit` seconds) until the machine has been nearly idle for half a second,
    so that another program's work does not land in a measurement. False: it never was."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy, total = cpu_busy()
        time.sleep(0.5)
        busy2, total2 = cpu_busy()
        if busy2 - busy <= 0.1 * (total2 - total):
            return True
    return False


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


class Results:
    def __init__(self) -> None:
        self.one: dict[str, list[float]] = {"ftpgram": [], "curl": []}
        self.four: dict[str, list[float]] = {"ftpgram": [], "curl": []}
        self.idle: list[float] = []
        self.peak: list[float] = []
        self.peak_four: list[float] = []
        self.twice: list[int] = []
        self.phases: list[dict[str, float]] = []
        self.claims_four: list[list[float]] = []  # when the worker claimed each of the four
        self.requested_four: list[float] = []  # when the last of the four requests returned
        self.noisy = 0  # measurements that started while something else kept the CPUs busy


def one_run(run: int, port: int, folder: Path, expected: dict[str, str], results: Results) -> str:
    """One run: ftpgram (a fresh process, database and storage) and curl take turns; every
    output stays until the run ends, so no measurement reuses memory another one just freed."""
    folder.mkdir()
    ftpgram = Ftpgram(port, folder / "ftpgram")
    pid = ftpgram.process.pid

    def settle() -> None:
        if not quiet():
            results.noisy += 1

    def ours_one() -> None:
        settle()
        results.idle.append(rss_mib(pid))
        with RssSampler(pid) as sampler:
            result = ftpgram.run("one")
        results.peak.append(sampler.peak)
        assert result["sha256"] == expected[ONE], "one file: wrong content"
        results.one["ftpgram"].append(result["seconds"])
        results.phases.append(result["phases"])

    def ours_four() -> None:
        settle()
        with RssSampler(pid) as sampler:
            result = ftpgram.run("four")
        results.peak_four.append(sampler.peak)
        assert result["sha256"] == [expected[n] for n in FOUR], "four files: wrong content"
        results.four["ftpgram"].append(result["seconds"])
        results.claims_four.append(result["claims"])
        results.requested_four.append(result["requested"])

    def theirs_one() -> None:
        settle()
        results.one["curl"].append(curl(port, (ONE,), folder / "curl-one"))

    def theirs_four() -> None:
        settle()
        results.four["curl"].append(curl(port, FOUR, folder / "curl-four"))

    try:
        for ours, theirs in ((ours_one, theirs_one), (ours_four, theirs_four)):
            first, second = (theirs, ours) if run % 2 == 0 else (ours, theirs)
            first()
            second()
        settle()
        resumed = ftpgram.run("resume")
        assert resumed["sha256"] == expected[RESUME], "resume: wrong content"
        results.twice.append(resumed["received"] - resumed["size"])
    finally:
        ftpgram.close()
        shutil.rmtree(folder, ignore_errors=True)
    one, four = results.one, results.four
    return (
        f"run {run + 1}: one file ftpgram {one['ftpgram'][-1]:.3f} s, curl "
        f"{one['curl'][-1]:.3f} s; four files ftpgram {four['ftpgram'][-1]:.3f} s (the last "
        f"claimed after {max(results.claims_four[-1]):.3f} s), curl "
        f"{four['curl'][-1]:.3f} s; RSS idle {results.idle[-1]:.1f} MiB, peak "
        f"{results.peak[-1]:.1f} MiB; resume: {resumed['received_first']} B received before "
        f"the pause, {resumed['kept']} B kept, {results.twice[-1]} B fetched twice"
    )


def report(results: Results, size_mib: int, runs: int) -> None:
    print(f"\nvsftpd on 127.0.0.1, plain FTP; {runs} runs, medians\n")
    print("| work | ftpgram median s | curl median s | ratio | target |")
    print("|---|---|---|---|---|")
    for name, times in (
        (f"one {size_mib} MiB file", results.one),
        (f"four {size_mib // 4} MiB files at once", results.four),
    ):
        ours, theirs = median(times["ftpgram"]), median(times["curl"])
        verdict = "ok" if ours <= theirs else "over target"
        print(f"| {name} | {ours:.3f} | {theirs:.3f} | {ours / theirs:.2f}× | ≤ 1.0× {verdict} |")
    grown = [p - i for p, i in zip(results.peak, results.idle, strict=True)]
    verdict = "ok" if max(grown) <= 50 else "over target"
    print(
        f"| ftpgram RSS during the one-file download | idle {median(results.idle):.1f} MiB, "
        f"peak {median(results.peak):.1f} MiB | | +{median(grown):.1f} MiB (worst run "
        f"+{max(grown):.1f}) | ≤ +50 MiB {verdict} |"
    )
    twice = results.twice
    verdict = "ok" if max(twice) <= MIB else "over target"
    print(
        f"| fetched twice on resume after a pause at 50% | {median(twice) / MIB:.3f} MiB | | "
        f"worst run {max(twice) / MIB:.3f} MiB | ≤ 1 MiB {verdict} |"
    )
    print(f"\nftpgram's peak RSS during the four files: {median(results.peak_four):.1f} MiB.")
    claims = [sorted(c) for c in results.claims_four]
    print(
        f"Four files: the four requests took {median(results.requested_four):.3f} s; the worker "
        "claimed them after "
        + ", ".join(f"{median([c[n] for c in claims if len(c) > n]):.3f}" for n in range(4))
        + " s (medians)."
    )
    if results.noisy:
        print(
            f"{results.noisy} measurements started while other programs kept the CPUs busy: "
            "their times are less trustworthy."
        )
    print("\nThe one-file download, phase by phase (median seconds since the request):\n")
    print("| phase | at s | since the previous phase s |")
    print("|---|---|---|")
    previous = 0.0
    for name in PHASES:
        values = [p[name] for p in results.phases if name in p]
        if values:
            at = median(values)
            print(f"| {name} | {at:.3f} | {at - previous:+.3f} |")
            previous = at


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--child", nargs=2, metavar=("PORT", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(ftpgram_child(int(args.child[0]), Path(args.child[1])))
        return
    if shutil.which("curl") is None:
        sys.exit("curl is needed (Debian: apt-get install curl)")
    from tests.support.ftp_servers import certificates, vsftpd_server

    size = args.size_mib * MIB
    work = Path(tempfile.mkdtemp(prefix="ftpgram-bench-downloads-"))
    results = Results()
    try:
        os.chmod(work, 0o755)
        station = work / "station"
        station.mkdir(mode=0o755)
        expected = {ONE: make_file(station / ONE, size), RESUME: make_file(station / RESUME, size)}
        expected.update({name: make_file(station / name, size // 4) for name in FOUR})
        with certificates() as certs, vsftpd_server(station, tls="none", certs=certs) as ep:
            curl(ep.port, (ONE, RESUME, *FOUR), None)  # vsftpd, curl and the cache warmed up
            for run in range(args.runs):
                line = one_run(run, ep.port, work / f"run-{run}", expected, results)
                print(line, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(results, args.size_mib, args.runs)


if __name__ == "__main__":
    main()
