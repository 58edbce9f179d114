// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // After htmx swaps in new content, move focus to its heading so screen readers and
  // keyboard users start reading the new step, not the end of the old one.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var heading = target.querySelector("[data-focus-after-swap]");
    if (heading) {
      heading.focus({ preventScroll: false });
    }
  });

  // "Print" buttons print the page; without JavaScript the browser's own menu does it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();
