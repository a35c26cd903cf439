"""What passes look like outside services: plain data for the bot, the API and the pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from services.core.models import ExpectedPass, SatellitePass, StationFile


@dataclass(frozen=True)
class PassView:
    id: int
    station_id: int
    station_name: str
    platform: str
    orbit: int | None
    start: datetime
    end: datetime
    instruments: tuple[str, ...]
    files: int
    total_size: int
    state: str
    completed_at: datetime | None
    # In an announcement: the files nobody was told about yet (fewer than `files` when files
    # came after the pass was first announced).
    new_files: int = 0

    @classmethod
    def of(cls, row: SatellitePass, station_name: str, new_files: int = 0) -> PassView:
        return cls(
            id=row.id,
            station_id=row.station_id,
            station_name=station_name,
            platform=row.platform,
            orbit=row.orbit,
            start=row.start_at,
            end=row.end_at,
            instruments=tuple(row.instruments or ()),
            files=row.file_count,
            total_size=row.total_size,
            state=row.state,
            completed_at=row.completed_at,
            new_files=new_files,
        )


@dataclass(frozen=True)
class PassFileView:
    """A file of a pass, with what its name says."""

    id: int
    path: str
    size: int
    available: bool
    instrument: str | None
    level: str | None
    product: str | None
    start: datetime | None
    end: datetime | None

    @classmethod
    def of(cls, row: StationFile) -> PassFileView:
        return cls(
            id=row.id,
            path=row.path,
            size=row.size,
            available=row.stable and not row.gone,
            instrument=row.instrument,
            level=row.level,
            product=row.product,
            start=row.start_at,
            end=row.end_at,
        )


@dataclass(frozen=True)
class PassProgress:
    """How far the asking person's downloads of a pass's files are."""

    files: int = 0  # files of the pass this person asked for
    completed: int = 0
    failed: int = 0
    bytes_done: int = 0
    total_size: int = 0


@dataclass(frozen=True)
class PassDetail:
    summary: PassView
    files: list[PassFileView]
    progress: PassProgress


@dataclass(frozen=True)
class PassFilter:
    station_id: int | None = None
    platform: str | None = None
    instrument: str | None = None
    state: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class PassPage:
    items: list[PassView]
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class ScheduledPass:
    """A predicted pass over a station; `state` only for passes already in the past."""

    station_id: int
    platform: str
    rise: datetime
    culmination: datetime
    set: datetime
    max_elevation: float
    state: str | None = None

    @classmethod
    def of(cls, row: ExpectedPass) -> ScheduledPass:
        return cls(
            station_id=row.station_id,
            platform=row.platform,
            rise=row.rise_at,
            culmination=row.culmination_at,
            set=row.set_at,
            max_elevation=row.max_elevation,
            state=row.state,
        )


@dataclass(frozen=True)
class Schedule:
    """The next passes over a station, and how the last day went (received of predicted)."""

    station_id: int
    station_name: str
    located: bool
    elements: bool  # whether orbital elements are configured at all
    passes: list[ScheduledPass]
    platforms: tuple[str, ...]
    received_last_day: int = 0
    predicted_last_day: int = 0
    unknown_platforms: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class PatternTrial:
    """What a pattern extracts from one sample name (None: it does not match)."""

    name: str
    platform: str | None = None
    instrument: str | None = None
    level: str | None = None
    product: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    orbit: int | None = None
