"""Generate aerich migrations for model changes, once per SQL dialect.

    python -m tests.tools.make_migrations NAME      (or: make migrations NAME=...)

For each dialect it starts an empty database, applies the existing migrations, and lets aerich
compare the last migration's recorded model state with the models. `pending_migration` is what
the drift test uses.

aerich keeps its diff in class attributes that are never reset, so each dialect, and each check,
runs in a process of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aerich import Command

from services.core import db
from tests.support.pg import temporary_cluster

ROOT = Path(__file__).resolve().parents[2]


async def _with_database(url: str, location: Path, name: str, *, write: bool) -> str | None:
    """Migrate `url` with the files in `location`, then generate the next migration there."""
    config = db.tortoise_config(url)
    try:
        await db.connect(url)
        command = Command(tortoise_config=config, app=db.APP, location=str(location))
        models_dir = location / db.APP
        models_dir.mkdir(parents=True, exist_ok=True)
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


def _in_subprocess(*args: str) -> str | None:
    result = subprocess.run(
        [sys.executable, "-m", "tests.tools.make_migrations", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise RuntimeError(f"make_migrations {args[0]} failed:\n{result.stderr}")
    return result.stdout.strip() or None


def pending_migration(url: str, location: Path) -> str | None:
    """The migration aerich would generate now (None when models and migrations agree).

    Works on a copy of `location`, so nothing in the repository changes.
    """
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "migrations"
        shutil.copytree(location, copy)
        return _in_subprocess("--check", url, str(copy))


def generate(name: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        sqlite_url = f"sqlite://{scratch}/gen.sqlite3"
        print("sqlite:", _in_subprocess("--generate", name, sqlite_url))
    with temporary_cluster() as cluster:
        print("postgres:", _in_subprocess("--generate", name, cluster.url("postgres")))


def main() -> None:
    parser = argparse.ArgumentParser(prog="make_migrations")
    parser.add_argument("--check", nargs=2, metavar=("URL", "LOCATION"))
    parser.add_argument("--generate", nargs=2, metavar=("NAME", "URL"))
    parser.add_argument("name", nargs="?")
    args = parser.parse_args()
    if args.check:
        url, location = args.check
        print(asyncio.run(_with_database(url, Path(location), "drift", write=False)) or "")
    elif args.generate:
        name, url = args.generate
        location = db.MIGRATIONS_DIR / db.dialect_of(url)
        print(asyncio.run(_with_database(url, location, name, write=True)) or "")
    elif args.name and args.name.isidentifier():
        generate(args.name)
    else:
        sys.exit("usage: python -m tests.tools.make_migrations NAME  (NAME: letters, digits, _)")


if __name__ == "__main__":
    main()
