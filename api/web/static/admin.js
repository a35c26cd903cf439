// The administration page: users (activate, deactivate, admin flag, quota), stations (add, test,
// poll now, enable, health) and the server log.
"use strict";

(function () {
  const { data, t, api, el, bytes, when, notify, act, query, pager } = window.ftpgram;
  const GIB = 1024 ** 3;
  const state = { usersPage: 1, logsPage: 1, level: "info" };

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
    document.querySelector("#admin-stations tbody").replaceChildren(...result.items.map(stationRow));
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

  function stationRow(station) {
    const base = "/api/v1/admin/stations/" + station.id + "/";
    return el(
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
      ),
    );
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
