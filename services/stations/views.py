"""What a station looks like from outside: its settings and health, the files it offers,
polls, survey rows and connection tests."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from services.core.models import (
    Station,
    StationFile,
    StationPoll,
)


@dataclass(frozen=True)
class StationView:
    id: int
    name: str
    host: str
    port: int
    login: str
    tls: str
    verify_tls: bool
    root: str
    include_masks: list[str]
    exclude_masks: list[str]
    poll_interval: int
    max_connections: int
    encoding: str
    enabled: bool
    created_at: datetime
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error: str
    failing: bool
    has_password: bool
    latitude: float | None = None
    longitude: float | None = None
    altitude: float = 0.0
    min_elevation: float = 10.0
    platforms: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        scheme = "ftps" if self.tls == "implicit" else "ftp"
        default = 990 if self.tls == "implicit" else 21
        port = "" if self.port == default else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}{port}{self.root if self.root != '/' else ''}"

    @property
    def health(self) -> str:
        """disabled | failing | ok | waiting (never polled yet)."""
        if not self.enabled:
            return "disabled"
        if self.failing:
            return "failing"
        return "ok" if self.last_success_at else "waiting"

    @classmethod
    def of(cls, row: Station) -> StationView:
        return cls(
            id=row.id,
            name=row.name,
            host=row.host,
            port=row.port,
            login=row.login,
            tls=row.tls,
            verify_tls=row.verify_tls,
            root=row.root,
            include_masks=list(row.include_masks),
            exclude_masks=list(row.exclude_masks),
            poll_interval=row.poll_interval,
            max_connections=row.max_connections,
            encoding=row.encoding,
            enabled=row.enabled,
            created_at=row.created_at,
            last_poll_at=row.last_poll_at,
            last_success_at=row.last_success_at,
            last_error=row.last_error,
            failing=row.failing,
            has_password=bool(row.password_encrypted),
            latitude=row.latitude,
            longitude=row.longitude,
            altitude=row.altitude,
            min_elevation=row.min_elevation,
            platforms=tuple(row.platforms or ()),
        )


@dataclass(frozen=True)
class FollowedStation:
    station: StationView
    followed: bool


@dataclass(frozen=True)
class StationFileView:
    id: int
    station_id: int
    station_name: str
    path: str
    size: int
    modified_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    available_at: datetime | None
    stable: bool
    gone: bool
    new: bool  # available since the caller last marked the station seen
    # What the name says (services.passes.names); None when no pattern knows it.
    platform: str | None = None
    instrument: str | None = None
    level: str | None = None
    product: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    orbit: int | None = None
    pass_id: int | None = None

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class StationFilePage:
    items: list[StationFileView]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


@dataclass(frozen=True)
class StationFileFilter:
    station_id: int | None = None
    path_prefix: str | None = None
    since: datetime | None = None
    only_new: bool = False
    include_gone: bool = False
    # By what the names say: exact platform / instrument / level (any case), and a time range
    # the file's acquisition overlaps.
    platform: str | None = None
    instrument: str | None = None
    level: str | None = None
    taken_after: datetime | None = None
    taken_before: datetime | None = None


@dataclass(frozen=True)
class PollResult:
    station_id: int
    started_at: datetime
    finished_at: datetime
    files_seen: int
    new_files: int
    gone_files: int
    error: str = ""
    error_code: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class SurveyItem:
    station: StationView
    last_poll: PollResult | None
    new_in_last_poll: int
    new_since_seen: int
    seen_until: datetime


@dataclass(frozen=True)
class ProbeResult:
    entries: int  # entries in the root folder


def poll_result(row: StationPoll) -> PollResult:
    return PollResult(
        row.station_id,
        row.started_at,
        row.finished_at,
        row.files_seen,
        row.new_files,
        row.gone_files,
        row.error,
    )


def file_view(row: StationFile, station_name: str, seen_until: datetime) -> StationFileView:
    return StationFileView(
        id=row.id,
        station_id=row.station_id,
        station_name=station_name,
        path=row.path,
        size=row.size,
        modified_at=row.modified_at,
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        available_at=row.available_at,
        stable=row.stable,
        gone=row.gone,
        new=row.available_at is not None and row.available_at > seen_until,
        platform=row.platform,
        instrument=row.instrument,
        level=row.level,
        product=row.product,
        start_at=row.start_at,
        end_at=row.end_at,
        orbit=row.orbit,
        pass_id=row.satellite_pass_id,
    )
