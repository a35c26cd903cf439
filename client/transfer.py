"""Uploads and downloads that survive broken connections and interrupted runs.

- Upload: the file is hashed first; content the server has for you already is not sent again
  (`/files/slot/`). Otherwise a resumable upload session is opened with name, size and SHA-256;
  the server answers with the session it has for that content, if any, and how many bytes it
  holds, so a second run after a crash, a kill or Ctrl-C goes on from there with no local state.
  Bytes are sent from the server's offset; a broken connection is retried from the offset the
  server reports.
- Download: into `<target>.part`, with `<target>.part.json` saying which server, file and
  version (ETag) the bytes belong to. A later run continues with `Range` and `If-Range` (a changed
  file starts over); when the last byte is in, the size (and the SHA-256 when known) is checked
  and the part is renamed to the target.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import unquote

from client.errors import REFUSED, UNAVAILABLE, USAGE, ClientError
from client.server import NetworkError, Server, not_ftpgram, raise_for_error, read_json

if TYPE_CHECKING:
    from tqdm import tqdm  # type: ignore[import-untyped]  # no stubs among our dependencies

CHUNK = 1 << 20
RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
Say = Callable[[str], None]


class RateLimit:
    """At most `rate` bytes a second on average (None: no limit)."""

    def __init__(self, rate: int | None) -> None:
        self.rate = rate
        self._start = time.monotonic()
        self._count = 0

    @property
    def chunk(self) -> int:
        return CHUNK if not self.rate else max(16 * 1024, min(CHUNK, self.rate // 8))

    async def spend(self, count: int) -> None:
        if not self.rate:
            return
        self._count += count
        ahead = self._count / self.rate - (time.monotonic() - self._start)
        if ahead > 0:
            await asyncio.sleep(ahead)


@dataclass(frozen=True)
class Options:
    progress: bool
    stream: IO[str]
    say: Say
    limit_rate: int | None = None
    retries: int = 5


def progress_bar(options: Options, total: int | None, initial: int, desc: str) -> tqdm[Any]:
    from tqdm import tqdm  # here, not with the module: --help never loads it

    return tqdm(
        total=total,
        initial=initial,
        desc=desc[:30],
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        file=options.stream,
        # Only on a terminal: a script's log gets no progress lines.
        disable=None if options.progress else True,
        leave=False,
        dynamic_ncols=True,
    )


async def _retry(options: Options, attempt: int, error: ClientError) -> None:
    if attempt > options.retries:
        raise error
    delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
    options.say(f"{error.message} Trying again in {delay:.0f} s ({attempt}/{options.retries}).")
    await asyncio.sleep(delay)


# ---- upload ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uploaded:
    path: str
    file: dict[str, Any]
    created: bool
    resumed_from: int
    skipped: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "file": self.file,
            "created": self.created,
            "resumed_from": self.resumed_from,
            "skipped": self.skipped,
        }


def hash_file(path: Path, bar: tqdm[Any]) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(4 * CHUNK):
            digest.update(block)
            bar.update(len(block))
    return digest.hexdigest()


def local_file(name: str) -> Path:
    path = Path(name)
    if not path.exists():
        raise ClientError(f"{name}: no such file.", USAGE)
    if not path.is_file():
        raise ClientError(f"{name}: not a regular file.", USAGE)
    if not os.access(path, os.R_OK):
        raise ClientError(f"{name}: cannot read it (permission denied).", USAGE)
    return path


async def upload(server: Server, path: Path, name: str, options: Options) -> Uploaded:
    size = (await asyncio.to_thread(path.stat)).st_size
    with progress_bar(options, size, 0, f"hashing {name}") as bar:
        sha256 = await asyncio.to_thread(hash_file, path, bar)
    slot = await server.call(
        "GET", "/api/v1/files/slot/", params={"name": name, "size": size, "hash": sha256}
    )
    if not slot["needed"]:
        options.say(f"{name}: you have this content already (file {slot['file']['id']}).")
        return Uploaded(str(path), slot["file"], False, 0, True)
    session = await server.call(
        "POST", "/api/v1/uploads/", body={"name": name, "size": size, "sha256": sha256}
    )
    upload_id, offset = int(session["id"]), int(session["offset"])
    resumed_from = offset
    if offset:
        options.say(
            f"{name}: resuming at byte {offset} of {size} ({100 * offset // max(size, 1)}%)."
        )
    attempt = 0
    with progress_bar(options, size, offset, name) as bar:
        while True:
            try:
                state = await _send(server, path, upload_id, offset, size, bar, options)
            except NetworkError as error:
                attempt += 1
                await _retry(options, attempt, error)
            except ClientError as error:
                if error.code not in ("offset_mismatch", "upload_busy", "upload_interrupted"):
                    raise
                attempt += 1
                await _retry(options, attempt, error)
            else:
                if state["complete"]:
                    file = state["file"]
                    return Uploaded(str(path), file, bool(file["created"]), resumed_from, False)
            offset = await _server_offset(server, upload_id, options)
            bar.reset(total=size)
            bar.update(offset)


async def _server_offset(server: Server, upload_id: int, options: Options) -> int:
    attempt = 0
    while True:
        try:
            session = await server.call("GET", f"/api/v1/uploads/{upload_id}/")
            return int(session["offset"])
        except NetworkError as error:
            attempt += 1
            await _retry(options, attempt, error)


async def _send(
    server: Server,
    path: Path,
    upload_id: int,
    offset: int,
    size: int,
    bar: tqdm[Any],
    options: Options,
) -> dict[str, Any]:
    limit = RateLimit(options.limit_rate)

    async def body() -> AsyncIterator[bytes]:
        with path.open("rb") as handle:
            handle.seek(offset)
            left = size - offset
            while left > 0:
                chunk = handle.read(min(limit.chunk, left))
                if not chunk:
                    break
                left -= len(chunk)
                yield chunk
                bar.update(len(chunk))
                await limit.spend(len(chunk))

    headers = {
        "Upload-Offset": str(offset),
        "Content-Length": str(size - offset),
        "Content-Type": "application/octet-stream",
    }
    async with server.open(
        "PUT", f"/api/v1/uploads/{upload_id}/", data=body(), headers=headers
    ) as response:
        await raise_for_error(response, server.url)
        state: dict[str, Any] = await read_json(response, server.url)
        return state


# ---- download --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    """A stored file as far as we know it: its id, and what the listing said (by name)."""

    id: int
    name: str | None = None
    size: int | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Downloaded:
    path: str
    file_id: int
    name: str
    size: int
    resumed_from: int
    sha256: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "file_id": self.file_id,
            "name": self.name,
            "size": self.size,
            "resumed_from": self.resumed_from,
            "sha256": self.sha256,
        }


def safe_name(name: str, fallback: str) -> str:
    """A name usable as one local file name (the server's names are not trusted blindly)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(c for c in base if c.isprintable()).strip()
    return cleaned if cleaned not in ("", ".", "..") else fallback


def name_from_headers(disposition: str) -> str | None:
    exact = re.search(r"filename\*=UTF-8''([^;]+)", disposition, re.IGNORECASE)
    if exact:
        return unquote(exact[1].strip())
    plain = re.search(r'filename="([^"]*)"', disposition)
    return plain[1] if plain else None


def _total_of(headers: Any, status: int) -> int | None:
    if status == 206 or status == 416:
        match = re.search(r"/(\d+)\s*$", headers.get("Content-Range", ""))
        return int(match[1]) if match else None
    length = headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None


@dataclass
class _Part:
    """`<target>.part` and what it belongs to (`<target>.part.json`)."""

    target: Path

    @property
    def path(self) -> Path:
        return self.target.with_name(self.target.name + ".part")

    @property
    def meta(self) -> Path:
        return self.target.with_name(self.target.name + ".part.json")

    def resumable(self, server: str, file_id: int) -> tuple[int, str | None]:
        """Bytes already here for this server's file, and the ETag they came with."""
        try:
            meta = json.loads(self.meta.read_text(encoding="utf-8"))
            size = self.path.stat().st_size
        except (OSError, ValueError):
            return 0, None
        if not isinstance(meta, dict) or (meta.get("server"), meta.get("file_id")) != (
            server,
            file_id,
        ):
            return 0, None
        etag = meta.get("etag")
        return (size, etag) if isinstance(etag, str) and etag else (0, None)

    def start(self, server: str, file_id: int, etag: str | None, size: int | None) -> None:
        self.meta.write_text(
            json.dumps({"server": server, "file_id": file_id, "etag": etag, "size": size}),
            encoding="utf-8",
        )

    def finish(self) -> None:
        os.replace(self.path, self.target)
        self.meta.unlink(missing_ok=True)


def _target_for(output: str | None, name: str, force: bool) -> Path:
    if output is None:
        target = Path.cwd() / name
    elif Path(output).is_dir():
        target = Path(output) / name
    else:
        target = Path(output)
        if not target.parent.is_dir():
            raise ClientError(f"{target.parent}: no such folder.", USAGE)
    if target.exists() and not force:
        raise ClientError(f"{target} exists already; pass --force to overwrite it.", USAGE)
    return target


@dataclass
class _Sink:
    """Where the bytes go (the part file, or stdout) and how many are there."""

    part: _Part | None
    stdout: IO[bytes] | None
    offset: int = 0

    def write_from(self, handle: IO[bytes] | None, chunk: bytes) -> None:
        target = handle if handle is not None else self.stdout
        assert target is not None
        target.write(chunk)
        self.offset += len(chunk)


async def download(
    server: Server,
    ref: FileRef,
    output: str | None,
    options: Options,
    *,
    force: bool = False,
    stdout: IO[bytes] | None = None,
) -> Downloaded:
    """Download into `output` (a file, a folder, or None: here under its name); with `stdout`,
    write the bytes there instead (resumed by Range too, within this run)."""
    url = f"/api/v1/files/{ref.id}/download/"
    fallback = f"file-{ref.id}"
    sink = _Sink(None, stdout)
    etag: str | None = None
    if stdout is None and ref.name is not None:
        sink.part = _Part(_target_for(output, safe_name(ref.name, fallback), force))
        sink.offset, etag = sink.part.resumable(server.url, ref.id)
    resumed_from = sink.offset
    name, total = ref.name, ref.size
    attempt = 0
    with progress_bar(options, total, sink.offset, name or fallback) as bar:
        while True:
            headers = {}
            if sink.offset:
                headers["Range"] = f"bytes={sink.offset}-"
                if etag:
                    headers["If-Range"] = etag
            try:
                async with server.open("GET", url, headers=headers) as response:
                    if response.status == 416 and sink.part is not None:
                        # The part holds the whole file already (a run stopped before renaming).
                        total = _total_of(response.headers, 416)
                        if total == sink.offset:
                            break
                        sink.offset = resumed_from = 0
                        continue
                    await raise_for_error(response, server.url)
                    if "Content-Disposition" not in response.headers:
                        raise not_ftpgram(server.url, response)  # an HTML page is not the file
                    name = name or name_from_headers(
                        response.headers.get("Content-Disposition", "")
                    )
                    if stdout is None and sink.part is None:
                        # Named by id: the target's name came with this answer.
                        sink.part = _Part(
                            _target_for(output, safe_name(name or "", fallback), force)
                        )
                        sink.offset, etag = sink.part.resumable(server.url, ref.id)
                        resumed_from = sink.offset
                        if sink.offset and etag == response.headers.get("ETag"):
                            continue  # ask again, for the rest only
                        sink.offset = resumed_from = 0
                    total = _total_of(response.headers, response.status)
                    if response.status == 206:
                        if attempt == 0 and resumed_from:
                            percent = 100 * sink.offset // max(total or 1, 1)
                            options.say(
                                f"{name}: resuming at byte {sink.offset} of {total} ({percent}%)."
                            )
                    else:
                        if sink.part is None and sink.offset:
                            raise ClientError(
                                f"{name}: the file changed on the server mid-way.", REFUSED
                            )
                        if resumed_from:
                            options.say(f"{name}: the file changed on the server; starting over.")
                        sink.offset = resumed_from = 0
                        etag = response.headers.get("ETag")
                        if sink.part is not None:
                            sink.part.start(server.url, ref.id, etag, total)
                    bar.reset(total=total)
                    bar.update(sink.offset)
                    await _receive(response, sink, bar, options)
                    break
            except NetworkError as error:
                attempt += 1
                await _retry(options, attempt, error)
    if total is not None and sink.offset != total:
        raise ClientError(
            f"{name}: the server sent {sink.offset} bytes of {total}; run the command again "
            "to fetch the rest.",
            UNAVAILABLE,
        )
    sha256 = None
    if sink.part is not None:
        if ref.sha256:
            sha256 = await asyncio.to_thread(_hash_path, sink.part.path)
            if sha256 != ref.sha256:
                sink.part.path.unlink(missing_ok=True)
                sink.part.meta.unlink(missing_ok=True)
                raise ClientError(
                    f"{name}: the downloaded content does not match its SHA-256; "
                    "the partial file was removed, try again.",
                    REFUSED,
                )
        sink.part.finish()
    return Downloaded(
        str(sink.part.target) if sink.part else "-",
        ref.id,
        name or fallback,
        sink.offset,
        resumed_from,
        sha256,
    )


def _hash_path(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(4 * CHUNK):
            digest.update(block)
    return digest.hexdigest()


async def _receive(response: Any, sink: _Sink, bar: tqdm[Any], options: Options) -> None:
    """Write the body at the sink's offset; when the connection breaks, what arrived is kept
    (synced to the part file) and the offset says how far it got."""
    limit = RateLimit(options.limit_rate)
    if sink.part is None:
        async for chunk in response.content.iter_chunked(limit.chunk):
            sink.write_from(None, chunk)
            bar.update(len(chunk))
            await limit.spend(len(chunk))
        assert sink.stdout is not None
        sink.stdout.flush()
        return
    mode = "r+b" if sink.part.path.exists() else "wb"
    with sink.part.path.open(mode) as handle:
        handle.seek(sink.offset)
        handle.truncate()
        try:
            async for chunk in response.content.iter_chunked(limit.chunk):
                sink.write_from(handle, chunk)
                bar.update(len(chunk))
                await limit.spend(len(chunk))
        finally:
            handle.flush()
            with contextlib.suppress(OSError):
                os.fsync(handle.fileno())
