"""Stations: the FTP servers of receiving stations, who follows them, and what is on them.

A poll lists a station to any depth and compares the listing with the database:

- a file seen for the first time waits; once its size and modification time are unchanged across
  two polls, at least `settle_seconds` apart, it is *stable*: it becomes available and is
  announced, once, to the followers (times are compared at the precision the listing gives);
- a file that changes becomes unstable again; a file no longer listed is marked gone (kept);
- the first poll of a station (and the first after its address, root or masks change) is its
  baseline: files older than `SETTLED_AGE` are available at once without an announcement (they
  were there before anyone followed the station);
- a poll that finds the same listing as the last one, with nothing waiting, writes nothing but
  its poll record.

Polls of one station never overlap, in this process or another: a poll first takes a lease on the
station row. Failures stay inside one station; its status says what went wrong, later polls back
off, and admins are told when a station starts failing and when it recovers.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tortoise.expressions import Q
from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from services.accounts.audit import AuditService
from services.accounts.users import UserService, UserView
from services.core import metrics
from services.core.cluster import Coordinator, holding, take
from services.core.errors import Conflict, InvalidInput, NotFound
from services.core.events import Event, EventBus, Topic
from services.core.leases import station_lease
from services.core.models import (
    DOWNLOAD_HOLDING,
    Download,
    Station,
    StationFile,
    StationPoll,
    User,
    UserStation,
)
from services.core.secrets import SecretBox, SecretUnreadable
from services.ftp.client import (
    FtpError,
    FtpSession,
    FtpTarget,
    Listing,
    Masks,
    NameEncoding,
    RemoteFile,
    TlsMode,
    encode_name,
)
from services.passes.names import parse_name
from services.passes.service import PassService, metadata_fields, patterns_of
from services.stations.settings import (
    LOCATION,
    clean_settings,
    expand_url,
    parse_station_url,
)
from services.stations.views import (
    FollowedStation,
    PollResult,
    ProbeResult,
    StationFileFilter,
    StationFilePage,
    StationView,
    SurveyItem,
    file_view,
    poll_result,
)

if TYPE_CHECKING:
    from services.stations.ports import StationNotifier

log = logging.getLogger(__name__)

SETTLED_AGE = timedelta(minutes=10)
# A station is reported failing after this many failed polls in a row (at once for a refused
# login or a TLS error: waiting will not fix those).
FAILING_AFTER = 2
MAX_BACKOFF = timedelta(hours=1)
ANNOUNCE_NAMES = 5
BATCH = 500


def _digest(files: Sequence[RemoteFile]) -> str:
    hasher = hashlib.sha256()
    for f in sorted(files, key=lambda f: f.remote_path):
        stamp = f.modified_at.isoformat() if f.modified_at else "-"
        hasher.update(f"{f.remote_path}\0{f.size}\0{stamp}\n".encode(errors="surrogatepass"))
    return hasher.hexdigest()


def _same_time(known: datetime | None, listed: datetime | None, precision: int) -> bool:
    """Whether a listed time matches the one known, at the precision the listing gives (LIST
    turns "Nov 23 08:14" into "Nov 23 2025" once a file is half a year old)."""
    if known is None or listed is None:
        return known is listed
    if precision >= 86400:
        return known.date() == listed.date()
    return abs((known - listed).total_seconds()) < precision


class StationService:
    def __init__(
        self,
        *,
        secret: bytes,
        notifier: StationNotifier,
        audit: AuditService,
        users: UserService,
        bus: EventBus,
        passes: PassService,
        coordinator: Coordinator,
        ca_file: Path | None = None,
        timeout: float = 30.0,
        poll_timeout: float = 600.0,
        settle_seconds: float = 30.0,
    ) -> None:
        self._box = SecretBox(secret, "ftpgram station password")
        self._notifier = notifier
        self._audit = audit
        self._users = users
        self.ca_file = ca_file
        self.timeout = timeout
        self.poll_timeout = poll_timeout
        self.settle_seconds = settle_seconds
        self.coordinator = coordinator
        self.bus = bus
        self.passes = passes

    # ---- administration ----------------------------------------------------------------

    async def create(self, actor: UserView, fields: dict[str, Any]) -> StationView:
        values = clean_settings(expand_url(dict(fields), "none"))
        if "host" not in values:
            raise InvalidInput("A station needs a host.", code="invalid_station")
        password = values.pop("password", "") or ""
        values.setdefault("name", values["host"])
        values["name"] = await self._free_name(values["name"])
        row = await Station.create(
            **values, password_encrypted=self._box.seal(password), created_at=datetime.now(UTC)
        )
        await self._audit.record("station_create", actor_id=actor.id, subject=f"station:{row.id}")
        log.info("Station %s added", row.name, extra={"station_id": row.id})
        self._changed()
        return StationView.of(row)

    async def create_from_form(
        self, actor: UserView, *, url: str, login: str, pwd: str, is_ssl: bool, name: str | None
    ) -> StationView:
        """The older add-station form (`/api/v1/admin/add_new_ftp_server/`): `url` ftp:// or
        ftps://; `is_ssl` asks for explicit TLS on ftp://."""
        fields = parse_station_url(url)
        fields["login"] = login or fields.get("login", "anonymous")
        fields["password"] = pwd or fields.get("password", "")
        if is_ssl and fields["tls"] == "none":
            fields["tls"] = "explicit"
        if name:
            fields["name"] = name
        return await self.create(actor, fields)

    async def _free_name(self, name: str, exclude: int | None = None) -> str:
        candidate, n = name, 1
        while await Station.filter(name=candidate).exclude(id=exclude or 0).exists():
            n += 1
            candidate = f"{name[:90]} ({n})"
        return candidate

    async def update(self, actor: UserView, station_id: int, fields: dict[str, Any]) -> StationView:
        row = await self._row(station_id)
        values = clean_settings(expand_url(dict(fields), row.tls))
        if "password" in values:
            values["password_encrypted"] = self._box.seal(values.pop("password") or "")
        name = values.get("name", row.name)
        if name != row.name and await Station.filter(name=name).exclude(id=row.id).exists():
            raise Conflict("Another station already has this name.", code="name_taken")
        where = {"root", "include_masks", "exclude_masks", "host", "port"}
        if any(key in where and getattr(row, key) != value for key, value in values.items()):
            # Another place on the server: what is there now is a baseline, not news.
            values.update(listing_digest="", baseline=True)
        elif "encoding" in values:
            values["listing_digest"] = ""  # names are read anew
        # Only the columns changed here: a poll may be updating the status columns meanwhile.
        await Station.filter(id=row.id).update(**values)
        if any(key in LOCATION and getattr(row, key) != value for key, value in values.items()):
            await self.passes.forget_predictions(row.id)
        row = await self._row(station_id)
        await self._audit.record(
            "station_update",
            actor_id=actor.id,
            subject=f"station:{row.id}",
            detail=",".join(sorted(fields)),  # names only, never values
        )
        self._changed()
        return StationView.of(row)

    async def delete(self, actor: UserView, station_id: int) -> None:
        row = await self._row(station_id)
        await row.delete()
        await self._audit.record("station_delete", actor_id=actor.id, subject=f"station:{row.id}")
        log.info("Station %s deleted", row.name, extra={"station_id": row.id})
        self._changed()

    def _changed(self) -> None:
        self.bus.publish(Event(Topic.STATIONS))  # the scheduler's jobs follow

    async def _row(self, station_id: int) -> Station:
        row = await Station.get_or_none(id=station_id)
        if row is None:
            raise NotFound("There is no such station.", code="unknown_station")
        return row

    async def get(self, station_id: int) -> StationView:
        return StationView.of(await self._row(station_id))

    async def list_stations(self, *, enabled_only: bool = False) -> list[StationView]:
        query = Station.filter(enabled=True) if enabled_only else Station.all()
        return [StationView.of(r) for r in await query.order_by("name", "id")]

    def target(self, row: Station) -> FtpTarget:
        return FtpTarget(
            host=row.host,
            port=row.port,
            login=row.login,
            password=self._box.open(row.password_encrypted),
            tls=cast(TlsMode, row.tls),
            verify_tls=row.verify_tls,
            encoding=cast(NameEncoding, row.encoding),
            ca_file=self.ca_file,
            timeout=self.timeout,
        )

    async def probe(self, fields: dict[str, Any]) -> ProbeResult:
        """Connect with station fields not saved yet, log in and list the root folder."""
        values = clean_settings(expand_url(dict(fields), "none"))
        if "host" not in values:
            raise InvalidInput("A station needs a host.", code="invalid_station")
        row = Station(**{k: v for k, v in values.items() if k != "password"})
        row.password_encrypted = self._box.seal(values.get("password") or "")
        return await self._probe(row)

    async def test(self, station_id: int) -> ProbeResult:
        row = await self._row(station_id)
        async with holding(self.coordinator, row.id, row.max_connections, within=self.timeout):
            return await self._probe(row)

    async def _probe(self, row: Station) -> ProbeResult:
        target = self.target(row)
        async with FtpSession.connect(target) as session:
            entries = await session.list_folder(encode_name(row.root, target.encoding))
        return ProbeResult(entries=sum(not name.startswith(".") for name, *_ in entries))

    # ---- polling -----------------------------------------------------------------------

    def backoff_until(self, station: StationView | Station) -> datetime | None:
        """When a failing station may be polled again by the scheduler (None: now)."""
        failures = station.consecutive_failures if isinstance(station, Station) else 0
        if not failures or station.last_poll_at is None:
            return None
        delay = min(
            timedelta(seconds=station.poll_interval * 2 ** min(failures - 1, 16)),
            max(MAX_BACKOFF, timedelta(seconds=station.poll_interval)),
        )
        return station.last_poll_at + delay

    async def poll_due(self, station_id: int) -> PollResult | None:
        """The scheduler's poll: skipped while a failing station backs off, or while another
        poll of it runs."""
        row = await Station.get_or_none(id=station_id, enabled=True)
        if row is None:
            return None
        until = self.backoff_until(row)
        if until is not None and datetime.now(UTC) < until:
            return None
        try:
            return await self.poll(station_id)
        except Conflict:
            return None

    async def poll(self, station_id: int) -> PollResult:
        """Poll now. Raises Conflict while another poll of the station runs (in any process)."""
        row = await self._row(station_id)
        try:
            async with asyncio.timeout(self.poll_timeout):
                slot = await take(self.coordinator, row.id, row.max_connections)
        except TimeoutError:
            return await self._failed(
                row, datetime.now(UTC), FtpError("busy", "No free connection to the station.")
            )
        try:
            async with station_lease(station_id) as started:
                return await self._poll(await self._row(station_id), started)
        finally:
            await self.coordinator.give(slot)

    async def _poll(self, row: Station, started: datetime) -> PollResult:
        try:
            target = self.target(row)
            async with asyncio.timeout(self.poll_timeout):
                async with FtpSession.connect(target) as session:
                    listing = await session.walk(
                        encode_name(row.root, target.encoding),
                        Masks(row.include_masks, row.exclude_masks),
                    )
        except TimeoutError:
            return await self._failed(
                row, started, FtpError("timeout", "The poll took longer than its time limit.")
            )
        except FtpError as error:
            return await self._failed(row, started, error)
        except SecretUnreadable as error:
            return await self._failed(row, started, FtpError("login", error.message))
        try:
            return await self._succeeded(row, started, listing)
        except Exception as error:  # recorded on the station, never lost in the scheduler
            log.exception("Recording the poll of %s failed", row.name, extra={"station_id": row.id})
            return await self._failed(
                row, started, FtpError("protocol", f"The listing could not be recorded: {error}")
            )

    async def _failed(self, row: Station, started: datetime, error: FtpError) -> PollResult:
        finished = datetime.now(UTC)
        failures = row.consecutive_failures + 1
        starts_failing = not row.failing and (failures >= FAILING_AFTER or not error.transient)
        message = error.message[:500]
        await StationPoll.create(
            station_id=row.id, started_at=started, finished_at=finished, error=message
        )
        metrics.poll(row.id, ok=False)
        await Station.filter(id=row.id).update(
            last_poll_at=finished,
            last_error=message,
            consecutive_failures=failures,
            failing=row.failing or starts_failing,
        )
        log.warning(
            "Poll of station %s failed: %s", row.name, error.message, extra={"station_id": row.id}
        )
        if starts_failing:
            row.failing, row.last_error = True, message
            await self._alert_admins(row)
        return PollResult(row.id, started, finished, 0, 0, 0, message, error.code)

    async def _alert_admins(self, row: Station) -> None:
        view = StationView.of(row)
        for admin in await self._users.telegram_admins():
            await self._notifier.station_health_changed(admin, view)

    async def _succeeded(self, row: Station, started: datetime, listing: Listing) -> PollResult:
        files = listing.files
        digest = _digest(files) if not listing.skipped else ""
        new = gone = 0
        recovering = row.failing
        if not digest or digest != row.listing_digest or row.pending_files or row.baseline:
            new, gone, pending = await self._apply(row, started, listing)
        else:
            pending = 0
        finished = datetime.now(UTC)
        try:  # before the success is recorded: missed-pass checks go by it
            await self.passes.after_poll(row, finished)
        except Exception:  # the listing is recorded; passes catch up at the next poll
            log.exception(
                "Grouping the passes of %s failed", row.name, extra={"station_id": row.id}
            )
        await StationPoll.create(
            station_id=row.id,
            started_at=started,
            finished_at=finished,
            files_seen=len(files),
            new_files=new,
            gone_files=gone,
        )
        metrics.poll(row.id, ok=True)
        await Station.filter(id=row.id).update(
            last_poll_at=finished,
            last_success_at=finished,
            last_error="",
            failing=False,
            consecutive_failures=0,
            listing_digest=digest,
            pending_files=pending,
            baseline=False,
        )
        if recovering:
            row.failing, row.last_error, row.last_success_at = False, "", finished
            await self._alert_admins(row)
        return PollResult(row.id, started, finished, len(files), new, gone)

    async def _apply(self, row: Station, now: datetime, listing: Listing) -> tuple[int, int, int]:
        """Bring the station's file rows in line with a listing; announce what became stable.

        Returns (new, gone, pending)."""
        existing = {
            r[1]: r
            for r in await StationFile.filter(station_id=row.id).values_list(
                "id", "remote_path", "size", "modified_at", "stable", "gone", "path", "last_seen_at"
            )
        }
        settle = timedelta(seconds=self.settle_seconds)
        patterns = patterns_of(row)
        inserts: list[StationFile] = []
        now_stable: list[int] = []
        revived: list[int] = []
        renamed: list[tuple[int, str]] = []
        changed: list[tuple[int, RemoteFile]] = []
        pending = 0
        for f in listing.files:
            known = existing.pop(f.remote_path, None)
            if known is None:
                settled = row.baseline and (
                    f.modified_at is not None and now - f.modified_at > SETTLED_AGE
                )
                inserts.append(
                    StationFile(
                        station_id=row.id,
                        remote_path=f.remote_path,
                        path=f.path,
                        size=f.size,
                        modified_at=f.modified_at,
                        first_seen_at=now,
                        last_seen_at=now,
                        stable=settled,
                        available_at=(f.modified_at or now) if settled else None,
                        announced=settled,
                        **metadata_fields(parse_name(f.path, patterns)),
                    )
                )
                pending += not settled
                continue
            file_id, _wire, size, modified, stable, was_gone, path, last_change = known
            if path != f.path:
                renamed.append((file_id, f.path))  # the name encoding changed
            if size != f.size or not _same_time(modified, f.modified_at, f.precision):
                changed.append((file_id, f))
                pending += 1
            elif was_gone:
                revived.append(file_id)  # back as it was: no news
                pending += not stable
            elif not stable:
                if now - last_change >= settle:
                    now_stable.append(file_id)
                else:
                    pending += 1
        vanished = [
            r[0]
            for wire, r in existing.items()
            if not r[5] and not any(wire.startswith(folder + "/") for folder in listing.skipped)
        ]
        async with in_transaction():
            for start in range(0, len(inserts), BATCH):
                await StationFile.bulk_create(inserts[start : start + BATCH])
            for file_id, f in changed:
                await StationFile.filter(id=file_id).update(
                    size=f.size,
                    modified_at=f.modified_at,
                    path=f.path,
                    last_seen_at=now,
                    stable=False,
                    available_at=None,
                    announced=False,
                    gone=False,
                )
            for file_id, path in renamed:
                await StationFile.filter(id=file_id).update(
                    path=path, **metadata_fields(parse_name(path, patterns))
                )
            for ids, values in (
                (revived, {"gone": False}),
                (vanished, {"gone": True, "last_seen_at": row.last_success_at or now}),
                (now_stable, {"stable": True, "available_at": now, "last_seen_at": now}),
            ):
                for start in range(0, len(ids), BATCH):
                    await StationFile.filter(id__in=ids[start : start + BATCH]).update(**values)
            announced = await self._announce(row, now_stable)
        await self.passes.files_changed([file_id for file_id, _ in changed], vanished)
        return announced, len(vanished), pending

    async def _announce(self, row: Station, file_ids: list[int]) -> int:
        """Queue one message per follower for the files that just became available, and mark
        them announced — in the caller's transaction, so each file is announced exactly once."""
        if not file_ids:
            return 0
        files = (
            # Files of a pass are announced with their pass (services.passes).
            await StationFile.filter(
                station_id=row.id,
                announced=False,
                stable=True,
                gone=False,
                satellite_pass_id__isnull=True,
            )
            .order_by("-modified_at", "path")
            .values_list("id", "path", "size")
        )
        ids = [f[0] for f in files]
        marked = 0
        for start in range(0, len(ids), BATCH):
            marked += await StationFile.filter(
                id__in=ids[start : start + BATCH], announced=False
            ).update(announced=True)
        if not files or marked < len(ids):
            return 0  # announced by someone else meanwhile
        total = sum(int(f[2]) for f in files)
        names = [str(f[1]).rsplit("/", 1)[-1] for f in files[:ANNOUNCE_NAMES]]
        followers = await User.filter(
            stations__station_id=row.id, is_active=True, telegram_id__not_isnull=True
        )
        view = StationView.of(row)
        for user in followers:
            await self._notifier.announce_station_files(
                UserView.of(user), view, count=len(files), total_size=total, names=names
            )
        log.info(
            "Station %s: %d new files announced to %d followers",
            row.name,
            len(files),
            len(followers),
            extra={"station_id": row.id},
        )
        return len(files)

    async def prune_polls(self, older_than_days: int) -> int:
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        return await StationPoll.filter(started_at__lt=cutoff).delete()

    async def prune_gone_files(self, older_than_days: int) -> int:
        """Forget files gone from their station that long ago, unless a download still wants
        them. Stations that rotate their data would otherwise grow every poll's work without
        end. Finished downloads keep their own copy of the name; a file that comes back
        later is new again."""
        cutoff = datetime.now(UTC) - timedelta(days=older_than_days)
        wanted = set(
            await Download.filter(
                status__in=DOWNLOAD_HOLDING, station_file_id__not_isnull=True
            ).values_list("station_file_id", flat=True)
        )
        ids = [
            file_id
            for file_id in await StationFile.filter(gone=True, last_seen_at__lt=cutoff).values_list(
                "id", flat=True
            )
            if file_id not in wanted
        ]
        deleted = 0
        for start in range(0, len(ids), BATCH):
            deleted += await StationFile.filter(id__in=ids[start : start + BATCH]).delete()
        return deleted

    async def last_polls(self, station_id: int, limit: int = 10) -> list[PollResult]:
        rows = await StationPoll.filter(station_id=station_id).order_by("-id").limit(limit)
        return [poll_result(r) for r in rows]

    # ---- following ---------------------------------------------------------------------

    async def stations_for(self, user: UserView) -> list[FollowedStation]:
        followed = await _followed_ids(user.id)
        return [
            FollowedStation(s, s.id in followed)
            for s in await self.list_stations(enabled_only=True)
        ]

    async def follow(self, user: UserView, station_ids: Iterable[int]) -> list[StationView]:
        """Follow exactly these stations (any number, including none)."""
        wanted = set(station_ids)
        known = set(await Station.filter(id__in=wanted, enabled=True).values_list("id", flat=True))
        if wanted - known:
            missing = ", ".join(str(i) for i in sorted(wanted - known))
            raise NotFound(f"There is no such station: {missing}.", code="unknown_station")
        now = datetime.now(UTC)
        async with in_transaction():
            await UserStation.filter(user_id=user.id).exclude(station_id__in=wanted).delete()
            have = await _followed_ids(user.id)
            for station_id in sorted(wanted - have):
                await UserStation.create(
                    user_id=user.id, station_id=station_id, created_at=now, seen_until=now
                )
        return [s for s in await self.list_stations(enabled_only=True) if s.id in wanted]

    async def mark_seen(
        self, user: UserView, station_id: int | None = None
    ) -> tuple[int, datetime]:
        """Files available until now stop counting as new; returns (stations marked, now)."""
        query = UserStation.filter(user_id=user.id)
        if station_id is not None:
            query = query.filter(station_id=station_id)
        now = datetime.now(UTC)
        return await query.update(seen_until=now), now

    # ---- files on stations -------------------------------------------------------------

    async def list_files(
        self,
        user: UserView,
        where: StationFileFilter,
        *,
        page: int = 1,
        per_page: int = 20,
    ) -> StationFilePage:
        """Available files on the stations `user` follows, newest first."""
        follows = {
            f.station_id: f
            for f in await UserStation.filter(user_id=user.id).select_related("station")
            if f.station.enabled
        }
        if where.station_id is not None:
            if where.station_id not in follows:
                raise NotFound(
                    "You do not follow this station (choose it in /stations).",
                    code="unknown_station",
                )
            follows = {where.station_id: follows[where.station_id]}
        if not follows:
            return StationFilePage([], page, per_page, 0)
        condition = Q()
        for station_id, follow in follows.items():
            part = Q(station_id=station_id)
            if where.only_new:
                part &= Q(available_at__gt=follow.seen_until)
            condition |= part
        query = StationFile.filter(condition, stable=True)
        if not where.include_gone:
            query = query.filter(gone=False)
        if where.path_prefix:
            query = query.filter(path__startswith=where.path_prefix)
        if where.since:
            query = query.filter(available_at__gte=where.since)
        for column in ("platform", "instrument", "level"):
            if value := getattr(where, column):
                query = query.filter(**{f"{column}__iexact": value})
        if where.taken_after:
            query = query.filter(
                Q(end_at__gte=where.taken_after)
                | Q(end_at__isnull=True, start_at__gte=where.taken_after)
            )
        if where.taken_before:
            query = query.filter(start_at__lte=where.taken_before)
        total = await query.count()
        rows = (
            await query.order_by("-available_at", "-id")
            .offset((page - 1) * per_page)
            .limit(per_page)
        )
        items = [
            file_view(r, follows[r.station_id].station.name, follows[r.station_id].seen_until)
            for r in rows
        ]
        return StationFilePage(items, page, per_page, total)

    async def file_kinds(self, user: UserView) -> dict[str, list[str]]:
        """The platforms, instruments and levels the names on followed stations show (for
        choosing a filter)."""
        followed = list(await _followed_ids(user.id))
        kinds: dict[str, list[str]] = {}
        for column in ("platform", "instrument", "level"):
            values = await (
                StationFile.filter(station_id__in=followed, **{f"{column}__not_isnull": True})
                .distinct()
                .values_list(column, flat=True)
            )
            kinds[column] = sorted({str(v) for v in values})
        return kinds

    async def survey(self, user: UserView) -> list[SurveyItem]:
        """Per followed station: the last poll, new files in it, and new since last seen."""
        items = []
        for follow in await UserStation.filter(user_id=user.id).select_related("station"):
            if not follow.station.enabled:
                continue
            last = await StationPoll.filter(station_id=follow.station_id).order_by("-id").first()
            new_since_seen = await StationFile.filter(
                station_id=follow.station_id,
                stable=True,
                gone=False,
                available_at__gt=follow.seen_until,
            ).count()
            items.append(
                SurveyItem(
                    station=StationView.of(follow.station),
                    last_poll=poll_result(last) if last else None,
                    new_in_last_poll=last.new_files if last else 0,
                    new_since_seen=new_since_seen,
                    seen_until=follow.seen_until,
                )
            )
        return sorted(items, key=lambda i: i.station.name)

    async def totals(self, station_id: int) -> tuple[int, int]:
        """(available files, their total size) on a station."""
        row = (
            await StationFile.filter(station_id=station_id, stable=True, gone=False)
            .annotate(n=Count("id"), total=Sum("size"))
            .first()
            .values("n", "total")
        )
        return (int(row["n"] or 0), int(row["total"] or 0)) if row else (0, 0)


async def _followed_ids(user_id: int) -> set[int]:
    return {
        int(r["station_id"]) for r in await UserStation.filter(user_id=user_id).values("station_id")
    }
