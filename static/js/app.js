// Small helpers every page shares (no inline script: the CSP forbids it).
// * data-key="n" on a link or button: pressing that key (outside form fields) follows or clicks it.
// * data-colour / data-text-colour on a label chip: paint it (inline style attributes are not allowed).
// * the top bar's language menu: choosing a language sends its form (its button is then hidden).
(function () {
  "use strict";

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable='true']") !== null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var targets = document.querySelectorAll("[data-key]");
    for (var i = 0; i < targets.length; i++) {
      if (targets[i].dataset.key === event.key) {
        event.preventDefault();
        targets[i].click();
        return;
      }
    }
  });

  function paint(root) {
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      el.style.backgroundColor = el.dataset.colour;
      if (el.dataset.textColour) el.style.color = el.dataset.textColour;
    });
  }

  function languageMenu() {
    document.querySelectorAll(".language-form").forEach(function (form) {
      form.classList.add("auto");
      form.querySelector("select").addEventListener("change", function () { form.requestSubmit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { paint(document); languageMenu(); });
  document.addEventListener("htmx:afterSwap", function (event) { paint(event.target); });
})();
