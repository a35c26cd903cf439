"""Passes from real FTP servers: names of every direct-broadcast family become metadata, files
group into passes, a complete pass is announced once, a whole pass is downloaded, and a
predicted pass that brings nothing is reported once."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from services.accounts.users import UserView
from services.container import Services
from services.core.errors import Conflict
from services.core.leases import station_lease
from services.core.models import (
    ExpectedPass,
    ExpectedState,
    PassState,
    Station,
    StationFile,
    User,
)
from services.downloads.worker import DownloadWorker
from services.passes.orbits import Orbits, Place, TleSource
from services.passes.views import PassFilter, PassProgress, PassView
from services.stations.views import StationView
from tests.support.downloads import stored
from tests.support.ftp_files import put
from tests.support.ftp_servers import Certificates, FtpEndpoint, station_server
from tests.support.messages import seen
from tests.support.passes import station_with_files
from tests.support.people import make_user
from tests.support.stations import add_station
from tests.support.telegram_fake import FakeTelegram

pytestmark = pytest.mark.every_backend

FOLLOWER = 7301
ADMIN = 900001
TLE = Path(__file__).resolve().parents[1] / "data" / "tle" / "weather.txt"
CREATED = "c20230101121500123456_cspp_dev.h5"

# What a station receiving several satellites on 1 January 2023 publishes, by pass.
PASSES: dict[tuple[str, int | None], list[str]] = {
    ("NOAA-20", 58000): [
        f"viirs/SVM01_j01_d20230101_t1200000_e1201250_b58000_{CREATED}",
        f"viirs/SVM01_j01_d20230101_t1201260_e1202510_b58000_{CREATED}",
        f"viirs/GMODO_j01_d20230101_t1200000_e1201250_b58000_{CREATED}",
        f"atms/SATMS_j01_d20230101_t1200000_e1208000_b58000_{CREATED}",
        f"cris/SCRIS_j01_d20230101_t1200000_e1208000_b58000_{CREATED}",
    ],
    # The next orbit of the same satellite, one period later: another pass.
    ("NOAA-20", 58001): [f"viirs/SVM01_j01_d20230101_t1341000_e1342250_b58001_{CREATED}"],
    # Across midnight: the end time is on the next day.
    ("NOAA-20", 58007): [f"viirs/SVM01_j01_d20230101_t2359000_e0000250_b58007_{CREATED}"],
    # Another satellite at the same time (and, by chance, the same orbit number): apart.
    ("Suomi-NPP", 58000): [f"viirs/SVM01_npp_d20230101_t1200000_e1201250_b58000_{CREATED}"],
    # EOS level 0: construction record (000) and data (001) of each APID, and the direct
    # broadcast MODIS level 1B of the same pass.
    ("EOS-Aqua", None): [
        "pds/P1540064AAAAAAAAAAAAAA23001120000000.PDS",
        "pds/P1540064AAAAAAAAAAAAAA23001120000001.PDS",
        "pds/P1540957AAAAAAAAAAAAAA23001120000001.PDS",
        "modis/a1.23001.1200.1000m.hdf",
        "modis/a1.23001.1200.geo.hdf",
    ],
    ("EOS-Terra", None): ["pds/P0420064AAAAAAAAAAAAAA23001120500001.PDS"],
    ("NOAA-19", 71234): [
        "avhrr/NSS.HRPT.NP.D23001.S1200.E1215.B7123456.WI",
        "aapp/hrpt_noaa19_20230101_1200_71234.l1b",
        "raw/20230101120000_NOAA_19.hmf",
    ],
    # The next NOAA-19 pass, one orbit later; its raw name carries no orbit: apart by time.
    ("NOAA-19", None): ["raw/20230101134100_NOAA_19.hmf"],
    ("Metop-B", None): [
        "eps/AVHR_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z",
        "eps/MHSx_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z",
    ],
    ("FY-3D", 8965): [
        "fy3/FY3D_20230101_120000_121500_8965_MERSI_1000M_L1B.HDF",
        "fy3/FY3D_20230101_120000_121500_8965_MERSI_GEO1K_L1B.HDF",
    ],
}
UNKNOWN = "reports/station report.txt"


@pytest.fixture
async def people(services: Services) -> tuple[UserView, UserView]:
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    follower = await make_user(services, FOLLOWER, name="Follower")
    return admin, follower


def quiet(services: Services, seconds: float) -> None:
    services.passes.rules = replace(services.passes.rules, quiet=seconds)


async def followed(
    services: Services, admin: UserView, follower: UserView, endpoint: FtpEndpoint, polls: int = 0
) -> StationView:
    """The endpoint as a station `follower` follows, polled `polls` times."""
    station = await add_station(services, admin, endpoint)
    await services.stations.follow(follower, [station.id])
    for _ in range(polls):
        assert (await services.stations.poll(station.id)).ok
    return station


async def settled(services: Services, user: UserView, pass_id: int, count: int) -> PassProgress:
    """The progress of `user`'s downloads of a pass once `count` of them ended."""
    async with asyncio.timeout(30):
        while True:  # the worker publishes no "pass done": ask like a client would
            progress = await services.passes.progress(user, pass_id)
            if progress.completed + progress.failed >= count:
                return progress
            await asyncio.sleep(0.1)


async def announcements(services: Services, telegram: FakeTelegram) -> list[str]:
    await services.delivery.wait_idle()
    return [seen(m.text) for m in telegram.sent_to(FOLLOWER)]


@pytest.mark.parametrize("kind", ["vsftpd", "pyftpdlib"])
async def test_names_of_every_family_become_passes(
    kind: str,
    services: Services,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    for names in PASSES.values():
        for name in names:
            put(ftp_root, name, name.encode())
    put(ftp_root, UNKNOWN, b"text")
    quiet(services, 3600)
    async with station_server(kind, ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint)
        await services.stations.poll(station.id)

    page = await services.passes.list_passes(follower, PassFilter(), per_page=50)
    assert page.total == len(PASSES)
    found = {}
    for p in page.items:
        detail = await services.passes.get(follower, p.id)
        found[(p.platform, p.orbit)] = sorted(f.path.lstrip("/") for f in detail.files)
        assert p.state == PassState.RECEIVING  # files still new: not quiet yet
        assert p.files == len(detail.files) and p.total_size == sum(f.size for f in detail.files)
    assert found == {key: sorted(names) for key, names in PASSES.items()}

    by_key = {(p.platform, p.orbit): p for p in page.items}
    noaa20 = by_key["NOAA-20", 58000]
    assert (noaa20.start, noaa20.end) == (
        datetime(2023, 1, 1, 12, 0, tzinfo=UTC),
        datetime(2023, 1, 1, 12, 8, tzinfo=UTC),
    )
    assert set(noaa20.instruments) == {"VIIRS", "ATMS", "CrIS"}
    assert by_key["NOAA-20", 58007].end == datetime(2023, 1, 2, 0, 0, 25, tzinfo=UTC)
    assert set(by_key["EOS-Aqua", None].instruments) >= {"MODIS"}

    unknown = await StationFile.get(station_id=station.id, path=f"/{UNKNOWN}")
    assert (unknown.platform, unknown.satellite_pass_id) == (None, None)
    data = await StationFile.get(path="/pds/P1540064AAAAAAAAAAAAAA23001120000001.PDS")
    assert (data.platform, data.instrument, data.level) == ("EOS-Aqua", "MODIS", "L0")
    assert data.start_at == datetime(2023, 1, 1, 12, 0, tzinfo=UTC)

    # Filters: platform, instrument, state and time.
    assert {p.platform for p in (await pick(services, follower, platform="noaa-20"))} == {"NOAA-20"}
    assert {(p.platform, p.orbit) for p in await pick(services, follower, instrument="ATMS")} == {
        ("NOAA-20", 58000)
    }
    late = await pick(services, follower, since=datetime(2023, 1, 1, 13, 0, tzinfo=UTC))
    assert {(p.platform, p.orbit) for p in late} == {
        ("NOAA-20", 58001),
        ("NOAA-20", 58007),
        ("NOAA-19", None),
    }
    assert await pick(services, follower, state=PassState.COMPLETE) == []


async def pick(services: Services, user: UserView, **where: Any) -> list[PassView]:
    return (await services.passes.list_passes(user, PassFilter(**where))).items


async def test_a_complete_pass_is_announced_once_and_files_without_a_pass_as_before(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    first = PASSES["NOAA-20", 58000]
    for name in first[:3]:
        put(ftp_root, name, b"v" * 1000)
    put(ftp_root, UNKNOWN, b"text")
    quiet(services, 3600)
    async with station_server("vsftpd", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint)
        stations = services.stations
        await stations.poll(station.id)  # seen
        await stations.poll(station.id)  # stable: the loose file is announced on its own
        texts = await announcements(services, telegram)
        assert len(texts) == 1 and "station report.txt" in texts[0]

        for name in first[3:]:  # ATMS and CrIS arrive later: the pass is still receiving
            put(ftp_root, name, b"a" * 500)
        await stations.poll(station.id)  # seen: the pass waits for them
        assert len(await announcements(services, telegram)) == 1
        quiet(services, 0)
        await stations.poll(station.id)  # all stable, nothing new since: complete
        await stations.poll(station.id)
    texts = await announcements(services, telegram)
    assert len(texts) == 2
    assert "NOAA-20" in texts[1] and "58000" in texts[1]
    assert all(word in texts[1] for word in ("VIIRS", "ATMS", "CrIS"))
    assert "5" in texts[1]  # files
    [complete] = await pick(services, follower, state=PassState.COMPLETE)
    assert complete.files == 5 and complete.total_size == 3 * 1000 + 2 * 500
    assert await StationFile.filter(station_id=station.id, announced=False).count() == 0


async def test_a_follower_hears_only_the_platforms_and_instruments_chosen(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    for key in (("NOAA-19", 71234), ("Metop-B", None)):
        for name in PASSES[key]:
            put(ftp_root, name, b"h" * 10)
    quiet(services, 0)
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint)
        await services.passes.set_announcements(
            follower, station.id, platforms=["Metop-B"], instruments=[]
        )
        for _ in range(3):
            await services.stations.poll(station.id)
    texts = await announcements(services, telegram)
    assert len(texts) == 1 and "Metop-B" in texts[0]
    assert len(await pick(services, follower, state=PassState.COMPLETE)) == 2


async def test_files_there_before_anyone_followed_form_passes_without_announcements(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    for name in PASSES["FY-3D", 8965]:
        put(ftp_root, name, b"f", age=86400)
    quiet(services, 0)
    async with station_server("vsftpd", ftp_root, certs) as endpoint:
        await followed(services, admin, follower, endpoint, 2)
    [fy3] = await pick(services, follower)
    assert (fy3.platform, fy3.state, fy3.files) == ("FY-3D", PassState.COMPLETE, 2)
    assert await announcements(services, telegram) == []


async def test_a_whole_pass_is_downloaded_once(
    services: Services,
    people: tuple[UserView, UserView],
    worker: DownloadWorker,
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    contents = {
        name: hashlib.sha256(name.encode()).digest() * 3000 for name in PASSES["EOS-Aqua", None]
    }
    for name, data in contents.items():
        put(ftp_root, name, data)
    quiet(services, 0)
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        await followed(services, admin, follower, endpoint, 2)
        [aqua] = await pick(services, follower)
        asked = await services.downloads.request_pass(follower, aqua.id)
        again = await services.downloads.request_pass(follower, aqua.id)
        assert (asked.new, len(asked.downloads), asked.refused) == (5, 5, 0)
        assert (again.new, len(again.downloads)) == (0, 5)
        progress = await settled(services, follower, aqua.id, 5)
    assert (progress.files, progress.failed) == (5, 0)
    assert progress.bytes_done == progress.total_size == sum(len(d) for d in contents.values())
    downloads = await services.downloads.snapshot(follower.id)
    assert sorted(d.path.lstrip("/") for d in downloads) == sorted(contents)
    for download in downloads:
        assert (download.status, download.pass_id) == ("completed", aqua.id)
        assert await stored(services, download) == contents[download.path.lstrip("/")]


async def test_a_predicted_pass_that_brings_nothing_is_reported_once(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    tmp_path: Path,
) -> None:
    admin, _ = people
    services.passes.tles = TleSource(file=TLE, url=None, cache=tmp_path / "tle.txt")
    station = await services.stations.create(
        admin,
        {
            "host": "127.0.0.1",
            "name": "Moscow",
            "latitude": 55.75,
            "longitude": 37.62,
            "altitude": 150,
            "min_elevation": 45,
            "platforms": ["NOAA-19", "Metop-B"],
        },
    )
    epoch = Orbits(TLE).epoch("NOAA-19")
    assert epoch is not None
    start = epoch + timedelta(days=1)
    assert await services.passes.refresh_expected(start) > 0
    assert await services.passes.refresh_expected(start) == 0  # the same passes, not again
    expected = await ExpectedPass.filter(station_id=station.id).order_by("rise_at")
    direct = Orbits(TLE).predict(["NOAA-19", "Metop-B"], Place(55.75, 37.62, 150, 45), start, 36)
    assert [e.platform for e in expected] == [p.platform for p in direct]
    for saved, predicted in zip(expected, direct, strict=True):  # the same pass, to a second
        assert abs(saved.rise_at - predicted.rise) < timedelta(seconds=1)
        assert abs(saved.set_at - predicted.set) < timedelta(seconds=1)

    # The first NOAA-19 pass brought files; nothing came for the others.
    came = next(e for e in expected if e.platform == "NOAA-19")
    row = await Station.get(id=station.id)
    await StationFile.create(
        station_id=row.id,
        remote_path="/n19.l1b",
        path="/n19.l1b",
        size=1,
        first_seen_at=came.rise_at,
        last_seen_at=came.rise_at,
        stable=True,
        announced=True,
        platform="NOAA-19",
        start_at=came.rise_at + timedelta(minutes=1),
        end_at=came.set_at - timedelta(minutes=1),
    )
    await services.passes.group(station.id, came.set_at)
    later = expected[-1].set_at + timedelta(hours=2)
    # Nothing is judged until the station was polled after the wait ran out (a station that
    # is down has unknown files, not missing ones), nor while it is switched off.
    assert await services.passes.check_missed(later) == 0
    await Station.filter(id=station.id).update(last_success_at=later, enabled=False)
    assert await services.passes.check_missed(later) == 0
    await Station.filter(id=station.id).update(enabled=True)
    counts = await asyncio.gather(*(services.passes.check_missed(later) for _ in range(5)))
    assert sum(counts) == len(expected) - 1
    assert await services.passes.check_missed(later) == 0
    states = {e.id: e.state for e in await ExpectedPass.filter(station_id=station.id)}
    assert states[came.id] == ExpectedState.RECEIVED
    assert list(states.values()).count(ExpectedState.MISSED) == len(expected) - 1
    await services.delivery.wait_idle()
    # A notice per station and check (checks racing each tell what they decided), a line per
    # missed pass: each pass is told once.
    alerts = "\n".join(seen(m.text) for m in telegram.sent_to(ADMIN) if "expected" in m.text)
    assert alerts.count("expected over Moscow, nothing arrived") == len(expected) - 1
    schedule = await services.passes.schedule(admin, station.id)
    assert schedule.located and schedule.elements


async def test_a_pass_larger_than_the_quota_starts_what_fits_and_finishes_it(
    services: Services,
    people: tuple[UserView, UserView],
    worker: DownloadWorker,
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    await User.filter(id=follower.id).update(storage_quota=4000)
    follower = await services.users.get(follower.id)
    names = PASSES["NOAA-20", 58000][:4]
    sizes = dict(zip(names, (1500, 1024, 3000, 2000), strict=True))
    for name, size in sizes.items():
        put(ftp_root, name, b"q" * size)
    quiet(services, 0)
    async with station_server("aioftp", ftp_root, certs) as endpoint:
        await followed(services, admin, follower, endpoint, 2)
        [noaa20] = await pick(services, follower)
        asked = await services.downloads.request_pass(follower, noaa20.id)
        assert (asked.new, asked.refused) == (2, 2)
        progress = await settled(services, follower, noaa20.id, 2)
    # What was admitted finishes: a reservation refused meanwhile never counted against it.
    # (in time order, then by path: ATMS 2000 fits, GMODO 3000 not, SVM01 1500 fits, 1024 not)
    assert (progress.completed, progress.failed, progress.total_size) == (2, 0, 3500)


async def test_passes_completing_together_come_in_one_message(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    for key in (("NOAA-19", 71234), ("Metop-B", None), ("FY-3D", 8965)):
        for name in PASSES[key]:
            put(ftp_root, name, b"t" * 10)
    quiet(services, 0)
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        await followed(services, admin, follower, endpoint, 3)
    await services.delivery.wait_idle()
    [message] = telegram.sent_to(FOLLOWER)
    text = seen(message.text)
    assert text.startswith(f"🛰 3 passes over {endpoint.name} are in:")
    assert all(name in text for name in ("NOAA-19", "Metop-B", "FY-3D"))
    labels = [button["text"] for button in message.buttons]
    assert labels[::2] == ["⬇ 1", "⬇ 2", "⬇ 3"]
    assert {label.split(". ")[1] for label in labels[1::2]} == {"NOAA-19", "Metop-B", "FY-3D"}


async def test_files_arriving_after_a_pass_was_announced_are_announced_with_it(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    raw, class_l1b, aapp = PASSES["NOAA-19", 71234][2], *PASSES["NOAA-19", 71234][:2]
    put(ftp_root, raw, b"r" * 100)
    quiet(services, 0)
    async with station_server("vsftpd", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint, 2)
        # AAPP and CLASS products come later than the raw data, after processing.
        put(ftp_root, class_l1b, b"c" * 10)
        put(ftp_root, aapp, b"a" * 10)
        for _ in range(3):
            await services.stations.poll(station.id)
    first, second = await announcements(services, telegram)
    assert "1 file," in first and "new" not in first
    assert "3 files" in second and "2 new" in second and "71234" in second
    [noaa19] = await pick(services, follower)
    assert (noaa19.files, noaa19.state) == (3, PassState.COMPLETE)
    assert await StationFile.filter(station_id=station.id, announced=False).count() == 0


async def test_granules_out_of_order_and_across_an_orbit_number_make_one_pass(
    services: Services,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    quiet(services, 3600)
    modis = ["a1.23001.1210.1000m.hdf", "a1.23001.1200.1000m.hdf", "a1.23001.1205.1000m.hdf"]
    # The orbit number steps up mid-pass (at the orbit's fixed point).
    viirs = [
        f"SVM01_j01_d20230101_t{t}_e{e}_b{orbit}_{CREATED}"
        for t, e, orbit in (
            ("1200000", "1201250", 58000),
            ("1201260", "1202510", 58000),
            ("1202520", "1204170", 58001),
            ("1204180", "1205430", 58001),
        )
    ]
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint)
        for name in [*modis, *viirs]:  # one file per poll, in this order
            put(ftp_root, name, b"g")
            await services.stations.poll(station.id)
    passes = {(p.platform, p.orbit): p for p in await pick(services, follower)}
    assert set(passes) == {("EOS-Aqua", None), ("NOAA-20", 58000)}
    aqua, noaa20 = passes["EOS-Aqua", None], passes["NOAA-20", 58000]
    assert (aqua.files, aqua.start) == (3, datetime(2023, 1, 1, 12, 0, tzinfo=UTC))
    assert (noaa20.files, noaa20.end) == (4, datetime(2023, 1, 1, 12, 5, 43, tzinfo=UTC))


async def test_a_name_dated_in_year_9999_neither_breaks_the_poll_nor_joins_a_pass(
    services: Services,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    put(ftp_root, "raw/99991231235959_NOAA_19.hmf", b"x")
    put(ftp_root, PASSES["Metop-B", None][0], b"m")
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint, 2)
    assert not (await Station.get(id=station.id)).failing
    assert [p.platform for p in await pick(services, follower)] == ["Metop-B"]
    odd = await StationFile.get(path="/raw/99991231235959_NOAA_19.hmf")
    assert (odd.platform, odd.satellite_pass_id) == (None, None)


async def test_a_pattern_that_moves_files_to_another_pass_leaves_no_empty_pass(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, follower = people
    station_id = await station_with_files(
        services, admin, {PASSES["FY-3D", 8965][0]: 10, "MN2-3_20230101_123000_04321.msu": 20}
    )
    await services.stations.follow(follower, [station_id])
    quiet(services, 0)
    await services.passes.complete_quiet(await Station.get(id=station_id), datetime.now(UTC))
    # The station names FY-3D files its own way too: its pattern claims the FY-3D file for a
    # platform of its own; the preset's pass is left empty and goes.
    pattern = {"format": "FY3D_{start_time:%Y%m%d_%H%M%S}_{rest}.HDF", "platform": "FY-3D local"}
    await services.passes.add_pattern(admin, station_id, pattern)
    kinds = {(p.platform, p.files) for p in await pick(services, follower)}
    assert kinds == {("FY-3D local", 1)}
    for p in await pick(services, follower):
        assert len((await services.passes.get(follower, p.id)).files) == p.files


async def test_a_pattern_is_not_applied_while_a_poll_holds_the_station(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, _ = people
    station_id = await station_with_files(services, admin, {PASSES["FY-3D", 8965][0]: 10})
    pattern = {"format": "FY3D_{start_time:%Y%m%d_%H%M%S}_{rest}.HDF", "platform": "FY-3D local"}
    async with station_lease(station_id, 60):  # a poll of another process, say
        with pytest.raises(Conflict) as refused:
            await services.passes.add_pattern(admin, station_id, pattern)
    assert refused.value.code == "poll_running"
    assert (await Station.get(id=station_id)).name_patterns == []  # nothing half-saved
    assert len(await services.passes.add_pattern(admin, station_id, pattern)) == 1


def _viirs(start: datetime, orbit: int, granules: int) -> dict[str, int]:
    names = {}
    for number in range(granules):
        begin = start + timedelta(seconds=86 * number)
        end = begin + timedelta(seconds=85)
        names[
            f"SVM01_j01_d{begin:%Y%m%d}_t{begin:%H%M%S}0_e{end:%H%M%S}0_b{orbit + number // 4:05d}"
            f"_{CREATED}"
        ] = 10
    return names


async def test_orbit_numbers_and_long_products_never_glue_passes_together(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, follower = people
    noon = datetime(2023, 1, 1, 12, 0, tzinfo=UTC)
    files = {
        # Two passes one orbit period apart; the second one's number steps mid-pass, and the
        # first one's granules all carry that same number.
        **dict.fromkeys([n.replace("_b58002_", "_b58001_") for n in _viirs(noon, 58002, 4)], 10),
        **_viirs(noon + timedelta(minutes=101), 58001, 8),
        # The same orbit number on another day (a misread): another pass.
        **_viirs(noon + timedelta(hours=26), 58001, 2),
        # A global product of half an orbit, overlapping both Metop passes: joins neither.
        "AVHR_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z": 10,
        "AVHR_HRP_00_M01_20230101134100Z_20230101135600Z_N_O_20230101135700Z": 10,
        "AVHR_xxx_1B_M01_20230101115500Z_20230101140000Z_N_O_20230101140100Z": 10,
    }
    station_id = await station_with_files(services, admin, files)
    await services.stations.follow(follower, [station_id])
    passes = sorted((p.platform, p.start, p.files) for p in await pick(services, follower))
    assert passes == [
        ("Metop-B", noon, 1),
        ("Metop-B", noon + timedelta(minutes=101), 1),
        ("NOAA-20", noon, 4),
        ("NOAA-20", noon + timedelta(minutes=101), 8),
        ("NOAA-20", noon + timedelta(hours=26), 2),
    ]
    wide = await StationFile.get(path__contains="AVHR_xxx_1B")
    assert (wide.platform, wide.satellite_pass_id) == ("Metop-B", None)


async def test_a_file_rewritten_after_its_pass_was_announced_is_announced_again(
    services: Services,
    telegram: FakeTelegram,
    people: tuple[UserView, UserView],
    ftp_root: Path,
    certs: Certificates,
) -> None:
    admin, follower = people
    names = PASSES["Metop-B", None]
    for name in names:
        put(ftp_root, name, b"m" * 1000)
    quiet(services, 0)
    async with station_server("pyftpdlib", ftp_root, certs) as endpoint:
        station = await followed(services, admin, follower, endpoint, 2)
        put(ftp_root, names[0], b"m" * 1500)  # reprocessed: larger
        await services.stations.poll(station.id)
        [metop] = await pick(services, follower)
        assert (metop.state, metop.total_size) == (PassState.RECEIVING, 2500)  # totals follow
        for _ in range(2):
            await services.stations.poll(station.id)
    first, again = await announcements(services, telegram)
    assert "2 files" in first and "2 files" in again and "1 new" in again
    [metop] = await pick(services, follower)
    assert (metop.state, metop.total_size) == (PassState.COMPLETE, 2500)
    assert await StationFile.filter(station_id=station.id, announced=False).count() == 0


async def test_a_pass_is_not_judged_missed_while_its_files_wait_to_be_grouped(
    services: Services, people: tuple[UserView, UserView]
) -> None:
    admin, _ = people
    station = await services.stations.create(admin, {"host": "127.0.0.1", "name": "Tiksi"})
    rise = datetime(2023, 1, 1, 12, 0, tzinfo=UTC)
    expected = await ExpectedPass.create(
        station_id=station.id,
        platform="Metop-B",
        rise_at=rise,
        culmination_at=rise + timedelta(minutes=7),
        set_at=rise + timedelta(minutes=15),
        max_elevation=50.0,
    )
    later = rise + timedelta(hours=3)
    await Station.filter(id=station.id).update(last_success_at=later)
    # Listed by a poll that has not grouped it yet (another process is in the middle of it).
    await StationFile.create(
        station_id=station.id,
        remote_path="/eps.nat",
        path="/eps.nat",
        size=1,
        first_seen_at=rise,
        last_seen_at=rise,
        platform="Metop-B",
        start_at=rise + timedelta(minutes=1),
        end_at=rise + timedelta(minutes=14),
    )
    assert await services.passes.check_missed(later) == 0
    assert (await ExpectedPass.get(id=expected.id)).state == ExpectedState.EXPECTED
    await services.passes.group(station.id, later)
    assert await services.passes.check_missed(later) == 0
    assert (await ExpectedPass.get(id=expected.id)).state == ExpectedState.RECEIVED
