// The files page: upload with a progress bar (streamed by the browser, XHR for upload progress),
// the list with download, rename, comment, share link and delete, and the use of space by type.
"use strict";

(function () {
  const { t, api, el, bytes, when, notify, act, query, pager } = window.ftpgram;
  const PER_PAGE = 20;
  const KINDS = ["image", "video", "audio", "document", "archive", "other"];
  const state = { page: 1, name: "", mediaType: "" };
  const body = document.querySelector("#files-table tbody");

  // ---- list ---------------------------------------------------------------------------------

  async function load(page) {
    state.page = page || state.page;
    const result = await api(
      "GET",
      "/api/v1/files/" +
        query({ page: state.page, per_page: PER_PAGE, name: state.name, media_type: state.mediaType }),
    );
    if (result.items.length === 0 && state.page > 1) {
      return load(state.page - 1);
    }
    body.replaceChildren(...result.items.map(row));
    document.getElementById("files-empty").hidden = result.total > 0;
    pager("files", result.page, result.per_page, result.total, load);
  }

  function typeName(kind) {
    return KINDS.includes(kind) ? t("type_" + kind) : kind;
  }

  function row(file) {
    const comment = file.comment
      ? el("td", { class: "comment", text: file.comment })
      : el("td", { class: "comment muted", text: "—" });
    const link = el("a", { href: file.download_url, download: file.name, class: "name", text: file.name });
    const shared = file.shared ? el("span", { class: "badge", text: t("shared") }) : null;
    const tr = el(
      "tr",
      { dataset: { id: file.id, name: file.name } },
      el("td", {}, link, " ", shared),
      el("td", { text: typeName(file.media_type) }),
      el("td", { class: "num", text: bytes(file.size) }),
      el("td", { text: when(file.created_at) }),
      comment,
      el(
        "td",
        { class: "actions" },
        el("button", { type: "button", class: "rename", text: t("rename"), on: { click: () => rename(tr, file) } }),
        el("button", { type: "button", class: "comment-edit", text: t("comment"), on: { click: () => editComment(tr, file) } }),
        el("button", { type: "button", class: "share", text: t("share"), on: { click: () => share(tr, file) } }),
        deleteButton(file),
      ),
    );
    return tr;
  }

  // An editor in a row of its own under the file's row; one at a time per file.
  function panel(tr, kind, ...content) {
    const next = tr.nextElementSibling;
    if (next && next.classList.contains("panel")) {
      const same = next.dataset.kind === kind;
      next.remove();
      if (same) {
        return null;
      }
    }
    const cell = el("td", { colspan: 6 }, ...content);
    const panelRow = el("tr", { class: "panel", dataset: { kind: kind, for: tr.dataset.id } }, cell);
    tr.after(panelRow);
    return panelRow;
  }

  function rename(tr, file) {
    const input = el("input", { value: file.name, maxlength: 255, required: true, "aria-label": t("new_name") });
    const form = el(
      "form",
      { class: "inline rename-form" },
      el("label", { text: t("new_name") }),
      input,
      el("button", { type: "submit", class: "primary", text: t("save") }),
      el("button", { type: "button", text: t("cancel"), on: { click: () => form.closest("tr").remove() } }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form.querySelector("button[type=submit]"), async () => {
        const changed = await api("PATCH", "/api/v1/files/" + file.id + "/", { name: input.value });
        notify(t("renamed", { name: changed.name }));
        await load();
      });
    });
    if (panel(tr, "rename", form)) {
      input.focus();
      input.select();
    }
  }

  function editComment(tr, file) {
    const input = el("textarea", { maxlength: 4000, rows: 2, "aria-label": t("comment") });
    input.value = file.comment;
    const form = el(
      "form",
      { class: "inline comment-form" },
      el("label", { text: t("comment") }),
      input,
      el("button", { type: "submit", class: "primary", text: t("save") }),
      el("button", { type: "button", text: t("cancel"), on: { click: () => form.closest("tr").remove() } }),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form.querySelector("button[type=submit]"), async () => {
        await api("PATCH", "/api/v1/files/" + file.id + "/", { comment: input.value });
        notify(t("comment_saved"));
        await load();
      });
    });
    if (panel(tr, "comment", form)) {
      input.focus();
    }
  }

  function deleteButton(file) {
    const button = el("button", { type: "button", class: "delete danger", text: t("delete") });
    button.addEventListener("click", () => {
      if (button.dataset.armed !== "1") {
        button.dataset.armed = "1";
        button.textContent = t("delete_confirm");
        setTimeout(() => {
          if (button.isConnected) {
            button.dataset.armed = "";
            button.textContent = t("delete");
          }
        }, 5000);
        return;
      }
      act(button, async () => {
        await api("DELETE", "/api/v1/files/" + query({ id: file.id }));
        notify(t("deleted", { name: file.name }));
        await Promise.all([load(), usage()]);
      });
    });
    return button;
  }

  // ---- share links --------------------------------------------------------------------------

  async function share(tr, file) {
    const box = el("div", { class: "share-panel", id: "share-" + file.id });
    if (!panel(tr, "share", box)) {
      return;
    }
    let link = null;
    try {
      link = await api("GET", "/api/v1/files/" + file.id + "/share/");
    } catch (error) {
      if (error.code !== "not_shared") {
        notify(error.message, "error");
        return;
      }
    }
    renderShare(box, file, link);
  }

  function renderShare(box, file, link) {
    const expires = el(
      "select",
      { class: "share-expiry", "aria-label": t("share_expiry") },
      el("option", { value: "", text: t("share_never") }),
      el("option", { value: 3600, text: t("share_hour") }),
      el("option", { value: 86400, text: t("share_day") }),
      el("option", { value: 7 * 86400, text: t("share_week") }),
      el("option", { value: 30 * 86400, text: t("share_month") }),
    );
    const limit = el("input", {
      type: "number", min: 1, class: "share-limit", placeholder: "∞", "aria-label": t("share_limit"),
    });
    const create = el("button", { type: "button", class: "share-create primary", text: link ? t("share_new") : t("share_create") });
    create.addEventListener("click", () =>
      act(create, async () => {
        const options = {};
        if (expires.value) options.expires_in = Number(expires.value);
        if (limit.value) options.max_downloads = Number(limit.value);
        const made = await api("POST", "/api/v1/files/" + file.id + "/share/", options);
        renderShare(box, file, made);
        notify(t("share_created"));
        markShared(file.id, true);
      }),
    );
    const settings = el(
      "p",
      { class: "inline" },
      el("label", { text: t("share_expiry") }), expires,
      el("label", { text: t("share_limit") }), limit,
      create,
    );
    if (!link) {
      box.replaceChildren(el("p", { class: "muted", text: t("share_none") }), settings);
      return;
    }
    const url = el("input", { class: "share-url", readonly: true, value: link.url, "aria-label": t("share_link") });
    const copy = el("button", { type: "button", class: "share-copy", text: t("copy") });
    copy.addEventListener("click", async () => {
      url.select();
      try {
        await navigator.clipboard.writeText(link.url);
      } catch (_) {
        document.execCommand("copy");
      }
      notify(t("copied"));
    });
    const revoke = el("button", { type: "button", class: "share-revoke danger", text: t("revoke") });
    revoke.addEventListener("click", () =>
      act(revoke, async () => {
        await api("DELETE", "/api/v1/files/" + file.id + "/share/");
        renderShare(box, file, null);
        notify(t("share_revoked"));
        markShared(file.id, false);
      }),
    );
    const facts = [
      link.expires_at ? t("share_expires", { when: when(link.expires_at) }) : t("share_no_expiry"),
      link.max_downloads
        ? t("share_downloads_of", { count: link.downloads, max: link.max_downloads })
        : t("share_downloads", { count: link.downloads }),
    ];
    box.replaceChildren(
      el("p", { class: "inline" }, el("label", { text: t("share_link") }), url, copy, revoke),
      el("p", { class: "muted share-facts", text: facts.join(" · ") }),
      settings,
    );
  }

  function markShared(fileId, shared) {
    const tr = body.querySelector('tr[data-id="' + fileId + '"]');
    if (!tr) return;
    const cell = tr.firstElementChild;
    const badge = cell.querySelector(".badge");
    if (shared && !badge) cell.append(" ", el("span", { class: "badge", text: t("shared") }));
    if (!shared && badge) badge.remove();
  }

  // ---- usage --------------------------------------------------------------------------------

  async function usage() {
    const [quota, stats] = await Promise.all([
      api("GET", "/api/v1/account/quota/"),
      api("GET", "/api/v1/files/stats/"),
    ]);
    document.getElementById("usage-summary").textContent = t("usage_summary", {
      used: bytes(quota.used), quota: bytes(quota.quota), free: bytes(quota.free),
    });
    const bar = document.getElementById("usage-bar");
    bar.max = Math.max(1, quota.quota);
    bar.value = Math.min(quota.used, bar.max);
    bar.textContent = Math.round((100 * quota.used) / bar.max) + "%";
    const rows = stats.items.map((item) =>
      el("tr", { dataset: { type: item.media_type } },
        el("td", { text: typeName(item.media_type) }),
        el("td", { class: "num", text: item.count }),
        el("td", { class: "num", text: bytes(item.bytes) })),
    );
    rows.push(
      el("tr", { class: "total" },
        el("th", { scope: "row", text: t("total") }),
        el("td", { class: "num", text: stats.count }),
        el("td", { class: "num", text: bytes(stats.bytes) })),
    );
    document.querySelector("#usage-table tbody").replaceChildren(...rows);
  }

  // ---- upload -------------------------------------------------------------------------------

  const form = document.getElementById("upload-form");
  const input = document.getElementById("upload-file");
  const progress = document.getElementById("upload-progress");
  const bar = document.getElementById("upload-bar");
  const text = document.getElementById("upload-text");
  const cancel = document.getElementById("upload-cancel");
  const button = document.getElementById("upload-button");

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files[0];
    if (!file) {
      notify(t("upload_pick"), "error");
      return;
    }
    act(button, () => upload(file));
  });

  async function upload(file) {
    // Ask first: a file that cannot fit is refused before any byte is sent.
    const slot = await api("GET", "/api/v1/files/slot/" + query({ name: file.name, size: file.size }));
    if (file.size > slot.max_size) {
      throw new Error(t("err_file_too_large_max", { maximum: bytes(slot.max_size) }));
    }
    if (!slot.fits) {
      throw new Error(t("err_quota_needs", { needed: bytes(file.size), free: bytes(slot.free) }));
    }
    const answer = await send(file);
    input.value = "";
    notify(answer.created ? t("uploaded", { name: answer.name }) : t("upload_had", { name: answer.name }));
    await Promise.all([load(1), usage()]);
  }

  function send(file) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const data = new FormData();
      data.append("file", file, file.name);
      xhr.open("POST", "/api/v1/files/upload/");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.responseType = "json";
      const show = (done) => {
        bar.max = Math.max(1, file.size);
        bar.value = Math.min(done, file.size);
        const percent = file.size ? Math.floor((100 * done) / file.size) : 100;
        text.textContent = t("upload_progress", { done: bytes(done), total: bytes(file.size), percent: percent });
      };
      show(0);
      progress.hidden = false;
      xhr.upload.addEventListener("progress", (event) => show(event.loaded));
      xhr.upload.addEventListener("load", () => {
        show(file.size);
        text.textContent += " · " + t("upload_storing");
      });
      cancel.onclick = () => xhr.abort();
      const finish = () => {
        progress.hidden = true;
        cancel.onclick = null;
      };
      xhr.addEventListener("load", () => {
        finish();
        if (xhr.status === 200 || xhr.status === 201) {
          resolve(xhr.response);
          return;
        }
        const error = xhr.response && xhr.response.error;
        const code = error && error.code;
        const known = code && Object.prototype.hasOwnProperty.call(window.ftpgram.data.texts, "err_" + code);
        reject(new Error(known ? t("err_" + code) : (error && error.message) || t("err_status", { status: xhr.status })));
      });
      xhr.addEventListener("error", () => {
        finish();
        reject(new Error(t("err_network")));
      });
      xhr.addEventListener("abort", () => {
        finish();
        reject(new Error(t("upload_cancelled")));
      });
      xhr.send(data);
    });
  }

  // ---- filters and start --------------------------------------------------------------------

  document.getElementById("filter-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.name = document.getElementById("filter-name").value.trim();
    state.mediaType = document.getElementById("filter-type").value;
    act(null, () => load(1));
  });

  if (new URLSearchParams(location.search).has("uploaded")) {
    notify(t("uploaded_plain"));
  }
  act(null, () => Promise.all([load(1), usage()]));
})();
