// The passes page: passes over the stations you follow (filters, a file list with your progress
// per pass, "Download pass"), the next passes predicted over each followed station, and the time
// zone the times are shown in.
"use strict";

(function () {
  const { data, t, api, el, bytes, notify, act, query, pager } = window.ftpgram;
  const PER_PAGE = 20;
  const HOURS = 24; // how far ahead the next passes are shown
  const state = { page: 1, filter: {}, zone: validZone(data.time_zone) ? data.time_zone : "UTC" };
  const body = document.querySelector("#passes tbody");
  const stationSelect = document.getElementById("pass-station");
  const STATES = { receiving: t("pass_receiving"), complete: t("pass_complete") };

  function validZone(zone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: zone });
      return Boolean(zone);
    } catch (_) {
      return false;
    }
  }

  // ---- times in the chosen zone -------------------------------------------------------------

  function when(iso, options) {
    if (!iso) {
      return "—";
    }
    return new Date(iso).toLocaleString(data.lang, { timeZone: state.zone, ...(options || { dateStyle: "medium", timeStyle: "short" }) });
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString(data.lang, { timeZone: state.zone, timeStyle: "short" }) : "—";
  }

  function span(start, end) {
    const sameDay = when(start, { dateStyle: "medium" }) === when(end, { dateStyle: "medium" });
    return when(start) + " – " + (sameDay ? clock(end) : when(end));
  }

  // A datetime-local value ("2024-06-18T12:00") read in the chosen zone, as an ISO instant.
  function instant(value) {
    if (!value) {
      return "";
    }
    const guess = Date.parse(value + ":00Z");
    if (Number.isNaN(guess)) {
      return "";
    }
    const parts = {};
    for (const part of new Intl.DateTimeFormat("en-US", {
      timeZone: state.zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(guess))) {
      parts[part.type] = Number(part.value);
    }
    const shown = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    return new Date(guess - (shown - guess)).toISOString();
  }

  function showZone() {
    document.getElementById("zone-line").textContent = t("zone_line", { zone: state.zone });
    document.getElementById("zone-input").value = state.zone;
  }

  // ---- passes -------------------------------------------------------------------------------

  async function loadPasses(page) {
    state.page = page || state.page;
    const result = await api("GET", "/api/v1/passes/" + query({ page: state.page, per_page: PER_PAGE, ...state.filter }));
    body.replaceChildren(...result.items.flatMap(passRows));
    document.getElementById("passes-empty").hidden = result.total > 0;
    pager("passes", result.page, result.per_page, result.total, loadPasses);
  }

  function passRows(item) {
    const panel = el("tr", { class: "panel pass-files", hidden: true }, el("td", { colspan: 8 }));
    const toggle = el("button", { type: "button", class: "pass-toggle", "aria-expanded": "false", text: t("pass_files") });
    toggle.addEventListener("click", () =>
      act(toggle, async () => {
        const open = toggle.getAttribute("aria-expanded") !== "true";
        if (open) {
          await fillPanel(item, panel);
        }
        panel.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? t("pass_hide_files") : t("pass_files");
      }),
    );
    const download = el("button", { type: "button", class: "pass-download primary", text: t("pass_download") });
    download.addEventListener("click", () =>
      act(download, async () => {
        const result = await api("POST", "/api/v1/passes/" + item.id + "/download/");
        let message = t("pass_queued", { new: result.new, total: result.downloads.length });
        if (result.refused) {
          message += " " + t("pass_refused", { refused: result.refused });
        }
        notify(message, result.refused ? "error" : "ok");
        await fillPanel(item, panel);
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
        toggle.textContent = t("pass_hide_files");
      }),
    );
    const row = el(
      "tr",
      { dataset: { id: item.id, state: item.state } },
      el("td", { text: item.station_name }),
      el("td", {}, el("span", { class: "pass-platform", text: item.platform }),
        item.orbit !== null ? el("br") : null,
        item.orbit !== null ? el("small", { class: "muted", text: t("pass_orbit", { orbit: item.orbit }) }) : null),
      el("td", { class: "nowrap", text: span(item.start, item.end) }),
      el("td", { text: item.instruments.join(", ") || "—" }),
      el("td", { class: "num", text: item.files }),
      el("td", { class: "num", text: bytes(item.total_size) }),
      el("td", {}, el("span", { class: "badge pass-" + item.state + (item.state === "complete" ? " health-ok" : ""), text: STATES[item.state] || item.state })),
      el("td", { class: "actions" }, download, toggle),
    );
    return [row, panel];
  }

  async function fillPanel(item, panel) {
    const detail = await api("GET", "/api/v1/passes/" + item.id + "/");
    const progress = detail.progress;
    const summary = progress.files
      ? el("p", { class: "pass-progress" },
          el("progress", { max: Math.max(1, progress.total_size), value: Math.min(progress.bytes_done, Math.max(1, progress.total_size)) }),
          " ",
          el("span", { text: t("pass_progress", { completed: progress.completed, files: progress.files, failed: progress.failed }) }),
          " ",
          el("small", { class: "muted", text: bytes(progress.bytes_done) + " / " + bytes(progress.total_size) }),
          " ",
          el("a", { href: "/downloads", text: t("in_downloads") }))
      : el("p", { class: "pass-progress muted", text: t("pass_not_asked") });
    const files = el(
      "table",
      { class: "compact pass-file-list" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("col_path") }),
        el("th", { scope: "col", text: t("col_instrument") }),
        el("th", { scope: "col", text: t("col_level") }),
        el("th", { scope: "col", text: t("col_time") }),
        el("th", { scope: "col", class: "num", text: t("col_size") }))),
      el("tbody", {}, ...detail.files.map((file) =>
        el("tr", { dataset: { id: file.id } },
          el("td", {}, el("span", { class: "path", text: file.path }),
            file.available ? null : " ",
            file.available ? null : el("span", { class: "badge", text: t("pass_file_unavailable") })),
          el("td", { text: file.instrument || "—" }),
          el("td", { text: [file.level, file.product].filter(Boolean).join(" · ") || "—" }),
          el("td", { class: "nowrap", text: file.start ? span(file.start, file.end || file.start) : "—" }),
          el("td", { class: "num", text: bytes(file.size) })))),
    );
    panel.firstChild.replaceChildren(summary, files);
  }

  document.getElementById("pass-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (id) => document.getElementById(id).value.trim();
    state.filter = {
      station_id: value("pass-station"),
      platform: value("pass-platform"),
      instrument: value("pass-instrument"),
      state: value("pass-state"),
      since: instant(value("pass-since")),
      until: instant(value("pass-until")),
    };
    act(null, () => loadPasses(1));
  });

  // ---- stations: the filter and the next passes ---------------------------------------------

  async function loadStations() {
    const result = await api("GET", "/api/v1/stations/");
    const followed = result.items.filter((station) => station.followed);
    stationSelect.replaceChildren(
      el("option", { value: "", text: t("all_stations") }),
      ...followed.map((station) => el("option", { value: station.id, text: station.name })),
    );
    document.getElementById("schedules-empty").hidden = followed.length > 0;
    const schedules = await Promise.all(
      followed.map((station) => api("GET", "/api/v1/stations/" + station.id + "/schedule/" + query({ hours: HOURS }))),
    );
    document.getElementById("schedules").replaceChildren(...schedules.map(scheduleCard));
    const choices = await Promise.all(
      followed.map((station) => api("GET", "/api/v1/account/stations/" + station.id + "/announcements/")),
    );
    document.getElementById("announce-choices").replaceChildren(
      ...choices.map((choice, index) => announceCard(followed[index], choice)),
    );
    const platforms = new Set(schedules.flatMap((schedule) => schedule.platforms));
    document.getElementById("pass-platforms").replaceChildren(...[...platforms].sort().map((name) => el("option", { value: name })));
  }

  // Which passes of a station to be told about: a box per platform and instrument seen there.
  function announceCard(station, choice) {
    const card = el("form", { class: "card announce", dataset: { station: station.id } },
      el("h3", { class: "station-name", text: station.name }));
    const kinds = [
      ["platforms", choice.seen_platforms, choice.platforms, t("col_platform")],
      ["instruments", choice.seen_instruments, choice.instruments, t("col_instruments")],
    ];
    if (!choice.seen_platforms.length) {
      card.append(el("p", { class: "muted", text: t("announce_none") }));
      return card;
    }
    for (const [name, seen, chosen, label] of kinds) {
      card.append(el("fieldset", {}, el("legend", { text: label }),
        ...seen.map((value) => el("label", { class: "check" },
          el("input", { type: "checkbox", name, value, checked: chosen.includes(value) }), " " + value + " "))));
    }
    const save = el("button", { type: "submit", class: "primary", text: t("save") });
    card.append(save);
    card.addEventListener("submit", (event) => {
      event.preventDefault();
      const picked = (name) => [...card.querySelectorAll("input[name=" + name + "]:checked")].map((box) => box.value);
      act(save, async () => {
        await api("PUT", "/api/v1/account/stations/" + station.id + "/announcements/", {
          platforms: picked("platforms"),
          instruments: picked("instruments"),
        });
        notify(t("announce_saved", { station: station.name }));
      });
    });
    return card;
  }

  function scheduleCard(schedule) {
    const card = el("section", { class: "card schedule", dataset: { station: schedule.station_id } },
      el("h3", { class: "station-name", text: schedule.station_name }));
    if (!schedule.located) {
      card.append(el("p", { class: "muted", text: t("schedule_unlocated") }));
      return card;
    }
    if (!schedule.elements) {
      card.append(el("p", { class: "muted", text: t("schedule_no_elements") }));
      return card;
    }
    if (schedule.predicted_last_day) {
      card.append(el("p", { text: t("schedule_last_day", { received: schedule.received_last_day, predicted: schedule.predicted_last_day }) }));
    }
    if (schedule.unknown_platforms.length) {
      card.append(el("p", { class: "muted", text: t("schedule_unknown", { platforms: schedule.unknown_platforms.join(", ") }) }));
    }
    if (!schedule.passes.length) {
      card.append(el("p", { class: "muted schedule-none", text: t("schedule_none", { hours: HOURS }) }));
      return card;
    }
    card.append(el(
      "table",
      { class: "compact schedule-passes" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: t("col_platform") }),
        el("th", { scope: "col", text: t("col_rise") }),
        el("th", { scope: "col", text: t("col_culmination") }),
        el("th", { scope: "col", text: t("col_set") }),
        el("th", { scope: "col", class: "num", text: t("col_elevation") }))),
      el("tbody", {}, ...schedule.passes.map((pass) =>
        el("tr", {},
          el("td", { text: pass.platform }),
          el("td", { class: "nowrap", text: when(pass.rise) }),
          el("td", { class: "nowrap", text: clock(pass.culmination) }),
          el("td", { class: "nowrap", text: clock(pass.set) }),
          el("td", { class: "num", text: pass.max_elevation.toLocaleString(data.lang, { maximumFractionDigits: 1 }) + "°" })))),
    ));
    return card;
  }

  // ---- time zone ----------------------------------------------------------------------------

  const zones = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  document.getElementById("zone-names").replaceChildren(...["UTC", ...zones].map((zone) => el("option", { value: zone })));
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const useBrowser = document.getElementById("zone-browser");
  if (browserZone && validZone(browserZone)) {
    useBrowser.textContent = t("zone_browser", { zone: browserZone });
    useBrowser.hidden = false;
    useBrowser.addEventListener("click", () => {
      document.getElementById("zone-input").value = browserZone;
    });
  }

  const zoneForm = document.getElementById("zone-form");
  zoneForm.addEventListener("submit", (event) => {
    event.preventDefault();
    act(zoneForm.querySelector("button[type=submit]"), async () => {
      const user = await api("PUT", "/api/v1/account/time-zone/", { time_zone: document.getElementById("zone-input").value.trim() });
      state.zone = user.time_zone;
      showZone();
      notify(t("zone_saved", { zone: user.time_zone }));
      await Promise.all([loadPasses(), loadStations()]);
    });
  });

  showZone();
  act(null, async () => {
    await Promise.all([loadStations(), loadPasses(1)]);
  });
})();
