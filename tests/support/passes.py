"""Stations whose files are grouped into passes, without an FTP server: the rows are put in as a
poll would put them (for tests of the edges; tests/passes/test_passes.py polls real servers)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from services.accounts.users import UserView
from services.container import Services
from services.core.models import StationFile
from services.passes.names import parse_name
from services.passes.service import metadata_fields

# Real orbital elements (CelesTrak's weather group and Terra/Aqua; see tests/data/tle/README.md).
TLE = Path(__file__).resolve().parents[1] / "data" / "tle" / "weather.txt"
SEEN = datetime(2023, 1, 1, 12, 20, tzinfo=UTC)


async def station_with_files(
    services: Services,
    admin: UserView,
    files: dict[str, int],
    *,
    unstable: tuple[str, ...] = (),
    **fields: object,
) -> int:
    """A station (never polled; `fields` are its settings, name "Kolyvan" unless given) whose
    `files` (path: size) are grouped into passes; the `unstable` ones are still being
    written."""
    station = await services.stations.create(
        admin, {"host": "127.0.0.1", "name": "Kolyvan", **fields}
    )
    for path, size in files.items():
        stable = path not in unstable
        await StationFile.create(
            station_id=station.id,
            remote_path="/" + path,
            path="/" + path,
            size=size,
            first_seen_at=SEEN,
            last_seen_at=SEEN,
            stable=stable,
            available_at=SEEN if stable else None,
            announced=stable,
            **metadata_fields(parse_name(path)),
        )
    await services.passes.group(station.id, SEEN)
    return station.id
