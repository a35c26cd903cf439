"""Signing in from the Telegram Mini App: `initData` checked as Telegram documents it (HMAC with
a key derived from the bot token, fresh `auth_date`), then mapped to our user."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from services.accounts.webapp import sign_init_data, verify_init_data
from services.container import Services
from services.core.errors import Forbidden, InvalidInput, Unauthorized
from services.core.models import User
from tests.support.people import make_user
from tests.support.telegram_fake import FakeTelegram

BOT_TOKEN = "123456:TEST"


def init_data(
    bot_token: str = BOT_TOKEN,
    *,
    user: dict[str, object] | None = None,
    auth_date: float | None = None,
    **extra: str,
) -> str:
    """`initData` as Telegram builds it: URL-encoded fields with their `hash`."""
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(
            user
            or {
                "id": 7401,
                "first_name": "Анна",
                "last_name": "Smith",
                "username": "anna_s",
                "language_code": "ru",
            },
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        "auth_date": str(int(auth_date if auth_date is not None else time.time())),
        "signature": "c2lnbmF0dXJl",
        **extra,
    }
    fields["hash"] = sign_init_data(fields, bot_token)
    return urlencode(fields)


def test_genuine_data_names_the_telegram_user() -> None:
    person = verify_init_data(init_data(), BOT_TOKEN)
    assert (person.id, person.full_name, person.username, person.language_code) == (
        7401,
        "Анна Smith",
        "anna_s",
        "ru",
    )


def test_the_data_check_string_is_sorted_lines_without_the_hash() -> None:
    # Telegram's own example construction, written out by hand.
    import hashlib
    import hmac

    fields = {"user": '{"id":1}', "auth_date": "1700000000", "query_id": "q"}
    check = 'auth_date=1700000000\nquery_id=q\nuser={"id":1}'
    secret = hmac.new(b"WebAppData", BOT_TOKEN.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert sign_init_data({**fields, "hash": "ignored"}, BOT_TOKEN) == expected


def test_tampered_data_is_refused() -> None:
    genuine = init_data()
    tampered = genuine.replace("7401", "7402")
    with pytest.raises(Unauthorized) as caught:
        verify_init_data(tampered, BOT_TOKEN)
    assert caught.value.code == "webapp_signature"
    # A field added after signing breaks the signature as well.
    with pytest.raises(Unauthorized):
        verify_init_data(genuine + "&start_param=admin", BOT_TOKEN)


def test_data_signed_for_another_bot_is_refused() -> None:
    with pytest.raises(Unauthorized) as caught:
        verify_init_data(init_data("654321:OTHER"), BOT_TOKEN)
    assert caught.value.code == "webapp_signature"


def test_stale_or_future_data_is_refused() -> None:
    day_ago = time.time() - 24 * 3600 - 60
    with pytest.raises(Unauthorized) as caught:
        verify_init_data(init_data(auth_date=day_ago), BOT_TOKEN)
    assert caught.value.code == "webapp_expired"
    assert "too old" in caught.value.message
    with pytest.raises(Unauthorized):
        verify_init_data(init_data(auth_date=time.time() + 3600), BOT_TOKEN)
    # Within the limit it passes; the limit can be tightened.
    hour_ago = time.time() - 3600
    assert verify_init_data(init_data(auth_date=hour_ago), BOT_TOKEN).id == 7401
    with pytest.raises(Unauthorized):
        verify_init_data(init_data(auth_date=hour_ago), BOT_TOKEN, max_age=timedelta(minutes=30))
    moment = datetime(2030, 1, 1, tzinfo=UTC)
    signed_then = init_data(auth_date=moment.timestamp())
    assert verify_init_data(signed_then, BOT_TOKEN, now=moment + timedelta(hours=23)).id == 7401


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("", "empty"),
        ("user=%7B%7D&auth_date=1", "no hash"),
        ("no equals sign", "not a query string"),
        ("a=1&a=2&hash=00", "repeated"),
        ("x" * 9000, "too long"),
    ],
)
def test_malformed_data_gets_a_clear_answer(data: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        verify_init_data(data, BOT_TOKEN)
    assert caught.value.code == "webapp_data"
    assert problem in caught.value.message


def test_signed_data_without_a_user_is_refused() -> None:
    fields = {"auth_date": str(int(time.time())), "user": '"nobody"'}
    fields["hash"] = sign_init_data(fields, BOT_TOKEN)
    with pytest.raises(InvalidInput) as caught:
        verify_init_data(urlencode(fields), BOT_TOKEN)
    assert "no user" in caught.value.message


async def test_an_active_user_gets_a_working_token(
    services: Services, telegram: FakeTelegram
) -> None:
    known = await make_user(services, 7401, name="Anna")
    user, token = await services.webapp.sign_in(init_data(bot_token=telegram.token))
    assert user.id == known.id
    assert (await services.auth.authenticate(token)).id == known.id
    labels = [t.label for t in await services.auth.tokens(known.id)]
    assert labels == ["telegram"]


async def test_someone_new_is_registered_and_waits_for_an_admin(
    services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 900001, admin=True, name="Root")
    with pytest.raises(Forbidden) as caught:
        await services.webapp.sign_in(init_data(bot_token=telegram.token))
    assert caught.value.code == "inactive_user"
    row = await User.get(telegram_id=7401)
    assert (row.full_name, row.telegram_username, row.language, row.is_active) == (
        "Анна Smith",
        "anna_s",
        "ru",
        False,
    )
    # The admins are asked about the newcomer, as after /start.
    notice = await telegram.expect_message(900001)
    assert "Анна Smith" in notice.text


async def test_a_wrong_signature_issues_no_token(services: Services) -> None:
    known = await make_user(services, 7401)
    with pytest.raises(Unauthorized):
        await services.webapp.sign_in(init_data(bot_token="654321:OTHER"))
    assert await services.auth.tokens(known.id) == []
