"""The form routes for simple clients at the root, on the same accounts and storage as
everything else: POST /register and /login (form fields `username`, `password`), GET /logout,
POST /upload (multipart field `file`), GET /files and GET /download/<filename>.

Each answers JSON to scripts (they ask for it with `Accept: application/json`, or send JSON) and
pages or redirects to browsers; /register, /login and /logout are also where the sign-in pages'
own forms post. A session from /login is the `ftpgram_session` cookie; the same token comes back
in the JSON answer, for `Authorization: Bearer`. Scripts written today use /api/v1 instead.
"""

from __future__ import annotations

from aiohttp import web

from api.keys import services_of, user_of
from api.openapi import RouteTable, respond, text_problem
from api.routes import files as files_api
from api.routes.files import (
    FileOut,
    FilePageOut,
    FileQuery,
    StoredFileResponse,
    UploadOut,
    receive_upload,
)
from api.schemas import SignedIn, UserOut
from api.web import pages
from api.web.session import wants_html
from services.core.errors import NotFound

routes = RouteTable(tag="compatibility", deprecated=True)
STORED_NAME_LIMIT = 255  # characters of StoredFile.name, as services.files.clean_name cuts it


routes.post(
    "/register",
    summary="Create an account from form fields `username` and `password` (optional "
    "`full_name`, `email`); pending until an administrator activates it (the register page's "
    "form)",
    auth="none",
    response=UserOut,
    status=201,
    errors=[400, 403, 409],
    canonical="POST /api/v1/auth/register/",
)(pages.register)

routes.post(
    "/login",
    summary="Sign in with form fields `username` and `password`; sets the session cookie "
    "(browsers are redirected to /index; the sign-in page's form)",
    auth="none",
    response=SignedIn,
    errors=[400, 401, 403, 429],
    canonical="POST /api/v1/auth/login/",
)(pages.login)

routes.get(
    "/logout",
    summary="Sign out (the token is revoked, the session cookie cleared)",
    auth="none",
    canonical="POST /api/v1/auth/logout/",
)(pages.logout)


@routes.post(
    "/upload",
    summary="Upload a file (multipart field `file`), streamed into storage",
    response=UploadOut,
    status=201,
    other_statuses=[200],
    errors=[400, 413, 507],
    canonical="POST /api/v1/files/upload/",
)
async def upload(request: web.Request) -> web.StreamResponse:
    view = await receive_upload(request)
    if wants_html(request):
        return pages.redirect(f"/index?uploaded={view.file.id}")
    return respond(
        UploadOut(**FileOut.of(view.file).model_dump(), created=view.created),
        status=201 if view.created else 200,
    )


@routes.get(
    "/files",
    summary="Your files as JSON (with `Accept: application/json`; browsers get the files page)",
    query=FileQuery,
    response=FilePageOut,
    canonical="GET /api/v1/files/",
)
async def list_files(request: web.Request) -> web.StreamResponse:
    if wants_html(request):
        return await pages.files_page(request)  # type: ignore[no-any-return]
    return await files_api.list_files(request)  # the same list as /api/v1/files/


@routes.get(
    "/download/{filename:.+}",
    summary="Download your newest file with this name (Range, original name)",
    errors=[404, 416],
    canonical="GET /api/v1/files/{file_id}/download/",
)
async def download_by_name(request: web.Request) -> web.StreamResponse:
    files = services_of(request).files
    name = request.match_info["filename"]
    # No stored name is longer (the database refuses to even compare a longer one with the
    # column) or holds NUL (PostgreSQL refuses it).
    if len(name) > STORED_NAME_LIMIT or text_problem(name) is not None:
        raise NotFound("You have no file with this name.", code="unknown_file")
    view = await files.newest_named(user_of(request), name)
    if request.method == "GET":  # a HEAD only looks
        await files.mark_downloaded(view.id)
    return StoredFileResponse(files.store.local_path(view.sha256), view)
