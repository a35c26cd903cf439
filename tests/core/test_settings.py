"""Settings: defaults, derived values, the kept secret key, and one clear line per bad key."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from services.core.errors import ConfigError
from services.core.settings import load_settings


def test_defaults_follow_the_data_directory(tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, data_dir=tmp_path)
    assert settings.database == f"sqlite://{tmp_path / 'ftpgram.sqlite3'}"
    assert settings.storage == tmp_path / "storage"
    assert settings.log_file == tmp_path / "ftpgram.log"
    assert settings.base_url == "http://127.0.0.1:8080"
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.webhook_url is None and settings.bot_token is None


def test_secret_key_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_settings(_env_file=None, data_dir=tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = load_settings(_env_file=None, data_dir=tmp_path)
    assert first.secret == second.secret and len(first.secret) >= 32


def test_env_file_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".env").write_text("ADMIN_IDS=1, 2;3\nLOG_LEVEL=debug\nAPI_PORT=9000\n")
    monkeypatch.setenv("API_PORT", "9100")
    settings = load_settings(data_dir=tmp_path)
    assert settings.admin_ids == {1, 2, 3}
    assert settings.log_level == "DEBUG"
    assert settings.api_port == 9100  # the environment wins over .env


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("API_PORT", "eighty", "API_PORT: Input should be a valid integer"),
        ("ADMIN_IDS", "12,bob", "ADMIN_IDS: must be comma-separated Telegram ids"),
        ("TELEGRAM_API_URL", "ftp://x", "TELEGRAM_API_URL: must be an http:// or https:// URL"),
        ("WEBHOOK_URL", "http://bot.example.org/hook", "WEBHOOK_URL: must be an https:// URL"),
        ("LOG_LEVEL", "loud", "LOG_LEVEL:"),
        ("DATABASE_URL", "mysql://u:hunter2@h/db", "DATABASE_URL: must start with sqlite://"),
        ("BOT_TOKEN", "not-a-token", "BOT_TOKEN: must look like"),
    ],
)
def test_a_malformed_value_names_its_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None, data_dir=tmp_path)
    message = str(caught.value)
    assert expected in message
    assert "hunter2" not in message and "\n" not in message


def run_cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ftpgram", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_a_token_says_where_to_get_one(tmp_path: Path) -> None:
    result = run_cli("run", env={"DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr and "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_setting_stops_the_start_with_one_line(tmp_path: Path) -> None:
    result = run_cli("run", env={"API_PORT": "x", "BOT_TOKEN": "1:A"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "ftpgram: API_PORT: Input should be a valid integer, unable to parse string as an "
        "integer (got 'x')"
    ]


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    env = {"BOT_TOKEN": "1:A", "DATABASE_URL": "postgres://u:hunter2@127.0.0.1:1/none"}
    result = run_cli("migrate", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("ftpgram: DATABASE_URL: cannot open the database")
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


def test_an_env_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"LOG_LEVEL=\xff\xfe\n")
    result = run_cli("migrate", env={"DATA_DIR": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "ftpgram: .env: the file is not valid UTF-8"


CLUSTER = {
    "redis_url": "redis://:redis-pass-123@127.0.0.1:6379/0",
    "database_url": "postgres://ftpgram:db-pass-456@db:5432/ftpgram",
    "webhook_url": "https://files.example.org/telegram/webhook",
    "secret_key": "k" * 48,
    "storage_dir": "/srv/ftpgram/storage",
    "public_url": "https://files.example.org",
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"database_url": "sqlite:///tmp/x.sqlite3"}, "DATABASE_URL=postgres://"),
        ({"webhook_url": ""}, "set WEBHOOK_URL"),
        ({"secret_key": ""}, "SECRET_KEY: several processes must share it"),
        ({"storage_dir": ""}, "STORAGE_DIR: several processes must share it"),
        ({"public_url": ""}, "PUBLIC_URL: several processes must share it"),
        ({"redis_url": "redis://:s3c@ret@:port/x"}, "REDIS_URL: is not a valid Redis URL"),
        ({"redis_url": "http://127.0.0.1:6379"}, "REDIS_URL: must start with redis://"),
    ],
)
def test_cluster_mode_refuses_to_start_without_what_processes_share(
    tmp_path: Path, change: dict[str, str], message: str
) -> None:
    values = {**CLUSTER, **change, "data_dir": str(tmp_path)}
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None, **values)
    assert message in str(raised.value)
    for secret in ("redis-pass-123", "db-pass-456", "s3c@ret"):
        assert secret not in str(raised.value)


def test_cluster_mode_with_everything_shared(tmp_path: Path) -> None:
    settings = load_settings(_env_file=None, data_dir=str(tmp_path), **CLUSTER)
    assert settings.clustered
    assert "redis-pass-123" in settings.secret_values()  # redacted from every log line
    assert not (tmp_path / "secret_key").exists()  # no key of this process's own
