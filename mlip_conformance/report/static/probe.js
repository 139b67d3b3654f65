/* First thing on the page: any JavaScript error is written into <pre id="js-errors">, where a
   reader sees it and a headless browser's --dump-dom reads it. */
"use strict";
window.reportErrors = [];
(function () {
  function note(text) {
    window.reportErrors.push(String(text));
    var box = document.getElementById("js-errors");
    if (box) {
      box.textContent = "JavaScript error on this page:\n" + window.reportErrors.join("\n");
      box.hidden = false;
    }
  }
  window.addEventListener("error", function (event) {
    note((event.message || "error") + (event.lineno ? " (line " + event.lineno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (event) { note("unhandled rejection: " + event.reason); });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.reportErrors.length) { note("(" + window.reportErrors.length + " before the page was read)"); }
  });
})();
