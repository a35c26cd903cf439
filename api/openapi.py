"""Route tables that declare each endpoint once: the aiohttp routes (with and without a trailing
slash), the input parsing, and the OpenAPI document are all derived from that declaration."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypeVar

from aiohttp import BodyPartReader, MultipartReader, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.multipart import BadContentDispositionHeader, BadContentDispositionParam
from multidict import CIMultiDictProxy
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from api.auth import Auth, Handler, guard
from api.schemas import ROW_ID_MAX, ErrorBody
from services.core.errors import InvalidInput

ModelT = TypeVar("ModelT", bound=BaseModel)
# What a BIGINT column holds; every integer the API takes in is refused outside this range.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    auth: Auth
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    changes_state: bool = False  # a GET that changes something (older routes): CSRF-checked
    # Path parameters that are Telegram ids (64-bit): every other `{name_id:\d{1,N}}` is a row id.
    telegram_ids: tuple[str, ...] = ()
    # Success statuses besides `status`, with the same body (200: "you had this already").
    other_statuses: tuple[int, ...] = ()
    # Kept only for older clients (the compatibility routes): "deprecated" in the document.
    deprecated: bool = False
    # For such a route, what new clients call instead ("POST /api/v1/downloads/"), if anything.
    canonical: str = ""

    def doc_path(self) -> str:
        """The path as the OpenAPI document writes it: `{name}` without its pattern."""
        return PATH_PARAM.sub(r"{\1}", self.path)

    def row_ids(self) -> list[str]:
        """Path parameters naming a row: beyond `ROW_ID_MAX` they name none."""
        return [
            name
            for name, pattern in _path_params(self.path)
            if name not in self.telegram_ids and _is_number(name, pattern)
        ]


@dataclass
class RouteTable:
    """The endpoints of one resource module. A `deprecated` table holds routes kept for older
    clients: each of its endpoints is marked so in the document."""

    tag: str
    endpoints: list[Endpoint] = field(default_factory=list)
    deprecated: bool = False

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        auth: Auth = "user",
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        errors: Iterable[int] = (),
        changes_state: bool = False,
        telegram_ids: Iterable[str] = (),
        other_statuses: Iterable[int] = (),
        canonical: str = "",
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.endpoints.append(
                Endpoint(
                    method,
                    path,
                    handler,
                    summary,
                    self.tag,
                    auth,
                    body,
                    query,
                    response,
                    status,
                    tuple(errors),
                    changes_state,
                    tuple(telegram_ids),
                    tuple(other_statuses),
                    deprecated=self.deprecated,
                    canonical=canonical,
                )
            )
            return handler

        return register

    def endpoint(self, handler: Handler) -> Endpoint:
        """The one endpoint `handler` serves in this table."""
        found = [e for e in self.endpoints if e.handler is handler]
        if len(found) != 1:
            raise LookupError(f"{handler.__name__} serves {len(found)} endpoints in {self.tag}")
        return found[0]

    def alias(
        self,
        of: Endpoint,
        path: str,
        *,
        summary: str,
        method: str | None = None,
        params: Mapping[str, str] | None = None,
    ) -> None:
        """`of` once more at another path (and method), declared as `of` is (rights, input,
        answers) and served by its handler; `of` is named as the route to use instead.
        `params` maps the path's parameter names to those of `of`'s path where they differ
        (`{"file_id": "download_id"}`): the handler finds each under its own name."""
        names = dict(params or {})
        back = {new: old for old, new in names.items()}
        self.endpoints.append(
            replace(
                of,
                method=method or of.method,
                path=path,
                handler=path_params_renamed(of.handler, names) if names else of.handler,
                summary=summary,
                tag=self.tag,
                telegram_ids=tuple(back.get(name, name) for name in of.telegram_ids),
                deprecated=self.deprecated,
                canonical=f"{of.method} {of.doc_path()}",
            )
        )

    def get(self, path: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self.route("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Callable[[Handler], Handler]:
        return self.route("DELETE", path, **kwargs)


def path_params_renamed(handler: Handler, names: Mapping[str, str]) -> Handler:
    """`handler` for a path whose parameters are named otherwise than it reads them: each
    `old: new` of `names` is found under `new` too."""

    async def renamed(request: web.Request) -> web.StreamResponse:
        for old, new in names.items():
            request.match_info[new] = request.match_info[old]
        return await handler(request)

    renamed.__name__ = handler.__name__
    return renamed


def add_routes(app: web.Application, tables: Iterable[RouteTable]) -> None:
    """Every endpoint answers with and without a trailing slash (no redirect, so bodies survive)."""
    for table in tables:
        for endpoint in table.endpoints:
            bare = endpoint.path.rstrip("/") or "/"
            paths = {bare, bare + "/"} if bare != "/" else {"/"}
            handler = guard(
                _row_ids_checked(endpoint.handler, endpoint.row_ids()),
                endpoint.auth,
                endpoint.changes_state,
            )
            for path in sorted(paths):
                if endpoint.method == "GET":
                    app.router.add_get(path, handler)  # answers HEAD too
                else:
                    app.router.add_route(endpoint.method, path, handler)


def _row_ids_checked(handler: Handler, names: list[str]) -> Handler:
    """A row id in the path beyond what an id column holds (32 bits on PostgreSQL, where the
    driver would fail on it) names no row: 404, before the handler queries anything."""
    if not names:
        return handler

    async def checked(request: web.Request) -> web.StreamResponse:
        if any(int(request.match_info[name]) > ROW_ID_MAX for name in names):
            raise web.HTTPNotFound()
        return await handler(request)

    checked.__name__ = handler.__name__
    return checked


def _fields_of(error: ValidationError) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        result.setdefault(name, str(item["msg"]).removeprefix("Value error, "))
    return result


def parse_json(raw: bytes) -> Any:
    """JSON text as Python values. Whatever `json` cannot take is the client's mistake: bad
    syntax or encoding, nesting deeper than the interpreter's recursion limit (RecursionError),
    an integer of more than 4,300 digits (ValueError)."""
    try:
        return json.loads(raw or b"null")
    except RecursionError:
        raise InvalidInput(
            "The request body is nested too deeply.", code="malformed_json"
        ) from None
    except ValueError:  # JSONDecodeError and UnicodeDecodeError among them
        raise InvalidInput("The request body is not valid JSON.", code="malformed_json") from None


def text_problem(text: str) -> str | None:
    """Why the database cannot store this string, or None. PostgreSQL refuses NUL in text, and
    a lone surrogate (JSON's "\\ud800") cannot be encoded to UTF-8 for any backend."""
    if "\x00" in text:
        return "must not contain NUL characters"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def refuse_unstorable(value: Any, message: str = "Some fields are missing or invalid.") -> None:
    """Refuse validated input that no column can hold, anywhere in nested models, lists and
    dicts: integers outside the signed 64-bit range, strings `text_problem` finds, and times that
    fall off the calendar in UTC. Pydantic's `int` is unbounded, so without this a 21-digit number
    reaches the database driver and fails there. The walk is iterative: input may be as deep as
    the JSON parser allowed."""
    problems: dict[str, str] = {}
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        name, item = stack.pop()
        if isinstance(item, bool):
            continue
        if isinstance(item, int):
            if not INT64_MIN <= item <= INT64_MAX:
                problems.setdefault(name or "body", f"must be between {INT64_MIN} and {INT64_MAX}")
        elif isinstance(item, str):
            if (problem := text_problem(item)) is not None:
                problems.setdefault(name or "body", problem)
        elif isinstance(item, datetime) and item.tzinfo is not None:
            try:  # stored in UTC: 0001-01-01T00:00+01:00 is before the calendar starts
                item.astimezone(UTC)
            except OverflowError:
                problems.setdefault(name or "body", "is out of range")
        elif isinstance(item, BaseModel):
            for field, info in reversed(type(item).model_fields.items()):
                stack.append((_join(name, info.alias or field), getattr(item, field)))
            for key, extra in (item.model_extra or {}).items():
                stack.append((_join(name, str(key)), extra))
        elif isinstance(item, dict):
            for key, entry in reversed(item.items()):
                stack.append((_join(name, str(key)), entry))
                stack.append((name, key))  # a bad key is reported at its dict
        elif isinstance(item, list | tuple | set | frozenset):
            entries = [(_join(name, str(i)), entry) for i, entry in enumerate(item)]
            stack.extend(reversed(entries))  # popped in order
    if problems:
        raise InvalidInput(message, fields=problems)


async def read_body(request: web.Request, model: type[ModelT]) -> ModelT:
    """The JSON body as `model`; malformed JSON, invalid fields and values the database cannot
    store become a 400."""
    data = parse_json(await request.read())
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", code="malformed_json")
    return validate(model, data)


def validate(model: type[ModelT], data: dict[str, Any]) -> ModelT:
    """`data` (a parsed body or form) as `model`; invalid fields and values the database cannot
    store become a 400."""
    try:
        body = model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("Some fields are missing or invalid.", fields=_fields_of(exc)) from None
    refuse_unstorable(body)
    return body


def read_query(request: web.Request, model: type[ModelT]) -> ModelT:
    try:
        query = model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise InvalidInput("Some query parameters are invalid.", fields=_fields_of(exc)) from None
    refuse_unstorable(query, "Some query parameters are invalid.")
    return query


# ---- multipart -------------------------------------------------------------------------------

# What aiohttp's multipart parser raises on a body that breaks the format: ValueError (no or a
# bad boundary, a body that ends before its closing boundary, a bad part Content-Length, bad
# base64), AssertionError (its internal checks), HttpProcessingError (a part header with NUL, CR,
# no colon, too long or too many), ConnectionError (the client went away mid-body), and its
# warnings about a malformed Content-Disposition where warnings are errors (as under pytest).
_MULTIPART_ERRORS: tuple[type[BaseException], ...] = (
    ValueError,
    AssertionError,
    HttpProcessingError,
    ConnectionError,
    BadContentDispositionHeader,
    BadContentDispositionParam,
)
_MALFORMED_MULTIPART = "The multipart body is malformed or ends early."


@contextmanager
def _multipart_errors(*extra: type[BaseException]) -> Iterator[None]:
    try:
        yield
    except _MULTIPART_ERRORS + extra as exc:
        raise InvalidInput(_MALFORMED_MULTIPART, code="malformed_multipart") from exc


class FormPart:
    """One part of a multipart body. Every read turns aiohttp's parse errors into
    `InvalidInput(code="malformed_multipart")`, including a body that stops before the part's
    closing boundary (aiohttp's `read_chunk` then returns b"" as if the part had ended)."""

    def __init__(self, part: BodyPartReader) -> None:
        self._part = part
        # The Content-Disposition is parsed here, once: aiohttp only warns about a malformed one
        # (and then drops the name), which would take a broken part for an unnamed one.
        with warnings.catch_warnings():
            warnings.simplefilter("error", BadContentDispositionHeader)
            warnings.simplefilter("error", BadContentDispositionParam)
            try:
                self.name: str | None = part.name
                self.filename: str | None = part.filename
            except (BadContentDispositionHeader, BadContentDispositionParam) as exc:
                raise InvalidInput(
                    "A part's Content-Disposition header is malformed.", code="malformed_multipart"
                ) from exc

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        return self._part.headers

    def at_eof(self) -> bool:
        return self._part.at_eof()

    async def read_chunk(self, size: int = BodyPartReader.chunk_size) -> bytes:
        """Up to `size` bytes of the part; b"" once its closing boundary was reached."""
        with _multipart_errors():
            chunk = await self._part.read_chunk(size)
        if not chunk and not self._part.at_eof():
            raise InvalidInput(_MALFORMED_MULTIPART, code="malformed_multipart")
        return chunk

    async def read(self, *, limit: int, decode: bool = False) -> bytes:
        """The whole part (a form field); over `limit` bytes is a 400 naming the field. `decode`
        applies the part's Content-Transfer-Encoding (an unknown one is malformed too)."""
        data = bytearray()
        while chunk := await self.read_chunk():
            data.extend(chunk)
            self._check_length(data, limit)
        if not decode:
            return bytes(data)
        decoded = bytearray()
        with _multipart_errors(RuntimeError):  # RuntimeError: an unknown encoding
            async for piece in self._part.decode_iter(data):
                decoded.extend(piece)
                self._check_length(decoded, limit)
        return bytes(decoded)

    def _check_length(self, data: bytearray, limit: int) -> None:
        if len(data) > limit:
            raise InvalidInput(
                "A form field is too long.", fields={self.name or "form": "too long"}
            )

    async def release(self) -> None:
        """Skip the rest of the part."""
        while await self.read_chunk():
            pass


class _Parts:
    def __init__(self, request: web.Request) -> None:
        self._request = request
        self._reader: MultipartReader | None = None

    def __aiter__(self) -> _Parts:
        return self

    async def __anext__(self) -> FormPart:
        with _multipart_errors(RuntimeError):  # RuntimeError: a bad `_charset_` field
            if self._reader is None:
                self._reader = await self._request.multipart()
            while True:
                part = await self._reader.next()  # releases what the caller left unread
                if part is None:
                    raise StopAsyncIteration
                if isinstance(part, BodyPartReader):
                    break
                await part.release()  # a nested multipart: form data has none worth reading
        return FormPart(part)


def multipart_parts(request: web.Request) -> AsyncIterator[FormPart]:
    """The parts of a multipart body, in order, for `async for`. Nothing it yields or reads ever
    raises aiohttp's parse errors: a body that is not multipart, has no boundary, carries a part
    header with NUL or CR, or ends before its closing boundary is `InvalidInput` (400), code
    `not_multipart` or `malformed_multipart` — also mid-stream, from `FormPart.read_chunk`, which
    callers may hand to services as a plain `read(n)`. A part the caller leaves unread is skipped
    when the next one is asked for."""
    if not request.content_type.startswith("multipart/"):
        raise InvalidInput("Send the form as multipart/form-data.", code="not_multipart")
    return _Parts(request)


async def file_part(request: web.Request) -> FormPart:
    """The multipart part named `file` (other parts before it are skipped)."""
    if not request.content_type.startswith("multipart/"):
        raise InvalidInput(
            "Send the file as multipart/form-data in a field named 'file'.", code="not_multipart"
        )
    async for part in multipart_parts(request):
        if part.name == "file":
            return part
        await part.release()
    raise InvalidInput("The form has no field named 'file'.", fields={"file": "required"})


def respond(model: BaseModel, status: int = 200) -> web.Response:
    return web.json_response(text=model.model_dump_json(), status=status)


_AUTH_ERRORS = {"user": (401, 403), "admin": (401, 403), "bot": (401,), "none": ()}


def build_openapi(tables: Iterable[RouteTable], *, title: str, version: str) -> dict[str, Any]:
    endpoints = [e for table in tables for e in table.endpoints]
    models: set[type[BaseModel]] = {ErrorBody}
    for endpoint in endpoints:
        models.update(m for m in (endpoint.body, endpoint.response) if m is not None)
    _, schema = models_json_schema(
        [(m, "validation") for m in sorted(models, key=lambda m: m.__name__)],
        ref_template="#/components/schemas/{model}",
    )
    components: dict[str, Any] = schema.get("$defs", {})
    bounded: set[str] = set()
    for endpoint in endpoints:
        if endpoint.body is not None:
            _bound_integers(_ref(endpoint.body), components, bounded)
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        doc_path = endpoint.doc_path()
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            "tags": [endpoint.tag],
            "operationId": endpoint.method.lower() + "_" + re.sub(r"\W+", "_", doc_path).strip("_"),
        }
        if endpoint.deprecated:
            operation["deprecated"] = True
        if endpoint.canonical:
            operation["description"] = (
                f"Kept for older clients; new ones use `{endpoint.canonical}`."
            )
        if endpoint.auth != "none":
            operation["security"] = [{"bearer": []}]
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": _path_schema(endpoint, name, pattern),
            }
            for name, pattern in _path_params(endpoint.path)
        ]
        if endpoint.query is not None:
            query_schema = endpoint.query.model_json_schema()
            _bound_integers(query_schema, query_schema.get("$defs", {}), set())
            required = set(query_schema.get("required", []))
            for name, prop in query_schema.get("properties", {}).items():
                parameters.append(
                    {"name": name, "in": "query", "required": name in required, "schema": prop}
                )
        if parameters:
            operation["parameters"] = parameters
        if endpoint.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(endpoint.body)}},
            }
        responses: dict[str, Any] = {
            str(status): {
                "description": HTTPStatus(status).phrase,
                **(
                    {"content": {"application/json": {"schema": _ref(endpoint.response)}}}
                    if endpoint.response is not None
                    else {}
                ),
            }
            for status in (endpoint.status, *endpoint.other_statuses)
        }
        codes = set(endpoint.errors) | set(_AUTH_ERRORS[endpoint.auth])
        if _path_params(endpoint.path):
            codes.add(404)  # the router's answer to a value its pattern does not take
        if endpoint.body is not None or endpoint.query is not None:
            codes.add(400)
        for code in sorted(codes):
            responses[str(code)] = {
                "description": HTTPStatus(code).phrase,
                "content": {"application/json": {"schema": _ref(ErrorBody)}},
            }
        operation["responses"] = responses
        paths.setdefault(doc_path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _bound_integers(schema: Any, components: dict[str, Any], seen: set[str]) -> None:
    """Give every integer in an input schema the bounds `refuse_unstorable` enforces, where it
    declares none of its own; `$ref`s are followed into `components` (each visited once)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[-1]
            if name not in seen and name in components:
                seen.add(name)
                stack.append(components[name])
        kind = node.get("type")
        if kind == "integer" or (isinstance(kind, list) and "integer" in kind):
            if "minimum" not in node and "exclusiveMinimum" not in node:
                node["minimum"] = INT64_MIN
            if "maximum" not in node and "exclusiveMaximum" not in node:
                node["maximum"] = INT64_MAX
        stack.extend(value for key, value in node.items() if key != "$ref")


_DIGITS = re.compile(r"\\d\{1,(\d+)\}")  # \d{1,N}: a number of at most N digits


def _is_number(name: str, pattern: str) -> bool:
    """`{thing_id:\\d{1,N}}`: an id (other digit strings, like a sign-in code, are text)."""
    return name.endswith("_id") and _DIGITS.fullmatch(pattern) is not None


def _path_schema(endpoint: Endpoint, name: str, pattern: str) -> dict[str, Any]:
    """What a path parameter's route pattern accepts, as a schema: anything else is a 404. Ids
    are numbers; other digit strings (a sign-in code: "0042" is not "42") stay strings."""
    if name in endpoint.row_ids():
        return {"type": "integer", "minimum": 0, "maximum": ROW_ID_MAX}
    digits = _DIGITS.fullmatch(pattern)
    if digits is not None and _is_number(name, pattern):  # a Telegram id
        return {"type": "integer", "minimum": 0, "maximum": 10 ** int(digits[1]) - 1}
    if pattern:
        return {"type": "string", "pattern": f"^(?:{pattern})$"}
    return {"type": "string", "pattern": "^[^/]+$"}


PATH_PARAM = re.compile(r"\{(\w+)(?::(?:[^{}]|\{[^{}]*\})+)?\}")  # {name} or {name:regex}


def _path_params(path: str) -> list[tuple[str, str]]:
    """(name, regex) of each `{name}` or `{name:regex}` in a route path."""
    found = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name, _, pattern = part[1:-1].partition(":")
            found.append((name, pattern))
    return found
