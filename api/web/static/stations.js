// The stations page: choose the stations you follow, browse their files and download them.
"use strict";

(function () {
  const { t, api, el, bytes, when, notify, act, query, pager } = window.ftpgram;
  const PER_PAGE = 20;
  const state = { page: 1, stationId: "", onlyNew: false, kinds: {} };
  const list = document.getElementById("station-list");
  const filter = document.getElementById("filter-station");
  const filesBody = document.querySelector("#station-files tbody");

  function health(value) {
    return el("span", { class: "badge health-" + value, text: t("health_" + value) });
  }

  async function loadStations() {
    const result = await api("GET", "/api/v1/stations/");
    list.replaceChildren(
      ...result.items.map((station) =>
        el(
          "li",
          { dataset: { id: station.id } },
          el(
            "label",
            { class: "check" },
            el("input", { type: "checkbox", name: "station", value: station.id, checked: station.followed }),
            " ",
            el("span", { class: "station-name", text: station.name }),
          ),
          " ",
          health(station.health),
          " ",
          el("small", { class: "muted", text: t("last_poll", { when: when(station.last_success_at) }) }),
        ),
      ),
    );
    document.getElementById("stations-empty").hidden = result.items.length > 0;
    const chosen = filter.value;
    filter.replaceChildren(
      el("option", { value: "", text: t("all_stations") }),
      ...result.items
        .filter((station) => station.followed)
        .map((station) => el("option", { value: station.id, text: station.name })),
    );
    filter.value = [...filter.options].some((o) => o.value === chosen) ? chosen : "";
    state.stationId = filter.value;
  }

  async function loadFiles(page) {
    state.page = page || state.page;
    const result = await api(
      "GET",
      "/api/v1/station-files/" +
        query({
          page: state.page,
          per_page: PER_PAGE,
          station_id: state.stationId,
          only_new: state.onlyNew,
          ...state.kinds,
        }),
    );
    filesBody.replaceChildren(...result.items.map(fileRow));
    document.getElementById("station-files-empty").hidden = result.total > 0;
    pager("station", result.page, result.per_page, result.total, loadFiles);
  }

  // What the name says: "NOAA-20 VIIRS SDR · 12:00" (empty when no pattern knows it).
  function said(file) {
    const kinds = [file.platform, file.instrument, file.level].filter(Boolean).join(" ");
    return kinds && file.start_at ? kinds + " · " + when(file.start_at) : kinds;
  }

  // A datetime-local value (the browser's zone) as an ISO instant, or "" when empty.
  function instant(id) {
    const value = document.getElementById(id).value;
    return value ? new Date(value).toISOString() : "";
  }

  function fileRow(file) {
    const button = el("button", { type: "button", class: "download primary", text: t("download") });
    button.addEventListener("click", () =>
      act(button, async () => {
        const download = await api("POST", "/api/v1/downloads/", { station_file_id: file.id });
        notify(t("download_queued", { name: download.name }));
        button.replaceWith(el("a", { href: "/downloads", class: "queued", text: t("in_downloads") }));
      }),
    );
    return el(
      "tr",
      { dataset: { id: file.id } },
      el("td", { text: file.station_name }),
      el("td", {}, el("span", { class: "path", text: file.path }), file.new ? " " : null,
        file.new ? el("span", { class: "badge new", text: t("new") }) : null),
      el("td", { class: "num", text: bytes(file.size) }),
      el("td", { text: when(file.available_at) }),
      el("td", { class: "said", text: said(file) }),
      el("td", { class: "actions" }, button),
    );
  }

  document.getElementById("choose-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const ids = [...list.querySelectorAll("input[name=station]:checked")].map((box) => Number(box.value));
    act(document.getElementById("choose-save"), async () => {
      await api("PUT", "/api/v1/account/stations/", { station_ids: ids });
      notify(t("stations_saved"));
      await loadStations();
      await loadFiles(1);
    });
  });

  document.getElementById("station-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    state.stationId = filter.value;
    state.onlyNew = document.getElementById("filter-new").checked;
    state.kinds = {
      platform: document.getElementById("filter-platform").value.trim(),
      instrument: document.getElementById("filter-instrument").value.trim(),
      level: document.getElementById("filter-level").value.trim(),
      taken_after: instant("filter-after"),
      taken_before: instant("filter-before"),
    };
    act(null, () => loadFiles(1));
  });

  const seen = document.getElementById("mark-seen");
  seen.addEventListener("click", () =>
    act(seen, async () => {
      await api("POST", "/api/v1/stations/seen/", { station_id: state.stationId ? Number(state.stationId) : null });
      notify(t("marked_seen"));
      await loadFiles(1);
    }),
  );

  act(null, async () => {
    await loadStations();
    await loadFiles(1);
  });
})();
