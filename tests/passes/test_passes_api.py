"""Passes over REST: the list and one pass as a follower sees them, a whole pass downloaded, the
next passes over a station, the announcement choices and the time zone, and an administrator's
file name patterns (tried without saving, saved and regrouping the station's files, removed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from services.accounts.users import UserView
from services.container import Services
from services.core.models import Download, Station, StationFile
from services.core.settings import Settings
from tests.support.passes import TLE, station_with_files
from tests.support.people import bearer, make_user

Client = TestClient[web.Request, web.Application]
CREATED = "c20230101121500123456_cspp_dev.h5"
# One NOAA-20 pass as a direct-broadcast station publishes it: VIIRS and ATMS granules.
GRANULES = {
    f"viirs/SVM01_j01_d20230101_t1200000_e1201250_b58000_{CREATED}": 1000,
    f"viirs/SVM01_j01_d20230101_t1201260_e1202510_b58000_{CREATED}": 2000,
    f"atms/SATMS_j01_d20230101_t1200000_e1208000_b58000_{CREATED}": 300,
}
# A name no built-in pattern reads: only the station's own pattern makes it a Meteor pass.
OWN_NAME = "meteor/MN2-3_20230101_123000_04321.msu"
OWN_PATTERN = {
    "format": "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}.msu",
    "platforms": {"MN2-3": "Meteor-M2 3"},
    "instrument": "MSU-MR",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Orbital elements from the test file: the stations' next passes can be predicted."""
    return settings.model_copy(update={"tle_file": TLE})


async def token(services: Services, user: UserView) -> dict[str, str]:
    return bearer(await services.auth.issue_token(user.id, "test"))


async def get(client: Client, path: str, headers: dict[str, str]) -> tuple[int, Any]:
    response = await client.get(path, headers=headers)
    return response.status, await response.json()


async def test_followers_list_and_open_passes(client: Client, services: Services) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    outsider = await make_user(services, 7402, name="Outsider")
    station_id = await station_with_files(services, admin, GRANULES)
    await services.stations.follow(follower, [station_id])
    mine, theirs = await token(services, follower), await token(services, outsider)

    status, page = await get(client, "/api/v1/passes/", mine)
    assert status == 200
    assert (page["total"], page["page"], page["per_page"]) == (1, 1, 20)
    (item,) = page["items"]
    assert item == {
        "id": item["id"],
        "station_id": station_id,
        "station_name": "Kolyvan",
        "platform": "NOAA-20",
        "orbit": 58000,
        "start": "2023-01-01T12:00:00Z",
        "end": "2023-01-01T12:08:00Z",
        "instruments": ["ATMS", "VIIRS"],
        "files": 3,
        "total_size": 3300,
        "state": "receiving",
        "completed_at": None,
    }
    # Filters narrow the list; nothing matches another satellite or a finished pass yet.
    for query, total in [
        ("platform=noaa-20", 1),
        ("platform=Metop-B", 0),
        ("instrument=ATMS", 1),
        ("instrument=viirs", 1),
        ("instrument=MODIS", 0),
        ("state=receiving", 1),
        ("state=complete", 0),
        (f"station_id={station_id}", 1),
        ("since=2023-01-01T12:05:00Z&until=2023-01-01T12:06:00Z", 1),
        ("since=2023-01-01T13:00:00Z", 0),
    ]:
        status, found = await get(client, f"/api/v1/passes/?{query}", mine)
        assert (status, found["total"]) == (200, total), query

    # Quiet for long enough, every file stable: complete.
    station = await Station.get(id=station_id)
    await services.passes.complete_quiet(station, datetime(2023, 1, 1, 14, tzinfo=UTC))
    status, found = await get(client, "/api/v1/passes/?state=complete", mine)
    assert (
        status == 200
        and found["total"] == 1
        and found["items"][0]["completed_at"] == "2023-01-01T14:00:00Z"
    )

    status, detail = await get(client, f"/api/v1/passes/{item['id']}/", mine)
    assert status == 200
    assert detail["pass"]["id"] == item["id"] and detail["pass"]["state"] == "complete"
    assert [(f["path"], f["instrument"], f["size"], f["available"]) for f in detail["files"]] == [
        (f"/atms/SATMS_j01_d20230101_t1200000_e1208000_b58000_{CREATED}", "ATMS", 300, True),
        (f"/viirs/SVM01_j01_d20230101_t1200000_e1201250_b58000_{CREATED}", "VIIRS", 1000, True),
        (f"/viirs/SVM01_j01_d20230101_t1201260_e1202510_b58000_{CREATED}", "VIIRS", 2000, True),
    ]
    assert detail["files"][1]["level"] == "SDR" and detail["files"][1]["product"] == "SVM01"
    assert detail["files"][1]["start"] == "2023-01-01T12:00:00Z"
    assert detail["progress"] == {
        "files": 0,
        "completed": 0,
        "failed": 0,
        "bytes_done": 0,
        "total_size": 0,
    }

    # Somebody who does not follow the station sees no such pass, and cannot filter on it.
    assert (await get(client, "/api/v1/passes/", theirs))[1]["total"] == 0
    for path in (f"/api/v1/passes/{item['id']}/", "/api/v1/passes/999999/"):
        status, body = await get(client, path, theirs)
        assert (status, body["error"]["code"]) == (404, "unknown_pass"), path
    response = await client.post(f"/api/v1/passes/{item['id']}/download/", headers=theirs)
    assert (response.status, (await response.json())["error"]["code"]) == (404, "unknown_pass")
    status, body = await get(client, f"/api/v1/passes/?station_id={station_id}", theirs)
    assert (status, body["error"]["code"]) == (404, "unknown_station")
    # Nobody without a token.
    for path in ("/api/v1/passes/", f"/api/v1/passes/{item['id']}/"):
        response = await client.get(path)
        assert response.status == 401
        assert (await response.json())["error"]["code"] == "missing_token"
    response = await client.get("/api/v1/passes/?state=gone", headers=mine)
    assert response.status == 400 and "state" in (await response.json())["error"]["fields"]


async def test_a_whole_pass_is_downloaded_once(client: Client, services: Services) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    writing = f"viirs/SVM01_j01_d20230101_t1202520_e1204170_b58000_{CREATED}"
    station_id = await station_with_files(
        services, admin, {**GRANULES, writing: 4000}, unstable=(writing,)
    )
    await services.stations.follow(follower, [station_id])
    headers = await token(services, follower)
    (item,) = (await get(client, "/api/v1/passes/", headers))[1]["items"]
    available = set(
        await StationFile.filter(station_id=station_id, stable=True).values_list("id", flat=True)
    )

    response = await client.post(f"/api/v1/passes/{item['id']}/download/", headers=headers)
    assert response.status == 202
    first = await response.json()
    assert (first["new"], first["refused"]) == (3, 0)
    # One download per file one can fetch now: the one still being written is left out.
    assert {d["station_file_id"] for d in first["downloads"]} == available
    assert {d["status"] for d in first["downloads"]} == {"queued"}
    assert {d["station_name"] for d in first["downloads"]} == {"Kolyvan"}
    assert {d["pass_id"] for d in first["downloads"]} == {item["id"]}
    listed = (await get(client, "/api/v1/downloads/", headers))[1]["items"]
    assert {d["pass_id"] for d in listed} == {item["id"]}
    assert sum(d["total"] for d in first["downloads"]) == 3300

    again = await client.post(f"/api/v1/passes/{item['id']}/download", headers=headers)
    assert again.status == 202
    second = await again.json()
    assert second["new"] == 0
    assert sorted(d["id"] for d in second["downloads"]) == sorted(
        d["id"] for d in first["downloads"]
    )
    assert await Download.filter(user_id=follower.id).count() == 3

    status, detail = await get(client, f"/api/v1/passes/{item['id']}/", headers)
    assert status == 200
    assert detail["progress"]["files"] == 3 and detail["progress"]["total_size"] == 3300
    assert [f["available"] for f in detail["files"]].count(False) == 1


async def test_the_next_passes_over_a_station(client: Client, services: Services) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    outsider = await make_user(services, 7402, name="Outsider")
    station_id = await station_with_files(services, admin, GRANULES)
    await services.stations.follow(follower, [station_id])
    root, mine = await token(services, admin), await token(services, follower)
    schedule = f"/api/v1/stations/{station_id}/schedule/"

    status, unlocated = await get(client, schedule, mine)
    assert status == 200
    assert unlocated["located"] is False and unlocated["elements"] is True
    assert unlocated["passes"] == [] and unlocated["station_name"] == "Kolyvan"
    # Without a choice, the platforms its files showed lately: none within the last 30 days.
    assert unlocated["platforms"] == []

    # An administrator gives the station its place and its satellites.
    station = f"/api/v1/admin/stations/{station_id}/"
    location: dict[str, Any] = {
        "latitude": 55.75,
        "longitude": 37.62,
        "altitude": 150,
        "min_elevation": 10,
        "platforms": ["NOAA-20", "Metop-B", "Kanopus-V 9"],
    }
    response = await client.patch(station, json=location, headers=root)
    assert response.status == 200, await response.text()
    saved = await response.json()
    assert {key: saved[key] for key in location} == {
        **location,
        "platforms": sorted(location["platforms"]),
    }

    before = datetime.now(UTC)
    status, located = await get(client, schedule + "?hours=12", mine)
    assert status == 200
    assert located["located"] is True and located["elements"] is True
    assert located["unknown_platforms"] == ["Kanopus-V 9"]  # not in the elements file
    passes = located["passes"]
    assert passes, located
    assert {p["platform"] for p in passes} <= {"NOAA-20", "Metop-B"}
    for p in passes:
        rise, top, end = (datetime.fromisoformat(p[k]) for k in ("rise", "culmination", "set"))
        assert before - timedelta(minutes=1) <= rise <= before + timedelta(hours=12, minutes=1)
        assert rise < top < end
        assert 10 <= p["max_elevation"] <= 90
    assert [p["rise"] for p in passes] == sorted(p["rise"] for p in passes)
    assert located["received_last_day"] == 0 and located["predicted_last_day"] == 0

    # Administrators see any station's; others only those they follow.
    assert (await get(client, schedule, root))[0] == 200
    status, body = await get(client, schedule, await token(services, outsider))
    assert (status, body["error"]["code"]) == (404, "unknown_station")
    status, body = await get(client, schedule + "?hours=100", mine)
    assert status == 400 and "hours" in body["error"]["fields"]

    # The location cleared: nothing predicted any more.
    response = await client.patch(station, json={"latitude": None, "longitude": None}, headers=root)
    assert (await response.json())["latitude"] is None
    assert (await get(client, schedule, mine))[1]["located"] is False
    response = await client.patch(station, json={"latitude": 91}, headers=root)
    assert response.status == 400 and "latitude" in (await response.json())["error"]["fields"]


async def test_announcement_choices_and_the_time_zone(client: Client, services: Services) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    station_id = await station_with_files(services, admin, GRANULES)
    await services.stations.follow(follower, [station_id])
    headers = await token(services, follower)
    path = f"/api/v1/account/stations/{station_id}/announcements/"

    status, choice = await get(client, path, headers)
    assert status == 200
    assert choice == {
        "station_id": station_id,
        "platforms": [],
        "instruments": [],
        "seen_platforms": ["NOAA-20"],
        "seen_instruments": ["ATMS", "VIIRS"],
    }
    response = await client.put(
        path,
        json={"platforms": ["NOAA-20", " NOAA-20 "], "instruments": ["VIIRS"]},
        headers=headers,
    )
    assert response.status == 200
    assert {k: v for k, v in (await response.json()).items() if not k.startswith("seen")} == {
        "station_id": station_id,
        "platforms": ["NOAA-20"],
        "instruments": ["VIIRS"],
    }
    assert (await get(client, path, headers))[1]["instruments"] == ["VIIRS"]
    too_many = {"platforms": [f"P{i}" for i in range(51)]}
    assert (await client.put(path, json=too_many, headers=headers)).status == 400
    # A station one does not follow has no choices.
    admin_headers = await token(services, admin)
    status, body = await get(client, path, admin_headers)
    assert (status, body["error"]["code"]) == (404, "unknown_station")
    response = await client.put(path, json={"platforms": []}, headers=admin_headers)
    assert response.status == 404

    response = await client.put(
        "/api/v1/account/time-zone/", json={"time_zone": "Europe/Moscow"}, headers=headers
    )
    assert response.status == 200 and (await response.json())["time_zone"] == "Europe/Moscow"
    assert (await get(client, "/api/v1/account/", headers))[1]["time_zone"] == "Europe/Moscow"
    response = await client.put(
        "/api/v1/account/time-zone/", json={"time_zone": "Mars/Olympus"}, headers=headers
    )
    assert response.status == 400
    assert (await response.json())["error"]["code"] == "invalid_time_zone"
    assert (await get(client, "/api/v1/account/", headers))[1]["time_zone"] == "Europe/Moscow"


async def test_administrators_try_save_and_remove_name_patterns(
    client: Client, services: Services
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    station_id = await station_with_files(services, admin, {**GRANULES, OWN_NAME: 500})
    await services.stations.follow(follower, [station_id])
    root, mine = await token(services, admin), await token(services, follower)
    patterns = f"/api/v1/admin/stations/{station_id}/patterns/"

    async def platforms() -> list[str]:
        page = (await get(client, "/api/v1/passes/", mine))[1]
        return sorted(p["platform"] for p in page["items"])

    assert await platforms() == ["NOAA-20"]  # the Meteor file is no pass: nothing reads it
    # Administrators only.
    for method, path in [
        ("GET", patterns),
        ("POST", patterns + "try/"),
        ("POST", patterns),
        ("DELETE", patterns + "0/"),
    ]:
        response = await client.request(method, path, json=OWN_PATTERN, headers=mine)
        assert response.status == 403, (method, path)
        assert (await client.request(method, path, json=OWN_PATTERN)).status == 401
    status, listed = await get(client, patterns, root)
    assert (status, listed) == (200, {"items": []})

    # A format with no start time is no pattern.
    for path in (patterns + "try/", patterns):
        response = await client.post(
            path, json={"format": "{platform}.msu", "platforms": {}}, headers=root
        )
        assert response.status == 400, path
        error = (await response.json())["error"]
        assert error["code"] == "invalid_pattern" and "start time" in error["message"]
    response = await client.post(patterns, json={"format": "x", "color": "red"}, headers=root)
    assert response.status == 400 and "color" in (await response.json())["error"]["fields"]

    # Tried on the station's newest names: only the Meteor file matches. Nothing is saved.
    response = await client.post(patterns + "try/", json=OWN_PATTERN, headers=root)
    assert response.status == 200
    trial = await response.json()
    assert trial["pattern"]["format"] == OWN_PATTERN["format"]
    assert trial["pattern"]["platforms"] == {"MN2-3": "Meteor-M2 3"}
    by_name = {item["name"]: item for item in trial["items"]}
    assert set(by_name) == {path.rsplit("/", 1)[-1] for path in [*GRANULES, OWN_NAME]}
    meteor = by_name["MN2-3_20230101_123000_04321.msu"]
    assert meteor == {
        "name": "MN2-3_20230101_123000_04321.msu",
        "matched": True,
        "platform": "Meteor-M2 3",
        "instrument": "MSU-MR",
        "level": None,
        "product": None,
        "start": "2023-01-01T12:30:00Z",
        "end": None,
        "orbit": 4321,
    }
    assert [i["matched"] for i in trial["items"]].count(True) == 1
    # Given samples are tried instead.
    response = await client.post(
        patterns + "try/",
        json={**OWN_PATTERN, "samples": ["MN2-3_20240229_235959_00001.msu", "other.msu"]},
        headers=root,
    )
    samples = (await response.json())["items"]
    assert [(s["name"], s["matched"], s["orbit"]) for s in samples] == [
        ("MN2-3_20240229_235959_00001.msu", True, 1),
        ("other.msu", False, None),
    ]
    assert (await get(client, patterns, root))[1] == {"items": []}
    assert await platforms() == ["NOAA-20"]

    # Saved, it reads the station's names again: the Meteor file becomes a pass.
    response = await client.post(patterns, json=OWN_PATTERN, headers=root)
    assert response.status == 201
    assert (await response.json())["items"] == [
        {
            "index": 0,
            "format": OWN_PATTERN["format"],
            "platforms": {"MN2-3": "Meteor-M2 3"},
            "platform": None,
            "instrument": "MSU-MR",
            "level": None,
        }
    ]
    assert await platforms() == ["Meteor-M2 3", "NOAA-20"]
    meteor_pass = (await get(client, "/api/v1/passes/?platform=Meteor-M2 3", mine))[1]["items"]
    assert [(p["orbit"], p["files"], p["instruments"]) for p in meteor_pass] == [
        (4321, 1, ["MSU-MR"])
    ]
    assert (await get(client, patterns, root))[1]["items"][0]["index"] == 0

    # Removed, the file is no pass again.
    response = await client.delete(patterns + "0/", headers=root)
    assert (response.status, await response.json()) == (200, {"items": []})
    assert await platforms() == ["NOAA-20"]
    response = await client.delete(patterns + "0/", headers=root)
    assert (response.status, (await response.json())["error"]["code"]) == (404, "unknown_pattern")
    response = await client.get("/api/v1/admin/stations/999999/patterns/", headers=root)
    assert (response.status, (await response.json())["error"]["code"]) == (404, "unknown_station")


async def test_station_files_carry_their_metadata_and_filter_by_it(
    client: Client, services: Services
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    follower = await make_user(services, 7401, name="Follower")
    station_id = await station_with_files(services, admin, {**GRANULES, "notes.txt": 5})
    await services.stations.follow(follower, [station_id])
    headers = await token(services, follower)

    status, page = await get(client, "/api/v1/station-files/?per_page=50", headers)
    assert status == 200 and page["total"] == 4
    by_name = {f["name"]: f for f in page["items"]}
    atms = by_name[next(n.rsplit("/", 1)[-1] for n in GRANULES if "SATMS" in n)]
    assert (atms["platform"], atms["instrument"], atms["level"], atms["orbit"]) == (
        "NOAA-20",
        "ATMS",
        "SDR",
        58000,
    )
    assert (atms["start_at"], atms["end_at"]) == ("2023-01-01T12:00:00Z", "2023-01-01T12:08:00Z")
    assert atms["pass_id"] is not None
    assert by_name["notes.txt"]["platform"] is None and by_name["notes.txt"]["pass_id"] is None

    for query, total in [
        ("platform=noaa-20", 3),
        ("instrument=VIIRS", 2),
        ("level=sdr", 3),
        ("platform=Metop-B", 0),
        # Acquired after 12:02 (per the names): the second VIIRS granule and the ATMS file.
        ("taken_after=2023-01-01T12:02:00Z", 2),
        ("taken_before=2023-01-01T11:59:00Z", 0),
        ("platform=NOAA-20&taken_after=2023-01-01T12:00:00Z&taken_before=2023-01-01T12:01:00Z", 2),
    ]:
        status, answer = await get(client, f"/api/v1/station-files/?{query}", headers)
        assert (status, answer["total"]) == (200, total), query
    status, answer = await get(client, "/api/v1/station-files/?taken_after=yesterday", headers)
    assert status == 400 and answer["error"]["code"]
