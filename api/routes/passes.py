"""Satellite passes: the passes over the stations you follow (files grouped by what their names
say), one pass with its files and your progress, downloading a whole pass, the next passes over
a station, which passes the bot announces to you, your time zone; and, for administrators, the
file name patterns of a station (try one on the station's names, save, remove)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond
from api.routes.downloads import DownloadOut
from api.schemas import Instant, Page, PageQuery, UserOut
from services.passes.views import (
    PassFileView,
    PassFilter,
    PassProgress,
    PassView,
    PatternTrial,
)

routes = RouteTable(tag="passes")
PASS = r"/api/v1/passes/{pass_id:\d{1,18}}/"
PATTERNS = r"/api/v1/admin/stations/{station_id:\d{1,18}}/patterns/"

StationId = Annotated[int, Field(ge=1, le=2**31 - 1)]
Name = Annotated[str, Field(min_length=1, max_length=40)]
Code = Annotated[str, Field(min_length=1, max_length=40)]
Sample = Annotated[str, Field(min_length=1, max_length=255)]


# ---- passes ------------------------------------------------------------------------------


class PassOut(BaseModel):
    id: int
    station_id: int
    station_name: str
    platform: str = Field(description="the satellite, by its canonical name (NOAA-20, Metop-B)")
    orbit: int | None = Field(description="the orbit number, when the file names carry it")
    start: datetime
    end: datetime
    instruments: list[str]
    files: int = Field(description="how many files the pass has")
    total_size: int = Field(description="bytes")
    state: Literal["receiving", "complete"] = Field(
        description="receiving while files still arrive; complete once quiet (then announced)"
    )
    completed_at: datetime | None

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, view: PassView) -> PassOut:
        return cls.model_validate(view)


class PassPageOut(Page):
    items: list[PassOut]


class PassQuery(PageQuery):
    station_id: StationId | None = Field(default=None, description="one station you follow")
    platform: str | None = Field(default=None, max_length=40)
    instrument: str | None = Field(default=None, max_length=40)
    state: Literal["receiving", "complete"] | None = None
    since: Instant | None = Field(default=None, description="passes ending at or after this")
    until: Instant | None = Field(default=None, description="passes starting at or before this")
    per_page: int = Field(default=20, ge=1, le=200)


class PassFileOut(BaseModel):
    id: int = Field(description="the station file: download it alone with /api/v1/downloads/")
    path: str
    size: int
    available: bool = Field(description="stable and still on the station")
    instrument: str | None
    level: str | None
    product: str | None
    start: datetime | None
    end: datetime | None

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, view: PassFileView) -> PassFileOut:
        return cls.model_validate(view)


class PassProgressOut(BaseModel):
    """Your downloads of the pass's files."""

    files: int = Field(description="files of the pass you asked for")
    completed: int
    failed: int
    bytes_done: int
    total_size: int = Field(description="bytes of the files you asked for")

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, progress: PassProgress) -> PassProgressOut:
        return cls.model_validate(progress)


class PassDetailOut(BaseModel):
    pass_: PassOut = Field(alias="pass")
    files: list[PassFileOut]
    progress: PassProgressOut

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)


class PassDownloadOut(BaseModel):
    downloads: list[DownloadOut] = Field(
        description="a download per available file of the pass: new ones and those you had"
    )
    new: int = Field(description="downloads this request created")
    refused: int = Field(description="files left out because they did not fit your quota")


def _pass_id(request: web.Request) -> int:
    return int(request.match_info["pass_id"])


@routes.get(
    "/api/v1/passes/",
    summary="Passes over the stations you follow (or over `station_id`), newest first",
    query=PassQuery,
    response=PassPageOut,
    errors=[404],
)
async def list_passes(request: web.Request) -> web.Response:
    query = read_query(request, PassQuery)
    page = await services_of(request).passes.list_passes(
        user_of(request),
        PassFilter(
            station_id=query.station_id,
            platform=query.platform or None,
            instrument=query.instrument or None,
            state=query.state,
            since=query.since,
            until=query.until,
        ),
        page=query.page,
        per_page=query.per_page,
    )
    return respond(
        PassPageOut(
            page=page.page,
            per_page=page.per_page,
            total=page.total,
            items=[PassOut.of(p) for p in page.items],
        )
    )


@routes.get(
    PASS,
    summary="One pass with its files and how far your downloads of it are",
    response=PassDetailOut,
    errors=[404],
)
async def get_pass(request: web.Request) -> web.Response:
    detail = await services_of(request).passes.get(user_of(request), _pass_id(request))
    return respond(
        PassDetailOut(
            pass_=PassOut.of(detail.summary),
            files=[PassFileOut.of(f) for f in detail.files],
            progress=PassProgressOut.of(detail.progress),
        )
    )


@routes.post(
    PASS + "download/",
    summary="Download every available file of a pass into your storage (files that do not fit "
    "your quota are left out and counted; 507 when none fits)",
    response=PassDownloadOut,
    status=202,
    errors=[404, 409, 507],
)
async def download_pass(request: web.Request) -> web.Response:
    result = await services_of(request).downloads.request_pass(user_of(request), _pass_id(request))
    return respond(
        PassDownloadOut(
            downloads=[DownloadOut.of(v) for v in result.downloads],
            new=result.new,
            refused=result.refused,
        ),
        status=202,
    )


# ---- the next passes over a station ------------------------------------------------------


class ScheduleQuery(BaseModel):
    hours: float = Field(default=24.0, ge=1, le=72, description="how far ahead")


class ScheduledPassOut(BaseModel):
    platform: str
    rise: datetime = Field(description="above the station's elevation mask from here")
    culmination: datetime
    set: datetime
    max_elevation: float = Field(description="degrees")


class ScheduleOut(BaseModel):
    station_id: int
    station_name: str
    located: bool = Field(description="the station has a location: passes can be predicted")
    elements: bool = Field(description="orbital elements (TLE_FILE or TLE_URL) are there")
    platforms: list[str] = Field(description="the platforms predicted for the station")
    unknown_platforms: list[str] = Field(description="platforms the elements do not know")
    received_last_day: int = Field(description="predicted passes of the last day that came")
    predicted_last_day: int = Field(description="predicted passes of the last day")
    passes: list[ScheduledPassOut]


@routes.get(
    r"/api/v1/stations/{station_id:\d{1,18}}/schedule/",
    summary="The next passes over a station you follow (administrators: any station), "
    "predicted from orbital elements",
    query=ScheduleQuery,
    response=ScheduleOut,
    errors=[404],
)
async def schedule(request: web.Request) -> web.Response:
    query = read_query(request, ScheduleQuery)
    found = await services_of(request).passes.schedule(
        user_of(request), int(request.match_info["station_id"]), query.hours
    )
    return respond(
        ScheduleOut(
            station_id=found.station_id,
            station_name=found.station_name,
            located=found.located,
            elements=found.elements,
            platforms=list(found.platforms),
            unknown_platforms=list(found.unknown_platforms),
            received_last_day=found.received_last_day,
            predicted_last_day=found.predicted_last_day,
            passes=[
                ScheduledPassOut(
                    platform=p.platform,
                    rise=p.rise,
                    culmination=p.culmination,
                    set=p.set,
                    max_elevation=p.max_elevation,
                )
                for p in found.passes
            ],
        )
    )


# ---- your choices ------------------------------------------------------------------------


class AnnouncementChoice(BaseModel):
    """Announce only passes of these platforms with one of these instruments; an empty list
    means every platform (instrument)."""

    platforms: list[Name] = Field(default_factory=list, max_length=50)
    instruments: list[Name] = Field(default_factory=list, max_length=50)

    model_config = ConfigDict(extra="forbid")


class AnnouncementsOut(BaseModel):
    station_id: int
    platforms: list[str] = Field(description="announced platforms; empty: all")
    instruments: list[str] = Field(description="announced instruments; empty: all")
    seen_platforms: list[str] = Field(description="platforms the station's passes showed")
    seen_instruments: list[str] = Field(description="instruments the station's passes showed")


class TimeZoneBody(BaseModel):
    time_zone: str = Field(
        min_length=1, max_length=64, description="an IANA name: Europe/Moscow, UTC"
    )

    model_config = ConfigDict(extra="forbid")


ANNOUNCEMENTS = r"/api/v1/account/stations/{station_id:\d{1,18}}/announcements/"


async def _announcements(
    request: web.Request, station_id: int, chosen: tuple[list[str], list[str]]
) -> AnnouncementsOut:
    platforms, instruments = await services_of(request).passes.seen_kinds(station_id)
    return AnnouncementsOut(
        station_id=station_id,
        platforms=chosen[0],
        instruments=chosen[1],
        seen_platforms=platforms,
        seen_instruments=instruments,
    )


@routes.get(
    ANNOUNCEMENTS,
    summary="Which passes over a station you follow the bot announces to you",
    response=AnnouncementsOut,
    errors=[404],
)
async def get_announcements(request: web.Request) -> web.Response:
    station_id = int(request.match_info["station_id"])
    chosen = await services_of(request).passes.announcements(user_of(request), station_id)
    return respond(await _announcements(request, station_id, chosen))


@routes.put(
    ANNOUNCEMENTS,
    summary="Choose the platforms and instruments whose passes the bot announces (empty: all)",
    body=AnnouncementChoice,
    response=AnnouncementsOut,
    errors=[404],
)
async def put_announcements(request: web.Request) -> web.Response:
    body = await read_body(request, AnnouncementChoice)
    station_id = int(request.match_info["station_id"])
    chosen = await services_of(request).passes.set_announcements(
        user_of(request), station_id, platforms=body.platforms, instruments=body.instruments
    )
    return respond(await _announcements(request, station_id, chosen))


@routes.put(
    "/api/v1/account/time-zone/",
    summary="The time zone the bot and the pages show times in",
    body=TimeZoneBody,
    response=UserOut,
)
async def put_time_zone(request: web.Request) -> web.Response:
    body = await read_body(request, TimeZoneBody)
    user = await services_of(request).users.set_time_zone(user_of(request), body.time_zone)
    return respond(UserOut.of(user))


# ---- name patterns (administrators) ------------------------------------------------------


class PatternFields(BaseModel):
    """A file name pattern: a trollsift-style `format` whose fields name what the file is
    (platform code, start time, orbit...), with the map of the names' platform codes to
    canonical platform names; `platform`, `instrument` and `level` fix what the names do not
    say."""

    format: str = Field(min_length=1, max_length=300)
    platforms: dict[Code, Name] = Field(default_factory=dict, max_length=50)
    platform: str | None = Field(default=None, max_length=40)
    instrument: str | None = Field(default=None, max_length=40)
    level: str | None = Field(default=None, max_length=16)

    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        return self.model_dump(exclude={"samples"})


class PatternTry(PatternFields):
    samples: list[Sample] = Field(
        default_factory=list,
        max_length=20,
        description="file names to try it on; none: the station's newest file names",
    )


class PatternOut(BaseModel):
    index: int = Field(description="its place among the station's patterns (tried in order)")
    format: str
    platforms: dict[str, str]
    platform: str | None
    instrument: str | None
    level: str | None

    @classmethod
    def of(cls, index: int, stored: dict[str, Any]) -> PatternOut:
        platforms = stored.get("platforms") or {}
        return cls(
            index=index,
            format=str(stored.get("format") or ""),
            platforms={str(k): str(v) for k, v in dict(platforms).items()},
            platform=_text(stored.get("platform")),
            instrument=_text(stored.get("instrument")),
            level=_text(stored.get("level")),
        )


def _text(value: Any) -> str | None:
    return str(value) if value else None


class PatternList(BaseModel):
    items: list[PatternOut]


class TrialOut(BaseModel):
    name: str
    matched: bool
    platform: str | None
    instrument: str | None
    level: str | None
    product: str | None
    start: datetime | None
    end: datetime | None
    orbit: int | None

    @classmethod
    def of(cls, trial: PatternTrial) -> TrialOut:
        return cls(
            name=trial.name,
            matched=trial.platform is not None,
            platform=trial.platform,
            instrument=trial.instrument,
            level=trial.level,
            product=trial.product,
            start=trial.start,
            end=trial.end,
            orbit=trial.orbit,
        )


class TrialListOut(BaseModel):
    pattern: PatternOut = Field(description="the pattern as it would be stored (index: -1)")
    items: list[TrialOut]


def _station_id(request: web.Request) -> int:
    return int(request.match_info["station_id"])


def pattern_list(stored: list[dict[str, Any]]) -> PatternList:
    return PatternList(items=[PatternOut.of(i, p) for i, p in enumerate(stored)])


@routes.get(
    PATTERNS,
    summary="A station's own file name patterns, in the order they are tried (before the "
    "built-in ones)",
    auth="admin",
    response=PatternList,
    errors=[404],
)
async def list_patterns(request: web.Request) -> web.Response:
    return respond(pattern_list(await services_of(request).passes.patterns(_station_id(request))))


@routes.post(
    PATTERNS + "try/",
    summary="What a pattern would read from sample names (by default the station's newest "
    "file names); nothing is saved",
    auth="admin",
    body=PatternTry,
    response=TrialListOut,
    errors=[404],
)
async def try_pattern(request: web.Request) -> web.Response:
    body = await read_body(request, PatternTry)
    stored, trials = await services_of(request).passes.try_pattern(
        _station_id(request), body.fields(), body.samples
    )
    return respond(
        TrialListOut(pattern=PatternOut.of(-1, stored), items=[TrialOut.of(t) for t in trials])
    )


@routes.post(
    PATTERNS,
    summary="Save a pattern for a station; its files are read again with it and regrouped",
    auth="admin",
    body=PatternFields,
    response=PatternList,
    status=201,
    errors=[404],
)
async def add_pattern(request: web.Request) -> web.Response:
    body = await read_body(request, PatternFields)
    stored = await services_of(request).passes.add_pattern(
        user_of(request), _station_id(request), body.fields()
    )
    return respond(pattern_list(stored), status=201)


@routes.delete(
    PATTERNS + r"{index:\d{1,3}}/",
    summary="Remove a station's pattern (by its index); the remaining ones are returned",
    auth="admin",
    response=PatternList,
    errors=[404],
)
async def remove_pattern(request: web.Request) -> web.Response:
    stored = await services_of(request).passes.remove_pattern(
        user_of(request), _station_id(request), int(request.match_info["index"])
    )
    return respond(pattern_list(stored))
