"""Satellite passes in the bot, driven as users and administrators through the fake Telegram
server: the pass announcements (in Russian and English, times in the reader's zone) with their
Download pass and Files buttons, /passes, /next, /announce, /timezone, the /pattern wizard and the
missed-pass notice.

Passes come from real services: a real FTP server serving JPSS-style names that the station
polls, or station file rows with what their names say, grouped as a poll would group them. The
application's scheduler is paused, so every poll and every grouping is the test's own.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.callbacks import PassAction, PassCallback
from ftpgram.app import Application
from services.accounts.users import UserView
from services.container import Services
from services.core.models import (
    Download,
    DownloadStatus,
    ExpectedPass,
    SatellitePass,
    Station,
    StationFile,
    User,
)
from services.core.settings import Settings
from services.stations.views import StationView
from tests.support.application import services_of
from tests.support.ftp_files import put
from tests.support.ftp_servers import aioftp_server
from tests.support.messages import message_containing, seen
from tests.support.passes import station_with_files
from tests.support.people import person
from tests.support.stations import add_station
from tests.support.telegram_fake import BotMessage, FakeTelegram

ADMIN = 900001  # in ADMIN_IDS of the test settings
WEATHER = Path(__file__).resolve().parents[1] / "data" / "tle" / "weather.txt"
# A NOAA-20 pass: VIIRS, ATMS and CrIS granules from 10:42 to 10:55 UTC, orbit 58000.
PASS_START = datetime(2026, 12, 1, 10, 42, tzinfo=UTC)
JPSS_FILES = {
    "SVM01_j01_d20261201_t1042000_e1048300_b58000_c20261201110000123456_cspp_dev.h5": 3000,
    "GMTCO_j01_d20261201_t1048300_e1055000_b58000_c20261201110000123456_cspp_dev.h5": 2000,
    "SATMS_j01_d20261201_t1042000_e1055000_b58000_c20261201110000123456_cspp_dev.h5": 1500,
    "SCRIS_j01_d20261201_t1042000_e1055000_b58000_c20261201110000123456_cspp_dev.h5": 1024,
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """A pass completes at the first poll that finds all its files stable; orbital elements
    from the test file."""
    return settings.model_copy(update={"pass_quiet": 0.0, "tle_file": WEATHER})


@pytest.fixture
def app(application: Application) -> Application:
    application.scheduler.pause()
    return application


def no_traceback(telegram: FakeTelegram) -> bool:
    """Nothing the bot sent (messages, edits, button answers) shows a failure's insides."""
    sent = json.dumps([params for _, params in telegram.calls], ensure_ascii=False)
    return "Traceback" not in sent and "Something went wrong" not in sent


async def grouped_pass(
    services: Services,
    station_id: int,
    platform: str,
    start: datetime,
    *,
    orbit: int,
    instruments: tuple[str, ...] = ("AVHRR",),
    size: int = 1000,
) -> int:
    """Station files of one pass (as a poll records what their names say), grouped and
    completed as after a poll: the pass is announced to whoever wants it. Returns its id."""
    now = datetime.now(UTC)
    for number, instrument in enumerate(instruments):
        name = f"{platform}_{instrument}_{start:%Y%m%d_%H%M}_{orbit}.dat"
        await StationFile.create(
            station_id=station_id,
            remote_path=f"/{name}",
            path=name,
            size=size,
            modified_at=now,
            first_seen_at=now,
            last_seen_at=now,
            stable=True,
            available_at=now,
            platform=platform,
            instrument=instrument,
            level="L1B",
            start_at=start + timedelta(minutes=number),
            end_at=start + timedelta(minutes=number + 10),
            orbit=orbit,
        )
    await services.passes.group(station_id, now)
    await services.passes.complete_quiet(await Station.get(id=station_id), now)
    row = await SatellitePass.get(station_id=station_id, platform=platform, orbit=orbit)
    return int(row.id)


async def station_without_server(
    services: Services, admin: UserView, name: str, **fields: object
) -> StationView:
    """A station nobody polls in the test (its passes come from `grouped_pass`)."""
    values: dict[str, object] = {"name": name, "host": "127.0.0.1", "port": 1, "tls": "none"}
    values.update(fields)
    return await services.stations.create(admin, values)


async def all_downloads_finished(user_id: int, count: int) -> None:
    for _ in range(300):
        statuses = [
            str(s) for s in await Download.filter(user_id=user_id).values_list("status", flat=True)
        ]
        if len(statuses) == count and all(s == DownloadStatus.COMPLETED for s in statuses):
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"downloads not finished: {statuses}")


# ---- the announcement, Files and Download pass -------------------------------------------------


async def test_a_polled_pass_is_announced_in_each_language_and_zone_then_downloaded_whole(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    alice_view, alice = await person(services, telegram, 7301, "Alice")
    boris_view, boris = await person(services, telegram, 7302, "Boris", language="ru")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)

    await telegram.send_text(boris, "/timezone Europe/Moscow")
    assert "Europe/Moscow" in (await telegram.expect_message(boris.id)).text

    async with aioftp_server(ftp_root) as server:
        station = await add_station(services, admin, server, name="Kosmos <1>")
        await services.stations.follow(alice_view, [station.id])
        await services.stations.follow(boris_view, [station.id])
        for name, size in JPSS_FILES.items():
            put(ftp_root, name, b"x" * size)
        assert (await services.stations.poll(station.id)).files_seen == 4  # not stable yet
        assert await SatellitePass.filter(station_id=station.id).count() == 1
        await services.stations.poll(station.id)  # stable: the pass is complete

        note = await telegram.expect_message(alice.id)
        assert seen(note.text) == (
            "🛰 NOAA-20 · 10:42–10:55 UTC · orbit 58000 · ATMS, CrIS, VIIRS · 4 files, 7.3 KiB\n"
            "Station: Kosmos <1>"
        )
        assert "Kosmos &lt;1&gt;" in note.text  # escaped
        russian = await telegram.expect_message(boris.id)
        assert seen(russian.text) == (
            "🛰 NOAA-20 · 13:42–13:55 MSK · виток 58000 · ATMS, CrIS, VIIRS · 4 файла, 7.3 KiB\n"
            "Станция: Kosmos <1>"
        )
        assert [b["text"] for b in russian.buttons] == ["⬇ Скачать пролёт", "📄 Файлы"]

        await telegram.press(alice, note, "Files")
        files = await telegram.expect_message(alice.id)  # a message of its own
        for name in JPSS_FILES:
            assert name in files.text
        assert "ATMS · SDR" in files.text and "VIIRS · GEO" in files.text
        assert "2.9 KiB" in files.text  # SVM01's 3000 bytes
        assert "You have not downloaded files of this pass yet." in files.text
        assert note.edits == 0  # the announcement stays

        query = await telegram.press(alice, files, "Download pass")
        answer = await telegram.expect_callback_answer(query)
        assert answer["text"] == "Started 4 downloads: follow them in /downloads."
        rows = await Download.filter(user_id=alice_view.id).values_list("station_file_id", "size")
        assert len(rows) == 4 and len({file_id for file_id, _ in rows}) == 4
        assert sorted(size for _, size in rows) == sorted(JPSS_FILES.values())
        await telegram.wait_until(lambda: "Your downloads: 4 of 4 files" in files.text)

        await all_downloads_finished(alice_view.id, 4)
        for _ in range(4):
            await message_containing(telegram, alice.id, "Downloaded")
        query = await telegram.press(alice, note, "Download pass")
        answer = await telegram.expect_callback_answer(query)
        assert answer["text"] == "Every file of this pass is in /downloads already."
        await telegram.press(alice, files, "Refresh")
        await telegram.wait_until(lambda: "4 done" in files.text)

        # Russian, from the announcement: the count in Russian words.
        query = await telegram.press(boris, russian, "Скачать пролёт")
        answer = await telegram.expect_callback_answer(query)
        assert answer["text"] == "Начаты 4 загрузки: следите за ними в /downloads."
        await all_downloads_finished(boris_view.id, 4)
    assert no_traceback(telegram)


async def test_download_pass_says_plainly_when_files_do_not_fit_the_quota(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    carol_view, carol = await person(services, telegram, 7303, "Carol")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    await User.filter(id=carol_view.id).update(storage_quota=3000)
    # The pass asks for its files in time order: the two large ones first (they do not fit),
    # then two that do.
    sizes = dict(zip(JPSS_FILES, (1000, 1000, 5000, 5000), strict=True))
    async with aioftp_server(ftp_root) as server:
        station = await add_station(services, admin, server, name="Alpha")
        await services.stations.follow(carol_view, [station.id])
        for name, size in sizes.items():
            put(ftp_root, name, b"x" * size)
        await services.stations.poll(station.id)
        await services.stations.poll(station.id)
        note = await telegram.expect_message(carol.id)
        query = await telegram.press(carol, note, "Download pass")
        answer = await telegram.expect_callback_answer(query)
        started = await Download.filter(user_id=carol_view.id).count()
        assert 0 < started < 4
        refused = 4 - started
        assert answer["text"].startswith(f"Started {started} download")
        assert (
            f"{refused} file" in answer["text"]
            and "did not fit your storage quota" in (answer["text"])
        )
        assert answer.get("show_alert") in (True, "true")
        await all_downloads_finished(carol_view.id, started)
    assert no_traceback(telegram)


# ---- /passes -------------------------------------------------------------------------------------


async def test_passes_lists_the_latest_passes_with_pages_and_files(
    app: Application, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    services = services_of(app)
    dana_view, dana = await person(services, telegram, 7304, "Dana")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)

    await telegram.send_text(dana, "/passes")
    assert "No passes over your stations yet" in (await telegram.expect_message(dana.id)).text

    station = await station_without_server(services, admin, "Beta")
    other = await station_without_server(services, admin, "Gamma")  # not followed
    await services.stations.follow(dana_view, [station.id])
    first = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    for number in range(9):
        await grouped_pass(
            services,
            station.id,
            "Metop-C",
            first + timedelta(hours=2 * number),
            orbit=31000 + number,
        )
        await message_containing(telegram, dana.id, "Metop-C")  # its announcement
    await grouped_pass(services, other.id, "NOAA-19", first, orbit=80000)

    await telegram.send_text(dana, "/passes")
    listing = await telegram.expect_message(dana.id)
    assert "Passes over your stations: 9 (page 1 of 2)" in listing.text
    text = seen(listing.text)
    assert "1. Metop-C · 2026-12-01 16:00–16:10 UTC · orbit 31008 · AVHRR · 1 file, 1000 B" in text
    assert "NOAA-19" not in text and "Gamma" not in text  # a station Dana does not follow
    await telegram.press(dana, listing, "▶")
    await telegram.wait_until(lambda: "page 2 of 2" in listing.text)
    assert "9. Metop-C · 2026-12-01 00:00–00:10 UTC · orbit 31000" in seen(listing.text)

    await telegram.press(dana, listing, "📄 9")
    await telegram.wait_until(lambda: "Metop-C_AVHRR_20261201_0000_31000.dat" in listing.text)
    assert "AVHRR · L1B" in listing.text
    await telegram.press(dana, listing, "All passes")
    await telegram.wait_until(lambda: "page 2 of 2" in listing.text)

    # Someone else's pass, asked for by a stale or forged button: plain words.
    foreign = await SatellitePass.get(station_id=other.id)
    forged = PassCallback(action=PassAction.FILES, pass_id=foreign.id).pack()
    stale = BotMessage(
        dana.id,
        listing.message_id,
        {
            **listing.raw,
            "reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": forged}]]},
        },
    )
    query = await telegram.press(dana, stale, "x")
    answer = await telegram.expect_callback_answer(query)
    assert answer["text"] == "There is no such pass on the stations you follow."
    # Numbers no database takes: no match, answered like any stale button, nothing logged.
    for huge in ("ps:l:0:" + "9" * 30 + ":0", "ps:f:" + "9" * 40 + ":1:0"):
        raw = {"inline_keyboard": [[{"text": "y", "callback_data": huge}]]}
        forged_message = BotMessage(
            dana.id, listing.message_id, {**listing.raw, "reply_markup": raw}
        )
        caplog.clear()
        query = await telegram.press(dana, forged_message, "y")
        await telegram.expect_callback_answer(query)
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert no_traceback(telegram)


# ---- /next ---------------------------------------------------------------------------------------


async def test_next_shows_predicted_passes_or_says_why_there_are_none(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    erik_view, erik = await person(services, telegram, 7305, "Erik")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)

    await telegram.send_text(erik, "/next")
    assert "You follow no stations yet" in (await telegram.expect_message(erik.id)).text

    located = await station_without_server(
        services,
        admin,
        "Moscow",
        latitude=55.75,
        longitude=37.62,
        altitude=150.0,
        min_elevation=10.0,
        platforms=["NOAA-20"],
    )
    nowhere = await station_without_server(services, admin, "Nowhere")
    await services.stations.follow(erik_view, [located.id, nowhere.id])

    await telegram.send_text(erik, "/next")
    text = seen((await telegram.expect_message(erik.id)).text)
    moscow, elsewhere = text.split("📡 Moscow")[1].split("📡 Nowhere")
    passes = [line for line in moscow.splitlines() if line.startswith("NOAA-20 · ")]
    assert passes, text
    assert passes[0].endswith("°") and " UTC · " in passes[0]
    assert "Received 0 of 0 predicted passes in the last day." in moscow
    assert "No location is set for this station" in elsewhere

    # In Russian and in the person's zone.
    await telegram.send_text(erik, "/timezone Asia/Novosibirsk")
    await telegram.expect_message(erik.id)
    await User.filter(id=erik_view.id).update(language="ru")
    await telegram.send_text(erik, "/next")
    text = seen((await telegram.expect_message(erik.id)).text)
    assert " UTC+07 · " in text
    assert "Для этой станции не задано местоположение" in text
    assert "За последние сутки принято 0 из 0 предсказанных пролётов." in text
    assert no_traceback(telegram)


async def test_an_admin_hears_of_a_predicted_pass_that_brought_nothing(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    admin, root = await person(services, telegram, ADMIN, "Root", admin=True)
    station = await station_without_server(services, admin, "Polar <2>")
    rise = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=2)
    await ExpectedPass.create(
        station_id=station.id,
        platform="Metop-C",
        rise_at=rise,
        culmination_at=rise + timedelta(minutes=7),
        set_at=rise + timedelta(minutes=15),
        max_elevation=40.0,
    )
    # Not judged before the station was polled after the wait: its files are unknown.
    assert await services.passes.check_missed(datetime.now(UTC)) == 0
    await Station.filter(id=station.id).update(last_success_at=datetime.now(UTC))
    assert await services.passes.check_missed(datetime.now(UTC)) == 1
    notice = await message_containing(telegram, root.id, "Metop-C")
    end = rise + timedelta(minutes=15)
    assert seen(notice.text) == (
        f"⚠️ Metop-C pass {rise:%H:%M}–{end:%H:%M} UTC expected over Polar <2>, nothing arrived."
    )


# ---- /announce -----------------------------------------------------------------------------------


async def test_announce_choices_decide_which_passes_are_announced(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    fay_view, fay = await person(services, telegram, 7306, "Fay")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    station = await station_without_server(services, admin, "Delta")
    await services.stations.follow(fay_view, [station.id])
    day = datetime(2026, 12, 2, tzinfo=UTC)
    await grouped_pass(
        services, station.id, "NOAA-20", day, orbit=58100, instruments=("VIIRS", "ATMS")
    )
    await grouped_pass(services, station.id, "Metop-C", day + timedelta(hours=1), orbit=31100)
    for _ in range(2):
        await telegram.expect_message(fay.id)  # nothing chosen: every pass is announced

    await telegram.send_text(fay, "/announce")
    choice = await telegram.expect_message(fay.id)  # one station: its choices at once
    assert "Announced now: every satellite; any instrument." in choice.text
    labels = [b["text"] for b in choice.buttons]
    assert {"▫️ NOAA-20", "▫️ Metop-C", "▫️ VIIRS", "▫️ ATMS", "▫️ AVHRR"} <= set(labels)
    query = await telegram.press(fay, choice, "NOAA-20")
    assert (await telegram.expect_callback_answer(query))["text"] == "Saved."
    await telegram.wait_until(lambda: "✅ NOAA-20" in [b["text"] for b in choice.buttons])
    assert "Announced now: NOAA-20; any instrument." in choice.text
    assert await services.passes.announcements(fay_view, station.id) == (["NOAA-20"], [])

    # A Metop-C pass is not announced any more; a NOAA-20 pass is.
    await grouped_pass(services, station.id, "Metop-C", day + timedelta(hours=3), orbit=31101)
    await grouped_pass(services, station.id, "NOAA-20", day + timedelta(hours=4), orbit=58101)
    note = await telegram.expect_message(fay.id)
    assert "NOAA-20" in note.text and "58101" in note.text
    await asyncio.sleep(0.3)
    assert telegram.unread(fay.id) == []
    assert not any("31101" in m.text for m in telegram.sent_to(fay.id))

    await telegram.press(fay, choice, "Announce every pass")
    await telegram.wait_until(lambda: "every satellite" in choice.text)
    assert await services.passes.announcements(fay_view, station.id) == ([], [])
    await grouped_pass(services, station.id, "Metop-C", day + timedelta(hours=5), orbit=31102)
    assert "31102" in (await telegram.expect_message(fay.id)).text

    # Several stations: first a station, then its choices, with a way back.
    other = await station_without_server(services, admin, "Epsilon")
    await services.stations.follow(fay_view, [station.id, other.id])
    await telegram.send_text(fay, "/announce")
    picker = await telegram.expect_message(fay.id)
    assert "Choose a station" in picker.text
    await telegram.press(fay, picker, "Epsilon")
    await telegram.wait_until(lambda: "nothing to choose" in picker.text)
    await telegram.press(fay, picker, "Stations")
    await telegram.wait_until(lambda: "Choose a station" in picker.text)
    assert no_traceback(telegram)


# ---- /timezone -----------------------------------------------------------------------------------


async def test_timezone_shows_sets_and_refuses_in_plain_words(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    gleb_view, gleb = await person(services, telegram, 7307, "Gleb")
    await telegram.send_text(gleb, "/timezone")
    shown = await telegram.expect_message(gleb.id)
    assert "Your time zone: <b>UTC</b>" in shown.text
    assert "<code>/timezone Europe/Moscow</code>" in shown.text

    await telegram.send_text(gleb, "/timezone Mars/Olympus_Mons")
    assert (await telegram.expect_message(gleb.id)).text == (
        "Unknown time zone: give a name like Europe/Moscow or UTC."
    )
    await telegram.send_text(gleb, "/timezone ../../etc/passwd")
    assert "Unknown time zone" in (await telegram.expect_message(gleb.id)).text
    assert (await services.users.get(gleb_view.id)).time_zone == "UTC"

    await telegram.send_text(gleb, "/timezone Europe/Berlin")
    assert (
        "Times are shown in <b>Europe/Berlin</b> now"
        in (await telegram.expect_message(gleb.id)).text
    )
    assert (await services.users.get(gleb_view.id)).time_zone == "Europe/Berlin"

    await User.filter(id=gleb_view.id).update(language="ru")
    await telegram.send_text(gleb, "/timezone Nowhere")
    assert (await telegram.expect_message(gleb.id)).text == (
        "Неизвестный часовой пояс: укажите название вроде Europe/Moscow или UTC."
    )
    assert no_traceback(telegram)


# ---- /pattern ------------------------------------------------------------------------------------

METEOR_NAMES = [
    "m23_20261201_104200_31234_MSUMR.dat",
    "m23_20261201_104500_31234_MTVZA.dat",
    "readme.txt",
]


async def test_the_pattern_wizard_tries_saves_and_deletes_a_stations_pattern(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    hana_view, hana = await person(services, telegram, 7308, "Hana")
    admin, root = await person(services, telegram, ADMIN, "Root", admin=True)
    station = await station_without_server(services, admin, "Meteor <3>")
    await services.stations.follow(hana_view, [station.id])
    now = datetime.now(UTC)
    for number, name in enumerate(METEOR_NAMES):
        moment = now - timedelta(minutes=10 - number)
        await StationFile.create(
            station_id=station.id,
            remote_path=f"/{name}",
            path=name,
            size=500,
            modified_at=moment,
            first_seen_at=moment,
            last_seen_at=moment,
            stable=True,
            available_at=moment,
            announced=True,
        )

    # Not for everyone.
    await telegram.send_text(hana, "/pattern")
    assert "did not understand" in (await telegram.expect_message(hana.id)).text

    await telegram.send_text(root, "/pattern")
    wizard = await telegram.expect_message(root.id)
    assert "Choose a station" in wizard.text
    await telegram.press(root, wizard, "Meteor <3>")
    await telegram.wait_until(lambda: "No patterns of its own" in wizard.text)
    assert "Meteor &lt;3&gt;" in wizard.text and "Send a new pattern" in wizard.text

    await telegram.send_text(root, "nonsense")
    problem = await telegram.expect_message(root.id)
    assert problem.text.startswith("This file name pattern cannot be used.")
    assert "start time" in problem.text  # why, so it can be fixed

    await telegram.send_text(
        root,
        "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}_{instrument}.dat\n"
        "m23 = Meteor-M2 3\nlevel = L1",
    )
    trial = await telegram.expect_message(root.id)
    text = seen(trial.text)
    assert "What the pattern reads from the newest names of Meteor <3>" in text
    assert "✅ m23_20261201_104200_31234_MSUMR.dat" in text
    assert "→ Meteor-M2 3 · MSUMR · L1 · 2026-12-01 10:42 UTC · orbit 31234" in text
    assert "❌ readme.txt — does not match" in text
    assert "It matches 2 of 3 names." in text
    assert await services.passes.patterns(station.id) == []  # nothing saved yet

    await telegram.press(root, trial, "Save")
    await telegram.wait_until(lambda: "Saved." in trial.text)
    patterns = await services.passes.patterns(station.id)
    assert [p["format"] for p in patterns] == [
        "{platform}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}_{instrument}.dat"
    ]
    assert patterns[0]["platforms"] == {"m23": "Meteor-M2 3"}
    read = await StationFile.get(station_id=station.id, path=METEOR_NAMES[0])
    assert (read.platform, read.instrument, read.orbit) == ("Meteor-M2 3", "MSUMR", 31234)
    assert await SatellitePass.filter(station_id=station.id, platform="Meteor-M2 3").count() == 1
    await telegram.send_text(root, "more text")  # the wizard is over
    assert "did not understand" in (await telegram.expect_message(root.id)).text

    # /cancel leaves the wizard.
    await telegram.send_text(root, "/pattern")
    wizard = await telegram.expect_message(root.id)
    await telegram.press(root, wizard, "Meteor <3>")
    await telegram.wait_until(lambda: "Its own patterns" in wizard.text)
    assert "m23 = Meteor-M2 3" in seen(wizard.text)
    await telegram.send_text(root, "/cancel")
    assert (await telegram.expect_message(root.id)).text == "Cancelled."

    # Deleting it.
    await telegram.send_text(root, "/pattern")
    wizard = await telegram.expect_message(root.id)
    await telegram.press(root, wizard, "Meteor <3>")
    await telegram.wait_until(lambda: "Its own patterns" in wizard.text)
    query = await telegram.press(root, wizard, "🗑 1")
    assert (await telegram.expect_callback_answer(query))["text"] == "Done."
    await telegram.wait_until(lambda: "No patterns of its own" in wizard.text)
    assert await services.passes.patterns(station.id) == []
    read = await StationFile.get(station_id=station.id, path=METEOR_NAMES[0])
    assert read.platform is None  # read again without it

    # A second trial replaces the first; Cancel drops it.
    await telegram.send_text(root, "{platform}_{start_time:%Y%m%d_%H%M%S}_{rest}.dat")
    first_trial = await telegram.expect_message(root.id)
    assert "It matches 2 of 3 names." in first_trial.text
    await telegram.press(root, first_trial, "Cancel")
    await telegram.wait_until(lambda: first_trial.text == "Cancelled.")
    assert await services.passes.patterns(station.id) == []
    assert no_traceback(telegram)


async def test_an_admin_sets_a_stations_location_and_satellites_in_the_bot(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    admin, root = await person(services, telegram, ADMIN, "Root", admin=True)
    station = await station_without_server(services, admin, "Moscow")
    await telegram.send_text(root, "/stations_admin")
    card = await telegram.expect_message(root.id)
    await telegram.press(root, card, "Moscow")
    await telegram.wait_until(lambda: "Location: none" in card.text)
    assert "Passes in the last day" not in card.text  # nothing is predicted without a location

    await telegram.press(root, card, "Edit")
    await telegram.wait_until(lambda: "choose what to change" in card.text)
    await telegram.press(root, card, "Location")
    assert "latitude and longitude" in (await telegram.expect_message(root.id)).text
    await telegram.send_text(root, "somewhere north")
    assert "Send latitude and longitude" in (await telegram.expect_message(root.id)).text
    await telegram.send_text(root, "95 37.62")
    assert "Latitude must be from -90 to 90" in (await telegram.expect_message(root.id)).text
    await telegram.send_text(root, "55,75 37,62 150 15")
    card = await telegram.expect_message(root.id)
    assert "Location: 55.75° 37.62°, 150 m, passes above 15°" in card.text
    assert "Passes in the last day: 0 received of 0 predicted" in card.text

    await telegram.press(root, card, "Edit")
    await telegram.wait_until(lambda: "choose what to change" in card.text)
    await telegram.press(root, card, "Satellites")
    await telegram.expect_message(root.id)
    await telegram.send_text(root, "NOAA-20, Metop-B")
    card = await telegram.expect_message(root.id)
    assert "Satellites: Metop-B, NOAA-20" in card.text
    stored = await Station.get(id=station.id)
    assert (stored.latitude, stored.longitude, stored.altitude, stored.min_elevation) == (
        55.75,
        37.62,
        150,
        15,
    )
    assert stored.platforms == ["Metop-B", "NOAA-20"]
    assert no_traceback(telegram)


async def test_station_files_filter_by_what_the_names_say(
    app: Application, telegram: FakeTelegram
) -> None:
    services = services_of(app)
    fiona_view, fiona = await person(services, telegram, 7307, "Fiona")
    admin, _ = await person(services, telegram, ADMIN, "Root", admin=True)
    station_id = await station_with_files(
        services,
        admin,
        {
            "SVM01_j01_d20230101_t1200000_e1201250_b58000_c20230101121500123456_cspp_dev.h5": 10,
            "SATMS_j01_d20230101_t1200000_e1208000_b58000_c20230101121500123456_cspp_dev.h5": 20,
            "AVHR_HRP_00_M01_20230101120000Z_20230101121500Z_N_O_20230101121600Z": 30,
            "operator notes.txt": 40,
        },
    )
    await services.stations.follow(fiona_view, [station_id])

    await telegram.send_text(fiona, "/station_files noaa-20 viirs")
    listed = seen((await telegram.expect_message(fiona.id)).text)
    assert "Station files: 1 " in listed and "NOAA-20 VIIRS SDR" in listed
    assert "SATMS" not in listed and "AVHR" not in listed

    await telegram.send_text(fiona, "/station_files Meteor-M")
    refused = seen((await telegram.expect_message(fiona.id)).text)
    assert "No file on your stations is of Meteor-M" in refused
    assert "Metop-B" in refused and "NOAA-20" in refused and "ATMS" in refused

    await telegram.send_text(fiona, "/station_files")
    everything = seen((await telegram.expect_message(fiona.id)).text)
    assert "Station files: 4 " in everything and "operator notes.txt" in everything
    assert no_traceback(telegram)
