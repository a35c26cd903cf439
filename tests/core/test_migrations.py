"""Models and migrations agree on both dialects; `ftpgram migrate` builds an empty database."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from services.core import db
from tests.tools.make_migrations import pending_migration

pytestmark = pytest.mark.every_backend


async def test_models_and_migrations_do_not_drift(database_url: str) -> None:
    location = db.migrations_location(database_url)
    pending = await asyncio.to_thread(pending_migration, database_url, location)
    assert pending is None, (
        f"models changed without a migration ({pending}); run: make migrations NAME=describe_it"
    )


async def test_drift_is_detected(database_url: str, tmp_path: Path) -> None:
    # A migrations folder that stops short of the models must be reported.
    empty = tmp_path / "migrations"
    (empty / db.APP).mkdir(parents=True)
    assert await asyncio.to_thread(pending_migration, database_url, empty) is not None


def test_migrate_command_creates_the_schema_once(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite://{database}", "DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "ftpgram", "migrate"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    expected = len(list((db.MIGRATIONS_DIR / "sqlite" / db.APP).glob("*.py")))
    assert f"Applied {expected} migration" in first.stdout
    with sqlite3.connect(database) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
        journal = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert {"user", "api_token", "log_entry", "login_code", "audit_event", "aerich"} <= tables
    assert journal == "wal"
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and "Applied 0 migration" in again.stdout
