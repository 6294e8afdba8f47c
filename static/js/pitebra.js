/* PiteBra's small enhancements. Every page works without them; nothing here is inline, so a
   strict Content-Security-Policy holds. */
(function () {
  "use strict";

  // Print buttons: <button data-print>.
  function printButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    printButtons();
  });
})();
