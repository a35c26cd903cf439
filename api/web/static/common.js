// Shared by every page script: the page data, texts, JSON API calls, formatting, and building
// elements. Data from the server only ever reaches the page as text (textContent), never as HTML.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const texts = data.texts;

  function t(key, params) {
    let text = Object.prototype.hasOwnProperty.call(texts, key) ? texts[key] : key;
    for (const [name, value] of Object.entries(params || {})) {
      text = text.split("{" + name + "}").join(String(value));
    }
    return text;
  }

  class ApiError extends Error {
    constructor(status, code, message, detail) {
      super(message);
      this.status = status;
      this.code = code;
      this.detail = detail || ""; // the API's own (English) message, which may say more
    }
  }

  // The API's message in the page's language when we know the code, else the API's own words.
  function describe(status, error) {
    const code = (error && error.code) || "";
    if (code && Object.prototype.hasOwnProperty.call(texts, "err_" + code)) {
      return t("err_" + code);
    }
    if (error && error.message) {
      return error.message;
    }
    return t("err_status", { status: status });
  }

  function toLogin() {
    const here = location.pathname + location.search;
    location.assign("/login?next=" + encodeURIComponent(here));
  }

  async function api(method, path, body) {
    const options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, options);
    } catch (_) {
      throw new ApiError(0, "network", t("err_network"));
    }
    let payload = null;
    if (response.status !== 204) {
      try {
        payload = await response.json();
      } catch (_) {
        payload = null;
      }
    }
    if (!response.ok) {
      if (response.status === 401) {
        toLogin();
      }
      const error = (payload && payload.error) || null;
      throw new ApiError(response.status, (error && error.code) || "", describe(response.status, error), error && error.message);
    }
    return payload;
  }

  // el("td", {class: "num", text: "12"}, child, ...): attributes are set as attributes or
  // properties, never as HTML.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (name === "text") {
        node.textContent = String(value);
      } else if (name === "class") {
        node.className = value;
      } else if (name === "on") {
        for (const [event, handler] of Object.entries(value)) {
          node.addEventListener(event, handler);
        }
      } else if (name === "dataset") {
        Object.assign(node.dataset, value);
      } else if (value === true) {
        node.setAttribute(name, "");
      } else {
        node.setAttribute(name, String(value));
      }
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const UNITS = { en: ["B", "KiB", "MiB", "GiB", "TiB"], ru: ["Б", "КиБ", "МиБ", "ГиБ", "ТиБ"] };

  function bytes(count) {
    const units = UNITS[data.lang] || UNITS.en;
    let value = Number(count) || 0;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    const digits = unit === 0 || value >= 100 ? 0 : 1;
    return value.toLocaleString(data.lang, { maximumFractionDigits: digits }) + " " + units[unit];
  }

  function when(iso) {
    if (!iso) {
      return "—";
    }
    return new Date(iso).toLocaleString(data.lang, { dateStyle: "medium", timeStyle: "short" });
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return "—";
    }
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = s % 60;
    const two = (n) => String(n).padStart(2, "0");
    return h > 0 ? h + ":" + two(m) + ":" + two(rest) : m + ":" + two(rest);
  }

  function notify(message, kind) {
    const notice = document.getElementById("notice");
    if (!notice) {
      return;
    }
    notice.textContent = message;
    notice.className = "alert " + (kind || "ok");
    notice.setAttribute("role", kind === "error" ? "alert" : "status");
    notice.hidden = false;
  }

  // Run an action from a button: the button is disabled meanwhile, failures are shown.
  async function act(button, action) {
    if (button) {
      button.disabled = true;
    }
    try {
      return await action();
    } catch (error) {
      notify(error.message || t("err_generic"), "error");
      return undefined;
    } finally {
      if (button && button.isConnected) {
        button.disabled = false;
      }
    }
  }

  function query(params) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "" && value !== false) {
        search.set(name, String(value));
      }
    }
    const text = search.toString();
    return text ? "?" + text : "";
  }

  function pager(prefix, page, perPage, total, go) {
    const pages = Math.max(1, Math.ceil(total / perPage));
    document.getElementById(prefix + "-page").textContent = t("page_of", { page: page, pages: pages });
    const prev = document.getElementById(prefix + "-prev");
    const next = document.getElementById(prefix + "-next");
    prev.disabled = page <= 1;
    next.disabled = page >= pages;
    prev.onclick = () => go(page - 1);
    next.onclick = () => go(page + 1);
    document.getElementById(prefix + "-pager").hidden = pages <= 1;
  }

  window.ftpgram = { data, t, api, ApiError, el, bytes, when, duration, notify, act, query, pager };
})();
