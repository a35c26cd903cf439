"""The pages' words: one English text per key, translated through the gettext catalog the bot
shares (services/core/i18n.py). Templates read `t.<key>`, page scripts `t("<key>")` from the page
data; `{name}` marks a value the page fills in.

Keys `err_<code>` translate the services' error codes (`ERROR_TEXTS`, the same words the bot
uses); a code without an entry shows the API's own (English) message.
"""

from __future__ import annotations

from functools import cache

from services.core.i18n import (
    C_,
    ERROR_TEXTS,
    N_,
    QUOTA_NEEDS,
    TOO_LARGE,
    Text,
    translate,
)

# key: English msgid, or (context, msgid) where the same English needs another translation.
TEXTS: dict[str, Text] = {
    # ---- frame and navigation
    "nav_label": N_("Main menu"),
    "nav_files": N_("Files"),
    "nav_stations": N_("Stations"),
    "nav_downloads": N_("Downloads"),
    "nav_passes": N_("Passes"),
    "nav_admin": N_("Administration"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
    "register": N_("Register"),
    "go_home": N_("To the start page"),
    "go_login": N_("Sign in"),
    "pages": N_("Pages"),
    "prev": N_("← Previous"),
    "next": N_("Next →"),
    "newer": N_("← Newer"),
    "older": N_("Older →"),
    "page_of": N_("Page {page} of {pages}"),
    "save": N_("Save"),
    "cancel": N_("Cancel"),
    "yes": N_("yes"),
    "no": N_("no"),
    "total": N_("Total"),
    "filter_apply": N_("Show"),
    # ---- home, sign-in, registration
    "home_title": N_("Welcome"),
    "home_heading": N_("ftpgram"),
    "home_intro": N_(
        "Your files and the files of the receiving stations you follow, in Telegram and on "
        "the web. Sign in with a code from the bot or with your login and password."
    ),
    "login_title": C_("page title", "Sign in"),
    "code_heading": N_("With a code from the bot"),
    "code_intro": N_("Enter your Telegram id or @username; the bot sends you a one-time code."),
    "who_label": N_("Telegram id or @username"),
    "code_request": N_("Send me a code"),
    "code_sent": N_("The bot has sent you a code in Telegram. It is valid for 5 minutes."),
    "code_label": N_("Code from Telegram"),
    "code_submit": N_("Sign in"),
    "code_again": N_("Send a new code"),
    "password_heading": N_("With login and password"),
    "login_label": N_("Login"),
    "password_label": N_("Password"),
    "no_account": N_("No account yet?"),
    "have_account": N_("Already registered?"),
    "register_title": N_("Registration"),
    "register_intro": N_(
        "An administrator activates new accounts; until then you cannot sign in. In "
        "Telegram, send /start to the bot instead."
    ),
    "full_name_label": N_("Full name (optional)"),
    "email_label": N_("Email (optional)"),
    "hint_login": N_("4–20 Latin letters and digits, starting with a letter"),
    "hint_password": N_(
        "At least 6 characters with an upper-case letter, a digit and a special character"
    ),
    "problem_username": N_("Use 4–20 Latin letters and digits, starting with a letter."),
    "problem_password": N_(
        "Use at least 6 characters with an upper-case letter, a digit and a special character."
    ),
    "problem_email": N_("This email address is not valid."),
    "problem_full_name": N_("Enter a name."),
    "problem_other": N_("Check this field."),
    "registered_title": N_("Account created"),
    "registered_pending": N_(
        "Your account waits for an administrator to activate it. Then sign in with your "
        "login and password."
    ),
    "logout_title": C_("page title", "Sign out"),
    "logout_confirm": N_("Another site sent you here. Do you want to sign out of ftpgram?"),
    "stay": N_("Stay signed in"),
    "app_title": N_("ftpgram in Telegram"),
    "app_signing_in": N_("Signing you in with Telegram…"),
    "app_signed_in": N_("Signed in."),
    "app_confirm": N_(
        "This link signs you in to ftpgram as {name}. Continue only if that is you and you "
        "opened it yourself."
    ),
    "app_confirm_button": N_("Continue as {name}"),
    "app_outside": N_("This page signs you in when opened from the bot's menu button in Telegram."),
    # ---- files
    "files_title": N_("Your files"),
    "upload_heading": C_("heading", "Upload"),
    "upload_choose": N_("Choose a file"),
    "upload_button": N_("Upload"),
    "upload_pick": N_("Choose a file first."),
    "upload_progress": N_("{done} of {total} ({percent}%)"),
    "upload_storing": N_("checking and storing…"),
    "upload_cancelled": N_("The upload was cancelled."),
    "uploaded": N_("Uploaded: {name}"),
    "uploaded_plain": N_("The file is uploaded."),
    "upload_had": N_("You already have this file: {name}"),
    "usage_heading": N_("Space used"),
    "usage_summary": N_("{used} of {quota} used, {free} free"),
    "list_heading": N_("Files"),
    "filter_name": N_("Name contains"),
    "all_types": N_("all types"),
    "col_name": C_("file", "Name"),
    "col_type": N_("Type"),
    "col_count": C_("file count", "Files"),
    "col_size": N_("Size"),
    "col_date": N_("Uploaded"),
    "col_comment": N_("Comment"),
    "col_actions": N_("Actions"),
    "files_empty": N_("No files here yet."),
    "type_image": N_("image"),
    "type_video": N_("video"),
    "type_audio": N_("audio"),
    "type_document": N_("document"),
    "type_archive": N_("archive"),
    "type_other": N_("other"),
    "rename": N_("Rename"),
    "new_name": N_("New name"),
    "renamed": N_("Renamed to {name}"),
    "comment": N_("Comment"),
    "comment_saved": N_("The comment is saved."),
    "delete": N_("Delete"),
    "delete_confirm": N_("Really delete?"),
    "deleted": N_("Deleted: {name}"),
    "share": N_("Share"),
    "shared": N_("link"),
    "share_link": N_("Link"),
    "share_none": N_("No link yet. Anyone with a link can download the file without signing in."),
    "share_create": N_("Create a link"),
    "share_new": N_("Replace with a new link"),
    "share_created": N_("The link is ready."),
    "share_revoked": N_("The link no longer works."),
    "share_expiry": N_("Valid"),
    "share_never": N_("until revoked"),
    "share_hour": N_("1 hour"),
    "share_day": N_("1 day"),
    "share_week": N_("7 days"),
    "share_month": N_("30 days"),
    "share_limit": N_("Downloads at most"),
    "share_expires": N_("valid until {when}"),
    "share_no_expiry": N_("valid until revoked"),
    "share_downloads": N_("downloaded {count} times"),
    "share_downloads_of": N_("downloaded {count} of {max} times"),
    "copy": N_("Copy"),
    "copied": N_("The link is copied."),
    "revoke": N_("Revoke"),
    # ---- stations and downloads
    "stations_title": N_("Stations"),
    "choose_heading": N_("Stations you follow"),
    "choose_intro": N_(
        "You hear about new files on the stations you follow and can download them."
    ),
    "stations_empty": N_("There are no stations yet."),
    "stations_saved": N_("Your stations are saved."),
    "station_files_heading": N_("Files on your stations"),
    "station_files_empty": N_("No files: choose stations above, or wait for their next poll."),
    "all_stations": N_("all your stations"),
    "only_new": N_("only new"),
    "mark_seen": N_("Mark all as seen"),
    "marked_seen": N_("Marked as seen."),
    "new": N_("new"),
    "col_station": N_("Station"),
    "col_path": N_("File"),
    "col_available": N_("Available since"),
    "last_poll": N_("last successful poll: {when}"),
    "download": N_("Download"),
    "download_queued": N_("Download queued: {name}"),
    "in_downloads": N_("In your downloads →"),
    "health_ok": N_("working"),
    "health_failing": N_("failing"),
    "health_waiting": N_("not polled yet"),
    "health_disabled": N_("disabled"),
    "downloads_title": N_("Your downloads"),
    "downloads_empty": N_("No downloads yet. Pick files on your stations:"),
    "col_status": N_("Status"),
    "col_progress": N_("Progress"),
    "col_speed": N_("Speed"),
    "col_eta": N_("Time left"),
    "live_connecting": N_("connecting…"),
    "live_on": N_("live"),
    "live_reconnecting": N_("connection lost, reconnecting…"),
    "status_dl_queued": N_("queued"),
    "status_dl_downloading": N_("downloading"),
    "status_dl_paused": N_("paused"),
    "status_dl_completed": N_("completed"),
    "status_dl_failed": N_("failed"),
    "status_dl_cancelled": N_("stopped"),
    "dl_pause": N_("Pause"),
    "dl_start": N_("Start"),
    "dl_down": N_("Stop and delete"),
    "dl_remove": N_("Remove"),
    "dl_restarted": N_("The station cannot resume: it started over."),
    # ---- satellite passes
    "passes_title": N_("Satellite passes"),
    "passes_heading": N_("Passes over your stations"),
    "passes_empty": N_(
        "No passes yet. Passes appear when the stations you follow publish files whose names "
        "tell the satellite and the time."
    ),
    "col_platform": N_("Satellite"),
    "col_instrument": N_("Instrument"),
    "col_instruments": N_("Instruments"),
    "col_orbit": N_("Orbit"),
    "pass_any_state": N_("any"),
    "pass_receiving": N_("receiving"),
    "pass_complete": C_("pass", "complete"),
    "pass_since": C_("time range", "From"),
    "pass_until": C_("time range", "To"),
    "pass_orbit": N_("orbit {orbit}"),
    "pass_files": N_("Files"),
    "pass_hide_files": N_("Hide files"),
    "pass_download": N_("Download pass"),
    "pass_queued": N_(
        "{new} new downloads queued; {total} files of the pass are in your downloads."
    ),
    "pass_refused": N_("{refused} files did not fit your quota."),
    "pass_progress": N_("Your downloads: {completed} of {files} completed, {failed} failed."),
    "pass_not_asked": N_("You have not downloaded files of this pass yet."),
    "pass_file_unavailable": N_("not available"),
    "schedule_heading": N_("Next passes"),
    "schedule_no_stations": N_("Follow stations to see their next passes."),
    "schedule_unlocated": N_(
        "No location is set for this station, so its passes cannot be predicted."
    ),
    "schedule_no_elements": N_(
        "No orbital elements (TLE) are configured, so passes cannot be predicted."
    ),
    "schedule_none": N_("No passes in the next {hours} hours."),
    "schedule_unknown": N_("No orbital elements for: {platforms}."),
    "schedule_last_day": N_("Last day: {received} of {predicted} predicted passes received."),
    "col_rise": N_("Rise"),
    "col_culmination": N_("Highest"),
    "col_set": N_("Set"),
    "col_elevation": N_("Max. elevation"),
    "announce_heading": N_("Announcements"),
    "announce_intro": N_(
        "Choose the satellites and instruments whose passes you are told about in Telegram; "
        "nothing chosen means every pass."
    ),
    "announce_none": N_("No passes seen on this station yet."),
    "announce_saved": N_("Saved: {station}"),
    "zone_heading": N_("Time zone"),
    "zone_label": N_("Show times in"),
    "zone_line": N_("Times are shown in {zone}."),
    "zone_browser": N_("Use this browser's: {zone}"),
    "zone_saved": N_("Times are now shown in {zone}."),
    # ---- administration
    "admin_title": N_("Administration"),
    "users_heading": N_("Users"),
    "col_user": N_("User"),
    "col_telegram": N_("Telegram"),
    "col_state": N_("State"),
    "col_admin": N_("Admin"),
    "col_quota": N_("Used / quota"),
    "state_active": C_("user", "active"),
    "state_pending": N_("waiting"),
    "state_rejected": N_("rejected"),
    "activate": N_("Activate"),
    "deactivate": N_("Deactivate"),
    "make_admin": N_("Make admin"),
    "unmake_admin": N_("Remove admin rights"),
    "user_saved": N_("Saved: {name}"),
    "quota_gib": N_("Quota in GiB (empty: the default)"),
    "gib": N_("GiB"),
    "quota_saved": N_("The quota is saved."),
    "admin_stations_heading": N_("Stations"),
    "admin_stations_empty": N_("No stations yet."),
    "col_address": N_("Address"),
    "col_health": N_("Health"),
    "col_last_poll": N_("Last poll"),
    "last_success": N_("last success: {when}"),
    "station_test": N_("Test"),
    "station_test_ok": N_("{name} answers: {entries} entries in its folder."),
    "station_settings_ok": N_("The station answers: {entries} entries in its folder."),
    "poll_now": N_("Poll now"),
    "poll_done": N_("{name} polled: {seen} files, {fresh} new."),
    "enable": N_("Enable"),
    "disable": N_("Disable"),
    "add_station": N_("Add a station"),
    "station_name": N_("Name"),
    "station_url": N_("Address (ftp:// or ftps://)"),
    "station_login": N_("Login"),
    "station_password": N_("Password"),
    "station_tls": N_("TLS"),
    "tls_from_url": N_("as in the address"),
    "tls_none": C_("TLS", "none"),
    "tls_explicit": N_("explicit (AUTH TLS)"),
    "tls_implicit": N_("implicit (ftps://)"),
    "station_verify": N_("Verify the certificate"),
    "station_include": N_("Only files matching (masks)"),
    "station_interval": N_("Poll every (seconds)"),
    "station_add": N_("Add"),
    "station_added": N_("Station added: {name}"),
    "station_more": N_("Location and name patterns"),
    "location_heading": N_("Location"),
    "location_intro": N_(
        "Where the antenna is: with a location, the next passes over the station are predicted "
        "from orbital elements."
    ),
    "st_latitude": N_("Latitude (° north)"),
    "st_longitude": N_("Longitude (° east)"),
    "st_altitude": N_("Altitude (m)"),
    "st_min_elevation": N_("Elevation mask (°)"),
    "st_platforms": N_("Satellites it receives (comma-separated; empty: those its files showed)"),
    "location_saved": N_("Location saved: {name}"),
    "patterns_heading": N_("Name patterns"),
    "patterns_intro": N_(
        "How this station's file names tell the satellite, instrument and time. Its own "
        "patterns are tried first, then the built-in ones. Try a pattern on the station's "
        "newest names before saving it."
    ),
    "patterns_empty": N_("No patterns of its own: the built-in ones read its names."),
    "pattern_format": N_("Format"),
    "col_platforms": N_("Platform codes"),
    "pattern_platforms": N_("Platform codes, one per line: code = Name"),
    "pattern_platform": N_("Satellite (when the names do not say)"),
    "pattern_instrument": N_("Instrument (when the names do not say)"),
    "pattern_level": N_("Level (when the names do not say)"),
    "pattern_samples": N_("Names to try it on, one per line (empty: the station's newest files)"),
    "pattern_try": N_("Try"),
    "pattern_save": N_("Save the pattern"),
    "pattern_saved": N_("The pattern is saved; the station's files were read again."),
    "pattern_deleted": N_("The pattern is removed; the station's files were read again."),
    "pattern_matches": N_("The pattern reads {matched} of {total} names."),
    "pattern_no_match": N_("does not match"),
    "pattern_bad_line": N_("Platform codes, line {line}: write code = Name."),
    "logs_heading": N_("Server log"),
    "logs_level": N_("At least"),
    "col_time": N_("Time"),
    "col_level": N_("Level"),
    "col_source": N_("Source"),
    "col_message": N_("Message"),
    # ---- statuses of error pages
    "status_400": N_("Check your input"),
    "status_401": N_("Please sign in"),
    "status_403": N_("Not allowed"),
    "status_404": N_("Not found"),
    "status_405": C_("HTTP 405", "Not allowed"),
    "status_409": N_("Not possible now"),
    "status_410": N_("No longer available"),
    "status_413": N_("Too large"),
    "status_429": N_("Too many attempts"),
    "status_500": N_("Something went wrong"),
    "status_502": N_("The station does not answer"),
    "status_503": N_("Temporarily unavailable"),
    "status_507": N_("Not enough space"),
    "error_not_found": N_("There is nothing at this address."),
    # ---- failures the page scripts word themselves (error codes: ERROR_TEXTS, below)
    "err_generic": N_("Something went wrong."),
    "err_status": N_("The server answered with error {status}."),
    "err_network": N_("The server cannot be reached; check your connection."),
    "err_quota_value": N_("Enter the quota as a number of GiB."),
}

# Error texts with amounts, formatted by the page scripts before an upload.
ERROR_DETAILS: dict[str, Text] = {
    "err_quota_needs": QUOTA_NEEDS,  # {needed}, {free}
    "err_file_too_large_max": TOO_LARGE,  # {maximum}
}


@cache
def texts(language: str) -> dict[str, str]:
    """Every text in one language (English for a language we do not speak)."""
    words = {key: translate(language, text) for key, text in TEXTS.items()}
    words.update({f"err_{code}": translate(language, text) for code, text in ERROR_TEXTS.items()})
    words.update({key: translate(language, text) for key, text in ERROR_DETAILS.items()})
    return words
