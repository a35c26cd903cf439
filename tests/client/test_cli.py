"""`ftpgram client` against a live server started by the test (the whole application on a free
port): log in, upload and download as a script would, an upload and a download killed mid-way
and run again continue where they stopped, share links, listing and deleting, station downloads
paused and started; `--json` output and exit codes.

The client runs in this process (`run`: its `main` in a worker thread, with a script's streams
and environment); a real process only where a test needs one: the transfers killed mid-way, one
round trip as a script runs it, and what `ftpgram client` loads when it starts."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import signal
import stat
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp import web

from client import cli
from ftpgram.app import Application
from services.accounts.users import UserView
from services.container import Services
from services.core.models import StoredFile, UploadSession, User
from tests.support.data import MIB, blob
from tests.support.ftp_servers import Certificates, vsftpd_server
from tests.support.messages import code_in
from tests.support.net import free_port
from tests.support.paths import ROOT
from tests.support.people import make_user
from tests.support.stations import station_files
from tests.support.telegram_fake import FakeTelegram

PASSWORD = "Secr3t!pass"
Json = Any


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Json:
        return json.loads(self.out)


@pytest.fixture
def services_of_app(application: Application) -> Services:
    assert application.services is not None
    return application.services


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The client's config directory (and nothing from the developer's own setup)."""
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    for name in ("FTPGRAM_SERVER", "FTPGRAM_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return home


def client_env(**extra: str) -> dict[str, str]:
    """The subprocess runs this checkout's code, with only the FTPGRAM_* settings given."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("FTPGRAM_")}
    return {**inherited, "PYTHONPATH": str(ROOT), **extra}


# `ftpgram client` dispatches before the server's modules load; `client` is the same program.
FTPGRAM_CLIENT = ("-m", "ftpgram", "client")
CLIENT_ALONE = ("-m", "client")
# What the client must not load: the server's packages and what only the server uses (aiohttp's
# client too loads only once a command talks to a server).
SERVER_MODULES = {"api", "bot", "services", "aiogram", "tortoise", "aiohttp"}


async def run(*args: str, stdin: str | TextIO = "", env: Mapping[str, str] | None = None) -> Result:
    """`ftpgram client ARGS` in this process, as a script runs it: in a worker thread (the server
    under test runs on this loop, the client runs its own), with a stdout that takes text and
    bytes (`download -o -`) and `env` in place of the process's environment (FTPGRAM_SERVER,
    FTPGRAM_TOKEN); the credentials file is under XDG_CONFIG_HOME (`config_home`) either way."""
    raw, err = io.BytesIO(), io.StringIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    code = await asyncio.to_thread(
        cli.main,
        list(args),
        stdin=io.StringIO(stdin) if isinstance(stdin, str) else stdin,
        stdout=out,
        stderr=err,
        environ=env,
    )
    out.flush()
    return Result(code, raw.getvalue().decode(), err.getvalue())


async def start(
    *args: str, env: dict[str, str] | None = None, command: tuple[str, ...] = FTPGRAM_CLIENT
) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=env or client_env(),
    )


async def run_process(
    *args: str,
    stdin: str = "",
    env: dict[str, str] | None = None,
    timeout: float = 90,
    command: tuple[str, ...] = FTPGRAM_CLIENT,
) -> Result:
    """`python -m ftpgram client ARGS` in a real process (the server shares our loop, so the
    subprocess is awaited, never waited for)."""
    process = await start(*args, env=env, command=command)
    async with asyncio.timeout(timeout):
        out, err = await process.communicate(stdin.encode())
    assert process.returncode is not None
    return Result(process.returncode, out.decode(), err.decode())


async def password_user(services: Services, login: str = "alice") -> UserView:
    user = await services.accounts.register(
        login=login, password=PASSWORD, full_name=login.title(), email=None
    )
    await User.filter(id=user.id).update(is_active=True)
    return await services.users.get(user.id)


async def signed_in(services: Services, user: UserView, api_url: str) -> dict[str, str]:
    """Environment for a client logged in through the environment instead of the file."""
    token = await services.auth.issue_token(user.id, "test")
    return client_env(FTPGRAM_SERVER=api_url, FTPGRAM_TOKEN=token)


async def wait_for(check: Callable[[], Any], timeout: float = 30) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            if value := await check():
                return value
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def killed_at_the_end(process: asyncio.subprocess.Process) -> AsyncIterator[None]:
    """Kills the process if the block left it running. A block that kills it itself waits for
    it: a second kill would poll the child (Popen.send_signal does) and could reap it before
    asyncio's child watcher, which then reports 255 instead of the signal."""
    try:
        yield
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


# ---- start-up ----------------------------------------------------------------------------------


def test_ftpgram_client_starts_without_loading_the_server() -> None:
    probe = (
        "import json, sys, ftpgram\n"
        "code = ftpgram.main(['client', '--help'])\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {sorted(SERVER_MODULES)})\n"
        "print(json.dumps({'code': code, 'loaded': loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=client_env(),
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    *usage, last = done.stdout.splitlines()
    assert usage[0].startswith("usage: ftpgram client")
    assert json.loads(last) == {"code": 0, "loaded": []}


# ---- the main flow, as a script ------------------------------------------------------------


async def test_log_in_upload_list_download_and_delete_as_a_script(
    api_url: str, services_of_app: Services, config_home: Path, tmp_path: Path
) -> None:
    services = services_of_app
    await password_user(services)
    login = await run("login", "--server", api_url + "/", "--login", "alice", stdin=PASSWORD)
    assert login.code == 0, login.err
    assert f"Logged in to {api_url} as alice" in login.err
    credentials = config_home / "ftpgram" / "credentials.json"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    saved = json.loads(credentials.read_text())
    token = saved["servers"][api_url]["token"]
    assert saved["default_server"] == api_url and token.startswith("ftg_")
    assert token not in login.out + login.err

    first, second = tmp_path / "pass 01.bin", tmp_path / "Отчёт.txt"
    first.write_bytes(blob(3 * MIB + 5, seed=51))
    second.write_text("report\n" * 100)
    uploaded = await run("upload", str(first), str(second), "--json")  # server remembered
    assert uploaded.code == 0, uploaded.err
    results = uploaded.json()
    assert [r["file"]["name"] for r in results] == ["pass 01.bin", "Отчёт.txt"]
    assert results[0]["file"]["sha256"] == hashlib.sha256(first.read_bytes()).hexdigest()
    assert all(r["created"] and r["resumed_from"] == 0 for r in results)
    again = await run("upload", str(second))
    assert again.code == 0 and "you have this content already" in again.err

    listed = await run("ls")
    assert listed.code == 0
    lines = listed.out.splitlines()
    assert len(lines) == 2 and lines[0].endswith("Отчёт.txt") and "3.0 MiB" in lines[1]
    as_json = await run("ls", "--json", "--name", "pass")
    assert [f["name"] for f in as_json.json()] == ["pass 01.bin"]

    out = tmp_path / "out"
    out.mkdir()
    got = await run("download", "pass 01.bin", "-o", str(out))
    assert got.code == 0, got.err
    assert (out / "pass 01.bin").read_bytes() == first.read_bytes()
    assert sorted(p.name for p in out.iterdir()) == ["pass 01.bin"]  # no .part left
    exists = await run("download", "pass 01.bin", "-o", str(out))
    assert exists.code == 2 and "--force" in exists.err

    # Once as a real process: the bytes go to its stdout, a pipe.
    piped = await run_process("download", "Отчёт.txt", "-o", "-", command=CLIENT_ALONE)
    assert piped.code == 0 and piped.out == "report\n" * 100

    deleted = await run("rm", "Отчёт.txt")
    assert deleted.code == 0 and "Deleted Отчёт.txt" in deleted.err
    assert [f.name for f in await StoredFile.all()] == ["pass 01.bin"]
    for outputs in (uploaded, listed, as_json, got, deleted):
        assert token not in outputs.out + outputs.err


async def test_exit_codes_and_messages_for_scripts(
    api_url: str, services_of_app: Services, config_home: Path, tmp_path: Path
) -> None:
    """What a script goes by: each kind of failure has its exit code and one line on stderr."""
    user = await password_user(services_of_app)
    env = await signed_in(services_of_app, user, api_url)
    unknown_id = await run("download", "999999", env=env)
    assert unknown_id.code == 4 and "no such file" in unknown_id.err.lower()
    assert "Traceback" not in unknown_id.err and unknown_id.out == ""
    unknown_name = await run("rm", "nothing.bin", "--json", env=env)
    assert unknown_name.code == 4
    assert json.loads(unknown_name.err)["error"]["exit_code"] == 4

    wrong = await run("ls", env={**env, "FTPGRAM_TOKEN": "ftg_not-a-real-token"})
    assert wrong.code == 3 and "log in again" in wrong.err.lower()
    assert "ftg_not-a-real-token" not in wrong.err
    nobody = await run("ls", env=client_env(FTPGRAM_SERVER=api_url))
    assert nobody.code == 3 and "ftpgram client login" in nobody.err
    unreachable = await run("ls", "--server", f"http://127.0.0.1:{free_port()}", env=env)
    assert unreachable.code == 5 and "Cannot reach" in unreachable.err
    not_a_file = await run("upload", str(tmp_path / "missing.bin"), env=env)
    assert not_a_file.code == 2 and "no such file" in not_a_file.err
    bad_option = await run("share", "x", "--expires", "soon", env=env)
    assert bad_option.code == 2 and "not a duration" in bad_option.err
    assert "Traceback" not in bad_option.err
    bad_json = await run("ls", "--bogus", "--json", env=env)
    assert bad_json.code == 2
    assert json.loads(bad_json.err)["error"] == {
        "code": "usage",
        "message": "ftpgram client: unrecognized arguments: --bogus",
        "exit_code": 2,
    }
    kept = tmp_path / "kept.txt"
    kept.write_text("kept")
    assert (await run("upload", str(kept), env=env)).code == 0
    partly = await run("rm", "kept.txt", "nothing.bin", env=env)
    assert partly.code == 4 and partly.err.count("no file named") == 1, partly.err
    assert "1 of 2 could not be deleted" in partly.err

    wrong_password = await run("login", "--server", api_url, "--login", "alice", stdin="nope")
    assert wrong_password.code == 3 and "nope" not in wrong_password.err


async def test_another_program_at_the_address_is_told_apart_from_ftpgram(
    config_home: Path, tmp_path: Path
) -> None:
    """A wrong server address (a web server, a proxy's error page, another JSON API) is exit 5
    with a plain message — never a traceback, never an HTML page saved as the file."""
    answers: list[web.Response] = []

    async def answer(request: web.Request) -> web.Response:
        return answers.pop(0)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    env = client_env(FTPGRAM_SERVER=f"http://127.0.0.1:{port}", FTPGRAM_TOKEN="ftg_x")
    try:
        for response, command in (
            (web.json_response([1], status=404), ("ls",)),
            (web.json_response("nope", status=400), ("ls",)),
            (web.Response(text="<html>Not Found</html>", status=404), ("ls",)),
            (web.json_response({}), ("ls",)),
            (web.json_response({"items": "x"}), ("downloads",)),
            (
                web.Response(text="<html>hi</html>", content_type="text/html"),
                ("download", "5", "-o", str(tmp_path / "o.bin")),
            ),
        ):
            answers.append(response)
            result = await run(*command, env=env)
            assert result.code == 5, (command, result)
            assert "did not answer like an ftpgram server" in result.err, result
            assert "Traceback" not in result.err
        assert not (tmp_path / "o.bin").exists()
        answers.append(web.json_response({"error": "boom"}, status=500))
        failed = await run("ls", "--json", env=env)
        assert failed.code == 5 and json.loads(failed.err)["error"]["code"] == "server_error"
    finally:
        await runner.cleanup()


# ---- interrupted transfers -----------------------------------------------------------------


async def test_a_killed_upload_continues_from_the_servers_offset(
    api_url: str, services_of_app: Services, config_home: Path, tmp_path: Path
) -> None:
    services = services_of_app
    user = await password_user(services)
    env = await signed_in(services, user, api_url)
    data = blob(6 * MIB + 321, seed=52)
    source = tmp_path / "scene.bin"
    source.write_bytes(data)

    process = await start("upload", str(source), "--limit-rate", "1M", env=env)
    async with killed_at_the_end(process):

        async def well_under_way() -> bool:
            session = await UploadSession.filter(user_id=user.id).first()
            if session is None or not session.writer:
                return False
            part = services.files.store.part_path(f"upload-{session.id}")
            return part.exists() and part.stat().st_size >= 2 * MIB

        await wait_for(well_under_way, timeout=60)
        process.send_signal(signal.SIGKILL)
        await process.wait()
    assert process.returncode == -signal.SIGKILL

    async def let_go() -> UploadSession | None:
        session = await UploadSession.get(user_id=user.id)
        return None if session.writer else session

    session = await wait_for(let_go)
    kept = session.received
    assert 0 < kept < len(data)

    resumed = await run("upload", str(source), "--json", env=env)
    assert resumed.code == 0, resumed.err
    (result,) = resumed.json()
    assert result["resumed_from"] == kept  # from the server's offset, not from zero
    assert f"resuming at byte {kept} of {len(data)}" in resumed.err
    assert result["file"]["sha256"] == hashlib.sha256(data).hexdigest()
    stored = services.files.store.local_path(result["file"]["sha256"])
    assert stored.read_bytes() == data
    assert not await UploadSession.filter(user_id=user.id).exists()


async def test_a_killed_download_resumes_with_range_into_its_part_file(
    api_url: str, services_of_app: Services, config_home: Path, tmp_path: Path
) -> None:
    services = services_of_app
    user = await password_user(services)
    env = await signed_in(services, user, api_url)
    data = blob(6 * MIB + 99, seed=53)
    stored = await services.files.store_bytes(user, name="orbit.bin", data=data, source="upload")
    target = tmp_path / "orbit copy.bin"
    part = tmp_path / "orbit copy.bin.part"

    process = await start(
        "download", str(stored.file.id), "-o", str(target), "--limit-rate", "1M", env=env
    )
    async with killed_at_the_end(process):

        async def well_under_way() -> bool:
            return part.exists() and part.stat().st_size >= 2 * MIB

        await wait_for(well_under_way, timeout=60)
        process.send_signal(signal.SIGKILL)
        await process.wait()
    kept = part.stat().st_size
    assert 0 < kept < len(data) and not target.exists()
    assert part.read_bytes() == data[:kept]

    resumed = await run("download", "orbit.bin", "-o", str(target), "--json", env=env)
    assert resumed.code == 0, resumed.err
    answer = resumed.json()
    assert answer["resumed_from"] == kept and answer["size"] == len(data)
    assert answer["sha256"] == hashlib.sha256(data).hexdigest()  # checked, by name it is known
    assert f"resuming at byte {kept}" in resumed.err
    assert target.read_bytes() == data
    assert sorted(n for n in os.listdir(tmp_path) if n.startswith("orbit")) == ["orbit copy.bin"]

    # A part that belongs to another file is not continued: the download starts over.
    other = await services.files.store_bytes(user, name="other.bin", data=b"o" * 5000, source="x")
    (tmp_path / "other.bin.part").write_bytes(b"stale bytes of something else")
    fresh = await run("download", str(other.file.id), "-o", str(tmp_path), "--json", env=env)
    assert fresh.code == 0 and fresh.json()["resumed_from"] == 0
    assert (tmp_path / "other.bin").read_bytes() == b"o" * 5000


# ---- links, account, JSON --------------------------------------------------------------------


async def test_share_links_whoami_and_logout(
    api_url: str,
    services_of_app: Services,
    config_home: Path,
    telegram: FakeTelegram,
    tmp_path: Path,
) -> None:
    services = services_of_app
    user = await make_user(services, 7701, name="Coder")
    # Log in with a code from the bot; the code arrives on stdin as a script would pass it.
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "r") as stdin, os.fdopen(write_end, "w") as feed:
        login = asyncio.create_task(
            run("--server", api_url, "login", "--telegram-id", "7701", "--json", stdin=stdin)
        )
        code = code_in((await telegram.expect_message(7701)).text)
        feed.write(code + "\n")
        feed.flush()
        signed = await login
    assert signed.code == 0, signed.err
    assert "sent you a sign-in code" in signed.err and code not in signed.out
    assert signed.json()["user"]["id"] == user.id

    me = await run("whoami")
    assert me.code == 0 and f"(id {user.id}, active)" in me.out and "10.0 GiB" in me.out
    credentials_file = config_home / "ftpgram" / "credentials.json"
    credentials_file.chmod(0o644)  # copied around carelessly, say
    warned = await run("whoami")
    assert warned.code == 0 and "others can read" in warned.err

    stored = await services.files.store_bytes(user, name="map.png", data=b"map" * 999, source="x")
    made = await run("share", "map.png", "--expires", "1h", "--max-downloads", "2")
    assert made.code == 0, made.err
    url = made.out.strip()
    assert url.startswith(f"{services.settings.base_url}/s/")
    assert "2 downloads" in made.err and "expires" in made.err
    public = api_url + urlsplit(url).path  # the link's host is PUBLIC_URL's
    async with aiohttp.ClientSession() as http, http.get(public) as response:
        assert response.status == 200 and await response.read() == b"map" * 999
    shown = await run("share", str(stored.file.id), "--show", "--json")
    assert shown.json()["url"] == url and shown.json()["downloads"] == 1
    revoked = await run("share", "map.png", "--revoke")
    assert revoked.code == 0
    gone = await run("share", "map.png", "--show")
    assert gone.code == 4 and "no link" in gone.err
    assert (await run("share", "nothing.png")).code == 4

    out = await run("logout")
    assert out.code == 0
    credentials = json.loads(credentials_file.read_text())
    assert credentials["servers"] == {}
    assert stat.S_IMODE(credentials_file.stat().st_mode) == 0o600  # rewritten private
    after = await run("--server", api_url, "ls")
    assert after.code == 3


# ---- station downloads -----------------------------------------------------------------------


async def test_station_downloads_listed_paused_and_started(
    api_url: str,
    services_of_app: Services,
    config_home: Path,
    ftp_root: Path,
    certs: Certificates,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    services = services_of_app
    admin = await make_user(services, 900001, admin=True, name="Root")
    alice = await make_user(services, 7702, name="Alice")
    monkeypatch.setenv("FTPGRAM_SERVER", api_url)
    monkeypatch.setenv("FTPGRAM_TOKEN", await services.auth.issue_token(alice.id))
    data = blob(6 * MIB, seed=54)
    with vsftpd_server(ftp_root, tls="none", certs=certs, rate=MIB) as endpoint:
        ids = await station_files(services, admin, endpoint, {"pass/big.bin": data})
        stations = await run("stations", "--json")
        (station,) = stations.json()
        assert not station["followed"]
        chosen = await run("stations", "choose", str(station["id"]))
        assert chosen.code == 0 and "following" in chosen.out
        files = await run("stations", "files", "--json")
        assert [(f["id"], f["path"]) for f in files.json()] == [
            (ids["pass/big.bin"], "/pass/big.bin")
        ]

        added = await run("downloads", "add", str(ids["pass/big.bin"]), "--json")
        assert added.code == 0, added.err
        (download,) = added.json()
        assert download["status"] in ("queued", "downloading") and download["total"] == len(data)

        async def moving() -> bool:
            listed = (await run("downloads", "--json")).json()
            return bool(listed[0]["bytes"] > 0 and listed[0]["status"] == "downloading")

        await wait_for(moving, timeout=60)
        paused = await run("downloads", "pause", str(download["id"]))
        assert paused.code == 0 and " paused " in paused.out
        listed = await run("downloads", "list", "--status", "paused", "--json")
        assert [d["id"] for d in listed.json()] == [download["id"]]
        held = listed.json()[0]["bytes"]
        assert 0 < held < len(data)

        started = await run("downloads", "start", str(download["id"]), "--json")
        assert started.json()[0]["status"] in ("queued", "downloading")

        async def completed() -> bool:
            item = (await run("downloads", "show", str(download["id"]), "--json")).json()[0]
            assert item["status"] != "failed", item["error"]
            return bool(item["status"] == "completed")

        await wait_for(completed, timeout=90)
    mine = await run("ls", "--json")
    (file,) = mine.json()
    assert file["name"] == "big.bin" and file["sha256"] == hashlib.sha256(data).hexdigest()
    missing = await run("downloads", "pause", "999999")
    assert missing.code == 4
    bad = await run("downloads", "pause", "x")
    assert bad.code == 2
