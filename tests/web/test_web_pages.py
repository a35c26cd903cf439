"""The web pages and the form routes (/register, /login, /upload, ...) over HTTP: what the
server sends (security headers, no inline code, escaping, both languages), signing in and out
with the session cookie, cross-site requests refused, failures as pages for browsers and as JSON
for scripts."""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from aiohttp import FormData, web
from aiohttp.test_utils import TestClient

from services.accounts.webapp import sign_init_data
from services.container import Services
from services.core.models import AuditEvent, User
from services.storage.files import FileFilter
from tests.support.people import bearer, make_user
from tests.support.telegram_fake import FakeTelegram

Client = TestClient[web.Request, web.Application]
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
PASSWORD = "Secret#1"


class Page(HTMLParser):
    """The parts of a page these tests look at."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.inline_handlers: list[str] = []
        self.styled: list[str] = []
        self.data_block = ""
        self._in_data = False
        self.text_parts: list[str] = []
        self.inputs: dict[str, str] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, _ in attrs:
            if name.startswith("on"):
                self.inline_handlers.append(f"{tag} {name}")
            if name == "style":
                self.styled.append(tag)
        if tag == "script":
            self.scripts.append(values)
            self._in_data = values.get("type") == "application/json"
        for name in ("src", "href", "action"):
            if values.get(name):
                self.links.append(str(values[name]))
        if tag == "input" and values.get("name"):
            self.inputs[str(values["name"])] = values.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_data = False

    def handle_data(self, data: str) -> None:
        if self._in_data:
            self.data_block += data
        else:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data_block)
        return loaded


async def page(client: Client, path: str, **kwargs: Any) -> tuple[int, Page, Any]:
    headers = {**HTML, **kwargs.pop("headers", {})}
    response = await client.get(path, headers=headers, allow_redirects=False, **kwargs)
    return response.status, Page(await response.text()), response


def origin(client: Client) -> dict[str, str]:
    return {"Origin": str(client.make_url("")).rstrip("/")}


def session_cookie(response: Any) -> Any:
    cookies = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        cookies.load(header)
    return cookies.get("ftpgram_session")


async def signed_in(client: Client, services: Services, user_id: int) -> str:
    token = await services.auth.issue_token(user_id, "test")
    client.session.cookie_jar.update_cookies({"ftpgram_session": token})
    return token


async def test_pages_carry_a_strict_policy_and_no_inline_code(
    client: Client, services: Services
) -> None:
    admin = await make_user(services, 900001, admin=True, name="Root")
    anonymous = ["/", "/login", "/register", "/app"]
    private = ["/index", "/files", "/stations", "/downloads", "/admin"]
    for path in anonymous + private:
        if path == private[0]:
            await signed_in(client, services, admin.id)
        status, parsed, response = await page(client, path)
        assert status == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert "default-src 'none'" in policy and "frame-ancestors" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert parsed.inline_handlers == [] and parsed.styled == [], path
        for script in parsed.scripts:
            assert script.get("type") == "application/json" or str(
                script.get("src", "")
            ).startswith("/assets/"), (path, script)
        # Nothing from another site: every address is local.
        assert all(not re.match(r"^(https?:)?//", link) for link in parsed.links), path
        for asset in [link for link in parsed.links if link.startswith("/assets/")]:
            assert (await client.get(asset)).status == 200, asset
        assert parsed.data["lang"] == "en"


async def test_private_pages_send_browsers_to_sign_in_and_scripts_get_json(
    client: Client, services: Services
) -> None:
    status, _, response = await page(client, "/stations?x=1")
    assert status == 303
    assert response.headers["Location"] == "/login?next=/stations%3Fx%3D1"
    status, login, _ = await page(client, "/login?next=/stations%3Fx%3D1")
    assert login.inputs["next"] == "/stations?x=1"
    listed = await client.get("/files", headers=JSON)
    assert listed.status == 401
    assert (await listed.json())["error"]["code"] == "missing_token"
    # Somebody else's address to go to after signing in is ignored.
    _, evil, _ = await page(client, "/login?next=https://evil.example/")
    assert evil.inputs["next"] == "/index"
    _, evil, _ = await page(client, "/login?next=//evil.example/")
    assert evil.inputs["next"] == "/index"
    # A user who is no administrator gets a page that says so.
    user = await make_user(services, 7501)
    await signed_in(client, services, user.id)
    status, denied, _ = await page(client, "/admin")
    assert status == 403 and "Only administrators may do this." in denied.text


async def test_sign_in_with_a_code_from_the_bot(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    user = await make_user(services, 7502, name="Anna")
    await User.filter(id=user.id).update(telegram_username="Anna_S")
    sent = await client.post(
        "/login/code", data={"who": "@anna_s", "next": "/downloads"}, headers=HTML
    )
    assert sent.status == 200
    form = Page(await sent.text())
    assert "The bot has sent you a code in Telegram" in form.text
    assert form.inputs["who"] == "@anna_s" and form.inputs["next"] == "/downloads"
    message = await telegram.expect_message(7502)
    code = re.search(r"\b(\d{6})\b", message.text)
    assert code is not None

    wrong = await client.post(
        "/login/code/verify",
        data={"who": "@anna_s", "code": "000000" if code[1] != "000000" else "111111"},
        headers=HTML,
    )
    assert wrong.status == 400
    retry = Page(await wrong.text())
    assert "The code is wrong or has expired." in retry.text
    assert "code" in retry.inputs or "who" in retry.inputs

    verified = await client.post(
        "/login/code/verify",
        data={"who": "@anna_s", "code": code[1], "next": "/downloads"},
        headers={**HTML, **origin(client)},
        allow_redirects=False,
    )
    assert verified.status == 303 and verified.headers["Location"] == "/downloads"
    cookie = session_cookie(verified)
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert int(cookie["max-age"]) == 30 * 24 * 3600
    status, downloads, _ = await page(client, "/downloads")
    assert status == 200 and "Anna" in downloads.text
    assert downloads.data["user"]["id"] == user.id
    # The token itself never reaches the page.
    assert cookie.value not in await (await client.get("/downloads", headers=HTML)).text()


async def test_code_sign_in_tells_what_is_wrong(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    await make_user(services, 7503, active=False)
    unknown = await client.post("/login/code", data={"who": "@nobody_here"}, headers=HTML)
    assert unknown.status == 404
    assert "Send /start to the bot first." in Page(await unknown.text()).text
    pending = await client.post("/login/code", data={"who": "7503"}, headers=HTML)
    assert pending.status == 403
    assert "an administrator has to activate it" in Page(await pending.text()).text
    empty = await client.post("/login/code", data={"who": " "}, headers=HTML)
    assert empty.status == 400
    # What people type comes back escaped.
    hostile = await client.post(
        "/login/code", data={"who": '"><script>alert(1)</script>'}, headers=HTML
    )
    body = await hostile.text()
    assert "<script>alert(1)</script>" not in body
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in body


async def test_form_routes_for_scripts(client: Client, services: Services) -> None:
    registered = await client.post(
        "/register", data={"username": "alice1", "password": PASSWORD}, headers=JSON
    )
    assert registered.status == 201
    assert (await registered.json())["state"] == "pending"
    taken = await client.post(
        "/register", data={"username": "alice1", "password": PASSWORD}, headers=JSON
    )
    assert taken.status == 409 and (await taken.json())["error"]["code"] == "login_taken"
    weak = await client.post("/register", data={"username": "bob", "password": "x"}, headers=JSON)
    assert weak.status == 400
    assert set((await weak.json())["error"]["fields"]) == {"login", "password"}

    pending = await client.post(
        "/login", data={"username": "alice1", "password": PASSWORD}, headers=JSON
    )
    assert pending.status == 403
    assert (await pending.json())["error"]["code"] == "inactive_user"
    await User.filter(login="alice1").update(is_active=True)
    wrong = await client.post(
        "/login", data={"username": "alice1", "password": "Wrong#1"}, headers=JSON
    )
    assert wrong.status == 401
    assert (await wrong.json())["error"] == {
        "code": "bad_credentials",
        "message": "Wrong login or password.",
    }
    signed = await client.post(
        "/login", json={"username": "alice1", "password": PASSWORD}, allow_redirects=False
    )
    assert signed.status == 200
    token = (await signed.json())["token"]
    assert session_cookie(signed).value == token
    client.session.cookie_jar.clear()

    for content in (b"first version", b"second version"):
        form = FormData()
        form.add_field("file", content, filename="report.txt", content_type="text/plain")
        uploaded = await client.post("/upload", data=form, headers={**bearer(token), **JSON})
        assert uploaded.status == 201
        assert (await uploaded.json())["name"] == "report.txt"
    listed = await client.get("/files", headers={**bearer(token), **JSON})
    assert listed.status == 200
    assert [f["size"] for f in (await listed.json())["items"]] == [14, 13]
    fetched = await client.get("/download/report.txt", headers=bearer(token))
    assert fetched.status == 200 and await fetched.read() == b"second version"
    assert fetched.headers["Content-Disposition"].startswith('attachment; filename="report.txt"')
    owner = await services.auth.authenticate(token)
    await services.files.store_bytes(owner, name="Отчёт 1.txt", data=b"cyr", source="upload")
    cyrillic = await client.get("/download/Отчёт 1.txt", headers=bearer(token))
    assert cyrillic.status == 200 and await cyrillic.read() == b"cyr"
    assert (
        "filename*=UTF-8''%D0%9E%D1%82%D1%87%D1%91%D1%82%201.txt"
        in (cyrillic.headers["Content-Disposition"])
    )
    missing = await client.get("/download/nothing.txt", headers=bearer(token))
    assert missing.status == 404
    assert (await missing.json())["error"]["code"] == "unknown_file"
    no_file = await client.post("/upload", data={"other": "x"}, headers=bearer(token))
    assert no_file.status == 400 and (await no_file.json())["error"]["code"] == "not_multipart"

    out = await client.get("/logout", headers=bearer(token))
    assert out.status == 200 and await out.json() == {"signed_out": True}
    after = await client.get("/files", headers={**bearer(token), **JSON})
    assert after.status == 401


async def test_form_routes_in_a_browser(client: Client, services: Services) -> None:
    weak = await client.post(
        "/register",
        data={"username": "<b>x</b>", "password": "short", "email": "nope"},
        headers=HTML,
    )
    assert weak.status == 400
    page_text = await weak.text()
    assert "<b>x</b>" not in page_text and "&lt;b&gt;x&lt;/b&gt;" in page_text
    problems = Page(page_text).text
    assert "Use 4–20 Latin letters and digits" in problems
    assert "This email address is not valid." in problems

    created = await client.post(
        "/register",
        data={"username": "carol1", "password": PASSWORD, "full_name": "Carol"},
        headers={**HTML, **origin(client)},
    )
    assert created.status == 201
    assert "waits for an administrator" in Page(await created.text()).text
    assert (await User.get(login="carol1")).full_name == "Carol"
    await User.filter(login="carol1").update(is_active=True)

    wrong = await client.post(
        "/login", data={"username": "carol1", "password": "Nope#123"}, headers=HTML
    )
    assert wrong.status == 401
    again = Page(await wrong.text())
    assert "Wrong login or password." in again.text and again.inputs["username"] == "carol1"

    signed = await client.post(
        "/login",
        data={"username": "carol1", "password": PASSWORD, "next": "/stations"},
        headers={**HTML, **origin(client)},
        allow_redirects=False,
    )
    assert signed.status == 303 and signed.headers["Location"] == "/stations"
    assert session_cookie(signed)["httponly"]

    form = FormData()
    form.add_field("file", b"from a form", filename="form.txt", content_type="text/plain")
    uploaded = await client.post(
        "/upload", data=form, headers={**HTML, **origin(client)}, allow_redirects=False
    )
    assert uploaded.status == 303
    assert re.fullmatch(r"/index\?uploaded=\d+", uploaded.headers["Location"])

    # The same form without the browser's Origin (or from elsewhere) is refused.
    for headers in ({}, {"Origin": "https://evil.example"}):
        form = FormData()
        form.add_field("file", b"forged", filename="forged.txt")
        forged = await client.post("/upload", data=form, headers={**HTML, **headers})
        assert forged.status == 403
        assert "came from another site" in Page(await forged.text()).text
    carol = await services.users.get((await User.get(login="carol1")).id)
    listed = await services.files.list_files(carol, FileFilter())
    assert [f.name for f in listed.items] == ["form.txt"]


async def test_sign_in_forms_from_another_site_are_refused(
    client: Client, services: Services
) -> None:
    await client.post("/register", data={"username": "dave1", "password": PASSWORD})
    await User.filter(login="dave1").update(is_active=True)
    for path, data in (
        ("/login", {"username": "dave1", "password": PASSWORD}),
        ("/login/code", {"who": "1"}),
        ("/register", {"username": "eve12", "password": PASSWORD}),
    ):
        refused = await client.post(
            path, data=data, headers={**HTML, "Origin": "https://evil.example"}
        )
        assert refused.status == 403, path
        assert session_cookie(refused) is None
    assert not await User.filter(login="eve12").exists()


async def test_a_link_on_another_site_cannot_change_the_stations_you_follow(
    client: Client, services: Services
) -> None:
    """Seed 000 chooses stations with a GET; the session cookie goes along with a link that
    another site shows, so that GET is taken with the cookie only from our own pages."""
    admin = await make_user(services, 7510, admin=True)
    user = await make_user(services, 7511)
    station = await services.stations.create(admin, {"host": "127.0.0.1", "port": 1})
    await services.stations.follow(user, [station.id])
    token = await signed_in(client, services, user.id)
    path = "/api/v1/users/select_station/?station_ids="

    async def followed() -> list[bool]:
        listed = await client.get("/api/v1/stations/", headers=JSON)
        return [s["followed"] for s in (await listed.json())["items"]]

    for headers in ({"Sec-Fetch-Site": "cross-site"}, {}, {"Origin": "https://evil.example"}):
        refused = await client.get(path, headers={**JSON, **headers})
        assert refused.status == 403, headers
        assert (await refused.json())["error"]["code"] == "csrf"
    assert await followed() == [True]
    # The page's own script, and a script with its token, may.
    ours = await client.get(path, headers={**JSON, "Sec-Fetch-Site": "same-origin"})
    assert ours.status == 200 and await followed() == [False]
    client.session.cookie_jar.clear()
    again = await client.get(path + str(station.id), headers=bearer(token))
    assert again.status == 200
    assert [s["followed"] for s in (await again.json())["items"]] == [True]


async def test_a_sign_out_link_on_another_site_only_asks(
    client: Client, services: Services
) -> None:
    user = await make_user(services, 7504)
    token = await signed_in(client, services, user.id)
    status, asked, _ = await page(client, "/logout", headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 200 and "Another site sent you here" in asked.text
    assert (await services.auth.authenticate(token)).id == user.id

    status, _, response = await page(client, "/logout", headers={"Sec-Fetch-Site": "same-origin"})
    assert status == 303 and response.headers["Location"] == "/"
    assert session_cookie(response).value == ""
    assert await services.auth.tokens(user.id) == []
    # The sign-out button posts.
    token = await signed_in(client, services, user.id)
    posted = await client.post("/logout", headers={**HTML, **origin(client)}, allow_redirects=False)
    assert posted.status == 303 and await services.auth.tokens(user.id) == []


async def test_pages_speak_the_users_language(client: Client, services: Services) -> None:
    _, russian, _ = await page(client, "/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert "С кодом от бота" in russian.text and russian.data["lang"] == "ru"
    _, english, _ = await page(client, "/login", headers={"Accept-Language": "de, en;q=0.5"})
    assert "With a code from the bot" in english.text
    # A choice on the page sticks.
    _, chosen, response = await page(client, "/register?lang=ru", headers={"Accept-Language": "en"})
    assert "Регистрация" in chosen.text
    assert "ftpgram_lang=ru" in response.headers["Set-Cookie"]
    _, remembered, _ = await page(client, "/login", headers={"Accept-Language": "en"})
    assert "Вход" in remembered.text

    # Signed in, the stored language wins over the browser's.
    client.session.cookie_jar.clear()
    user = await make_user(services, 7505, language="ru")
    await signed_in(client, services, user.id)
    _, files, _ = await page(client, "/index", headers={"Accept-Language": "en"})
    assert "Ваши файлы" in files.text
    assert files.data["texts"]["upload_button"] == "Загрузить"
    status, missing, _ = await page(client, "/no/such/page")
    assert status == 404 and "По этому адресу ничего нет." in missing.text


async def test_failures_are_pages_for_browsers_and_json_for_scripts(
    client: Client, services: Services
) -> None:
    status, missing, response = await page(client, "/nowhere")
    assert status == 404 and "There is nothing at this address." in missing.text
    assert "Content-Security-Policy" in response.headers
    as_json = await client.get("/nowhere", headers=JSON)
    assert as_json.status == 404 and (await as_json.json())["error"]["code"] == "not_found"
    # The API answers JSON even to a browser.
    api = await client.get("/api/v1/files/", headers=HTML)
    assert api.status == 401 and (await api.json())["error"]["code"] == "missing_token"
    # A share link opened in a browser explains itself.
    user = await make_user(services, 7506)
    uploaded = await services.files.store_bytes(user, name="a.txt", data=b"a", source="upload")
    link = await services.files.share(user, uploaded.file.id, max_downloads=1)
    first = await client.get(f"/s/{link.token}", headers=HTML)
    assert first.status == 200 and await first.read() == b"a"
    status, used_up, _ = await page(client, f"/s/{link.token}")
    assert status == 410 and "reached its download limit" in used_up.text


def _init_data(bot_token: str, telegram_id: int) -> str:
    fields = {
        "user": json.dumps({"id": telegram_id, "first_name": "Mini", "language_code": "en"}),
        "auth_date": str(int(time.time())),
    }
    fields["hash"] = sign_init_data(fields, bot_token)
    return urlencode(fields)


async def test_the_mini_app_signs_in_with_telegrams_data(
    client: Client, services: Services, telegram: FakeTelegram
) -> None:
    user = await make_user(services, 7507, name="Mini")
    data = _init_data(telegram.token, 7507)
    signed = await client.post(
        "/web/session/telegram", json={"init_data": data}, headers=origin(client)
    )
    assert signed.status == 200
    assert (await signed.json())["user"]["id"] == user.id
    cookie = session_cookie(signed)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "token" not in await signed.json()
    assert (await client.get("/api/v1/account/")).status == 200
    event = await AuditEvent.filter(action="login", actor_id=user.id).first()
    assert event is not None and event.detail == "telegram web app"

    client.session.cookie_jar.clear()
    forged = await client.post(
        "/web/session/telegram",
        json={"init_data": data.replace("7507", "7508")},
        headers=origin(client),
    )
    assert forged.status == 401
    assert (await forged.json())["error"]["code"] == "webapp_signature"
    assert session_cookie(forged) is None
    elsewhere = await client.post(
        "/web/session/telegram",
        json={"init_data": data},
        headers={"Origin": "https://evil.example"},
    )
    assert elsewhere.status == 403
    garbage = await client.post("/web/session/telegram", data="not json", headers=origin(client))
    assert garbage.status == 400
    assert (await garbage.json())["error"]["code"] == "malformed_json"


async def test_form_routes_are_in_the_api_document(client: Client) -> None:
    document = await (await client.get("/api/v1/openapi.json")).json()
    for path, method in (
        ("/upload", "post"),
        ("/files", "get"),
        ("/download/{filename}", "get"),
        ("/register", "post"),
        ("/login", "post"),
        ("/logout", "get"),
    ):
        assert method in document["paths"][path], path
        assert document["paths"][path][method]["tags"] == ["compatibility"], path


async def test_form_routes_check_who_is_asking(client: Client) -> None:
    from api.compat.form_pages import routes

    protected = [e for e in routes.endpoints if e.auth != "none"]
    assert {e.path for e in protected} == {"/upload", "/files", "/download/{filename:.+}"}
    for endpoint in protected:
        path = endpoint.path.replace("{filename:.+}", "a.txt")
        for headers in ({}, bearer("ftg_forged")):
            answer = await client.request(endpoint.method, path, headers={**JSON, **headers})
            assert answer.status == 401, (endpoint.method, path)
            assert (await answer.json())["error"]["code"] in ("missing_token", "invalid_token")


async def test_registering_with_auto_activation_signs_in_at_once(
    client: Client, services: Services
) -> None:
    services.users.auto_activate = True
    created = await client.post(
        "/register",
        data={"username": "frank1", "password": PASSWORD},
        headers={**HTML, **origin(client)},
        allow_redirects=False,
    )
    assert created.status == 303 and created.headers["Location"] == "/index"
    status, files, _ = await page(client, "/index")
    assert status == 200 and "frank1" in files.text
