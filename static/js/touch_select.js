// Selecting words on a touch screen: tap the first word, then the last; the words between are chosen (drawn
// as a highlight) and a tap on a label marks them (a label right after the first tap marks that word). A tap on a mark opens its menu (span_menu.js), unless a
// first word is waiting for its last, when the mark's word is taken as the last. The native long-press
// selection still works as well: a label takes whatever is selected.
(function () {
  "use strict";

  // The page's words in the person's language (Django's JavaScript catalog; without it, English).
  var _ = window.gettext || function (text) { return text; };
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, key) { return values[key]; });
  }

  var ws, anchor = null;

  function wordAt(x, y) {
    // The token under a point (or the nearest after it on the line), in code points.
    var node, offset;
    if (document.caretPositionFromPoint) {
      var pos = document.caretPositionFromPoint(x, y);
      if (!pos) return null;
      node = pos.offsetNode; offset = pos.offset;
    } else if (document.caretRangeFromPoint) {
      var range = document.caretRangeFromPoint(x, y);
      if (!range) return null;
      node = range.startContainer; offset = range.startOffset;
    } else return null;
    if (!node || !document.getElementById("text").contains(node)) return null;
    var cp = ws.cpAt(node, offset);
    if (cp === null) return null;
    var tokens = ws.tokens(), i = ws.tokenIndexAtOrAfter(cp);
    // A caret just after a word's last character belongs to that word.
    if (i > 0 && tokens[i - 1][1] === cp && (i >= tokens.length || tokens[i][0] > cp)) i -= 1;
    return i < tokens.length ? tokens[i] : null;
  }

  function showAnchor(token) {
    anchor = token;
    ws.state.tapAnchor = token;
    ws.setTapped(token ? [token[0], token[1]] : null);  // the first word alone is a selection a label takes
  }

  function quote(range) { return "“" + Array.from(ws.documentText()).slice(range[0], range[1]).join("") + "”"; }

  function onClick(event) {
    if (event.pointerType !== "touch" || !ws.data.editable) return;
    var text = document.getElementById("text");
    if (!text || !text.contains(event.target) || event.target.closest(".margin")) return;
    if (anchor && !ws.state.tapped) showAnchor(null);  // a label took the first word alone
    var onMark = event.target.closest(".ann");
    if (onMark && !anchor) return;  // a tap on a mark: its menu
    var word = wordAt(event.clientX, event.clientY);
    if (!word) return;
    event.stopPropagation();  // the tap is a word chosen, not a click on a mark
    window.getSelection().removeAllRanges();
    if (!anchor) {
      ws.select(null);
      showAnchor(word);
      ws.describe(fmt(_("%(word)s chosen: tap a label, or first the last word to take the words between."), { word: quote(word) }));
      return;
    }
    var range = [Math.min(anchor[0], word[0]), Math.max(anchor[1], word[1])];
    showAnchor(null);
    ws.setTapped(range);
    ws.describe(fmt(_("Selected %(words)s: tap a label."), { words: quote(range) }));
  }

  document.addEventListener("DOMContentLoaded", function () {
    ws = window.haberWorkspace;
    if (!ws) return;
    document.addEventListener("click", onClick, true);
    // A selection made another way (a long press, a mouse, the keys) replaces the tapped words.
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (sel.isCollapsed || !sel.rangeCount) return;
      var text = document.getElementById("text");
      if (text && text.contains(sel.anchorNode) && (anchor || ws.state.tapped)) { showAnchor(null); ws.setTapped(null); }
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape" && anchor) showAnchor(null); });
  });
})();
