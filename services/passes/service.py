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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from services.accounts.audit import AuditService
from services.accounts.users import UserService, UserView
from services.core.errors import InvalidInput, NotFound
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
SAMPLES = 20
# Platforms a station's files showed within this long are the ones predicted for it (unless an
# admin named them).
SEEN_PLATFORMS = timedelta(days=30)
PREDICT_HOURS = 36.0
# A prediction made again (newer elements) is the same pass when it rises this close.
SAME_PREDICTION = timedelta(minutes=10)


@dataclass(frozen=True)
class PassRules:
    tolerance: float = 300.0  # seconds
    quiet: float = 600.0  # seconds
    missed_after: float = 1800.0  # seconds


def metadata_fields(meta: FileMeta | None) -> dict[str, Any]:
    """The station-file columns for what a name says (all None when nothing)."""
    if meta is None:
        return dict.fromkeys(
            ("platform", "instrument", "level", "product", "start_at", "end_at", "orbit")
        )
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


@dataclass
class _Pass:
    """A pass while files are being grouped: the row, or one still to be created."""

    row: SatellitePass

    def takes(self, f: StationFile, tolerance: timedelta) -> bool:
        p = self.row
        if f.platform != p.platform or f.start_at is None:
            return False
        if f.orbit is not None and p.orbit is not None:
            # Orbits are authoritative, but a wrong number must not glue days together.
            return f.orbit == p.orbit and abs(f.start_at - p.start_at) < timedelta(hours=3)
        end = f.end_at or f.start_at
        return f.start_at <= p.end_at + tolerance and end >= p.start_at - tolerance

    def add(self, f: StationFile) -> None:
        p = self.row
        assert f.start_at is not None
        p.start_at = min(p.start_at, f.start_at)
        p.end_at = max(p.end_at, f.end_at or f.start_at)
        p.orbit = p.orbit if p.orbit is not None else f.orbit


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

    # ---- after each poll ---------------------------------------------------------------

    async def after_poll(self, station: Station, now: datetime) -> int:
        """Group new files into passes and complete the quiet ones; returns passes announced."""
        await self.group(station.id, now)
        return await self.complete_quiet(station, now)

    async def group(self, station_id: int, now: datetime) -> None:
        loose = (
            await StationFile.filter(
                station_id=station_id,
                satellite_pass_id__isnull=True,
                platform__not_isnull=True,
                start_at__not_isnull=True,
                gone=False,
            )
            .order_by("start_at", "id")
            .limit(5000)
        )
        if not loose:
            return
        tolerance = timedelta(seconds=self.rules.tolerance)
        first = min(f.start_at for f in loose if f.start_at) - timedelta(hours=3)
        last = max((f.end_at or f.start_at) for f in loose if f.start_at) + timedelta(hours=3)
        passes = [
            _Pass(p)
            for p in await SatellitePass.filter(
                station_id=station_id,
                platform__in={f.platform for f in loose},
                start_at__lte=last,
                end_at__gte=first,
            ).order_by("start_at")
        ]
        members: dict[int, list[StationFile]] = {}
        for f in loose:
            assert f.start_at is not None
            assert f.platform is not None
            home = next((p for p in passes if p.takes(f, tolerance)), None)
            if home is None:
                home = _Pass(
                    SatellitePass(
                        station_id=station_id,
                        platform=f.platform,
                        orbit=f.orbit,
                        start_at=f.start_at,
                        end_at=f.end_at or f.start_at,
                        instruments=[],
                        last_file_at=now,
                        state=PassState.RECEIVING,
                    )
                )
                passes.append(home)
            home.add(f)
            members.setdefault(id(home), []).append(f)
        async with in_transaction():
            for p in passes:
                joined = members.get(id(p))
                if not joined:
                    continue
                await p.row.save()
                ids = [f.id for f in joined]
                for start in range(0, len(ids), 500):
                    await StationFile.filter(id__in=ids[start : start + 500]).update(
                        satellite_pass_id=p.row.id
                    )
        await self._refresh([p.row.id for p in passes if id(p) in members])

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
        for pass_id in ids:
            if pass_id not in totals:  # every file of it is gone
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
        receiving = cast(
            list[int],
            await SatellitePass.filter(
                station_id=station.id, state=PassState.RECEIVING
            ).values_list("id", flat=True),
        )
        if not receiving:
            return 0
        await self._refresh(receiving)
        quiet_since = now - timedelta(seconds=self.rules.quiet)
        unsettled = set(
            cast(
                list[int],
                await StationFile.filter(
                    satellite_pass_id__in=receiving, stable=False, gone=False
                ).values_list("satellite_pass_id", flat=True),
            )
        )
        due = await SatellitePass.filter(
            id__in=[i for i in receiving if i not in unsettled], last_file_at__lte=quiet_since
        ).order_by("start_at")
        announced = 0
        for row in due:
            async with in_transaction():
                taken = await SatellitePass.filter(id=row.id, state=PassState.RECEIVING).update(
                    state=PassState.COMPLETE, completed_at=now
                )
                if not taken:
                    continue
                news = await StationFile.filter(
                    satellite_pass_id=row.id, announced=False, gone=False
                ).update(announced=True)
                row.state, row.completed_at = PassState.COMPLETE, now
                if news:
                    await self._announce(station, PassView.of(row, station.name))
                    announced += 1
        return announced

    async def _announce(self, station: Station, view: PassView) -> None:
        follows = await UserStation.filter(
            station_id=station.id, user__is_active=True, user__telegram_id__not_isnull=True
        ).select_related("user")
        told = 0
        for follow in follows:
            if not _wanted(follow, view):
                continue
            await self._notifier.announce_pass(UserView.of(follow.user), view)
            told += 1
        log.info(
            "Station %s: pass %s %s announced to %d followers",
            station.name,
            view.platform,
            view.start.isoformat(timespec="minutes"),
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
        row = await self._station(station_id)
        stored = pattern_to_dict(_pattern(fields))
        patterns = [*(row.name_patterns or []), stored]
        if len(patterns) > MAX_PATTERNS:
            raise InvalidInput(
                f"A station can have at most {MAX_PATTERNS} patterns.", code="invalid_pattern"
            )
        await Station.filter(id=row.id).update(name_patterns=patterns)
        await self._audit.record("pattern_add", actor_id=actor.id, subject=f"station:{row.id}")
        row.name_patterns = patterns
        await self.reread(row, datetime.now(UTC))
        return patterns

    async def remove_pattern(
        self, actor: UserView, station_id: int, index: int
    ) -> list[dict[str, Any]]:
        row = await self._station(station_id)
        patterns = list(row.name_patterns or [])
        if not 0 <= index < len(patterns):
            raise NotFound("The station has no such pattern.", code="unknown_pattern")
        del patterns[index]
        await Station.filter(id=row.id).update(name_patterns=patterns)
        await self._audit.record("pattern_remove", actor_id=actor.id, subject=f"station:{row.id}")
        row.name_patterns = patterns
        await self.reread(row, datetime.now(UTC))
        return patterns

    async def reread(self, station: Station, now: datetime) -> int:
        """Read every name of a station again with its patterns now; files whose metadata
        changed leave their pass and are grouped again. Returns how many changed."""
        patterns = patterns_of(station)
        rows = await StationFile.filter(station_id=station.id).values_list(
            "id", "path", "platform", "instrument", "level", "product", "start_at", "orbit"
        )
        changed: list[tuple[int, dict[str, Any]]] = []
        for file_id, path, *known in rows:
            values = metadata_fields(parse_name(path, patterns))
            now_known = [values[k] for k in ("platform", "instrument", "level", "product")]
            now_known += [values["start_at"], values["orbit"]]
            if list(known) != now_known:
                changed.append((file_id, values))
        touched: set[int] = set()
        async with in_transaction():
            for file_id, values in changed:
                old = await StationFile.get(id=file_id).values_list("satellite_pass_id", flat=True)
                if old is not None:
                    touched.add(int(old))  # type: ignore[call-overload]
                await StationFile.filter(id=file_id).update(**values, satellite_pass_id=None)
        await self._refresh(touched)
        # A complete pass left without files is history no more.
        await SatellitePass.filter(id__in=list(touched), file_count=0).delete()
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
        if station.latitude is None or station.longitude is None:
            return []
        place = Place(station.latitude, station.longitude, station.altitude, station.min_elevation)
        orbits = self.tles.orbits()
        platforms = await self._platforms(station, start)
        predicted = await asyncio.to_thread(orbits.predict, platforms, place, start, hours)
        return [
            ScheduledPass(
                station.id, p.platform, p.rise, p.culmination, p.set, p.max_elevation, None
            )
            for p in predicted
        ]

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
        """Decide the predicted passes whose wait is over; returns how many were missed."""
        cutoff = now - timedelta(seconds=self.rules.missed_after)
        tolerance = timedelta(seconds=self.rules.tolerance)
        missed = 0
        for expected in await ExpectedPass.filter(
            state=ExpectedState.EXPECTED, set_at__lte=cutoff
        ).select_related("station"):
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
            if not decided or came:
                continue  # another process decided it, or the files came
            missed += 1
            view = replace(ScheduledPass.of(expected), state=state)
            log.warning(
                "Station %s: predicted %s pass %s brought no files",
                expected.station.name,
                expected.platform,
                expected.rise_at.isoformat(timespec="minutes"),
                extra={"station_id": expected.station_id},
            )
            for admin in await self._users.telegram_admins():
                await self._notifier.pass_missed(admin, expected.station.name, view)
        return missed

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
