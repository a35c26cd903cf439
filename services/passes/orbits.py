"""Passes of satellites over a receiving station, predicted from TLEs; and the TLE file kept fresh.

The orbital mechanics are pyorbital's (SGP4, the horizon crossings, the culmination); this module
only decides which file it reads, asks it, and turns its naive UTC datetimes into aware ones.

Platforms are asked by their canonical names ("NOAA-20", "EOS-Terra"). pyorbital finds a TLE by
the file's name line or, for the names in its etc/platforms.txt, by NORAD catalogue number: that
is what makes canonical names work against CelesTrak files, which say "NOAA 20 (JPSS-1)" and
"TERRA". A name the file's name lines spell exactly works too.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import tempfile
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import aiohttp

from services.core.errors import InvalidInput

log = logging.getLogger(__name__)

# How old the downloaded file may get before `refresh` fetches it again.
MAX_AGE = timedelta(hours=24)
# pyorbital reports a pass only once it has seen it set: asking for this much more than the window
# finds the passes that rise near its end (a low-orbit pass lasts under 20 minutes).
_TAIL_HOURS = 1
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Place:
    latitude: float  # degrees north
    longitude: float  # degrees east
    altitude: float  # metres above sea level
    min_elevation: float  # degrees; passes whose maximum elevation is below are not predicted


@dataclass(frozen=True)
class PredictedPass:
    platform: str  # as asked
    rise: datetime  # aware UTC: above the min_elevation mask from here...
    culmination: datetime
    set: datetime  # ...to here
    max_elevation: float  # degrees, rounded to 0.1


class Orbits:
    """TLEs from one file; predicts passes.

    Cheap to build (nothing is read until asked); the CPU work is synchronous, so callers run
    `predict` in a thread. Safe to share between threads.
    """

    def __init__(self, tle_file: Path | None) -> None:
        self.tle_file = tle_file
        # pyorbital parses the file on every Orbital(): one per platform, misses included (None).
        self._orbitals: dict[str, Any] = {}
        self._lock = threading.Lock()

    def known(self, platform: str) -> bool:
        """Whether the file has elements for `platform`."""
        return self._orbital(platform) is not None

    def epoch(self, platform: str) -> datetime | None:
        """The epoch of the platform's elements (aware UTC), None when the file has none."""
        orbital = self._orbital(platform)
        if orbital is None:
            return None
        epoch: datetime = orbital.tle.epoch.item()  # numpy datetime64[us], naive UTC
        return epoch.replace(tzinfo=UTC)

    def predict(
        self, platforms: Iterable[str], place: Place, start: datetime, hours: float
    ) -> list[PredictedPass]:
        """Every pass of the known `platforms` rising in [start, start + hours], by rise time.

        Platforms the file has no elements for are skipped. A pass already above the mask at
        `start` is not reported (its rise is before the window).
        """
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        if hours <= 0:
            return []
        begin = start.astimezone(UTC).replace(tzinfo=None)  # pyorbital works in naive UTC
        end = begin + timedelta(hours=hours)
        length = math.ceil(hours) + _TAIL_HOURS  # whole hours: pyorbital steps range(length * 60)
        altitude_km = place.altitude / 1000
        found: list[PredictedPass] = []
        for platform in dict.fromkeys(platforms):  # each once, in the order asked
            orbital = self._orbital(platform)
            if orbital is None:
                continue
            try:
                passes = orbital.get_next_passes(
                    begin,
                    length,
                    place.longitude,
                    place.latitude,
                    altitude_km,
                    horizon=place.min_elevation,
                )
                for rise, set_, top in passes:
                    if rise > end:
                        continue
                    _, elevation = orbital.get_observer_look(
                        top, place.longitude, place.latitude, altitude_km
                    )
                    found.append(
                        PredictedPass(
                            platform=platform,
                            rise=rise.replace(tzinfo=UTC),
                            culmination=top.replace(tzinfo=UTC),
                            set=set_.replace(tzinfo=UTC),
                            max_elevation=round(float(elevation), 1),
                        )
                    )
            except (ArithmeticError, ValueError, _pyorbital_error()) as exc:
                # Elements propagated far from their epoch (a decayed satellite) can break the
                # root finding; one bad platform must not hide the others' passes.
                log.warning("Cannot predict passes of %s: %s", platform, exc)
        found.sort(key=lambda item: (item.rise, item.platform))
        return found

    def _orbital(self, platform: str) -> Any:
        with self._lock:
            if platform not in self._orbitals:
                self._orbitals[platform] = self._load(platform)
            return self._orbitals[platform]

    def _load(self, platform: str) -> Any:
        # Without a file (or with an empty name) pyorbital would read $TLES or download from
        # CelesTrak: never let it, no file means nothing is known.
        if self.tle_file is None or not platform.strip():
            return None
        from pyorbital.tlefile import ChecksumError

        try:
            return _new_orbital(platform, self.tle_file)
        except KeyError:  # no elements for it in the file
            return None
        except (OSError, ValueError, IndexError, StopIteration, ChecksumError) as exc:
            # A missing, unreadable or damaged file: nothing known, and say why once.
            log.warning("No usable TLE for %s in %s: %s", platform, self.tle_file, exc)
            return None


# pyorbital (with numpy and scipy) is imported when first needed: it costs most of a second,
# and a process without orbital elements never needs it.
def _new_orbital(platform: str, tle_file: Path) -> Any:
    from pyorbital.orbital import Orbital

    return Orbital(platform, tle_file=str(tle_file))


def _pyorbital_error() -> type[Exception]:
    from pyorbital.orbital import OrbitalError

    error: type[Exception] = OrbitalError
    return error


class TleSource:
    """Keeps a local TLE file fresh.

    TLE_FILE (`file`) is used as is, and wins when both are set. TLE_URL (`url`) is downloaded to
    `cache` at most once a day; the cache's mtime records when it was last fetched, so a restart
    does not download again.
    """

    def __init__(
        self,
        *,
        file: Path | None,
        url: str | None,
        cache: Path,
        max_bytes: int = 2_000_000,
        timeout: float = 30.0,
    ) -> None:
        self.file = file
        self.url = url
        self.cache = cache
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._refreshing = asyncio.Lock()  # two refreshes at once would download twice
        self._orbits: Orbits | None = None
        self._stamp: tuple[object, ...] | None = None

    def path(self) -> Path | None:
        """The file to read now: `file`, or the cache if it exists, None if neither."""
        if self.file is not None:
            return self.file
        return self.cache if self.cache.is_file() else None

    async def refresh(self, now: datetime) -> bool:
        """Download `url` if the cache is missing or 24 h old; whether the cache's content changed.

        An unusable answer (too big, no valid TLE, an HTTP error, no connection) keeps the old
        cache and raises InvalidInput with code "tle_unusable" and a plain reason.
        """
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if self.url is None or self.file is not None:
            return False
        async with self._refreshing:
            if not self._stale(now):
                return False
            body = await self._download(self.url)
            return await asyncio.to_thread(self._store, body, now)  # checking 2 MB takes a while

    def orbits(self) -> Orbits:
        """Orbits over `path()`, built again only when that file changed (or another is used).

        A refresh that finds the same content touches the cache's mtime: one cheap rebuild a day.
        """
        path = self.path()
        stamp = _stamp(path)
        if self._orbits is None or stamp != self._stamp:
            self._orbits, self._stamp = Orbits(path), stamp
        return self._orbits

    def _stale(self, now: datetime) -> bool:
        try:
            fetched = self.cache.stat().st_mtime
        except FileNotFoundError:
            return True
        # abs(): an mtime in the future (a clock set back) must not stop refreshes for good.
        return abs(now.timestamp() - fetched) >= MAX_AGE.total_seconds()

    async def _download(self, url: str) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(url) as response,
            ):
                if response.status != 200:
                    raise _unusable(f"the TLE URL answered HTTP {response.status}")
                if (response.content_length or 0) > self.max_bytes:
                    raise _unusable(self._too_big())
                # Read at most max_bytes + 1 (decompressed) bytes: enough to know it is too big.
                while chunk := await response.content.read(min(_CHUNK, self.max_bytes + 1 - size)):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _unusable(self._too_big())
                    chunks.append(chunk)
        except TimeoutError:
            raise _unusable(f"the TLE download timed out after {self.timeout:g} s") from None
        except (aiohttp.InvalidURL, aiohttp.NonHttpUrlClientError):
            raise _unusable("the TLE URL is not a valid http(s) URL") from None
        except (aiohttp.ClientError, OSError, ValueError) as exc:
            reason = str(exc) or type(exc).__name__
            raise _unusable(f"the TLE download failed: {reason}") from None
        return b"".join(chunks)

    def _too_big(self) -> str:
        return f"the TLE URL answered with more than {self.max_bytes} bytes"

    def _store(self, body: bytes, now: datetime) -> bool:
        """Write `body` to the cache atomically, stamped `now`; whether the content changed."""
        if not _has_tle(body):
            raise _unusable("the TLE URL answered with no valid TLE (checked by checksum)")
        stamp = now.timestamp()
        try:
            changed = self.cache.read_bytes() != body
        except FileNotFoundError:
            changed = True
        if not changed:
            os.utime(self.cache, (stamp, stamp))  # fresh again: no download for another day
            return False
        self.cache.parent.mkdir(parents=True, exist_ok=True)
        # A temporary file in the same folder, then os.replace: readers see the old file or the
        # new one, never half of it.
        descriptor, temporary = tempfile.mkstemp(
            dir=self.cache.parent, prefix=f".{self.cache.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(body)
                out.flush()
                os.fsync(out.fileno())
            os.utime(temporary, (stamp, stamp))
            os.replace(temporary, self.cache)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return True


def _unusable(reason: str) -> InvalidInput:
    return InvalidInput(f"The TLE file was not updated: {reason}.", code="tle_unusable")


def _stamp(path: Path | None) -> tuple[object, ...] | None:
    if path is None:
        return None
    try:
        info = path.stat()
    except OSError:
        return (path,)
    # The inode too: os.replace within one mtime tick still changes it.
    return (path, info.st_ino, info.st_mtime_ns, info.st_size)


def _has_tle(body: bytes) -> bool:
    """Whether `body` is text with at least one line 1 followed by its line 2, checksums right."""
    try:
        lines = [line.strip() for line in body.decode("utf-8").splitlines()]
    except UnicodeDecodeError:  # pyorbital decodes the lines as UTF-8 too
        return False
    return any(
        _tle_line(first, "1") and _tle_line(second, "2") and first[2:7] == second[2:7]
        for first, second in pairwise(lines)
    )


def _tle_line(line: str, number: str) -> bool:
    if len(line) != 69 or not line.startswith(number + " ") or not line[-1].isdigit():
        return False
    # The TLE checksum: digits summed, each minus sign counts 1, modulo 10.
    total = sum(int(char) if char.isdigit() else char == "-" for char in line[:-1])
    return total % 10 == int(line[-1])
