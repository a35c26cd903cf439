"""The FTP/FTPS client of ftpgram: one session per job, listing and transfers for stations.

aioftp runs the control connection. The data connection is ours, because stations differ in ways
aioftp does not handle (see NOTES.md):

- the control channel speaks latin-1, so every name passes through as the bytes the server sent
  (cp1251 or UTF-8); names are decoded for people, and the raw form is kept for RETR;
- data connections are passive (EPSV, then PASV) and always go to the control host, whatever
  private address a PASV reply announces;
- on FTPS the data connection is opened plain, the command is sent, and TLS starts afterwards with
  the control connection's session — vsftpd demands session reuse and starts its handshake only
  once the command has arrived;
- listings use MLSD where the server offers it and LIST (Unix or DOS format) otherwise.

Every failure becomes one `FtpError` whose `kind` says what went wrong and whether trying again
later may help.
"""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import logging
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar

import aioftp
from aioftp.common import SSLSessionBoundContext

from services.core.errors import StationUnavailable
from services.ftp.transfer import Receiver, WriteFailed

log = logging.getLogger(__name__)

T = TypeVar("T")
TlsMode = Literal["none", "explicit", "implicit"]
TLS_MODES: tuple[TlsMode, ...] = ("none", "explicit", "implicit")
NameEncoding = Literal["auto", "utf-8", "cp1251"]
NAME_ENCODINGS: tuple[NameEncoding, ...] = ("auto", "utf-8", "cp1251")
WIRE = "latin-1"  # bytes <-> str one to one on the control channel
READ_SIZE = 1 << 16

ErrorKind = Literal[
    "timeout",
    "unreachable",
    "login",
    "tls",
    "busy",
    "dropped",
    "not_found",
    "protocol",
    "no_resume",  # the station refused REST: the transfer must start from the beginning
]
# Kinds worth retrying soon; the others need a person to change something.
TRANSIENT: frozenset[str] = frozenset({"timeout", "unreachable", "busy", "dropped"})


class FtpError(StationUnavailable):
    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message, code=f"ftp_{kind}")
        self.kind: ErrorKind = kind

    @property
    def transient(self) -> bool:
        return self.kind in TRANSIENT


@dataclass(frozen=True)
class FtpTarget:
    """How to reach a station. `password` is plain here; it never leaves this process."""

    host: str
    port: int = 21
    login: str = "anonymous"
    password: str = ""
    tls: TlsMode = "none"
    verify_tls: bool = True
    encoding: NameEncoding = "auto"
    ca_file: Path | None = None
    timeout: float = 30.0

    def __repr__(self) -> str:  # never show the password in logs or tracebacks
        return f"FtpTarget({self.host}:{self.port}, login={self.login!r}, tls={self.tls})"


@dataclass(frozen=True, slots=True)
class RemoteFile:
    remote_path: str  # the server's bytes as latin-1 text: what RETR must send
    path: str  # decoded for people
    size: int
    modified_at: datetime | None
    precision: int = 1  # seconds `modified_at` is exact to (LIST shows minutes or days)


@dataclass(frozen=True)
class Listing:
    files: list[RemoteFile]
    # Folders below the root that could not be listed (550: gone meanwhile, or not readable):
    # files under them were not seen, which does not mean they are gone.
    skipped: list[str]


MAX_DEPTH = 32


def decode_name(raw: str, encoding: NameEncoding) -> str:
    """A name as people read it: UTF-8 when it is valid UTF-8 (or so configured), else cp1251."""
    data = raw.encode(WIRE)
    if encoding != "cp1251":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            if encoding == "utf-8":
                return data.decode("utf-8", errors="replace")
    return data.decode("cp1251", errors="replace")


def encode_name(name: str, encoding: NameEncoding) -> str:
    """The wire form of a name typed by a person (a station's root folder)."""
    codec = "cp1251" if encoding == "cp1251" else "utf-8"
    try:
        return name.encode(codec).decode(WIRE)
    except UnicodeEncodeError as error:
        raise FtpError("protocol", f"The name {name!r} cannot be written in {codec}") from error


class Masks:
    """Include / exclude shell patterns, matched case-insensitively against the base name, or
    against the path below the root when the pattern has a slash."""

    def __init__(self, include: Sequence[str], exclude: Sequence[str]) -> None:
        self.include = [m.lower() for m in include if m.strip()]
        self.exclude = [m.lower() for m in exclude if m.strip()]

    @staticmethod
    def _any(patterns: list[str], relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatchcase(relative if "/" in p else name, p) for p in patterns)

    def wants_file(self, relative: str) -> bool:
        relative = relative.lower()
        if self.exclude and self._any(self.exclude, relative):
            return False
        return not self.include or self._any(self.include, relative)

    def wants_folder(self, relative: str) -> bool:
        return not self.exclude or not self._any(self.exclude, relative.lower())


# ---- listing formats ---------------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_UNIX = re.compile(
    r"^([-dl])\S*\s+.*?(\d+)\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}:\d{2}|\d{4})\s(.*)$"
)
_DOS = re.compile(
    r"^(\d{2})-(\d{2})-(\d{2}(?:\d{2})?)\s+(\d{1,2}):(\d{2})\s*([AaPp][Mm])?\s+(<DIR>|\d+)\s+(.*)$"
)


class Entry(NamedTuple):
    name: str  # wire form
    folder: bool
    size: int
    modified: datetime | None
    precision: int  # seconds the listing's time is exact to: 1, 60 or 86400
    unique: str | None = None  # MLSD's `unique` fact: the same folder reached twice


def _lines(text: str) -> list[str]:
    """Lines of a listing. Only CR LF / LF end a line: in latin-1 text, `splitlines` would also
    split on bytes such as 0x85, which occur inside UTF-8 and cp1251 names."""
    return [line.removesuffix("\r") for line in text.split("\n") if line.strip()]


def _unreadable(lines: list[str]) -> FtpError:
    sample = lines[0][:80]
    return FtpError("protocol", f"The station's listing format is not understood: {sample!r}")


def parse_mlsd(text: str) -> list[Entry]:
    entries: list[Entry] = []
    lines = _lines(text)
    for line in lines:
        facts_text, sep, name = line.partition(" ")
        if not sep or not name:
            continue
        facts = {}
        for fact in facts_text.split(";"):
            key, eq, value = fact.partition("=")
            if eq:
                facts[key.lower()] = value
        kind = facts.get("type", "").lower()
        if kind not in ("file", "dir"):
            continue  # cdir, pdir, links and devices
        modified = None
        stamp = facts.get("modify", "")
        if len(stamp) >= 14 and stamp[:14].isdigit():
            with contextlib.suppress(ValueError):
                modified = datetime.strptime(stamp[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        size = facts.get("size", "0")
        entries.append(
            Entry(
                name,
                kind == "dir",
                int(size) if size.isascii() and size.isdigit() else 0,
                modified,
                1,
                facts.get("unique"),
            )
        )
    if lines and not any("type=" in line.lower() for line in lines):
        raise _unreadable(lines)
    return entries


def parse_list(text: str, now: datetime) -> list[Entry]:
    """`LIST` output in the Unix `ls -l` or the DOS format; links and odd lines are skipped.

    A listing none of whose lines can be read raises: an empty result would mark every file
    on the station gone."""
    entries: list[Entry] = []
    dates: dict[tuple[str, str, str], datetime | None] = {}
    lines = _lines(text)
    understood = 0
    for line in lines:
        match = _UNIX.match(line)
        if match:
            understood += 1
            kind, size, month, day, clock, name = match.groups()
            if kind == "l":
                continue  # a link may point anywhere; stations publish plain files
            key = (month, day, clock)
            if key not in dates:
                dates[key] = _unix_date(month, day, clock, now)
            modified = dates[key]
            precision = 60 if ":" in clock else 86400
        else:
            dos = _DOS.match(line)
            if not dos:
                continue
            understood += 1
            mm, dd, yy, hh, mi, ampm, size, name = dos.groups()
            kind = "d" if size == "<DIR>" else "-"
            modified = _dos_date(mm, dd, yy, hh, mi, ampm)
            size = "0" if kind == "d" else size
            precision = 60
        if name in (".", ".."):
            continue
        entries.append(Entry(name, kind == "d", int(size), modified, precision))
    content = [line for line in lines if not line.lower().startswith("total")]
    if content and not understood:
        raise _unreadable(content)
    return entries


def _unix_date(month: str, day: str, clock: str, now: datetime) -> datetime | None:
    number = _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        if ":" in clock:  # within the last half year: the year is implied
            hour, minute = clock.split(":")
            stamp = datetime(now.year, number, int(day), int(hour), int(minute), tzinfo=UTC)
            if stamp > now + timedelta(days=1):
                stamp = stamp.replace(year=now.year - 1)
            return stamp
        return datetime(int(clock), number, int(day), tzinfo=UTC)
    except ValueError:
        return None


def _dos_date(mm: str, dd: str, yy: str, hh: str, mi: str, ampm: str | None) -> datetime | None:
    year = int(yy) + (2000 if len(yy) == 2 and int(yy) < 70 else 1900 if len(yy) == 2 else 0)
    hour = int(hh) % 12 + (12 if ampm and ampm.lower() == "pm" else 0) if ampm else int(hh)
    try:
        return datetime(year, int(mm), int(dd), hour, int(mi), tzinfo=UTC)
    except ValueError:
        return None


# ---- the session -------------------------------------------------------------------------------


def tls_context(target: FtpTarget) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=str(target.ca_file) if target.ca_file else None)
    if target.ca_file:
        context.load_default_certs()
    if not target.verify_tls:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


_BUSY_WORDS = ("too many", "maximum", "limit", "try again", "overloaded")


def _classify(error: BaseException) -> FtpError:
    """The FtpError for what went wrong talking to a station. Local failures (WriteFailed: the
    partial file could not be written) and programming errors are raised unchanged."""
    if isinstance(error, FtpError):
        return error
    if isinstance(error, WriteFailed):
        raise error
    if isinstance(error, aioftp.StatusCodeError):
        code = str(error.received_codes[-1]) if error.received_codes else ""
        reply = " ".join(str(line) for line in error.info).strip()[:300]
        text = f"{code} {reply}".strip()
        if code in ("421", "425", "450") or (
            code == "530" and any(w in reply.lower() for w in _BUSY_WORDS)
        ):
            return FtpError("busy", f"The station is busy: {text}")
        if code in ("530", "331", "332"):
            return FtpError("login", f"The station refused the login: {text}")
        if code in ("550", "553"):
            return FtpError("not_found", f"Not found on the station: {text}")
        if code in ("426", "451"):
            return FtpError("dropped", f"The station aborted the transfer: {text}")
        if code in ("522", "534"):
            return FtpError("tls", f"The station refused the TLS setup: {text}")
        if code[:1] in ("1", "2"):
            # A positive answer out of turn (a second greeting, a late reply): the conversation
            # lost step, which a new connection mends; the request itself was not refused.
            return FtpError("dropped", f"The station answered out of turn: {text}")
        return FtpError("protocol", f"Unexpected answer from the station: {text}")
    if isinstance(error, ssl.SSLCertVerificationError):
        return FtpError("tls", f"The station's certificate is not trusted: {error.verify_message}")
    if isinstance(error, ssl.SSLError):
        return FtpError("tls", f"TLS failed: {error.reason or error}")
    if isinstance(error, TimeoutError):
        return FtpError("timeout", "The station did not answer in time")
    if isinstance(error, ConnectionRefusedError):
        return FtpError("unreachable", "The station refused the connection")
    if isinstance(error, ConnectionError | asyncio.IncompleteReadError | EOFError):
        return FtpError("dropped", "The station closed the connection")
    if isinstance(error, OSError):
        return FtpError("unreachable", f"The station cannot be reached: {error.strerror or error}")
    if isinstance(error, UnicodeError | ValueError | IndexError):
        return FtpError("protocol", f"The station sent something unreadable: {error}")
    raise error


@contextlib.contextmanager
def _ftp_errors() -> Iterator[None]:
    try:
        yield
    except (
        aioftp.StatusCodeError,
        OSError,
        EOFError,
        asyncio.IncompleteReadError,
        UnicodeError,
        ValueError,
        IndexError,
    ) as error:
        raise _classify(error) from error


class FtpSession:
    """One logged-in control connection. Use `connect()`; the session closes on exit.

    Every method raises FtpError for the station's failures; after one, `broken` says whether
    the control connection can still be used.
    """

    def __init__(self, target: FtpTarget) -> None:
        self.target = target
        self._context = tls_context(target) if target.tls != "none" else None
        self._client = aioftp.Client(
            socket_timeout=target.timeout,
            connection_timeout=target.timeout,
            encoding=WIRE,
            ssl=self._context if target.tls == "implicit" else None,
        )
        self._mlsd: bool | None = None
        self._epsv = True
        self._binary = False
        self._features: set[str] = set()
        self._data_host = target.host
        self._reply_pending = False  # a transfer command was accepted; its final reply is due
        self.broken = False

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, target: FtpTarget) -> AsyncIterator[FtpSession]:
        session = cls(target)
        try:
            with _ftp_errors():
                await session._open()
        except BaseException:
            session._client.close()
            raise
        try:
            yield session
        finally:
            await session.close()

    async def _open(self) -> None:
        target, client = self.target, self._client
        await client.connect(target.host, target.port)
        # Data connections go where the control connection went (not to another address of
        # the same name, nor to whatever a PASV reply says).
        peer = client.stream.writer.transport.get_extra_info("peername")
        if peer:
            self._data_host = str(peer[0])
        if target.tls == "explicit":
            assert self._context is not None
            await client.upgrade_to_tls(self._context)
        # Passwords are sent as UTF-8 bytes; latin-1 carries them through unchanged.
        await client.login(target.login, target.password.encode().decode(WIRE))
        if target.tls == "implicit":
            await client.command("PBSZ 0", "200")
            await client.command("PROT P", "200")
        _code, lines = await client.command("FEAT", ("2xx", "5xx"))
        self._features = {line.strip().split(" ")[0].upper() for line in lines}

    async def close(self) -> None:
        if not self.broken:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._client.command("QUIT", "2xx"), 2)
        self._client.close()

    # -- data connections --

    async def _passive_port(self) -> int:
        if not self._binary:
            await self._client.command("TYPE I", "200")
            self._binary = True
        if self._epsv:
            try:
                _code, info = await self._client.command("EPSV", "229")
                return self._client.parse_epsv_response(info[-1])[1]
            except aioftp.StatusCodeError as error:
                if not str(error.received_codes[-1]).startswith("5"):
                    raise
                self._epsv = False  # remembered: one round trip less per folder
        _code, info = await self._client.command("PASV", "227")
        return self._client.parse_pasv_response(info[-1])[1]

    async def _recover(self) -> None:
        """After a transfer stopped early: read the reply it left pending (226, 426, 451), or
        give the control connection up when none comes. A command the station refused left
        nothing pending."""
        if not self._reply_pending:
            return
        self._reply_pending = False
        try:
            await asyncio.wait_for(self._client.command(None, ("2xx", "4xx", "5xx")), 3)
        except Exception:
            self.broken = True
            self._client.close()

    async def _finish(self) -> None:
        """Read a transfer's final reply."""
        self._reply_pending = False
        with _ftp_errors():
            await self._client.command(None, "2xx", "1xx")

    async def _open_transfer(
        self, command: str, offset: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        port = await self._passive_port()
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(self._data_host, port), self.target.timeout
        )
        try:
            await self._send(
                command,
                offset,
                lambda context: writer.start_tls(
                    context,
                    server_hostname=self.target.host,
                    ssl_handshake_timeout=self.target.timeout,
                ),
            )
        except BaseException:
            writer.close()
            raise
        return reader, writer

    @contextlib.asynccontextmanager
    async def transfer(
        self, command: str, *, offset: int = 0
    ) -> AsyncIterator[tuple[asyncio.StreamReader, asyncio.StreamWriter]]:
        """A data connection carrying `command`'s data; the final reply is checked on exit.
        Errors raised by the caller's block pass through unchanged."""
        with _ftp_errors():
            reader, writer = await self._open_transfer(command, offset)
        try:
            yield reader, writer
        except BaseException:
            writer.close()
            await self._recover()
            raise
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), 2)
        await self._finish()

    async def stamp(self, remote_path: str) -> str:
        """The file's modification time as the station tells it (MDTM, to the second, UTC), or
        "" when it cannot tell: what a resumed transfer compares to see that the file it
        continues is still the one it started."""
        try:
            with _ftp_errors():
                _code, info = await self._client.command(f"MDTM {remote_path}", "213")
        except FtpError as error:
            if error.kind in ("not_found", "protocol"):
                return ""  # no MDTM here (or not for this file): nothing to compare
            raise
        return " ".join(info).strip()[:32]

    async def retrieve(
        self, remote_path: str, receiver: Receiver, *, offset: int = 0, idle: float | None = None
    ) -> int:
        """RETR `remote_path` from `offset` into `receiver`; returns the partial file's size.

        The data connection is read by `receiver` itself (no stream in between). A transfer that
        receives nothing for `idle` seconds (default: the session timeout) fails as a timeout;
        a write failure on our side raises WriteFailed.
        """
        loop = asyncio.get_running_loop()
        with _ftp_errors():
            port = await self._passive_port()
            transport, _ = await asyncio.wait_for(
                loop.create_connection(lambda: receiver, self._data_host, port),
                self.target.timeout,
            )
        try:
            with _ftp_errors():
                upgraded = await self._send(
                    f"RETR {remote_path}",
                    offset,
                    lambda context: self._start_tls(transport, receiver, context),
                )
            if upgraded is not None:
                transport = upgraded
                receiver.connection_made(upgraded)
            limit = idle or self.target.timeout
            seen = -1
            while not receiver.done.done():
                if receiver.received == seen:
                    raise FtpError("timeout", "The station stopped sending")
                seen = receiver.received
                await asyncio.wait({receiver.done}, timeout=limit)
            with _ftp_errors():
                size = receiver.done.result()
        except BaseException:
            transport.close()
            await self._recover()
            raise
        transport.close()
        await self._finish()
        return size

    async def _start_tls(
        self, transport: asyncio.Transport, protocol: asyncio.BaseProtocol, context: ssl.SSLContext
    ) -> asyncio.Transport:
        """TLS on a data connection that the caller reads with its own protocol.

        A connection the station already closed (say, after refusing the command) is refused
        here: asyncio would start a handshake on it that nothing ever ends, and leave its TLS
        transport unclosed. Between this check and asyncio taking the connection over there is
        no await, so a later close reaches the TLS layer."""
        if transport.is_closing():
            raise ConnectionResetError("The station closed the data connection")
        upgraded = await asyncio.get_running_loop().start_tls(
            transport,
            protocol,
            context,
            server_hostname=self.target.host,
            ssl_handshake_timeout=self.target.timeout,
        )
        if upgraded is None:  # typeshed allows it; asyncio only returns None on a closed loop
            raise ConnectionResetError("The data connection closed during the TLS handshake")
        return upgraded

    async def _send(
        self,
        command: str,
        offset: int,
        handshake: Callable[[ssl.SSLContext], Awaitable[T]],
    ) -> T | None:
        """Send `command` (after REST `offset`) for an open data connection and wait for its
        1xx reply; on FTPS run `handshake` on the data connection meanwhile and return its
        result. vsftpd answers first and shakes hands after, other servers the other way
        round, so the reply is read while the handshake runs."""
        if offset:
            try:
                await self._client.command(f"REST {offset}", "350")
            except aioftp.StatusCodeError as error:
                if not any(str(code).startswith("5") for code in error.received_codes):
                    raise
                raise FtpError("no_resume", "The station cannot resume a transfer") from error
        await self._client.command(command)  # send only; the reply is read below
        self._reply_pending = True
        if self._context is None:
            await self._accepted()
            return None
        task: asyncio.Future[T] = asyncio.ensure_future(handshake(self._data_context()))
        try:
            await self._accepted()
            return await task
        finally:
            if not task.done():
                task.cancel()
                await asyncio.wait({task})
            elif not task.cancelled():
                task.exception()  # retrieved: never "exception was never retrieved"

    async def _accepted(self) -> None:
        """Read the 1xx reply to a transfer command; a refusal is its final reply."""
        try:
            await self._client.command(None, "1xx")
        except aioftp.StatusCodeError:
            self._reply_pending = False
            raise

    def _data_context(self) -> ssl.SSLContext:
        """The TLS context for a data connection: bound to the control connection's session."""
        assert self._context is not None
        ssl_object = self._client.stream.writer.transport.get_extra_info("ssl_object")
        if ssl_object is not None and ssl_object.session is not None:
            return SSLSessionBoundContext(
                ssl.PROTOCOL_TLS_CLIENT, context=self._context, session=ssl_object.session
            )
        return self._context

    async def _read_all(self, command: str) -> str:
        chunks: list[bytes] = []
        with _ftp_errors():
            async with self.transfer(command) as (reader, _writer):
                while chunk := await asyncio.wait_for(reader.read(READ_SIZE), self.target.timeout):
                    chunks.append(chunk)
        return b"".join(chunks).decode(WIRE)

    # -- listing --

    async def list_folder(self, folder: str) -> list[Entry]:
        """Entries of one folder (`folder` in wire form)."""
        with _ftp_errors():
            await self._client.command(f"CWD {folder}", "2xx")
        if self._mlsd is None:
            self._mlsd = "MLST" in self._features
        if self._mlsd:
            try:
                return parse_mlsd(await self._read_all("MLSD"))
            except FtpError as error:
                if error.code not in ("ftp_protocol",) or self.broken:
                    raise
                self._mlsd = False  # 500/502: no MLSD after all
        return parse_list(await self._read_all("LIST"), datetime.now(UTC))

    async def walk(self, root: str, masks: Masks) -> Listing:
        """Every file below `root` (wire form) to any depth that the masks let through.

        Hidden names (a leading dot) are skipped: uploaders write temporary files that way, and
        some servers (vsftpd) never list them. A folder that cannot be entered (550) below the
        root is skipped and reported; a folder that leads back to one above it (a link) is not
        entered again; nothing deeper than MAX_DEPTH is listed.
        """
        root = "/" + root.strip("/") if root.strip("/") else "/"

        def decode(wire: str) -> str:
            return decode_name(wire, self.target.encoding)

        found: dict[str, RemoteFile] = {}
        skipped: list[str] = []
        seen_unique: set[str] = set()
        # (wire path, decoded path, depth, signatures of the folders above)
        folders: list[tuple[str, str, int, tuple[str, ...]]] = [
            (root, "/".join(decode(part) for part in root.split("/")), 0, ())
        ]
        root_shown = folders[0][1]
        skip = len(root_shown) + 1 if root != "/" else 1
        while folders:
            folder, shown, depth, above = folders.pop()
            try:
                entries = await self.list_folder(folder)
            except FtpError as error:
                if error.kind != "not_found" or folder == root:
                    raise
                log.info("Skipped a folder the station would not open: %s", shown)
                skipped.append(folder)
                continue
            signature = repr(sorted((e.name, e.folder, e.size) for e in entries))
            if signature in above:
                continue  # the same content as a folder above: a link back up
            base, base_shown = ("", "") if folder == "/" else (folder, shown)
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                wire = f"{base}/{entry.name}"
                path = f"{base_shown}/{decode(entry.name)}"
                relative = path[skip:]
                if entry.folder:
                    if entry.unique is not None:
                        if entry.unique in seen_unique:
                            continue
                        seen_unique.add(entry.unique)
                    if depth < MAX_DEPTH and masks.wants_folder(relative):
                        folders.append((wire, path, depth + 1, (*above, signature)))
                elif masks.wants_file(relative):
                    found[wire] = RemoteFile(
                        wire, path, entry.size, entry.modified, entry.precision
                    )
        return Listing(list(found.values()), skipped)
