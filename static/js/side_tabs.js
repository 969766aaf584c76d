// The marks beside the text, in tabs (spans, events, suggestions): the ARIA tabs pattern (arrows move
// between tabs, the chosen tab's panel shows). The counts on the tabs follow every save. Without this script
// the three lists simply show one under the other.
(function () {
  "use strict";

  function tabs() { return Array.from(document.querySelectorAll('#lists [role="tab"]')); }

  function choose(tab, focus) {
    tabs().forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      var panel = document.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
    });
    document.body.dataset.listTab = tab.id;
    if (focus) tab.focus();
  }

  function counts() {
    var events = document.querySelectorAll("#event-list li.event").length;
    var suggestions = document.querySelectorAll("#suggestions .suggestion-list > li").length;
    var spans = document.querySelectorAll("#span-list > li").length;
    [["#event-count", events], ["#suggestion-count", suggestions], ["#span-count", spans]].forEach(function (pair) {
      var el = document.querySelector(pair[0]);
      if (el) el.textContent = String(pair[1]);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = tabs();
    if (!list.length) return;
    // Suggestions left to settle come first; otherwise the spans.
    var suggestions = document.getElementById("tab-suggestions");
    choose(suggestions && document.querySelector("#suggestions .suggestion-list > li") ? suggestions : list[0], false);
    document.addEventListener("click", function (event) {
      var tab = event.target.closest('#lists [role="tab"]');
      if (tab) choose(tab, false);
    });
    document.addEventListener("keydown", function (event) {
      var tab = event.target.closest && event.target.closest('#lists [role="tab"]');
      if (!tab) return;
      var all = tabs(), i = all.indexOf(tab), next = null;
      if (event.key === "ArrowRight") next = all[(i + 1) % all.length];
      else if (event.key === "ArrowLeft") next = all[(i - 1 + all.length) % all.length];
      else if (event.key === "Home") next = all[0];
      else if (event.key === "End") next = all[all.length - 1];
      if (next) { event.preventDefault(); event.stopPropagation(); choose(next, true); }
    }, true);
    // A whole reload of the workspace brings fresh tabs: the annotator's choice stays.
    document.addEventListener("haber:drawn", function () {
      var before = document.body.dataset.listTab;
      var tab = (before && document.getElementById(before)) || tabs()[0];
      if (tab) choose(tab, false);
      counts();
    });
  });
})();
