"""Route tables that declare each endpoint once: the aiohttp routes (with and without a trailing
slash), the input parsing, and the OpenAPI document are all derived from that declaration."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeVar

from aiohttp import BodyPartReader, web
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from api.auth import Auth, Handler, guard
from api.schemas import ErrorBody
from services.errors import InvalidInput

ModelT = TypeVar("ModelT", bound=BaseModel)


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
    changes_state: bool = False  # a GET that changes something (seed routes): CSRF-checked


@dataclass
class RouteTable:
    """The endpoints of one resource module."""

    tag: str
    endpoints: list[Endpoint] = field(default_factory=list)

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
                )
            )
            return handler

        return register

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


def add_routes(app: web.Application, tables: Iterable[RouteTable]) -> None:
    """Every endpoint answers with and without a trailing slash (no redirect, so bodies survive)."""
    for table in tables:
        for endpoint in table.endpoints:
            bare = endpoint.path.rstrip("/") or "/"
            paths = {bare, bare + "/"} if bare != "/" else {"/"}
            handler = guard(endpoint.handler, endpoint.auth, endpoint.changes_state)
            for path in sorted(paths):
                if endpoint.method == "GET":
                    app.router.add_get(path, handler)  # answers HEAD too
                else:
                    app.router.add_route(endpoint.method, path, handler)


def _fields_of(error: ValidationError) -> dict[str, str]:
    result: dict[str, str] = {}
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "body"
        result.setdefault(name, str(item["msg"]).removeprefix("Value error, "))
    return result


async def read_body(request: web.Request, model: type[ModelT]) -> ModelT:
    """The JSON body as `model`; malformed JSON and invalid fields become a 400."""
    raw = await request.read()
    try:
        data = json.loads(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInput("The request body is not valid JSON.", code="malformed_json") from None
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.", code="malformed_json")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput("Some fields are missing or invalid.", fields=_fields_of(exc)) from None


async def file_part(request: web.Request) -> BodyPartReader:
    """The multipart part named `file` (other parts before it are skipped)."""
    if not request.content_type.startswith("multipart/"):
        raise InvalidInput(
            "Send the file as multipart/form-data in a field named 'file'.", code="not_multipart"
        )
    reader = await request.multipart()
    async for part in reader:
        if isinstance(part, BodyPartReader):
            if part.name == "file":
                return part
            await part.release()
    raise InvalidInput("The form has no field named 'file'.", fields={"file": "required"})


def read_query(request: web.Request, model: type[ModelT]) -> ModelT:
    try:
        return model.model_validate(dict(request.query))
    except ValidationError as exc:
        raise InvalidInput("Some query parameters are invalid.", fields=_fields_of(exc)) from None


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
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        doc_path = PATH_PARAM.sub(r"{\1}", endpoint.path)
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            "tags": [endpoint.tag],
            "operationId": endpoint.method.lower() + "_" + re.sub(r"\W+", "_", doc_path).strip("_"),
        }
        if endpoint.auth != "none":
            operation["security"] = [{"bearer": []}]
        parameters = [
            {
                "name": name,
                "in": "path",
                "required": True,
                "schema": {"type": "integer" if pattern == r"\d+" else "string"},
            }
            for name, pattern in _path_params(endpoint.path)
        ]
        if endpoint.query is not None:
            query_schema = endpoint.query.model_json_schema()
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
            str(endpoint.status): {
                "description": HTTPStatus(endpoint.status).phrase,
                **(
                    {"content": {"application/json": {"schema": _ref(endpoint.response)}}}
                    if endpoint.response is not None
                    else {}
                ),
            }
        }
        codes = set(endpoint.errors) | set(_AUTH_ERRORS[endpoint.auth])
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
            "schemas": schema.get("$defs", {}),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


PATH_PARAM = re.compile(r"\{(\w+)(?::(?:[^{}]|\{[^{}]*\})+)?\}")  # {name} or {name:regex}


def _path_params(path: str) -> list[tuple[str, str]]:
    """(name, regex) of each `{name}` or `{name:regex}` in a route path."""
    found = []
    for part in path.split("/"):
        if part.startswith("{") and part.endswith("}"):
            name, _, pattern = part[1:-1].partition(":")
            found.append((name, pattern))
    return found
