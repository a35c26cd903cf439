"""The cluster shape on 127.0.0.1: N `ftpgram run` processes sharing one PostgreSQL, one Redis and
one storage directory, behind HAProxy terminating TLS, Telegram being a `FakeTelegram` that
delivers updates by webhook through the load balancer.

    async with ClusterShape(n=3, telegram=fake) as shape:
        await shape.health(0)                 # GET /health of process 0, straight to it
        async with shape.client() as http:    # through the load balancer (https, test CA)
            await http.get(f"{shape.lb_url}/health")
        shape.processes[1].kill()             # SIGKILL; `restart()` starts it again

Every child runs in a session of its own (a Ctrl-C reaches the harness, which stops them in
order) and writes its output to a file in the shape's directory; `logs()` gives their tails for
assertion messages. Leaving the block stops everything, also when the test fails.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import ssl
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
import asyncpg
import trustme

from services.container import Services
from services.core import db
from services.core.settings import Settings, load_settings
from tests.support.application import bot_services
from tests.support.net import free_port
from tests.support.people import bearer
from tests.support.pg import Cluster, temporary_cluster
from tests.support.telegram_fake import FakeTelegram

START_TIMEOUT = 90.0  # cold starts of several processes on a busy two-core machine
STOP_TIMEOUT = 15.0
METRICS_TOKEN = "cluster-metrics-token-0123456789"
WEBHOOK_PATH = "/telegram/webhook"


def _binary(name: str, debian_path: str) -> str:
    found = shutil.which(name) or (debian_path if os.access(debian_path, os.X_OK) else None)
    if found is None:
        raise RuntimeError(f"{name} was not found; install it (Debian: .ci/setup test)")
    return found


def _tail(path: Path, lines: int) -> str:
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return "(no file)"
    return "\n".join(text.splitlines()[-lines:])


async def _stop_child(process: asyncio.subprocess.Process, timeout: float) -> int:
    """SIGTERM, then SIGKILL after `timeout`; returns the exit code."""
    _signal(process, signal.SIGTERM)
    try:
        return await asyncio.wait_for(process.wait(), timeout)
    except TimeoutError:
        _signal(process, signal.SIGKILL)
        return await process.wait()


def _signal(process: asyncio.subprocess.Process, signum: int) -> None:
    # Not Process.send_signal: it polls the child, and reaping it there makes asyncio's child
    # watcher report 255 instead of the real exit code.
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signum)


async def _wait_listening(port: int, process: asyncio.subprocess.Process, what: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)  # not listening yet; nothing to wait on but the port
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"{what} is not listening on port {port} after 10 s")


@dataclass
class ClusterProcess:
    """One `ftpgram run` of the shape."""

    name: str
    api_port: int
    env: dict[str, str]
    directory: Path
    process: asyncio.subprocess.Process | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"

    @property
    def log_path(self) -> Path:
        """ftpgram's own log file (LOG_FILE)."""
        return Path(self.env["LOG_FILE"])

    @property
    def output_path(self) -> Path:
        """stdout and stderr of every run of this process, appended."""
        return self.directory / "output.log"

    @property
    def pid(self) -> int:
        assert self.process is not None, f"{self.name} is not started"
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def start(self) -> None:
        """Start the process (it does not wait for health: see `wait_healthy`)."""
        assert not self.running, f"{self.name} is running"
        with self.output_path.open("ab") as output:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "ftpgram",
                "run",
                env=self.env,
                cwd=self.directory,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )

    async def wait_healthy(self, timeout: float = START_TIMEOUT) -> None:
        """Wait until the process answers /health with 200."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            while time.monotonic() < deadline:
                if not self.running:
                    code = self.process.returncode if self.process else None
                    raise AssertionError(f"{self.name} exited with {code}\n{self.tail()}")
                # Not listening yet, or degraded while it starts: ask again shortly.
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http.get(f"{self.api_url}/health") as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} not healthy within {timeout} s\n{self.tail()}")

    async def restart(self, timeout: float = START_TIMEOUT) -> None:
        """Stop the process if it runs (SIGTERM), start it again and wait until it is healthy."""
        await self.stop()
        await self.start()
        await self.wait_healthy(timeout)

    def kill(self, signum: int = signal.SIGKILL) -> None:
        """Send `signum` (default SIGKILL: a crash); `wait()` for the exit."""
        assert self.process is not None, f"{self.name} is not started"
        _signal(self.process, signum)

    async def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        """The exit code, once the process exited (AssertionError after `timeout`)."""
        assert self.process is not None, f"{self.name} is not started"
        try:
            return await asyncio.wait_for(self.process.wait(), timeout)
        except TimeoutError:
            raise AssertionError(
                f"{self.name} did not exit within {timeout} s\n{self.tail()}"
            ) from None

    async def stop(self, timeout: float = STOP_TIMEOUT) -> int | None:
        """SIGTERM, SIGKILL after `timeout`; the exit code (None if never started)."""
        if self.process is None:
            return None
        return await _stop_child(self.process, timeout)

    def tail(self, lines: int = 30) -> str:
        """The end of the process's output: its log lines (also in `log_path`) and whatever
        Python wrote before logging started."""
        return f"--- {self.name} ({self.output_path}) ---\n{_tail(self.output_path, lines)}"


@dataclass
class ClusterShape:
    """PostgreSQL, Redis, HAProxy and `n` ftpgram processes; see the module docstring.

    `telegram` is the fake Bot API server the processes talk to (without one the shape starts
    its own); its webhook client is made to trust the shape's CA. `pg` reuses a running
    PostgreSQL (a fresh database is made in it and dropped afterwards); without it the shape
    starts its own. `base_dir` keeps the shape's files (logs, configuration) in a directory of
    the caller's instead of a temporary one removed at the end. `env_extra` is added to every
    process's environment (e.g. ADMIN_IDS, STATION_CA_FILE). `stagger` starts the processes one
    after another, each healthy before the next, instead of all at once.
    """

    n: int = 3
    telegram: FakeTelegram | None = None
    env_extra: Mapping[str, str] = field(default_factory=dict)
    pg: Cluster | None = None
    stagger: bool = False
    base_dir: Path | None = None
    processes: list[ClusterProcess] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self._stack = contextlib.AsyncExitStack()
        self.dir = Path()
        self.secret_key = secrets.token_urlsafe(48)
        self.metrics_token = METRICS_TOKEN
        self.database_url = ""
        self.redis_url = ""
        self.lb_port = 0
        self.stats_port = 0
        self.ca_path = Path()
        self.ssl = ssl.create_default_context()
        self._own_pg: Cluster | None = None
        self._redis: asyncio.subprocess.Process | None = None

    # ---- addresses ----------------------------------------------------------------------

    @property
    def lb_url(self) -> str:
        return f"https://127.0.0.1:{self.lb_port}"

    @property
    def webhook_url(self) -> str:
        return f"{self.lb_url}{WEBHOOK_PATH}"

    @property
    def storage_dir(self) -> Path:
        return self.dir / "storage"

    @property
    def fake(self) -> FakeTelegram:
        assert self.telegram is not None
        return self.telegram

    # ---- start and stop -----------------------------------------------------------------

    async def __aenter__(self) -> ClusterShape:
        try:
            await self._start()
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self._stack.aclose()

    async def _start(self) -> None:
        if self.base_dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="ftpgram-cluster-"))
            self._stack.callback(shutil.rmtree, self.dir, ignore_errors=True)
        else:
            self.dir = self.base_dir
        self.storage_dir.mkdir(parents=True, exist_ok=True)
        self.lb_port, self.stats_port = free_port(), free_port()
        if self.telegram is None:
            self.telegram = FakeTelegram()
            await self.telegram.start()
            self._stack.push_async_callback(self.telegram.stop)
        self._make_certificate()
        self.fake.webhook_ssl = self.ssl
        self.database_url = await self._start_database()
        self.redis_url = await self._start_redis()
        self.processes = [self._process(i) for i in range(self.n)]
        await self._start_haproxy()
        self._stack.push_async_callback(self._stop_processes)
        await self._start_processes()
        await self.wait_balanced(range(self.n))

    def _make_certificate(self) -> None:
        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(self.dir / "ca.pem"))
        self.ca_path = self.dir / "ca.pem"
        ca.issue_cert("127.0.0.1", "localhost").private_key_and_cert_chain_pem.write_to_path(
            str(self.dir / "lb.pem")
        )
        ca.configure_trust(self.ssl)

    async def _start_database(self) -> str:
        cluster = self.pg
        if cluster is None:
            cluster = self._own_pg = self._stack.enter_context(temporary_cluster())
        name = f"cluster_{uuid.uuid4().hex[:12]}"
        admin = await asyncpg.connect(cluster.url("postgres"))
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        if self.pg is not None:
            self._stack.push_async_callback(self._drop_database, cluster, name)
        return cluster.url(name)

    @staticmethod
    async def _drop_database(cluster: Cluster, name: str) -> None:
        admin = await asyncpg.connect(cluster.url("postgres"))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()

    async def _child(self, name: str, *command: str) -> asyncio.subprocess.Process:
        """A helper daemon in the foreground, output to `<name>.log`, stopped on exit."""
        with (self.dir / f"{name}.log").open("ab") as output:
            process = await asyncio.create_subprocess_exec(
                *command,
                cwd=self.dir,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )
        self._stack.push_async_callback(_stop_child, process, 5.0)
        return process

    async def _start_redis(self, port: int | None = None) -> str:
        port = port or free_port()
        redis_dir = self.dir / "redis"
        redis_dir.mkdir(exist_ok=True)
        process = self._redis = await self._child(
            "redis",
            _binary("redis-server", "/usr/bin/redis-server"),
            *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(redis_dir)),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        )
        await _wait_listening(port, process, "redis-server")
        return f"redis://127.0.0.1:{port}/0"

    @contextlib.asynccontextmanager
    async def redis_stopped(self) -> AsyncIterator[None]:
        """Redis dies (SIGKILL) for the block, then comes back, empty, on the same port."""
        port = int(self.redis_url.rsplit(":", 1)[1].split("/")[0])
        assert self._redis is not None
        _signal(self._redis, signal.SIGKILL)
        await self._redis.wait()
        try:
            yield
        finally:
            await self._start_redis(port)

    @contextlib.asynccontextmanager
    async def database_stopped(self) -> AsyncIterator[None]:
        """PostgreSQL stops for the block (a shape started with its own, `pg=None`)."""
        assert self._own_pg is not None, "only a shape's own PostgreSQL can be stopped"
        await asyncio.to_thread(self._own_pg.stop)
        try:
            yield
        finally:
            await asyncio.to_thread(self._own_pg.start)

    async def _start_haproxy(self) -> None:
        config = self.dir / "haproxy.cfg"
        config.write_text(self._haproxy_config())
        haproxy = _binary("haproxy", "/usr/sbin/haproxy")
        check = await asyncio.create_subprocess_exec(
            haproxy,
            *("-c", "-q", "-f", str(config)),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await check.communicate()
        if check.returncode != 0:
            raise RuntimeError(f"haproxy refuses {config}:\n{output.decode(errors='replace')}")
        process = await self._child("haproxy", haproxy, "-db", "-f", str(config))
        # The stats port, not the TLS one: a bare connection there is logged as a failed handshake.
        await _wait_listening(self.stats_port, process, "haproxy")

    def _haproxy_config(self) -> str:
        servers = "\n".join(
            f"    server {p.name} 127.0.0.1:{p.api_port} check" for p in self.processes
        )
        return f"""\
global
    log stdout format raw local0 info
    maxconn 2000

defaults
    mode http
    log global
    option httplog
    # Only failed requests: the tail of this log goes into assertion messages.
    option dontlog-normal
    retries 3
    option redispatch 1
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s
    timeout tunnel 1h

frontend https
    bind 127.0.0.1:{self.lb_port} ssl crt {self.dir / "lb.pem"}
    http-request del-header X-Forwarded-For
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    default_backend ftpgram

backend ftpgram
    balance roundrobin
    option httpchk GET /health
    # A process that answers gets requests; 503 only says a shared part (Telegram, Redis,
    # PostgreSQL) is down, which every process sees alike: taking them all out helps nobody.
    http-check expect rstatus ^(200|503)$
    default-server inter 500 fall 2 rise 2
{servers}

frontend stats
    bind 127.0.0.1:{self.stats_port}
    stats enable
    stats uri /stats
    http-request set-log-level silent
"""

    def _process(self, index: int) -> ClusterProcess:
        name = f"ftpgram{index + 1}"
        directory = self.dir / name
        directory.mkdir()
        port = free_port()
        # A developer's own settings (environment) must not leak into the processes.
        base = {k: v for k, v in os.environ.items() if k.lower() not in Settings.model_fields}
        env = {
            **base,
            "PYTHONUNBUFFERED": "1",
            "BOT_TOKEN": self.fake.token,
            "TELEGRAM_API_URL": self.fake.base_url,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "WEBHOOK_URL": self.webhook_url,
            "PUBLIC_URL": self.lb_url,
            "SECRET_KEY": self.secret_key,
            "METRICS_TOKEN": self.metrics_token,
            "STORAGE_DIR": str(self.storage_dir),
            "DATA_DIR": str(directory / "data"),
            "LOG_FILE": str(directory / "ftpgram.log"),
            "API_HOST": "127.0.0.1",
            "API_PORT": str(port),
            "TRUSTED_PROXIES": "127.0.0.1",
            **self.env_extra,
        }
        return ClusterProcess(name, port, env, directory)

    async def _start_processes(self) -> None:
        if self.stagger:
            for process in self.processes:
                await process.start()
                await process.wait_healthy()
            return
        for process in self.processes:
            await process.start()
        await asyncio.gather(*(p.wait_healthy() for p in self.processes))

    async def _stop_processes(self) -> None:
        await asyncio.gather(*(p.stop() for p in self.processes))

    # ---- looking at it ------------------------------------------------------------------

    def client(self, **kwargs: Any) -> aiohttp.ClientSession:
        """An HTTP session trusting the load balancer's certificate."""
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self.ssl), **kwargs)

    async def health(self, index: int) -> dict[str, Any]:
        """GET /health of process `index`, straight to it, whatever its status code."""
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http,
            http.get(f"{self.processes[index].api_url}/health") as response,
        ):
            body: dict[str, Any] = await response.json()
            return body

    async def healths(self) -> list[dict[str, Any] | None]:
        """/health of every process; None for a process that does not answer."""

        async def one(index: int) -> dict[str, Any] | None:
            with contextlib.suppress(aiohttp.ClientError, TimeoutError, ValueError):
                return await self.health(index)
            return None

        return list(await asyncio.gather(*(one(i) for i in range(len(self.processes)))))

    async def wait_leader(self, timeout: float = 15.0) -> int:
        """Wait until the processes that answer agree: one "leader", the others "follower";
        returns the leader's index."""
        deadline = time.monotonic() + timeout
        healths: list[dict[str, Any] | None] = []
        while time.monotonic() < deadline:
            healths = await self.healths()
            roles = [h.get("role") if h else None for h in healths]
            answering = [role for role in roles if role is not None]
            if answering.count("leader") == 1 and set(answering) <= {"leader", "follower"}:
                return roles.index("leader")
            await asyncio.sleep(0.2)  # an election is seen only through /health
        raise AssertionError(
            f"no single leader within {timeout} s: /health says {healths}\n{self.logs()}"
        )

    async def lb_states(self) -> dict[str, str]:
        """HAProxy's view of each process: "UP", "DOWN", "UP 1/2" (failed a check, still in
        rotation), "DOWN 1/2" (passed a check, not yet in rotation), ..."""
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http,
            http.get(f"http://127.0.0.1:{self.stats_port}/stats;csv") as response,
        ):
            lines = (await response.text()).splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
        return {
            row["svname"]: row["status"]
            for row in rows
            if row["pxname"] == "ftpgram" and row["svname"] not in ("BACKEND", "FRONTEND")
        }

    async def wait_balanced(self, indexes: Iterable[int], timeout: float = 10.0) -> None:
        """Wait until HAProxy sends requests to exactly the processes at `indexes`."""
        wanted = {self.processes[i].name for i in indexes}
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            states = await self.lb_states()
            if {name for name, state in states.items() if state.startswith("UP")} == wanted:
                return
            await asyncio.sleep(0.1)  # HAProxy checks every 0.5 s; its page is all there is
        raise AssertionError(
            f"HAProxy should balance over {sorted(wanted)}, sees {states}\n{self.logs()}"
        )

    def logs(self, lines: int = 30) -> str:
        """The tails of every process's output and log, and of HAProxy's and Redis's."""
        parts = [p.tail(lines) for p in self.processes]
        for name in ("haproxy", "redis"):
            parts.append(f"--- {name} ---\n{_tail(self.dir / f'{name}.log', lines)}")
        return "\n".join(parts)


@contextlib.asynccontextmanager
async def script(shape: ClusterShape, tmp: Path, *, admin_ids: str = "") -> AsyncIterator[Services]:
    """Services on the cluster's database in this process, for making people, stations and
    tokens as an administrator's script would (the processes see them through the database)."""
    settings = load_settings(
        _env_file=None,
        bot_token=shape.fake.token,
        telegram_api_url=shape.fake.base_url,
        database_url=shape.database_url,
        data_dir=tmp,
        storage_dir=shape.storage_dir,
        secret_key=shape.secret_key,
        admin_ids=admin_ids,
    )
    await db.connect(shape.database_url)
    try:
        async with bot_services(settings) as services:
            yield services
    finally:
        await db.close()


async def poll_through(
    shape: ClusterShape, http: aiohttp.ClientSession, admin_token: str, station_ids: Iterable[int]
) -> None:
    """An admin polls each station now ("Poll now"), through the load balancer."""
    for station_id in station_ids:
        async with http.post(
            f"{shape.lb_url}/api/v1/admin/stations/{station_id}/poll/",
            headers=bearer(admin_token),
        ) as response:
            assert response.status == 200, await response.text()


async def request_downloads(
    shape: ClusterShape, http: aiohttp.ClientSession, token: str, file_ids: Iterable[int]
) -> None:
    """A person asks for each station file, through the load balancer."""
    for file_id in file_ids:
        async with http.post(
            f"{shape.lb_url}/api/v1/downloads/",
            json={"station_file_id": file_id},
            headers=bearer(token),
        ) as response:
            assert response.status == 201, await response.text()
