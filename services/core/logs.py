"""Server logging: console, a rotating file and the `log_entry` table, with secrets redacted.

Records carry context (user, station, download ids) either through `extra=` or through
`log_context(...)`, a context variable that edges set per update or request. The database handler
never awaits on the caller's path: records go into a bounded queue that `LogWriter` drains in
batches; when the queue is full, records are dropped from the database (never from the file).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import logging.handlers
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from services.core.models import LogEntry

CONTEXT_KEYS = ("user_id", "station_id", "download_id")
_context: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "log_context", default=None
)
# Loggers whose records would feed back into the database handler or flood it.
_NOT_TO_DATABASE = ("tortoise", "aiosqlite", "asyncpg", "aerich", "services.core.logs")
# Telegram bot tokens and bearer tokens look like this; redacted even when not configured here.
_TOKEN_PATTERNS = [
    re.compile(r"\b\d{6,20}:[A-Za-z0-9_-]{30,}"),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
]
STOP_TIMEOUT = 10.0
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s%(context)s"


@contextlib.contextmanager
def log_context(**ids: int | None) -> Iterator[None]:
    """Attach ids (user_id, station_id, download_id) to every record logged inside."""
    merged = {**(_context.get() or {}), **{k: v for k, v in ids.items() if v is not None}}
    token = _context.set(merged)
    try:
        yield
    finally:
        _context.reset(token)


def bind_log_context(**ids: int | None) -> None:
    """Attach ids to the rest of the current task (use in middlewares)."""
    _context.set({**(_context.get() or {}), **{k: v for k, v in ids.items() if v is not None}})


class RedactingFilter(logging.Filter):
    """Fills in the context and replaces secrets in the final message with ***."""

    def __init__(self, secrets: Sequence[str] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        text = _TOKEN_PATTERNS[0].sub("***", text)
        return _TOKEN_PATTERNS[1].sub(r"\1***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "_ftpgram_done", False):
            context = dict(_context.get() or {})
            for key in CONTEXT_KEYS:
                value = getattr(record, key, None)
                if value is not None:
                    context[key] = value
            record.ids = context
            record.context = "".join(f" [{k}={v}]" for k, v in context.items())
            record.msg = self.redact(record.getMessage())
            record.args = None
            if record.exc_info:
                record.exc_text = self.redact(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
            record._ftpgram_done = True
        return True


@dataclass(frozen=True)
class _Row:
    created_at: datetime
    level: int
    logger: str
    message: str
    ids: dict[str, int]


class DatabaseHandler(logging.Handler):
    """Puts records into a queue for `LogWriter`; never blocks the logging call."""

    def __init__(self, capacity: int = 10_000) -> None:
        super().__init__()
        self.queue: asyncio.Queue[_Row | None] = asyncio.Queue(maxsize=capacity)
        self.dropped = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_NOT_TO_DATABASE):
            return
        message = record.getMessage()
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        row = _Row(
            created_at=datetime.fromtimestamp(record.created, tz=UTC),
            level=record.levelno,
            logger=record.name[:100],
            message=message,
            ids=dict(getattr(record, "ids", {})),
        )
        try:
            self.queue.put_nowait(row)
        except asyncio.QueueFull:
            self.dropped += 1


class LogWriter:
    """Owns the task that moves queued records into the database in batches."""

    def __init__(self, handler: DatabaseHandler, batch: int = 500) -> None:
        self.handler = handler
        self.batch = batch
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="log-writer")

    async def stop(self) -> None:
        """Write what is queued, then end the writer (a batch is never cut off midway)."""
        if self._task is not None:
            task, self._task = self._task, None
            await self.handler.queue.put(None)
            done, _ = await asyncio.wait({task}, timeout=STOP_TIMEOUT)
            if not done:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.flush()

    async def flush(self) -> None:
        """Write everything queued so far."""
        while not self.handler.queue.empty():
            rows, _ = self._take_batch()
            await self._write(rows)

    def _take_batch(self) -> tuple[list[_Row], bool]:
        """Up to `batch` queued rows, and whether the end marker was among them."""
        rows: list[_Row] = []
        while len(rows) < self.batch and not self.handler.queue.empty():
            row = self.handler.queue.get_nowait()
            if row is None:
                return rows, True
            rows.append(row)
        return rows, False

    async def _run(self) -> None:
        queue = self.handler.queue
        while True:
            first = await queue.get()
            if first is None:
                return
            rows, ended = self._take_batch()
            await self._write([first, *rows])
            if ended:
                return

    async def _write(self, rows: list[_Row]) -> None:
        if not rows:
            return
        try:
            await LogEntry.bulk_create(
                [
                    LogEntry(
                        created_at=row.created_at,
                        level=row.level,
                        logger=row.logger,
                        message=row.message,
                        user_id=row.ids.get("user_id"),
                        station_id=row.ids.get("station_id"),
                        download_id=row.ids.get("download_id"),
                    )
                    for row in rows
                ]
            )
        except Exception as exc:
            # The database being down must not take logging down; the file still has them.
            sys.stderr.write(f"ftpgram: could not store {len(rows)} log records: {exc}\n")


def configure_logging(level: str, log_file: Path | None, secrets: Sequence[str]) -> DatabaseHandler:
    """Install the console, file and database handlers on the root logger."""
    root = logging.getLogger()
    # Replace only what an earlier call installed; handlers of others (pytest's) stay.
    for handler in list(root.handlers):
        if getattr(handler, "ftpgram", False):
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    redactor = RedactingFilter(secrets)
    formatter = logging.Formatter(FORMAT)
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=10 * 1024 * 1024, backupCount=5, encoding="utf-8"
            )
        )
    database = DatabaseHandler()
    handlers.append(database)
    for handler in handlers:
        handler.ftpgram = True  # type: ignore[attr-defined]
        handler.addFilter(redactor)
        handler.setFormatter(formatter)
        root.addHandler(handler)
    # Third-party chatter at INFO (every HTTP request, every SQL statement) drowns real events.
    for name in ("aiohttp.access", "tortoise", "aiosqlite", "apscheduler.executors"):
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    return database


@dataclass(frozen=True)
class LogView:
    id: int
    created_at: datetime
    level: str
    logger: str
    message: str
    user_id: int | None
    station_id: int | None
    download_id: int | None


LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


class LogService:
    """Reading and pruning the stored log."""

    async def latest(
        self, *, min_level: str = "debug", page: int = 1, per_page: int = 50
    ) -> tuple[list[LogView], int]:
        query = LogEntry.filter(level__gte=LEVELS[min_level])
        total = await query.count()
        rows = await query.order_by("-id").offset((page - 1) * per_page).limit(per_page)
        return [
            LogView(
                id=row.id,
                created_at=row.created_at,
                level=logging.getLevelName(row.level).lower(),
                logger=row.logger,
                message=row.message,
                user_id=row.user_id,
                station_id=row.station_id,
                download_id=row.download_id,
            )
            for row in rows
        ], total

    async def prune(self, older_than_days: int) -> int:
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        deleted: int = await LogEntry.filter(created_at__lt=cutoff).delete()
        return deleted
