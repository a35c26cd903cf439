"""Accounts in the bot, driven as users through the fake Telegram server."""

from __future__ import annotations

import re

from ftpgram.app import Application
from services.core.models import ApiToken, User
from tests.support.application import services_of
from tests.support.telegram_fake import FakeTelegram, TgUser


async def register(telegram: FakeTelegram, user: TgUser) -> None:
    await telegram.send_text(user, "/start")
    await telegram.expect_message(user.id)


async def test_admins_decide_on_new_users_and_every_notice_follows(
    application: Application, telegram: FakeTelegram
) -> None:
    root = telegram.user(900001, "Root")
    await register(telegram, root)
    second = telegram.user(900002, "Second", language_code="ru")
    await register(telegram, second)
    # The second admin was announced to root; root makes them an admin through the database
    # (the /admin flow is tested below) so that both admins get the next announcement.
    await telegram.expect_message(root.id)
    await User.filter(telegram_id=900002).update(is_active=True, is_admin=True)

    newcomer = telegram.user(3001, "Newcomer")
    await register(telegram, newcomer)
    to_root = await telegram.expect_message(root.id)
    to_second = await telegram.expect_message(second.id)
    assert "Newcomer" in to_root.text and "Активировать" in to_second.buttons[0]["text"]

    query = await telegram.press(root, to_root, "Activate")
    assert (await telegram.expect_callback_answer(query))["text"] == "Done."
    told = await telegram.expect_message(newcomer.id)
    assert "active now" in told.text
    await telegram.wait_until(lambda: to_second.edits == 1 and to_root.edits == 1)
    assert "activated by Root" in to_root.text and to_root.buttons == []
    assert "активирован" in to_second.text and "Root" in to_second.text
    assert (await User.get(telegram_id=3001)).is_active


async def test_reject_tells_the_user(application: Application, telegram: FakeTelegram) -> None:
    root = telegram.user(900001, "Root")
    await register(telegram, root)
    stranger = telegram.user(3002, "Stranger", language_code="ru")
    await register(telegram, stranger)
    notice = await telegram.expect_message(root.id)
    await telegram.press(root, notice, "Reject")
    told = await telegram.expect_message(stranger.id)
    assert "отклонил" in told.text
    await telegram.send_text(stranger, "/start")
    assert "отклонил" in (await telegram.expect_message(stranger.id)).text


async def test_code_command(application: Application, telegram: FakeTelegram) -> None:
    pending = telegram.user(3003, "Pending")
    await register(telegram, pending)
    await telegram.send_text(pending, "/code")
    assert "not active yet" in (await telegram.expect_message(pending.id)).text

    await User.filter(telegram_id=3003).update(is_active=True)
    await telegram.send_text(pending, "/code")
    message = await telegram.expect_message(pending.id)
    match = re.search(r"<code>(\d{6})</code>", message.text)
    assert match and "5 minutes" in message.text
    services = services_of(application)
    user = await services.codes.verify(3003, match.group(1))
    assert user.telegram_id == 3003


async def test_admin_panel(application: Application, telegram: FakeTelegram) -> None:
    member = telegram.user(3004, "Member")
    await register(telegram, member)
    await User.filter(telegram_id=3004).update(is_active=True)
    await telegram.send_text(member, "/admin")
    assert "did not understand" in (await telegram.expect_message(member.id)).text

    root = telegram.user(900001, "Root")
    await register(telegram, root)
    await telegram.send_text(root, "/admin")
    listing = await telegram.expect_message(root.id)
    assert "Users: 2" in listing.text and "Member" in listing.text
    await telegram.press(root, listing, "Member")
    await telegram.wait_until(lambda: "State:" in listing.text)
    assert "Make admin" in [b["text"] for b in listing.buttons]

    await telegram.press(root, listing, "Make admin")
    await telegram.wait_until(lambda: "Remove admin rights" in str(listing.buttons))
    assert (await User.get(telegram_id=3004)).is_admin

    await telegram.press(root, listing, "Delete")
    await telegram.wait_until(lambda: "cannot be undone" in listing.text)
    query = await telegram.press(root, listing, "Yes, delete")
    assert "deleted" in (await telegram.expect_callback_answer(query))["text"]
    assert not await User.filter(telegram_id=3004).exists()
    await telegram.wait_until(lambda: "Users: 1" in listing.text)


async def test_account_tokens_credentials_and_deletion(
    application: Application, telegram: FakeTelegram
) -> None:
    services = services_of(application)
    alice = telegram.user(3005, "Alice")
    await register(telegram, alice)
    await User.filter(telegram_id=3005).update(is_active=True)
    user = await services.users.by_telegram(3005)
    await services.auth.issue_token(user.id, "laptop")
    await services.auth.issue_token(user.id, "phone")

    await telegram.send_text(alice, "/account")
    card = await telegram.expect_message(alice.id)
    assert "Your account" in card.text and "10.0 GiB" in card.text
    await telegram.press(alice, card, "API tokens")
    await telegram.wait_until(lambda: "laptop" in card.text)
    await telegram.press(alice, card, "laptop")
    await telegram.wait_until(lambda: "laptop" not in card.text)
    assert [t.label for t in await ApiToken.filter(user_id=user.id)] == ["phone"]

    await telegram.press(alice, card, "Back")
    await telegram.wait_until(lambda: "Your account" in card.text)
    await telegram.press(alice, card, "Set login")
    assert "Latin letters" in (await telegram.expect_message(alice.id)).text
    await telegram.send_text(alice, "9bad")
    assert "Latin letters" in (await telegram.expect_message(alice.id)).text
    await telegram.send_text(alice, "alice2")
    assert "password" in (await telegram.expect_message(alice.id)).text
    secret = await telegram.send_text(alice, "Pass#word1")
    saved = await telegram.expect_message(alice.id)
    assert "alice2" in saved.text
    assert "Pass#word1" not in saved.text
    delete_calls = [p for name, p in telegram.calls if name == "deleteMessage"]
    assert any(int(p["message_id"]) == secret["message_id"] for p in delete_calls)
    signed = await services.accounts.authenticate("alice2", "Pass#word1")
    assert signed.id == user.id

    await telegram.press(alice, card, "Delete my account")
    await telegram.wait_until(lambda: "cannot be undone" in card.text)
    await telegram.press(alice, card, "Yes")
    await telegram.wait_until(lambda: "deleted" in card.text)
    assert not await User.filter(telegram_id=3005).exists()


async def test_cancel_leaves_the_form(application: Application, telegram: FakeTelegram) -> None:
    bob = telegram.user(3006, "Bob", language_code="ru")
    await register(telegram, bob)
    await telegram.send_text(bob, "/cancel")
    assert "нечего" in (await telegram.expect_message(bob.id)).text
    await telegram.send_text(bob, "/account")
    card = await telegram.expect_message(bob.id)
    await telegram.press(bob, card, "логин")
    await telegram.expect_message(bob.id)
    await telegram.send_text(bob, "/cancel")
    assert "Отменено" in (await telegram.expect_message(bob.id)).text
