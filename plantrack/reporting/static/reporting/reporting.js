// Reporting pages: mark the form as changed so the user knows what is not saved yet, warn before leaving with
// unsaved changes, check file sizes before upload, and ask for confirmation on irreversible actions.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (form) {
    var bar = document.querySelector(".savebar");
    var dirty = false;
    var mark = function () { dirty = true; if (bar) { bar.classList.add("is-dirty"); } };
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
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
})();
