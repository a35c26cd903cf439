"""Cluster benchmark: three `ftpgram run` processes on one PostgreSQL and one Redis behind HAProxy
(`tests.support.cluster.ClusterShape`), sending messages and downloading station files.

    .venv/bin/python -m tests.bench.bench_cluster [--runs N] [--only messages|downloads]

Messages: 10,000 messages to 100 people, queued through the load balancer by 100 apps (one bot
token each, with the product's default token limits) sending in turns and honouring Retry-After,
delivered by the elected leader through a fake Telegram that answers 429 like Telegram (30
messages a second overall, one a second per chat). Measured: the time from the first message
queued to the last one received by the fake, against the least the limits allow
(max(messages / 30, one a second to each chat)). Targets: every message received once, no 429,
at most 1.10× the minimum. One run takes about six minutes; `--runs` defaults to 1 here.

Downloads: four files of 256 MiB on one station (vsftpd, plain FTP, on 127.0.0.1: as fast as
pyftpdlib with curl here, and outside this process) whose `max_connections` is 5, so four
transfers run at once (one connection is left to polling), requested through the REST API of a
cluster of one process and of three (the same PostgreSQL, Redis and HAProxy; a fresh cluster
each run, the two taking turns going first). Measured: the time from the first request to all
four completed (asked every 0.1 s through the API), each stored file's SHA-256 checked after;
curl fetching the same four files at once into a folder on the same disk is the reference (curl
neither hashes nor fsyncs). Also shown: the CPU each ftpgram process used during the transfer,
and how busy the whole machine was. `--runs` defaults to 3 here; 1 GiB of test files is made in
a temporary folder (skipped with less than 4 GiB free) and removed at the end.

Needs PostgreSQL, Redis, HAProxy, vsftpd and curl (Debian: .ci/setup test; apt-get install
vsftpd curl); not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.factory import create_bot
from bot.gateway import BotGateway
from bot.i18n import create_i18n
from bot.notifier import BotNotifier
from services.accounts.users import UserView
from services.container import Services, build_services
from services.core import db
from services.core.models import StationFile, StoredFile
from services.core.settings import load_settings
from services.messaging.delivery import CHAT_INTERVAL as SENDER_INTERVAL
from services.messaging.delivery import GLOBAL_RATE as SENDER_RATE
from services.storage.store import LocalBlobStore
from tests.support.cluster import ClusterShape
from tests.support.people import bearer, make_user
from tests.support.pg import Cluster, temporary_cluster
from tests.support.telegram_fake import FakeTelegram

MIB = 1 << 20
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


def _stat(pid: str) -> tuple[int, int, int] | None:
    """Parent, ticks used and ticks of reaped children of a process; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        owner = os.stat(f"/proc/{pid}").st_uid
    except (FileNotFoundError, ProcessLookupError):
        return None
    if owner == POSTGRES_UID:
        return None  # PostgreSQL serves this benchmark too (its daemon is nobody's child here)
    return int(fields[1]), int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])


def cpu_snapshot() -> CpuSnapshot:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    stats = {int(p): s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(p))}
    children: dict[int, list[int]] = {}
    for pid, (parent, _, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    ours: set[int] = set()
    pending = [os.getpid(), 2]  # this benchmark and what it started; the kernel's threads
    while pending:
        pid = pending.pop()
        ours.add(pid)
        pending.extend(children.get(pid, []))
    others = {pid: own + reaped for pid, (_, own, reaped) in stats.items() if pid not in ours}
    return CpuSnapshot(sum(values) - idle, sum(values), others)


@dataclass(frozen=True)
class CpuUse:
    busy: float  # share of the machine's CPUs busy (1.0: every CPU all the time)
    others: float  # share of the machine's CPUs other programs used


def cpu_since(before: CpuSnapshot) -> CpuUse:
    after = cpu_snapshot()
    total = max(1, after.total - before.total)
    others = sum(
        max(0, ticks - before.others.get(pid, 0))
        for pid, ticks in after.others.items()
        if pid in before.others or True
    )
    # /proc/stat counts every CPU's ticks; a process's ticks are CPU time on any one of them.
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


@contextlib.asynccontextmanager
async def script(shape: ClusterShape, telegram: FakeTelegram, tmp: Path) -> AsyncIterator[Services]:
    """Services on the cluster's database, for making people, stations and tokens as an
    administrator's script would."""
    settings = load_settings(
        _env_file=None,
        bot_token=telegram.token,
        telegram_api_url=telegram.base_url,
        database_url=shape.database_url,
        data_dir=tmp,
        storage_dir=shape.storage_dir,
        secret_key=shape.secret_key,
        admin_ids=str(ADMIN),
    )
    await db.connect(shape.database_url)
    bot = create_bot(settings)
    i18n = create_i18n()
    services = build_services(
        settings,
        gateway=BotGateway(bot),
        notifier_factory=lambda delivery: BotNotifier(delivery, i18n),
        bot_probe=_always,
        scheduler_probe=lambda: True,
    )
    try:
        yield services
    finally:
        await bot.session.close()
        await db.close()


async def _always() -> bool:
    return True


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
    steady: float  # messages a second received between 10% and 90% of them
    duplicates: int
    missing: int
    flood_answers: int  # 429s from Telegram
    api_refusals: int  # 429s from ftpgram's API (token limits), honoured by waiting


async def messages_run(pg: Cluster, messages: int, users: int, work: Path) -> MessagesRun:
    telegram = FakeTelegram()
    await telegram.start()
    telegram.enforce_limits(per_second=GLOBAL_LIMIT, chat_interval=CHAT_INTERVAL)
    try:
        async with (
            ClusterShape(n=3, telegram=telegram, pg=pg) as shape,
            script(shape, telegram, work / "script") as services,
        ):
            await shape.wait_leader()
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
            gate = asyncio.Semaphore(POSTING)
            refusals = 0
            accepted_at = 0.0

            def received() -> int:
                return sum(len(telegram.sent_to(chat)) for chat in tokens)

            async with shape.client() as http:

                async def app(token: str, own: list[str]) -> None:
                    nonlocal refusals
                    for text in own:
                        while True:
                            async with (
                                gate,
                                http.post(
                                    f"{shape.lb_url}/api/v1/messages/",
                                    json={"text": text, "format": "plain"},
                                    headers=bearer(token),
                                ) as response,
                            ):
                                if response.status == 202:
                                    break
                                if response.status != 429:
                                    raise RuntimeError(
                                        f"{response.status}: {await response.text()}"
                                    )
                                wait = float(response.headers["Retry-After"])
                            refusals += 1
                            await asyncio.sleep(wait)  # outside the gate: others go on

                async def apps() -> None:
                    nonlocal accepted_at
                    await asyncio.gather(*(app(tokens[c], texts[c]) for c in tokens))
                    accepted_at = time.monotonic()

                samples: list[tuple[float, int]] = []

                async def sample() -> None:
                    while True:
                        samples.append((time.monotonic(), received()))
                        await asyncio.sleep(0.1)

                start = time.monotonic()
                posting = asyncio.create_task(apps())
                sampling = asyncio.create_task(sample())
                arriving = asyncio.create_task(
                    telegram.wait_until(
                        lambda: received() >= messages, timeout=messages / GLOBAL_LIMIT * 3 + 120
                    )
                )
                try:
                    # An app that fails (anything but 202 or 429) ends the run at once.
                    await asyncio.wait({posting, arriving}, return_when=asyncio.FIRST_EXCEPTION)
                    if posting.done():
                        posting.result()
                    await arriving
                    done = time.monotonic()
                    await posting
                finally:
                    for task in (posting, sampling, arriving):
                        task.cancel()
                    await asyncio.gather(posting, sampling, arriving, return_exceptions=True)
            await asyncio.sleep(2)  # anything sent twice would show by now
            got = Counter(m.text for chat in tokens for m in telegram.sent_to(chat))
    finally:
        await telegram.stop()
    wanted = {text for own in texts.values() for text in own}
    samples.append((done, messages))
    first = next(t for t, count in samples if count > 0) - start
    low = next((t, c) for t, c in samples if c >= messages * 0.1)
    high = next((t, c) for t, c in samples if c >= messages * 0.9)
    return MessagesRun(
        seconds=done - start,
        accepted=accepted_at - start,
        first=first,
        steady=(high[1] - low[1]) / (high[0] - low[0]) if high[0] > low[0] else math.nan,
        duplicates=sum(count - 1 for count in got.values() if count > 1),
        missing=len(wanted - set(got)),
        flood_answers=telegram.flood_answers,
        api_refusals=refusals,
    )


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
    floods = sum(r.flood_answers for r in runs)
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
        f"| 429 answers from Telegram | {floods} | 0 |",
        f"| all accepted by the API after | {median([r.accepted for r in runs]):.1f} s | |",
        f"| API 429s (token limits; Retry-After honoured) | "
        f"{median([r.api_refusals for r in runs]):.0f} | |",
        f"| first message received after | {median([r.first for r in runs]):.2f} s | |",
        f"| steady rate (10% → 90% received) | {median([r.steady for r in runs]):.2f} msg/s | "
        f"{min(SENDER_RATE, users / SENDER_INTERVAL):.2f} (the sender's pace) |",
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
    cpu: list[float]  # seconds of CPU each ftpgram process used meanwhile
    busy: float  # the machine's CPUs, busy share meanwhile (1.0: every CPU all the time)
    noisy: bool  # the machine was not idle before it started


@dataclass
class DownloadResults:
    runs: dict[str, list[DownloadsRun]] = field(default_factory=dict)
    curl: list[float] = field(default_factory=list)
    curl_busy: list[float] = field(default_factory=list)


async def downloads_run(
    pg: Cluster, n: int, port: int, expected: dict[str, str], work: Path
) -> DownloadsRun:
    """One cluster of `n` processes downloading the four files once, from a fresh start."""
    telegram = FakeTelegram()
    await telegram.start()
    try:
        async with (
            ClusterShape(n=n, telegram=telegram, pg=pg) as shape,
            script(shape, telegram, work / f"script-{n}") as services,
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
                async with http.post(
                    f"{shape.lb_url}/api/v1/admin/stations/{station.id}/poll/",
                    headers=bearer(admin_token),
                ) as response:
                    assert response.status == 200, await response.text()
                files = await StationFile.filter(station_id=station.id).values_list("id", flat=True)
                assert len(files) == len(FILES), files
                noisy = not await asyncio.to_thread(quiet)
                pids = [p.pid for p in shape.processes]
                cpu_before = [process_cpu(pid) for pid in pids]
                busy_before = cpu_busy()
                start = time.monotonic()
                for file_id in files:
                    async with http.post(
                        f"{shape.lb_url}/api/v1/downloads/",
                        json={"station_file_id": file_id},
                        headers=bearer(token),
                    ) as response:
                        assert response.status == 201, await response.text()
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
                busy_after = cpu_busy()
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
    busy = (busy_after[0] - busy_before[0]) / (busy_after[1] - busy_before[1])
    return DownloadsRun(seconds, cpu, busy, noisy)


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


def curl_run(port: int, out: Path) -> tuple[float, float]:
    """curl fetching the four files at once into `out`; wall time and the machine's busy share."""
    out.mkdir()
    busy_before = cpu_busy()
    start = time.perf_counter()
    processes = [
        subprocess.Popen(["curl", "-s", "-o", str(out / name), f"ftp://127.0.0.1:{port}/{name}"])
        for name in FILES
    ]
    codes = [p.wait() for p in processes]
    seconds = time.perf_counter() - start
    busy_after = cpu_busy()
    if any(codes):
        raise RuntimeError(f"curl failed: {codes}")
    busy = (busy_after[0] - busy_before[0]) / (busy_after[1] - busy_before[1])
    return seconds, busy


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
    results = DownloadResults(runs={"1": [], "3": []})
    with certificates() as certs, vsftpd_server(station, tls="none", certs=certs) as endpoint:
        await asyncio.to_thread(curl_run, endpoint.port, work / "warm-up")  # caches warmed
        shutil.rmtree(work / "warm-up")
        for run in range(runs):
            order = ("1", "3", "curl") if run % 2 == 0 else ("curl", "3", "1")
            line = [f"run {run + 1}:"]
            for what in order:
                if what == "curl":
                    await asyncio.to_thread(quiet)
                    out = work / f"curl-{run}"
                    seconds, busy = await asyncio.to_thread(curl_run, endpoint.port, out)
                    shutil.rmtree(out)
                    results.curl.append(seconds)
                    results.curl_busy.append(busy)
                    line.append(f"curl {seconds:.2f} s;")
                    continue
                result = await downloads_run(pg, int(what), endpoint.port, expected, work)
                results.runs[what].append(result)
                cpu = ", ".join(f"{c:.1f}" for c in result.cpu)
                line.append(
                    f"{what} process(es) {result.seconds:.2f} s (CPU s per process: {cpu}; "
                    f"machine {result.busy:.0%} busy{', not idle before' if result.noisy else ''});"
                )
            print(" ".join(line), flush=True)
    return results


def downloads_table(results: DownloadResults) -> list[str]:
    total = len(FILES) * FILE_SIZE / MIB
    one = median([r.seconds for r in results.runs["1"]])
    three = median([r.seconds for r in results.runs["3"]])
    curl = median(results.curl)
    runs = len(results.curl)
    lines = [
        f"Downloads: {len(FILES)} × {FILE_SIZE // MIB} MiB from one vsftpd station (plain FTP, "
        f"127.0.0.1), max_connections {MAX_CONNECTIONS} (4 at once), DOWNLOAD_CONCURRENCY "
        f"default; {runs} run(s), medians",
        "",
        "| work | time s | MiB/s | vs 1 process | vs curl | CPU s per ftpgram process | "
        "machine busy |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, seconds, rows in (
        ("ftpgram, 1 process", one, results.runs["1"]),
        ("ftpgram, 3 processes", three, results.runs["3"]),
    ):
        cpu = [median([r.cpu[i] for r in rows]) for i in range(len(rows[0].cpu))]
        lines.append(
            f"| {label} | {seconds:.2f} | {total / seconds:.0f} | {one / seconds:.2f}× | "
            f"{curl / seconds:.2f}× | {' + '.join(f'{c:.1f}' for c in cpu)} | "
            f"{median([r.busy for r in rows]):.0%} |"
        )
    lines.append(
        f"| curl, 4 at once (reference) | {curl:.2f} | {total / curl:.0f} | {one / curl:.2f}× | "
        f"1.00× | | {median(results.curl_busy):.0%} |"
    )
    noisy = sum(r.noisy for rows in results.runs.values() for r in rows)
    if noisy:
        lines.append("")
        lines.append(f"{noisy} ftpgram measurement(s) began while the CPUs were busy.")
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
                        f"{result.flood_answers} 429s from Telegram",
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
    args = parser.parse_args()
    if shutil.which("curl") is None and args.only != "messages":
        sys.exit("curl is needed (Debian: apt-get install curl)")
    asyncio.run(bench(args))


if __name__ == "__main__":
    main()
