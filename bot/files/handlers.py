"""Stored files in the bot: files sent to the bot are stored; /myfiles lists them with send,
share, rename, comment and delete; bulk deletion by media type or age; /stats. Active users only
(router filter)."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    FSInputFile,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
)

from bot.callbacks import FileAction, FileCallback
from bot.files import keyboards, texts
from bot.files.telegram_files import download_limit, send_limit, telegram_reader
from bot.filters import ActiveUser
from bot.states import FileForm
from services.accounts.users import UserView
from services.container import Services
from services.storage.files import FileFilter, FilePage

PER_PAGE = 6


def _incoming(message: Message) -> tuple[str, str, int | None] | None:
    """(file id, name, size) of the file in a message, if any."""
    stamp = (message.date or datetime.now(UTC)).strftime("%Y%m%d_%H%M%S")
    if message.document:
        d = message.document
        return d.file_id, d.file_name or f"document_{stamp}", d.file_size
    if message.photo:
        p = message.photo[-1]
        return p.file_id, f"photo_{stamp}.jpg", p.file_size
    if message.video:
        v = message.video
        return v.file_id, v.file_name or f"video_{stamp}.mp4", v.file_size
    if message.audio:
        a = message.audio
        return a.file_id, a.file_name or f"audio_{stamp}.mp3", a.file_size
    if message.voice:
        return message.voice.file_id, f"voice_{stamp}.ogg", message.voice.file_size
    if message.video_note:
        return message.video_note.file_id, f"video_note_{stamp}.mp4", message.video_note.file_size
    if message.animation:
        a2 = message.animation
        return a2.file_id, a2.file_name or f"animation_{stamp}.mp4", a2.file_size
    return None


async def receive_file(message: Message, services: Services, user: UserView, bot: Bot) -> None:
    found = _incoming(message)
    if found is None:
        return
    file_id, name, size = found
    limit = download_limit(services.settings)
    if size is not None and size > limit:
        await message.answer(texts.file_too_big_for_bot(limit))
        return
    read = await telegram_reader(bot, file_id, local=services.settings.telegram_api_local)
    upload = await services.files.upload(
        user, name=name, read=read, declared_size=size, source="bot"
    )
    await message.answer(texts.file_saved(upload.file, created=upload.created))


async def _page(services: Services, user: UserView, number: int) -> FilePage:
    return await services.files.list_files(user, FileFilter(), page=number, per_page=PER_PAGE)


async def my_files(message: Message, services: Services, user: UserView) -> None:
    page = await _page(services, user, 1)
    await message.answer(texts.file_list(page), reply_markup=keyboards.file_list(page))


async def show_stats(message: Message, services: Services, user: UserView) -> None:
    items = await services.files.stats(user, FileFilter())
    await message.answer(texts.stats(items, await services.users.usage(user)))


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if query.message is not None and not isinstance(query.message, InaccessibleMessage):
        with contextlib.suppress(TelegramBadRequest):  # "message is not modified"
            await query.message.edit_text(text, reply_markup=markup)


def _link(services: Services, token: str) -> str:
    return f"{services.settings.base_url}/s/{token}"


async def _show_file(
    query: CallbackQuery, services: Services, user: UserView, file_id: int, page: int
) -> None:
    file = await services.files.get(user, file_id)
    share = await services.files.shared_link(user, file_id)
    link = _link(services, share.token) if share else None
    await _edit(
        query,
        texts.file_card(file, link),
        keyboards.file_card(file, page, has_link=share is not None),
    )


def _bulk_filter(media: str, days: int) -> FileFilter:
    before = datetime.now(UTC) - timedelta(days=days) if days else None
    return FileFilter(media_type=media or None, date_to=before)


async def file_action(
    query: CallbackQuery,
    callback_data: FileCallback,
    services: Services,
    user: UserView,
    state: FSMContext,
    bot: Bot,
) -> None:
    action, file_id, page = callback_data.action, callback_data.file_id, callback_data.page
    files = services.files
    note: str | None = None
    if action is FileAction.LIST:
        listing = await _page(services, user, page)
        await _edit(query, texts.file_list(listing), keyboards.file_list(listing))
    elif action is FileAction.OPEN:
        await _show_file(query, services, user, file_id, page)
    elif action is FileAction.SEND:
        file = await files.get(user, file_id)
        limit = send_limit(services.settings)
        if file.size <= limit:
            path = files.store.local_path(file.sha256)
            await bot.send_document(query.from_user.id, FSInputFile(path, filename=file.name))
            await files.mark_downloaded(file.id)
        else:
            share = await files.shared_link(user, file_id) or await files.share(user, file_id)
            await bot.send_message(
                query.from_user.id, texts.file_by_link(file, _link(services, share.token), limit)
            )
    elif action in (FileAction.LINK, FileAction.NEW_LINK):
        await files.share(user, file_id)
        await _show_file(query, services, user, file_id, page)
    elif action is FileAction.REVOKE_LINK:
        await files.unshare(user, file_id)
        await _show_file(query, services, user, file_id, page)
    elif action in (FileAction.RENAME, FileAction.COMMENT):
        await files.get(user, file_id)
        await state.set_state(FileForm.rename if action is FileAction.RENAME else FileForm.comment)
        await state.update_data(file_id=file_id)
        ask = texts.ask_new_name() if action is FileAction.RENAME else texts.ask_comment()
        await bot.send_message(query.from_user.id, ask)
    elif action is FileAction.DELETE:
        file = await files.get(user, file_id)
        await _edit(
            query, texts.confirm_delete_file(file), keyboards.confirm_file_delete(file, page)
        )
    elif action is FileAction.CONFIRM_DELETE:
        deleted = await files.delete(user, file_id)
        note = texts.file_deleted(deleted.name)
        listing = await _page(services, user, 1)
        await _edit(query, texts.file_list(listing), keyboards.file_list(listing))
    elif action is FileAction.BULK:
        await _edit(query, texts.bulk_menu(), keyboards.bulk_menu())
    elif action is FileAction.BULK_ASK:
        where = _bulk_filter(callback_data.media, callback_data.days)
        matching = (
            await files.delete_where(user, where, dry_run=True)
            if (where.media_type or where.date_to)
            else []
        )
        await _edit(
            query,
            texts.bulk_confirm(len(matching), sum(f.size for f in matching)),
            keyboards.bulk_confirm(callback_data.media, callback_data.days, len(matching)),
        )
    elif action is FileAction.BULK_CONFIRM:
        deleted_files = await files.delete_where(
            user, _bulk_filter(callback_data.media, callback_data.days)
        )
        note = texts.bulk_done(len(deleted_files))
        listing = await _page(services, user, 1)
        await _edit(query, texts.file_list(listing), keyboards.file_list(listing))
    await query.answer(note)


async def receive_name(
    message: Message, state: FSMContext, services: Services, user: UserView
) -> None:
    file_id = int((await state.get_data())["file_id"])
    file = await services.files.update(user, file_id, name=message.text or "")
    await state.clear()
    await message.answer(texts.file_card(file))


async def receive_comment(
    message: Message, state: FSMContext, services: Services, user: UserView
) -> None:
    file_id = int((await state.get_data())["file_id"])
    text = (message.text or "").strip()
    file = await services.files.update(user, file_id, comment="" if text == "-" else text)
    await state.clear()
    await message.answer(texts.file_card(file))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(ActiveUser())
    router.callback_query.filter(ActiveUser())
    router.message.register(my_files, Command("myfiles"))
    router.message.register(show_stats, Command("stats"))
    router.message.register(receive_name, FileForm.rename, F.text)
    router.message.register(receive_comment, FileForm.comment, F.text)
    router.message.register(
        receive_file,
        F.document | F.photo | F.video | F.audio | F.voice | F.video_note | F.animation,
    )
    router.callback_query.register(file_action, FileCallback.filter())
    return router
