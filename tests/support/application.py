"""The whole service started in-process (the `application` fixture), seen from a test."""

from __future__ import annotations

from ftpgram.app import Application
from services.container import Services


def services_of(application: Application) -> Services:
    """The service layer of the running application."""
    assert application.services is not None
    return application.services
