"""Texts of satellite passes: the pass announcements and the missed-pass notices, /passes with a
pass's files, /next, /announce, /timezone, and the /pattern wizard.

Times are shown in the reader's time zone (`UserView.time_zone`), with the zone beside them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common import texts as common
from services.core.models import PassState
from services.downloads.requests import PassRequest
from services.passes.views import (
    PassDetail,
    PassPage,
    PassProgress,
    PassView,
    PatternTrial,
    Schedule,
    ScheduledPass,
)
from services.stations.views import StationView

# What one message shows at most: Telegram takes 4096 characters.
FILES_SHOWN = 25
NEXT_SHOWN = 8
TRIALS_SHOWN = 10
TEXT_LIMIT = 3800

# ---- times ---------------------------------------------------------------------------------------


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # a zone this machine no longer knows
        return ZoneInfo("UTC")


def local(moment: datetime, zone: str) -> datetime:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(_zone(zone))


def zone_label(moment: datetime, zone: str) -> str:
    """The zone as a reader knows it at that moment: MSK, CET, UTC; UTC+07 where the zone has
    no letters of its own."""
    name = local(moment, zone).tzname() or "UTC"
    return "UTC" + name if name[:1] in "+-" else name


def span(start: datetime, end: datetime, zone: str, date: str = "") -> str:
    """`10:42–10:55 MSK`; with `date` (a strftime format) the day goes first."""
    first, last = local(start, zone), local(end, zone)
    day = first.strftime(date) + " " if date else ""
    return f"{day}{first:%H:%M}–{last:%H:%M} {zone_label(start, zone)}"


def moment_label(moment: datetime | None, zone: str) -> str:
    if moment is None:
        return "—"
    return f"{local(moment, zone):%Y-%m-%d %H:%M} {zone_label(moment, zone)}"


# ---- a pass --------------------------------------------------------------------------------------


def _files(count: int, size: int) -> str:
    return ngettext("{count} file, {size}", "{count} files, {size}", count).format(
        count=count, size=common.size_label(size)
    )


def pass_line(passage: PassView, zone: str, date: str = "") -> str:
    """NOAA-20 · 10:42–10:55 UTC · orbit 58000 · VIIRS, ATMS, CrIS · 23 files, 1.9 GiB"""
    parts = [f"<b>{escape(passage.platform)}</b>", span(passage.start, passage.end, zone, date)]
    if passage.orbit is not None:
        parts.append(_("orbit {orbit}").format(orbit=passage.orbit))
    if passage.instruments:
        parts.append(escape(", ".join(passage.instruments)))
    parts.append(_files(passage.files, passage.total_size))
    if 0 < passage.new_files < passage.files:  # announced before; these came later
        parts.append(_("{count} new").format(count=passage.new_files))
    return " · ".join(parts)


def pass_announcement(passage: PassView, zone: str) -> str:
    return (
        "🛰 "
        + pass_line(passage, zone)
        + "\n"
        + _("Station: {station}").format(station=f"<b>{escape(passage.station_name)}</b>")
    )


# Passes listed in one announcement at most; the rest are in /passes.
ANNOUNCED = 8


def passes_announcement(passes: Sequence[PassView], zone: str) -> str:
    """Several passes over one station completing at once: one message."""
    head = _("🛰 {count} passes over {station} are in:").format(
        count=len(passes), station=f"<b>{escape(passes[0].station_name)}</b>"
    )
    lines = [head]
    for number, passage in enumerate(passes[:ANNOUNCED], 1):
        lines.append(f"{number}. {pass_line(passage, zone, '%Y-%m-%d')}")
    if len(passes) > ANNOUNCED:
        lines.append(_("…and {count} more: /passes").format(count=len(passes) - ANNOUNCED))
    return "\n".join(lines)


def pass_missed(station_name: str, missed: Sequence[ScheduledPass], zone: str) -> str:
    """One notice per station and check: usually one pass, several after a quiet spell."""
    lines = [
        "⚠️ "
        + _("{platform} pass {time} expected over {station}, nothing arrived.").format(
            platform=f"<b>{escape(item.platform)}</b>",
            time=span(item.rise, item.set, zone),
            station=f"<b>{escape(station_name)}</b>",
        )
        for item in missed[:ANNOUNCED]
    ]
    if len(missed) > ANNOUNCED:
        lines.append(_("…and {count} more").format(count=len(missed) - ANNOUNCED))
    return "\n".join(lines)


# ---- /passes -------------------------------------------------------------------------------------


def pages_of(page: PassPage) -> int:
    return max(1, -(-page.total // page.per_page))


def receiving() -> str:
    return "⏳ " + _("still receiving")


def pass_list(page: PassPage, zone: str) -> str:
    if page.total == 0:
        return _(
            "No passes over your stations yet. A pass appears once files of a satellite arrive "
            "and their names are recognised. /stations chooses the stations you follow."
        )
    header = _("Passes over your stations: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=pages_of(page)
    )
    lines = [f"<b>{header}</b>"]
    start = (page.page - 1) * page.per_page
    for number, passage in enumerate(page.items, start + 1):
        line = f"{number}. {pass_line(passage, zone, '%Y-%m-%d')} — {escape(passage.station_name)}"
        if passage.state != PassState.COMPLETE:
            line += f" ({receiving()})"
        lines.append(line)
    return "\n".join(lines)


def _file_line(number: int, path: str, size: int, kind: Sequence[str | None], ok: bool) -> str:
    name = path.rsplit("/", 1)[-1]
    line = f"{number}. <code>{escape(common.short(name, 80))}</code> — {common.size_label(size)}"
    what = " · ".join(k for k in kind if k)
    if what:
        line += f" — {escape(what)}"
    if not ok:
        line += " — " + _("not on the station now")
    return line


def pass_files(detail: PassDetail, zone: str) -> str:
    summary = detail.summary
    head = "🛰 " + pass_line(summary, zone, "%Y-%m-%d")
    if summary.state != PassState.COMPLETE:
        head += f" ({receiving()})"
    lines = [
        head,
        _("Station: {station}").format(station=f"<b>{escape(summary.station_name)}</b>"),
        "",
    ]
    files = detail.files
    for number, file in enumerate(files[:FILES_SHOWN], 1):
        lines.append(
            _file_line(number, file.path, file.size, (file.instrument, file.level), file.available)
        )
    shown = min(len(files), FILES_SHOWN)
    while len("\n".join(lines)) > TEXT_LIMIT and shown > 1:  # long names: fewer lines
        lines.pop()
        shown -= 1
    if len(files) > shown:
        lines.append(_("…and {count} more").format(count=len(files) - shown))
    lines += ["", progress_line(detail.progress, len(files))]
    return "\n".join(lines)


def progress_line(progress: PassProgress, files: int) -> str:
    """How far the reader's downloads of a pass's files are."""
    if progress.files == 0:
        return _("You have not downloaded files of this pass yet.")
    parts = [
        ngettext(
            "Your downloads: {count} of {total} file",
            "Your downloads: {count} of {total} files",
            files,
        ).format(count=progress.files, total=files),
        _("{count} done").format(count=progress.completed),
    ]
    if progress.failed:
        parts.append(_("{count} failed").format(count=progress.failed))
    parts.append(
        f"{common.size_label(progress.bytes_done)} / {common.size_label(progress.total_size)}"
    )
    return " · ".join(parts)


# Button answers: plain text, at most 200 characters.


def pass_requested(request: PassRequest) -> str:
    if request.new:
        text = ngettext(
            "Started {count} download: follow it in /downloads.",
            "Started {count} downloads: follow them in /downloads.",
            request.new,
        ).format(count=request.new)
    elif request.downloads:
        text = _("Every file of this pass is in /downloads already.")
    else:
        text = _("No file of this pass can be downloaded now.")
    if request.refused:
        text += " " + ngettext(
            "{count} file did not fit your storage quota.",
            "{count} files did not fit your storage quota.",
            request.refused,
        ).format(count=request.refused)
    return text


# ---- /next ---------------------------------------------------------------------------------------


def next_passes(schedules: list[Schedule], zone: str, hours: int) -> str:
    if not schedules:
        return _("You follow no stations yet. Choose them in /stations.")
    header = "<b>" + _("The next passes over your stations") + "</b>"
    return "\n\n".join([header, *(_schedule(s, zone, hours) for s in schedules)])


def _schedule(schedule: Schedule, zone: str, hours: int) -> str:
    lines = [f"📡 <b>{escape(schedule.station_name)}</b>"]
    if not schedule.located:
        lines.append(_("No location is set for this station, so its passes cannot be predicted."))
        return "\n".join(lines)
    if not schedule.elements:
        lines.append(_("No orbital elements (TLE) are configured, so passes cannot be predicted."))
        return "\n".join(lines)
    if not schedule.platforms:
        lines.append(_("It is not known yet which satellites this station receives."))
    elif not schedule.passes:
        lines.append(_("No passes in the next {hours} hours.").format(hours=hours))
    for scheduled in schedule.passes[:NEXT_SHOWN]:
        lines.append(
            f"{escape(scheduled.platform)} · "
            f"{span(scheduled.rise, scheduled.set, zone, '%m-%d')} · "
            f"{scheduled.max_elevation:.0f}°"
        )
    if len(schedule.passes) > NEXT_SHOWN:
        lines.append(_("…and {count} more").format(count=len(schedule.passes) - NEXT_SHOWN))
    if schedule.unknown_platforms:
        lines.append(
            _("No orbital elements for: {platforms}.").format(
                platforms=escape(", ".join(schedule.unknown_platforms))
            )
        )
    lines.append(
        ngettext(
            "Received {received} of {predicted} predicted pass in the last day.",
            "Received {received} of {predicted} predicted passes in the last day.",
            schedule.predicted_last_day,
        ).format(received=schedule.received_last_day, predicted=schedule.predicted_last_day)
    )
    return "\n".join(lines)


# ---- /announce -----------------------------------------------------------------------------------


def announce_stations(stations: list[StationView]) -> str:
    if not stations:
        return _("You follow no stations yet. Choose them in /stations.")
    return _("Which passes should I announce to you? Choose a station.")


def announce_choices(
    station: StationView,
    platforms: Sequence[str],
    instruments: Sequence[str],
    chosen: tuple[Sequence[str], Sequence[str]],
) -> str:
    lines = [f"📡 <b>{escape(station.name)}</b>"]
    if not platforms and not instruments:
        lines.append(
            _(
                "No passes over this station yet, so there is nothing to choose: every pass "
                "will be announced."
            )
        )
        return "\n".join(lines)
    lines.append(
        _(
            "Tick the satellites and instruments whose passes you want announced. Nothing "
            "ticked: every pass."
        )
    )
    chosen_platforms, chosen_instruments = chosen
    which = escape(", ".join(chosen_platforms)) if chosen_platforms else _("every satellite")
    having = escape(", ".join(chosen_instruments)) if chosen_instruments else _("any instrument")
    lines.append(
        _("Announced now: {platforms}; {instruments}.").format(platforms=which, instruments=having)
    )
    return "\n".join(lines)


def announcement_choice_saved() -> str:
    """Plain text: a button's answer."""
    return _("Saved.")


# ---- /timezone -----------------------------------------------------------------------------------

ZONE_EXAMPLE = "Europe/Moscow"


def time_zone(zone: str, now: datetime) -> str:
    return _(
        "Your time zone: {zone} (it is {time} there now). To change it, send for example {example}"
    ).format(
        zone=f"<b>{escape(zone)}</b>",
        time=f"{local(now, zone):%H:%M}",
        example=f"<code>/timezone {ZONE_EXAMPLE}</code>",
    )


def time_zone_set(zone: str, now: datetime) -> str:
    return _("Times are shown in {zone} now (it is {time} there).").format(
        zone=f"<b>{escape(zone)}</b>", time=f"{local(now, zone):%H:%M}"
    )


# ---- /pattern ------------------------------------------------------------------------------------


def pattern_stations(stations: list[StationView]) -> str:
    if not stations:
        return _("No stations yet: add one in /stations_admin.")
    return _(
        "File name patterns tell which satellite, instrument and time a file's name means. "
        "Choose a station."
    )


def _pattern(number: int, stored: dict[str, Any]) -> str:
    line = f"{number}. <code>{escape(str(stored.get('format', '')))}</code>"
    platforms = stored.get("platforms") or {}
    if isinstance(platforms, dict) and platforms:
        line += "\n    " + escape(", ".join(f"{k} = {v}" for k, v in platforms.items()))
    fixed = [
        f"{key}: {stored[key]}" for key in ("platform", "instrument", "level") if stored.get(key)
    ]
    if fixed:
        line += "\n    " + escape(", ".join(fixed))
    return line


def station_patterns(station: StationView, patterns: list[dict[str, Any]]) -> str:
    lines = [f"📡 <b>{escape(station.name)}</b>"]
    if patterns:
        lines.append(_("Its own patterns, tried before the built-in ones:"))
        lines += [_pattern(n, p) for n, p in enumerate(patterns, 1)]
    else:
        lines.append(_("No patterns of its own: only the built-in ones read its names."))
    lines += ["", ask_pattern()]
    return "\n".join(lines)


PATTERN_EXAMPLE = "{platform}_{instrument}_{start_time:%Y%m%d_%H%M%S}_{orbit:05d}.dat"


def ask_pattern() -> str:
    return _(
        "Send a new pattern: the format of the names on the first line, for example\n"
        "{example}\n"
        "then, if the names carry short platform codes, one line per code: {mapping}\n"
        "What the names do not say can be fixed on a line of its own: {fixed}\n"
        "/cancel stops."
    ).format(
        example=f"<code>{escape(PATTERN_EXAMPLE)}</code>",
        mapping="<code>j01 = NOAA-20</code>",
        fixed=", ".join(
            f"<code>{line}</code>"
            for line in ("instrument = AVHRR", "level = L1B", "platform = NOAA-19")
        ),
    )


def _trial(trial: PatternTrial, zone: str) -> str:
    name = f"<code>{escape(common.short(trial.name, 80))}</code>"
    if trial.platform is None:
        return f"❌ {name} — " + _("does not match")
    parts = [trial.platform, trial.instrument, trial.level, trial.product]
    read = [escape(p) for p in parts if p]
    if trial.start is not None:
        read.append(moment_label(trial.start, zone))
    if trial.orbit is not None:
        read.append(_("orbit {orbit}").format(orbit=trial.orbit))
    return f"✅ {name}\n    → " + " · ".join(read)


def pattern_trial(station: StationView, trials: list[PatternTrial], zone: str) -> str:
    lines = [
        "<b>"
        + _("What the pattern reads from the newest names of {station}").format(
            station=escape(station.name)
        )
        + "</b>"
    ]
    if not trials:
        lines.append(_("The station has no files yet to try it on."))
    else:
        lines += [_trial(t, zone) for t in trials[:TRIALS_SHOWN]]
        while len("\n".join(lines)) > TEXT_LIMIT and len(lines) > 2:
            lines.pop()
        matched = sum(t.platform is not None for t in trials)
        lines.append(
            ngettext(
                "It matches {matched} of {total} name.",
                "It matches {matched} of {total} names.",
                len(trials),
            ).format(matched=matched, total=len(trials))
        )
    lines.append(_("Save it, cancel, or send another pattern to try."))
    return "\n".join(lines)


def pattern_saved(station: StationView) -> str:
    return _("Saved. The names of {station} are read again with it.").format(
        station=f"<b>{escape(station.name)}</b>"
    )


def pattern_problem(reason: str) -> str:
    """An unusable pattern: the error's words and the service's own detail."""
    return f"<i>{escape(common.short(reason, 300))}</i>"
