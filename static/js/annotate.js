// The annotation page, and the curation page (the same workspace on a gold set): what htmx cannot do. Reads the selection, converts offsets, snaps to tokens, handles
// the keyboard, and sends every change at once through a queue that survives a lost connection.
//
// Offsets: the DOM speaks UTF-16; the server stores code points. cpAt() is the one place that converts,
// using each segment's data-s (its first code point) and the UTF-16 offset inside the segment.
(function () {
  "use strict";

  var layout, data, labels = {}, byKey = {}, tokens = [], state;

  function $(selector, root) { return (root || document).querySelector(selector); }

  // The page's words in the person's language: Django's JavaScript catalog (jsi18n, loaded before this
  // file) gives gettext and friends; without it, English.
  var _ = window.gettext || function (text) { return text; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, key) { return values[key]; });
  }

  // ---- offsets ---------------------------------------------------------------------------------------
  function codePoints(s) { return Array.from(s).length; }

  function cpAt(node, offset) {
    // Code-point offset in the document of a DOM position (node, offset in UTF-16 units or child index).
    var element = node.nodeType === 3 ? node.parentElement : node;
    var line = element.closest(".line");
    if (!line) return null;
    var seg = element.closest(".seg");
    if (!seg) {
      if (node.nodeType === 1 && offset < node.childNodes.length) {
        var next = node.childNodes[offset];
        var inner = next.nodeType === 1 ? (next.matches(".seg") ? next : next.querySelector(".seg")) : null;
        if (inner) return Number(inner.dataset.s);
      }
      var segs = line.querySelectorAll(".seg");
      if (element.classList.contains("margin") || !segs.length) return Number(line.dataset.s);
      return offset === 0 && node === line ? Number(line.dataset.s) : Number(line.dataset.e);
    }
    var walker = document.createTreeWalker(seg, NodeFilter.SHOW_TEXT);
    var before = "", text;
    while ((text = walker.nextNode())) {
      if (text === node) { before += text.data.slice(0, offset); return Number(seg.dataset.s) + codePoints(before); }
      if (node.nodeType === 1 && node.contains(text) && offset === 0) break;
      before += text.data;
    }
    return Number(seg.dataset.s) + codePoints(before);
  }

  // ---- tokens ----------------------------------------------------------------------------------------
  function tokenIndexAtOrAfter(cp) {
    var lo = 0, hi = tokens.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (tokens[mid][1] <= cp) lo = mid + 1; else hi = mid; }
    return lo;  // first token ending after cp
  }

  function snap(start, end) {
    // Each edge goes to the *nearest* token edge ("Kafkasya'd" is "Kafkasya", not "Kafkasya'daki"); a tie
    // grows the selection. A selection inside one token (or that would vanish) grows to whole tokens.
    // Whitespace at either edge falls away because tokens never contain it.
    var grown = grow(start, end);
    if (!grown) return null;
    var first = tokenIndexAtOrAfter(start), last = tokenIndexAtOrAfter(end - 1);
    var s = grown[0], e = grown[1];
    if (first < tokens.length && tokens[first][0] < start && tokens[first][1] - start < start - tokens[first][0]) {
      s = first + 1 < tokens.length ? tokens[first + 1][0] : s;  // nearer the token's end: it is left out
    }
    if (last < tokens.length && tokens[last][0] < end && end < tokens[last][1] &&
        end - tokens[last][0] < tokens[last][1] - end) {
      e = last > 0 ? tokens[last - 1][1] : e;  // nearer the token's start: it is left out
    }
    return s < e ? [s, e] : grown;
  }

  function grow(start, end) {
    var first = tokenIndexAtOrAfter(start);
    var last = tokenIndexAtOrAfter(end - 1);
    if (last < tokens.length && tokens[last][0] >= end) last -= 1;
    if (first >= tokens.length || last < first || tokens[first][0] >= end) return null;
    return [tokens[first][0], tokens[last][1]];
  }

  function trim(start, end) {
    var text = documentText();
    var chars = Array.from(text);
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    return start < end ? wholeGraphemes(start, end) : null;
  }

  // Alt keeps exact characters, as a reader counts them: an edge inside a grapheme cluster (half a flag,
  // a skin tone without its hand) moves outward to the cluster's edge. Code-point offsets of the clusters.
  var graphemeEdges = null;
  function wholeGraphemes(start, end) {
    if (graphemeEdges === null) {
      graphemeEdges = [0];
      if (window.Intl && Intl.Segmenter) {
        var at = 0;
        for (var part of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(documentText())) {
          at += Array.from(part.segment).length;
          graphemeEdges.push(at);
        }
      }
    }
    if (graphemeEdges.length < 2) return [start, end];
    var lo = 0, hi = graphemeEdges.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (graphemeEdges[mid] <= start) lo = mid; else hi = mid - 1; }
    var first = graphemeEdges[lo];
    lo = 0; hi = graphemeEdges.length - 1;
    while (lo < hi) { var m = (lo + hi) >> 1; if (graphemeEdges[m] >= end) hi = m; else lo = m + 1; }
    return [first, graphemeEdges[lo]];
  }

  var textCache = null;
  function documentText() {
    if (textCache !== null) return textCache;
    var parts = [];
    document.querySelectorAll("#text .line").forEach(function (line, i) {
      if (i) parts.push("\n");
      line.querySelectorAll(".seg").forEach(function (seg) {
        parts.push(seg.textContent);
      });
    });
    textCache = parts.join("");
    return textCache;
  }

  // ---- selection -------------------------------------------------------------------------------------
  function selectedRange(exact) {
    if (state.paragraph) return state.paragraph;
    if (state.tapped) return state.tapped;  // words chosen by tapping the first and the last (touch_select.js)
    var sel = window.getSelection();
    if (!sel.rangeCount || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!$("#text").contains(range.commonAncestorContainer)) return null;
    var a = cpAt(range.startContainer, range.startOffset), b = cpAt(range.endContainer, range.endOffset);
    if (a === null || b === null || a >= b) return null;
    return exact ? trim(a, b) : snap(a, b);
  }

  function describe(message, isError) {
    var box = $("#notice");
    if (box) { box.textContent = message; box.classList.toggle("error", !!isError); }
  }

  function showSelection() {
    var panel = $("#selection");
    if (!panel) return;
    var item = state.selected && document.querySelector('#text [data-id="' + state.selected + '"]');
    panel.textContent = "";
    if (!item) return;
    var isEvent = item.dataset.kind === "event";
    var label = labels[Number(/\bl(\d+)\b/.exec(item.className)[1])];
    var heading = document.createElement("p");
    heading.textContent = fmt(isEvent ? _("Event selected: %(label)s — Delete removes it.")
                                      : _("Span selected: %(label)s — Delete removes it."), { label: label.name });
    panel.appendChild(heading);
    if (isEvent) {
      (data.roles[String(label.id)] || []).forEach(function (role) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "role" + (state.pendingRole === role.id ? " active" : "");
        button.textContent = role.name + (role.min ? " (" + role.min + "+)" : "");
        button.dataset.role = role.id;
        panel.appendChild(button);
      });
      var hint = document.createElement("p");
      hint.className = "help";
      hint.textContent = state.pendingRole ? _("Now click an entity span (or select it with [ ] and press Enter).")
                                           : _("Choose a role to fill.");
      panel.appendChild(hint);
    }
  }

  function select(id) {
    document.querySelectorAll("#text .selected").forEach(function (el) { el.classList.remove("selected"); });
    state.selected = id;
    if (id) document.querySelectorAll('#text [data-id="' + id + '"]').forEach(function (el) { el.classList.add("selected"); });
    showSelection();
    document.dispatchEvent(new CustomEvent("haber:selected", { detail: { id: id } }));
  }

  function setTapped(range) {
    // Words chosen by taps (touch_select.js) stand for the selection until a label takes them.
    state.tapped = range;
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    if (!range) { CSS.highlights.delete("tapped"); return; }
    var a = domAt(range[0]), b = domAt(range[1]);
    if (!a || !b) return;
    var r = document.createRange();
    r.setStart(a[0], a[1]);
    r.setEnd(b[0], b[1]);
    CSS.highlights.set("tapped", new Highlight(r));
  }

  // ---- the change queue ------------------------------------------------------------------------------
  function setSaveState(name, text) {
    var el = $("#save-state");
    if (!el) return;
    el.className = "save-state " + name;
    el.textContent = text;
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }

  function send(action, payload) {
    var change = Object.assign({ op: uuid(), action: action }, payload || {});
    if ($("#task-changed")) $("#task-changed").hidden = true;
    state.queue.push(change);
    keepQueue();
    drawPending();
    setSaveState("saving", _("Saving…"));
    pump();
  }

  // Waiting changes live in the browser's storage too, per user and task, so that a reload, a closed tab or
  // a crashed browser loses none: the page sends them when it opens again (each once: the server knows
  // every change by its op id, and answers a copy "already saved").
  function storageKey() { return "haber:queue:" + data.viewer + ":" + data.task; }

  function keepQueue() {
    try {
      if (state.queue.length) localStorage.setItem(storageKey(), JSON.stringify(state.queue));
      else localStorage.removeItem(storageKey());
    } catch (e) { /* storage full or off: the queue in memory still holds them */ }
  }

  function storedQueue() {
    try {
      var stored = JSON.parse(localStorage.getItem(storageKey()) || "[]");
      return Array.isArray(stored) ? stored.filter(function (c) { return c && typeof c.op === "string"; }) : [];
    } catch (e) { return []; }
  }

  // A new mark is drawn at once in a pending style (a highlight over its characters) until the server
  // answers: confirmed, the server's drawing replaces it; refused, it goes and the reason is listed.
  function drawPending() {
    if (!(window.CSS && CSS.highlights && window.Highlight)) return;
    var pending = new Highlight();
    state.queue.forEach(function (change) {
      if (change.start === undefined || (change.action !== "span.create" && change.action !== "event.create")) return;
      var a = domAt(change.start), b = domAt(change.end);
      if (!a || !b) return;
      var range = document.createRange();
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[1]);
      pending.add(range);
    });
    CSS.highlights.set("pending", pending);
  }

  function domAt(cp) {
    // The DOM position of a code-point offset (the inverse of cpAt), for putting the caret back.
    var segs = document.querySelectorAll("#text .seg");
    for (var i = 0; i < segs.length; i++) {
      var s = Number(segs[i].dataset.s), chars = Array.from(segs[i].textContent);
      if (cp >= s && cp <= s + chars.length) {
        var left = chars.slice(0, cp - s).join("").length;
        var walker = document.createTreeWalker(segs[i], NodeFilter.SHOW_TEXT), node;
        while ((node = walker.nextNode())) {
          if (left <= node.data.length) return [node, left];
          left -= node.data.length;
        }
      }
    }
    return null;
  }

  // The span list's order, as the server renders it: start, longest first, then client id.
  function listOrder(a, b) {
    return (a.dataset.s - b.dataset.s) || (b.dataset.e - a.dataset.e) ||
      (a.dataset.id < b.dataset.id ? -1 : a.dataset.id > b.dataset.id ? 1 : 0);
  }

  function patchSpanList(patch) {
    var list = $("#span-list");
    if (!patch || !list) return;
    var gone = (patch.dataset.removed || "").split(" ").filter(Boolean);
    Array.from(patch.children).forEach(function (entry) { gone.push(entry.dataset.id); });
    gone.forEach(function (id) {
      var old = list.querySelector('li[data-id="' + id + '"]');
      if (old) old.remove();
    });
    Array.from(patch.children).forEach(function (entry) {
      var next = Array.from(list.children).find(function (other) { return listOrder(other, entry) > 0; });
      list.insertBefore(entry, next || null);
    });
    $("#span-count").textContent = String(list.children.length);
  }

  function swap(html) {
    var hadFocus = document.activeElement && document.activeElement.closest && document.activeElement.closest("#text");
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var changes = holder.content.querySelector("#workspace-changes");
    if (!changes) {
      // The whole workspace (a replayed change, a reload after another tab's change): the text, and the
      // lists beside it.
      htmx.swap("#workspace", html, { swapStyle: "outerHTML" }, { select: "#workspace" });
      if (holder.content.querySelector("#lists")) htmx.swap("#lists", html, { swapStyle: "outerHTML" }, { select: "#lists" });
    } else {
      // A change: htmx puts the lines it touched, the notice and (when events may have changed) the event
      // list in place, each marked hx-swap-oob; what htmx cannot do is insert the span list's entries in
      // its order, which is done here.
      var patch = changes.querySelector("#span-list-changes");
      htmx.swap("#workspace", html, { swapStyle: "none" });  // only the hx-swap-oob parts move
      patchSpanList(patch);
      $("#workspace").dataset.version = changes.dataset.version;
    }
    if (hadFocus || state.caret !== null) {
      $("#text").focus({ preventScroll: true });
      var at = state.caret !== null ? domAt(state.caret) : null;
      if (at) window.getSelection().collapse(at[0], at[1]);
      state.caret = null;
    }
    textCache = null;
    state.paragraph = null;
    document.dispatchEvent(new CustomEvent("haber:drawn"));
    var keep = state.selected;
    if (keep && !document.querySelector('#text [data-id="' + keep + '"]')) keep = null;
    select(keep);
  }

  // The queue's policy. A change counts as saved only when the server answers 2xx with the task's new
  // version in X-Task-Version: a redirect, a login page or any other answer is a failure, and the change
  // stays queued. Network errors, 5xx and 429 are retried with backoff; 401 (the session ended) waits for
  // a new login, then resends; 409 (another tab changed the task) reloads and resends what is queued on the
  // fresh version, listing what no longer applies; any other refusal stops the queue at that change, shows
  // the server's message beside it and lets the annotator discard it (or try again).
  function pump() {
    if (state.busy || state.held || !state.queue.length) return;
    state.busy = true;
    clearTimeout(state.timer);
    // No answer within 3 s: the page says it is waiting for the server, not that it is saving.
    clearTimeout(state.slow);
    state.slow = setTimeout(function () {
      if (state.busy) setSaveState("unsaved", fmt(ngettext("Waiting for the server (%(count)s change)",
                                                           "Waiting for the server (%(count)s changes)",
                                                           state.queue.length), { count: state.queue.length }));
    }, 3000);
    var change = state.queue[0];
    var sent = Object.assign({}, change, { version: state.version });
    delete sent.afterConflict;
    fetch(layout.dataset.changeUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "text/html, application/json",
                 "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: JSON.stringify(sent),
    }).then(function (response) {
      var version = response.headers.get("X-Task-Version");
      if (response.ok && version !== null && /^\d+$/.test(version)) {
        return response.text().then(function (html) {
          state.version = Number(version);
          state.queue.shift();
          keepQueue();
          state.latestRefused = null;  // the latest change is stored: the indicator says so
          state.delay = 500;
          if (state.sessionEnded) { state.sessionEnded = false; $("#session-ended").hidden = true; }
          swap(html);
          drawPending();  // what is still waiting, over the new drawing
          // Whatever else on the page shows the set (the curation page's alignment) refreshes through htmx.
          document.body.dispatchEvent(new CustomEvent("haber:saved"));
          return "next";
        });
      }
      if (response.status === 401 || response.type === "opaqueredirect" || response.ok) {
        // No session (401), or an answer that is not the change endpoint's (a redirect, a login page).
        sessionEnded();
        return "wait";
      }
      if (response.status >= 500 || response.status === 429) throw new Error("server answered " + response.status);
      return errorMessage(response).then(function (message) {
        if (response.status === 409) { conflict(message); return "wait"; }
        if (response.status === 403 && /CSRF/i.test(message)) {
          // The session changed under the page (a login in another tab): take its token and send again.
          return freshCsrfToken().then(function (fresh) {
            if (fresh) { state.delay = 500; return "next"; }
            sessionEnded();
            return "wait";
          });
        }
        state.queue.shift();
        keepQueue();
        drawPending();
        refused(change, message);
        return "next";
      });
    }).then(function (next) {
      state.busy = false;
      clearTimeout(state.slow);
      if (next === "next") {
        if (state.queue.length) pump(); else showQueueState();
      }
    }, function () {
      state.busy = false;
      clearTimeout(state.slow);
      retryLater(_("Waiting for the server"));
    });
  }

  function retryLater(what) {
    var waiting = state.queue.length;
    setSaveState("unsaved", what + " (" + waiting + " change" + (waiting === 1 ? "" : "s") + " waiting)");
    clearTimeout(state.timer);
    state.timer = setTimeout(pump, state.delay);
    state.delay = Math.min(state.delay * 2, 4000);
  }

  // The indicator tells the state of the latest change: a refused one is listed on its own (#not-saved)
  // and says so here only while it is the latest; a later change that is stored shows "Saved".
  function showQueueState() {
    if (state.queue.length) setSaveState("saving", _("Saving…"));
    else if (state.latestRefused && document.querySelector('#not-saved li[data-op="' + state.latestRefused + '"]')) {
      setSaveState("unsaved", _("Not saved: the latest change was refused (listed below)"));
    } else setSaveState("saved", _("Saved"));
  }

  function errorMessage(response) {
    return response.text().then(function (body) {
      try { return JSON.parse(body).error || _("The server refused the change."); }
      catch (e) { return fmt(_("The server refused the change (HTTP %(status)s)."), { status: response.status }); }
    });
  }

  function sessionEnded() {
    // Nothing is dropped: the queue waits, is retried now and then and whenever the page gets focus, and
    // goes out (once each: every change carries its id) as soon as the session is back. The message is
    // a fixed panel, so that the text never moves under the annotator's mouse.
    state.sessionEnded = true;
    $("#session-ended").hidden = false;
    state.delay = Math.max(state.delay, 2000);
    retryLater(_("Not saved — log in again"));
  }

  function conflict(message) {
    // Another tab changed the task: load its version, then send what is queued again on top of it.
    // The explanation stays in the floating panel until the annotator's next change: the notice line is
    // rewritten by the resent change's answer a moment later.
    var note = $("#task-changed");
    note.textContent = message + " " + _("Changes waiting here were sent again on top of it.");
    note.hidden = false;
    state.queue.forEach(function (change) { change.afterConflict = true; });
    state.held = true;
    reload(message).then(function () {
      state.held = false;
      pump();
    }, function () {
      state.held = false;
      retryLater(_("Waiting for the server"));
    });
  }

  function describeChange(change) {
    var name = function (id) { return labels[Number(id)] ? labels[Number(id)].name : _("a label"); };
    var text = function () {
      return change.start !== undefined ? " “" + Array.from(documentText()).slice(change.start, change.end).join("") + "”" : "";
    };
    switch (change.action) {
      case "span.create": return name(change.label) + text();
      case "event.create": return fmt(_("%(label)s event"), { label: name(change.type) }) + text();
      case "span.update": return _("a change to a span");
      case "event.update": return _("a change to an event");
      case "span.delete": return _("removing a span");
      case "event.delete": return _("removing an event");
      case "argument.add": return _("filling a role");
      case "argument.remove": return _("removing an argument");
      case "curation.accept": return fmt(_("accepting an annotator's %(what)s"), { what: change.kind || _("answer") });
      case "suggestion.accept": return _("accepting a suggestion");
      case "suggestion.reject": return _("rejecting a suggestion");
      case "suggestion.accept_label": return fmt(_("accepting all suggestions of %(label)s"), { label: name(change.label) });
      default: return change.action;
    }
  }

  function refused(change, message) {
    // Kept visible as not saved, with the server's reason; the annotator discards it or tries again.
    state.latestRefused = change.op;
    var item = document.createElement("li");
    item.className = "refused";
    item.dataset.op = change.op;
    var what = document.createElement("strong");
    what.textContent = fmt(change.afterConflict ? _("No longer applies after the other tab's change: %(change)s")
                                                : _("Not saved: %(change)s"), { change: describeChange(change) });
    var why = document.createElement("span");
    why.className = "why";
    why.textContent = " — " + message + " ";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "discard";
    discard.textContent = _("Discard");
    discard.addEventListener("click", function () { item.remove(); showQueueState(); });
    item.append(what, why, discard);
    if (!change.afterConflict) {
      var retry = document.createElement("button");
      retry.type = "button";
      retry.textContent = _("Try again");
      retry.addEventListener("click", function () { item.remove(); state.queue.unshift(change); keepQueue(); showQueueState(); pump(); });
      item.appendChild(retry);
    }
    $("#not-saved").appendChild(item);
  }

  function reload(why) {
    return fetch(layout.dataset.url, { headers: { "HX-Request": "true" }, credentials: "same-origin", redirect: "manual" })
      .then(function (response) {
        var version = response.headers.get("X-Task-Version");
        if (!response.ok || version === null) throw new Error("reload failed");
        return response.text().then(function (html) {
          state.version = Number(version);
          swap(html);
          describe(why, true);
          showQueueState();
        });
      });
  }

  function csrfToken() {
    // The token lives in the session (CSRF_USE_SESSIONS), given to the page in <body hx-headers>; logging in
    // again (in another tab) makes a new one, which freshCsrfToken() fetches.
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  function freshCsrfToken() {
    // Resolves true when the page holds a new token (htmx's requests use it too), false when there is no
    // session to take one from.
    return fetch(layout.dataset.csrfUrl, { credentials: "same-origin", redirect: "manual",
                                           headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) return false;
        return response.json().then(function (answer) {
          if (!answer.token || answer.token === csrfToken()) return false;
          document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": answer.token }));
          return true;
        });
      }, function () { return false; });
  }

  // ---- actions ---------------------------------------------------------------------------------------
  function applyLabel(label, exact) {
    if (!data.editable) return;
    var range = selectedRange(exact);
    if (!range && state.selected) {
      var item = document.querySelector('#text [data-id="' + state.selected + '"]');
      if (item && item.dataset.kind === "span" && label.layer !== "event") {
        send("span.update", { id: state.selected, label: label.id });
        return;
      }
      if (item && item.dataset.kind === "event" && label.layer === "event") {
        send("event.update", { id: state.selected, type: label.id });
        return;
      }
    }
    if (!range) { describe(_("Select some text first."), true); return; }
    if (state.paragraph && label.layer !== "boilerplate") {
      // A paragraph (or lines) chosen by its margin, Enter or End: what boilerplate keys are for.
      describe(_("Entity and event labels take words; boilerplate keys take paragraphs. Select the words first."), true);
      return;
    }
    var staysOnALine = label.layer === "event" || (label.layer === "entity" && !data.entities_cross_lines);
    if (staysOnALine && crossesLine(range)) {
      describe(_("Entity and event labels take words on one line; this selection crosses a line break."), true);
      return;
    }
    window.getSelection().removeAllRanges();
    setTapped(null);
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest("#text")) state.caret = range[1];
    var id = uuid();
    if (label.layer === "event") {
      send("event.create", { id: id, type: label.id, start: range[0], end: range[1] });
      state.pendingRole = null;
      state.selected = id;
    } else {
      send("span.create", { id: id, label: label.id, start: range[0], end: range[1] });
    }
  }

  function crossesLine(range) {  // a line's break (at its data-e, in code points) inside the range
    return Array.from(document.querySelectorAll("#text .line")).some(function (line) {
      var e = Number(line.dataset.e);
      return range[0] <= e && e < range[1];
    });
  }

  function selectedItem() {
    return state.selected && document.querySelector('#text [data-id="' + state.selected + '"]');
  }

  function spanBounds(id) {
    var segs = Array.from(document.querySelectorAll('#text [data-id="' + id + '"]')).map(function (el) {
      return el.closest(".seg");
    });
    var start = Number(segs[0].dataset.s);
    var last = segs[segs.length - 1];
    return [start, Number(last.dataset.s) + codePoints(last.textContent)];
  }

  function moveEdge(which, direction) {
    var item = selectedItem();
    if (!item) return;
    var bounds = spanBounds(state.selected), start = bounds[0], end = bounds[1];
    var i;
    if (which === "end") {
      i = tokenIndexAtOrAfter(end - 1) + direction;
      if (i < 0 || i >= tokens.length || tokens[i][1] <= start) return;
      end = tokens[i][1];
    } else {
      i = tokenIndexAtOrAfter(start) + direction;
      if (i < 0 || i >= tokens.length || tokens[i][0] >= end) return;
      start = tokens[i][0];
    }
    send(item.dataset.kind === "event" ? "event.update" : "span.update", { id: state.selected, start: start, end: end });
  }

  function cycle(step) {
    var ids = [];
    document.querySelectorAll("#text [data-id]").forEach(function (el) {
      if (ids.indexOf(el.dataset.id) < 0) ids.push(el.dataset.id);
    });
    if (!ids.length) return;
    var i = ids.indexOf(state.selected);
    select(ids[(i + step + ids.length) % ids.length] || ids[0]);
    var el = selectedItem();
    if (el) el.scrollIntoView({ block: "nearest" });
  }

  function fillRole(spanId) {
    var event = state.argumentEvent;
    send("argument.add", { event: event, role: state.pendingRole, span: spanId });
    state.pendingRole = null;
    state.selected = event;
  }

  function selectParagraph(line, toEnd) {
    var lines = Array.from(document.querySelectorAll("#text .line"));
    var last = toEnd ? lines[lines.length - 1] : line;
    var range = trim(Number(line.dataset.s), Number(last.dataset.e));
    if (!range) return;
    state.paragraph = range;
    lines.forEach(function (l) {
      var inside = Number(l.dataset.s) >= Number(line.dataset.s) && Number(l.dataset.e) <= Number(last.dataset.e);
      l.classList.toggle("chosen", inside);
    });
    describe(_("Paragraph selected: press a boilerplate key or click a label."));
  }

  function clearParagraph() {
    state.paragraph = null;
    document.querySelectorAll("#text .line.chosen").forEach(function (l) { l.classList.remove("chosen"); });
  }

  // ---- keyboard movement -------------------------------------------------------------------------------
  var WORDISH = /[\p{L}\p{N}]/u, textChars = null;  // the stored text never changes: its characters, once
  function isWord(i) {
    if (textChars === null) textChars = Array.from(documentText());
    return WORDISH.test(textChars.slice(tokens[i][0], tokens[i][1]).join(""));
  }

  function nextStop(cp, direction, byCharacter, extending) {
    // By word: moving goes to the start of the next word, extending to its end, so that Right, then
    // Shift+Right selects whole words; backwards, the start of the word before. Tokens of punctuation only
    // ("--", a comma, a bracket) are not words. By character: the next grapheme cluster's edge.
    if (byCharacter) {
      wholeGraphemes(0, 1);  // builds the cluster edges once
      var edges = graphemeEdges.length > 1 ? graphemeEdges : null;
      if (!edges) return Math.max(0, cp + direction);
      var lo = 0, hi = edges.length - 1;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (edges[mid] < cp) lo = mid + 1; else hi = mid; }
      if (direction > 0) return edges[edges[lo] === cp ? Math.min(lo + 1, edges.length - 1) : lo];
      return edges[Math.max(lo - 1, 0)];
    }
    if (direction > 0) {
      for (var i = Math.max(tokenIndexAtOrAfter(cp) - 1, 0); i < tokens.length; i++) {
        if (isWord(i) && (extending ? tokens[i][1] > cp : tokens[i][0] > cp)) return extending ? tokens[i][1] : tokens[i][0];
      }
      return cp;
    }
    for (var j = Math.min(tokenIndexAtOrAfter(cp), tokens.length - 1); j >= 0; j--) {
      if (tokens[j][0] < cp && isWord(j)) return tokens[j][0];
    }
    return cp;
  }

  function moveCaret(direction, extend, byCharacter) {
    var sel = window.getSelection();
    var focus = cpAt(sel.focusNode, sel.focusOffset), anchor = cpAt(sel.anchorNode, sel.anchorOffset);
    if (focus === null) return;
    var target = nextStop(focus, direction, byCharacter, extend);
    var at = domAt(target);
    if (!at) return;
    if (extend && anchor !== null) {
      var from = domAt(anchor);
      sel.setBaseAndExtent(from[0], from[1], at[0], at[1]);
    } else {
      sel.collapse(at[0], at[1]);
    }
  }

  function toggleKeymap() {
    var map = document.getElementById("keymap");
    if (!map) return;
    if (map.open) map.close(); else map.showModal();
  }

  // ---- events ----------------------------------------------------------------------------------------
  // The keys: one table (annotate/models/keys.py, in data.keys), tried in its order; the first entry whose
  // key and modifiers match and whose handler applies (does not return false) takes the key press. A key
  // no entry takes is a label's shortcut.
  function inText(event) { return !!event.target.closest("#text"); }

  var KEY_ACTIONS = {
    undo: function () { send("undo"); },
    redo: function () { send("redo"); },
    move: function (event) {
      if (!inText(event)) return false;
      var key = event.key, sel = window.getSelection();
      if (!sel.rangeCount || !$("#text").contains(sel.anchorNode)) {
        var first = document.createTreeWalker($("#text"), NodeFilter.SHOW_TEXT).nextNode();
        if (first) sel.collapse(first, 0);
      }
      clearParagraph();
      if (key === "ArrowUp" || key === "ArrowDown") {
        sel.modify(event.shiftKey ? "extend" : "move", key === "ArrowUp" ? "backward" : "forward", "line");
        return;
      }
      // Left and right: by word over the stored tokens, skipping tokens of punctuation only ("--", a comma);
      // with Alt, one character (a whole grapheme cluster) at a time. Shift moves the selection's focus edge.
      moveCaret(key === "ArrowRight" ? 1 : -1, event.shiftKey, event.altKey);
    },
    select_to_end: function (event) {
      if (event.target.closest("button")) return false;
      var range = selectedRange(false);
      var line = range && document.querySelector('#text .line[data-e="' + range[1] + '"]') ||
        (range && Array.from(document.querySelectorAll("#text .line")).find(function (l) {
          return Number(l.dataset.s) <= range[0] && range[0] <= Number(l.dataset.e);
        }));
      if (!line) return false;
      selectParagraph(line, true);
    },
    clear: function () {
      clearParagraph(); setTapped(null); select(null); state.pendingRole = null; window.getSelection().removeAllRanges();
      return "default";  // Escape also closes the key map (the dialog's own behaviour)
    },
    suggestion_accept: function () { suggestionKey("suggestion.accept"); },
    suggestion_reject: function () { suggestionKey("suggestion.reject"); },
    suggestion_accept_label: function () { suggestionKey("suggestion.accept_label"); },
    delete: function () {
      if (!state.selected) return false;
      var item = selectedItem();
      if (item) window.haberWorkspace.remove(item);
      state.selected = null;
    },
    previous: function () { cycle(-1); },
    next: function () { cycle(1); },
    fill_role: function () {
      if (!(state.pendingRole && state.selected && state.selected !== state.argumentEvent)) return false;
      fillRole(state.selected);
    },
    keymap: function () { toggleKeymap(); },
    select_paragraph: function (event) {
      var marginButton = event.target.closest("#text .margin");
      if (marginButton) {  // what a click on the margin does
        window.getSelection().removeAllRanges();
        selectParagraph(marginButton.closest(".line"), event.shiftKey);
        return;
      }
      if (!inText(event)) return false;
      // Enter with the caret in a paragraph selects the paragraph (then a boilerplate key marks it).
      var caret = window.getSelection();
      var holder = caret.anchorNode && (caret.anchorNode.nodeType === 3 ? caret.anchorNode.parentElement : caret.anchorNode);
      var para = holder && holder.closest && holder.closest(".line");
      if (!para) return "default";
      caret.removeAllRanges();
      selectParagraph(para, false);
    },
    end_left: function () { moveEdge("end", -1); },
    end_right: function () { moveEdge("end", 1); },
    start_left: function () { moveEdge("start", -1); },
    start_right: function () { moveEdge("start", 1); },
    choose_role: function (event) {
      // Shift+1..9 choose a role of the selected event (plain digits are event types).
      if (!(state.selected && selectedItem() && selectedItem().dataset.kind === "event")) return false;
      var roles = data.roles[String(labelOf(selectedItem()))] || [];
      var role = roles[Number(event.code.slice(5)) - 1];
      if (role) choosePendingRole(role.id);
    },
  };

  function keyMatches(entry, event) {
    var ctrl = event.ctrlKey || event.metaKey;
    if (entry.ctrl !== ctrl) return false;
    if (entry.shift !== null && entry.shift !== event.shiftKey) return false;
    return entry.keys.indexOf(event.key) >= 0 || entry.codes.indexOf(event.code) >= 0;
  }

  function onKey(event) {
    if (event.target.closest("input, textarea, select")) return;
    for (var i = 0; i < data.keys.length; i++) {
      var entry = data.keys[i];
      if (!keyMatches(entry, event)) continue;
      var done = KEY_ACTIONS[entry.action](event);
      if (done === false) continue;  // does not apply here: the next entry may take the key
      if (done !== "default") event.preventDefault();
      return;
    }
    if (event.ctrlKey || event.metaKey) return;
    var label = byKey[event.key];
    if (label) { event.preventDefault(); applyLabel(label, event.altKey); }
  }

  function suggestionKey(action) {
    // Suggestions: + accepts the one under the caret (or the selected one), - rejects it, * accepts every
    // suggestion of its label in the document.
    var suggested = suggestionAtCaret();
    if (!suggested) { describe(_("No suggestion under the caret."), true); return; }
    if (action === "suggestion.accept_label") send(action, { label: labelOf(suggested) });
    else send(action, { key: suggested.dataset.id });
    state.selected = null;
  }

  function suggestionAtCaret() {
    if (state.selected) {
      var chosen = document.querySelector('#text [data-kind="suggestion"][data-id="' + state.selected + '"]');
      if (chosen) return chosen;
    }
    var sel = window.getSelection();
    if (!sel.rangeCount || !$("#text").contains(sel.anchorNode)) return null;
    var node = sel.anchorNode.nodeType === 3 ? sel.anchorNode.parentElement : sel.anchorNode;
    return node && node.closest ? node.closest('#text [data-kind="suggestion"]') : null;
  }

  function labelOf(el) { return Number(/\bl(\d+)\b/.exec(el.className)[1]); }

  function choosePendingRole(roleId) {
    state.pendingRole = roleId;
    state.argumentEvent = state.selected;
    showSelection();
    describe(_("Choose the entity span that fills this role."));
  }

  function onClick(event) {
    var target = event.target;
    var labelButton = target.closest("[data-label]");
    if (labelButton) { applyLabel(labels[Number(labelButton.dataset.label)], event.altKey); return; }
    var decided = target.closest("[data-change]");
    if (decided) {
      // The curation page: accept an annotator's answer into the gold set, or reject the gold set's.
      var change = JSON.parse(decided.dataset.change);
      var action = change.action;
      delete change.action;
      decided.disabled = true;
      send(action, change);
      return;
    }
    var removeArg = target.closest(".remove-arg");
    if (removeArg) {
      send("argument.remove", { event: removeArg.dataset.event, role: Number(removeArg.dataset.role), span: removeArg.dataset.span });
      return;
    }
    var roleButton = target.closest("[data-role]");
    if (roleButton) { choosePendingRole(Number(roleButton.dataset.role)); return; }
    var pick = target.closest("[data-pick]");
    if (pick) { select(pick.dataset.pick); return; }
    if (target.closest("#undo")) { send("undo"); return; }
    if (target.closest("#redo")) { send("redo"); return; }
    var margin = target.closest("#text .margin");
    if (margin) { window.getSelection().removeAllRanges(); selectParagraph(margin.closest(".line"), event.shiftKey); return; }
    var ann = target.closest("#text .ann");
    if (ann && window.getSelection().isCollapsed) {
      if (state.pendingRole && ann.dataset.kind === "span") { fillRole(ann.dataset.id); return; }
      clearParagraph();
      select(ann.dataset.id);
      return;
    }
    if (target.closest("#text")) clearParagraph();
  }

  function onHover(event) {
    var item = event.target.closest("#event-list .event");
    document.querySelectorAll("#text .argument").forEach(function (el) { el.classList.remove("argument"); });
    if (!item) return;
    item.dataset.args.trim().split(/\s+/).forEach(function (id) {
      if (id) document.querySelectorAll('#text [data-id="' + id + '"]').forEach(function (el) { el.classList.add("argument"); });
    });
  }

  // The two conversions, for the property tests that drive them in a real browser.
  window.haberOffsets = { cpAt: cpAt, domAt: domAt };

  // What the page's other scripts (span_menu.js, event_links.js, side_tabs.js, touch_select.js) use: the
  // one queue, the one selection and the one offset conversion stay here.
  function workspaceApi() {
    return {
      data: data, labels: labels, state: state, send: send, select: select, describe: describe,
      applyLabel: applyLabel, choosePendingRole: choosePendingRole, setTapped: setTapped, cpAt: cpAt,
      domAt: domAt, documentText: documentText, selectedItem: selectedItem, labelOf: labelOf,
      tokens: function () { return tokens; }, tokenIndexAtOrAfter: tokenIndexAtOrAfter,
      addArgument: function (eventId, roleId, spanId) {
        send("argument.add", { event: eventId, role: roleId, span: spanId });
        state.pendingRole = null;
        state.selected = eventId;
      },
      remove: function (item) {
        if (item.dataset.kind === "suggestion") send("suggestion.reject", { key: item.dataset.id });
        else send(item.dataset.kind === "event" ? "event.delete" : "span.delete", { id: item.dataset.id });
        select(null);
      },
    };
  }

  document.addEventListener("DOMContentLoaded", function () {
    layout = $(".annotate-layout");
    var script = document.getElementById("page-data");
    if (!layout || !script) return;
    data = JSON.parse(script.textContent);
    tokens = data.tokens;
    data.labels.forEach(function (label) { labels[label.id] = label; byKey[label.key] = label; });
    state = { version: data.version, queue: [], busy: false, held: false, delay: 500, timer: null,
              sessionEnded: false, selected: null, paragraph: null, pendingRole: null, argumentEvent: null,
              caret: null, slow: null, tapped: null };
    window.haberWorkspace = workspaceApi();
    // Changes that waited when this page was last closed (or crashed) go out first, once each.
    var waiting = storedQueue();
    if (waiting.length && data.editable) {
      state.queue = waiting;
      drawPending();
      setSaveState("saving", fmt(ngettext("Sending %(count)s change kept from before",
                                          "Sending %(count)s changes kept from before", waiting.length),
                                 { count: waiting.length }));
      setTimeout(pump, 0);
    }
    var resume = function () { if (state.queue.length && !state.busy) { state.delay = 500; pump(); } };
    window.addEventListener("focus", resume);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) resume(); });
    document.addEventListener("keydown", onKey);
    // The text has the focus from the start: arrows and label keys work without reaching for the mouse;
    // unless the page asks whether to submit anyway, where Enter confirms.
    var question = document.querySelector(".submit-question button[type=submit]");
    if (question) question.focus();
    else if ($("#text") && !location.hash) $("#text").focus({ preventScroll: true });
    document.addEventListener("click", onClick);
    document.addEventListener("mouseover", onHover);
    window.addEventListener("beforeunload", function (event) {
      if (state.queue.length || $("#not-saved li")) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
