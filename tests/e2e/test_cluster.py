"""Cluster mode under failure: three `ftpgram run` processes on one PostgreSQL and one Redis behind
HAProxy, Telegram delivering by webhook, while processes are killed (SIGKILL, a crash) and stopped
(SIGTERM, a deploy).

People, stations and tokens are made by this test on the cluster's database, as an
administrator's script would; everything a person does goes through the load balancer (REST) or
the fake Telegram (webhooks), and everything checked is what they would see: messages in their
chat, files they fetch, and what the FTP servers themselves counted.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import os
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler, ThrottledDTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import ThreadedFTPServer

from bot.factory import webhook_secret
from services.accounts.users import UserView
from services.container import Services
from services.core.models import Station, StationFile, StationPoll, Transfer, TransferStatus
from services.core.settings import load_settings
from services.downloads.views import part_key
from services.messaging.delivery import IN_DOUBT
from tests.support.cluster import ClusterShape, poll_through, request_downloads, script
from tests.support.ftp_servers import LOGIN, PASSWORD, serving
from tests.support.people import bearer, make_user
from tests.support.pg import Cluster
from tests.support.telegram_fake import FakeTelegram

# Three cold starts of the whole service and minutes of work, on a machine running other tests.
# Clusters run one after another on one worker: several at once would starve two cores.
pytestmark = [pytest.mark.timeout(600), pytest.mark.xdist_group("cluster")]

ADMIN = 900001
LEADER_KEY = 0x66747067  # the leader's advisory lock (services.core.cluster)
MiB = 1024 * 1024


# ---- FTP servers that count what they see -----------------------------------------------------


@dataclass
class Sessions:
    """What one FTP server saw: connections open now and at most, and resumed transfers."""

    open: int = 0
    most: int = 0
    resumed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextlib.contextmanager
def counting_server(root: Path, rate: int = 0) -> Iterator[tuple[int, Sessions]]:
    """pyftpdlib serving `root` (sending at most `rate` bytes a second per transfer); yields its
    port and its counts."""
    sessions = Sessions()
    authorizer = DummyAuthorizer()
    authorizer.add_user(LOGIN, PASSWORD, str(root), perm="elr")

    class Handler(FTPHandler):
        def on_connect(self) -> None:
            with sessions.lock:
                sessions.open += 1
                sessions.most = max(sessions.most, sessions.open)

        def on_disconnect(self) -> None:
            with sessions.lock:
                sessions.open -= 1

        def ftp_RETR(self, file: str) -> Any:
            if self._restart_position:
                with sessions.lock:
                    sessions.resumed += 1
            return super().ftp_RETR(file)

    Handler.authorizer = authorizer
    Handler.passive_ports = None
    if rate:
        Handler.dtp_handler = type("Dtp", (ThrottledDTPHandler,), {"write_limit": rate})
    server = ThreadedFTPServer(("127.0.0.1", 0), Handler, ioloop=IOLoop())
    with serving(server):
        yield server.socket.getsockname()[1], sessions


# ---- the test's own view of the cluster's database ---------------------------------------------


async def add_station(
    services: Services, admin: UserView, name: str, port: int, **fields: Any
) -> int:
    values: dict[str, Any] = {
        "name": name,
        "host": "127.0.0.1",
        "port": port,
        "login": LOGIN,
        "password": PASSWORD,
        "tls": "none",
        **fields,
    }
    return (await services.stations.create(admin, values)).id


def handled_by(shape: ClusterShape, update_id: int) -> list[int]:
    """The processes whose log says they handled the update (aiogram logs each one)."""
    pattern = re.compile(rf"Update id={update_id} is handled")
    found = []
    for index, process in enumerate(shape.processes):
        with contextlib.suppress(FileNotFoundError):
            if pattern.search(process.log_path.read_text(errors="replace")):
                found.append(index)
    return found


async def eventually(condition: Any, timeout: float, what: str, shape: ClusterShape) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condition():
            return
        await asyncio.sleep(0.2)  # the state is in another process: asked again shortly
    raise AssertionError(f"{what} within {timeout} s\n{shape.logs()}")


def open_files(pid: int) -> list[str]:
    """What process `pid` has open: paths, and "socket:[inode]" for sockets."""
    targets = []
    with contextlib.suppress(FileNotFoundError, PermissionError):
        for fd in os.listdir(f"/proc/{pid}/fd"):
            with contextlib.suppress(FileNotFoundError, PermissionError):
                targets.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
    return targets


def parts_open(pid: int) -> set[str]:
    """The part files process `pid` is writing, by key."""
    return {Path(t).stem for t in open_files(pid) if t.endswith(".part")}


# ---- conversation state -----------------------------------------------------------------------


async def test_a_wizard_started_on_one_process_finishes_through_the_others(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    root = tmp_path / "ftp"
    (root / "pub").mkdir(parents=True)
    (root / "pub" / "one.dat").write_bytes(b"x" * 10)
    with counting_server(root) as (port, _):
        async with (
            ClusterShape(n=3, telegram=telegram, pg=pg_cluster) as shape,
            script(shape, tmp_path / "script", admin_ids=str(ADMIN)) as services,
        ):
            await shape.wait_leader()
            await make_user(services, ADMIN, admin=True, name="Root")
            admin = telegram.user(ADMIN, "Root", language_code="en")
            handlers: list[int] = []

            def last_update() -> int:
                return telegram.webhook_posts[-1].update_id

            async def step_handled() -> int:
                await telegram.wait_delivered()
                update_id = last_update()
                where = handled_by(shape, update_id)
                assert len(where) == 1, f"update {update_id} handled by {where}\n{shape.logs()}"
                handlers.append(where[0])
                return where[0]

            await telegram.send_text(admin, "/stations_admin")
            listing = await telegram.expect_message(admin.id, timeout=30)
            await step_handled()
            await telegram.press(admin, listing, "Add a station")
            assert "address" in (await telegram.expect_message(admin.id, timeout=30)).text
            first = await step_handled()

            # The process that began the wizard goes away (a deploy); the others go on with it.
            shape.processes[first].kill(signal.SIGTERM)
            assert await shape.processes[first].wait() == 0
            others = [i for i in range(3) if i != first]
            await shape.wait_balanced(others)

            await telegram.send_text(admin, f"ftp://127.0.0.1:{port}/pub")
            assert "login" in (await telegram.expect_message(admin.id, timeout=30)).text
            second = await step_handled()
            assert second != first

            # The next one crashes.
            shape.processes[second].kill(signal.SIGKILL)
            await shape.processes[second].wait()
            last = next(i for i in others if i != second)
            await shape.wait_balanced([last])

            await telegram.send_text(admin, LOGIN)
            assert "password" in (await telegram.expect_message(admin.id, timeout=30)).text
            await telegram.send_text(admin, PASSWORD)
            tls = await telegram.expect_message(admin.id, timeout=30)
            await telegram.press(admin, tls, "no TLS")
            await telegram.expect_message(admin.id, timeout=30)
            await telegram.send_text(admin, "Across")
            result = await telegram.expect_message(admin.id, timeout=30)
            await telegram.wait_until(lambda: "saved" in result.text, timeout=30)
            assert "entries in the root folder: 1" in result.text
            assert await step_handled() == last

            station = await Station.get(name="Across")
            assert (station.host, station.port, station.root) == ("127.0.0.1", port, "/pub")
            assert set(handlers) == {0, 1, 2}, handlers
            # Every update reached the bot once and was handled once.
            ids = [post.update_id for post in telegram.webhook_posts if post.delivered]
            assert len(ids) == len(set(ids))
            for update_id in ids:
                assert len(handled_by(shape, update_id)) == 1


# ---- downloads ----------------------------------------------------------------------------------


async def test_fifty_downloads_complete_once_while_one_process_crashes_and_one_stops(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    roots = {name: tmp_path / name for name in ("north", "south")}
    expected: dict[str, str] = {}
    for name, root in roots.items():
        root.mkdir()
        for index in range(25):
            data = os.urandom(MiB // 2 + index * 1000)
            (root / f"{name}-{index:02}.dat").write_bytes(data)
            expected[f"{name}-{index:02}.dat"] = hashlib.sha256(data).hexdigest()
        old = time.time() - 86400
        for path in root.iterdir():
            os.utime(path, (old, old))
    limits = {"north": 4, "south": 3}
    with (
        # Each transfer takes about two seconds: processes die in the middle of some.
        counting_server(roots["north"], rate=MiB // 4) as (north_port, north),
        counting_server(roots["south"], rate=MiB // 4) as (south_port, south),
    ):
        async with (
            ClusterShape(
                n=3,
                telegram=telegram,
                pg=pg_cluster,
                env_extra={"DOWNLOAD_LEASE": "4", "DOWNLOAD_RETRY_DELAY": "1"},
            ) as shape,
            script(shape, tmp_path / "script", admin_ids=str(ADMIN)) as services,
        ):
            admin = await make_user(services, ADMIN, admin=True, name="Root")
            person = await make_user(services, 7001, name="Downloader")
            stations = {
                "north": await add_station(
                    services, admin, "North", north_port, max_connections=limits["north"]
                ),
                "south": await add_station(
                    services, admin, "South", south_port, max_connections=limits["south"]
                ),
            }
            await services.stations.follow(person, list(stations.values()))
            admin_token = await services.auth.issue_token(admin.id)
            token = await services.auth.issue_token(person.id)
            async with shape.client() as http:
                await poll_through(shape, http, admin_token, stations.values())
                files = [row.id for row in await StationFile.all().only("id")]
                assert len(files) == 50
                await request_downloads(shape, http, token, files)

                async def downloads() -> list[dict[str, Any]]:
                    # A request in flight to a process that dies is lost: asked again, as a
                    # client would.
                    for _ in range(5):
                        with contextlib.suppress(aiohttp.ClientConnectionError):
                            async with http.get(
                                f"{shape.lb_url}/api/v1/downloads/?per_page=100",
                                headers=bearer(token),
                            ) as response:
                                if response.status not in (502, 503):
                                    assert response.status == 200, await response.text()
                                    items: list[dict[str, Any]] = (await response.json())["items"]
                                    return items
                        # Once HAProxy sends requests only to the processes still running.
                        await shape.wait_balanced(
                            i for i, p in enumerate(shape.processes) if p.running
                        )
                    raise AssertionError(f"the downloads could not be listed\n{shape.logs()}")

                # A process in the middle of a transfer crashes...
                pids = {i: p.pid for i, p in enumerate(shape.processes)}

                async def transferring() -> int | None:
                    """A process well into a transfer: writing the part of one that has received
                    a quarter of its file."""
                    received = await Transfer.filter(
                        status=TransferStatus.RUNNING, bytes_done__gte=MiB // 8
                    ).only("id")
                    keys = {part_key(t.id) for t in received}
                    for index, pid in pids.items():
                        if parts_open(pid) & keys:
                            return index
                    return None

                async def under_way() -> bool:
                    return await transferring() is not None

                await eventually(under_way, 30, "no transfer got under way", shape)
                crashed = await transferring()
                assert crashed is not None
                shape.processes[crashed].kill(signal.SIGKILL)
                await shape.processes[crashed].wait()
                await asyncio.sleep(1.5)  # the others take more of the queue meanwhile

                # ...and another one is stopped in the middle of its own.
                del pids[crashed]
                await eventually(under_way, 30, "no other transfer got under way", shape)
                stopped = await transferring()
                assert stopped is not None
                shape.processes[stopped].kill(signal.SIGTERM)
                assert await shape.processes[stopped].wait() == 0
                survivor = next(i for i in range(3) if i not in (crashed, stopped))
                await shape.wait_balanced([survivor])

                async def all_completed() -> bool:
                    items = await downloads()
                    failed = [d for d in items if d["status"] == "failed"]
                    assert not failed, f"{failed}\n{shape.logs()}"
                    return all(d["status"] == "completed" for d in items)

                await eventually(all_completed, 240, "not every download completed", shape)
                finished = await downloads()
                assert len(finished) == 50
                for item in finished:
                    async with http.get(
                        f"{shape.lb_url}/api/v1/files/{item['file_id']}/download/",
                        headers=bearer(token),
                    ) as response:
                        assert response.status == 200
                        body = await response.read()
                    assert hashlib.sha256(body).hexdigest() == expected[item["path"].lstrip("/")]
                async with http.get(
                    f"{shape.lb_url}/api/v1/files/?per_page=100", headers=bearer(token)
                ) as response:
                    assert (await response.json())["total"] == 50  # each delivered once

            transfers = await Transfer.all()
            assert len(transfers) == 50
            assert {t.status for t in transfers} == {TransferStatus.COMPLETED}
    # What the servers counted: never more connections than the station allows, and the
    # transfers cut off by the crash and the stop went on from where they were.
    assert north.most <= limits["north"], north
    assert south.most <= limits["south"], south
    assert north.most + south.most >= 4, (north, south)  # several processes really worked
    assert north.resumed + south.resumed >= 1, (north, south)


# ---- messages -----------------------------------------------------------------------------------


async def test_two_thousand_messages_arrive_once_within_telegrams_limits_while_the_sender_dies(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    telegram.enforce_limits(per_second=30, chat_interval=1.0)
    async with (
        ClusterShape(
            n=3,
            telegram=telegram,
            pg=pg_cluster,
            env_extra={
                "BOT_TOKEN_RATE": "100",
                "BOT_TOKEN_BURST": "100",
                "BOT_TOKEN_DAILY": "10000",
            },
        ) as shape,
        script(shape, tmp_path / "script", admin_ids=str(ADMIN)) as services,
    ):
        leader = await shape.wait_leader()
        people = [await make_user(services, 7100 + i, name=f"P{i}") for i in range(50)]
        tokens = [(await services.messaging.create_token(p, "load")).token for p in people]
        # In turns, as 50 apps sending at once would.
        texts = {
            f"message {i} to {p.id}": 7100 + n for i in range(40) for n, p in enumerate(people)
        }
        gate = asyncio.Semaphore(8)

        async with shape.client() as http:

            async def send(token: str, text: str) -> None:
                async with gate:
                    for _ in range(20):  # an app that honours Retry-After
                        async with http.post(
                            f"{shape.lb_url}/api/v1/messages/",
                            json={"text": text, "format": "plain"},
                            headers=bearer(token),
                        ) as response:
                            if response.status == 202:
                                return
                            assert response.status == 429, await response.text()
                            await asyncio.sleep(float(response.headers["Retry-After"]))
                    raise AssertionError(f"{text!r} was never accepted")

            by_person = dict(zip((p.id for p in people), tokens, strict=True))
            queueing = asyncio.gather(
                *(send(by_person[int(text.rsplit(" ", 1)[1])], text) for text in texts)
            )

            def delivered() -> int:  # cheap: it is asked at every call the fake receives
                return len(telegram.messages)

            # The sender (the leader) dies mid-way, right after one of its sends was answered:
            # the messages it had claimed and not sent yet must come from the next leader, once.
            # Every message is accepted first: a request in flight to a process that dies is
            # lost, and an app sending it again would queue a second message of its own.
            await queueing
            sent = delivered()
            # What follows takes about 300 sends (100, a takeover, 100, a kill); some must be
            # left for the last leader.
            assert sent < len(texts) - 400, "the sender finished before the test could begin"

            # The leader loses its coordination connection but lives on (a network cut): another
            # process leads, and the old one must not go on sending what the new one sends.
            await telegram.wait_until(lambda: delivered() >= sent + 100, timeout=120)
            admin = await asyncpg.connect(
                shape.database_url.replace("postgres://", "postgresql://", 1)
            )
            try:
                cut = await admin.fetchval(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND classid = $1 AND objid = 0",
                    LEADER_KEY,
                )
            finally:
                await admin.close()
            assert cut == 1
            await shape.wait_leader()

            # Then the leader dies, right after one of its sends was answered: the messages it
            # had not sent yet come from the next leader, once.
            sent = delivered()
            await telegram.wait_until(lambda: delivered() >= sent + 100, timeout=120)
            leader = await shape.wait_leader()
            await asyncio.sleep(0.02)
            killed_at = time.monotonic()
            shape.processes[leader].kill(signal.SIGKILL)
            await shape.processes[leader].wait()
            new_leader = await shape.wait_leader()
            takeover = time.monotonic() - killed_at
            assert new_leader != leader

            await telegram.wait_until(lambda: delivered() >= len(texts), timeout=180)
            await asyncio.sleep(2)  # anything sent twice would show by now
            received = Counter(
                m.text for chat in set(texts.values()) for m in telegram.sent_to(chat)
            )
    assert telegram.flood_answers == 0, telegram.flood_reasons
    assert set(received) == set(texts)
    # Telegram cannot be asked whether a message arrived: a message whose call was under way at
    # the instant its sender was killed may come twice (at most IN_DOUBT). Nothing else may.
    twice = [text for text, count in received.items() if count > 1]
    assert len(twice) <= IN_DOUBT, twice
    assert all(count <= 2 for count in received.values())
    assert takeover < 10, takeover


# ---- scheduling ---------------------------------------------------------------------------------


async def test_polls_go_on_within_thirty_seconds_when_the_scheduling_leader_is_killed(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    roots = [tmp_path / "a", tmp_path / "b"]
    for root in roots:
        root.mkdir()
        (root / "file.dat").write_bytes(b"y" * 100)
    with (
        counting_server(roots[0]) as (port_a, seen_a),
        counting_server(roots[1]) as (
            port_b,
            seen_b,
        ),
    ):
        async with (
            ClusterShape(n=3, telegram=telegram, pg=pg_cluster) as shape,
            script(shape, tmp_path / "script", admin_ids=str(ADMIN)) as services,
        ):
            leader = await shape.wait_leader()
            admin = await make_user(services, ADMIN, admin=True, name="Root")
            admin_token = await services.auth.issue_token(admin.id)
            ids = []
            async with shape.client() as http:
                for name, port in (("A", port_a), ("B", port_b)):
                    async with http.post(
                        f"{shape.lb_url}/api/v1/admin/stations/",
                        json={
                            "name": name,
                            "host": "127.0.0.1",
                            "port": port,
                            "login": LOGIN,
                            "password": PASSWORD,
                            "tls": "none",
                            "poll_interval": 30,
                            "max_connections": 1,
                        },
                        headers=bearer(admin_token),
                    ) as response:
                        assert response.status == 201, await response.text()
                        ids.append((await response.json())["id"])

            async def polled_both() -> bool:
                return all([await StationPoll.exists(station_id=i) for i in ids])

            # The leader polls new stations at once.
            await eventually(polled_both, 20, "the new stations were not polled", shape)

            killed = datetime.now(UTC)
            shape.processes[leader].kill(signal.SIGKILL)
            await shape.processes[leader].wait()

            async def polled_again() -> bool:
                return all(
                    [await StationPoll.exists(station_id=i, started_at__gt=killed) for i in ids]
                )

            await eventually(polled_again, 40, "polls did not go on", shape)
            for station_id in ids:
                after = (
                    await StationPoll.filter(station_id=station_id, started_at__gt=killed)
                    .order_by("started_at")
                    .first()
                )
                assert after is not None
                assert (after.started_at - killed).total_seconds() <= 30
            assert (await shape.wait_leader()) != leader

            # Never two polls of one station at once.
            for station_id in ids:
                polls = await StationPoll.filter(station_id=station_id).order_by("started_at")
                for earlier, later in itertools.pairwise(polls):
                    assert earlier.finished_at is not None
                    assert earlier.finished_at <= later.started_at
    assert seen_a.most == 1
    assert seen_b.most == 1


# ---- updates, progress ----------------------------------------------------------------------


async def test_an_update_telegram_sends_twice_is_handled_once(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    async with ClusterShape(n=3, telegram=telegram, pg=pg_cluster) as shape:
        await shape.wait_leader()
        secret = webhook_secret(load_settings(_env_file=None, secret_key=shape.secret_key))
        telegram.open_chat(6100)
        update = {
            "update_id": 10_000_001,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": 6100, "type": "private", "first_name": "Twice"},
                "from": {"id": 6100, "is_bot": False, "first_name": "Twice", "language_code": "en"},
                "text": "/start",
            },
        }
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret}
        async with aiohttp.ClientSession() as http:

            async def deliver(index: int) -> int:
                async with http.post(
                    f"{shape.processes[index].api_url}/telegram/webhook",
                    json=update,
                    headers=headers,
                ) as response:
                    return response.status

            # Telegram timed out on one process and tried another while the first still worked.
            first = await asyncio.gather(deliver(0), deliver(1))
            assert sorted(first) in ([200, 200], [200, 503]), first
            assert await deliver(2) == 200  # once handled, a late copy is acknowledged
            async with http.post(
                f"{shape.processes[0].api_url}/telegram/webhook",
                json={**update, "update_id": 10_000_002},
                headers={"X-Telegram-Bot-Api-Secret-Token": "forged"},
            ) as response:
                assert response.status == 401
        await telegram.expect_message(6100, timeout=30)
        await asyncio.sleep(1)  # a second answer would come now
        assert len(telegram.sent_to(6100)) == 1
        assert len(handled_by(shape, 10_000_001)) == 1
        assert handled_by(shape, 10_000_002) == []


async def test_progress_of_a_transfer_in_one_process_reaches_watchers_on_the_others_in_a_second(
    telegram: FakeTelegram, pg_cluster: Cluster, tmp_path: Path
) -> None:
    root = tmp_path / "ftp"
    root.mkdir()
    (root / "big.dat").write_bytes(os.urandom(MiB))
    old = time.time() - 86400
    os.utime(root / "big.dat", (old, old))
    with counting_server(root, rate=MiB // 4) as (port, _):
        async with (
            ClusterShape(n=3, telegram=telegram, pg=pg_cluster) as shape,
            script(shape, tmp_path / "script", admin_ids=str(ADMIN)) as services,
        ):
            admin = await make_user(services, ADMIN, admin=True, name="Root")
            person = await make_user(services, 7002, name="Watcher")
            station_id = await add_station(services, admin, "Live", port)
            await services.stations.follow(person, [station_id])
            await services.stations.poll(station_id)
            token = await services.auth.issue_token(person.id)
            heard: dict[int, list[tuple[float, dict[str, Any]]]] = {0: [], 1: [], 2: []}

            async def watch(index: int, http: aiohttp.ClientSession) -> None:
                url = f"{shape.processes[index].api_url}/api/v1/downloads/live/?token={token}"
                async with http.ws_connect(url) as socket:
                    async for message in socket:
                        heard[index].append((time.time(), json.loads(message.data)))

            async with aiohttp.ClientSession() as http:
                watchers = [asyncio.create_task(watch(i, http)) for i in range(3)]
                try:
                    await eventually(
                        lambda: _true(all(heard.values())), 10, "no snapshot on every socket", shape
                    )
                    file_id = await StationFile.get(station_id=station_id).values_list(
                        "id", flat=True
                    )
                    async with (
                        shape.client() as lb,
                        lb.post(
                            f"{shape.lb_url}/api/v1/downloads/",
                            json={"station_file_id": file_id},
                            headers=bearer(token),
                        ) as response,
                    ):
                        assert response.status == 201, await response.text()
                        download_id = (await response.json())["id"]

                    def completed(index: int) -> float | None:
                        for at, event in heard[index]:
                            item = event.get("item") or {}
                            if item.get("id") == download_id and item["status"] == "completed":
                                return at
                        return None

                    await eventually(
                        lambda: _true(all(completed(i) for i in range(3))),
                        60,
                        "not every watcher heard the download complete",
                        shape,
                    )
                finally:
                    for task in watchers:
                        task.cancel()
                    await asyncio.gather(*watchers, return_exceptions=True)
            download = await services.downloads.get(person, download_id)
    assert download.finished_at is not None
    finished = download.finished_at.timestamp()
    for index in range(3):
        progress = [
            event["item"]["bytes"]
            for _, event in heard[index]
            if event.get("type") == "progress" and event["item"]["id"] == download_id
        ]
        # Every watcher saw it move, wherever it ran, and heard it end within a second.
        assert progress and progress == sorted(progress), (index, progress)
        assert (completed_at := completed(index)) is not None
        assert completed_at - finished < 1.0, (index, completed_at - finished)


async def _true(value: object) -> bool:
    return bool(value)


# ---- losing Redis and PostgreSQL ---------------------------------------------------------------


async def test_health_says_when_redis_or_postgresql_is_gone_and_all_recovers(
    telegram: FakeTelegram, tmp_path: Path
) -> None:
    # Its own PostgreSQL, which this test stops.
    async with ClusterShape(n=2, telegram=telegram) as shape:
        await shape.wait_leader()

        def every(check: Any) -> Any:
            async def condition() -> bool:
                healths = await shape.healths()
                return all(h is not None and check(h) for h in healths)

            return condition

        async with shape.redis_stopped():
            await eventually(
                every(lambda h: h["redis"] is False and h["status"] == "degraded"),
                15,
                "/health did not say Redis is gone",
                shape,
            )
        await eventually(
            every(lambda h: h["redis"] is True and h["status"] == "ok"),
            20,
            "/health did not recover with Redis",
            shape,
        )
        async with shape.database_stopped():
            await eventually(
                every(lambda h: h["database"] is False and h["role"] == "follower"),
                20,
                "/health did not say PostgreSQL is gone",
                shape,
            )
        await eventually(
            every(lambda h: h["database"] is True and h["status"] == "ok"),
            40,
            "/health did not recover with PostgreSQL",
            shape,
        )
        await shape.wait_leader(timeout=20)
        # And the service works again: a person is answered through the webhook.
        user = telegram.user(6200, "Back", language_code="en")
        await telegram.send_text(user, "/start")
        reply = await telegram.expect_message(user.id, timeout=30)
        assert "Back" in reply.text
