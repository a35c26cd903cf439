"""Secrets ftpgram must read back (station passwords): encrypted with a key derived from
SECRET_KEY, so a copy of the database alone reveals nothing."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from services.core.errors import AppError


class SecretUnreadable(AppError):
    status = 500
    code = "secret_unreadable"


class SecretBox:
    """Authenticated encryption (Fernet) under a key derived per purpose with HKDF-SHA256."""

    def __init__(self, secret: bytes, purpose: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode()).derive(
            secret
        )
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def seal(self, plain: str) -> str:
        return "" if not plain else self._fernet.encrypt(plain.encode()).decode("ascii")

    def open(self, sealed: str) -> str:
        if not sealed:
            return ""
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except (InvalidToken, ValueError) as error:
            raise SecretUnreadable(
                "A stored password cannot be decrypted: SECRET_KEY changed. Enter it again."
            ) from error
