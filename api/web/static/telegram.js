// The Telegram Mini App entry: Telegram opens this page with the signed `initData` in the URL
// fragment (tgWebAppData); we hand it to the server, which checks the signature with the bot
// token and sets the session cookie. No script from telegram.org is needed for that.
//
// Inside Telegram (its webview bridge, or Telegram Web's frame: our frame-ancestors allow no
// other) that happens at once. Opened as a plain browser tab, the signed data may be someone
// else's, put into a link to sign the visitor in to their account: the page asks first.
"use strict";

(function () {
  const { t } = window.ftpgram;
  const status = document.getElementById("app-status");
  const fallback = document.getElementById("app-fallback");

  const insideTelegram = Boolean(
    (window.TelegramWebviewProxy && window.TelegramWebviewProxy.postEvent) ||
      (window.external && "notify" in window.external) ||
      window.parent !== window,
  );

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
  if (insideTelegram) {
    signIn();
  } else {
    confirmFirst();
  }

  function whoIn(data) {
    try {
      const user = JSON.parse(new URLSearchParams(data).get("user"));
      const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
      return user.username ? name + " (@" + user.username + ")" : name || String(user.id);
    } catch (_) {
      return "?";
    }
  }

  function confirmFirst() {
    const name = whoIn(initData);
    status.textContent = t("app_confirm", { name: name });
    const button = document.getElementById("app-continue");
    button.textContent = t("app_confirm_button", { name: name });
    button.addEventListener("click", () => {
      document.getElementById("app-confirm").hidden = true;
      status.textContent = t("app_signing_in");
      signIn();
    });
    document.getElementById("app-confirm").hidden = false;
  }

  function signIn() {
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
  }
})();
