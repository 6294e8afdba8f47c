// A page that waits for the background worker ([data-wait-for-rendering]) checks every few
// seconds, shows its progress, and reloads once, when the result is ready. Without JavaScript the page's
// "Check again" link does the same. (No <meta refresh>: WCAG 2.2.1 forbids timed reloads.)
(function () {
  "use strict";
  var waiting = document.querySelector("[data-wait-for-rendering]");
  if (!waiting || !window.fetch) {
    return;
  }
  var tries = 0;
  function check() {
    tries += 1;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (html.indexOf("data-wait-for-rendering") === -1) {
          window.location.reload();
        } else if (tries < 200) {
          // Still waiting: show how far it has come (a progress bar), without a reload.
          var fresh = new DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-wait-for-rendering]");
          if (fresh) {
            waiting.innerHTML = fresh.innerHTML;
          }
          window.setTimeout(check, 3000);
        }
      })
      .catch(function () { window.setTimeout(check, 10000); });
  }
  window.setTimeout(check, 3000);
})();
