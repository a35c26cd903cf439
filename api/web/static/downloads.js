// The downloads page: the user's downloads, kept live over the WebSocket
// (/api/v1/downloads/live/: snapshot, then change / progress / removed), with pause,
// start, down and remove buttons. The socket reconnects by itself and gets a fresh snapshot.
"use strict";

(function () {
  const { data, t, api, el, bytes, duration, notify, act } = window.ftpgram;
  const body = document.querySelector("#downloads tbody");
  const live = document.getElementById("live-state");
  const rows = new Map();
  let retry = 1000;

  // Which buttons make sense in which status (the server decides anyway).
  const ACTIONS = {
    queued: ["pause", "down"],
    downloading: ["pause", "down"],
    paused: ["start", "down"],
    failed: ["start", "down", "remove"],
    cancelled: ["start", "remove"],
    completed: ["down", "remove"],
  };

  // The request each button sends (down: cancel, stopping and deleting what was fetched).
  const REQUESTS = {
    pause: ["POST", "pause/"],
    start: ["POST", "start/"],
    down: ["POST", "cancel/"],
    remove: ["DELETE", ""],
  };

  function button(item, action) {
    const node = el("button", { type: "button", class: "action-" + action + (action === "remove" ? " danger" : ""), text: t("dl_" + action) });
    node.addEventListener("click", () =>
      act(node, async () => {
        const [method, suffix] = REQUESTS[action];
        await api(method, "/api/v1/downloads/" + item.id + "/" + suffix);
      }),
    );
    return node;
  }

  function render(item) {
    const bar = el("progress", { max: Math.max(1, item.total), value: Math.min(item.bytes, Math.max(1, item.total)) });
    const status = el("span", { class: "badge status-" + item.status, text: t("status_dl_" + item.status) });
    const detail = item.error ? el("small", { class: "muted error-text", text: item.error }) : null;
    const restarted = item.restarted ? el("small", { class: "muted", text: t("dl_restarted") }) : null;
    const name = item.file_id
      ? el("a", { href: "/api/v1/files/" + item.file_id + "/download/", text: item.name })
      : el("span", { text: item.name });
    const tr = el(
      "tr",
      { dataset: { id: item.id, status: item.status } },
      el("td", {}, name, el("br"), el("small", { class: "muted path", text: item.path })),
      el("td", { text: item.station_name }),
      el("td", { class: "status" }, status, detail ? el("br") : null, detail, restarted ? el("br") : null, restarted),
      el("td", { class: "progress" }, bar, " ",
        el("span", { class: "percent", text: item.percent.toLocaleString(data.lang, { maximumFractionDigits: 1 }) + "%" }),
        el("br"),
        el("small", { class: "muted", text: bytes(item.bytes) + " / " + bytes(item.total) })),
      el("td", { class: "num", text: item.status === "downloading" ? bytes(item.speed) + "/s" : "—" }),
      el("td", { class: "num", text: item.status === "downloading" ? duration(item.eta) : "—" }),
      el("td", { class: "actions" }, ...(ACTIONS[item.status] || []).map((action) => button(item, action))),
    );
    const before = rows.get(item.id);
    if (before) {
      before.replaceWith(tr);
    } else {
      body.append(tr);
    }
    rows.set(item.id, tr);
  }

  function removed(id) {
    const tr = rows.get(id);
    if (tr) {
      tr.remove();
      rows.delete(id);
    }
  }

  function empty() {
    document.getElementById("downloads-empty").hidden = rows.size > 0;
  }

  function setLive(key, kind) {
    live.textContent = t(key);
    live.className = "badge live-" + kind;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/api/v1/downloads/live/");
    socket.addEventListener("open", () => {
      retry = 1000;
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      if (message.type === "snapshot") {
        setLive("live_on", "on");
        rows.clear();
        body.replaceChildren();
        // Newest first, as the API lists them.
        message.items.forEach(render);
      } else if (message.type === "change" || message.type === "progress") {
        render(message.item);
      } else if (message.type === "removed") {
        removed(message.id);
      } else if (message.type === "error") {
        notify(message.error.message, "error");
      }
      empty();
    });
    socket.addEventListener("close", (event) => {
      if (event.code === 4401) {
        location.assign("/login?next=/downloads");
        return;
      }
      setLive("live_reconnecting", "off");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  setLive("live_connecting", "off");
  connect();
})();
