"""Server events reach the console, the rotating file and the database, without secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from services.core.logs import LogService, LogWriter, configure_logging, log_context
from services.core.models import LogEntry

BOT_TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


async def test_events_go_to_file_and_database_with_context(
    connected: str, tmp_path: Path, restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "logs" / "ftpgram.log"
    handler = configure_logging("INFO", log_file, secrets=["hunter2-db-password"])
    writer = LogWriter(handler)
    writer.start()
    log = logging.getLogger("services.test")
    with log_context(user_id=5, download_id=9):
        log.warning("Download stalled")
    log.info("Token %s and password hunter2-db-password", BOT_TOKEN)
    log.debug("not at INFO")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("Job failed")
    await writer.stop()

    text = log_file.read_text()
    console = capsys.readouterr().err
    for output in (text, console):
        assert "Download stalled [user_id=5] [download_id=9]" in output
        assert BOT_TOKEN not in output and "hunter2" not in output
        assert "not at INFO" not in output
    rows = await LogEntry.all().order_by("id")
    stalled = next(row for row in rows if row.message == "Download stalled")
    assert (stalled.level, stalled.user_id, stalled.download_id) == (logging.WARNING, 5, 9)
    assert all(BOT_TOKEN not in row.message and "hunter2" not in row.message for row in rows)
    failed = next(row for row in rows if row.message.startswith("Job failed"))
    assert "ValueError: boom" in failed.message

    entries, total = await LogService().latest(min_level="error")
    assert total == 1 and entries[0].level == "error"


async def test_old_entries_are_pruned(connected: str) -> None:
    from datetime import UTC, datetime, timedelta

    now = datetime.now(UTC)
    await LogEntry.create(created_at=now - timedelta(days=40), level=20, logger="x", message="old")
    await LogEntry.create(created_at=now, level=20, logger="x", message="new")
    assert await LogService().prune(older_than_days=30) == 1
    assert [row.message for row in await LogEntry.all()] == ["new"]
