// Consolidated report pages: poll a build's progress until it finishes; insert a suggestion into a narrative field;
// warn before leaving the narrative form with unsaved changes.
(function () {
  "use strict";
  var box = document.getElementById("build-status");
  if (box && box.getAttribute("data-finished") !== "1") {
    var url = box.getAttribute("data-status-url");
    var show = function (s) {
      document.getElementById("build-state").textContent = s.label;
      document.getElementById("build-state").className = "state build-" + s.state;
      document.getElementById("build-step").textContent = s.step || "";
      document.getElementById("build-progress").value = s.progress;
      var err = document.getElementById("build-error");
      err.textContent = s.error || "";
      err.hidden = !s.error;
      if (s.docx_url) {
        document.getElementById("dl-docx").href = s.docx_url;
        document.getElementById("dl-xlsx").href = s.xlsx_url;
        document.getElementById("build-duration").textContent = s.duration_text || "";
        document.getElementById("build-downloads").hidden = false;
      }
    };
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (s) {
          show(s);
          // Finished: reload once so the page lists the sources the build used.
          if (s.finished) { window.location.reload(); } else { window.setTimeout(poll, 700); }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 300);
  }

  // Without the script the contributions are a plain list; with it each gets its "Đưa vào" button.
  document.querySelectorAll(".js-insert").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-target"));
      if (!field) { return; }
      var text = button.getAttribute("data-text");
      field.value = field.value.replace(/\s+$/, "") + (field.value.trim() ? "\n" : "") + text;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    });
  });

  var form = document.getElementById("narrative-form");
  if (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
  }
})();
