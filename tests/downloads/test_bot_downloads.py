"""Downloads in the bot, driven as users through the fake Telegram server, against real FTP
servers on 127.0.0.1 and the application's own download worker and live-message loop.

⬇ in /station_files, the /downloads list with its buttons, the one live message per chat (edited
while a download moves, at most every `Timing.live_edit`, patient with Telegram's flood answers),
Russian texts, and a refusal for lack of space. The application's scheduler is paused: every
poll is the test's.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ftpgram.app import Application
from services.accounts.users import UserView
from services.container import Services
from services.core.models import DownloadBoard, StationFile
from services.downloads.views import DownloadView
from tests.support.application import services_of
from tests.support.data import MIB, blob
from tests.support.downloads import part_of, stored
from tests.support.ftp_servers import Certificates, FtpEndpoint, aioftp_server, vsftpd_server
from tests.support.messages import message_containing
from tests.support.people import make_user, person
from tests.support.stations import station_files
from tests.support.telegram_fake import BotMessage, FakeTelegram, TgUser
from tests.support.timing import FAST

ADMIN = 900001  # in ADMIN_IDS of the test settings
INTERVAL = FAST.live_edit  # the least time between two edits of a chat's live message
SLACK = 0.5  # scheduling jitter allowed when timing edits


@pytest.fixture
def app(application: Application) -> Application:
    application.scheduler.pause()
    return application


async def following(
    services: Services, user: UserView, endpoint: FtpEndpoint, files: dict[str, bytes]
) -> dict[str, int]:
    """`files` on a station (added by the administrator) that `user` follows; their ids."""
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    ids = await station_files(services, admin, endpoint, files)
    station_id = (await StationFile.get(id=next(iter(ids.values())))).station_id
    await services.stations.follow(user, [station_id])
    return ids


async def press_and_read(
    telegram: FakeTelegram, user: TgUser, message: BotMessage, button: str
) -> str:
    """Press a button; the text of the bot's answer to the press."""
    query = await telegram.press(user, message, button)
    return str((await telegram.expect_callback_answer(query)).get("text") or "")


async def download_from_files(telegram: FakeTelegram, user: TgUser, name: str) -> str:
    """/station_files, then ⬇ beside `name`; the answer to the press."""
    await telegram.send_text(user, "/station_files")
    listing = await telegram.expect_message(user.id)
    return await press_and_read(telegram, user, listing, name)


async def open_downloads(telegram: FakeTelegram, user: TgUser) -> BotMessage:
    await telegram.send_text(user, "/downloads")
    return await telegram.expect_message(user.id)


async def only_download(services: Services, user: UserView) -> DownloadView:
    (download,) = await services.downloads.snapshot(user.id)
    return download


async def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait until `condition()` holds, looking every 10 ms (for state outside the fake server)."""
    async with asyncio.timeout(timeout):
        while True:
            if condition():
                return
            await asyncio.sleep(0.01)


def percents(text: str) -> list[float]:
    return [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)%", text)]


@dataclass
class EditLog:
    """The bot's editMessageText calls for one message as they reach the fake server: when, and
    the text asked for (failed calls included)."""

    times: list[float] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


@asynccontextmanager
async def edits_of(telegram: FakeTelegram, message: BotMessage) -> AsyncIterator[EditLog]:
    log = EditLog()
    seen = len(telegram.calls)

    async def watch() -> None:
        nonlocal seen
        while True:
            while seen < len(telegram.calls):
                name, params = telegram.calls[seen]
                seen += 1
                if (
                    name == "editMessageText"
                    and params.get("chat_id") == message.chat_id
                    and params.get("message_id") == message.message_id
                ):
                    log.times.append(time.monotonic())
                    log.texts.append(str(params.get("text")))
            await asyncio.sleep(0.01)

    task = asyncio.create_task(watch())
    try:
        yield log
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in itertools.pairwise(times)]


# ---- ⬇ and the list ----------------------------------------------------------------------------


async def test_the_download_button_in_files_brings_the_file_and_says_so_once(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    alice_view, alice = await person(services, telegram, 7301, "Alice")
    data = blob(300_000, seed=3)
    async with aioftp_server(ftp_root) as endpoint:
        await following(
            services, alice_view, endpoint, {"scenes/pass 1.bin": data, "other.bin": b"o" * 10}
        )
        await telegram.send_text(alice, "/files")  # its first name still answers
        listing = await telegram.expect_message(alice.id)
        assert listing.button("⬇").get("callback_data")
        assert {"other.bin", "pass 1.bin"} <= {
            b["text"].split(". ", 1)[-1] for b in listing.buttons
        }
        answer = await press_and_read(telegram, alice, listing, "pass 1.bin")
        assert answer == "Queued: pass 1.bin. Follow it in /downloads."
        finished = await message_containing(telegram, alice.id, "Downloaded", timeout=30)
        assert "<b>pass 1.bin</b> (293.0 KiB)" in finished.text and "/myfiles" in finished.text

        # Pressed again: nothing is fetched twice, nothing is said twice.
        answer = await press_and_read(telegram, alice, listing, "pass 1.bin")
        assert answer == "Already downloaded: pass 1.bin. It is in /myfiles."
    download = await only_download(services, alice_view)
    assert await stored(services, download) == data
    await services.delivery.wait_idle()
    said = [m.text for m in telegram.sent_to(alice.id) if "Downloaded" in m.text]
    assert said == [finished.text]

    board = await open_downloads(telegram, alice)
    assert "Your downloads: 1 (page 1 of 1)" in board.text
    assert "1. <b>pass 1.bin</b> — aioftp" in board.text
    assert "✅ downloaded · 100% · 293.0 KiB / 293.0 KiB" in board.text
    assert [b["text"] for b in board.buttons] == ["🗑 1", "🔄 Refresh"]

    await telegram.send_text(alice, "/myfiles")
    assert "pass 1.bin" in (await telegram.expect_message(alice.id)).text
    answer = await press_and_read(telegram, alice, board, "🗑 1")
    assert answer == "Removed from the list, with its file: pass 1.bin"
    await telegram.wait_until(lambda: "You have no downloads" in board.text)
    await telegram.send_text(alice, "/myfiles")
    assert "You have no files yet" in (await telegram.expect_message(alice.id)).text


async def test_downloads_are_listed_newest_first_five_a_page(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    bob_view, bob = await person(services, telegram, 7302, "Bob")
    names = [f"file-{number}.dat" for number in range(1, 7)]
    async with aioftp_server(ftp_root) as endpoint:
        await following(
            services, bob_view, endpoint, {name: blob(1000, n) for n, name in enumerate(names)}
        )
        await telegram.send_text(bob, "/station_files")
        listing = await telegram.expect_message(bob.id)
        for name in names:
            assert (await press_and_read(telegram, bob, listing, name)).startswith("Queued:")
        for _ in names:
            await message_containing(telegram, bob.id, "Downloaded", timeout=30)

    board = await open_downloads(telegram, bob)
    assert "Your downloads: 6 (page 1 of 2)" in board.text
    shown = re.findall(r"<b>(file-\d\.dat)</b>", board.text)
    assert shown == list(reversed(names))[:5]  # the last asked for first
    assert "◀" not in [b["text"] for b in board.buttons]
    await press_and_read(telegram, bob, board, "▶")
    await telegram.wait_until(lambda: "page 2 of 2" in board.text)
    assert re.findall(r"<b>(file-\d\.dat)</b>", board.text) == [names[0]]
    assert "6. <b>file-1.dat</b>" in board.text and "🗑 6" in str(board.buttons)
    assert "▶" not in [b["text"] for b in board.buttons]

    # The only one on page 2 removed: the list shows the last page there is.
    await press_and_read(telegram, bob, board, "🗑 6")
    await telegram.wait_until(lambda: "Your downloads: 5 (page 1 of 1)" in board.text)


# ---- pause, start, stop, and the live message ---------------------------------------------------


async def test_the_live_message_follows_a_download_paused_and_started_again(
    app: Application, telegram: FakeTelegram, ftp_root: Path, certs: Certificates
) -> None:
    services = services_of(app)
    carol_view, carol = await person(services, telegram, 7303, "Carol")
    data = blob(40 * MIB, seed=5)
    with vsftpd_server(ftp_root, tls="explicit", certs=certs, rate=2 * MIB) as endpoint:
        await following(services, carol_view, endpoint, {"big.bin": data})
        assert (await download_from_files(telegram, carol, "big.bin")).startswith("Queued: big.bin")
        board = await open_downloads(telegram, carol)
        assert "1. <b>big.bin</b>" in board.text
        async with edits_of(telegram, board) as edits:
            # Moving: edited, with what changed, but not more often than every 5 seconds.
            await eventually(lambda: len(edits.times) >= 2, timeout=4 * INTERVAL)
        assert min(gaps(edits.times)) >= INTERVAL - SLACK, gaps(edits.times)
        assert "⬇️ downloading" in board.text and "MiB/s" in board.text and "left" in board.text
        assert [b["text"] for b in board.buttons] == ["⏸ 1", "⏹ 1", "🔄 Refresh"]
        moving = [percents(text)[0] for text in edits.texts]
        assert moving == sorted(moving) and moving[0] < moving[-1] < 100

        answer = await press_and_read(telegram, carol, board, "⏸ 1")
        assert answer == "Paused: big.bin"
        await telegram.wait_until(lambda: "⏸ paused" in board.text)
        assert [b["text"] for b in board.buttons] == ["▶ 1", "⏹ 1", "🔄 Refresh"]
        await asyncio.sleep(5 * FAST.worker_tick)  # the worker lets go; the part fetched stays
        await press_and_read(telegram, carol, board, "Refresh")
        paused_text = board.text
        kept = percents(paused_text)[0]
        assert "⏸ paused" in paused_text and 0 < kept < 100
        async with edits_of(telegram, board) as edits:
            await asyncio.sleep(INTERVAL + 0.5)
        assert edits.times == [] and board.text == paused_text  # nothing moves, nothing edited

        answer = await press_and_read(telegram, carol, board, "▶ 1")
        assert answer == "Started: big.bin"
        async with edits_of(telegram, board) as edits:
            finished = await message_containing(telegram, carol.id, "Downloaded", timeout=60)
            await telegram.wait_until(lambda: "✅ downloaded" in board.text, timeout=2 * INTERVAL)
        assert "<b>big.bin</b> (40.0 MiB)" in finished.text
    # It went on from what it had: the live message never showed less than at the pause.
    after = [percents(text)[0] for text in edits.texts]
    assert after == sorted(after) and after[0] >= kept
    assert "100% · 40.0 MiB / 40.0 MiB" in board.text
    assert [b["text"] for b in board.buttons] == ["🗑 1", "🔄 Refresh"]
    download = await only_download(services, carol_view)
    assert await stored(services, download) == data and not download.restarted
    await services.delivery.wait_idle()
    assert sum("Downloaded" in m.text for m in telegram.sent_to(carol.id)) == 1


async def test_stop_deletes_what_was_fetched_and_remove_clears_the_list(
    app: Application, telegram: FakeTelegram, ftp_root: Path, certs: Certificates
) -> None:
    services = services_of(app)
    dave_view, dave = await person(services, telegram, 7304, "Dave")
    with vsftpd_server(ftp_root, tls="explicit", certs=certs, rate=2 * MIB) as endpoint:
        await following(services, dave_view, endpoint, {"big.bin": blob(16 * MIB, seed=6)})
        await download_from_files(telegram, dave, "big.bin")
        board = await open_downloads(telegram, dave)
        await telegram.wait_until(lambda: "⬇️ downloading" in board.text, timeout=2 * INTERVAL)
        download = await only_download(services, dave_view)
        part = await part_of(services, download.id)
        await eventually(lambda: part.exists() and part.stat().st_size > 0)  # fetching

        answer = await press_and_read(telegram, dave, board, "⏹ 1")
        assert answer == "Stopped, and what it fetched is deleted: big.bin"
        await telegram.wait_until(lambda: "⏹ stopped" in board.text)
        assert "0% · 0 B / 16.0 MiB" in board.text
        assert [b["text"] for b in board.buttons] == ["▶ 1", "🗑 1", "🔄 Refresh"]
        await eventually(lambda: not part.exists(), timeout=3)
        assert (await services.users.usage(dave_view)).used == 0

        answer = await press_and_read(telegram, dave, board, "🗑 1")
        assert answer == "Removed from the list: big.bin"
        await telegram.wait_until(lambda: "You have no downloads" in board.text)
        assert [b["text"] for b in board.buttons] == ["🔄 Refresh"]
        assert await services.downloads.snapshot(dave_view.id) == []
    await services.delivery.wait_idle()
    assert not any("Downloaded" in m.text or "failed" in m.text for m in telegram.sent_to(dave.id))


async def test_the_live_message_waits_out_telegrams_retry_after_and_lets_go_of_a_deleted_one(
    app: Application, telegram: FakeTelegram, ftp_root: Path, certs: Certificates
) -> None:
    services = services_of(app)
    erin_view, erin = await person(services, telegram, 7305, "Erin")
    with vsftpd_server(ftp_root, tls="explicit", certs=certs, rate=MIB) as endpoint:
        await following(services, erin_view, endpoint, {"long.bin": blob(60 * MIB, seed=7)})
        await download_from_files(telegram, erin, "long.bin")
        board = await open_downloads(telegram, erin)
        async with edits_of(telegram, board) as edits:
            await telegram.wait_until(lambda: board.edits >= 1, timeout=2 * INTERVAL)
            await eventually(lambda: len(edits.times) == board.edits)
            telegram.fail_next("editMessageText", retry_after=8)
            flood_from = len(edits.times)
            await eventually(lambda: len(edits.times) >= flood_from + 2, timeout=20)
            await eventually(lambda: board.edits == len(edits.times) - 1)  # all but the refused
        refused, next_try = edits.times[flood_from : flood_from + 2]
        assert next_try - refused >= 8 - SLACK  # Telegram said 8 seconds: no edit before

        board.deleted = True  # Erin deletes the message
        async with edits_of(telegram, board) as edits:
            await asyncio.sleep(2 * INTERVAL + 0.5)
        assert len(edits.times) == 1  # tried once, found it gone, let it go
        assert await DownloadBoard.filter(message_id=board.message_id).count() == 0

        # A new /downloads is the live message now.
        fresh = await open_downloads(telegram, erin)
        await telegram.wait_until(lambda: fresh.edits >= 1, timeout=2 * INTERVAL)
        assert "⬇️ downloading" in fresh.text
        await press_and_read(telegram, erin, fresh, "⏹ 1")
        await telegram.wait_until(lambda: "⏹ stopped" in fresh.text)


# ---- language, and space --------------------------------------------------------------------


async def test_a_russian_speaker_downloads_in_russian(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    fedor_view, fedor = await person(services, telegram, 7306, "Фёдор", language="ru")
    async with aioftp_server(ftp_root) as endpoint:
        await following(services, fedor_view, endpoint, {"снимок.bin": blob(5000, seed=8)})
        answer = await download_from_files(telegram, fedor, "снимок.bin")
        assert answer == "В очереди: снимок.bin. Следите в /downloads."
        finished = await message_containing(telegram, fedor.id, "Скачан", timeout=30)
        assert "✅ Скачан <b>снимок.bin</b> (4.9 KiB)" in finished.text
    board = await open_downloads(telegram, fedor)
    assert "Ваши загрузки: 1 (страница 1 из 1)" in board.text
    assert "✅ скачано · 100% · 4.9 KiB / 4.9 KiB" in board.text
    assert [b["text"] for b in board.buttons] == ["🗑 1", "🔄 Обновить"]
    answer = await press_and_read(telegram, fedor, board, "🗑 1")
    assert answer == "Убрана из списка вместе с файлом: снимок.bin"
    await telegram.wait_until(lambda: "У вас нет загрузок" in board.text)


async def test_a_download_that_does_not_fit_is_refused_in_plain_words(
    app: Application, telegram: FakeTelegram, ftp_root: Path
) -> None:
    services = services_of(app)
    gina_view, gina = await person(services, telegram, 7307, "Gina")
    admin = await make_user(services, ADMIN, admin=True, name="Root")
    await services.users.set_quota(gina_view.id, 2048, actor=admin)
    async with aioftp_server(ftp_root) as endpoint:
        await following(services, gina_view, endpoint, {"wide.bin": blob(10 * 1024, seed=9)})
        await telegram.send_text(gina, "/station_files")
        listing = await telegram.expect_message(gina.id)
        query = await telegram.press(gina, listing, "wide.bin")
        answer = await telegram.expect_callback_answer(query)
    assert answer["text"] == "Not enough space: this needs 10.0 KiB, 2.0 KiB are free."
    assert str(answer.get("show_alert")).lower() == "true"  # a box to read, not a passing toast
    board = await open_downloads(telegram, gina)
    assert "You have no downloads" in board.text
