"""The messaging gateway over REST: bot tokens, sending with a bot token, history and edits."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from api.keys import BOT_TOKEN_KEY, services_of, user_of
from api.openapi import RouteTable, multipart_parts, read_body, read_query, respond, validate
from api.schemas import Page, PageQuery
from services.core.errors import InvalidInput
from services.core.models import MessageKind
from services.messaging.delivery import MessageView
from services.messaging.service import BotTokenView, NewBotToken
from services.storage.store import IncomingFile

routes = RouteTable(tag="messages")
MAX_FORM_FIELD = 70 * 1024


class MessageIn(BaseModel):
    text: str = Field(max_length=65536)
    title: str = Field(default="", max_length=256)
    format: Literal["plain", "markdown", "html"] = "plain"
    silent: bool = False
    disable_link_preview: bool = False


class MessageOut(BaseModel):
    id: int
    status: str = Field(description="queued, sending, sent or failed")
    type: str
    text: str
    title: str
    format: str
    bot_token_id: int | None
    telegram_message_ids: list[int]
    error: str
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, message: MessageView) -> MessageOut:
        return cls(
            id=message.id,
            status=message.status,
            type=message.kind,
            text=message.text,
            title=message.title,
            format=message.format,
            bot_token_id=message.bot_token_id,
            telegram_message_ids=message.telegram_message_ids,
            error=message.error,
            created_at=message.created_at,
            sent_at=message.sent_at,
        )


class MessagePage(Page):
    items: list[MessageOut]


class MessagePatch(BaseModel):
    text: str = Field(min_length=1, max_length=65536)
    format: Literal["plain", "markdown", "html"] | None = None


class BotTokenIn(BaseModel):
    code: str = Field(min_length=1, max_length=16, description="the code /tokens gives in the bot")
    label: str = Field(default="", max_length=100)


class BotTokenOut(BaseModel):
    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    messages_sent: int

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, token: BotTokenView) -> BotTokenOut:
        return cls.model_validate(token)


class NewBotTokenOut(BotTokenOut):
    answer: str = "success"
    bot_token: str = Field(description="shown once; keep it secret")

    @classmethod
    def new(cls, created: NewBotToken) -> NewBotTokenOut:
        return cls(**BotTokenOut.of(created.view).model_dump(), bot_token=created.token)


class BotTokenList(BaseModel):
    items: list[BotTokenOut]


class CodeSent(BaseModel):
    sent: bool = True


async def _form(request: web.Request) -> tuple[MessageIn, str, IncomingFile | None, str]:
    """A multipart message: text fields and at most one file (type Document or Photo)."""
    fields: dict[str, str] = {}
    incoming: IncomingFile | None = None
    name = "file"
    messaging = services_of(request).messaging
    try:
        async for part in multipart_parts(request):
            if part.name == "file" and incoming is None:
                name = part.filename or "file"
                incoming = await messaging.receive_attachment(
                    request[BOT_TOKEN_KEY], part.read_chunk
                )
            elif part.name:
                value = await part.read(limit=MAX_FORM_FIELD, decode=True)
                fields[part.name] = value.decode("utf-8", "replace")
        kind = fields.pop("type", MessageKind.DOCUMENT if incoming else MessageKind.TEXT).lower()
        if kind not in tuple(MessageKind):
            raise InvalidInput("Unknown message type.", fields={"type": "Text, Document or Photo"})
        for flag in ("silent", "disable_link_preview"):
            if flag in fields:
                fields[flag] = str(fields[flag].lower() in ("1", "true", "yes", "on")).lower()
        body = validate(MessageIn, {"text": "", **fields})
    except BaseException:
        if incoming is not None:
            await incoming.discard()
        raise
    return body, kind, incoming, name


@routes.post(
    "/api/v1/messages/",
    summary="Send a message to the bot token's owner (JSON, or "
    "multipart with a `file` of type Document or Photo)",
    auth="bot",
    body=MessageIn,
    response=MessageOut,
    status=202,
    errors=[400, 409, 413, 429, 507],
)
async def send_message(request: web.Request) -> web.Response:
    token = request[BOT_TOKEN_KEY]
    messaging = services_of(request).messaging
    if request.content_type.startswith("multipart/"):
        body, kind, incoming, name = await _form(request)
        try:
            message = await messaging.send(
                token,
                text=body.text,
                fmt=body.format,
                title=body.title,
                silent=body.silent,
                disable_link_preview=body.disable_link_preview,
                kind=kind,
                attachment=(incoming, name) if incoming else None,
            )
        finally:
            if incoming is not None:
                incoming.path.unlink(missing_ok=True)
    else:
        body = await read_body(request, MessageIn)
        message = await messaging.send(
            token,
            text=body.text,
            fmt=body.format,
            title=body.title,
            silent=body.silent,
            disable_link_preview=body.disable_link_preview,
        )
    return respond(MessageOut.of(message), status=202)


@routes.get(
    "/api/v1/messages/",
    summary="Messages to you, newest first, with their delivery state",
    query=PageQuery,
    response=MessagePage,
)
async def list_messages(request: web.Request) -> web.Response:
    query = read_query(request, PageQuery)
    items, total = await services_of(request).messaging.history(
        user_of(request), page=query.page, per_page=query.per_page
    )
    return respond(
        MessagePage(
            page=query.page,
            per_page=query.per_page,
            total=total,
            items=[MessageOut.of(m) for m in items],
        )
    )


@routes.patch(
    r"/api/v1/messages/{message_id:\d{1,18}}/",
    summary="Edit a message (in the chat when it was sent)",
    body=MessagePatch,
    response=MessageOut,
    errors=[404, 409],
)
async def edit_message(request: web.Request) -> web.Response:
    body = await read_body(request, MessagePatch)
    message = await services_of(request).messaging.edit(
        user_of(request), int(request.match_info["message_id"]), body.text, body.format
    )
    return respond(MessageOut.of(message))


@routes.delete(
    r"/api/v1/messages/{message_id:\d{1,18}}/",
    summary="Delete a message from the chat and the history",
    status=204,
    errors=[404],
)
async def delete_message(request: web.Request) -> web.Response:
    await services_of(request).messaging.delete(
        user_of(request), int(request.match_info["message_id"])
    )
    return web.Response(status=204)


@routes.post(
    "/api/v1/bot-tokens/code/",
    summary="Send a code for creating a bot token through the bot",
    response=CodeSent,
    status=202,
    errors=[429],
)
async def bot_token_code(request: web.Request) -> web.Response:
    await services_of(request).messaging.request_code(user_of(request))
    return respond(CodeSent(), status=202)


@routes.post(
    "/api/v1/bot-tokens/",
    summary="Create a bot token with a code from the bot",
    body=BotTokenIn,
    response=NewBotTokenOut,
    status=201,
    errors=[429],
)
async def create_bot_token(request: web.Request) -> web.Response:
    body = await read_body(request, BotTokenIn)
    created = await services_of(request).messaging.create_token_with_code(
        user_of(request), body.code, body.label
    )
    return respond(NewBotTokenOut.new(created), status=201)


@routes.get("/api/v1/bot-tokens/", summary="Your bot tokens", response=BotTokenList)
async def list_bot_tokens(request: web.Request) -> web.Response:
    tokens = await services_of(request).messaging.tokens(user_of(request).id)
    return respond(BotTokenList(items=[BotTokenOut.of(t) for t in tokens]))


@routes.delete(
    r"/api/v1/bot-tokens/{token_id:\d{1,18}}/",
    summary="Revoke a bot token",
    status=204,
    errors=[404],
)
async def revoke_bot_token(request: web.Request) -> web.Response:
    await services_of(request).messaging.revoke(
        user_of(request).id, int(request.match_info["token_id"])
    )
    return web.Response(status=204)
