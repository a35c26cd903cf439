// The administration page: users (activate, deactivate, admin flag, quota), stations (add, test,
// poll now, enable, health; per station its location and its file name patterns: try, save,
// remove) and the server log.
"use strict";

(function () {
  const { data, t, api, ApiError, el, bytes, when, notify, act, query, pager } = window.ftpgram;
  const GIB = 1024 ** 3;
  const state = { usersPage: 1, logsPage: 1, level: "info", openStations: new Set() };

  // ---- users --------------------------------------------------------------------------------

  async function loadUsers(page) {
    state.usersPage = page || state.usersPage;
    const result = await api("GET", "/api/v1/admin/users/" + query({ page: state.usersPage, per_page: 20 }));
    document.querySelector("#users-table tbody").replaceChildren(...result.items.map(userRow));
    pager("users", result.page, result.per_page, result.total, loadUsers);
  }

  function patchButton(user, label, change, className) {
    const node = el("button", { type: "button", class: className, text: label });
    node.addEventListener("click", () =>
      act(node, async () => {
        const changed = await api("PATCH", "/api/v1/admin/users/" + user.id + "/", change);
        notify(t("user_saved", { name: changed.full_name || changed.login || "#" + changed.id }));
        await loadUsers();
      }),
    );
    return node;
  }

  function userRow(user) {
    const self = user.id === data.user.id;
    const telegram = user.telegram_username ? "@" + user.telegram_username : user.telegram_id ? String(user.telegram_id) : "—";
    const quota = el("input", {
      type: "number", min: 0, step: "0.1", class: "quota-input",
      value: +(user.quota / GIB).toFixed(2), "aria-label": t("quota_gib"),
    });
    const saveQuota = el("button", { type: "button", class: "quota-save", text: t("save") });
    saveQuota.addEventListener("click", () =>
      act(saveQuota, async () => {
        const value = quota.value.trim();
        const bytesValue = value === "" ? null : Math.round(Number(value) * GIB);
        if (bytesValue !== null && !(bytesValue >= 0)) {
          throw new Error(t("err_quota_value"));
        }
        await api("PATCH", "/api/v1/admin/users/" + user.id + "/", { quota: bytesValue });
        notify(t("quota_saved"));
        await loadUsers();
      }),
    );
    const actions = [];
    if (user.is_active) {
      if (!self) actions.push(patchButton(user, t("deactivate"), { is_active: false }, "deactivate danger"));
    } else {
      actions.push(patchButton(user, t("activate"), { is_active: true }, "activate primary"));
    }
    if (user.is_active && !user.is_admin) actions.push(patchButton(user, t("make_admin"), { is_admin: true }, "make-admin"));
    if (user.is_admin && !self) actions.push(patchButton(user, t("unmake_admin"), { is_admin: false }, "unmake-admin"));
    return el(
      "tr",
      { dataset: { id: user.id, state: user.state } },
      el("td", {}, el("span", { class: "user-name", text: user.full_name || user.login || "#" + user.id }),
        user.login ? el("small", { class: "muted", text: " · " + user.login }) : null),
      el("td", { text: telegram }),
      el("td", {}, el("span", { class: "badge state-" + user.state, text: t("state_" + user.state) })),
      el("td", { text: user.is_admin ? t("yes") : t("no") }),
      el("td", { class: "quota" },
        el("small", { text: bytes(user.used) + " / " + bytes(user.quota) }), el("br"),
        quota, el("span", { text: " " + t("gib") + " " }), saveQuota),
      el("td", { class: "actions" }, ...actions),
    );
  }

  // ---- stations -----------------------------------------------------------------------------

  async function loadStations() {
    const result = await api("GET", "/api/v1/admin/stations/");
    document.querySelector("#admin-stations tbody").replaceChildren(...result.items.flatMap(stationRows));
    document.getElementById("admin-stations-empty").hidden = result.items.length > 0;
  }

  function stationButton(station, label, className, action) {
    const node = el("button", { type: "button", class: className, text: label });
    node.addEventListener("click", () => act(node, async () => {
      await action();
      await loadStations();
    }));
    return node;
  }

  function stationRows(station) {
    const base = "/api/v1/admin/stations/" + station.id + "/";
    const panel = el("tr", { class: "panel station-panel", hidden: true }, el("td", { colspan: 5 }));
    const more = el("button", { type: "button", class: "station-more", "aria-expanded": "false", text: t("station_more") });
    function show(open) {
      if (open && !panel.firstChild.firstChild) {
        fillStationPanel(station, panel.firstChild);
      }
      panel.hidden = !open;
      more.setAttribute("aria-expanded", String(open));
      if (open) state.openStations.add(station.id); else state.openStations.delete(station.id);
    }
    more.addEventListener("click", () => act(more, () => show(more.getAttribute("aria-expanded") !== "true")));
    if (state.openStations.has(station.id)) show(true);
    const row = el(
      "tr",
      { dataset: { id: station.id, health: station.health } },
      el("td", { class: "station-name", text: station.name }),
      el("td", {}, el("code", { text: station.url }), el("br"),
        el("small", { class: "muted", text: t("tls_" + station.tls) + (station.login ? " · " + station.login : "") })),
      el("td", {}, el("span", { class: "badge health-" + station.health, text: t("health_" + station.health) }),
        station.last_error ? el("br") : null,
        station.last_error ? el("small", { class: "muted error-text", text: station.last_error }) : null),
      el("td", {}, el("span", { text: when(station.last_poll_at) }), el("br"),
        el("small", { class: "muted", text: t("last_success", { when: when(station.last_success_at) }) })),
      el("td", { class: "actions" },
        stationButton(station, t("station_test"), "station-test", async () => {
          const probe = await api("POST", base + "test/");
          notify(t("station_test_ok", { name: station.name, entries: probe.entries }));
        }),
        stationButton(station, t("poll_now"), "station-poll", async () => {
          const poll = await api("POST", base + "poll/");
          notify(t("poll_done", { name: station.name, seen: poll.files_seen, fresh: poll.new_files }));
        }),
        station.enabled
          ? stationButton(station, t("disable"), "station-disable", () => api("PATCH", base, { enabled: false }))
          : stationButton(station, t("enable"), "station-enable", () => api("PATCH", base, { enabled: true })),
        more,
      ),
    );
    return [row, panel];
  }

  // ---- a station's location and name patterns -----------------------------------------------

  function fillStationPanel(station, cell) {
    const base = "/api/v1/admin/stations/" + station.id + "/";
    cell.replaceChildren(document.getElementById("station-panel").content.cloneNode(true));
    // Each panel's fields get ids of their own, so their labels name them.
    for (const form of cell.querySelectorAll("form")) {
      for (const label of form.querySelectorAll("label[data-for]")) {
        const input = form.elements.namedItem(label.dataset.for);
        input.id = "st" + station.id + "-" + form.className + "-" + label.dataset.for;
        label.htmlFor = input.id;
      }
    }
    const location = cell.querySelector(".station-location");
    const field = (form, name) => form.elements.namedItem(name);
    field(location, "latitude").value = station.latitude ?? "";
    field(location, "longitude").value = station.longitude ?? "";
    field(location, "altitude").value = station.altitude;
    field(location, "min_elevation").value = station.min_elevation;
    field(location, "platforms").value = station.platforms.join(", ");
    location.addEventListener("submit", (event) => {
      event.preventDefault();
      const number = (name) => (field(location, name).value.trim() === "" ? null : Number(field(location, name).value));
      const change = {
        latitude: number("latitude"),
        longitude: number("longitude"),
        platforms: field(location, "platforms").value.split(/[,\n]+/).map((p) => p.trim()).filter(Boolean),
      };
      for (const name of ["altitude", "min_elevation"]) {
        if (number(name) !== null) change[name] = number(name);
      }
      act(location.querySelector("button[type=submit]"), async () => {
        const saved = await api("PATCH", base, change);
        notify(t("location_saved", { name: saved.name }));
        await loadStations();
      });
    });

    const patterns = cell.querySelector(".station-patterns");
    const form = patterns.querySelector(".pattern-form");

    function patternFields() {
      const fields = { format: field(form, "format").value.trim(), platforms: {} };
      const lines = field(form, "platforms").value.split("\n");
      lines.forEach((line, index) => {
        if (!line.trim()) return;
        const at = line.indexOf("=");
        const code = at < 0 ? "" : line.slice(0, at).trim();
        const name = at < 0 ? "" : line.slice(at + 1).trim();
        if (!code || !name) throw new Error(t("pattern_bad_line", { line: index + 1 }));
        fields.platforms[code] = name;
      });
      for (const name of ["platform", "instrument", "level"]) {
        const value = field(form, name).value.trim();
        if (value) fields[name] = value;
      }
      return fields;
    }

    // A refused pattern: the page's words, and the API's reason (which field is wrong, how).
    async function patternCall(method, path, body) {
      try {
        return await api(method, path, body);
      } catch (error) {
        if (error instanceof ApiError && error.code === "invalid_pattern" && error.detail && error.detail !== error.message) {
          throw new Error(error.message + " " + error.detail);
        }
        throw error;
      }
    }

    function showPatterns(items) {
      patterns.querySelector(".pattern-list tbody").replaceChildren(...items.map((pattern) => {
        const remove = el("button", { type: "button", class: "pattern-delete danger", text: t("delete") });
        remove.addEventListener("click", () => act(remove, async () => {
          const left = await api("DELETE", base + "patterns/" + pattern.index + "/");
          notify(t("pattern_deleted"));
          showPatterns(left.items);
        }));
        const fixed = ["platform", "instrument", "level"].filter((name) => pattern[name]).map((name) => pattern[name]);
        return el("tr", { dataset: { index: pattern.index } },
          el("td", {}, el("code", { class: "path", text: pattern.format }),
            fixed.length ? el("br") : null,
            fixed.length ? el("small", { class: "muted", text: fixed.join(" · ") }) : null),
          el("td", { text: Object.entries(pattern.platforms).map(([code, name]) => code + " = " + name).join(", ") || "—" }),
          el("td", { class: "actions" }, remove));
      }));
      patterns.querySelector(".patterns-empty").hidden = items.length > 0;
      patterns.querySelector(".pattern-list").hidden = items.length === 0;
    }

    function showTrials(trials) {
      const matched = trials.filter((trial) => trial.matched).length;
      const summary = patterns.querySelector(".pattern-summary");
      summary.textContent = t("pattern_matches", { matched: matched, total: trials.length });
      summary.hidden = false;
      const table = patterns.querySelector(".pattern-trials");
      table.querySelector("tbody").replaceChildren(...trials.map((trial) =>
        el("tr", { class: trial.matched ? "trial-match" : "trial-miss" },
          el("td", { class: "path", text: trial.name }),
          trial.matched
            ? el("td", { text: trial.platform })
            : el("td", { class: "muted", colspan: 5, text: t("pattern_no_match") }),
          trial.matched ? el("td", { text: trial.instrument || "—" }) : null,
          trial.matched ? el("td", { text: [trial.level, trial.product].filter(Boolean).join(" · ") || "—" }) : null,
          trial.matched ? el("td", { class: "nowrap", text: when(trial.start) + (trial.end ? " – " + when(trial.end) : "") }) : null,
          trial.matched ? el("td", { class: "num", text: trial.orbit ?? "—" }) : null)));
      table.hidden = trials.length === 0;
    }

    const tryButton = form.querySelector(".pattern-try");
    tryButton.addEventListener("click", () => {
      if (!form.reportValidity()) return;
      act(tryButton, async () => {
        const samples = field(form, "samples").value.split("\n").map((s) => s.trim()).filter(Boolean);
        const result = await patternCall("POST", base + "patterns/try/", { ...patternFields(), samples: samples });
        showTrials(result.items);
      });
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form.querySelector("button[type=submit]"), async () => {
        const saved = await patternCall("POST", base + "patterns/", patternFields());
        notify(t("pattern_saved"));
        showPatterns(saved.items);
      });
    });
    act(null, async () => showPatterns((await api("GET", base + "patterns/")).items));
  }

  const stationForm = document.getElementById("station-form");

  function stationFields() {
    const value = (id) => document.getElementById(id).value.trim();
    const fields = { url: value("st-url"), verify_tls: document.getElementById("st-verify").checked };
    if (value("st-name")) fields.name = value("st-name");
    if (value("st-login")) fields.login = value("st-login");
    if (document.getElementById("st-password").value) fields.password = document.getElementById("st-password").value;
    if (value("st-tls")) fields.tls = value("st-tls");
    const masks = value("st-include").split(/[\s,]+/).filter(Boolean);
    if (masks.length) fields.include_masks = masks;
    if (value("st-interval")) fields.poll_interval = Number(value("st-interval"));
    return fields;
  }

  const testButton = document.getElementById("station-test");
  testButton.addEventListener("click", () => {
    if (!stationForm.reportValidity()) return;
    act(testButton, async () => {
      const probe = await api("POST", "/api/v1/admin/stations/test/", stationFields());
      notify(t("station_settings_ok", { entries: probe.entries }));
    });
  });

  stationForm.addEventListener("submit", (event) => {
    event.preventDefault();
    act(stationForm.querySelector("button[type=submit]"), async () => {
      const station = await api("POST", "/api/v1/admin/stations/", stationFields());
      stationForm.reset();
      notify(t("station_added", { name: station.name }));
      await loadStations();
    });
  });

  // ---- logs ---------------------------------------------------------------------------------

  async function loadLogs(page) {
    state.logsPage = page || state.logsPage;
    const result = await api("GET", "/api/v1/admin/logs" + query({ level: state.level, page: state.logsPage, per_page: 50 }));
    document.querySelector("#logs-table tbody").replaceChildren(
      ...result.items.map((entry) =>
        el("tr", { class: "level-" + entry.level },
          el("td", { class: "nowrap", text: when(entry.time) }),
          el("td", {}, el("span", { class: "badge level-" + entry.level, text: entry.level })),
          el("td", { text: entry.logger }),
          el("td", { class: "log-message", text: entry.message })),
      ),
    );
    pager("logs", result.page, result.per_page, result.total, loadLogs);
  }

  document.getElementById("logs-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    state.level = document.getElementById("logs-level").value;
    act(null, () => loadLogs(1));
  });

  act(null, () => Promise.all([loadUsers(1), loadStations(), loadLogs(1)]));
})();
