"""Stations: administration (CRUD, test, poll now), the caller's choice of stations, the files on
them and the poll survey."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond
from api.schemas import Instant, Page, PageQuery
from services.core.errors import StationUnavailable
from services.stations.views import PollResult, StationFileFilter, StationView

routes = RouteTable(tag="stations")
Tls = Literal["none", "explicit", "implicit"]
Encoding = Literal["auto", "utf-8", "cp1251"]
STATION = r"/api/v1/admin/stations/{station_id:\d{1,18}}/"
Platform = Annotated[str, Field(min_length=1, max_length=40)]
# Fields whose null means "none" rather than "unchanged".
CLEARABLE = frozenset({"latitude", "longitude"})


class StationOut(BaseModel):
    """A station as administrators see it. The password is never returned."""

    id: int
    name: str
    url: str
    host: str
    port: int
    login: str
    has_password: bool
    tls: str
    verify_tls: bool
    root: str
    include_masks: list[str]
    exclude_masks: list[str]
    poll_interval: int = Field(description="seconds")
    max_connections: int
    encoding: str
    enabled: bool
    health: str = Field(description="ok, failing, waiting (not polled yet) or disabled")
    created_at: datetime
    last_poll_at: datetime | None
    last_success_at: datetime | None
    last_error: str
    latitude: float | None = Field(description="degrees north; null: no location, no predictions")
    longitude: float | None = Field(description="degrees east")
    altitude: float = Field(description="metres above sea level")
    min_elevation: float = Field(description="degrees: lower passes are not predicted")
    platforms: list[str] = Field(
        description="platforms predicted for the station; empty: those its files showed lately"
    )

    model_config = ConfigDict(from_attributes=True)


class StationList(BaseModel):
    items: list[StationOut]


class StationFields(BaseModel):
    """Station settings. `url` (ftp://host[:port][/folder] or ftps:// for implicit TLS) may
    stand for host, port, TLS and root folder."""

    name: str | None = Field(default=None, max_length=100)
    url: str | None = Field(default=None, max_length=1100)
    host: str | None = Field(default=None, max_length=255)
    port: int | None = Field(default=None, ge=1, le=65535)
    login: str | None = Field(default=None, max_length=255)
    password: str | None = Field(default=None, max_length=1000)
    tls: Tls | None = None
    verify_tls: bool | None = None
    root: str | None = Field(default=None, max_length=1000)
    include_masks: list[str] | None = Field(default=None, max_length=100)
    exclude_masks: list[str] | None = Field(default=None, max_length=100)
    poll_interval: int | None = Field(default=None, ge=30, le=86400, description="seconds")
    max_connections: int | None = Field(default=None, ge=1, le=20)
    encoding: Encoding | None = None
    enabled: bool | None = None
    latitude: float | None = Field(
        default=None, ge=-90, le=90, description="degrees north; null clears the location"
    )
    longitude: float | None = Field(
        default=None, ge=-180, le=180, description="degrees east; null clears the location"
    )
    altitude: float | None = Field(default=None, ge=-500, le=9000, description="metres")
    min_elevation: float | None = Field(
        default=None, ge=0, le=60, description="degrees: lower passes are not predicted"
    )
    platforms: list[Platform] | None = Field(
        default=None,
        max_length=50,
        description="platforms the station receives (NOAA-20, Metop-B); empty: those its "
        "files showed lately",
    )

    model_config = ConfigDict(extra="forbid")

    def fields(self) -> dict[str, Any]:
        """Only what the caller sent (the service expands `url`; explicit fields win). A null
        latitude or longitude is sent on: it clears the station's location."""
        return {
            k: v
            for k, v in self.model_dump(exclude_unset=True).items()
            if v is not None or k in CLEARABLE
        }


class ProbeOut(BaseModel):
    ok: bool = True
    entries: int = Field(description="entries in the station's root folder")


class PollOut(BaseModel):
    station_id: int
    started_at: datetime
    finished_at: datetime
    files_seen: int
    new_files: int
    gone_files: int
    ok: bool
    error: str

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, result: PollResult) -> PollOut:
        return cls.model_validate(result)


class PollList(BaseModel):
    items: list[PollOut]


class UserStationOut(BaseModel):
    id: int
    name: str
    health: str
    last_poll_at: datetime | None
    last_success_at: datetime | None
    followed: bool


class UserStationList(BaseModel):
    items: list[UserStationOut]


StationId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class StationChoice(BaseModel):
    station_ids: list[StationId] = Field(max_length=10000)


class StationFileOut(BaseModel):
    id: int
    station_id: int
    station_name: str
    path: str
    name: str
    size: int
    modified_at: datetime | None
    first_seen_at: datetime
    last_seen_at: datetime
    available_at: datetime | None
    new: bool = Field(description="available since you last marked the station seen")
    gone: bool
    platform: str | None = Field(description="what the name says; null: no pattern knows it")
    instrument: str | None
    level: str | None
    product: str | None
    start_at: datetime | None = Field(description="acquisition start, from the name")
    end_at: datetime | None
    orbit: int | None
    pass_id: int | None = Field(description="the satellite pass it belongs to")

    model_config = ConfigDict(from_attributes=True)


class StationFileQuery(PageQuery):
    station_id: StationId | None = None
    path_prefix: str | None = Field(default=None, max_length=1000)
    since: Instant | None = Field(default=None, description="available at or after this time")
    only_new: bool = False
    include_gone: bool = False
    platform: str | None = Field(default=None, max_length=40, description="e.g. NOAA-20")
    instrument: str | None = Field(default=None, max_length=40, description="e.g. VIIRS")
    level: str | None = Field(default=None, max_length=16, description="e.g. L1B, SDR, L0")
    taken_after: Instant | None = Field(
        default=None, description="acquired (per the name) at or after this time"
    )
    taken_before: Instant | None = Field(
        default=None, description="acquired (per the name) at or before this time"
    )


class StationFilePageOut(Page):
    items: list[StationFileOut]


class SeenBody(BaseModel):
    station_id: StationId | None = Field(default=None, description="null: every followed station")


class SeenOut(BaseModel):
    stations: int
    seen_until: datetime


class SurveyStation(BaseModel):
    station_id: int
    station_name: str
    health: str
    last_poll: PollOut | None
    new_in_last_poll: int = Field(description="files that became available in the last poll")
    new_since_seen: int = Field(description="files available since you last marked it seen")
    seen_until: datetime


class SurveyOut(BaseModel):
    items: list[SurveyStation]


def station_out(view: StationView) -> StationOut:
    return StationOut.model_validate(view)


def _station_id(request: web.Request) -> int:
    return int(request.match_info["station_id"])


# ---- administration ------------------------------------------------------------------------


@routes.get(
    "/api/v1/admin/stations/",
    summary="Every station with its health",
    auth="admin",
    response=StationList,
)
async def list_stations(request: web.Request) -> web.Response:
    stations = await services_of(request).stations.list_stations()
    return respond(StationList(items=[station_out(s) for s in stations]))


@routes.post(
    "/api/v1/admin/stations/",
    summary="Add a station; it is polled at once",
    auth="admin",
    body=StationFields,
    response=StationOut,
    status=201,
)
async def create_station(request: web.Request) -> web.Response:
    body = await read_body(request, StationFields)
    station = await services_of(request).stations.create(user_of(request), body.fields())
    return respond(station_out(station), status=201)


@routes.post(
    "/api/v1/admin/stations/test/",
    summary="Try station settings without saving them: connect, log in, list the root folder",
    auth="admin",
    body=StationFields,
    response=ProbeOut,
    errors=[502],
)
async def probe_station(request: web.Request) -> web.Response:
    body = await read_body(request, StationFields)
    result = await services_of(request).stations.probe(body.fields())
    return respond(ProbeOut(entries=result.entries))


@routes.get(STATION, summary="One station", auth="admin", response=StationOut, errors=[404])
async def get_station(request: web.Request) -> web.Response:
    return respond(station_out(await services_of(request).stations.get(_station_id(request))))


@routes.patch(
    STATION,
    summary="Change a station's settings (send only what changes)",
    auth="admin",
    body=StationFields,
    response=StationOut,
    errors=[404, 409],
)
async def patch_station(request: web.Request) -> web.Response:
    body = await read_body(request, StationFields)
    station = await services_of(request).stations.update(
        user_of(request), _station_id(request), body.fields()
    )
    return respond(station_out(station))


@routes.delete(
    STATION,
    summary="Delete a station with its file list and poll history",
    auth="admin",
    status=204,
    errors=[404],
)
async def delete_station(request: web.Request) -> web.Response:
    await services_of(request).stations.delete(user_of(request), _station_id(request))
    return web.Response(status=204)


@routes.post(
    STATION + "test/",
    summary="Connect to a saved station, log in and list its root folder",
    auth="admin",
    response=ProbeOut,
    errors=[404, 502],
)
async def test_station(request: web.Request) -> web.Response:
    result = await services_of(request).stations.test(_station_id(request))
    return respond(ProbeOut(entries=result.entries))


@routes.post(
    STATION + "poll/",
    summary="Poll a station now; 502 with the station's error when the poll fails",
    auth="admin",
    response=PollOut,
    errors=[404, 409, 502],
)
async def poll_station(request: web.Request) -> web.Response:
    result = await services_of(request).stations.poll(_station_id(request))
    if not result.ok:  # recorded on the station; the caller gets the station's error
        raise StationUnavailable(result.error, code=result.error_code or None)
    return respond(PollOut.of(result))


@routes.get(
    STATION + "polls/",
    summary="The station's latest polls, newest first",
    auth="admin",
    response=PollList,
    errors=[404],
)
async def station_polls(request: web.Request) -> web.Response:
    stations = services_of(request).stations
    station_id = _station_id(request)
    await stations.get(station_id)
    return respond(PollList(items=[PollOut.of(p) for p in await stations.last_polls(station_id)]))


# ---- users ---------------------------------------------------------------------------------


async def user_station_list(request: web.Request) -> UserStationList:
    """Enabled stations, those the caller follows marked."""
    items = await services_of(request).stations.stations_for(user_of(request))
    return UserStationList(
        items=[
            UserStationOut(
                id=i.station.id,
                name=i.station.name,
                health=i.station.health,
                last_poll_at=i.station.last_poll_at,
                last_success_at=i.station.last_success_at,
                followed=i.followed,
            )
            for i in items
        ]
    )


@routes.get(
    "/api/v1/stations/",
    summary="Enabled stations; `followed` marks the ones you chose",
    response=UserStationList,
)
async def user_stations(request: web.Request) -> web.Response:
    return respond(await user_station_list(request))


@routes.put(
    "/api/v1/account/stations/",
    summary="Choose the stations you follow (any number, the list replaces the old one)",
    body=StationChoice,
    response=UserStationList,
    errors=[404],
)
async def choose_stations(request: web.Request) -> web.Response:
    body = await read_body(request, StationChoice)
    await services_of(request).stations.follow(user_of(request), body.station_ids)
    return respond(await user_station_list(request))


@routes.get(
    "/api/v1/station-files/",
    summary="Available files on the stations you follow (or on `station_id`), newest first",
    query=StationFileQuery,
    response=StationFilePageOut,
    errors=[404],
)
async def list_station_files(request: web.Request) -> web.Response:
    query = read_query(request, StationFileQuery)
    page = await services_of(request).stations.list_files(
        user_of(request),
        StationFileFilter(
            station_id=query.station_id,
            path_prefix=query.path_prefix,
            since=query.since,
            only_new=query.only_new,
            include_gone=query.include_gone,
            platform=query.platform,
            instrument=query.instrument,
            level=query.level,
            taken_after=query.taken_after,
            taken_before=query.taken_before,
        ),
        page=query.page,
        per_page=query.per_page,
    )
    return respond(
        StationFilePageOut(
            page=page.page,
            per_page=page.per_page,
            total=page.total,
            items=[StationFileOut.model_validate(f) for f in page.items],
        )
    )


@routes.get(
    "/api/v1/stations/survey/",
    summary="Per followed station: the last poll and how many files are new",
    response=SurveyOut,
)
async def survey(request: web.Request) -> web.Response:
    items = await services_of(request).stations.survey(user_of(request))
    return respond(
        SurveyOut(
            items=[
                SurveyStation(
                    station_id=i.station.id,
                    station_name=i.station.name,
                    health=i.station.health,
                    last_poll=PollOut.of(i.last_poll) if i.last_poll else None,
                    new_in_last_poll=i.new_in_last_poll,
                    new_since_seen=i.new_since_seen,
                    seen_until=i.seen_until,
                )
                for i in items
            ]
        )
    )


@routes.post(
    "/api/v1/stations/seen/",
    summary="Mark files seen: they stop counting as new (one station, or all you follow)",
    body=SeenBody,
    response=SeenOut,
)
async def mark_seen(request: web.Request) -> web.Response:
    body = await read_body(request, SeenBody)
    count, until = await services_of(request).stations.mark_seen(user_of(request), body.station_id)
    return respond(SeenOut(stations=count, seen_until=until))
