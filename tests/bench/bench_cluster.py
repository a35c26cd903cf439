"""Cluster benchmark: three `ftpgram run` processes on one PostgreSQL and one Redis behind HAProxy
(`tests.support.cluster.ClusterShape`), sending messages and downloading station files.

    .venv/bin/python -m tests.bench.bench_cluster [--runs N] [--only messages|downloads]

Messages: 10,000 messages to 100 people, queued through the load balancer by 100 apps (one bot
token each, with the product's default token limits) sending in turns and honouring Retry-After,
delivered by the elected leader through a fake Telegram that answers 429 like Telegram (30
messages a second overall, one a second per chat). The apps post from a process of their own,
so that their HTTPS work does not delay the fake's clock (it runs in this one). Measured: the
time from the first message queued to the last one received by the fake, against the least the
limits allow (max(messages / 30, one a second to each chat)); also the rate received while the
apps were posting and after, and the CPU each ftpgram process used. Targets: every message
received once, no 429, at most 1.10× the minimum. One run takes six or seven minutes; `--runs`
defaults to 1 here.

Downloads: four files of 256 MiB on one station (vsftpd, plain FTP, on 127.0.0.1: a little
faster than pyftpdlib with curl here, and outside this process) whose `max_connections` is 5, so
four transfers run at once (one connection is left to polling), requested through the REST API
of a cluster of one process and of three (the same PostgreSQL, Redis and HAProxy; a fresh
cluster each run, the two taking turns going first). Measured: the time from the first request
to all four completed (asked every 0.1 s through the API), each stored file's SHA-256 checked
after; curl fetching the same four files at once into a folder on the same disk is the reference
(curl neither hashes nor fsyncs). Also shown: the CPU each ftpgram process used during the
transfer, and how busy the whole machine was. `--runs` defaults to 3 here; 1 GiB of test files
is made in a temporary folder (skipped with less than 4 GiB free) and removed at the end.

The machine may be shared: every measurement first waits (up to five minutes) until other
programs leave the CPUs alone, and says how much of them they took meanwhile; a download
measurement they disturbed is taken again.

Needs PostgreSQL, Redis, HAProxy, vsftpd and curl (Debian: .ci/setup test; apt-get install
vsftpd curl); not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import itertools
import json
import math
import os
import shutil
import ssl
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.accounts.users import UserView
from services.container import Services
from services.core.models import StationFile, StoredFile
from services.messaging.delivery import CHAT_INTERVAL as SENDER_INTERVAL
from services.messaging.delivery import PER_SECOND as SENDER_RATE
from services.storage.store import LocalBlobStore
from tests.support.cluster import ClusterShape, poll_through, request_downloads, script
from tests.support.people import bearer, make_user
from tests.support.pg import Cluster, temporary_cluster
from tests.support.telegram_fake import FakeTelegram

MIB = 1 << 20
ROOT = Path(__file__).resolve().parents[2]
ADMIN = 900_001
FIRST_PERSON = 10_000
GLOBAL_LIMIT = 30  # Telegram's limits, as the fake enforces them
CHAT_INTERVAL = 1.0
TARGET = 1.10
FILES = tuple(f"pass-{n}.bin" for n in range(4))
FILE_SIZE = 256 * MIB
MAX_CONNECTIONS = 5
DISK_NEEDED = 4 << 30
POSTING = 32  # the apps' requests in flight at once, all of them together
TICKS = os.sysconf("SC_CLK_TCK")
DISTURBED = 0.05  # a measurement during which other programs took this share of the CPUs
RETRIES = 3  # a disturbed download measurement is taken again, at most this many times


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


# ---- whose CPU time --------------------------------------------------------------------------
# The machine may be shared (other people's tests): each measurement waits until other programs
# leave the CPUs alone, says how much of the CPUs they took meanwhile, and a disturbed download
# measurement is taken again.


@dataclass(frozen=True)
class CpuSnapshot:
    busy: int  # the machine's busy ticks so far, all CPUs
    total: int
    others: dict[int, int]  # ticks so far of each process that is not ours


def _stat(pid: str) -> tuple[int, int] | None:
    """Parent and ticks used of a process; None once it is gone."""
    try:
        name, rest = Path(f"/proc/{pid}/stat").read_text().split(" (", 1)[1].rsplit(")", 1)
    except (FileNotFoundError, ProcessLookupError):
        return None
    if name == "postgres":
        return None  # PostgreSQL serves this benchmark too (its daemon is nobody's child here)
    fields = rest.split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def cpu_snapshot() -> CpuSnapshot:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    stats = {int(p): s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(p))}
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    ours: set[int] = set()
    pending = [os.getpid(), 2]  # this benchmark and what it started; the kernel's threads
    while pending:
        pid = pending.pop()
        ours.add(pid)
        pending.extend(children.get(pid, []))
    others = {pid: ticks for pid, (_, ticks) in stats.items() if pid not in ours}
    return CpuSnapshot(sum(values) - idle, sum(values), others)


@dataclass(frozen=True)
class CpuUse:
    busy: float  # share of the machine's CPUs busy (1.0: every CPU all the time)
    others: float  # share of the machine's CPUs other programs used


def cpu_since(before: CpuSnapshot) -> CpuUse:
    after = cpu_snapshot()
    total = max(1, after.total - before.total)
    # A process that ended meanwhile is lost (not its parent's count of reaped children: an
    # orphan's whole life would land in init's at once). /proc/stat counts the ticks of every
    # CPU, like a process's ticks.
    others = sum(max(0, ticks - before.others.get(pid, 0)) for pid, ticks in after.others.items())
    return CpuUse((after.busy - before.busy) / total, others / total)


def wait_quiet(limit: float = 300) -> bool:
    """Wait (up to `limit` seconds) until, for a second, other programs used under 5% of the
    CPUs and the machine under 20% (a cluster just started settles down). False: never."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_snapshot()
        time.sleep(1)
        use = cpu_since(before)
        if use.others < 0.05 and use.busy < 0.2:
            return True
    return False


# ---- the benchmark's own view of the cluster's database -----------------------------------------


async def person(
    services: Services, telegram: FakeTelegram, telegram_id: int, **kwargs: Any
) -> UserView:
    """An active person who has pressed Start (the bot may write to them)."""
    telegram.open_chat(telegram_id)
    return await make_user(services, telegram_id, **kwargs)


# ---- messages ----------------------------------------------------------------------------------


@dataclass
class MessagesRun:
    seconds: float  # first message queued → last one received
    accepted: float  # first message queued → the last one accepted by the API
    first: float  # first message queued → the first one received
    rate_posting: float  # messages a second received while the apps were still posting
    rate_after: float  # and after, until the last one
    duplicates: int
    missing: int
    flood_answers: list[float]  # when Telegram answered 429 (seconds since the start)
    flood_reasons: list[str]  # and why (the fake's words)
    api_refusals: int  # 429s from ftpgram's API (token limits), honoured by waiting
    use: CpuUse  # the machine's CPUs meanwhile
    cpu: list[float]  # CPU seconds of each ftpgram process meanwhile, the leader first


async def messages_run(pg: Cluster, messages: int, users: int, work: Path) -> MessagesRun:
    telegram = FakeTelegram()
    await telegram.start()
    telegram.enforce_limits(per_second=GLOBAL_LIMIT, chat_interval=CHAT_INTERVAL)
    try:
        async with (
            ClusterShape(n=3, telegram=telegram, pg=pg) as shape,
            script(shape, work / "script", admin_ids=str(ADMIN)) as services,
        ):
            leader = await shape.wait_leader()
            tokens = {}
            for n in range(users):
                view = await person(services, telegram, FIRST_PERSON + n, name=f"P{n}")
                tokens[FIRST_PERSON + n] = (
                    await services.messaging.create_token(view, "bench")
                ).token
            # Message n goes to person n mod users: every app sends its share in order, and all
            # apps at once, so the queue fills in turns across people.
            texts: dict[int, list[str]] = {chat: [] for chat in tokens}
            for n in range(messages):
                chat = FIRST_PERSON + n % users
                texts[chat].append(f"message {n} to {chat}")

            def received() -> int:
                return sum(len(telegram.sent_to(chat)) for chat in tokens)

            samples: list[tuple[float, int, int]] = []

            async def sample() -> None:
                while True:
                    samples.append((time.monotonic(), received(), telegram.flood_answers))
                    await asyncio.sleep(0.1)

            apps = await Apps.start(
                shape.lb_url, shape.ca_path, [(tokens[c], texts[c]) for c in tokens]
            )
            try:
                await asyncio.to_thread(wait_quiet)
                pids = [p.pid for p in shape.processes]
                pids.insert(0, pids.pop(leader))
                cpu_before = [process_cpu(pid) for pid in pids]
                machine = cpu_snapshot()
                start = time.monotonic()
                posting = asyncio.create_task(apps.go())
                sampling = asyncio.create_task(sample())
                arriving = asyncio.create_task(
                    telegram.wait_until(
                        lambda: received() >= messages, timeout=messages / GLOBAL_LIMIT * 3 + 120
                    )
                )
                try:
                    # Apps that fail (anything but 202 or 429) end the run at once.
                    await asyncio.wait({posting, arriving}, return_when=asyncio.FIRST_EXCEPTION)
                    if posting.done():
                        posting.result()
                    await arriving
                    done = time.monotonic()
                    use = cpu_since(machine)
                    cpu = [process_cpu(pid) - b for pid, b in zip(pids, cpu_before, strict=True)]
                    accepted_at, refusals = await posting
                finally:
                    for task in (posting, sampling, arriving):
                        task.cancel()
                    await asyncio.gather(posting, sampling, arriving, return_exceptions=True)
            finally:
                await apps.close()
            await asyncio.sleep(2)  # anything sent twice would show by now
            got = Counter(m.text for chat in tokens for m in telegram.sent_to(chat))
    finally:
        await telegram.stop()
    wanted = {text for own in texts.values() for text in own}
    samples.append((done, messages, telegram.flood_answers))
    first = next(t for t, count, _ in samples if count > 0) - start
    by_then = max(count for t, count, _ in samples if t <= accepted_at)
    floods = [
        t - start
        for (_, _, before), (t, _, after) in itertools.pairwise(samples)
        for _ in range(after - before)
    ]
    return MessagesRun(
        seconds=done - start,
        accepted=accepted_at - start,
        first=first,
        rate_posting=by_then / (accepted_at - start),
        rate_after=(messages - by_then) / (done - accepted_at) if done > accepted_at else math.nan,
        duplicates=sum(count - 1 for count in got.values() if count > 1),
        missing=len(wanted - set(got)),
        flood_answers=floods,
        flood_reasons=list(telegram.flood_reasons),
        api_refusals=refusals,
        use=use,
        cpu=cpu,
    )


class Apps:
    """The apps posting messages, in a process of their own: HTTPS clients for 100 apps keep
    an event loop busy, and the fake Telegram's clock, in this one, must not lag behind."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, url: str, ca: Path, apps: list[tuple[str, list[str]]]) -> Apps:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "tests.bench.bench_cluster", "--apps"),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=1 << 24,
        )
        self = cls(process)
        await self._say({"url": url, "ca": str(ca), "apps": apps})
        assert (await self._read()).get("ready")
        return self

    async def _say(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(message).encode() + b"\n")
        await self.process.stdin.drain()

    async def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the apps' process ended ({await self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    async def go(self) -> tuple[float, int]:
        """Post everything; when the last message was accepted (time.monotonic(), the same
        clock in every process) and how many 429s the API answered."""
        await self._say({"go": True})
        answer = await self._read()
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return answer["accepted_at"], answer["refusals"]

    async def close(self) -> None:
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()


async def apps_child() -> None:
    """The apps' process: reads the work, says ready, posts on "go", says how it went."""
    import aiohttp

    def say(message: dict[str, Any]) -> None:
        sys.stdout.write(json.dumps(message) + "\n")
        sys.stdout.flush()

    async def read() -> dict[str, Any]:
        message: dict[str, Any] = json.loads(await asyncio.to_thread(sys.stdin.readline))
        return message

    work = await read()
    url = f"{work['url']}/api/v1/messages/"
    context = ssl.create_default_context(cafile=work["ca"])
    gate = asyncio.Semaphore(POSTING)
    refusals = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as http:

        async def app(token: str, own: list[str]) -> None:
            nonlocal refusals
            for text in own:
                while True:
                    async with (
                        gate,
                        http.post(
                            url, json={"text": text, "format": "plain"}, headers=bearer(token)
                        ) as response,
                    ):
                        if response.status == 202:
                            break
                        if response.status != 429:
                            raise RuntimeError(f"{response.status}: {await response.text()}")
                        wait = float(response.headers["Retry-After"])
                    refusals += 1
                    await asyncio.sleep(wait)  # outside the gate: the other apps go on

        say({"ready": True})
        await read()
        try:
            await asyncio.gather(*(app(token, own) for token, own in work["apps"]))
        except Exception as error:  # the parent ends the run with it
            say({"error": repr(error)})
            return
        say({"accepted_at": time.monotonic(), "refusals": refusals})


def messages_minimum(messages: int, users: int) -> float:
    """The least time Telegram's limits allow: 30 a second overall, or one a second to each
    chat (the first message to a chat goes at once)."""
    per_chat = math.ceil(messages / users)
    return max(messages / GLOBAL_LIMIT, (per_chat - 1) * CHAT_INTERVAL)


def messages_table(runs: list[MessagesRun], messages: int, users: int) -> list[str]:
    minimum = messages_minimum(messages, users)
    seconds = median([r.seconds for r in runs])
    ratio = seconds / minimum
    verdict = "ok" if ratio <= TARGET else "over target"
    duplicates = sum(r.duplicates for r in runs)
    missing = sum(r.missing for r in runs)
    floods = sum(len(r.flood_answers) for r in runs)
    when = sorted(t for r in runs for t in r.flood_answers)
    pace = min(SENDER_RATE, users / SENDER_INTERVAL)
    ranked = [r.cpu[:1] + sorted(r.cpu[1:], reverse=True) for r in runs]
    cpu = [median([r[i] for r in ranked]) for i in range(len(ranked[0]))]
    lines = [
        f"Messages: {messages} to {users} people through 3 processes, {len(runs)} run(s)"
        + (", medians" if len(runs) > 1 else ""),
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| messages | {messages} to {users} people ({messages // users} each) | |",
        f"| time, first queued → last received | {seconds:.1f} s"
        + (f" (runs: {', '.join(f'{r.seconds:.1f}' for r in runs)})" if len(runs) > 1 else "")
        + " | |",
        f"| the limits' minimum | {minimum:.1f} s (max({messages}/{GLOBAL_LIMIT}, "
        f"{math.ceil(messages / users) - 1} s per chat)) | |",
        f"| ratio time / minimum | {ratio:.3f} | ≤ {TARGET:.2f} {verdict} |",
        f"| received twice | {duplicates} | 0 |",
        f"| never received | {missing} | 0 |",
        f"| 429 answers from Telegram | {floods}"
        + (f" (at {', '.join(f'{t:.1f}' for t in when)} s: " if when else "")
        + "; ".join(reason for r in runs for reason in r.flood_reasons)
        + (")" if when else "")
        + " | 0 |",
        f"| all accepted by the API after | {median([r.accepted for r in runs]):.1f} s | |",
        f"| API 429s (token limits; Retry-After honoured) | "
        f"{median([r.api_refusals for r in runs]):.0f} | |",
        f"| first message received after | {median([r.first for r in runs]):.2f} s | |",
        f"| the machine's CPUs: busy, taken by other programs | "
        f"{median([r.use.busy for r in runs]):.0%}, {median([r.use.others for r in runs]):.0%} | |",
        f"| received a second while the apps were posting | "
        f"{median([r.rate_posting for r in runs]):.2f} | {pace:.2f} (the sender's ceiling) |",
        f"| received a second after | {median([r.rate_after for r in runs]):.2f} | {pace:.2f} |",
        f"| CPU s per ftpgram process, leader first | {' + '.join(f'{c:.1f}' for c in cpu)} | |",
    ]
    return lines


# ---- downloads ---------------------------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


@dataclass
class DownloadsRun:
    seconds: float
    use: CpuUse  # the machine's CPUs meanwhile
    cpu: list[float] = field(default_factory=list)  # CPU seconds of each ftpgram process

    @property
    def disturbed(self) -> bool:
        return self.use.others > DISTURBED


@dataclass
class DownloadResults:
    runs: dict[str, list[DownloadsRun]] = field(default_factory=dict)
    taken_again: int = 0  # measurements disturbed by other programs and taken again


async def downloads_run(
    pg: Cluster, n: int, port: int, expected: dict[str, str], work: Path
) -> DownloadsRun:
    """One cluster of `n` processes downloading the four files once, from a fresh start."""
    telegram = FakeTelegram()
    await telegram.start()
    try:
        async with (
            ClusterShape(n=n, telegram=telegram, pg=pg) as shape,
            script(shape, work / f"script-{n}", admin_ids=str(ADMIN)) as services,
        ):
            await shape.wait_leader()
            admin = await person(services, telegram, ADMIN, admin=True, name="Root")
            downloader = await person(services, telegram, FIRST_PERSON, name="Downloader")
            station = await services.stations.create(
                admin,
                {
                    "name": "Bench",
                    "host": "127.0.0.1",
                    "port": port,
                    "login": "anonymous",
                    "password": "bench@example.org",
                    "tls": "none",
                    "max_connections": MAX_CONNECTIONS,
                },
            )
            await services.stations.follow(downloader, [station.id])
            admin_token = await services.auth.issue_token(admin.id)
            token = await services.auth.issue_token(downloader.id)
            async with shape.client() as http:
                await poll_through(shape, http, admin_token, [station.id])
                files = [f.id for f in await StationFile.filter(station_id=station.id).only("id")]
                assert len(files) == len(FILES), files
                await asyncio.to_thread(wait_quiet)
                pids = [p.pid for p in shape.processes]
                cpu_before = [process_cpu(pid) for pid in pids]
                machine = cpu_snapshot()
                start = time.monotonic()
                await request_downloads(shape, http, token, files)
                deadline = start + 600
                while True:
                    async with http.get(
                        f"{shape.lb_url}/api/v1/downloads/?per_page=100", headers=bearer(token)
                    ) as response:
                        assert response.status == 200, await response.text()
                        items: list[dict[str, Any]] = (await response.json())["items"]
                    failed = [i for i in items if i["status"] == "failed"]
                    assert not failed, failed
                    if len(items) == len(FILES) and all(i["status"] == "completed" for i in items):
                        break
                    assert time.monotonic() < deadline, f"not completed: {items}"
                    await asyncio.sleep(0.1)
                seconds = time.monotonic() - start
                use = cpu_since(machine)
                cpu = [
                    process_cpu(pid) - before for pid, before in zip(pids, cpu_before, strict=True)
                ]
            store = LocalBlobStore(shape.storage_dir)
            for item in items:
                stored = await StoredFile.get(id=item["file_id"])
                path = store.local_path(stored.blob_id)
                digest = await asyncio.to_thread(sha256_of, path)
                name = item["path"].rsplit("/", 1)[-1]
                assert digest == expected[name], f"{name}: stored content differs"
    finally:
        await telegram.stop()
    return DownloadsRun(seconds, use, cpu)


def make_file(path: Path, size: int) -> str:
    """`size` bytes unlike any other file's (a random block, numbered per MiB), readable by
    anyone and an hour old (settled); returns the SHA-256."""
    block = bytearray(os.urandom(MIB))
    digest = hashlib.sha256()
    with path.open("wb") as stream:
        for n in range(0, size, MIB):
            block[:8] = n.to_bytes(8, "big")
            piece = memoryview(block)[: min(MIB, size - n)]
            digest.update(piece)
            stream.write(piece)
    os.chmod(path, 0o644)
    old = time.time() - 3600
    os.utime(path, (old, old))
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(MIB):
            digest.update(chunk)
    return digest.hexdigest()


def curl_run(port: int, out: Path) -> DownloadsRun:
    """curl fetching the four files at once into `out` (removed after)."""
    wait_quiet()
    out.mkdir()
    machine = cpu_snapshot()
    start = time.perf_counter()
    processes = [
        subprocess.Popen(["curl", "-s", "-o", str(out / name), f"ftp://127.0.0.1:{port}/{name}"])
        for name in FILES
    ]
    codes = [p.wait() for p in processes]
    seconds = time.perf_counter() - start
    use = cpu_since(machine)
    shutil.rmtree(out)
    if any(codes):
        raise RuntimeError(f"curl failed: {codes}")
    return DownloadsRun(seconds, use)


async def downloads_bench(pg: Cluster, runs: int, work: Path) -> DownloadResults | None:
    from tests.support.ftp_servers import certificates, vsftpd_server

    free = shutil.disk_usage(work).free
    if free < DISK_NEEDED:
        print(
            f"Downloads skipped: {free / (1 << 30):.1f} GiB free in {work}, "
            f"{DISK_NEEDED >> 30} GiB needed (1 GiB of station files, 1 GiB stored per run, "
            "1 GiB fetched by curl)."
        )
        return None
    station = work / "station"
    station.mkdir(mode=0o755)
    expected = {name: make_file(station / name, FILE_SIZE) for name in FILES}
    results = DownloadResults(runs={"1": [], "3": [], "curl": []})
    with certificates() as certs, vsftpd_server(station, tls="none", certs=certs) as endpoint:
        await asyncio.to_thread(curl_run, endpoint.port, work / "warm-up")  # caches warmed

        async def measure(what: str, run: int) -> DownloadsRun:
            if what == "curl":
                return await asyncio.to_thread(curl_run, endpoint.port, work / f"curl-{run}")
            return await downloads_run(pg, int(what), endpoint.port, expected, work)

        for run in range(runs):
            order = ("1", "3", "curl") if run % 2 == 0 else ("curl", "3", "1")
            line = [f"run {run + 1}:"]
            for what in order:
                result = await measure(what, run)
                for _ in range(RETRIES):
                    if not result.disturbed:
                        break
                    results.taken_again += 1
                    line.append(f"[{what}: {result.use.others:.0%} of the CPUs taken by others]")
                    result = await measure(what, run)
                results.runs[what].append(result)
                cpu = ", ".join(f"{c:.1f}" for c in result.cpu)
                line.append(
                    f"{what if what == 'curl' else what + ' process(es)'} {result.seconds:.2f} s "
                    f"(machine {result.use.busy:.0%} busy, others {result.use.others:.0%}"
                    + (f"; CPU s per process: {cpu}" if cpu else "")
                    + ");"
                )
            print(" ".join(line), flush=True)
    return results


def downloads_table(results: DownloadResults) -> list[str]:
    total = len(FILES) * FILE_SIZE / MIB
    seconds = {what: median([r.seconds for r in rows]) for what, rows in results.runs.items()}
    lines = [
        f"Downloads: {len(FILES)} × {FILE_SIZE // MIB} MiB from one vsftpd station (plain FTP, "
        f"127.0.0.1), max_connections {MAX_CONNECTIONS} (4 at once), DOWNLOAD_CONCURRENCY "
        f"default; {len(results.runs['curl'])} run(s), medians",
        "",
        "| work | time s | MiB/s | vs 1 process | vs curl | runs s | CPU s per ftpgram process, "
        "busiest first | machine busy | others |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for what, label in (
        ("1", "ftpgram, 1 process"),
        ("3", "ftpgram, 3 processes"),
        ("curl", "curl, 4 at once (reference)"),
    ):
        rows = results.runs[what]
        ranked = [sorted(r.cpu, reverse=True) for r in rows]
        cpu = [median([r[i] for r in ranked]) for i in range(len(ranked[0]))]
        lines.append(
            f"| {label} | {seconds[what]:.2f} | {total / seconds[what]:.0f} | "
            f"{seconds['1'] / seconds[what]:.2f}× | {seconds['curl'] / seconds[what]:.2f}× | "
            f"{', '.join(f'{r.seconds:.2f}' for r in rows)} | "
            f"{' + '.join(f'{c:.2f}' for c in cpu)} | "
            f"{median([r.use.busy for r in rows]):.0%} | "
            f"{median([r.use.others for r in rows]):.0%} |"
        )
    if results.taken_again:
        lines.append("")
        lines.append(
            f"{results.taken_again} measurement(s) taken again: other programs used more than "
            f"{DISTURBED:.0%} of the CPUs meanwhile."
        )
    return lines


# ---- main ---------------------------------------------------------------------------------------


async def bench(args: argparse.Namespace) -> None:
    work = Path(tempfile.mkdtemp(prefix="ftpgram-bench-cluster-"))
    tables: list[list[str]] = []
    try:
        os.chmod(work, 0o755)  # vsftpd's anonymous user reads the station's files
        with temporary_cluster() as pg:
            if args.only in (None, "downloads"):
                downloads = await downloads_bench(pg, args.runs or 3, work)
                if downloads is not None:
                    tables.append(downloads_table(downloads))
                    print("\n".join(["", *tables[-1]]), flush=True)
            if args.only in (None, "messages"):
                runs = []
                for run in range(args.runs or 1):
                    result = await messages_run(pg, args.messages, args.users, work)
                    runs.append(result)
                    print(
                        f"messages run {run + 1}: {result.seconds:.1f} s, "
                        f"{result.duplicates} twice, {result.missing} missing, "
                        f"{len(result.flood_answers)} 429s from Telegram; machine "
                        f"{result.use.busy:.0%} busy, others {result.use.others:.0%}",
                        flush=True,
                    )
                tables.append(messages_table(runs, args.messages, args.users))
                print("\n".join(["", *tables[-1]]), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n---- for the closing note ----\n")
    print("\n\n".join("\n".join(table) for table in tables))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--runs", type=int, default=0, help="runs of each part (default: downloads 3, messages 1)"
    )
    parser.add_argument("--only", choices=("messages", "downloads"))
    parser.add_argument("--messages", type=int, default=10_000, help=argparse.SUPPRESS)
    parser.add_argument("--users", type=int, default=100, help=argparse.SUPPRESS)
    parser.add_argument("--apps", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.apps:
        asyncio.run(apps_child())
        return
    if shutil.which("curl") is None and args.only != "messages":
        sys.exit("curl is needed (Debian: apt-get install curl)")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
