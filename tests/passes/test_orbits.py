"""Pass prediction from TLEs (against pyorbital called directly) and the TLE file kept fresh."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from pyorbital.orbital import Orbital
from pytest_aiohttp import AiohttpServer

from services.core.errors import InvalidInput
from services.passes.orbits import Orbits, Place, PredictedPass, TleSource
from tests.support.net import free_port

# CelesTrak-format file: names like "NOAA 20 (JPSS-1)" and "TERRA" (see tests/data/tle/README.md).
WEATHER = Path(__file__).resolve().parents[1] / "data" / "tle" / "weather.txt"
MOSCOW = Place(latitude=55.75, longitude=37.62, altitude=150, min_elevation=10)
CANONICAL = (
    "NOAA-15",
    "NOAA-18",
    "NOAA-19",
    "NOAA-20",
    "NOAA-21",
    "Suomi-NPP",
    "Metop-B",
    "Metop-C",
    "EOS-Terra",
    "EOS-Aqua",
    "FY-3D",
)
SECOND = timedelta(seconds=1)


def naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def a_day_after_epoch(orbits: Orbits, platform: str) -> datetime:
    epoch = orbits.epoch(platform)
    assert epoch is not None
    return epoch + timedelta(days=1)


def test_every_canonical_platform_is_found_by_catalogue_number() -> None:
    orbits = Orbits(WEATHER)
    for platform in CANONICAL:
        assert orbits.known(platform), platform
        epoch = orbits.epoch(platform)
        assert epoch is not None
        assert epoch.tzinfo is UTC
    assert orbits.epoch("NOAA-20") == datetime(2024, 6, 17, 21, 44, 24, 724608, tzinfo=UTC)
    # The file's own name line works as well.
    assert orbits.known("NOAA 20 (JPSS-1)")


@pytest.mark.parametrize("platform", ["NOAA-19", "Metop-B", "Suomi-NPP", "FY-3D", "EOS-Terra"])
def test_predict_agrees_with_pyorbital(platform: str) -> None:
    orbits = Orbits(WEATHER)
    start = a_day_after_epoch(orbits, platform)
    predicted = orbits.predict([platform], MOSCOW, start, 24)

    direct = Orbital(platform, tle_file=str(WEATHER))
    alt_km = MOSCOW.altitude / 1000
    expected = direct.get_next_passes(
        naive(start), 24, MOSCOW.longitude, MOSCOW.latitude, alt_km, horizon=10
    )
    assert len(expected) >= 3  # a polar orbiter passes over 55°N several times a day
    # pyorbital, asked for 24 h, reports the passes that also set within them; predict() reports
    # those and maybe one more that rises in the window and sets after it.
    assert len(predicted) - len(expected) in (0, 1)
    for got, (rise, set_, top) in zip(predicted, expected, strict=False):
        assert abs(naive(got.rise) - rise) < SECOND
        assert abs(naive(got.set) - set_) < SECOND
        assert abs(naive(got.culmination) - top) < SECOND
        elevation = direct.get_observer_look(top, MOSCOW.longitude, MOSCOW.latitude, alt_km)[1]
        assert got.max_elevation == pytest.approx(float(elevation), abs=0.05)
    end = start + timedelta(hours=24)
    for extra in predicted[len(expected) :]:
        assert extra.rise <= end < extra.set
    for got in predicted:
        assert got.platform == platform
        assert got.rise.tzinfo is UTC
        assert start <= got.rise < got.culmination < got.set
        assert MOSCOW.min_elevation <= got.max_elevation <= 90


def test_predict_merges_platforms_by_rise_and_honours_the_window() -> None:
    orbits = Orbits(WEATHER)
    start = datetime(2024, 6, 18, 22, 0, tzinfo=UTC)
    platforms = ["NOAA-19", "Metop-B", "NOAA-20"]
    merged = orbits.predict(platforms, MOSCOW, start, 24)
    assert merged == sorted(merged, key=lambda item: (item.rise, item.platform))
    single = [p for name in platforms for p in orbits.predict([name], MOSCOW, start, 24)]
    assert sorted(merged, key=str) == sorted(single, key=str)
    assert {p.platform for p in merged} == set(platforms)
    # A shorter, fractional window is the same passes cut at its end (by rise).
    short = orbits.predict(platforms, MOSCOW, start, 7.5)
    assert short == [p for p in merged if p.rise <= start + timedelta(hours=7.5)]
    # Asking twice for one platform does not list its passes twice.
    assert orbits.predict(["NOAA-19", "NOAA-19"], MOSCOW, start, 24) == orbits.predict(
        ["NOAA-19"], MOSCOW, start, 24
    )
    # A higher mask: fewer passes, shorter ones, none below it.
    high = orbits.predict(platforms, Place(55.75, 37.62, 150, 40), start, 24)
    assert 0 < len(high) < len(merged)
    assert all(p.max_elevation >= 40 for p in high)


def test_predict_wants_an_aware_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        Orbits(WEATHER).predict(["NOAA-19"], MOSCOW, datetime(2024, 6, 18), 24)
    assert Orbits(WEATHER).predict(["NOAA-19"], MOSCOW, datetime(2024, 6, 18, tzinfo=UTC), 0) == []


def test_unknown_platforms_are_skipped() -> None:
    orbits = Orbits(WEATHER)
    start = datetime(2024, 6, 18, 22, 0, tzinfo=UTC)
    # "Metop-A" is in pyorbital's platforms.txt but not in the file; the others nowhere.
    unknown = ["NOSUCH-1", "Metop-A", "", "  "]
    for platform in unknown:
        assert not orbits.known(platform)
        assert orbits.epoch(platform) is None
    assert orbits.predict(unknown, MOSCOW, start, 24) == []
    with_known = orbits.predict([*unknown, "NOAA-19"], MOSCOW, start, 24)
    assert with_known == orbits.predict(["NOAA-19"], MOSCOW, start, 24) != []


def test_no_file_knows_nothing_and_never_asks_pyorbital(monkeypatch: pytest.MonkeyPatch) -> None:
    # Asked without a file, pyorbital reads $TLES (or downloads from CelesTrak): with $TLES
    # naming real elements, Orbits(None) would know NOAA-19 if it ever asked.
    monkeypatch.setenv("TLES", str(WEATHER))
    orbits = Orbits(None)
    assert not orbits.known("NOAA-19")
    assert orbits.epoch("NOAA-19") is None
    assert orbits.predict(CANONICAL, MOSCOW, datetime(2024, 6, 18, tzinfo=UTC), 24) == []


def test_a_missing_or_damaged_file_knows_nothing(tmp_path: Path) -> None:
    assert not Orbits(tmp_path / "absent.txt").known("NOAA-19")
    lines = WEATHER.read_text().splitlines()
    damaged = tmp_path / "damaged.txt"
    # NOAA 19's line 2 with its checksum digit changed.
    index = next(i for i, line in enumerate(lines) if line.startswith("2 33591"))
    lines[index] = lines[index][:-1] + str((int(lines[index][-1]) + 1) % 10)
    damaged.write_text("\n".join(lines) + "\n")
    orbits = Orbits(damaged)
    assert not orbits.known("NOAA-19")
    assert orbits.known("NOAA-18")


# --- TleSource ---------------------------------------------------------------------------------


def broken_checksums() -> bytes:
    """The shipped file with the checksum digit of every element line off by one."""
    lines = WEATHER.read_bytes().splitlines(keepends=True)
    return b"".join(
        line[:68] + str((int(line[68:69]) + 1) % 10).encode() + line[69:]
        if line[:2] in (b"1 ", b"2 ")
        else line
        for line in lines
    )


@dataclass
class TleServer:
    url: str
    body: bytes = field(default_factory=WEATHER.read_bytes)
    requests: int = 0


@pytest.fixture
async def tle_server(aiohttp_server: AiohttpServer) -> TleServer:
    state = TleServer(url="")

    async def weather(request: web.Request) -> web.Response:
        state.requests += 1
        return web.Response(body=state.body, content_type="text/plain")

    app = web.Application()
    app.router.add_get("/weather.txt", weather)
    server = await aiohttp_server(app)
    state.url = str(server.make_url("/weather.txt"))
    return state


def source(url: str, cache: Path, max_bytes: int = 2_000_000) -> TleSource:
    return TleSource(file=None, url=url, cache=cache, max_bytes=max_bytes, timeout=5)


async def test_refresh_downloads_once_a_day(tle_server: TleServer, tmp_path: Path) -> None:
    cache = tmp_path / "tle" / "cache.txt"
    tles = source(tle_server.url, cache)
    assert tles.path() is None
    assert not tles.orbits().known("NOAA-19")

    now = datetime.now(UTC)
    assert await tles.refresh(now) is True
    assert tle_server.requests == 1
    assert tles.path() == cache
    assert cache.read_bytes() == WEATHER.read_bytes()
    assert tles.orbits().known("NOAA-19")
    start = datetime(2024, 6, 18, 22, 0, tzinfo=UTC)
    assert tles.orbits().predict(["NOAA-19"], MOSCOW, start, 24) == Orbits(WEATHER).predict(
        ["NOAA-19"], MOSCOW, start, 24
    )
    assert os.listdir(cache.parent) == ["cache.txt"]  # no temporary file left

    # Within 24 h: no request. A fresh TleSource (a restart) reads the age from the cache.
    assert await tles.refresh(now + timedelta(hours=23)) is False
    assert await source(tle_server.url, cache).refresh(now + timedelta(hours=23)) is False
    assert tle_server.requests == 1

    # A day later: asked again; the same content is no change, but counts as fresh.
    later = now + timedelta(hours=25)
    assert await tles.refresh(later) is False
    assert tle_server.requests == 2
    assert await tles.refresh(later + timedelta(hours=1)) is False
    assert tle_server.requests == 2

    # New content: changed, and the Orbits follow it.
    tle_server.body = b"".join(WEATHER.read_bytes().splitlines(keepends=True)[:9])  # NOAA 15-18
    assert await tles.refresh(later + timedelta(hours=25)) is True
    assert tle_server.requests == 3
    assert tles.orbits().known("NOAA-18")
    assert not tles.orbits().known("NOAA-19")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"<!DOCTYPE html><html><body>Service down</body></html>\n", id="html"),
        pytest.param(b"No GP data found", id="celestrak-nothing"),
        pytest.param(broken_checksums(), id="bad-checksums"),
        pytest.param(b"\xff\xfe" + WEATHER.read_bytes(), id="not-utf8"),
    ],
)
async def test_refresh_refuses_garbage_and_keeps_the_cache(
    tle_server: TleServer, tmp_path: Path, body: bytes
) -> None:
    cache = tmp_path / "cache.txt"
    tles = source(tle_server.url, cache)
    now = datetime.now(UTC)
    assert await tles.refresh(now) is True
    tle_server.body = body
    with pytest.raises(InvalidInput, match="no valid TLE") as refused:
        await tles.refresh(now + timedelta(days=2))
    assert tle_server.requests == 2
    assert refused.value.code == "tle_unusable"
    assert "Traceback" not in refused.value.message
    assert cache.read_bytes() == WEATHER.read_bytes()
    assert tles.orbits().known("NOAA-19")
    assert os.listdir(tmp_path) == ["cache.txt"]  # no temporary file left


async def test_refresh_refuses_a_body_over_max_bytes(tle_server: TleServer, tmp_path: Path) -> None:
    cache = tmp_path / "cache.txt"
    size = len(WEATHER.read_bytes())
    tles = source(tle_server.url, cache, max_bytes=size)
    now = datetime.now(UTC)
    assert await tles.refresh(now) is True  # exactly max_bytes is allowed
    tle_server.body = WEATHER.read_bytes() + b"\n"
    with pytest.raises(InvalidInput) as refused:
        await tles.refresh(now + timedelta(days=2))
    assert refused.value.code == "tle_unusable"
    assert f"more than {size} bytes" in refused.value.message
    assert cache.read_bytes() == WEATHER.read_bytes()


async def test_refresh_refuses_a_streamed_body_over_max_bytes(
    aiohttp_server: AiohttpServer, tmp_path: Path
) -> None:
    # No Content-Length (chunked): the limit is counted while reading.
    async def endless(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        for _ in range(64):
            await response.write(WEATHER.read_bytes())
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/weather.txt", endless)
    server = await aiohttp_server(app)
    tles = source(str(server.make_url("/weather.txt")), tmp_path / "cache.txt", max_bytes=50_000)
    with pytest.raises(InvalidInput, match="more than 50000 bytes") as refused:
        await tles.refresh(datetime.now(UTC))
    assert refused.value.code == "tle_unusable"
    assert not (tmp_path / "cache.txt").exists()


async def test_refresh_reports_http_errors_and_unreachable_hosts(
    tle_server: TleServer, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    missing = source(tle_server.url.replace("weather", "missing"), tmp_path / "a.txt")
    with pytest.raises(InvalidInput, match="HTTP 404") as refused:
        await missing.refresh(now)
    assert refused.value.code == "tle_unusable"

    closed = source(f"http://127.0.0.1:{free_port()}/weather.txt", tmp_path / "b.txt")
    with pytest.raises(InvalidInput) as refused:
        await closed.refresh(now)
    assert refused.value.code == "tle_unusable"
    assert "download failed" in refused.value.message
    assert "Traceback" not in refused.value.message
    assert closed.path() is None

    for url in ("not a url", "ftp://example.org/weather.txt"):
        with pytest.raises(InvalidInput, match="not a valid http"):
            await source(url, tmp_path / "c.txt").refresh(now)


async def test_a_tle_file_is_used_as_is(tle_server: TleServer, tmp_path: Path) -> None:
    tles = TleSource(file=WEATHER, url=tle_server.url, cache=tmp_path / "cache.txt")
    assert tles.path() == WEATHER
    assert await tles.refresh(datetime.now(UTC)) is False
    assert tle_server.requests == 0
    assert tles.orbits().known("EOS-Aqua")
    nothing = TleSource(file=None, url=None, cache=tmp_path / "cache.txt")
    assert await nothing.refresh(datetime.now(UTC)) is False
    assert nothing.path() is None
    assert nothing.orbits().predict(CANONICAL, MOSCOW, datetime.now(UTC), 24) == []


def test_orbits_are_rebuilt_when_the_file_changes(tmp_path: Path) -> None:
    cache = tmp_path / "cache.txt"
    lines = WEATHER.read_bytes().splitlines(keepends=True)
    cache.write_bytes(b"".join(lines[:9]))  # NOAA 15, DMSP F16, NOAA 18
    tles = TleSource(file=None, url="http://127.0.0.1:9/", cache=cache)
    first = tles.orbits()
    assert first.known("NOAA-18")
    assert not first.known("NOAA-19")
    assert tles.orbits() is first  # unchanged: the same object, its parsed TLEs kept

    cache.write_bytes(b"".join(lines))
    stamp = cache.stat().st_mtime + 60
    os.utime(cache, (stamp, stamp))
    second = tles.orbits()
    assert second is not first
    assert second.known("NOAA-19")


def test_predicted_pass_is_a_value() -> None:
    moment = datetime(2024, 6, 18, tzinfo=UTC)
    one = PredictedPass("NOAA-19", moment, moment, moment, 12.3)
    assert one == PredictedPass("NOAA-19", moment, moment, moment, 12.3)
    with pytest.raises(AttributeError):
        one.max_elevation = 1.0  # type: ignore[misc]
