"""`ftpgram client`: your ftpgram files, downloads and stations from a terminal or a script.

    ftpgram client [--server URL] [--json] COMMAND ...

Data goes to stdout (JSON with --json), messages and progress bars to stderr, and the exit code
says what happened (`client.errors`). The token is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NoReturn, TextIO

from client import transfer
from client.config import Credentials, choose_server, choose_token
from client.errors import (
    AUTH,
    INTERRUPTED,
    NOT_FOUND,
    OK,
    REFUSED,
    UNAVAILABLE,
    USAGE,
    ClientError,
)
from client.server import Server

PROG = "ftpgram client"
PAGE = 200
_DURATION = re.compile(r"^(\d+)([smhdw]?)$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_RATE = re.compile(r"^(\d+(?:\.\d+)?)([kmg]?)(?:i?b)?$", re.IGNORECASE)


class _UsageError(Exception):
    """A wrong command line: reported with the usage and exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors to our caller instead of exiting the process."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.format_usage().rstrip()}\n{self.prog}: {message}")


# ---- output ----------------------------------------------------------------------------------


@dataclass
class Context:
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]  # where FTPGRAM_SERVER and FTPGRAM_TOKEN are looked up
    json: bool = False
    progress: bool = True
    server_option: str | None = None
    credentials: Credentials = field(default_factory=Credentials)

    def say(self, message: str) -> None:
        print(message, file=self.stderr, flush=True)

    def emit(self, value: Any, lines: Iterable[str] = ()) -> None:
        """Data: JSON with --json, else lines of text."""
        if self.json:
            print(json.dumps(value, ensure_ascii=False, indent=2), file=self.stdout)
        else:
            for line in lines:
                print(line, file=self.stdout)
        self.stdout.flush()

    def options(self, args: argparse.Namespace) -> transfer.Options:
        return transfer.Options(
            progress=self.progress,
            stream=self.stderr,
            say=self.say,
            limit_rate=getattr(args, "limit_rate", None),
            retries=getattr(args, "retries", 5),
        )

    def server_url(self) -> str:
        return choose_server(self.server_option, self.credentials, self.environ)

    def signed_in(self) -> Server:
        url = self.server_url()
        return Server(url, choose_token(url, self.credentials, self.environ))


def human(size: int | float) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def when(value: str | None) -> str:
    if not value:
        return "-"
    return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")


def duration(text: str) -> int:
    match = _DURATION.match(text.strip().lower())
    if not match or int(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 3600, 30m, 12h, 7d)")
    return int(match[1]) * _UNITS[match[2]]


def rate(text: str) -> int:
    match = _RATE.match(text.strip())
    if not match or float(match[1]) <= 0:
        raise argparse.ArgumentTypeError(f"not a rate: {text!r} (bytes a second, e.g. 500K, 2M)")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match[2].lower()]
    return max(1, int(float(match[1]) * factor))


def positive(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {text!r}")
    return int(text)


def read_secret(ctx: Context, prompt: str) -> str:
    """From the terminal without echo; from stdin (one line) when it is not a terminal."""
    if ctx.stdin.isatty():
        return getpass.getpass(prompt, stream=ctx.stderr)
    line = ctx.stdin.readline()
    if not line:
        raise ClientError(f"{prompt.rstrip(': ')} expected on stdin.", USAGE)
    return line.rstrip("\r\n")


async def all_pages(server: Server, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        answer = await server.call("GET", path, params={**params, "page": page, "per_page": PAGE})
        items.extend(answer["items"])
        if not answer["items"] or len(items) >= answer["total"]:
            return items
        page += 1


async def resolve(ctx: Context, server: Server, reference: str) -> transfer.FileRef:
    """A file by id (digits) or by exact name (the newest of that name)."""
    if reference.isdigit():
        return transfer.FileRef(int(reference))
    found = [
        item
        for item in await all_pages(server, "/api/v1/files/", {"name": reference})
        if item["name"] == reference
    ]
    if not found:
        raise ClientError(f"You have no file named {reference!r}.", NOT_FOUND)
    newest = found[0]
    if len(found) > 1:
        ctx.say(
            f"{len(found)} files are named {reference!r}; using the newest (id {newest['id']})."
        )
    return transfer.FileRef(newest["id"], newest["name"], newest["size"], newest["sha256"])


def file_line(item: dict[str, Any]) -> str:
    shared = "shared" if item.get("shared") else "-"
    return (
        f"{item['id']:>6}  {human(item['size']):>10}  {when(item['created_at'])}  "
        f"{shared:<6}  {item['name']}"
    )


def download_line(item: dict[str, Any]) -> str:
    line = (
        f"{item['id']:>6}  {item['status']:<11}  {item['percent']:>5.1f}%  "
        f"{human(item['bytes']):>10} / {human(item['total']):<10}  {item['station_name']}  "
        f"{item['name']}"
    )
    return line + (f"  ({item['error']})" if item.get("error") else "")


def station_line(item: dict[str, Any]) -> str:
    followed = "following" if item["followed"] else "-"
    return f"{item['id']:>4}  {followed:<9}  {item['health']:<8}  {item['name']}"


# ---- commands ----------------------------------------------------------------------------------


async def cmd_login(ctx: Context, args: argparse.Namespace) -> int:
    url = ctx.server_url()
    async with Server(url) as server:
        if args.login:
            password = read_secret(ctx, "Password: ")
            signed = await server.call(
                "POST", "/api/v1/auth/login/", body={"login": args.login, "password": password}
            )
        elif args.telegram_id is not None:
            code = args.code
            if code is None:
                sent = await server.call(
                    "POST", "/api/v1/auth/code/", body={"telegram_id": args.telegram_id}
                )
                minutes = max(1, int(sent.get("expires_in", 300)) // 60)
                ctx.say(f"The bot has sent you a sign-in code in Telegram (valid {minutes} min).")
                code = read_secret(ctx, "Code: ").strip()
            signed = await server.call(
                "POST",
                "/api/v1/auth/code/verify/",
                body={"telegram_id": args.telegram_id, "code": code},
            )
        else:
            raise ClientError(
                "Log in with --login NAME (then the password) or --telegram-id ID "
                "(then the code the bot sends).",
                USAGE,
            )
    user = signed["user"]
    who = user.get("login") or user.get("full_name") or f"#{user['id']}"
    ctx.credentials.remember(url, signed["token"], who)
    ctx.say(f"Logged in to {url} as {who}.")
    ctx.emit({"server": url, "user": user})
    return OK


async def cmd_logout(ctx: Context, args: argparse.Namespace) -> int:
    url = ctx.server_url()
    token = ctx.credentials.token_for(url)
    if token is None:
        ctx.say(f"Not logged in to {url}.")
        return OK
    async with Server(url, token) as server:
        try:
            await server.call("POST", "/api/v1/auth/logout/")
        except ClientError as error:
            if error.exit_code != AUTH:  # a token the server dropped already is gone anyway
                raise
    ctx.credentials.forget(url)
    ctx.say(f"Logged out of {url}.")
    return OK


async def cmd_whoami(ctx: Context, args: argparse.Namespace) -> int:
    async with ctx.signed_in() as server:
        user = await server.call("GET", "/api/v1/account/")
        quota = await server.call("GET", "/api/v1/account/quota/")
    who = user.get("login") or user.get("full_name")
    ctx.emit(
        {"server": server.url, "user": user, "quota": quota},
        [
            f"{who} (id {user['id']}, {user['state']}) on {server.url}",
            f"storage: {human(quota['used'])} of {human(quota['quota'])} used, "
            f"{human(quota['free'])} free",
        ],
    )
    return OK


async def cmd_upload(ctx: Context, args: argparse.Namespace) -> int:
    if args.name and len(args.files) > 1:
        raise ClientError("--name needs exactly one FILE.", USAGE)
    paths = [transfer.local_file(name) for name in args.files]
    results: list[dict[str, Any]] = []
    failure: ClientError | None = None
    async with ctx.signed_in() as server:
        for path in paths:
            try:
                done = await transfer.upload(
                    server, path, args.name or path.name, ctx.options(args)
                )
            except ClientError as error:
                if len(paths) == 1 or error.exit_code in (AUTH,):
                    raise
                ctx.say(f"ftpgram: {path}: {error.message}")
                failure = failure or error
                continue
            results.append(done.as_json())
            if not ctx.json:
                ctx.emit(None, [file_line(done.file)])
            if done.created:
                ctx.say(f"Uploaded {path} as {done.file['name']} (id {done.file['id']}).")
            elif not done.skipped:
                ctx.say(f"{path}: you have this content already (file {done.file['id']}).")
    if ctx.json:
        ctx.emit(results)
    if failure is not None:
        raise failure
    return OK


async def cmd_download(ctx: Context, args: argparse.Namespace) -> int:
    async with ctx.signed_in() as server:
        ref = await resolve(ctx, server, args.file)
        to_stdout = args.output == "-"
        binary = getattr(ctx.stdout, "buffer", None) if to_stdout else None
        if to_stdout and binary is None:
            raise ClientError("stdout takes no bytes here; pass -o PATH.", USAGE)
        done = await transfer.download(
            server,
            ref,
            None if to_stdout else args.output,
            ctx.options(args),
            force=args.force,
            stdout=binary,
        )
    if not to_stdout:
        ctx.say(f"Downloaded {done.name} ({human(done.size)}) to {done.path}.")
        ctx.emit(done.as_json(), [done.path])
    return OK


async def cmd_ls(ctx: Context, args: argparse.Namespace) -> int:
    params: dict[str, Any] = {}
    if args.name:
        params["name"] = args.name
    if args.type:
        params["media_type"] = args.type
    async with ctx.signed_in() as server:
        items = await all_pages(server, "/api/v1/files/", params)
    ctx.emit(items, [file_line(item) for item in items])
    return OK


async def cmd_rm(ctx: Context, args: argparse.Namespace) -> int:
    deleted: list[dict[str, Any]] = []
    failure: ClientError | None = None
    failed = 0
    async with ctx.signed_in() as server:
        for reference in args.files:
            try:
                ref = await resolve(ctx, server, reference)
                answer = await server.call("DELETE", "/api/v1/files/", params={"id": ref.id})
            except ClientError as error:
                if len(args.files) == 1 or error.exit_code == AUTH:
                    raise
                ctx.say(f"ftpgram: {reference}: {error.message}")
                failure = failure or error
                failed += 1
                continue
            for item in answer["items"]:
                deleted.append(item)
                ctx.say(f"Deleted {item['name']} (id {item['id']}).")
    ctx.emit(deleted)
    if failure is not None:  # each failure is told above; the exit code says the first's kind
        raise ClientError(
            f"{failed} of {len(args.files)} could not be deleted.",
            failure.exit_code,
            code=failure.code,
        )
    return OK


async def cmd_share(ctx: Context, args: argparse.Namespace) -> int:
    async with ctx.signed_in() as server:
        ref = await resolve(ctx, server, args.file)
        path = f"/api/v1/files/{ref.id}/share/"
        if args.revoke:
            await server.call("DELETE", path)
            ctx.say(f"The link to file {ref.id} is revoked.")
            ctx.emit({"file_id": ref.id, "revoked": True})
            return OK
        if args.show:
            link = await server.call("GET", path)
        else:
            body: dict[str, Any] = {}
            if args.expires:
                body["expires_in"] = args.expires
            if args.max_downloads:
                body["max_downloads"] = args.max_downloads
            link = await server.call("POST", path, body=body)
    limits = [f"expires {when(link['expires_at'])}" if link["expires_at"] else "never expires"]
    if link["max_downloads"]:
        limits.append(f"{link['downloads']} of {link['max_downloads']} downloads used")
    ctx.say(f"Link to file {ref.id}: " + ", ".join(limits) + ".")
    ctx.emit(link, [link["url"]])
    return OK


async def cmd_downloads(ctx: Context, args: argparse.Namespace) -> int:
    action = args.action or "list"
    async with ctx.signed_in() as server:
        if action == "list":
            params: dict[str, Any] = {}
            for key in ("status", "name", "station_id"):
                if getattr(args, key, None) is not None:
                    params[key] = getattr(args, key)
            items = await all_pages(server, "/api/v1/downloads/", params)
            ctx.emit(items, [download_line(item) for item in items])
            return OK
        results = []
        for download_id in args.ids:
            if action == "add":
                item = await server.call(
                    "POST", "/api/v1/downloads/", body={"station_file_id": download_id}
                )
            elif action == "show":
                item = await server.call("GET", f"/api/v1/downloads/{download_id}/")
            elif action == "remove":
                await server.call("DELETE", f"/api/v1/downloads/{download_id}/")
                ctx.say(f"Removed download {download_id} and its file.")
                continue
            else:
                # pause, start or cancel
                item = await server.call("POST", f"/api/v1/downloads/{download_id}/{action}/")
            results.append(item)
    ctx.emit(results, [download_line(item) for item in results])
    return OK


async def cmd_stations(ctx: Context, args: argparse.Namespace) -> int:
    action = args.action or "list"
    async with ctx.signed_in() as server:
        if action == "files":
            params: dict[str, Any] = {}
            if args.station is not None:
                params["station_id"] = args.station
            if args.new:
                params["only_new"] = "true"
            files = await all_pages(server, "/api/v1/station-files/", params)
            ctx.emit(
                files,
                [
                    f"{f['id']:>6}  {human(f['size']):>10}  {when(f['available_at'])}  "
                    f"{'new' if f['new'] else '-':<3}  {f['station_name']}  {f['path']}"
                    for f in files
                ],
            )
            return OK
        if action == "choose":
            answer = await server.call(
                "PUT", "/api/v1/account/stations/", body={"station_ids": args.ids}
            )
        else:
            answer = await server.call("GET", "/api/v1/stations/")
    items = answer["items"]
    ctx.emit(items, [station_line(item) for item in items])
    return OK


# ---- the parser --------------------------------------------------------------------------------


Command = Callable[[Context, argparse.Namespace], Coroutine[Any, Any, int]]


def build_parser() -> argparse.ArgumentParser:
    # The common options work before and after the command (`--json ls` and `ls --json`).
    common = _Parser(add_help=False)
    common.add_argument(
        "--server",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="the ftpgram server (else $FTPGRAM_SERVER, else the one you logged in to last)",
    )
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="JSON on stdout"
    )
    common.add_argument(
        "--no-progress",
        action="store_true",
        default=argparse.SUPPRESS,
        help="no progress bars (they only show on a terminal anyway)",
    )
    parser = _Parser(
        prog=PROG,
        parents=[common],
        description="Your ftpgram files, downloads and stations from the command line.",
        epilog="Exit codes: 0 ok, 1 refused by the server, 2 usage, 3 not logged in or not "
        "allowed, 4 not found, 5 server unreachable or failing, 130 interrupted.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    login = command("login", cmd_login, "log in with a password or a one-time code from the bot")
    how = login.add_mutually_exclusive_group()
    how.add_argument("--login", metavar="NAME", help="your login; the password is asked for")
    how.add_argument(
        "--telegram-id", type=int, metavar="ID", help="your Telegram id; the bot sends a code"
    )
    login.add_argument("--code", help="a code you have already (the bot's /code)")
    command("logout", cmd_logout, "revoke the token and forget it")
    command("whoami", cmd_whoami, "who you are on the server, and your storage")

    up = command("upload", cmd_upload, "upload files (an interrupted upload resumes)")
    up.add_argument("files", nargs="+", metavar="FILE")
    up.add_argument("--name", help="store under this name (one FILE only)")
    _transfer_options(up)

    down = command("download", cmd_download, "download a file (an interrupted one resumes)")
    down.add_argument("file", metavar="NAME|ID")
    down.add_argument(
        "-o", "--output", metavar="PATH", help="file or folder to write to; - for stdout"
    )
    down.add_argument("--force", action="store_true", help="overwrite an existing file")
    _transfer_options(down)

    listing = command("ls", cmd_ls, "list your files, newest first")
    listing.add_argument("--name", help="only names containing this")
    listing.add_argument(
        "--type", choices=("image", "video", "audio", "document", "archive", "other")
    )

    remove = command("rm", cmd_rm, "delete files")
    remove.add_argument("files", nargs="+", metavar="NAME|ID")

    share = command("share", cmd_share, "create, show or revoke a file's public link")
    share.add_argument("file", metavar="NAME|ID")
    which = share.add_mutually_exclusive_group()
    which.add_argument("--show", action="store_true", help="show the current link")
    which.add_argument("--revoke", action="store_true", help="revoke the link")
    share.add_argument("--expires", type=duration, metavar="TIME", help="e.g. 3600, 30m, 7d")
    share.add_argument("--max-downloads", type=positive, metavar="N")

    downloads = command("downloads", cmd_downloads, "station downloads into your storage")
    actions = downloads.add_subparsers(dest="action", metavar="ACTION")
    listed = actions.add_parser("list", parents=[common], help="list them (the default)")
    listed.add_argument(
        "--status",
        choices=("active", "queued", "downloading", "paused", "completed", "failed", "cancelled"),
    )
    listed.add_argument("--name")
    listed.add_argument("--station", dest="station_id", type=positive, metavar="ID")
    for action, help_text, what in (
        ("add", "download station files (ids from 'stations files')", "STATION_FILE_ID"),
        ("show", "one download in detail", "ID"),
        ("pause", "pause downloads (the partial data is kept)", "ID"),
        ("start", "start paused, failed or cancelled downloads again", "ID"),
        ("cancel", "stop downloads and delete what they fetched", "ID"),
        ("remove", "delete finished downloads and their files", "ID"),
    ):
        sub = actions.add_parser(action, parents=[common], help=help_text)
        sub.add_argument("ids", nargs="+", type=positive, metavar=what)

    stations = command("stations", cmd_stations, "the stations you can follow")
    station_actions = stations.add_subparsers(dest="action", metavar="ACTION")
    station_actions.add_parser("list", parents=[common], help="list them (the default)")
    choose = station_actions.add_parser(
        "choose", parents=[common], help="follow exactly these stations (none: follow none)"
    )
    choose.add_argument("ids", nargs="*", type=positive, metavar="ID")
    station_files = station_actions.add_parser(
        "files", parents=[common], help="files on the stations you follow"
    )
    station_files.add_argument("--station", type=positive, metavar="ID")
    station_files.add_argument("--new", action="store_true", help="only files new to you")
    return parser


def _transfer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--limit-rate", type=rate, metavar="RATE", help="at most this many bytes a second (2M)"
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=5,
        metavar="N",
        help="retries after a broken connection (default 5)",
    )


# ---- running -----------------------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """Run one command line; the streams and the environment are the process's unless given
    (the credentials file's place is always the process's: platformdirs reads it)."""
    ctx = Context(
        stdin or sys.stdin,
        stdout or sys.stdout,
        stderr or sys.stderr,
        os.environ if environ is None else environ,
    )
    try:
        args = build_parser().parse_args(argv)
    except _UsageError as error:
        ctx.json = "--json" in (sys.argv[1:] if argv is None else argv)
        if ctx.json:
            return _fail(ctx, str(error).strip().splitlines()[-1], USAGE, "usage")
        print(error, file=ctx.stderr)
        return USAGE
    except SystemExit as done:  # --help
        return int(done.code or 0)
    ctx.json = bool(getattr(args, "json", False))
    ctx.progress = not getattr(args, "no_progress", False)
    ctx.server_option = getattr(args, "server", None)
    try:
        ctx.credentials = Credentials.load()
        if ctx.credentials.too_open():
            ctx.say(f"ftpgram: warning: others can read {ctx.credentials.path}; chmod 600 it.")
        handler: Command = args.handler
        return asyncio.run(handler(ctx, args))
    except ClientError as error:
        return _fail(ctx, error.message, error.exit_code, error.code)
    except KeyboardInterrupt:
        return _fail(
            ctx,
            "interrupted; the same command continues an upload or download where it stopped.",
            INTERRUPTED,
            "interrupted",
        )
    except BrokenPipeError:
        return OK  # the reader went away (ftpgram client ls | head)
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        # A JSON answer without what ftpgram's answers hold: another program at that address.
        server = ctx.server_option or "The server"
        return _fail(
            ctx,
            f"{server} did not answer like an ftpgram server "
            f"({type(error).__name__}: {error}). Check the server address.",
            UNAVAILABLE,
            "not_ftpgram",
        )
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        return _fail(ctx, f"{error.strerror or error}{where}", REFUSED, "local_error")


def _fail(ctx: Context, message: str, exit_code: int, code: str) -> int:
    if ctx.json:
        error = {"code": code or "error", "message": message, "exit_code": exit_code}
        print(json.dumps({"error": error}, ensure_ascii=False), file=ctx.stderr)
    else:
        print(f"ftpgram: {message}", file=ctx.stderr)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
