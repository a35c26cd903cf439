"""Models and migrations agree on both dialects; `ftpgram migrate` builds an empty database."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import asyncpg
import pytest
from tortoise import Tortoise

from services.core import db
from services.core.models import Station, StationFile, User, UserStation
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


ROWS = (
    'INSERT INTO "user" (full_name, is_admin, is_active, language, created_at) '
    "VALUES ('A', true, true, 'en', CURRENT_TIMESTAMP)",
    "INSERT INTO station (name, host, port, login, password_encrypted, tls, verify_tls, root, "
    "include_masks, exclude_masks, poll_interval, max_connections, encoding, enabled, created_at, "
    "last_error, failing, consecutive_failures, listing_digest, pending_files, baseline) VALUES "
    "('S', 'h', 21, 'a', '', 'none', true, '/', '[]', '[]', 300, 2, 'auto', true, "
    "CURRENT_TIMESTAMP, '', false, 0, '', 0, true)",
    "INSERT INTO user_station (user_id, station_id, created_at, seen_until) "
    "VALUES (1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO station_file (station_id, remote_path, path, size, first_seen_at, last_seen_at, "
    "stable, announced, gone) VALUES (1, '/a', '/a', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
    "true, true, false)",
)


async def test_a_database_in_use_upgrades_to_passes(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 6 (passes) adds columns to tables that have rows: each needs a default."""
    if database_url.startswith("sqlite"):
        url = f"sqlite://{tmp_path / 'in-use.sqlite3'}"
    else:
        admin = await asyncpg.connect(database_url)
        name = f"u_{uuid.uuid4().hex[:16]}"
        await admin.execute(f'CREATE DATABASE "{name}"')
        await admin.close()
        url = database_url.rsplit("/", 1)[0] + "/" + name
    before = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, before)
    for later in before.glob(f"*/{db.APP}/6_*.py"):
        later.unlink()
    with monkeypatch.context() as patched:
        patched.setattr(db, "MIGRATIONS_DIR", before)
        assert len(await db.migrate(url)) == 6
    for statement in ROWS:
        await Tortoise.get_connection(db.dialect_of(url)).execute_script(statement)
    await db.close()
    assert [Path(name).stem.split("_", 2)[2] for name in await db.migrate(url)] == ["passes"]
    try:
        station, follow, user = (
            await Station.get(id=1),
            await UserStation.get(id=1),
            await User.get(id=1),
        )
        assert (station.platforms, station.name_patterns, station.min_elevation) == ([], [], 10)
        assert (follow.announce_platforms, follow.announce_instruments) == ([], [])
        assert user.time_zone == "UTC"
        assert (await StationFile.get(id=1)).satellite_pass_id is None
    finally:
        await db.close()
