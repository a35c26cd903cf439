"""Registration, sign-in, codes and tokens over REST (aiohttp's test client, real services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient

from services.container import Services
from services.core.models import ApiToken, AttemptWindow, AuditEvent, LoginCode, User
from tests.support.messages import code_in
from tests.support.people import bearer, make_user
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
GOOD = {"login": "alice1", "password": "Secret#1", "full_name": "Alice A", "email": "a@example.org"}


async def test_registration_validates_every_field(client: Client) -> None:
    response = await client.post(
        "/api/v1/auth/register/",
        json={
            "login": "1bad",
            "password": "short",
            "full_name": " ",
            "email": "nope",
        },
    )
    assert response.status == 400
    fields = (await response.json())["error"]["fields"]
    assert set(fields) == {"login", "password", "full_name", "email"}
    assert "upper-case" in fields["password"] and "digit" in fields["password"]
    missing = await client.post("/api/v1/auth/register/", json={"login": "abcd"})
    assert missing.status == 400
    assert {"password", "full_name", "email"} <= set((await missing.json())["error"]["fields"])


async def test_registration_is_pending_and_admins_are_asked(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 900001, admin=True, name="Root")
    response = await client.post("/api/v1/auth/register/", json=GOOD)
    assert response.status == 201
    body = await response.json()
    assert (body["login"], body["state"], body["is_active"]) == ("alice1", "pending", False)
    assert "password" not in str(body)
    notice = await telegram.expect_message(900001)
    assert "Alice A" in notice.text and "alice1" in notice.text
    assert [b["text"] for b in notice.buttons] == ["✅ Activate", "❌ Reject"]

    again = await client.post("/api/v1/auth/register/", json=GOOD)
    assert again.status == 409
    assert (await again.json())["error"]["code"] == "login_taken"
    stored = await User.get(login="alice1")
    assert stored.password_hash is not None and stored.password_hash.startswith("$argon2id$")


async def test_password_sign_in(client: Client, services: Services) -> None:
    await client.post("/api/v1/auth/register/", json=GOOD)
    pending = await client.post(
        "/api/v1/auth/login/", json={"login": "alice1", "password": "Secret#1"}
    )
    assert pending.status == 403
    assert (await pending.json())["error"]["code"] == "inactive_user"

    await User.filter(login="alice1").update(is_active=True)
    wrong = await client.post("/api/v1/auth/login/", json={"login": "alice1", "password": "nope"})
    assert wrong.status == 401
    ok = await client.post(
        "/api/v1/auth/login/",
        json={"login": "alice1", "password": "Secret#1"},
        headers={"User-Agent": "curl/8"},
    )
    assert ok.status == 200
    signed = await ok.json()
    assert signed["token"].startswith("ftg_") and len(signed["token"]) >= 40
    assert signed["user"]["login"] == "alice1"
    me = await client.get("/api/v1/account", headers=bearer(signed["token"]))
    assert (await me.json())["login"] == "alice1"
    # Only the hash of the token is stored.
    assert not await ApiToken.filter(token_hash=signed["token"]).exists()
    events = await AuditEvent.filter(action__in=["login", "login_failed"]).order_by("id")
    assert [e.action for e in events] == ["login", "login_failed", "login"]
    assert events[-1].origin == "127.0.0.1"


async def test_password_guessing_is_limited(client: Client) -> None:
    await client.post("/api/v1/auth/register/", json=GOOD)
    for _ in range(10):
        response = await client.post(
            "/api/v1/auth/login/", json={"login": "alice1", "password": "x"}
        )
        assert response.status == 401
    blocked = await client.post(
        "/api/v1/auth/login/", json={"login": "alice1", "password": "Secret#1"}
    )
    assert blocked.status == 429
    assert int(blocked.headers["Retry-After"]) > 0


async def test_code_sign_in_through_the_bot(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 5001)
    sent = await client.post("/api/v1/auth/code/", json={"telegram_id": 5001})
    assert sent.status == 202 and (await sent.json())["expires_in"] == 300
    code = code_in((await telegram.expect_message(5001)).text)
    row = await LoginCode.get(user__telegram_id=5001)
    assert code not in row.code_hmac and len(row.code_hmac) == 64

    ok = await client.post("/api/v1/auth/code/verify/", json={"telegram_id": 5001, "code": code})
    assert ok.status == 200
    token = (await ok.json())["token"]
    assert (await client.get("/api/v1/account/", headers=bearer(token))).status == 200
    reused = await client.post(
        "/api/v1/auth/code/verify/", json={"telegram_id": 5001, "code": code}
    )
    assert reused.status == 400
    assert (await reused.json())["error"]["code"] == "invalid_code"


async def test_codes_for_unknown_and_inactive_users(client: Client, services: Services) -> None:
    unknown = await client.post("/api/v1/auth/code/", json={"telegram_id": 404404})
    assert unknown.status == 404
    await make_user(services, 5002, active=False)
    inactive = await client.post("/api/v1/auth/code/", json={"telegram_id": 5002})
    assert inactive.status == 403


async def test_sixth_wrong_entry_is_refused_even_with_the_right_code(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 5003)
    await client.post("/api/v1/auth/code/", json={"telegram_id": 5003})
    code = code_in((await telegram.expect_message(5003)).text)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        response = await client.post(
            "/api/v1/auth/code/verify/", json={"telegram_id": 5003, "code": wrong}
        )
        assert response.status == 400
    sixth = await client.post("/api/v1/auth/code/verify/", json={"telegram_id": 5003, "code": code})
    assert sixth.status == 429
    assert "Retry-After" in sixth.headers


async def test_code_requests_and_daily_failures_are_capped(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 5004)
    for _ in range(3):
        assert (await client.post("/api/v1/auth/code/", json={"telegram_id": 5004})).status == 202
    fourth = await client.post("/api/v1/auth/code/", json={"telegram_id": 5004})
    assert fourth.status == 429
    assert 0 < int(fourth.headers["Retry-After"]) <= 900

    # Earlier codes fall out of the 15-minute window but stay within the day.
    async def burn_a_code() -> None:
        await AttemptWindow.filter(key__startswith="code-requests-api").update(
            expires_at=datetime.now(UTC)
        )
        assert (await client.post("/api/v1/auth/code/", json={"telegram_id": 5004})).status == 202
        for _ in range(5):
            await client.post(
                "/api/v1/auth/code/verify/", json={"telegram_id": 5004, "code": "000000x"}
            )

    for _ in range(4):
        await burn_a_code()
    assert sum(c.failed_attempts for c in await LoginCode.filter(user__telegram_id=5004)) == 20
    await AttemptWindow.filter(key__startswith="code-requests-api").update(
        expires_at=datetime.now(UTC)
    )
    capped = await client.post("/api/v1/auth/code/", json={"telegram_id": 5004})
    assert capped.status == 429
    assert "tomorrow" in (await capped.json())["error"]["message"]


async def test_expired_code_is_refused(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 5005)
    await client.post("/api/v1/auth/code/", json={"telegram_id": 5005})
    code = code_in((await telegram.expect_message(5005)).text)
    await LoginCode.filter(user__telegram_id=5005).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )
    response = await client.post(
        "/api/v1/auth/code/verify/", json={"telegram_id": 5005, "code": code}
    )
    assert response.status == 400


async def test_registration_state_then_a_code(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    state = await client.get("/api/v1/auth/registration/6001/")
    assert await state.json() == {"telegram_id": 6001, "registered": False, "state": None}
    await make_user(services, 6001, active=False)
    state = await client.get("/api/v1/auth/registration/6001")
    assert (await state.json())["state"] == "pending"
    await User.filter(telegram_id=6001).update(is_active=True)
    sent = await client.post("/api/v1/auth/code/", json={"telegram_id": 6001})
    assert sent.status == 202
    code = code_in((await telegram.expect_message(6001)).text)
    signed = await client.post(
        "/api/v1/auth/code/verify/", json={"telegram_id": 6001, "code": code}
    )
    assert signed.status == 200 and (await signed.json())["user"]["telegram_id"] == 6001


async def test_tokens_list_revoke_and_logout(client: Client, services: Services) -> None:
    alice = await make_user(services, 7001)
    bob = await make_user(services, 7002)
    first = await services.auth.issue_token(alice.id, "laptop")
    second = await services.auth.issue_token(alice.id, "phone")
    bobs = await services.auth.issue_token(bob.id, "bob")

    listed = await (await client.get("/api/v1/account/tokens/", headers=bearer(first))).json()
    assert [t["label"] for t in listed["items"]] == ["phone", "laptop"]
    assert "token" not in str(listed).lower().replace("tokens", "")
    phone = listed["items"][0]["id"]
    bob_token_id = (await ApiToken.get(user_id=bob.id)).id
    foreign = await client.delete(f"/api/v1/account/tokens/{bob_token_id}/", headers=bearer(first))
    assert foreign.status == 404
    assert (await client.get("/api/v1/account/", headers=bearer(bobs))).status == 200
    assert (
        await client.delete(f"/api/v1/account/tokens/{phone}", headers=bearer(first))
    ).status == 204
    assert (await client.get("/api/v1/account/", headers=bearer(second))).status == 401

    assert (await client.post("/api/v1/auth/logout/", headers=bearer(first))).status == 204
    after = await client.get("/api/v1/account/", headers=bearer(first))
    assert after.status == 401


async def test_deactivated_and_deleted_users_lose_access_at_once(
    client: Client, services: Services
) -> None:
    admin = await make_user(services, 900001, admin=True)
    admin_token = await services.auth.issue_token(admin.id)
    carol = await make_user(services, 7003)
    token = await services.auth.issue_token(carol.id)
    response = await client.post(
        "/api/v1/admin/users/deactivate/", json={"ids": [carol.id]}, headers=bearer(admin_token)
    )
    assert await response.json() == {"changed": [carol.id]}
    refused = await client.get("/api/v1/account/", headers=bearer(token))
    assert refused.status == 401

    dave = await make_user(services, 7004)
    dave_token = await services.auth.issue_token(dave.id)
    assert (await client.delete("/api/v1/account/", headers=bearer(dave_token))).status == 204
    assert (await client.get("/api/v1/account/", headers=bearer(dave_token))).status == 401
    assert not await User.filter(id=dave.id).exists()


async def test_profile_and_password_change(client: Client, services: Services) -> None:
    await client.post("/api/v1/auth/register/", json=GOOD)
    await User.filter(login="alice1").update(is_active=True)
    login = await client.post(
        "/api/v1/auth/login/", json={"login": "alice1", "password": "Secret#1"}
    )
    token = (await login.json())["token"]
    renamed = await client.patch(
        "/api/v1/account/",
        json={"full_name": "Alice B", "email": "B@Example.org"},
        headers=bearer(token),
    )
    body = await renamed.json()
    assert (body["full_name"], body["email"]) == ("Alice B", "B@example.org")
    no_old = await client.patch(
        "/api/v1/account/", json={"password": "New#pass1"}, headers=bearer(token)
    )
    assert no_old.status == 400 and "old_password" in (await no_old.json())["error"]["fields"]
    bad_old = await client.patch(
        "/api/v1/account/",
        json={"password": "New#pass1", "old_password": "x"},
        headers=bearer(token),
    )
    assert bad_old.status == 400
    ok = await client.patch(
        "/api/v1/account/",
        json={"password": "New#pass1", "old_password": "Secret#1"},
        headers=bearer(token),
    )
    assert ok.status == 200
    relogin = await client.post(
        "/api/v1/auth/login/", json={"login": "alice1", "password": "New#pass1"}
    )
    assert relogin.status == 200


async def test_session_cookie_and_csrf(client: Client, services: Services) -> None:
    user = await make_user(services, 7005)
    token = await services.auth.issue_token(user.id)
    client.session.cookie_jar.update_cookies({"ftpgram_session": token})
    assert (await client.get("/api/v1/account/")).status == 200
    cross = await client.patch(
        "/api/v1/account/", json={"full_name": "X"}, headers={"Origin": "https://evil.example"}
    )
    assert cross.status == 403 and (await cross.json())["error"]["code"] == "csrf"
    same = await client.patch(
        "/api/v1/account/",
        json={"full_name": "X"},
        headers={"Origin": str(client.make_url("")).rstrip("/")},
    )
    assert same.status == 200


async def test_quota(client: Client, services: Services) -> None:
    user = await make_user(services, 7006)
    token = await services.auth.issue_token(user.id)
    quota = await (await client.get("/api/v1/account/quota/", headers=bearer(token))).json()
    assert quota == {"quota": 10 * 1024**3, "used": 0, "free": 10 * 1024**3}
