"""A test FTP server as ftpgram sees it: the FTP client's target, a station, a station whose
files are already available."""

from __future__ import annotations

from services.accounts.users import UserView
from services.container import Services
from services.core.models import StationFile
from services.ftp.client import FtpTarget
from services.stations.views import StationView
from tests.support.ftp_files import HOUR, put
from tests.support.ftp_servers import FtpEndpoint


def target_of(endpoint: FtpEndpoint, **changes: object) -> FtpTarget:
    values: dict[str, object] = {
        "host": endpoint.host,
        "port": endpoint.port,
        "login": endpoint.login,
        "password": endpoint.password,
        "tls": endpoint.tls,
        "ca_file": endpoint.ca_file,
        "timeout": 10.0,
    }
    values.update(changes)
    return FtpTarget(**values)  # type: ignore[arg-type]


async def add_station(
    services: Services, admin: UserView, endpoint: FtpEndpoint, **fields: object
) -> StationView:
    """The endpoint made a station by `admin` (its CA trusted), `fields` changed."""
    services.stations.ca_file = endpoint.ca_file
    values: dict[str, object] = {
        "name": endpoint.name,
        "host": endpoint.host,
        "port": endpoint.port,
        "login": endpoint.login,
        "password": endpoint.password,
        "tls": endpoint.tls,
    }
    values.update(fields)
    return await services.stations.create(admin, values)


async def station_files(
    services: Services, admin: UserView, endpoint: FtpEndpoint, files: dict[str, bytes]
) -> dict[str, int]:
    """Files put on the station an hour ago, so its first poll makes them available; returns
    the station file id of each name."""
    for name, data in files.items():
        put(endpoint.root, name, data, age=HOUR)
    station = await add_station(services, admin, endpoint)
    await services.stations.poll(station.id)
    rows = await StationFile.filter(station_id=station.id, stable=True)
    ids = {row.path.lstrip("/"): row.id for row in rows}
    assert set(files) <= set(ids)
    return ids
