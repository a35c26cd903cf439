"""Real FTP servers on 127.0.0.1 for the tests: aioftp's server, pyftpdlib (plain, explicit FTPS,
cp1251 names) and Debian's vsftpd (explicit and implicit FTPS, which demands TLS session reuse on
the data connection).

Each server serves a directory the test fills; `FtpEndpoint` says how to reach it.
"""

from __future__ import annotations

import contextlib
import ftplib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aioftp
import trustme
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler, TLS_FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import ThreadedFTPServer

from tests.support.net import free_port

Tls = Literal["none", "explicit", "implicit"]
LOGIN = "station"
PASSWORD = "s3cret-Pass"


@dataclass(frozen=True)
class FtpEndpoint:
    name: str
    host: str
    port: int
    login: str
    password: str
    root: Path
    tls: Tls = "none"
    encoding: str = "utf-8"
    ca_file: Path | None = None


@dataclass(frozen=True)
class Certificates:
    ca: trustme.CA
    ca_file: Path
    cert_file: Path
    key_file: Path

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.ca_file))
        return context


@contextlib.contextmanager
def certificates() -> Iterator[Certificates]:
    """A throwaway CA and a server certificate for 127.0.0.1 and localhost."""
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    with tempfile.TemporaryDirectory(prefix="ftpgram-certs-") as folder:
        base = Path(folder)
        ca_file, cert_file, key_file = base / "ca.pem", base / "cert.pem", base / "key.pem"
        ca.cert_pem.write_to_path(str(ca_file))
        server.cert_chain_pems[0].write_to_path(str(cert_file))
        for extra in server.cert_chain_pems[1:]:
            extra.write_to_path(str(cert_file), append=True)
        server.private_key_pem.write_to_path(str(key_file))
        yield Certificates(ca, ca_file, cert_file, key_file)


# ---- aioftp ----------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def aioftp_server(root: Path) -> AsyncIterator[FtpEndpoint]:
    user = aioftp.User(LOGIN, PASSWORD, base_path=root)
    server = aioftp.Server([user])
    await server.start(host="127.0.0.1", port=0)
    port = server.server.sockets[0].getsockname()[1]
    try:
        yield FtpEndpoint("aioftp", "127.0.0.1", port, LOGIN, PASSWORD, root)
    finally:
        await server.close()


# ---- pyftpdlib ---------------------------------------------------------------------------------


class _Cp1251Handler(FTPHandler):
    """Sends and expects file names in cp1251, as many Russian station servers do."""

    encoding = "cp1251"


def _dropping(base: type[FTPHandler], drop: threading.Event) -> type[FTPHandler]:
    """A handler that, while `drop` is set, hangs up in the middle of listing a subfolder."""

    class Dropping(base):
        def _maybe_drop(self, path: str) -> bool:
            if drop.is_set() and path.rstrip("/") != self.fs.root.rstrip("/"):
                self.respond("150 Here comes the listing.")
                self.close()
                return True
            return False

        def ftp_MLSD(self, path: str) -> Any:
            return None if self._maybe_drop(path) else super().ftp_MLSD(path)

        def ftp_LIST(self, path: str) -> Any:
            return None if self._maybe_drop(path) else super().ftp_LIST(path)

    return Dropping


@contextlib.contextmanager
def pyftpdlib_server(
    root: Path,
    *,
    tls: Tls = "none",
    encoding: str = "utf-8",
    certs: Certificates | None = None,
    max_connections: int = 0,
    drop: threading.Event | None = None,
    rate: int = 0,
    rest: bool = True,
    drop_every: int = 0,
) -> Iterator[FtpEndpoint]:
    """pyftpdlib serving `root`. `max_connections` makes it answer 421 beyond that many
    clients; `drop`, while set, makes it hang up in the middle of listing a subfolder; `rate`
    limits sending to that many bytes a second; `rest=False` refuses to resume (REST);
    `drop_every` aborts every file transfer (426) once it has sent that many bytes."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(LOGIN, PASSWORD, str(root), perm="elradfmwMT")
    handler: Any
    if tls == "explicit":
        assert certs is not None
        cert_file, key_file = str(certs.cert_file), str(certs.key_file)

        class Handler(TLS_FTPHandler):
            certfile = cert_file
            keyfile = key_file
            tls_control_required = True
            tls_data_required = True

        handler = Handler
    elif tls == "none":
        handler = _Cp1251Handler if encoding == "cp1251" else type("Handler", (FTPHandler,), {})
    else:
        raise ValueError("pyftpdlib has no implicit FTPS; use vsftpd")
    if drop is not None:
        handler = _dropping(handler, drop)
    if not rest:
        commands = {k: v for k, v in handler.proto_cmds.items() if k != "REST"}
        handler = type("NoRest", (handler,), {"proto_cmds": commands})
    if rate or drop_every:
        dtp: Any = type("Dtp", (ThrottledDTPHandler,), {"write_limit": rate or 64 << 20})
        if drop_every:
            dtp = _aborting(dtp, drop_every)
        handler = type("Throttled", (handler,), {"dtp_handler": dtp})
    handler.authorizer = authorizer
    handler.passive_ports = None
    handler.log_prefix = "pyftpdlib %(username)s: "
    server = ThreadedFTPServer(("127.0.0.1", 0), handler, ioloop=IOLoop())
    server.max_cons = max_connections
    port = server.socket.getsockname()[1]
    with serving(server):
        yield FtpEndpoint(
            f"pyftpdlib-{tls}-{encoding}",
            "127.0.0.1",
            port,
            LOGIN,
            PASSWORD,
            root,
            tls=tls,
            encoding=encoding,
            ca_file=certs.ca_file if certs else None,
        )


@contextlib.contextmanager
def serving(server: ThreadedFTPServer) -> Iterator[None]:
    """Run a pyftpdlib server on a thread of its own for the block. That thread also closes it:
    closed from another thread, its poll would meet a closed descriptor (EBADF). Each server
    needs an IOLoop of its own: pyftpdlib's shared one is closed by whichever server stops
    first."""
    # pyftpdlib shares these between every server of the class: one server's close would end
    # the sessions of all the others.
    server._exit = threading.Event()
    server._lock = threading.Lock()
    stop = threading.Event()

    def run() -> None:
        try:
            while not stop.is_set():
                server.serve_forever(timeout=0.05, blocking=False, handle_exit=False)
        finally:
            server.close_all()

    thread = threading.Thread(target=run, name="pyftpdlib", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _aborting(dtp: Any, limit: int) -> Any:
    """A data channel that drops a file transfer after `limit` bytes, as a flaky link would."""

    class Aborting(dtp):
        sent = 0

        def send(self, data: bytes) -> int:
            count: int = super().send(data)
            self.sent += count
            if self.sent >= limit and self.file_obj is not None and not self._closed:
                self.close()
                self.cmd_channel.respond("426 Connection closed; transfer aborted.")
            return count

    return Aborting


# ---- vsftpd ------------------------------------------------------------------------------------


def vsftpd_binary() -> str:
    found = shutil.which("vsftpd") or (
        "/usr/sbin/vsftpd" if Path("/usr/sbin/vsftpd").exists() else None
    )
    if found is None:
        raise RuntimeError(
            "vsftpd is not installed (Debian: apt-get install vsftpd, as .ci/run does)"
        )
    return found


@contextlib.contextmanager
def vsftpd_server(
    root: Path, *, tls: Tls, certs: Certificates, port: int = 0, rate: int = 0
) -> Iterator[FtpEndpoint]:
    """vsftpd, anonymous login chrooted to `root`; with `tls` explicit or implicit, TLS is
    required on control and data connections (with session reuse), with "none" it is off.
    `port` restarts a server on a known port; `rate` limits sending to that many bytes a second.
    Leaving the block kills vsftpd with every session it runs, as a crash would.

    vsftpd's real users come from PAM; anonymous login keeps the fixture free of system users.
    """
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="ftpgram-vsftpd-") as folder:
        base = Path(folder)
        empty = base / "empty"
        empty.mkdir(mode=0o755)
        config = base / "vsftpd.conf"
        lines = {
            "listen": "YES",
            "listen_ipv6": "NO",
            "listen_address": "127.0.0.1",
            "listen_port": str(port),
            "background": "NO",
            "anonymous_enable": "YES",
            "local_enable": "NO",
            "write_enable": "NO",
            "anon_root": str(root),
            "no_anon_password": "YES",
            "anon_world_readable_only": "NO",
            "ftp_username": "ftp",  # vsftpd enters this user's home before anon_root
            "nopriv_user": "nobody",
            "secure_chroot_dir": str(empty),
            "seccomp_sandbox": "NO",
            "isolate": "NO",
            "isolate_network": "NO",
            "ssl_enable": "NO" if tls == "none" else "YES",
            "allow_anon_ssl": "YES",
            "force_anon_logins_ssl": "YES",
            "force_anon_data_ssl": "YES",
            "require_ssl_reuse": "YES",
            "ssl_ciphers": "HIGH",
            "implicit_ssl": "YES" if tls == "implicit" else "NO",
            "rsa_cert_file": str(certs.cert_file),
            "rsa_private_key_file": str(certs.key_file),
            "xferlog_enable": "NO",
            "dirmessage_enable": "NO",
            "use_localtime": "NO",
            "pasv_enable": "YES",
            "max_clients": "50",
            "max_per_ip": "50",
            "anon_max_rate": str(rate),
        }
        config.write_text("".join(f"{k}={v}\n" for k, v in lines.items()))
        process = subprocess.Popen(
            [vsftpd_binary(), str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_listening(port, process)
            yield FtpEndpoint(
                f"vsftpd-{tls}",
                "127.0.0.1",
                port,
                "anonymous",
                "ftpgram@example.org",
                root,
                tls=tls,
                ca_file=certs.ca_file,
            )
        finally:
            _kill_running(str(config))
            process.wait(timeout=5)
            if process.stdout:
                process.stdout.close()


def _kill_running(config: str) -> None:
    """Kill every process running this vsftpd configuration: the listener and its sessions
    (which start their own process sessions, so a process group does not catch them)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if config.encode() in arguments:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(int(entry.name), signal.SIGKILL)


def _wait_listening(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"vsftpd exited with {process.returncode}: {output}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError("vsftpd did not start listening")


# ---- a reference client for checking the fixtures themselves -----------------------------------


class _ReusingFTP_TLS(ftplib.FTP_TLS):
    """ftplib's FTPS with TLS session reuse on the data connection (vsftpd demands it)."""

    def ntransfercmd(
        self, cmd: str, rest: int | str | None = None
    ) -> tuple[socket.socket, int | None]:
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:  # type: ignore[attr-defined]
            conn = self.context.wrap_socket(
                conn,
                server_hostname=self.host,
                session=self.sock.session,  # type: ignore[union-attr]
            )
        return conn, size


class _ImplicitFTP_TLS(_ReusingFTP_TLS):
    def connect(
        self,
        host: str = "",
        port: int = 0,
        timeout: float = -999,
        source_address: tuple[str, int] | None = None,
    ) -> str:
        self.host, self.port = host, port
        raw = socket.create_connection((host, port), 10)
        self.af = raw.family
        self.sock = self.context.wrap_socket(raw, server_hostname=host)
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome


def reference_listing(endpoint: FtpEndpoint) -> list[bytes]:
    """Raw NLST names (bytes as the server sent them), through Python's ftplib."""
    client: ftplib.FTP
    context = ssl.create_default_context(cafile=str(endpoint.ca_file)) if endpoint.ca_file else None
    if endpoint.tls == "explicit":
        client = _ReusingFTP_TLS(context=context, encoding="latin-1")
    elif endpoint.tls == "implicit":
        client = _ImplicitFTP_TLS(context=context, encoding="latin-1")
    else:
        client = ftplib.FTP(encoding="latin-1")
    with client:
        client.connect(endpoint.host, endpoint.port, timeout=10)
        if endpoint.tls == "explicit":
            assert isinstance(client, ftplib.FTP_TLS)
            client.auth()
        client.login(endpoint.login, endpoint.password)
        if isinstance(client, ftplib.FTP_TLS):
            client.prot_p()
        try:
            names = client.nlst()
        except ftplib.error_perm as error:
            if not str(error).startswith("502"):
                raise
            names = [name for name, _facts in client.mlsd()]  # aioftp's server has no NLST
        return sorted(name.encode("latin-1") for name in names)


# ---- one entry point for "a station of this kind" ----------------------------------------------

STATION_KINDS = (
    "aioftp",
    "pyftpdlib",
    "pyftpdlib-cp1251",
    "pyftpdlib-explicit",
    "vsftpd",
    "vsftpd-explicit",
    "vsftpd-implicit",
)


@contextlib.asynccontextmanager
async def station_server(kind: str, root: Path, certs: Certificates) -> AsyncIterator[FtpEndpoint]:
    """A running FTP server of `kind` (one of `STATION_KINDS`) serving `root`."""
    if kind == "aioftp":
        async with aioftp_server(root) as endpoint:
            yield endpoint
        return
    sync: contextlib.AbstractContextManager[FtpEndpoint]
    if kind == "pyftpdlib":
        sync = pyftpdlib_server(root)
    elif kind == "pyftpdlib-cp1251":
        sync = pyftpdlib_server(root, encoding="cp1251")
    elif kind == "pyftpdlib-explicit":
        sync = pyftpdlib_server(root, tls="explicit", certs=certs)
    elif kind == "vsftpd":
        sync = vsftpd_server(root, tls="none", certs=certs)
    elif kind == "vsftpd-explicit":
        sync = vsftpd_server(root, tls="explicit", certs=certs)
    elif kind == "vsftpd-implicit":
        sync = vsftpd_server(root, tls="implicit", certs=certs)
    else:
        raise ValueError(kind)
    with sync as endpoint:
        yield endpoint
