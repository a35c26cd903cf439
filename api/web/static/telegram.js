// The Telegram Mini App entry: Telegram opens this page with the signed `initData` in the URL
// fragment (tgWebAppData); we hand it to the server, which checks the signature with the bot
// token and sets the session cookie. No script from telegram.org is needed for that.
"use strict";

(function () {
  const { t } = window.ftpgram;
  const status = document.getElementById("app-status");
  const fallback = document.getElementById("app-fallback");

  function postEvent(type, payload) {
    const body = JSON.stringify(payload || {});
    try {
      if (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) {
        window.TelegramWebviewProxy.postEvent(type, body);
      } else if (window.external && "notify" in window.external) {
        window.external.notify(JSON.stringify({ eventType: type, eventData: payload || {} }));
      } else if (window.parent !== window) {
        window.parent.postMessage(JSON.stringify({ eventType: type, eventData: payload || {} }), "https://web.telegram.org");
      }
    } catch (_) {
      // Not inside Telegram: nothing to tell.
    }
  }

  function fail(message) {
    status.textContent = message;
    status.className = "alert error";
    fallback.hidden = false;
  }

  const fragment = new URLSearchParams(location.hash.slice(1));
  const initData = fragment.get("tgWebAppData");
  postEvent("web_app_ready");
  postEvent("web_app_expand");
  if (!initData) {
    fail(t("app_outside"));
    return;
  }
  // The signed data should not linger in the address or the history.
  history.replaceState(null, "", location.pathname);
  fetch("/web/session/telegram", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ init_data: initData, embedded: window.parent !== window }),
  })
    .then(async (response) => {
      if (response.ok) {
        status.textContent = t("app_signed_in");
        location.replace("/index");
        return;
      }
      let error = null;
      try {
        error = (await response.json()).error;
      } catch (_) {
        error = null;
      }
      const known = error && Object.prototype.hasOwnProperty.call(window.ftpgram.data.texts, "err_" + error.code);
      fail(known ? t("err_" + error.code) : (error && error.message) || t("err_status", { status: response.status }));
    })
    .catch(() => fail(t("err_network")));
})();
