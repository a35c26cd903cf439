"""Schemathesis against the served `/api/v1/openapi.json`: every operation, fed generated input
(valid and invalid by the document) as an administrator and as an ordinary user, must answer
as the document says (status, content type, body schema) and never with a 5xx it does not
document on purpose (507 over quota, 502 a station failing; a 500 never).

Bounded and deterministic: a fixed number of examples per operation and mode, derandomized, no
shrinking and no example database, so a run is the same run each time. The generated requests go
to the in-process test server only; routes that would reach out to the network (FTP stations) or
take the callers' own access away are left out (`EXCLUDED`).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import requests
import schemathesis
from aiohttp import web
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, CheckContext, GenerationMode, Response
from schemathesis.core.failures import ServerError
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.compat import compat_route_tables
from api.openapi import build_openapi
from api.routes import route_tables
from services.container import Services
from tests.support.people import bearer, make_user

Client = TestClient[web.Request, web.Application]
EXAMPLES = 10  # per operation, caller and generation mode


def no_server_error(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Schemathesis's `not_a_server_error`, except for the 5xx an operation documents on purpose
    (507 over the quota, 502 a station failing, 503 a part down). A 500 is never documented."""
    status = response.status_code
    if status >= 500 and (
        status == 500 or str(status) not in case.operation.responses.status_codes
    ):
        raise ServerError(operation=case.operation.label, status_code=status)
    return None


CHECKS = [
    no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXCLUDED = {
    # Reach out to FTP hosts the fuzzer makes up (a station is polled as soon as it is added).
    ("POST", "/api/v1/admin/stations/"): "adds a station and polls it",
    ("POST", "/api/v1/admin/add_new_ftp_server/"): "adds a station and polls it (compatibility)",
    ("POST", "/api/v1/admin/stations/test/"): "connects to the given FTP host",
    ("PATCH", "/api/v1/admin/stations/{station_id}/"): "may point a station at another host",
    ("POST", "/api/v1/admin/stations/{station_id}/test/"): "connects to the station",
    ("POST", "/api/v1/admin/stations/{station_id}/poll/"): "connects to the station",
    # Take the callers' own access away, which would end the run's meaning for later operations.
    ("DELETE", "/api/v1/admin/users/{user_id}/"): "deletes users, the callers among them",
    ("PATCH", "/api/v1/admin/users/{user_id}/"): "may deactivate or demote the callers",
    ("POST", "/api/v1/admin/users/deactivate/"): "may deactivate the callers",
    ("POST", "/api/v1/admin/deactivate_users/"): "may deactivate the callers (compatibility)",
    ("DELETE", "/api/v1/account/"): "deletes the caller",
    ("DELETE", "/api/user/"): "deletes the caller (compatibility)",
    ("DELETE", "/api/v1/account/tokens/{token_id}/"): "may revoke the caller's token",
    ("POST", "/api/v1/auth/logout/"): "revokes the caller's token",
    ("GET", "/logout"): "revokes the caller's token (compatibility)",
}


# Headers that frame the HTTP message itself: a bad one is refused by aiohttp's parser with a
# plain-text 400 before any route runs, so it tests the HTTP library, not the document.
FRAMING = {"content-length", "transfer-encoding", "host", "connection"}


def unframed(case: Case[Any]) -> Case[Any]:
    for name in [k for k in case.headers or {} if k.lower() in FRAMING]:
        del case.headers[name]
    return case


def fuzz(base_url: str, callers: dict[str, str]) -> tuple[list[str], int]:
    """Run every operation for every caller; the failures found (one per operation, caller and
    mode: no shrinking) and how many operations ran. Blocking: runs in a thread."""
    schema = schemathesis.openapi.from_url(f"{base_url}/api/v1/openapi.json")
    failures: list[str] = []
    ran = 0
    with requests.Session() as session:
        for result in schema.get_all_operations():
            if not isinstance(result, Ok):
                failures.append(f"An operation the document does not describe well: {result.err()}")
                continue
            operation = result.ok()
            if (operation.method.upper(), operation.path) in EXCLUDED:
                continue
            ran += 1
            for who, token in callers.items():
                # Scripts ask for JSON; browsers get the form routes' pages, which the document
                # does not describe.
                headers = {**bearer(token), "Accept": "application/json"}
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                    strategy = operation.as_strategy(generation_mode=mode).map(unframed)
                    problem = _run(strategy, base_url, session, headers)
                    if problem is not None:
                        failures.append(f"{operation.label} as {who} ({mode.value}): {problem}")
    return failures, ran


def _run(
    strategy: st.SearchStrategy[Case[Any]],
    base_url: str,
    session: requests.Session,
    headers: dict[str, str],
) -> str | None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def check(case: Case[Any]) -> None:
        case.call_and_validate(base_url=base_url, session=session, headers=headers, checks=CHECKS)

    try:
        check()
    except Unsatisfiable:  # no input to make invalid: the negative mode has nothing to try
        return None
    except (Exception, BaseExceptionGroup) as exc:  # each is reported, with its request
        return f"{type(exc).__name__}: {exc}"
    return None


# What is fuzzed is the HTTP edge; the backends are covered by the other tests.
@pytest.mark.timeout(300)
async def test_every_operation_survives_generated_input(client: Client, services: Services) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    member = await make_user(services, 9001, name="Alice")
    callers = {
        "admin": await services.auth.issue_token(admin.id, "fuzz"),
        "user": await services.auth.issue_token(member.id, "fuzz"),
    }
    base_url = str(client.make_url("")).rstrip("/")
    # Schemathesis speaks blocking HTTP: it runs in a thread while this loop serves it.
    failures, ran = await asyncio.to_thread(fuzz, base_url, callers)
    assert ran >= 60, ran
    assert not failures, "\n\n".join(failures)
    # The callers kept their access throughout, so every operation was tried as each of them.
    for token in callers.values():
        assert (await services.auth.authenticate(token)).is_active


def test_every_excluded_operation_exists() -> None:
    """A stale entry would hide nothing, and hide that it does."""
    document = build_openapi([*route_tables(), *compat_route_tables()], title="t", version="1")
    for method, path in EXCLUDED:
        assert method.lower() in document["paths"].get(path, {}), (method, path)
