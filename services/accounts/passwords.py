"""Accounts with a login and password: registration rules, sign-in, profile, linking a login to a
Telegram user, deleting one's own account.

Passwords are hashed with argon2id (argon2-cffi defaults) in a worker thread, never logged or
returned. Wrong passwords are audited. Limits: `MAX_LOGIN_FAILURES` wrong passwords per login
and `ADDRESS_LOGIN_FAILURES` per client address in `LOGIN_WINDOW`; `MAX_REGISTRATIONS` new
accounts per client address in `REGISTRATION_WINDOW`. Each attempt reserves its slot before the
(slow) check, so parallel requests cannot exceed them.
"""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from tortoise.exceptions import IntegrityError

from services.accounts.audit import AuditService, current_origin
from services.accounts.users import UserService, UserView
from services.core.errors import Conflict, Forbidden, InvalidInput, Unauthorized
from services.core.models import User
from services.core.throttle import Limit, Throttle

LOGIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]{3,19}")
MAX_LOGIN_FAILURES = 10
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_FAILURES = Limit(
    "login-failures",
    MAX_LOGIN_FAILURES,
    LOGIN_WINDOW,
    "Too many failed sign-ins; wait a few minutes.",
)
# Password spraying (a few guesses at many logins) from one address.
ADDRESS_LOGIN_FAILURES = Limit(
    "login-failures-address",
    50,
    LOGIN_WINDOW,
    "Too many failed sign-ins from your address; wait a few minutes.",
)
MAX_REGISTRATIONS = 5
REGISTRATION_WINDOW = timedelta(hours=1)
REGISTRATIONS = Limit(
    "registrations",
    MAX_REGISTRATIONS,
    REGISTRATION_WINDOW,
    "Too many accounts registered from your address; try again later.",
)
_hasher = PasswordHasher()
# Verified against when the login is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def login_problem(login: str) -> str | None:
    if not LOGIN_RE.fullmatch(login):
        return "4–20 Latin letters and digits, starting with a letter"
    return None


def password_problem(password: str) -> str | None:
    missing = []
    if len(password) < 6:
        missing.append("at least 6 characters")
    if not any(c.isupper() for c in password):
        missing.append("an upper-case letter")
    if not any(c.isdigit() for c in password):
        missing.append("a digit")
    if all(c.isalnum() for c in password):
        missing.append("a special character")
    if len(password) > 256:
        return "at most 256 characters"
    return "needs " + ", ".join(missing) if missing else None


def normalized_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput("The email address is not valid.", fields={"email": str(exc)}) from None


class AccountService:
    def __init__(self, *, users: UserService, audit: AuditService, throttle: Throttle) -> None:
        self._users = users
        self._audit = audit
        self._throttle = throttle

    async def register(
        self, *, login: str, password: str, full_name: str, email: str | None
    ) -> UserView:
        """A new account with a login; pending until an admin activates it (or AUTO_ACTIVATE)."""
        problems = {}
        if (problem := login_problem(login)) is not None:
            problems["login"] = problem
        if (problem := password_problem(password)) is not None:
            problems["password"] = problem
        if not full_name.strip():
            problems["full_name"] = "must not be empty"
        if email is not None:
            try:
                email = normalized_email(email)
            except InvalidInput as exc:
                problems.update(exc.fields)
        if problems:
            raise InvalidInput("Some fields are invalid.", fields=problems)
        slot = await self._throttle.take(REGISTRATIONS, current_origin())
        password_hash = await asyncio.to_thread(_hasher.hash, password)
        try:
            user = await User.create(
                login=login,
                password_hash=password_hash,
                full_name=full_name.strip()[:200],
                email=email,
                is_active=self._users.auto_activate,
            )
        except IntegrityError:
            await self._throttle.give_back(slot)
            raise Conflict("This login is taken.", code="login_taken") from None
        view = UserView.of(user)
        await self._audit.record(
            "register", actor_id=user.id, target_user_id=user.id, detail="login"
        )
        await self._users.announce(view)
        return view

    async def authenticate(self, login: str, password: str) -> UserView:
        """The user with this login and password (active or not: callers decide).

        The attempt is counted before the password is checked and given back when it was right,
        so at most MAX_LOGIN_FAILURES guesses per window are ever evaluated.
        """
        slots = await self._throttle.take_all(
            (LOGIN_FAILURES, login.lower()), (ADDRESS_LOGIN_FAILURES, current_origin())
        )
        user = await User.get_or_none(login=login) if LOGIN_RE.fullmatch(login) else None
        stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
        try:
            await asyncio.to_thread(_hasher.verify, stored, password)
            ok = user is not None and user.password_hash is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok or user is None:
            await self._audit.record(
                "login_failed", subject=login.lower(), target_user_id=user.id if user else None
            )
            raise Unauthorized("Wrong login or password.", code="bad_credentials")
        for slot in slots:
            await self._throttle.give_back(slot)
        if _hasher.check_needs_rehash(stored):
            new_hash = await asyncio.to_thread(_hasher.hash, password)
            await User.filter(id=user.id).update(password_hash=new_hash)
        await self._audit.record(
            "login", actor_id=user.id, target_user_id=user.id, detail="password"
        )
        return UserView.of(user)

    async def sign_in(self, login: str, password: str) -> UserView:
        """The active user with this login and password (pending users are told so)."""
        user = await self.authenticate(login, password)
        if not user.is_active:
            raise Forbidden("Your account is not active yet.", code="inactive_user")
        return user

    async def set_credentials(self, user_id: int, *, login: str, password: str) -> UserView:
        """Give a (Telegram) user a login and password, or change their login."""
        problems = {}
        if (problem := login_problem(login)) is not None:
            problems["login"] = problem
        if (problem := password_problem(password)) is not None:
            problems["password"] = problem
        if problems:
            raise InvalidInput("Some fields are invalid.", fields=problems)
        password_hash = await asyncio.to_thread(_hasher.hash, password)
        try:
            await User.filter(id=user_id).update(login=login, password_hash=password_hash)
        except IntegrityError:
            raise Conflict("This login is taken.", code="login_taken") from None
        await self._audit.record("set_credentials", actor_id=user_id, target_user_id=user_id)
        return await self._users.get(user_id)

    async def check_password(self, user_id: int, password: str) -> None:
        """Raise unless `password` is the user's password (confirming a dangerous action)."""
        if not await self._password_matches(await User.get(id=user_id), password):
            raise Unauthorized("Wrong login or password.", code="bad_credentials")

    async def _password_matches(self, user: User, password: str) -> bool:
        """Check a signed-in user's password under the same limits as signing in: a stolen
        session must not become a way to guess the password."""
        slots = await self._throttle.take_all(
            (LOGIN_FAILURES, (user.login or f"user:{user.id}").lower()),
            (ADDRESS_LOGIN_FAILURES, current_origin()),
        )
        try:
            if user.password_hash is None:
                return False
            await asyncio.to_thread(_hasher.verify, user.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        for slot in slots:
            await self._throttle.give_back(slot)
        return True

    async def update_profile(
        self,
        user_id: int,
        *,
        full_name: str | None = None,
        email: str | None = None,
        password: str | None = None,
        old_password: str | None = None,
    ) -> UserView:
        user = await User.get(id=user_id)
        update: dict[str, object] = {}
        if full_name is not None:
            if not full_name.strip():
                raise InvalidInput(
                    "Some fields are invalid.", fields={"full_name": "must not be empty"}
                )
            update["full_name"] = full_name.strip()[:200]
        if email is not None:
            update["email"] = normalized_email(email)
        if password is not None:
            if user.password_hash is not None:
                if old_password is None:
                    raise InvalidInput(
                        "Changing the password needs the old one.",
                        fields={"old_password": "required"},
                    )
                if not await self._password_matches(user, old_password):
                    raise InvalidInput(
                        "The old password is wrong.", fields={"old_password": "wrong"}
                    )
            if (problem := password_problem(password)) is not None:
                raise InvalidInput("Some fields are invalid.", fields={"password": problem})
            update["password_hash"] = await asyncio.to_thread(_hasher.hash, password)
        if update:
            await User.filter(id=user_id).update(**update)
            if "password_hash" in update:
                await self._audit.record(
                    "change_password", actor_id=user_id, target_user_id=user_id
                )
        return await self._users.get(user_id)
