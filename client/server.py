"""One ftpgram server over HTTP: requests with the token, the server's JSON errors and network
failures turned into `ClientError`s with their exit codes. The token travels only in the
Authorization header, never in a URL or a message.

aiohttp (a sixth of a second to import) is imported when a `Server` is opened, not with this
module: `ftpgram client --help` and a usage error never pay for it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

from client.errors import AUTH, UNAVAILABLE, ClientError, exit_code_for

if TYPE_CHECKING:
    import aiohttp

USER_AGENT = "ftpgram-client/0.1"
CONNECT_TIMEOUT = 15.0
READ_TIMEOUT = 120.0


class NetworkError(ClientError):
    """The connection failed or broke: worth retrying for a transfer."""

    def __init__(self, message: str) -> None:
        super().__init__(message, UNAVAILABLE, code="network")


class Server:
    def __init__(self, url: str, token: str | None = None) -> None:
        self.url = url
        self.token = token
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Server:
        import aiohttp

        self._session = aiohttp.ClientSession(
            headers={"User-Agent": USER_AGENT},
            timeout=aiohttp.ClientTimeout(
                total=None, sock_connect=CONNECT_TIMEOUT, sock_read=READ_TIMEOUT
            ),
            # Redirects could carry the Authorization header elsewhere; ftpgram never redirects.
            raise_for_status=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    @contextlib.asynccontextmanager
    async def open(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """A response to read; network failures (also while reading it) become NetworkError."""
        import aiohttp  # loaded by __aenter__ already

        assert self._session is not None, "use 'async with Server(...)'"
        try:
            async with self._session.request(
                method,
                self.url + path,
                headers=self._headers(headers),
                allow_redirects=False,
                **kwargs,
            ) as response:
                yield response
        except aiohttp.ClientConnectorError as exc:
            raise NetworkError(f"Cannot reach {self.url}: {exc.os_error.strerror or exc}") from None
        except aiohttp.ClientResponseError as exc:
            raise NetworkError(f"{self.url} sent a broken answer: {exc.message}") from None
        except aiohttp.ClientError as exc:
            raise NetworkError(f"The connection to {self.url} broke: {_describe(exc)}") from None
        except TimeoutError:
            raise NetworkError(f"{self.url} did not answer in time.") from None

    async def call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
    ) -> Any:
        """A JSON request; the JSON answer (None for 204)."""
        kwargs: dict[str, Any] = {}
        if params:
            kwargs["params"] = {k: str(v) for k, v in params.items()}
        if body is not None:
            kwargs["json"] = body
        async with self.open(method, path, **kwargs) as response:
            await raise_for_error(response, self.url)
            if response.status == 204:
                return None
            return await read_json(response, self.url)


def _describe(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def not_ftpgram(server: str, response: aiohttp.ClientResponse) -> ClientError:
    detail = f"HTTP {response.status} {response.reason or ''}".strip()
    detail += f", {response.content_type or 'no content type'}"
    return ClientError(
        f"{server} did not answer like an ftpgram server ({detail}). Check the server address.",
        UNAVAILABLE,
        code="not_ftpgram",
    )


async def read_json(response: aiohttp.ClientResponse, server: str) -> Any:
    text = await response.text(errors="replace")
    try:
        return json.loads(text)
    except ValueError:
        raise not_ftpgram(server, response) from None


async def raise_for_error(response: aiohttp.ClientResponse, server: str) -> None:
    """Turn an error answer into a ClientError with the server's own message; an error that is
    not ftpgram's `{"error": {"code", "message"}}` means the address is not an ftpgram server."""
    if response.status < 400:
        return
    import aiohttp  # loaded by Server.__aenter__ already

    error: Any = None
    with contextlib.suppress(ValueError, aiohttp.ClientError):
        body = json.loads(await response.text(errors="replace"))
        error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or not isinstance(error.get("message"), str):
        if response.status >= 500:
            message = f"{server} failed: HTTP {response.status} {response.reason or ''}".strip()
            raise ClientError(message, UNAVAILABLE, code="server_error")
        raise not_ftpgram(server, response)
    code, message = str(error.get("code", "")), error["message"]
    fields = error.get("fields") or {}
    if isinstance(fields, dict) and fields:
        message += " (" + "; ".join(f"{k}: {v}" for k, v in fields.items()) + ")"
    exit_code = exit_code_for(response.status)
    if response.status == 401:
        message += " Log in again: ftpgram client login"
    raise ClientError(message, exit_code if response.status != 401 else AUTH, code=code)
