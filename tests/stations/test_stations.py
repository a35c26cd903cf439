"""Polling stations against real FTP servers: files appear, grow, settle and are announced once;
vanished files are marked gone; failures stay inside one station and reach admins on change."""

from __future__ import annotations

import asyncio
import contextlib
import ftplib
import os
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from services.accounts.users import UserView
from services.container import Services
from services.core.errors import Conflict
from services.core.models import Station, StationFile, StationPoll
from services.scheduler import create_scheduler, schedule_jobs
from services.stations.views import StationFileFilter
from tests.support.ftp_files import DAY, TREE, fill, put, put_raw
from tests.support.ftp_servers import (
    PASSWORD,
    STATION_KINDS,
    Certificates,
    pyftpdlib_server,
    station_server,
)
from tests.support.messages import seen
from tests.support.people import make_user
from tests.support.stations import add_station
from tests.support.telegram_fake import FakeTelegram

pytestmark = pytest.mark.every_backend

FOLLOWER = 7101
ADMIN = 900001


def grow(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


@contextlib.asynccontextmanager
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts connections and never says a word (a hung station)."""
    writers: list[asyncio.StreamWriter] = []

    async def hold(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        for writer in writers:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
async def people(services: Services) -> tuple[UserView, UserView]:
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    follower = await make_user(services, FOLLOWER, name="Follower")
    return admin, follower


async def announcements(services: Services, telegram: FakeTelegram) -> list[str]:
    await services.delivery.wait_idle()
    return [seen(m.text) for m in telegram.sent_to(FOLLOWER)]


@pytest.mark.parametrize("kind", STATION_KINDS)
async def test_a_file_appears_grows_settles_is_announced_once_and_goes(
    kind: str,
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    put(ftp_root, "archive/old pass.dat", b"o" * 10, age=DAY)
    async with station_server(kind, ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        stations = services.stations

        baseline = await stations.poll(station.id)
        assert (baseline.ok, baseline.files_seen, baseline.new_files) == (True, 1, 0)
        listed = await stations.list_files(follower, StationFileFilter())
        assert [f.path for f in listed.items] == ["/archive/old pass.dat"]
        assert not listed.items[0].new  # there before the station was followed

        name = 'Снимок "Метеор-М" 01.tif'
        path = put(ftp_root, f"2026/11/{name}", b"x" * 100)
        first = await stations.poll(station.id)
        assert (first.files_seen, first.new_files) == (2, 0)
        grow(path, b"y" * 100)
        assert (await stations.poll(station.id)).new_files == 0  # still growing
        assert await announcements(services, telegram) == []

        settled = await stations.poll(station.id)
        assert settled.new_files == 1
        texts = await announcements(services, telegram)
        assert len(texts) == 1
        assert name in texts[0] and "1 new file" in texts[0] and endpoint.name in texts[0]
        new = await stations.list_files(follower, StationFileFilter(only_new=True))
        assert [(f.path, f.size, f.new) for f in new.items] == [(f"/2026/11/{name}", 200, True)]

        again = await stations.poll(station.id)
        assert (again.files_seen, again.new_files, again.gone_files) == (2, 0, 0)
        assert len(await announcements(services, telegram)) == 1

        path.unlink()
        gone = await stations.poll(station.id)
        assert (gone.files_seen, gone.gone_files) == (1, 1)
        visible = await stations.list_files(follower, StationFileFilter())
        assert [f.path for f in visible.items] == ["/archive/old pass.dat"]
        with_gone = await stations.list_files(follower, StationFileFilter(include_gone=True))
        assert {f.path: f.gone for f in with_gone.items} == {
            "/archive/old pass.dat": False,
            f"/2026/11/{name}": True,
        }
    assert len(await announcements(services, telegram)) == 1


async def test_cp1251_station_names_are_read_as_cyrillic(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, follower = people
    put_raw(ftp_root, "Снимок 1.dat".encode("cp1251"), b"one")
    put_raw(ftp_root, b"snapshot 2.dat", b"two")
    async with station_server("vsftpd-implicit", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint, encoding="cp1251")
        await services.stations.follow(follower, [station.id])
        await services.stations.poll(station.id)
        await services.stations.poll(station.id)
    page = await services.stations.list_files(follower, StationFileFilter())
    assert sorted(f.path for f in page.items) == ["/snapshot 2.dat", "/Снимок 1.dat"]


async def test_an_unchanged_station_writes_nothing_but_its_poll_record(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, _ = people
    fill(ftp_root)
    put(ftp_root, "fresh.dat", b"new")
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.poll(station.id)
        await services.stations.poll(station.id)  # fresh.dat settles
        files_before = await StationFile.all().order_by("id").values()
        station_before = await Station.get(id=station.id).values("listing_digest", "pending_files")
        polls_before = await StationPoll.all().count()
        result = await services.stations.poll(station.id)
    assert result.ok and result.new_files == 0 and result.files_seen == len(TREE) + 1
    assert await StationFile.all().order_by("id").values() == files_before
    after = await Station.get(id=station.id).values("listing_digest", "pending_files")
    assert after == station_before and after["pending_files"] == 0
    assert await StationPoll.all().count() == polls_before + 1


async def test_a_connection_limited_station_backs_off_and_admins_hear_on_change_only(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, _ = people
    put(ftp_root, "a.dat", b"a", age=DAY)
    # pyftpdlib lets a client in while no more than `max_connections` are open, and counts a
    # session only once it has started: three clients fill two, and a poll is refused at once
    # (with two, the poll's own session would race pyftpdlib's count of it).
    with pyftpdlib_server(ftp_root, max_connections=2) as endpoint:
        station = await add_station(services, admin, endpoint, poll_interval=60)
        occupants = [ftplib.FTP(), ftplib.FTP(), ftplib.FTP()]
        for occupant in occupants:
            await asyncio.to_thread(occupant.connect, endpoint.host, endpoint.port, 10)
        try:
            first = await services.stations.poll(station.id)
            assert not first.ok and first.error_code == "ftp_busy"
            assert "Too many connections" in first.error
            assert not (await services.stations.get(station.id)).failing  # one blip
            second = await services.stations.poll(station.id)
            assert not second.ok
            view = await services.stations.get(station.id)
            assert view.failing and view.health == "failing" and "busy" in view.last_error
            # The scheduler backs off: twice the interval after two failures.
            assert await services.stations.poll_due(station.id) is None
            assert await StationPoll.filter(station_id=station.id).count() == 2
            await services.stations.poll(station.id)
        finally:
            for occupant in occupants:
                await asyncio.to_thread(occupant.close)
        recovered = await services.stations.poll(station.id)
    assert recovered.ok and recovered.files_seen == 1
    assert not (await services.stations.get(station.id)).failing
    await services.delivery.wait_idle()
    notices = [seen(m.text) for m in telegram.sent_to(ADMIN) if "Station" in m.text]
    assert len(notices) == 2, notices  # failing once, recovered once — not once per poll
    assert "failing" in notices[0] and "busy" in notices[0]
    assert "answers again" in notices[1]


async def test_polls_and_tests_share_the_station_connection_limit(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, _ = people
    fill(ftp_root)
    # One session takes two of pyftpdlib's connections (control and data): a second would not fit.
    with pyftpdlib_server(ftp_root, max_connections=2) as endpoint:
        station = await add_station(services, admin, endpoint, max_connections=1)
        results = await asyncio.gather(
            services.stations.poll(station.id),
            services.stations.test(station.id),
            services.stations.test(station.id),
        )
    poll, *tests = results
    assert poll.ok and poll.files_seen == len(TREE)
    assert [t.entries for t in tests] == [3, 3]


async def test_a_dropped_listing_marks_nothing_gone(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, follower = people
    fill(ftp_root)
    drop = threading.Event()
    with pyftpdlib_server(ftp_root, drop=drop) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        assert (await services.stations.poll(station.id)).files_seen == len(TREE)
        drop.set()
        broken = await services.stations.poll(station.id)
        assert not broken.ok and broken.error_code == "ftp_dropped"
        assert await StationFile.filter(gone=True).count() == 0
        drop.clear()
        healed = await services.stations.poll(station.id)
    assert healed.ok and healed.files_seen == len(TREE) and healed.gone_files == 0


async def test_a_second_poll_of_the_same_station_is_refused_while_one_runs(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, _ = people
    services.stations.timeout = 2
    async with silent_server() as port:
        station = await services.stations.create(admin, {"host": "127.0.0.1", "port": port})
        running = asyncio.create_task(services.stations.poll(station.id))
        async with asyncio.timeout(10):
            while True:  # until the first poll holds the station
                if (await Station.get(id=station.id)).poll_lease_until is not None:
                    break
                await asyncio.sleep(0.02)
        with pytest.raises(Conflict):
            await services.stations.poll(station.id)
        result = await running
    assert result.error_code == "ftp_timeout"
    assert (await services.stations.get(station.id)).last_error == result.error


async def test_a_hanging_station_does_not_delay_the_others(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path
) -> None:
    """Through the real scheduler: each station has its own job, and a new one is polled at once."""
    admin, follower = people
    put(ftp_root, "ok.dat", b"ok", age=DAY)
    services.stations.timeout = 6
    scheduler: AsyncIOScheduler = create_scheduler()
    schedule_jobs(scheduler, services)
    scheduler.start()
    try:
        async with silent_server() as port:
            hanging = await services.stations.create(
                admin, {"name": "hanging", "host": "127.0.0.1", "port": port}
            )
            await asyncio.sleep(0.2)
            with pyftpdlib_server(ftp_root) as endpoint:
                healthy = await add_station(services, admin, endpoint)
                started = time.monotonic()
                while (await services.stations.get(healthy.id)).last_success_at is None:
                    assert time.monotonic() - started < 4, "the healthy station waited"
                    await asyncio.sleep(0.05)
            assert (await services.stations.get(hanging.id)).last_poll_at is None  # still stuck
            await services.stations.follow(follower, [healthy.id])
            page = await services.stations.list_files(follower, StationFileFilter())
            assert [f.path for f in page.items] == ["/ok.dat"]
            while (await services.stations.get(hanging.id)).last_poll_at is None:
                assert time.monotonic() - started < 15
                await asyncio.sleep(0.1)
            assert (await services.stations.get(hanging.id)).last_error
    finally:
        scheduler.shutdown(wait=False)


async def test_the_password_is_encrypted_at_rest(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, _ = people
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        stored = await Station.get(id=station.id).values("password_encrypted")
        assert PASSWORD not in stored["password_encrypted"] and stored["password_encrypted"]
        assert (await services.stations.test(station.id)).entries == 0  # it still logs in
        assert PASSWORD not in repr(services.stations.target(await Station.get(id=station.id)))


async def test_following_and_seen_marks(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, follower = people
    put(ftp_root, "one/a.dat", b"a", age=DAY)
    put(ftp_root, "two/b.dat", b"b", age=DAY)
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        one = await add_station(services, admin, endpoint, name="one", root="/one")
        two = await add_station(services, admin, endpoint, name="two", root="two/")
        assert two.root == "/two"
        for station in (one, two):
            await services.stations.poll(station.id)
        await services.stations.follow(follower, [one.id, two.id])
        put(ftp_root, "two/c.dat", b"c")
        await services.stations.poll(two.id)
        await services.stations.poll(two.id)
    everything = await services.stations.list_files(follower, StationFileFilter())
    assert next(f.path for f in everything.items) == "/two/c.dat"
    assert {f.path for f in everything.items} == {"/one/a.dat", "/two/b.dat", "/two/c.dat"}
    survey = {s.station.name: s for s in await services.stations.survey(follower)}
    assert (survey["two"].new_in_last_poll, survey["two"].new_since_seen) == (1, 1)
    assert (survey["one"].new_since_seen, survey["one"].last_poll is not None) == (0, True)
    count, _ = await services.stations.mark_seen(follower, two.id)
    assert count == 1
    new = await services.stations.list_files(follower, StationFileFilter(only_new=True))
    assert new.total == 0
    await services.stations.follow(follower, [one.id])
    assert {
        f.path for f in (await services.stations.list_files(follower, StationFileFilter())).items
    } == {"/one/a.dat"}
    followed = {s.station.name: s.followed for s in await services.stations.stations_for(follower)}
    assert followed == {"one": True, "two": False}


async def test_a_file_turning_half_a_year_old_on_a_list_only_station_is_not_news(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    """vsftpd's LIST shows "May 25 11:04" and, once 182 days have passed, "May 25 2026"."""
    admin, follower = people
    put(ftp_root, "aging.dat", b"a", age=182 * DAY - 3)
    async with station_server("vsftpd", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        await services.stations.poll(station.id)
        await asyncio.sleep(4)
        result = await services.stations.poll(station.id)
    assert (result.ok, result.new_files) == (True, 0)
    page = await services.stations.list_files(follower, StationFileFilter())
    assert [(f.path, f.new) for f in page.items] == [("/aging.dat", False)]
    assert await announcements(services, telegram) == []


async def test_two_polls_in_quick_succession_do_not_settle_a_file(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, follower = people
    services.stations.settle_seconds = 1.5
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        await services.stations.poll(station.id)
        put(ftp_root, "upload paused.dat", b"half")
        await services.stations.poll(station.id)
        assert (await services.stations.poll(station.id)).new_files == 0  # "poll now" right after
        await asyncio.sleep(1.6)
        assert (await services.stations.poll(station.id)).new_files == 1


async def test_a_folder_that_cannot_be_opened_keeps_its_files_and_the_station_healthy(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    admin, follower = people
    put(ftp_root, "open/a.dat", b"a", age=DAY)
    put(ftp_root, "rotating/b.dat", b"b", age=DAY)
    async with station_server("vsftpd", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        assert (await services.stations.poll(station.id)).files_seen == 2
        (ftp_root / "rotating").chmod(0o700)
        partial = await services.stations.poll(station.id)
        assert (partial.ok, partial.files_seen, partial.gone_files) == (True, 1, 0)
        assert not (await services.stations.get(station.id)).failing
        (ftp_root / "rotating").chmod(0o755)
        (ftp_root / "rotating/b.dat").unlink()
        assert (await services.stations.poll(station.id)).gone_files == 1


async def test_a_file_coming_back_unchanged_is_not_announced_again(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.follow(follower, [station.id])
        await services.stations.poll(station.id)
        path = put(ftp_root, "flaky.dat", b"f")
        for _ in range(2):
            await services.stations.poll(station.id)
        assert len(await announcements(services, telegram)) == 1
        stamp = path.stat().st_mtime
        path.rename(ftp_root / "flaky.moved")
        assert (await services.stations.poll(station.id)).gone_files == 1
        (ftp_root / "flaky.moved").rename(path)
        os.utime(path, (stamp, stamp))
        back = await services.stations.poll(station.id)
        await services.stations.poll(station.id)
    assert (back.files_seen, back.new_files) == (1, 0)
    assert len(await announcements(services, telegram)) == 1
    page = await services.stations.list_files(follower, StationFileFilter())
    assert [f.path for f in page.items] == ["/flaky.dat"]


async def test_moving_a_station_to_another_folder_is_a_new_baseline(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    put(ftp_root, "old/a.dat", b"a", age=DAY)
    put(ftp_root, "new/b.dat", b"b", age=DAY)
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint, root="/old")
        await services.stations.follow(follower, [station.id])
        await services.stations.poll(station.id)
        await services.stations.update(admin, station.id, {"root": "/new"})
        moved = await services.stations.poll(station.id)
        await services.stations.poll(station.id)
    assert (moved.files_seen, moved.new_files, moved.gone_files) == (1, 0, 1)
    assert await announcements(services, telegram) == []


async def test_a_station_failing_for_days_is_still_polled_hourly(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, _ = people
    station = await services.stations.create(admin, {"host": "127.0.0.1", "port": 1})
    long_ago = datetime.now(UTC) - timedelta(hours=2)
    await Station.filter(id=station.id).update(consecutive_failures=500, last_poll_at=long_ago)
    row = await Station.get(id=station.id)
    assert services.stations.backoff_until(row) == long_ago + timedelta(hours=1)
    result = await services.stations.poll_due(station.id)
    assert result is not None and result.error_code == "ftp_unreachable"


async def test_files_gone_for_longer_than_the_retention_are_forgotten_unless_still_wanted(
    services: Services, people: tuple[UserView, UserView], ftp_root: Path, certs: Certificates
) -> None:
    """A station that rotates its passes would otherwise make every poll heavier forever."""
    admin, follower = people
    for name in ("old.dat", "wanted.dat", "fetched.dat", "recent.dat"):
        put(ftp_root, name, name.encode(), age=DAY)
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        station = await add_station(services, admin, endpoint)
        await services.stations.poll(station.id)
        ids = dict(await StationFile.all().values_list("path", "id"))
        wanted, _ = await services.downloads.request(follower, ids["/wanted.dat"])
        fetched, _ = await services.downloads.request(follower, ids["/fetched.dat"])
        await services.downloads.down(follower, fetched.id)  # done with: no longer wanted
        for name in ("old.dat", "wanted.dat", "fetched.dat", "recent.dat"):
            (ftp_root / name).unlink()
        assert (await services.stations.poll(station.id)).gone_files == 4
    days = services.settings.log_retention_days
    long_ago = datetime.now(UTC) - timedelta(days=days + 1)
    await StationFile.filter(path__in=["/old.dat", "/wanted.dat", "/fetched.dat"]).update(
        last_seen_at=long_ago
    )
    scheduler = create_scheduler()
    schedule_jobs(scheduler, services)
    job = scheduler.get_job("prune-polls")
    assert job is not None
    await job.func(*job.args)  # as the scheduler runs it
    left = await StationFile.all().values_list("path", flat=True)
    assert sorted(str(path) for path in left) == ["/recent.dat", "/wanted.dat"]
    # The downloads keep making sense: the wanted one still points at its file, the other
    # keeps its name.
    assert (await services.downloads.get(follower, wanted.id)).station_file_id == ids["/wanted.dat"]
    after = await services.downloads.get(follower, fetched.id)
    assert (after.name, after.station_file_id) == ("fetched.dat", None)
