// Reporting pages: mark the form as changed so the user knows what is not saved yet, warn before leaving with
// unsaved changes, check file sizes before upload, and ask for confirmation on irreversible actions.
//
// Never lose typing (docs/design/reporting-workflow.md, "Typed text is never lost"):
// - autosave: 3 s after the last keystroke and when a field loses focus, the form (without files) is posted to
//   the autosave endpoint, which calls the same save service as "Lưu bản nháp" with the version the page holds;
//   on success the page takes the new version, on a conflict it stops and says what to do (never overwrites);
// - local copy: every change is also kept in localStorage (key: report id + user id) until the server has it;
//   when the page opens with a copy the server does not have, it is put back into the form with a message.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (form) {
    var bar = document.querySelector(".savebar");
    var dirty = false;
    var mark = function () { dirty = true; if (bar) { bar.classList.add("is-dirty"); } };
    var unmark = function () { dirty = false; if (bar) { bar.classList.remove("is-dirty"); } };
    form.addEventListener("input", mark);
    form.addEventListener("change", mark);
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
    var limit = parseInt(form.getAttribute("data-max-bytes") || "0", 10);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var f = input.files && input.files[0];
        var note = input.parentNode.querySelector(".size-warning");
        if (note) { note.remove(); }
        if (f && limit && f.size > limit) {
          var p = document.createElement("p");
          p.className = "upload-error size-warning";
          p.textContent = (input.getAttribute("data-too-big") || "").replace("%s", (f.size / 1048576).toFixed(1).replace(".", ","));
          input.parentNode.appendChild(p);
        }
      });
    });
    keepTyping(form, unmark, mark);
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  document.querySelectorAll("button[data-confirm]").forEach(function (b) {
    b.addEventListener("click", function (e) {
      if (!window.confirm(b.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });

  function keepTyping(form, unmark, mark) {
    var url = form.getAttribute("data-autosave-url");
    if (!url || !window.fetch || !window.FormData) { return; }
    var key = "plantrack.report." + form.getAttribute("data-report") + ".user." + form.getAttribute("data-user");
    var status = form.querySelector(".autosave-status");
    var version = form.querySelector("input[name=version]");
    var notice = document.getElementById("local-copy");
    var text = function (name) { return form.getAttribute("data-text-" + name) || ""; };
    var timer = null, inFlight = false, again = false, stopped = false, changed = false;
    // A save button pressed while an autosave is on its way waits for it: the form then carries the new version
    // (otherwise the button's POST would conflict with our own autosave).
    var submitting = false, waiting = null;

    function fields() {
      var out = {};
      form.querySelectorAll("textarea[name], select[name], input[name]").forEach(function (el) {
        if (el.type === "file" || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
        out[el.name] = el.value;
      });
      return out;
    }
    function same(a, b) {
      var k;
      for (k in a) { if (Object.prototype.hasOwnProperty.call(a, k) && (b[k] || "") !== (a[k] || "")) { return false; } }
      for (k in b) { if (Object.prototype.hasOwnProperty.call(b, k) && (a[k] || "") !== (b[k] || "")) { return false; } }
      return true;
    }
    function readLocal() {
      try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
    }
    function writeLocal() {
      try {
        window.localStorage.setItem(key, JSON.stringify({ version: version.value, at: Date.now(), fields: fields() }));
      } catch (e) { /* storage full or disabled: the server save still runs */ }
    }
    function clearLocal() {
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
    }
    function say(message, isError) {
      if (!status) { return; }
      status.textContent = message;
      status.classList.toggle("is-error", !!isError);
    }
    function hhmm(ms) {
      var d = new Date(ms);
      return (d.getHours() < 10 ? "0" : "") + d.getHours() + ":" + (d.getMinutes() < 10 ? "0" : "") + d.getMinutes();
    }
    function schedule(ms) {
      if (stopped) { return; }
      window.clearTimeout(timer);
      timer = window.setTimeout(send, ms);
    }
    function send() {
      timer = null;
      if (stopped || submitting || !changed) { return; }
      if (inFlight) { again = true; return; }
      inFlight = true;
      var sent = fields();
      var body = new FormData(form);
      form.querySelectorAll("input[type=file]").forEach(function (input) { body.delete(input.name); });
      say(text("saving"), false);
      window.fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          return response.json().then(
            function (data) { return { code: response.status, data: data }; },
            function () { return { code: response.status, data: {} }; }
          );
        })
        .then(function (result) {
          inFlight = false;
          var data = result.data || {};
          if (result.code === 200) {
            version.value = data.version;
            document.querySelectorAll("input[name=version][data-follows-report]").forEach(function (i) { i.value = data.version; });
            say(data.message || "", false);
            if (same(fields(), sent)) { changed = false; clearLocal(); unmark(); } else { writeLocal(); schedule(3000); }
            if (data.remaining) {
              document.dispatchEvent(new CustomEvent("plantrack:session-extended", { detail: { remaining: data.remaining } }));
            }
          } else if (result.code === 409) {
            stopped = true;
            writeLocal();
            say((data.message || "") + " " + text("conflict"), true);
          } else if (result.code === 401) {
            writeLocal();
            say(text("signed-out"), true);
          } else if (result.code === 403 && !data.message) {
            writeLocal();  // the CSRF token changed (signed in again elsewhere): a reload restores the local copy
            say(text("reload"), true);
          } else {
            writeLocal();
            say(data.message || text("failed"), true);
          }
          if (waiting) { resubmit(); return; }
          if (again) { again = false; schedule(0); }
        })
        .catch(function () {
          inFlight = false;
          writeLocal();
          say(text("offline"), true);
          if (waiting) { resubmit(); }
        });
    }
    function typed(e) {
      if (e.target && e.target.type === "file") { return; }
      changed = true;
      writeLocal();
      schedule(3000);
    }
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
    function resubmit() {
      var button = waiting;
      waiting = null;
      if (button && button !== true && form.requestSubmit) { form.requestSubmit(button); } else { form.submit(); }
    }
    form.addEventListener("focusout", function (e) {
      var next = e.relatedTarget;
      if (next && next.form === form && next.type === "submit") { return; }  // the button's POST saves it
      if (changed && timer) { schedule(0); }
    });
    form.addEventListener("submit", function (e) {
      window.clearTimeout(timer);
      timer = null;
      writeLocal();
      if (inFlight) {
        e.preventDefault();
        waiting = e.submitter || true;
        return;
      }
      submitting = true;
    });
    window.addEventListener("online", function () { if (changed) { schedule(0); } });

    function restore(copy) {
      form.querySelectorAll("textarea[name], select[name], input[name]").forEach(function (el) {
        if (Object.prototype.hasOwnProperty.call(copy.fields, el.name) && el.type !== "file" && el.type !== "hidden") {
          el.value = copy.fields[el.name];
        }
      });
      changed = true;
      mark();
    }
    var copy = readLocal();
    if (copy && copy.fields) {
      if (same(copy.fields, fields())) {
        clearLocal();
      } else if (notice) {
        var message = notice.querySelector("p");
        var restoreButton = notice.querySelector("[data-action=restore]");
        var discardButton = notice.querySelector("[data-action=discard]");
        notice.hidden = false;
        if (String(copy.version) === String(version.value)) {
          // The server copy is older than what was typed here: put it back.
          restore(copy);
          message.textContent = text("restored").replace("%s", hhmm(copy.at));
          restoreButton.hidden = true;
        } else {
          // Someone saved after this copy was made: the person chooses.
          message.textContent = text("newer").replace("%s", hhmm(copy.at));
          restoreButton.addEventListener("click", function () {
            restore(copy);
            message.textContent = text("restored").replace("%s", hhmm(copy.at));
            restoreButton.hidden = true;
          });
        }
        discardButton.addEventListener("click", function () {
          clearLocal();
          unmark();
          window.location.reload();
        });
      }
    }
  }
})();
