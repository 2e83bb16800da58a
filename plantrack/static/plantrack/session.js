// The idle-timeout warning of every signed-in page. The server ends a session idle for SESSION_IDLE_TIMEOUT
// seconds; the page learns the seconds left (data-remaining), shows a warning two minutes before with
// "Tiếp tục làm việc" (a keep-alive request), and says so once the session has ended. Other scripts (the report's
// autosave) announce server contact with the "plantrack:session-extended" event and listen for
// "plantrack:session-expired".
(function () {
  "use strict";
  var box = document.getElementById("session-watch");
  if (!box || !window.fetch) { return; }
  var text = document.getElementById("session-watch-text");
  var keep = box.querySelector("[data-action=keepalive]");
  var login = box.querySelector("[data-action=login]");
  var warnBefore = parseInt(box.getAttribute("data-warn-before") || "120", 10) * 1000;
  var deadline = 0, warnTimer = null, expireTimer = null, tick = null;

  function token() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function mmss(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    var m = Math.floor(s / 60);
    return m + ":" + (s % 60 < 10 ? "0" : "") + (s % 60);
  }
  function update() {
    text.textContent = (box.getAttribute("data-text-warn") || "").replace("%s", mmss(deadline - Date.now()));
  }
  function warn() {
    box.hidden = false;
    update();
    tick = window.setInterval(update, 1000);
  }
  function expired() {
    window.clearInterval(tick);
    box.hidden = false;
    box.classList.add("is-expired");
    text.textContent = box.getAttribute("data-text-expired") || "";
    login.hidden = false;
    document.dispatchEvent(new CustomEvent("plantrack:session-expired"));
  }
  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(expireTimer);
    window.clearInterval(tick);
    box.hidden = true;
    box.classList.remove("is-expired");
    login.hidden = true;
    deadline = Date.now() + seconds * 1000;
    warnTimer = window.setTimeout(warn, Math.max(0, seconds * 1000 - warnBefore));
    expireTimer = window.setTimeout(expired, seconds * 1000);
  }
  keep.addEventListener("click", function () {
    window.fetch(box.getAttribute("data-keepalive-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token(), "X-Requested-With": "fetch" }
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) { expired(); return null; }
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && data.remaining) {
        document.dispatchEvent(new CustomEvent("plantrack:session-extended", { detail: { remaining: data.remaining } }));
      }
    }).catch(function () { /* offline: the warning stays; the user may try again */ });
  });
  document.addEventListener("plantrack:session-extended", function (e) {
    if (e.detail && e.detail.remaining) { schedule(e.detail.remaining); }
  });
  schedule(parseInt(box.getAttribute("data-remaining") || "0", 10));
})();
