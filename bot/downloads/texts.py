"""Texts of downloads: the finished and failed notices, /downloads (the live message too), and
the answers of its buttons."""

from __future__ import annotations

from html import escape

from aiogram.utils.i18n import gettext as _

from bot.common import texts as common
from services.core.models import DownloadStatus
from services.downloads.views import DownloadPage, DownloadView


def download_finished(download: DownloadView) -> str:
    return _("✅ Downloaded <b>{name}</b> ({size}) from {station}. It is in /myfiles now.").format(
        name=escape(download.name),
        size=common.size_label(download.size),
        station=escape(download.station_name),
    )


def download_failed(download: DownloadView) -> str:
    return _("❌ The download of <b>{name}</b> failed: {reason}").format(
        name=escape(download.name), reason=escape(download_error(download))
    )


def download_error(download: DownloadView) -> str:
    """Why a download failed or waits, in the reader's language where the reason is known
    (plain text: escape it for HTML)."""
    reasons = {
        "quota_exceeded": _("there is not enough space left in your storage."),
        "write_failed": _(
            "the server could not write the file (its disk may be full). The part downloaded "
            "so far is kept: start it again later."
        ),
        "file_changed": _("the file changed on the station while it was downloaded."),
        "station_file_gone": _("the station no longer has this file."),
        "ftp_not_found": _("the station no longer has this file."),
        "ftp_login": _("the station refused the login."),
        "ftp_tls": _("the secure connection to the station failed."),
        "ftp_timeout": _("the station did not answer in time."),
        "ftp_unreachable": _("the station cannot be reached."),
        "ftp_busy": _("the station is busy (too many connections)."),
        "ftp_dropped": _("the station closed the connection."),
        "ftp_protocol": _("the station answered something unexpected."),
        "internal_error": _("something went wrong on our side; start it again."),
    }
    return reasons.get(download.error_code, download.error)


DOWNLOAD_ICONS = {
    DownloadStatus.QUEUED: "🕓",
    DownloadStatus.DOWNLOADING: "⬇️",
    DownloadStatus.PAUSED: "⏸",
    DownloadStatus.COMPLETED: "✅",
    DownloadStatus.FAILED: "❌",
    DownloadStatus.CANCELLED: "⏹",
}


RETRY_ICON = "🔁"


def _waiting_to_retry(download: DownloadView) -> bool:
    return download.status == DownloadStatus.QUEUED and bool(download.error_code or download.error)


def download_status(download: DownloadView) -> str:
    """The state of a download in a word or two, with its icon."""
    if _waiting_to_retry(download):
        return f"{RETRY_ICON} " + _("waiting to retry")
    labels = {
        DownloadStatus.QUEUED: _("queued"),
        DownloadStatus.DOWNLOADING: _("downloading"),
        DownloadStatus.PAUSED: _("paused"),
        DownloadStatus.COMPLETED: _("downloaded"),
        DownloadStatus.FAILED: _("failed"),
        DownloadStatus.CANCELLED: _("stopped"),
    }
    icon = DOWNLOAD_ICONS.get(download.status, "•")
    return f"{icon} {labels.get(download.status, escape(download.status))}"


def _duration(seconds: int) -> str:
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    if seconds < 3600:
        return _("{minutes} min {seconds} s").format(minutes=seconds // 60, seconds=seconds % 60)
    return _("{hours} h {minutes} min").format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def _percent(value: float) -> str:
    return f"{value:g}%"


def _download_item(number: int, download: DownloadView) -> str:
    lines = [
        f"{number}. <b>{escape(common.short(download.name))}</b> — "
        f"{escape(common.short(download.station_name, 60))}",
        " · ".join(
            [
                download_status(download),
                _percent(download.percent),
                f"{common.size_label(download.bytes_done)} / {common.size_label(download.size)}",
            ]
        ),
    ]
    if download.status == DownloadStatus.DOWNLOADING:
        moving = (
            [_("{speed}/s").format(speed=common.size_label(download.speed))]
            if download.speed
            else []
        )
        if download.eta is not None and download.speed:
            moving.append(_("{time} left").format(time=_duration(download.eta)))
        if download.restarted:
            moving.append(_("started over: the station cannot resume"))
        if moving:
            lines[-1] += " · " + " · ".join(moving)
    if download.status == DownloadStatus.FAILED or _waiting_to_retry(download):
        reason = download_error(download)
        lines.append("<i>" + escape(common.short(reason[:1].upper() + reason[1:], 300)) + "</i>")
    return "\n".join(lines)


def download_list(page: DownloadPage) -> str:
    if page.total == 0:
        return _(
            "You have no downloads. Open /station_files and press ⬇ beside a file to download it "
            "from its station."
        )
    pages = max(1, -(-page.total // page.per_page))
    header = _("Your downloads: {total} (page {page} of {pages})").format(
        total=page.total, page=page.page, pages=pages
    )
    start = (page.page - 1) * page.per_page
    items = [_download_item(n, d) for n, d in enumerate(page.items, start + 1)]
    return "\n\n".join([f"<b>{header}</b>", *items])


# Button answers: plain text, at most 200 characters.


def download_requested(download: DownloadView, *, created: bool) -> str:
    name = common.short(download.name)
    if download.status == DownloadStatus.COMPLETED:
        if created:
            return _("Downloaded: {name}. It is in /myfiles.").format(name=name)
        return _("Already downloaded: {name}. It is in /myfiles.").format(name=name)
    if created:
        return _("Queued: {name}. Follow it in /downloads.").format(name=name)
    return _("Already in /downloads: {name} ({status}).").format(
        name=name, status=download_status(download)
    )


def download_paused(download: DownloadView) -> str:
    return _("Paused: {name}").format(name=common.short(download.name))


def download_started(download: DownloadView) -> str:
    if download.status == DownloadStatus.COMPLETED:
        return _("Downloaded: {name}. It is in /myfiles.").format(name=common.short(download.name))
    return _("Started: {name}").format(name=common.short(download.name))


def download_stopped(download: DownloadView) -> str:
    return _("Stopped, and what it fetched is deleted: {name}").format(
        name=common.short(download.name)
    )


def download_removed(download: DownloadView) -> str:
    if download.file_id is not None:
        return _("Removed from the list, with its file: {name}").format(
            name=common.short(download.name)
        )
    return _("Removed from the list: {name}").format(name=common.short(download.name))
