"""A throwaway PostgreSQL cluster on 127.0.0.1 for the tests and for generating migrations.

Uses the server binaries on PATH or under /usr/lib/postgresql/*/bin (Debian's layout). PostgreSQL
refuses to run as root, so under root the cluster belongs to the `postgres` (or `nobody`) user.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.net import free_port


def find_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    if candidates:
        return str(candidates[0])
    raise RuntimeError(
        f"PostgreSQL's {name} was not found; install the server (Debian: apt-get install "
        "postgresql), as .ci/setup does"
    )


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    user: str
    # pg_ctl for this cluster (with "stop" or "start"), when this module started it.
    control: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    def url(self, database: str) -> str:
        return f"postgres://{self.user}@{self.host}:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server (every connection ends), as a crash or a restart would."""
        assert self.control is not None, "only a cluster started here can be stopped"
        self.control("stop")

    def start(self) -> None:
        """Start it again after `stop`, on the same port."""
        assert self.control is not None, "only a cluster started here can be started"
        self.control("start")


def _run_as() -> tuple[str | None, int | None, int | None]:
    if os.geteuid() != 0:
        return None, None, None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return name, entry.pw_uid, entry.pw_gid
    raise RuntimeError("running as root and no 'postgres' or 'nobody' user to run PostgreSQL as")


@contextlib.contextmanager
def temporary_cluster() -> Iterator[Cluster]:
    owner, uid, gid = _run_as()
    base = Path(tempfile.mkdtemp(prefix="ftpgram-pg-"))
    data = base / "data"
    data.mkdir()
    if owner is not None:
        for path in (base, data):
            shutil.chown(path, user=owner)
    port = free_port()
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    subprocess.run(
        [
            find_bin("initdb"),
            "-D",
            str(data),
            "-U",
            "ftpgram",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
        env=env,
        user=uid,
        group=gid,
    )
    options = (
        f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )

    def control(action: str) -> None:
        mode = ["-m", "fast"] if action == "stop" else ["-o", options, "-l", str(base / "log")]
        subprocess.run(
            [find_bin("pg_ctl"), "-D", str(data), *mode, "-w", action],
            check=True,
            capture_output=True,
            env=env,
            user=uid,
            group=gid,
        )

    control("start")
    try:
        yield Cluster(host="127.0.0.1", port=port, user="ftpgram", control=control)
    finally:
        subprocess.run(
            [find_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=env,
            user=uid,
            group=gid,
        )
        shutil.rmtree(base, ignore_errors=True)
