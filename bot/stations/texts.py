"""Texts of stations: /stations and /station_files with the announcements of new files;
/stations_admin, the health notices, the add-station wizard and editing a station."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.callbacks import StationField
from bot.common import texts as common
from services.ftp.client import FtpError
from services.stations.settings import MIN_INTERVAL
from services.stations.views import (
    FollowedStation,
    PollResult,
    StationFilePage,
    StationView,
)

# ---- stations: choosing them, their files --------------------------------------------------------


def station_choice(items: list[FollowedStation]) -> str:
    if not items:
        return _("There are no stations yet. An administrator has to add them first.")
    return (
        "<b>"
        + _("Stations")
        + "</b>\n"
        + _("Tick the stations whose files you want to see and hear about, then press Save.")
    )


def stations_followed(stations: list[StationView]) -> str:
    if not stations:
        return _("You follow no stations now, so you get no announcements. /stations to choose.")
    names = ", ".join(f"<b>{escape(s.name)}</b>" for s in stations)
    return _("You follow: {names}. Their files: /station_files").format(names=names)


def no_followed_stations() -> str:
    return _("You follow no stations yet. Choose them in /stations.")


def station_files(
    page: StationFilePage, station_name: str | None, only_new: bool, kinds: list[str] | None = None
) -> str:
    scope = escape(station_name) if station_name else _("all you follow")
    filters = _("Station: {station}").format(station=scope)
    if only_new:
        filters += " · " + _("only new")
    if kinds:
        filters += " · " + escape(" ".join(kinds))
    if page.total == 0:
        return filters + "\n" + (_("No new files.") if only_new else _("No files yet."))
    header = _("Station files: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=page.pages
    )
    lines = [f"<b>{header}</b>", filters, ""]
    start = (page.page - 1) * page.per_page
    for number, file in enumerate(page.items, start + 1):
        mark = "🆕 " if file.new else ""
        said = " ".join(k for k in (file.platform, file.instrument, file.level) if k)
        lines.append(
            f"{number}. {mark}<code>{escape(common.short(file.name))}</code> — "
            + (f"{escape(said)} — " if said else "")
            + f"{escape(file.station_name)} — {common.size_label(file.size)} — "
            f"{common.when(file.available_at)}"
        )
    return "\n".join(lines)


def unknown_file_kind(word: str, known: dict[str, list[str]]) -> str:
    seen = ", ".join(v for values in known.values() for v in values) or _("none yet")
    return _(
        "No file on your stations is of {word}. Filter by what the names show: {known}. "
        "For example /station_files NOAA-20 VIIRS."
    ).format(word=f"<b>{escape(common.short(word, 40))}</b>", known=escape(seen))


def pick_station_filter() -> str:
    return _("Show the files of which station?")


def marked_seen() -> str:
    return _("Marked as seen.")


def station_announcement(
    station: StationView, count: int, total_size: int, names: list[str]
) -> str:
    head = ngettext(
        "📡 <b>{station}</b>: {count} new file, {size}",
        "📡 <b>{station}</b>: {count} new files, {size}",
        count,
    ).format(station=escape(station.name), count=count, size=common.size_label(total_size))
    lines = [head, *(f"• <code>{escape(name)}</code>" for name in names)]
    if count > len(names):
        lines.append(_("…and {count} more").format(count=count - len(names)))
    return "\n".join(lines)


# ---- stations: administration --------------------------------------------------------------------


HEALTH_ICONS = {"ok": "🟢", "failing": "🔴", "waiting": "🕓", "disabled": "⏸"}


def health_label(station: StationView) -> str:
    labels = {
        "ok": _("working"),
        "failing": _("failing"),
        "waiting": _("not polled yet"),
        "disabled": _("disabled"),
    }
    return f"{HEALTH_ICONS[station.health]} {labels[station.health]}"


def tls_label(mode: str) -> str:
    labels = {
        "none": _("no TLS (plain FTP)"),
        "explicit": _("explicit TLS (AUTH TLS)"),
        "implicit": _("implicit TLS (ftps://)"),
    }
    return labels.get(mode, escape(mode))


def encoding_label(encoding: str) -> str:
    return _("automatic") if encoding == "auto" else escape(encoding)


def _yes_no(flag: bool) -> str:
    return _("yes") if flag else _("no")


def _masks(masks: list[str]) -> str:
    return escape(", ".join(masks)) if masks else "—"


def station_list(stations: list[StationView], page: int, per_page: int) -> str:
    if not stations:
        return _("No stations yet. Add the first one with the button below.")
    pages = max(1, -(-len(stations) // per_page))
    header = _("Stations: {total} (page {page} of {pages})").format(
        total=len(stations), page=page, pages=pages
    )
    lines = [f"<b>{header}</b>"]
    for station in stations[(page - 1) * per_page : page * per_page]:
        line = (
            f"{HEALTH_ICONS[station.health]} <b>{escape(station.name)}</b> — {escape(station.url)}"
        )
        if station.health == "failing":
            line += "\n      <i>" + escape(common.short(station.last_error, 200)) + "</i>"
        lines.append(line)
    return "\n".join(lines)


def _poll_line(poll: PollResult) -> str:
    when = poll.started_at.strftime("%m-%d %H:%M")
    if not poll.ok:
        return f"{when} — ❌ {escape(common.short(poll.error, 200))}"
    return f"{when} — " + _("{seen} listed, {new} new, {gone} gone").format(
        seen=poll.files_seen, new=poll.new_files, gone=poll.gone_files
    )


def _location(station: StationView) -> str:
    if station.latitude is None or station.longitude is None:
        return _("none")
    return _("{lat}° {lon}°, {alt} m, passes above {mask}°").format(
        lat=f"{station.latitude:g}",
        lon=f"{station.longitude:g}",
        alt=f"{station.altitude:g}",
        mask=f"{station.min_elevation:g}",
    )


def _platforms(station: StationView) -> str:
    if not station.platforms:
        return _("those its files showed lately")
    return escape(", ".join(station.platforms))


def station_card(
    station: StationView,
    polls: list[PollResult],
    totals: tuple[int, int],
    passes: tuple[int, int] = (0, 0),
) -> str:
    # The password is never shown: only whether there is one.
    rows = [
        f"<b>{escape(station.name)}</b> — {health_label(station)}",
        _("Address: {value}").format(value=f"<code>{escape(station.url)}</code>"),
        _("Login: {value}").format(value=escape(station.login)),
        _("Password: {value}").format(value=_("set") if station.has_password else _("none")),
        _("TLS: {value}").format(value=tls_label(station.tls)),
        _("Verify the certificate: {value}").format(value=_yes_no(station.verify_tls)),
        _("Root folder: {value}").format(value=escape(station.root)),
        _("Include masks: {value}").format(value=_masks(station.include_masks)),
        _("Exclude masks: {value}").format(value=_masks(station.exclude_masks)),
        _("Poll interval: {value} s").format(value=station.poll_interval),
        _("Connections at most: {value}").format(value=station.max_connections),
        _("Name encoding: {value}").format(value=encoding_label(station.encoding)),
        _("Location: {value}").format(value=_location(station)),
        _("Satellites: {value}").format(value=_platforms(station)),
        _("Files available: {count} ({size})").format(
            count=totals[0], size=common.size_label(totals[1])
        ),
        _("Last poll: {value}").format(value=common.when(station.last_poll_at)),
        _("Last success: {value}").format(value=common.when(station.last_success_at)),
    ]
    if station.latitude is not None:
        rows.append(
            _("Passes in the last day: {received} received of {predicted} predicted").format(
                received=passes[0], predicted=passes[1]
            )
        )
    if station.last_error:
        rows.append(
            _("Last error: {value}").format(value=escape(common.short(station.last_error, 300)))
        )
    if polls:
        rows += ["", "<b>" + _("Recent polls") + "</b>", *(_poll_line(p) for p in polls)]
    return "\n".join(rows)


def station_health(station: StationView) -> str:
    if station.failing:
        return _("⚠️ Station <b>{station}</b> is failing: {error}").format(
            station=escape(station.name), error=escape(station.last_error)
        )
    return _("✅ Station <b>{station}</b> answers again.").format(station=escape(station.name))


def poll_result(station: StationView, result: PollResult) -> str:
    if not result.ok:
        return _("Poll of {station} failed: {error}").format(
            station=f"<b>{escape(station.name)}</b>", error=escape(common.short(result.error, 300))
        )
    return _("Poll of {station}: {seen} files listed, {new} new, {gone} gone.").format(
        station=f"<b>{escape(station.name)}</b>",
        seen=result.files_seen,
        new=result.new_files,
        gone=result.gone_files,
    )


def polling(station: StationView) -> str:
    """Plain text: a button's answer."""
    return _("Polling {station}…").format(station=station.name)


def connecting(host: str) -> str:
    return _("Connecting to {host}…").format(host=escape(host))


def connected(entries: int) -> str:
    return _("✅ Connected; entries in the root folder: {count}.").format(count=entries)


def station_test_result(station: StationView, entries: int | None, error: FtpError | None) -> str:
    name = f"<b>{escape(station.name)}</b>"
    if error is not None:
        return f"❌ {name}: " + common.ftp_failure(error)
    return f"{name}: " + connected(entries or 0)


def confirm_delete_station(station: StationView) -> str:
    return _(
        "Delete the station {name}? Its file list goes too, and its followers stop following it."
    ).format(name=f"<b>{escape(station.name)}</b>")


def station_deleted(name: str) -> str:
    """Plain text: a button's answer."""
    return _("{name} was deleted.").format(name=name)


def chosen_tls(mode: str) -> str:
    return _("TLS: {value}").format(value=tls_label(mode))


# ---- the add-station wizard ----------------------------------------------------------------------


def ask_station_url() -> str:
    return _(
        "Adding a station. Send its address: ftp://host[:port][/folder], or ftps://… for "
        "implicit TLS. /cancel stops."
    )


def ask_station_login() -> str:
    return _("The login on the station? Send - for anonymous access.")


def ask_station_password() -> str:
    return _("The password? I delete your message right away.")


def ask_station_tls(suggested: str) -> str:
    return _("How to connect? The address suggests: {mode}.").format(mode=tls_label(suggested))


def ask_station_name(host: str) -> str:
    return _("Last step: send a name for the station, or use {host}.").format(
        host=f"<b>{escape(host)}</b>"
    )


def probe_failed(error: FtpError) -> str:
    return (
        "❌ "
        + _("Could not connect.")
        + " "
        + common.ftp_failure(error)
        + "\n\n"
        + _("Save the station anyway (it shows as failing until it answers), or cancel?")
    )


def station_added(station: StationView, entries: int | None) -> str:
    lines = [connected(entries)] if entries is not None else []
    lines.append(
        _("Station {name} is saved; it will be polled shortly.").format(
            name=f"<b>{escape(station.name)}</b>"
        )
    )
    return "\n".join(lines)


# ---- editing a station ---------------------------------------------------------------------------


def station_field_label(field: StationField) -> str:
    labels = {
        StationField.NAME: _("Name"),
        StationField.URL: _("Address"),
        StationField.LOGIN: _("Login"),
        StationField.PASSWORD: _("Password"),
        StationField.TLS: _("TLS"),
        StationField.VERIFY_TLS: _("Verify the certificate"),
        StationField.ROOT: _("Root folder"),
        StationField.INCLUDE_MASKS: _("Include masks"),
        StationField.EXCLUDE_MASKS: _("Exclude masks"),
        StationField.POLL_INTERVAL: _("Poll interval"),
        StationField.MAX_CONNECTIONS: _("Connections"),
        StationField.ENCODING: _("Name encoding"),
        StationField.LOCATION: _("Location"),
        StationField.PLATFORMS: _("Satellites"),
    }
    return labels[field]


def station_edit_menu(station: StationView) -> str:
    return _("Editing {name}: choose what to change.").format(name=f"<b>{escape(station.name)}</b>")


def ask_station_value(field: StationField, station: StationView) -> str:
    if field is StationField.PASSWORD:
        ask = _("Send the new password, or - for none. I delete your message right away.")
        return ask + " " + _("/cancel keeps the old one.")
    asks = {
        StationField.NAME: (_("Send the new name."), escape(station.name)),
        StationField.URL: (
            _("Send the new address: ftp://host[:port][/folder] or ftps://…"),
            escape(station.url),
        ),
        StationField.LOGIN: (
            _("Send the new login, or - for anonymous access."),
            escape(station.login),
        ),
        StationField.ROOT: (_("Send the folder to list."), escape(station.root)),
        StationField.INCLUDE_MASKS: (
            _(
                "Send the masks of the files to list, separated by commas (for example "
                "*.hrpt, 2026/*), or - for all files."
            ),
            _masks(station.include_masks),
        ),
        StationField.EXCLUDE_MASKS: (
            _("Send the masks of the files to skip, separated by commas, or - for none."),
            _masks(station.exclude_masks),
        ),
        StationField.POLL_INTERVAL: (
            _("Send the poll interval in seconds, from {low} to 86400.").format(low=MIN_INTERVAL),
            str(station.poll_interval),
        ),
        StationField.MAX_CONNECTIONS: (
            _("Send how many connections the station allows at once, from 1 to 20."),
            str(station.max_connections),
        ),
        StationField.LOCATION: (
            _(
                "Send the antenna's latitude and longitude in degrees, then, if you like, its "
                "altitude in metres and the lowest elevation of a pass worth expecting "
                "(for example 55.75 37.62 150 10), or - for no location (no predicted passes)."
            ),
            _location(station),
        ),
        StationField.PLATFORMS: (
            _(
                "Send the satellites the station receives, separated by commas (for example "
                "NOAA-20, Metop-B, EOS-Aqua), or - for those its files showed lately."
            ),
            _platforms(station),
        ),
    }
    ask, now = asks[field]
    return (
        ask
        + "\n"
        + _("Now: {value}").format(value=f"<code>{now}</code>")
        + "\n"
        + _("/cancel keeps the old one.")
    )


def ask_station_choice(field: StationField) -> str:
    if field is StationField.TLS:
        return _("Choose how to connect:")
    return _("Choose how the station encodes file names:")
