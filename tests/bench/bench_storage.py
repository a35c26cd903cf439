"""Storage benchmark (issue 4): ftpgram against reference tools, same work, one run.

    .venv/bin/python -m tests.bench.bench_storage [--size-mib 1024] [--runs 3]

- upload: `curl -F file=@...` to /api/v1/files/upload/  vs  `cp` + `sha256sum` of the same file;
- download: curl of /api/v1/files/{id}/download/ and of /s/{token}  vs  nginx serving the file;
- memory: ftpgram's idle RSS and its peak RSS sampled during the uploads.
Targets: upload ≤ 1.5× the reference, downloads ≤ 1.2× nginx, peak RSS within 50 MiB of idle.
Needs curl, sha256sum and nginx (Debian: apt-get install nginx-light); not part of `make test`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from services.accounts.auth import AuthService
from services.core import db
from services.core.models import User
from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def rss(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


class RssSampler:
    """The highest RSS of a process while it works (VmHWM also counts start-up)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss(self.pid, "VmRSS"))
            time.sleep(0.005)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if subprocess.run(["curl", "-sf", "-o", "/dev/null", url]).returncode == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


async def make_token(database_url: str) -> str:
    await db.connect(database_url)
    try:
        user = await User.create(full_name="Bench", is_active=True)
        return await AuthService().issue_token(user.id, "bench")
    finally:
        await db.close()


def make_file(path: Path, size: int) -> None:
    with path.open("wb") as handle:
        remaining = size
        while remaining:
            chunk = os.urandom(min(remaining, 16 * 1024 * 1024))
            handle.write(chunk)
            remaining -= len(chunk)


def row(name: str, ours: list[float], theirs: list[float], target: float) -> str:
    a, b = statistics.median(ours), statistics.median(theirs)
    verdict = "ok" if a / b <= target else "over target"
    return f"| {name} | {a:.3f} s | {b:.3f} s | {a / b:.2f}× | ≤ {target}× {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for tool in ("curl", "sha256sum", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            sys.exit(f"{tool} is needed (Debian: apt-get install curl coreutils nginx-light)")

    work = Path(tempfile.mkdtemp(prefix="ftpgram-bench-"))
    data = work / "data"
    sample = work / "sample.bin"
    make_file(sample, args.size_mib * 1024 * 1024)
    api_port, tg_port, nginx_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATA_DIR": str(data),
        "API_PORT": str(api_port),
        "BOT_TOKEN": "123456:TEST",
        "TELEGRAM_API_URL": f"http://127.0.0.1:{tg_port}",
        "LOG_LEVEL": "WARNING",
        "DEFAULT_QUOTA": "100GiB",
    }
    python = sys.executable
    subprocess.run(
        [python, "-m", "ftpgram", "migrate"],
        env=env,
        check=True,
        cwd=work,
        stdout=subprocess.DEVNULL,
    )
    token = asyncio.run(make_token(f"sqlite://{data / 'ftpgram.sqlite3'}"))
    fake = subprocess.Popen(
        [python, "-m", "tests.support.telegram_fake", str(tg_port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    server = subprocess.Popen([python, "-m", "ftpgram", "run"], env=env, cwd=work)
    nginx = None
    try:
        base = f"http://127.0.0.1:{api_port}"
        wait_http(f"{base}/health")
        time.sleep(1)
        idle = rss(server.pid, "VmRSS")
        auth = ["-H", f"Authorization: Bearer {token}"]

        upload, reference = [], []
        file_id = 0
        sampler = RssSampler(server.pid)
        sampler.__enter__()
        for _ in range(args.runs):
            copy = work / "copy.bin"
            reference.append(timed(["sh", "-c", f"cp '{sample}' '{copy}' && sha256sum '{copy}'"]))
            copy.unlink()
            start = time.perf_counter()
            out = subprocess.run(
                ["curl", "-sS", "-F", f"file=@{sample}", *auth, f"{base}/api/v1/files/upload/"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            upload.append(time.perf_counter() - start)
            file_id = json.loads(out)["id"]
            subprocess.run(
                ["curl", "-sS", "-X", "DELETE", *auth, f"{base}/api/v1/files/?id={file_id}"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
        sampler.__exit__()
        peak = sampler.peak

        out = subprocess.run(
            ["curl", "-sS", "-F", f"file=@{sample}", *auth, f"{base}/api/v1/files/upload/"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        file_id = json.loads(out)["id"]
        share = json.loads(
            subprocess.run(
                ["curl", "-sS", "-X", "POST", *auth, f"{base}/api/v1/files/{file_id}/share/"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        served = work / "www"
        served.mkdir()
        os.link(sample, served / "sample.bin")
        config = work / "nginx.conf"
        config.write_text(
            f"daemon off; master_process off; worker_processes 1; pid {work}/nginx.pid;\n"
            f"error_log {work}/nginx.err;\n"
            "events { worker_connections 64; }\n"
            f"http {{ access_log off; sendfile on; server {{ listen 127.0.0.1:{nginx_port}; "
            f"root {served}; }} }}\n"
        )
        nginx = subprocess.Popen(["nginx", "-c", str(config), "-p", str(work)])
        wait_http(f"http://127.0.0.1:{nginx_port}/sample.bin")

        get = ["curl", "-sS", "-o", "/dev/null"]
        api_times, link_times, nginx_times = [], [], []
        for _ in range(args.runs):
            nginx_times.append(timed([*get, f"http://127.0.0.1:{nginx_port}/sample.bin"]))
            api_times.append(timed([*get, *auth, f"{base}/api/v1/files/{file_id}/download/"]))
            link_times.append(timed([*get, f"{base}/s/{share['token']}"]))

        print(f"\n{args.size_mib} MiB, {args.runs} runs, medians\n")
        print("| work | ftpgram | reference | ratio | target |")
        print("|---|---|---|---|---|")
        print(row("upload (curl -F) vs cp + sha256sum", upload, reference, 1.5))
        print(row("download /files/{id}/download/ vs nginx", api_times, nginx_times, 1.2))
        print(row("download /s/{token} vs nginx", link_times, nginx_times, 1.2))
        verdict = "ok" if peak - idle <= 50 else "over target"
        print(
            f"\nftpgram RSS: idle {idle:.1f} MiB, peak {peak:.1f} MiB "
            f"(+{peak - idle:.1f} MiB; target ≤ +50 MiB: {verdict})"
        )
    finally:
        for process in (nginx, server, fake):
            if process is not None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
