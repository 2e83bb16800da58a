/* Layout helpers, no dependency; the pages work without them (app.css has the fallbacks).
 *
 * 1. The top menu (<details class="menu">) is open on wide screens and folded into its button on phones.
 * 2. Every table in the page content scrolls sideways inside its own box (.table-scroll, reachable by keyboard),
 *    with the hint "Vuốt ngang để xem thêm" shown only while the table is wider than its box.
 */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var wide = window.matchMedia("(min-width: 901px)");

  function syncMenu() {
    var menu = document.querySelector("details[data-menu]");
    if (menu) menu.open = wide.matches;
  }

  var body = document.body;
  var hintText = body.getAttribute("data-scroll-hint") || "";
  var label = body.getAttribute("data-scroll-label") || "";
  var boxes = [];

  function wrapTables() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) {
      var table = tables[i];
      var parent = table.parentElement;
      var box;
      if (parent.classList.contains("table-scroll") || parent.classList.contains("table-wrap")) {
        box = parent;
        box.classList.add("table-scroll");
      } else {
        box = document.createElement("div");
        box.className = "table-scroll";
        parent.insertBefore(box, table);
        box.appendChild(table);
      }
      if (box.hasAttribute("data-scroll-ready")) continue;
      box.setAttribute("data-scroll-ready", "");
      var hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = "↔ " + hintText;
      hint.hidden = true;
      box.parentElement.insertBefore(hint, box);
      boxes.push([box, hint]);
    }
  }

  function syncHints() {
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i][0];
      var overflowing = box.scrollWidth > box.clientWidth + 1;
      boxes[i][1].hidden = !overflowing;
      // A box that scrolls must be reachable by keyboard (axe: scrollable-region-focusable).
      if (overflowing) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", label);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function start() {
    syncMenu();
    wrapTables();
    syncHints();
  }
  if (wide.addEventListener) wide.addEventListener("change", syncMenu);
  window.addEventListener("resize", syncHints);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
