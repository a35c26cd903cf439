"""The messaging gateway end to end: tokens from the bot, messages over HTTP, delivery through
the fake Telegram server, with its limits and failures."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from ftpgram.app import Application
from services.container import Services
from services.core.models import Message, MessageOrigin, User
from services.core.settings import Settings
from services.messaging.service import RateLimit
from tests.support.application import services_of
from tests.support.people import make_user
from tests.support.telegram_fake import FakeTelegram, TgUser

pytestmark = pytest.mark.every_backend


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def person_with_token(
    application: Application, telegram: FakeTelegram, user_id: int = 6101
) -> tuple[TgUser, str]:
    """A person who creates a bot token in the bot, as a user would."""
    person = telegram.user(user_id, "Reader")
    await telegram.send_text(person, "/start")
    await telegram.expect_message(person.id)
    await User.filter(telegram_id=user_id).update(is_active=True)
    await telegram.send_text(person, "/tokens")
    menu = await telegram.expect_message(person.id)
    assert "no bot tokens yet" in menu.text
    await telegram.press(person, menu, "New token")
    assert "label" in (await telegram.expect_message(person.id)).text
    await telegram.send_text(person, "monitoring")
    shown = await telegram.expect_message(person.id)
    token = re.search(r"<code>(ftb_[\w-]+)</code>", shown.text)
    assert token, shown.text
    listing = await telegram.expect_message(person.id)
    assert "monitoring" in listing.text
    return person, token.group(1)


async def post(
    http: aiohttp.ClientSession, url: str, token: str, **body: object
) -> aiohttp.ClientResponse:
    return await http.post(
        f"{url}/api/v1/messages/", json=body, headers={"Authorization": f"Bearer {token}"}
    )


async def test_a_token_from_the_bot_sends_a_message(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    response = await post(http, api_url, token, text="Disk <90%> & rising", title="Alert")
    assert response.status == 202
    body = await response.json()
    assert body["status"] == "queued"
    received = await telegram.expect_message(person.id)
    assert received.text == "<b>Alert</b>\nDisk &lt;90%&gt; &amp; rising"
    await services_of(application).delivery.wait_idle()
    row = await Message.get(id=body["id"])
    assert (row.status, row.telegram_message_ids) == ("sent", [received.message_id])

    # The token is good for sending only.
    other = await http.get(
        f"{api_url}/api/v1/account/", headers={"Authorization": f"Bearer {token}"}
    )
    assert other.status == 401


async def test_formats_and_a_stray_angle_bracket(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    await post(http, api_url, token, text="**bold** and `code`", format="markdown")
    assert (
        await telegram.expect_message(person.id, timeout=15)
    ).text == "<b>bold</b> and <code>code</code>"
    await post(http, api_url, token, text="<b>ok</b>", format="html")
    assert (await telegram.expect_message(person.id, timeout=15)).text == "<b>ok</b>"
    await post(http, api_url, token, text="a < b <i>unclosed", format="html")
    assert (
        await telegram.expect_message(person.id, timeout=15)
    ).text == "a &lt; b &lt;i&gt;unclosed"


async def test_a_long_text_is_split_on_lines(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    lines = [f"line {n:05d} " + "x" * 80 for n in range(120)]
    await post(http, api_url, token, text="\n".join(lines))
    first = await telegram.expect_message(person.id, timeout=20)
    second = await telegram.expect_message(person.id, timeout=20)
    third = await telegram.expect_message(person.id, timeout=20)
    received = first.text + "\n" + second.text + "\n" + third.text
    assert received.split("\n") == lines
    assert all(len(m.text) <= 4096 for m in (first, second, third))


async def test_telegram_429_is_honoured_and_nothing_is_lost(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    telegram.fail_next("sendMessage", retry_after=2, times=2)
    for n in range(3):
        assert (await post(http, api_url, token, text=f"event {n}")).status == 202
    texts = [(await telegram.expect_message(person.id, timeout=30)).text for _ in range(3)]
    assert sorted(texts) == ["event 0", "event 1", "event 2"]
    await services_of(application).delivery.wait_idle()
    assert telegram.unread(person.id) == []
    assert await Message.filter(status="sent", bot_token_id__not_isnull=True).count() == 3


async def test_a_blocked_bot_is_reported(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    telegram.block(person.id)
    sent = await (await post(http, api_url, token, text="hello?")).json()
    services = services_of(application)
    await services.delivery.wait_idle()
    row = await Message.get(id=sent["id"])
    assert row.status == "failed" and "unreachable" in row.error
    refused = await post(http, api_url, token, text="again")
    assert refused.status == 409
    assert (await refused.json())["error"]["code"] == "user_unreachable"


async def test_revoked_tokens_and_rate_limits(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    # A burst of 10, refilled slowly enough that a busy machine sending the burst for more
    # than a second does not earn an 11th.
    services_of(application).messaging.limit = RateLimit(per_second=0.01, burst=10, per_day=1000)
    statuses = [(await post(http, api_url, token, text=f"burst {n}")).status for n in range(11)]
    assert statuses == [202] * 10 + [429]
    limited = await post(http, api_url, token, text="one more")
    assert int(limited.headers["Retry-After"]) >= 1

    await telegram.send_text(person, "/tokens")
    menu = await telegram.expect_message(person.id)
    while not menu.text.startswith("<b>Bot tokens"):
        menu = await telegram.expect_message(person.id, timeout=20)
    await telegram.press(person, menu, "monitoring")
    await telegram.wait_until(lambda: "no bot tokens yet" in menu.text)
    revoked = await post(http, api_url, token, text="after revoke")
    assert revoked.status == 401


async def test_a_restart_mid_queue_loses_nothing(
    settings: Settings, telegram: FakeTelegram
) -> None:
    first = Application(settings)
    await first.start()
    try:
        person = telegram.user(6201, "Patient")
        await telegram.send_text(person, "/start")
        await telegram.expect_message(person.id)
        services = services_of(first)
        await services.delivery.stop()  # the process dies with messages in the queue
        user = await services.users.by_telegram(6201)
        for n in range(3):
            await services.delivery.enqueue(user.id, f"queued {n}")
        # One message was being sent when the process died: its claim has run out.
        stuck = await services.delivery.enqueue(user.id, "in flight")
        await Message.filter(id=stuck.id).update(
            status="sending", claimed_until=datetime.now(UTC) - timedelta(seconds=1)
        )
    finally:
        await first.stop()
    second = Application(settings)
    await second.start()
    try:
        received = [(await telegram.expect_message(6201, timeout=30)).text for _ in range(4)]
        assert sorted(received) == ["in flight", "queued 0", "queued 1", "queued 2"]
        await services_of(second).delivery.wait_idle()
        assert telegram.unread(6201) == []
    finally:
        await second.stop()


async def test_history_edits_and_deletes(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    services = services_of(application)
    user = await services.users.by_telegram(person.id)
    access = await services.auth.issue_token(user.id)
    headers = {"Authorization": f"Bearer {access}"}
    sent = await (await post(http, api_url, token, text="first")).json()
    message = await telegram.expect_message(person.id)
    await services.delivery.wait_idle()
    failed = await services.delivery.enqueue(user.id, "x", origin=MessageOrigin.APP)
    await Message.filter(id=failed.id).update(status="failed", error="Bad Request: test")
    queued = await services.delivery.enqueue(user.id, "later", origin=MessageOrigin.APP)
    await Message.filter(id=queued.id).update(
        next_attempt_at=datetime.now(UTC) + timedelta(hours=1)
    )
    sending = await services.delivery.enqueue(user.id, "going out", origin=MessageOrigin.APP)
    await Message.filter(id=sending.id).update(
        status="sending", claimed_until=datetime.now(UTC) + timedelta(hours=1)
    )

    history = await (await http.get(f"{api_url}/api/v1/messages/", headers=headers)).json()
    states = {item["id"]: item["status"] for item in history["items"]}
    assert states[sent["id"]] == "sent" and states[failed.id] == "failed"
    assert states[queued.id] == "queued" and states[sending.id] == "sending"
    bot_sent = next(i for i in history["items"] if i["id"] == sent["id"])
    assert bot_sent["bot_token_id"] is not None and bot_sent["telegram_message_ids"] == [
        message.message_id
    ]

    edited = await http.patch(
        f"{api_url}/api/v1/messages/{sent['id']}/", json={"text": "first, edited"}, headers=headers
    )
    assert edited.status == 200
    assert message.text == "first, edited" and message.edits == 1
    assert (
        await http.delete(f"{api_url}/api/v1/messages/{sent['id']}/", headers=headers)
    ).status == 204
    assert message.deleted
    cabinet = await (await http.get(f"{api_url}/api/cabinet", headers=headers)).json()
    assert cabinet["answer"] == "success"
    assert [m["text"] for m in cabinet["messages"]][:3] == ["going out", "later", "x"]
    assert cabinet["messages"][0]["type"] == "Text"


async def test_seed_004_flow(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    weak = await http.post(
        f"{api_url}/api/user/", json={"name": "Fedor", "login": "FedXL", "psw": "password1234"}
    )
    assert weak.status == 400 and "password" in (await weak.json())["error"]["fields"]
    created = await http.post(
        f"{api_url}/api/user/", json={"name": "Fedor", "login": "FedXL", "psw": "Password#1234"}
    )
    assert created.status == 201
    user = await User.get(login="FedXL")
    await User.filter(id=user.id).update(is_active=True, telegram_id=6301)
    telegram.open_chat(6301)
    auth = await (
        await http.post(f"{api_url}/api/auth/", json={"login": "FedXL", "psw": "Password#1234"})
    ).json()
    assert auth["answer"] == "success"
    headers = {"Authorization": f"Bearer {auth['access_token']}"}

    assert (await http.post(f"{api_url}/api/v1/bot-tokens/code/", headers=headers)).status == 202
    code = re.search(r"<code>(\d{6})</code>", (await telegram.expect_message(6301)).text)
    assert code
    cabinet = await (
        await http.post(f"{api_url}/api/cabinet/", json={"code": code.group(1)}, headers=headers)
    ).json()
    assert cabinet["answer"] == "success" and cabinet["bot_token"].startswith("ftb_")
    sent = await http.post(
        f"{api_url}/api/send_message",
        json={"text": "some text", "type": "Text", "bot_token": cabinet["bot_token"]},
    )
    assert await sent.json() == {"answer": "message was successfully send"}
    assert (await telegram.expect_message(6301)).text == "some text"

    renamed = await http.put(f"{api_url}/api/user/", json={"name": "Fedor K"}, headers=headers)
    assert await renamed.json() == {"answer": "success user was changed"}
    wrong = await http.delete(
        f"{api_url}/api/user/", json={"login": "FedXL", "psw": "nope"}, headers=headers
    )
    assert wrong.status == 401
    deleted = await http.delete(
        f"{api_url}/api/user/", json={"login": "FedXL", "psw": "Password#1234"}, headers=headers
    )
    assert await deleted.json() == {"answer": "success user was deleted"}


async def test_a_document_over_http(
    application: Application, telegram: FakeTelegram, api_url: str, http: aiohttp.ClientSession
) -> None:
    person, token = await person_with_token(application, telegram)
    form = aiohttp.FormData(quote_fields=False)
    form.add_field("text", "the report")
    form.add_field("type", "Document")
    form.add_field("file", b"%PDF-1.4 report", filename="отчёт.pdf")
    response = await http.post(
        f"{api_url}/api/v1/messages/", data=form, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 202
    received = await telegram.expect_message(person.id)
    assert received.raw["document"]["file_name"] == "отчёт.pdf"
    assert received.text == "the report"
    assert telegram.files[received.raw["document"]["file_id"]] == b"%PDF-1.4 report"


async def test_retention_prunes_old_messages(services: Services) -> None:
    user = await make_user(services, 6401)
    old = await services.delivery.enqueue(user.id, "old news")
    await services.delivery.wait_idle()
    recent = await services.delivery.enqueue(user.id, "fresh")
    await services.delivery.wait_idle()
    await Message.filter(id=old.id).update(created_at=datetime.now(UTC) - timedelta(days=91))
    assert await services.delivery.prune(90) == 1
    assert [m.id for m in await Message.all()] == [recent.id]
