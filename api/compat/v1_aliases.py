"""The older paths under /api/v1. Most are the canonical routes' handlers at another path (where
`/files/{file_id}/` named a download, `/users/{user_id}/` a Telegram user); a few take their
input in another shape (a GET with a query, other field names) and have a small handler here."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from api.keys import services_of, user_of
from api.openapi import RouteTable, read_body, read_query, respond
from api.routes import admin, auth, downloads, stations
from api.routes.admin import AdminUser
from api.routes.auth import CodeSent
from api.routes.stations import StationOut, UserStationList
from api.schemas import Id, SignedIn
from services.core.errors import InvalidInput

routes = RouteTable(tag="compatibility", deprecated=True)
# In these paths `file_id` is the id of a download (as /api/v1/files/list_files/ lists them).
DOWNLOAD = r"/api/v1/files/{file_id:\d{1,18}}/"
AS_DOWNLOAD = {"file_id": "download_id"}
# In these paths `user_id` is a Telegram user's id.
TELEGRAM_USER = r"/api/v1/users/{user_id:\d{1,18}}/"


# ---- downloads -----------------------------------------------------------------------------

routes.alias(
    downloads.routes.endpoint(downloads.list_downloads),
    "/api/v1/files/list_files/",
    summary="Your downloads in every status, newest first",
)
routes.alias(
    downloads.routes.endpoint(downloads.pause),
    DOWNLOAD + "pause/",
    summary="Pause a download (the partial data is kept)",
    params=AS_DOWNLOAD,
)
routes.alias(
    downloads.routes.endpoint(downloads.start),
    DOWNLOAD + "start/",
    summary="Start a paused, failed or cancelled download again",
    params=AS_DOWNLOAD,
)
routes.alias(
    downloads.routes.endpoint(downloads.cancel),
    DOWNLOAD + "down/",
    summary="Stop a download and delete what it fetched (partial data or the file)",
    params=AS_DOWNLOAD,
)
routes.alias(
    downloads.routes.endpoint(downloads.remove),
    DOWNLOAD + "remove/",
    method="POST",
    summary="Delete a finished download and its file",
    params=AS_DOWNLOAD,
)


# ---- stations ------------------------------------------------------------------------------

routes.alias(
    stations.routes.endpoint(stations.list_station_files),
    "/api/v1/files/list_station_files/",
    summary="Available files on the stations you follow, newest first",
)
routes.alias(
    stations.routes.endpoint(stations.survey),
    "/api/v1/files/survey/",
    summary="Per followed station, the last poll and how many files are new",
)
routes.alias(
    stations.routes.endpoint(stations.choose_stations),
    "/api/v1/users/me/stations/",
    summary="Choose the stations you follow (the list replaces the old one)",
)


class StationChoiceQuery(BaseModel):
    station_ids: str = Field(description="comma-separated station ids, e.g. 1,2")

    def ids(self) -> list[int]:
        parts = [p.strip() for p in self.station_ids.split(",") if p.strip()]
        # At most 10 digits before int(): it refuses strings of more than 4,300.
        if not all(
            p.isascii() and p.isdigit() and len(p) <= 10 and 0 < int(p) < 2**31 for p in parts
        ):
            raise InvalidInput(
                "station_ids must be comma-separated numbers.",
                fields={"station_ids": "expected e.g. 1,2"},
            )
        return [int(p) for p in parts]


@routes.get(
    "/api/v1/users/select_station/",
    summary="Choose the stations you follow with ?station_ids=1,2",
    query=StationChoiceQuery,
    response=UserStationList,
    errors=[403, 404],
    changes_state=True,
    canonical="PUT /api/v1/account/stations/",
)
async def select_station(request: web.Request) -> web.Response:
    query = read_query(request, StationChoiceQuery)
    await services_of(request).stations.follow(user_of(request), query.ids())
    return respond(await stations.user_station_list(request))


class StationFromUrl(BaseModel):
    """`is_ssl` asks for explicit TLS on an ftp:// URL."""

    login: str = Field(default="", max_length=255)
    pwd: str = Field(default="", max_length=1000)
    url: str = Field(max_length=1100)
    is_ssl: bool = False
    name: str | None = Field(default=None, max_length=100)


@routes.post(
    "/api/v1/admin/add_new_ftp_server/",
    summary="Add a station from {login, pwd, url, is_ssl}",
    auth="admin",
    body=StationFromUrl,
    response=StationOut,
    status=201,
    canonical="POST /api/v1/admin/stations/",
)
async def add_new_ftp_server(request: web.Request) -> web.Response:
    body = await read_body(request, StationFromUrl)
    station = await services_of(request).stations.create_from_form(
        user_of(request),
        url=body.url,
        login=body.login,
        pwd=body.pwd,
        is_ssl=body.is_ssl,
        name=body.name,
    )
    return respond(stations.station_out(station), status=201)


# ---- administration ------------------------------------------------------------------------

for _path in ("/api/v1/admin/list_users/", "/api/v1/account/list/"):
    routes.alias(
        admin.routes.endpoint(admin.list_users), _path, summary="The user list with quotas"
    )
routes.alias(
    admin.routes.endpoint(admin.activate_users),
    "/api/v1/admin/activate_users/",
    summary="Activate users",
)
routes.alias(
    admin.routes.endpoint(admin.deactivate_users),
    "/api/v1/admin/deactivate_users/",
    summary="Deactivate users; their tokens stop working at once",
)


class QuotaPut(BaseModel):
    user_id: Id
    quota: int | None = Field(ge=0, description="bytes; null: the default quota")


@routes.put(
    "/api/v1/account/quota/",
    summary="Set a user's quota (administrators)",
    auth="admin",
    body=QuotaPut,
    response=AdminUser,
    errors=[404],
    canonical="PATCH /api/v1/admin/users/{user_id}/",
)
async def put_quota(request: web.Request) -> web.Response:
    body = await read_body(request, QuotaPut)
    await services_of(request).users.set_quota(body.user_id, body.quota, actor=user_of(request))
    return respond(await admin.admin_user(request, body.user_id))


# ---- signing in with a code from the bot ---------------------------------------------------

routes.alias(
    auth.routes.endpoint(auth.registration_state),
    TELEGRAM_USER + "registration/",
    summary="The state of a Telegram user's registration",
    params={"user_id": "telegram_id"},
)


@routes.get(
    TELEGRAM_USER + "get_temp_code/",
    summary="Send a 6-digit code to the Telegram user",
    auth="none",
    response=CodeSent,
    status=202,
    errors=[403, 404, 429],
    telegram_ids=["user_id"],
    canonical="POST /api/v1/auth/code/",
)
async def get_temp_code(request: web.Request) -> web.Response:
    return await auth.send_code(request, int(request.match_info["user_id"]))


@routes.get(
    TELEGRAM_USER + r"{temp_code:\d{1,16}}/auth/",
    summary="Exchange a code for a token",
    auth="none",
    response=SignedIn,
    errors=[403, 404, 429],
    telegram_ids=["user_id"],
    canonical="POST /api/v1/auth/code/verify/",
)
async def sign_in_with_temp_code(request: web.Request) -> web.Response:
    return await auth.sign_in_with_code(
        request, int(request.match_info["user_id"]), request.match_info["temp_code"]
    )
