"""Passes: station files grouped by what their names say, announced per pass, and predicted.

After every successful poll of a station (`after_poll`, called by stations):

- files whose names a pattern knows (the station's own patterns first, then the presets of
  `names.py`) and that belong to no pass yet join one: the pass of the same platform and orbit
  when both names carry an orbit, else a pass of the same platform whose time span, widened by
  the tolerance, holds the file's start. Otherwise they open a new pass. This is how the Pytroll
  gatherers group granules, and it keeps two passes of one satellite ~100 minutes apart, and
  two satellites received at once, apart;
- a receiving pass whose files are all stable and whose newest file was first seen `quiet`
  seconds ago or more becomes complete; its files not yet announced are announced together, in
  one message per follower (only to those whose platform and instrument choices match), and in
  the same transaction, so a pass is announced once. Files from a station's baseline (there
  before anyone followed it) were announced already: their passes complete silently.

Files no pattern knows keep the per-file announcements of stations. Polls of one station never
overlap (stations hold a lease), so grouping has a single writer per station.

Predictions (`refresh_expected`, hourly) store the passes orbital elements predict over located
stations; `check_missed` marks each one received or missed once it set `missed_after` seconds
ago, and tells admins about a missed one once (a guarded update decides who tells).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from services.accounts.audit import AuditService
from services.accounts.users import UserService, UserView
from services.core.errors import InvalidInput, NotFound
from services.core.leases import station_lease
from services.core.models import (
    Download,
    DownloadStatus,
    ExpectedPass,
    ExpectedState,
    PassState,
    SatellitePass,
    Station,
    StationFile,
    UserStation,
)
from services.passes.names import (
    PRESETS,
    FileMeta,
    NamePattern,
    make_pattern,
    parse_name,
    pattern_from_dict,
    pattern_to_dict,
)
from services.passes.orbits import Place, TleSource
from services.passes.views import (
    PassDetail,
    PassFileView,
    PassFilter,
    PassPage,
    PassProgress,
    PassView,
    PatternTrial,
    Schedule,
    ScheduledPass,
)

if TYPE_CHECKING:
    from services.passes.ports import PassNotifier

log = logging.getLogger(__name__)

MAX_PATTERNS = 20
GROUP_BATCH = 5000
SAMPLES = 20
# Platforms a station's files showed within this long are the ones predicted for it (unless an
# admin named them).
SEEN_PLATFORMS = timedelta(days=30)
PREDICT_HOURS = 36.0
# Each prediction covers this much from the start of its hour, so any request up to 72 hours
# ahead within that hour is served from it.
WINDOW_HOURS = 74.0
WINDOWS_KEPT = 256
# A prediction made again (newer elements) is the same pass when it rises this close.
SAME_PREDICTION = timedelta(minutes=10)


@dataclass(frozen=True)
class PassRules:
    tolerance: float = 300.0  # seconds
    quiet: float = 600.0  # seconds
    missed_after: float = 1800.0  # seconds


METADATA = ("platform", "instrument", "level", "product", "start_at", "end_at", "orbit")


def metadata_fields(meta: FileMeta | None) -> dict[str, Any]:
    """The station-file columns for what a name says (all None when nothing)."""
    if meta is None:
        return dict.fromkeys(METADATA)
    return {
        "platform": meta.platform[:40],
        "instrument": meta.instrument[:40] if meta.instrument else None,
        "level": meta.level[:16] if meta.level else None,
        "product": meta.product[:60] if meta.product else None,
        "start_at": meta.start,
        "end_at": meta.end,
        "orbit": meta.orbit,
    }


def patterns_of(station: Station) -> list[NamePattern]:
    """A station's own patterns, then the presets. A stored pattern that no longer reads is
    skipped (logged), so one bad entry never stops a poll."""
    own: list[NamePattern] = []
    for stored in station.name_patterns or []:
        try:
            own.append(pattern_from_dict(stored))
        except InvalidInput:
            log.warning("Station %s has an unusable name pattern", station.name)
    return [*own, *PRESETS]


# Orbit numbers step up at a fixed point of the orbit; a pass received across it carries two
# consecutive numbers.
ORBIT_STEP = 1
# A polar orbiter is above one station's horizon for about 15 minutes; a file or a group longer
# than this is not one pass (a global product of half an orbit, say): it stays out of passes.
PASS_LONGEST = timedelta(minutes=40)


def _overlap(
    start: datetime, end: datetime, other_start: datetime, other_end: datetime, slack: timedelta
) -> bool:
    return start <= other_end + slack and end >= other_start - slack


def _same_pass(
    platform: str,
    orbit: int | None,
    start: datetime,
    end: datetime,
    p: SatellitePass,
    tolerance: timedelta,
) -> bool:
    """Whether something of `platform` spanning start–end (with `orbit`, if known) belongs to
    pass `p`: the same platform, times within the tolerance of each other, a pass no longer
    than a pass can be, and, when both orbits are known, the same orbit or the next (the
    number changed mid-pass). Orbits only ever keep files apart; time joins them."""
    if platform != p.platform:
        return False
    if orbit is not None and p.orbit is not None and abs(orbit - p.orbit) > ORBIT_STEP:
        return False
    if max(end, p.end_at) - min(start, p.start_at) > PASS_LONGEST:
        return False
    return _overlap(start, end, p.start_at, p.end_at, tolerance)


def _too_long(f: StationFile) -> bool:
    return f.end_at is not None and f.start_at is not None and f.end_at - f.start_at > PASS_LONGEST


def _widen(p: SatellitePass, start: datetime, end: datetime, orbit: int | None) -> None:
    p.start_at, p.end_at = min(p.start_at, start), max(p.end_at, end)
    if orbit is not None:
        p.orbit = orbit if p.orbit is None else min(p.orbit, orbit)


class PassService:
    def __init__(
        self,
        *,
        notifier: PassNotifier,
        users: UserService,
        audit: AuditService,
        tles: TleSource,
        rules: PassRules = PassRules(),
    ) -> None:
        self._notifier = notifier
        self._users = users
        self._audit = audit
        self.tles = tles
        self.rules = rules
        # Predicted windows (see `predict`), per station, place, platforms, elements and hour.
        self._windows: dict[tuple[Any, ...], list[ScheduledPass]] = {}

    # ---- after each poll ---------------------------------------------------------------

    async def after_poll(self, station: Station, now: datetime) -> int:
        """Group new files into passes and complete the quiet ones; returns passes announced."""
        await self.group(station.id, now)
        return await self.complete_quiet(station, now)

    async def group(self, station_id: int, now: datetime) -> None:
        """Put the station's files that belong to no pass yet into passes (in batches)."""
        for _batch in range(100):  # 500,000 files: more waits for the next poll
            if not await self._group_batch(station_id, now):
                return

    async def _group_batch(self, station_id: int, now: datetime) -> bool:
        batch = (
            await StationFile.filter(
                station_id=station_id,
                satellite_pass_id__isnull=True,
                platform__not_isnull=True,
                start_at__not_isnull=True,
                gone=False,
            )
            .order_by("start_at", "id")
            .limit(GROUP_BATCH)
        )
        loose = batch
        if not loose:
            return False
        tolerance = timedelta(seconds=self.rules.tolerance)
        # A file spanning more than a pass (a global product) joins none: it is announced on
        # its own, like a file no pattern knows.
        loose = [f for f in loose if not _too_long(f)]
        if not loose:
            return False
        starts = [f.start_at for f in loose if f.start_at is not None]
        ends = [f.end_at or f.start_at for f in loose if f.start_at is not None]
        passes = list(
            await SatellitePass.filter(
                station_id=station_id,
                platform__in={f.platform for f in loose},
                start_at__lte=max(e for e in ends if e) + PASS_LONGEST,
                end_at__gte=min(starts) - PASS_LONGEST,
            ).order_by("start_at", "id")
        )
        members: dict[int, list[int]] = {}  # id() of a pass -> its new files
        # Per platform, by start: files come in start order, so the pass a file joins is
        # nearly always among the last few of its platform.
        by_platform: dict[str, list[SatellitePass]] = {}
        for p in passes:
            by_platform.setdefault(p.platform, []).append(p)
        for f in loose:
            assert f.start_at is not None
            assert f.platform is not None
            end = f.end_at or f.start_at
            mine = by_platform.setdefault(f.platform, [])
            home = next(
                (
                    p
                    for p in reversed(mine)
                    if _same_pass(f.platform, f.orbit, f.start_at, end, p, tolerance)
                ),
                None,
            )
            if home is None:
                home = SatellitePass(
                    station_id=station_id,
                    platform=f.platform,
                    orbit=f.orbit,
                    start_at=f.start_at,
                    end_at=end,
                    instruments=[],
                    last_file_at=now,
                    state=PassState.RECEIVING,
                )
                passes.append(home)
                mine.append(home)
            _widen(home, f.start_at, end, f.orbit)
            members.setdefault(id(home), []).append(f.id)
        touched = [p for p in passes if id(p) in members]
        async with in_transaction():
            for p in touched:
                # New files reopen a complete pass: it is announced again when quiet, with
                # only the files nobody was told about counted as new.
                p.state = PassState.RECEIVING
                await p.save()
                ids = members[id(p)]
                for start in range(0, len(ids), 500):
                    await StationFile.filter(id__in=ids[start : start + 500]).update(
                        satellite_pass_id=p.id
                    )
            kept = await self._merge([p for p in passes if p.id is not None], touched, tolerance)
        await self._refresh(kept)
        return len(batch) == GROUP_BATCH

    async def _merge(
        self, passes: list[SatellitePass], touched: list[SatellitePass], tolerance: timedelta
    ) -> set[int]:
        """Passes that grew into each other (granules out of order, a file bridging two) become
        one: the earlier keeps the files. Returns the ids of the passes left of `touched`."""
        kept = {p.id for p in touched}
        current: SatellitePass | None = None
        for p in sorted(passes, key=lambda p: (p.platform, p.start_at, p.id)):
            if (
                current is None
                or (current.id not in kept and p.id not in kept)
                or not _same_pass(p.platform, p.orbit, p.start_at, p.end_at, current, tolerance)
            ):
                current = p
                continue
            await StationFile.filter(satellite_pass_id=p.id).update(satellite_pass_id=current.id)
            _widen(current, p.start_at, p.end_at, p.orbit)
            current.state = PassState.RECEIVING
            await current.save()
            await p.delete()
            kept.discard(p.id)
            kept.add(current.id)
        return kept

    async def files_changed(self, changed: Sequence[int], gone: Sequence[int]) -> None:
        """After a poll: files of passes that were rewritten (`changed`) or left the station
        (`gone`). Their passes' totals follow; a pass with a rewritten file is receiving again,
        so it is announced again once the file settles, with that file counted as new."""
        touched: set[int] = set()
        for ids, reopen in ((changed, True), (gone, False)):
            for start in range(0, len(ids), 500):
                passes = set(
                    cast(
                        list[int],
                        await StationFile.filter(
                            id__in=ids[start : start + 500], satellite_pass_id__not_isnull=True
                        ).values_list("satellite_pass_id", flat=True),
                    )
                )
                if reopen and passes:
                    await SatellitePass.filter(id__in=passes).update(state=PassState.RECEIVING)
                touched |= passes
        await self._refresh(touched)

    async def _refresh(self, pass_ids: Iterable[int]) -> None:
        """Totals, span and instruments of passes, from their files as they are now."""
        ids = list(set(pass_ids))
        if not ids:
            return
        rows = await StationFile.filter(satellite_pass_id__in=ids, gone=False).values_list(
            "satellite_pass_id", "size", "start_at", "end_at", "instrument", "first_seen_at"
        )
        totals: dict[int, dict[str, Any]] = {}
        for pass_id, size, start, end, instrument, seen in rows:
            t = totals.setdefault(
                pass_id,
                {
                    "n": 0,
                    "size": 0,
                    "start": start,
                    "end": end or start,
                    "inst": set(),
                    "seen": seen,
                },
            )
            t["n"] += 1
            t["size"] += int(size)
            t["start"] = min(t["start"], start)
            t["end"] = max(t["end"], end or start)
            t["seen"] = max(t["seen"], seen)
            if instrument:
                t["inst"].add(instrument)
        held = set(
            cast(
                list[int],
                await StationFile.filter(satellite_pass_id__in=ids).values_list(
                    "satellite_pass_id", flat=True
                ),
            )
        )
        for pass_id in ids:
            if pass_id not in held:  # its files went to other passes (names read anew)
                await SatellitePass.filter(id=pass_id).delete()
                continue
            if pass_id not in totals:  # every file of it is gone from the station
                # A complete pass stays as history; one still receiving never was a pass.
                await SatellitePass.filter(id=pass_id, state=PassState.RECEIVING).delete()
                continue
            t = totals[pass_id]
            await SatellitePass.filter(id=pass_id).update(
                file_count=t["n"],
                total_size=t["size"],
                start_at=t["start"],
                end_at=t["end"],
                instruments=sorted(t["inst"]),
                last_file_at=t["seen"],
            )

    async def complete_quiet(self, station: Station, now: datetime) -> int:
        """Complete the receiving passes whose files are all stable and whose newest file was
        first seen `quiet` seconds ago or more; announce those with files nobody was told
        about. Returns the passes announced."""
        quiet_since = now - timedelta(seconds=self.rules.quiet)
        candidates = cast(
            list[int],
            await SatellitePass.filter(
                station_id=station.id, state=PassState.RECEIVING, last_file_at__lte=quiet_since
            ).values_list("id", flat=True),
        )
        if not candidates:
            return 0
        unsettled = set(
            cast(
                list[int],
                await StationFile.filter(
                    satellite_pass_id__in=candidates, stable=False, gone=False
                ).values_list("satellite_pass_id", flat=True),
            )
        )
        ready = [i for i in candidates if i not in unsettled]
        if not ready:
            return 0
        await self._refresh(ready)  # their files may have changed or gone since they grew
        due = await SatellitePass.filter(
            id__in=ready, state=PassState.RECEIVING, last_file_at__lte=quiet_since
        ).order_by("start_at", "id")
        news: list[PassView] = []
        # One transaction: the passes complete, their files count as announced and the notices
        # are queued together, so each pass is announced exactly once.
        async with in_transaction():
            for row in due:
                taken = await SatellitePass.filter(id=row.id, state=PassState.RECEIVING).update(
                    state=PassState.COMPLETE, completed_at=now
                )
                if not taken:
                    continue
                fresh = await StationFile.filter(
                    satellite_pass_id=row.id, announced=False, gone=False
                ).update(announced=True)
                row.state, row.completed_at = PassState.COMPLETE, now
                if fresh:  # else: files from before anyone followed the station
                    news.append(PassView.of(row, station.name, new_files=fresh))
            if news:
                await self._announce(station, news)
        return len(news)

    async def _announce(self, station: Station, passes: list[PassView]) -> None:
        follows = await UserStation.filter(
            station_id=station.id, user__is_active=True, user__telegram_id__not_isnull=True
        ).select_related("user")
        told = 0
        for follow in follows:
            wanted = [p for p in passes if _wanted(follow, p)]
            if wanted:
                await self._notifier.announce_passes(UserView.of(follow.user), wanted)
                told += 1
        log.info(
            "Station %s: %d passes (%s) announced to %d followers",
            station.name,
            len(passes),
            ", ".join(f"{p.platform} {p.start:%H:%M}" for p in passes[:5]),
            told,
            extra={"station_id": station.id},
        )

    # ---- reading -----------------------------------------------------------------------

    async def _followed(self, user: UserView) -> dict[int, str]:
        return {
            f.station_id: f.station.name
            for f in await UserStation.filter(user_id=user.id).select_related("station")
            if f.station.enabled
        }

    async def _visible(self, user: UserView, pass_id: int) -> tuple[SatellitePass, str]:
        row = await SatellitePass.get_or_none(id=pass_id)
        followed = await self._followed(user)
        if row is None or row.station_id not in followed:
            raise NotFound("There is no such pass on the stations you follow.", code="unknown_pass")
        return row, followed[row.station_id]

    async def list_passes(
        self, user: UserView, where: PassFilter, *, page: int = 1, per_page: int = 20
    ) -> PassPage:
        """Passes over the stations `user` follows, newest first."""
        followed = await self._followed(user)
        if where.station_id is not None:
            if where.station_id not in followed:
                raise NotFound(
                    "You do not follow this station (choose it in /stations).",
                    code="unknown_station",
                )
            followed = {where.station_id: followed[where.station_id]}
        query = SatellitePass.filter(station_id__in=list(followed))
        if where.platform:
            query = query.filter(platform__iexact=where.platform)
        if where.state:
            query = query.filter(state=where.state)
        if where.since:
            query = query.filter(end_at__gte=where.since)
        if where.until:
            query = query.filter(start_at__lte=where.until)
        if where.instrument:
            # Instruments are a JSON list; the files carry them one each.
            query = query.filter(
                id__in=Subquery(
                    StationFile.filter(
                        station_id__in=list(followed), instrument__iexact=where.instrument
                    ).values("satellite_pass_id")
                )
            )
        total = await query.count()
        rows = (
            await query.order_by("-start_at", "-id").offset((page - 1) * per_page).limit(per_page)
        )
        return PassPage(
            [PassView.of(r, followed[r.station_id]) for r in rows], page, per_page, total
        )

    async def get(self, user: UserView, pass_id: int) -> PassDetail:
        row, station_name = await self._visible(user, pass_id)
        files = await StationFile.filter(satellite_pass_id=row.id).order_by("start_at", "path")
        return PassDetail(
            PassView.of(row, station_name),
            [PassFileView.of(f) for f in files],
            await self.progress(user, row.id),
        )

    async def file_ids(self, user: UserView, pass_id: int) -> list[int]:
        """The files of a pass one can download now (stable, still on the station)."""
        row, _ = await self._visible(user, pass_id)
        return cast(
            list[int],
            await StationFile.filter(satellite_pass_id=row.id, stable=True, gone=False)
            .order_by("start_at", "path")
            .values_list("id", flat=True),
        )

    async def progress(self, user: UserView, pass_id: int) -> PassProgress:
        downloads = await Download.filter(
            user_id=user.id, station_file__satellite_pass_id=pass_id
        ).prefetch_related("transfer")
        done = failed = bytes_done = total = 0
        for d in downloads:
            total += d.size
            if d.status == DownloadStatus.COMPLETED:
                done += 1
                bytes_done += d.size
            elif d.status == DownloadStatus.FAILED:
                failed += 1
            elif d.transfer is not None:
                bytes_done += min(d.size, d.transfer.bytes_done)
        return PassProgress(len(downloads), done, failed, bytes_done, total)

    # ---- what followers want announced -------------------------------------------------

    async def set_announcements(
        self,
        user: UserView,
        station_id: int,
        *,
        platforms: Sequence[str],
        instruments: Sequence[str],
    ) -> tuple[list[str], list[str]]:
        """Announce only passes of these platforms with one of these instruments (empty: all)."""
        clean = [_choice(platforms, "platforms"), _choice(instruments, "instruments")]
        updated = await UserStation.filter(user_id=user.id, station_id=station_id).update(
            announce_platforms=clean[0], announce_instruments=clean[1]
        )
        if not updated:
            raise NotFound(
                "You do not follow this station (choose it in /stations).", code="unknown_station"
            )
        return clean[0], clean[1]

    async def announcements(self, user: UserView, station_id: int) -> tuple[list[str], list[str]]:
        follow = await UserStation.get_or_none(user_id=user.id, station_id=station_id)
        if follow is None:
            raise NotFound(
                "You do not follow this station (choose it in /stations).", code="unknown_station"
            )
        return list(follow.announce_platforms or []), list(follow.announce_instruments or [])

    async def seen_kinds(self, station_id: int) -> tuple[list[str], list[str]]:
        """The platforms and instruments a station's passes showed (for choosing)."""
        rows = await SatellitePass.filter(station_id=station_id).values_list(
            "platform", "instruments"
        )
        platforms = sorted({r[0] for r in rows})
        instruments = sorted({i for r in rows for i in (r[1] or [])})
        return platforms, instruments

    # ---- patterns (admins) -------------------------------------------------------------

    async def _station(self, station_id: int) -> Station:
        row = await Station.get_or_none(id=station_id)
        if row is None:
            raise NotFound("There is no such station.", code="unknown_station")
        return row

    async def patterns(self, station_id: int) -> list[dict[str, Any]]:
        return list((await self._station(station_id)).name_patterns or [])

    async def try_pattern(
        self, station_id: int, fields: dict[str, Any], samples: Sequence[str] = ()
    ) -> tuple[dict[str, Any], list[PatternTrial]]:
        """What a pattern (not saved) extracts from sample names, by default the station's
        newest file names."""
        await self._station(station_id)
        pattern = _pattern(fields)
        names = [s for s in samples if isinstance(s, str)][:SAMPLES] or [
            str(p).rsplit("/", 1)[-1]
            for p in await StationFile.filter(station_id=station_id, gone=False)
            .order_by("-first_seen_at", "-id")
            .limit(SAMPLES)
            .values_list("path", flat=True)
        ]
        return pattern_to_dict(pattern), [_trial(n, parse_name(n, [pattern])) for n in names]

    async def add_pattern(
        self, actor: UserView, station_id: int, fields: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """Save a station's own pattern (tried before the presets); the station's files are
        read again with it."""
        stored = pattern_to_dict(_pattern(fields))

        def add(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if len(patterns) >= MAX_PATTERNS:
                raise InvalidInput(
                    f"A station can have at most {MAX_PATTERNS} patterns.", code="invalid_pattern"
                )
            return [*patterns, stored]

        return await self._change_patterns(actor, station_id, "pattern_add", add)

    async def remove_pattern(
        self, actor: UserView, station_id: int, index: int
    ) -> list[dict[str, Any]]:
        def remove(patterns: list[dict[str, Any]]) -> list[dict[str, Any]]:
            if not 0 <= index < len(patterns):
                raise NotFound("The station has no such pattern.", code="unknown_pattern")
            return patterns[:index] + patterns[index + 1 :]

        return await self._change_patterns(actor, station_id, "pattern_remove", remove)

    async def _change_patterns(
        self,
        actor: UserView,
        station_id: int,
        action: str,
        change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    ) -> list[dict[str, Any]]:
        """Change a station's patterns and read its names again, holding the station as a
        poll does: the two never group its files at once, and nothing is half-applied."""
        await self._station(station_id)
        async with station_lease(station_id):
            row = await self._station(station_id)
            patterns = change(list(row.name_patterns or []))
            await Station.filter(id=row.id).update(name_patterns=patterns)
            await self._audit.record(action, actor_id=actor.id, subject=f"station:{row.id}")
            row.name_patterns = patterns
            await self._reread(row, datetime.now(UTC))
        return patterns

    async def _reread(self, station: Station, now: datetime) -> int:
        """Read every name of a station again with its patterns now; files whose metadata
        changed leave their pass and are grouped again. Returns how many changed."""
        patterns = patterns_of(station)
        rows = await StationFile.filter(station_id=station.id).values_list(
            "id",
            "path",
            "satellite_pass_id",
            "platform",
            "instrument",
            "level",
            "product",
            "start_at",
            "orbit",
        )
        changed: list[StationFile] = []
        touched: set[int] = set()
        for file_id, path, pass_id, *known in rows:
            values = metadata_fields(parse_name(path, patterns))
            now_known = [values[k] for k in ("platform", "instrument", "level", "product")]
            now_known += [values["start_at"], values["orbit"]]
            if list(known) != now_known:
                changed.append(StationFile(id=file_id, **values, satellite_pass_id=None))
                if pass_id is not None:
                    touched.add(int(pass_id))
        if changed:
            await StationFile.bulk_update(
                changed, fields=[*METADATA, "satellite_pass_id"], batch_size=500
            )
        await self._refresh(touched)
        await self.group(station.id, now)
        return len(changed)

    # ---- predictions -------------------------------------------------------------------

    async def _platforms(self, station: Station, now: datetime) -> list[str]:
        if station.platforms:
            return list(station.platforms)
        return sorted(
            {
                str(p)
                for p in await SatellitePass.filter(
                    station_id=station.id, start_at__gte=now - SEEN_PLATFORMS
                ).values_list("platform", flat=True)
            }
        )

    async def predict(self, station: Station, start: datetime, hours: float) -> list[ScheduledPass]:
        """Passes over a located station rising in [start, start + hours] (hours ≤ 72).

        pyorbital takes a good part of a second per station and day, so each station's next
        three days are computed once an hour (per place, platforms and elements) and kept."""
        if station.latitude is None or station.longitude is None:
            return []
        place = Place(station.latitude, station.longitude, station.altitude, station.min_elevation)
        platforms = tuple(await self._platforms(station, start))
        source = self.tles.path()
        stamp = source.stat().st_mtime if source is not None and source.exists() else 0.0
        hour = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        key = (station.id, place, platforms, stamp, hour)
        window = self._windows.get(key)
        if window is None:
            orbits = self.tles.orbits()
            predicted = await asyncio.to_thread(
                orbits.predict, platforms, place, hour, WINDOW_HOURS
            )
            window = [
                ScheduledPass(
                    station.id, p.platform, p.rise, p.culmination, p.set, p.max_elevation, None
                )
                for p in predicted
            ]
            self._windows[key] = window
            while len(self._windows) > WINDOWS_KEPT:  # the oldest first (dicts keep order)
                del self._windows[next(iter(self._windows))]
        end = start + timedelta(hours=min(hours, WINDOW_HOURS - 1))
        return [p for p in window if start <= p.rise <= end]

    async def schedule(self, user: UserView, station_id: int, hours: float = 24.0) -> Schedule:
        """The next passes over a station the user follows (admins: any station)."""
        station = await self._station(station_id)
        if not user.is_admin and station_id not in await self._followed(user):
            raise NotFound("There is no such station.", code="unknown_station")
        now = datetime.now(UTC)
        hours = min(max(hours, 1.0), 72.0)
        platforms = await self._platforms(station, now)
        orbits = self.tles.orbits()
        passes = await self.predict(station, now, hours)
        received, predicted = await self.last_day(station.id, now)
        return Schedule(
            station_id=station.id,
            station_name=station.name,
            located=station.latitude is not None and station.longitude is not None,
            elements=self.tles.path() is not None,
            passes=passes,
            platforms=tuple(platforms),
            received_last_day=received,
            predicted_last_day=predicted,
            unknown_platforms=tuple(p for p in platforms if not orbits.known(p)),
        )

    async def last_day(self, station_id: int, now: datetime) -> tuple[int, int]:
        """(received, predicted) passes over a station that set within the last day and
        whose wait is over."""
        day = ExpectedPass.filter(
            station_id=station_id, set_at__gte=now - timedelta(days=1), set_at__lt=now
        ).exclude(state=ExpectedState.EXPECTED)
        return await day.filter(state=ExpectedState.RECEIVED).count(), await day.count()

    async def refresh_expected(self, now: datetime) -> int:
        """Store the passes predicted over every located station for the next hours."""
        stored = 0
        for station in await Station.filter(
            enabled=True, latitude__not_isnull=True, longitude__not_isnull=True
        ):
            for p in await self.predict(station, now, PREDICT_HOURS):
                same = await ExpectedPass.filter(
                    station_id=station.id,
                    platform=p.platform,
                    rise_at__gte=p.rise - SAME_PREDICTION,
                    rise_at__lte=p.rise + SAME_PREDICTION,
                ).first()
                if same is None:
                    await ExpectedPass.create(
                        station_id=station.id,
                        platform=p.platform,
                        rise_at=p.rise,
                        culmination_at=p.culmination,
                        set_at=p.set,
                        max_elevation=p.max_elevation,
                    )
                    stored += 1
                elif same.state == ExpectedState.EXPECTED:
                    await ExpectedPass.filter(id=same.id).update(
                        rise_at=p.rise,
                        culmination_at=p.culmination,
                        set_at=p.set,
                        max_elevation=p.max_elevation,
                    )
        return stored

    async def check_missed(self, now: datetime) -> int:
        """Decide the predicted passes whose wait is over; tells admins about the missed ones
        (one notice per station and check). Returns how many were missed.

        A pass is judged only once its station was polled successfully after the wait ran
        out: files of a station that is down, switched off or not polled yet are unknown, not
        missing. Each is decided once, by a guarded update, in whichever process gets there."""
        cutoff = now - timedelta(seconds=self.rules.missed_after)
        wait = timedelta(seconds=self.rules.missed_after)
        tolerance = timedelta(seconds=self.rules.tolerance)
        missed: dict[int, tuple[str, list[ScheduledPass]]] = {}
        ungrouped: dict[int, bool] = {}  # per station: files listed but not in passes yet
        for expected in await ExpectedPass.filter(
            state=ExpectedState.EXPECTED, set_at__lte=cutoff, station__enabled=True
        ).select_related("station"):
            polled = expected.station.last_success_at
            if polled is None or polled < expected.set_at + wait:
                continue
            if expected.station_id not in ungrouped:
                ungrouped[expected.station_id] = await StationFile.filter(
                    station_id=expected.station_id,
                    satellite_pass_id__isnull=True,
                    platform=expected.platform,
                    start_at__lte=expected.set_at + tolerance,
                    start_at__gte=expected.rise_at - tolerance - PASS_LONGEST,
                    gone=False,
                ).exists()
            if ungrouped[expected.station_id]:
                continue  # a poll is grouping its files right now: judge at the next check
            came = await SatellitePass.filter(
                Q(platform=expected.platform),
                station_id=expected.station_id,
                start_at__lte=expected.set_at + tolerance,
                end_at__gte=expected.rise_at - tolerance,
            ).exists()
            state = ExpectedState.RECEIVED if came else ExpectedState.MISSED
            decided = await ExpectedPass.filter(
                id=expected.id, state=ExpectedState.EXPECTED
            ).update(state=state)
            if decided and not came:
                station = missed.setdefault(expected.station_id, (expected.station.name, []))
                station[1].append(replace(ScheduledPass.of(expected), state=state))
        for station_id, (name, passes) in missed.items():
            log.warning(
                "Station %s: %d predicted passes brought no files (%s)",
                name,
                len(passes),
                ", ".join(f"{p.platform} {p.rise:%H:%M}" for p in passes[:5]),
                extra={"station_id": station_id},
            )
            for admin in await self._users.telegram_admins():
                await self._notifier.pass_missed(admin, name, passes)
        return sum(len(passes) for _, passes in missed.values())

    async def prune_expected(self, older_than_days: int) -> int:
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        return await ExpectedPass.filter(set_at__lt=cutoff).delete()

    async def forget_predictions(self, station_id: int) -> None:
        """The station moved or receives other platforms: what was expected no longer is."""
        await ExpectedPass.filter(station_id=station_id, state=ExpectedState.EXPECTED).delete()


def _wanted(follow: UserStation, view: PassView) -> bool:
    platforms = {p.casefold() for p in follow.announce_platforms or []}
    instruments = {i.casefold() for i in follow.announce_instruments or []}
    if platforms and view.platform.casefold() not in platforms:
        return False
    return not instruments or any(i.casefold() in instruments for i in view.instruments)


def _choice(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str) or not all(isinstance(v, str) for v in values):
        raise InvalidInput(f"{what.capitalize()} are a list of names.", code="invalid_choice")
    clean = sorted({v.strip()[:40] for v in values if v.strip()})
    if len(clean) > 50:
        raise InvalidInput(f"At most 50 {what}.", code="invalid_choice")
    return clean


def _pattern(fields: dict[str, Any]) -> NamePattern:
    platforms = fields.get("platforms") or {}
    if not isinstance(platforms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in platforms.items()
    ):
        raise InvalidInput(
            "The platform map pairs codes with names: {code: name}.", code="invalid_pattern"
        )
    text = {k: fields.get(k) for k in ("format", "platform", "instrument", "level")}
    if not all(v is None or isinstance(v, str) for v in text.values()):
        raise InvalidInput("Pattern fields are text.", code="invalid_pattern")
    return make_pattern(
        text["format"] or "",
        platforms,
        platform=text["platform"] or None,
        instrument=text["instrument"] or None,
        level=text["level"] or None,
    )


def _trial(name: str, meta: FileMeta | None) -> PatternTrial:
    if meta is None:
        return PatternTrial(name)
    return PatternTrial(
        name,
        meta.platform,
        meta.instrument,
        meta.level,
        meta.product,
        meta.start,
        meta.end,
        meta.orbit,
    )
