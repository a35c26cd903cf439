"""Limits that must hold when requests arrive at the same moment, and codes that are never
readable after they are sent: bursts fired with `asyncio.gather` at the real service (HTTP API
on the real services and database, the bot talking to the fake Telegram server)."""

from __future__ import annotations

import asyncio
import io
import re
from collections import Counter
from datetime import UTC, datetime

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from ftpgram.app import Application
from services.container import Services
from services.core.models import AttemptWindow, AuditEvent, LoginCode, Message, User
from tests.support.people import bearer, make_user
from tests.support.telegram_fake import FakeTelegram

pytestmark = pytest.mark.every_backend

Client = TestClient[web.Request, web.Application]
BURST = 40


def code_in(text: str) -> str:
    match = re.search(r"<code>(\d{6})</code>", text)
    assert match, text
    return match.group(1)


def other_than(code: str, n: int) -> str:
    return f"{(int(code) + 1 + n) % 10**6:06d}"


async def statuses(responses: list[aiohttp.ClientResponse]) -> Counter[int]:
    for response in responses:
        await response.read()
    return Counter(response.status for response in responses)


async def test_parallel_wrong_passwords_are_evaluated_at_most_ten_times(client: Client) -> None:
    body = {
        "login": "alice1",
        "password": "Secret#1",
        "full_name": "Alice",
        "email": "a@example.org",
    }
    assert (await client.post("/api/v1/auth/register/", json=body)).status == 201
    burst = await asyncio.gather(
        *(
            client.post("/api/v1/auth/login/", json={"login": "alice1", "password": f"x{n}"})
            for n in range(60)
        )
    )
    assert await statuses(burst) == {401: 10, 429: 50}
    assert await AuditEvent.filter(action="login_failed", subject="alice1").count() == 10
    # The limit is spent: even the right password waits.
    right = await client.post("/api/v1/auth/login/", json=body)
    assert right.status == 429 and int(right.headers["Retry-After"]) > 0


async def test_a_right_password_does_not_use_up_the_limit(client: Client) -> None:
    body = {
        "login": "carol1",
        "password": "Secret#1",
        "full_name": "Carol",
        "email": "c@example.org",
    }
    await client.post("/api/v1/auth/register/", json=body)
    await User.filter(login="carol1").update(is_active=True)
    for _ in range(15):
        assert (await client.post("/api/v1/auth/login/", json=body)).status == 200


async def test_parallel_code_guesses_are_evaluated_at_most_five_times(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 6001)
    assert (await client.post("/api/v1/auth/code/", json={"telegram_id": 6001})).status == 202
    code = code_in((await telegram.expect_message(6001)).text)
    burst = await asyncio.gather(
        *(
            client.post(
                "/api/v1/auth/code/verify/", json={"telegram_id": 6001, "code": other_than(code, n)}
            )
            for n in range(BURST)
        )
    )
    assert await statuses(burst) == {400: 5, 429: BURST - 5}
    assert (await LoginCode.get(user__telegram_id=6001)).failed_attempts == 5
    late = await client.post("/api/v1/auth/code/verify/", json={"telegram_id": 6001, "code": code})
    assert late.status == 429


async def test_wrong_codes_from_one_address_are_capped_across_accounts(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    people = list(range(6101, 6109))
    codes = {}
    for telegram_id in people:
        await make_user(services, telegram_id)
        sent = await client.post("/api/v1/auth/code/", json={"telegram_id": telegram_id})
        assert sent.status == 202
        codes[telegram_id] = code_in((await telegram.expect_message(telegram_id)).text)
    burst = await asyncio.gather(
        *(
            client.post(
                "/api/v1/auth/code/verify/",
                json={"telegram_id": person, "code": other_than(codes[person], n)},
            )
            for person in people
            for n in range(5)
        )
    )
    # 40 guesses at 8 accounts: 30 a day from one address are evaluated, whatever the account.
    assert await statuses(burst) == {400: 30, 429: 10}
    right = await client.post(
        "/api/v1/auth/code/verify/", json={"telegram_id": people[0], "code": codes[people[0]]}
    )
    assert right.status == 429
    assert "your address" in (await right.json())["error"]["message"]


async def test_code_requests_are_limited_per_address(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    people = list(range(6201, 6201 + BURST))
    for telegram_id in people:
        await make_user(services, telegram_id)
    burst = await asyncio.gather(
        *(client.post("/api/v1/auth/code/", json={"telegram_id": person}) for person in people)
    )
    assert await statuses(burst) == {202: 10, 429: BURST - 10}
    await services.delivery.wait_idle()
    assert sum(len(telegram.sent_to(person)) for person in people) == 10


async def test_code_requests_per_account_hold_in_a_burst(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 6301)
    burst = await asyncio.gather(
        *(client.post("/api/v1/auth/code/", json={"telegram_id": 6301}) for _ in range(8))
    )
    assert await statuses(burst) == {202: 3, 429: 5}


async def test_strangers_cannot_lock_the_owner_out(
    application: Application, telegram: FakeTelegram, api_url: str
) -> None:
    owner = telegram.user(6401, "Owner")
    await telegram.send_text(owner, "/start")
    await telegram.expect_message(owner.id)
    await User.filter(telegram_id=6401).update(is_active=True)
    async with aiohttp.ClientSession(api_url) as http:
        # Someone who knows the Telegram id asks for codes and guesses until the account's
        # daily allowance of wrong codes is spent.
        for _ in range(4):
            await AttemptWindow.filter(key__startswith="code-requests-api").update(
                expires_at=datetime.now(UTC)
            )
            asked = await http.post("/api/v1/auth/code/", json={"telegram_id": 6401})
            assert asked.status == 202
            await telegram.expect_message(owner.id)
            for n in range(5):
                await http.post(
                    "/api/v1/auth/code/verify/", json={"telegram_id": 6401, "code": f"99999{n}"}
                )
        await AttemptWindow.filter(key__startswith="code-requests-api").update(
            expires_at=datetime.now(UTC)
        )
        refused = await http.post("/api/v1/auth/code/", json={"telegram_id": 6401})
        assert refused.status == 429
        assert "/code" in (await refused.json())["error"]["message"]
        # The owner asks in Telegram, and that code works.
        await telegram.send_text(owner, "/code")
        code = code_in((await telegram.expect_message(owner.id)).text)
        signed = await http.post(
            "/api/v1/auth/code/verify/", json={"telegram_id": 6401, "code": code}
        )
        assert signed.status == 200, await signed.text()
        assert (await signed.json())["token"].startswith("ftg_")


async def test_parallel_registrations_from_one_address_are_limited(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 900001, admin=True)
    burst = await asyncio.gather(
        *(
            client.post(
                "/api/v1/auth/register/",
                json={
                    "login": f"user{n:03d}",
                    "password": "Secret#1",
                    "full_name": f"U {n}",
                    "email": f"u{n}@example.org",
                },
            )
            for n in range(BURST)
        )
    )
    assert await statuses(burst) == {201: 5, 429: BURST - 5}
    assert await User.filter(login__startswith="user").count() == 5
    await services.delivery.wait_idle()
    assert len(telegram.sent_to(900001)) == 5


async def test_a_flood_of_new_users_sends_admins_one_summary(
    application: Application, telegram: FakeTelegram
) -> None:
    root = telegram.user(900001, "Root")
    await telegram.send_text(root, "/start")
    await telegram.expect_message(root.id)
    newcomers = [telegram.user(6500 + n, f"Newcomer {n}") for n in range(12)]
    await asyncio.gather(*(telegram.send_text(person, "/start") for person in newcomers))
    for person in newcomers:
        await telegram.expect_message(person.id)
    assert application.services is not None
    await telegram.wait_until(lambda: len(telegram.sent_to(root.id)) >= 1 + 6, timeout=20)
    await application.services.delivery.wait_idle()
    to_root = telegram.sent_to(root.id)[1:]
    assert len(to_root) == 6, [m.text for m in to_root]
    assert sum("Activate the account?" in m.text for m in to_root) == 5
    assert "waiting for activation" in to_root[-1].text and "/admin" in to_root[-1].text


async def test_codes_are_not_kept_or_listed_after_they_are_sent(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    person = await make_user(services, 6601)
    app_token = (await services.messaging.create_token(person, "app")).token
    api_token = await services.auth.issue_token(person.id)
    sent = await client.post(
        "/api/v1/messages/", json={"text": "from the app"}, headers=bearer(app_token)
    )
    assert sent.status == 202
    assert "from the app" in (await telegram.expect_message(6601)).text
    # A code for a bot token, asked for with an API token: it reaches Telegram only.
    asked = await client.post("/api/v1/bot-tokens/code/", headers=bearer(api_token))
    assert asked.status == 202
    code = code_in((await telegram.expect_message(6601)).text)
    await client.post("/api/v1/auth/code/", json={"telegram_id": 6601})
    sign_in_code = code_in((await telegram.expect_message(6601)).text)
    await services.delivery.wait_idle()

    history = await (await client.get("/api/v1/messages/", headers=bearer(api_token))).json()
    assert [m["text"] for m in history["items"]] == ["from the app"]
    cabinet = await (await client.get("/api/cabinet", headers=bearer(api_token))).text()
    assert code not in cabinet and sign_in_code not in cabinet
    stored = await Message.filter(user_id=person.id).values_list("text", flat=True)
    assert not [text for text in stored if code in str(text) or sign_in_code in str(text)]
    service_ids = await Message.filter(user_id=person.id, origin="service").values_list(
        "id", flat=True
    )
    assert len(service_ids) == 2
    for message_id in service_ids:
        edited = await client.patch(
            f"/api/v1/messages/{message_id}/", json={"text": "x"}, headers=bearer(api_token)
        )
        assert edited.status == 404
    # The person, who read the code in Telegram, can still use it.
    created = await client.post(
        "/api/v1/bot-tokens/", json={"code": code}, headers=bearer(api_token)
    )
    assert created.status == 201


async def test_attachments_stop_at_the_owners_free_space_and_count_against_it(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    person = await make_user(services, 6701)
    await User.filter(id=person.id).update(storage_quota=1_000_000)
    app_token = (await services.messaging.create_token(person, "app")).token
    api_token = await services.auth.issue_token(person.id)
    tmp = services.settings.storage / "tmp"

    def form(size: int) -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field("text", "report")
        data.add_field("file", io.BytesIO(b"r" * size), filename="report.bin")
        return data

    too_big = await client.post(
        "/api/v1/messages/", data=form(5_000_000), headers=bearer(app_token)
    )
    assert too_big.status == 507
    assert (await too_big.json())["error"]["code"] == "quota_exceeded"
    assert list(tmp.iterdir()) == []
    assert await Message.filter(user_id=person.id).count() == 0

    kept = await client.post("/api/v1/messages/", data=form(400_000), headers=bearer(app_token))
    assert kept.status == 202
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(api_token))).json()
    assert quota == {"quota": 1_000_000, "used": 400_000, "free": 600_000}
    again = await client.post("/api/v1/messages/", data=form(700_000), headers=bearer(app_token))
    assert again.status == 507


async def test_password_spraying_from_one_address_is_limited(client: Client) -> None:
    for n in range(6):
        await User.create(login=f"spray{n}", full_name="S", is_active=True)
    burst = await asyncio.gather(
        *(
            client.post(
                "/api/v1/auth/login/", json={"login": f"spray{n % 6}", "password": f"guess{n}"}
            )
            for n in range(60)
        )
    )
    # Ten per login would allow all 60; fifty per address in 15 minutes stop the rest.
    assert await statuses(burst) == {401: 50, 429: 10}


async def test_password_checks_of_a_signed_in_user_are_limited(client: Client) -> None:
    body = {"login": "dave1", "password": "Secret#1", "full_name": "Dave", "email": "d@example.org"}
    await client.post("/api/v1/auth/register/", json=body)
    await User.filter(login="dave1").update(is_active=True)
    token = (await (await client.post("/api/v1/auth/login/", json=body)).json())["token"]
    burst = await asyncio.gather(
        *(
            client.patch(
                "/api/v1/account/",
                json={"password": "Other#22", "old_password": f"guess{n}"},
                headers=bearer(token),
            )
            for n in range(BURST)
        )
    )
    # A stolen session is no way round the limit on guessing the password.
    assert await statuses(burst) == {400: 10, 429: BURST - 10}
    right = await client.patch(
        "/api/v1/account/",
        json={"password": "Other#22", "old_password": "Secret#1"},
        headers=bearer(token),
    )
    assert right.status == 429


async def test_parallel_additions_cannot_overrun_the_quota(
    client: Client, services: Services
) -> None:
    """Attachments, resumable uploads and ordinary uploads at the same moment: each is checked
    and kept in one step, so no more than the quota is ever taken."""
    person = await make_user(services, 6801)
    await User.filter(id=person.id).update(storage_quota=2_000_000)
    app_token = (await services.messaging.create_token(person, "app")).token
    api_token = await services.auth.issue_token(person.id)

    def form(n: int, field: str) -> aiohttp.FormData:
        data = aiohttp.FormData()
        data.add_field(field, io.BytesIO(bytes([n]) * 400_000), filename=f"f{n}.bin")
        return data

    burst = await asyncio.gather(
        *(
            client.post("/api/v1/messages/", data=form(n, "file"), headers=bearer(app_token))
            for n in range(4)
        ),
        *(
            client.post(
                "/api/v1/files/upload/", data=form(100 + n, "file"), headers=bearer(api_token)
            )
            for n in range(8)
        ),
        *(
            client.post(
                "/api/v1/uploads/",
                json={"name": f"r{n}", "size": 400_000},
                headers=bearer(api_token),
            )
            for n in range(8)
        ),
    )
    counts = await statuses(burst)
    assert counts[202] + counts[201] == 5 and counts[507] == 15, counts
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(api_token))).json()
    assert quota["free"] == 0, quota


async def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(client: Client) -> None:
    for n in range(5):
        body = {
            "login": f"fwd{n:03d}",
            "password": "Secret#1",
            "full_name": "F",
            "email": "f@x.org",
        }
        headers = {"X-Forwarded-For": f"203.0.113.{n}"}
        assert (
            await client.post("/api/v1/auth/register/", json=body, headers=headers)
        ).status == 201
    sixth = await client.post(
        "/api/v1/auth/register/",
        json={
            "login": "fwd005",
            "password": "Secret#1",
            "full_name": "F",
            "email": "f@example.org",
        },
        headers={"X-Forwarded-For": "203.0.113.99"},
    )
    assert sixth.status == 429
    origins = {event.origin for event in await AuditEvent.filter(action="register")}
    assert origins == {"127.0.0.1"}
