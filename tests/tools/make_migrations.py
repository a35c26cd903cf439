"""Generate aerich migrations for model changes, once per SQL dialect.

    python -m tests.tools.make_migrations NAME      (or: make migrations NAME=...)

For each dialect it starts an empty database, applies the existing migrations, and lets aerich
compare the last migration's recorded model state with the models. `pending_migration` is also
what the drift test uses.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

from aerich import Command

from services import db
from tests.pg import temporary_cluster


async def _with_database(url: str, location: Path, name: str, *, write: bool) -> str | None:
    """Migrate `url` with the files in `location`, then generate the next migration there."""
    config = db.tortoise_config(url)
    try:
        await db.connect(url)
        command = Command(tortoise_config=config, app=db.APP, location=str(location))
        models_dir = location / db.APP
        if not any(models_dir.glob("*.py")):
            if not write:
                return "no migrations at all"
            await command.init_db(safe=True)
            return "init"
        await command.init()
        await command.upgrade(run_in_transaction=True)
        await command.init()  # again: it reads the last applied state from the database
        created: str | None = await command.migrate(name, no_input=True)
        return created or None
    finally:
        await db.close()


async def pending_migration(url: str, location: Path) -> str | None:
    """The migration aerich would generate now (None when models and migrations agree).

    Works on a copy of `location`, so nothing in the repository changes.
    """
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "migrations"
        shutil.copytree(location, copy)
        return await _with_database(url, copy, "drift", write=False)


async def generate(name: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        sqlite_url = f"sqlite://{scratch}/gen.sqlite3"
        (db.MIGRATIONS_DIR / "sqlite" / db.APP).mkdir(parents=True, exist_ok=True)
        print(
            "sqlite:",
            await _with_database(sqlite_url, db.MIGRATIONS_DIR / "sqlite", name, write=True),
        )
    with temporary_cluster() as cluster:
        (db.MIGRATIONS_DIR / "postgres" / db.APP).mkdir(parents=True, exist_ok=True)
        url = cluster.url("postgres")
        print(
            "postgres:", await _with_database(url, db.MIGRATIONS_DIR / "postgres", name, write=True)
        )


if __name__ == "__main__":
    if len(sys.argv) != 2 or not sys.argv[1].isidentifier():
        sys.exit("usage: python -m tests.tools.make_migrations NAME  (NAME: letters, digits, _)")
    asyncio.run(generate(sys.argv[1]))
