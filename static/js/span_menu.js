// The menu at a mark: a click on a span (or a right-click, or a long press on a touch screen) opens a small
// menu beside it with its label, the other labels of its layer with their keys (to relabel), delete, and for
// an event trigger its roles; a suggestion's menu accepts or rejects it. The menu never takes the keyboard
// from the text: the keys still work while it is open, and Escape closes it.
//
// Also here: filling a role by dragging from a selected trigger to an entity span. Changes go through the
// one queue in annotate.js (window.haberWorkspace).
(function () {
  "use strict";

  // The page's words in the person's language (Django's JavaScript catalog; without it, English).
  var _ = window.gettext || function (text) { return text; };
  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (whole, key) { return values[key]; });
  }

  var ws, menu = null, press = null, drag = null, dropped = false;
  var LONG_PRESS_MS = 500;

  function $(selector) { return document.querySelector(selector); }

  function button(text, key, onChoose, extraClass) {
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("role", "menuitem");
    b.className = "menu-item" + (extraClass ? " " + extraClass : "");
    b.textContent = text;
    if (key) {
      var k = document.createElement("kbd");
      k.textContent = key;
      b.append(" ", k);
    }
    b.addEventListener("click", function (event) {
      event.stopPropagation();
      close();
      onChoose();
      var text = $("#text");
      if (text) text.focus({ preventScroll: true });
    });
    return b;
  }

  function markText(id) {
    var parts = [];
    document.querySelectorAll('#text [data-id="' + id + '"]').forEach(function (el) {
      if (!el.parentElement.closest('[data-id="' + id + '"]')) parts.push(el.textContent);
    });
    var text = parts.join("");
    return text.length > 40 ? text.slice(0, 39) + "…" : text;
  }

  function rolesOf(typeId) { return ws.data.roles[String(typeId)] || []; }

  function filled(eventId, roleName) {
    return document.querySelectorAll('#event-list li.event[data-id="' + eventId + '"] li.arg[data-role-name="' +
                                      CSS.escape(roleName) + '"]').length;
  }

  function open(item, x, y) {
    close();
    if (!ws.data.editable) return;
    var id = item.dataset.id, kind = item.dataset.kind, labelId = ws.labelOf(item), label = ws.labels[labelId];
    if (!label) return;
    menu = document.createElement("div");
    menu.id = "span-menu";
    menu.className = "span-menu";
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", fmt(kind === "event" ? _("Event %(label)s") : kind === "suggestion" ? _("Suggestion %(label)s") : _("Span %(label)s"), { label: label.name }));
    var head = document.createElement("p");
    head.className = "menu-head";
    var chip = document.createElement("span");
    chip.className = "chip l" + labelId;
    chip.textContent = label.name + (kind === "suggestion" ? "?" : "");
    head.append(chip, " “" + markText(id) + "”");
    menu.appendChild(head);
    if (kind === "suggestion") {
      menu.append(
        button(_("Accept"), "+", function () { ws.send("suggestion.accept", { key: id }); ws.select(null); }),
        button(_("Reject"), "−", function () { ws.send("suggestion.reject", { key: id }); ws.select(null); }),
        button(fmt(_("Accept all %(label)s"), { label: label.name }), "*", function () { ws.send("suggestion.accept_label", { label: labelId }); ws.select(null); }));
    } else {
      var others = ws.data.labels.filter(function (l) { return l.layer === label.layer && l.id !== labelId; });
      if (others.length) {
        var group = document.createElement("div");
        group.className = "menu-labels";
        group.setAttribute("aria-label", _("Change the label to"));
        others.forEach(function (other) {
          group.appendChild(button(other.name, other.key, function () {
            ws.send(kind === "event" ? "event.update" : "span.update",
                    kind === "event" ? { id: id, type: other.id } : { id: id, label: other.id });
          }, "chip l" + other.id));
        });
        menu.appendChild(group);
      }
      if (kind === "event") {
        var roles = rolesOf(labelId);
        if (roles.length) {
          var hint = document.createElement("p");
          hint.className = "help";
          hint.textContent = _("Fill a role: choose it, then click the entity; or drag from the trigger to the entity.");
          menu.appendChild(hint);
          roles.forEach(function (role, i) {
            var count = filled(id, role.name);
            var need = role.min ? " (" + fmt(_("%(count)s of %(least)s"), { count: count, least: role.min + (role.max === 1 ? "" : "+") }) + ")" : count ? " (" + count + ")" : "";
            menu.appendChild(button(role.name + need, "Shift+" + (i + 1), function () {
              ws.select(id);
              ws.choosePendingRole(role.id);
            }, "menu-role"));
          });
        }
      }
      menu.appendChild(button(_("Delete"), "Del", function () { ws.remove(item); }, "danger"));
    }
    document.body.appendChild(menu);
    place(item, x, y);
  }

  function place(item, x, y) {
    var rect = item.getBoundingClientRect();
    var left = x !== undefined ? x : rect.left, top = rect.bottom + 4;
    var width = menu.offsetWidth, height = menu.offsetHeight;
    var bottomBar = $(".dock");
    var limit = window.innerHeight - (bottomBar && getComputedStyle(bottomBar).position === "fixed" ? bottomBar.offsetHeight : 0);
    if (top + height > limit && rect.top - height - 4 > 0) top = rect.top - height - 4;
    left = Math.max(4, Math.min(left, document.documentElement.clientWidth - width - 4));
    menu.style.left = (left + window.scrollX) + "px";
    menu.style.top = (top + window.scrollY) + "px";
  }

  function close() {
    if (menu) { menu.remove(); menu = null; }
  }

  function roleChooser(eventId, span, x, y) {
    // After a drag from a trigger to an entity: the roles that entity's label may fill, to pick one.
    var event = document.querySelector('#text [data-id="' + eventId + '"]');
    if (!event) return;
    var spanLabel = ws.labelOf(span);
    var roles = rolesOf(ws.labelOf(event)).filter(function (r) { return !r.labels.length || r.labels.indexOf(spanLabel) >= 0; });
    if (!roles.length) { ws.describe(fmt(_("No role of this event takes a %(label)s span."), { label: ws.labels[spanLabel].name }), true); return; }
    if (ws.state.pendingRole && roles.some(function (r) { return r.id === ws.state.pendingRole; })) {
      ws.addArgument(eventId, ws.state.pendingRole, span.dataset.id);
      return;
    }
    if (roles.length === 1) { ws.addArgument(eventId, roles[0].id, span.dataset.id); return; }
    close();
    menu = document.createElement("div");
    menu.id = "span-menu";
    menu.className = "span-menu";
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", fmt(_("Fill a role with “%(text)s”"), { text: markText(span.dataset.id) }));
    var head = document.createElement("p");
    head.className = "menu-head";
    head.textContent = fmt(_("“%(text)s” is the event's…"), { text: markText(span.dataset.id) });
    menu.appendChild(head);
    roles.forEach(function (role) {
      menu.appendChild(button(role.name, "", function () { ws.addArgument(eventId, role.id, span.dataset.id); }, "menu-role"));
    });
    document.body.appendChild(menu);
    place(span, x, y);
  }

  // ---- opening ---------------------------------------------------------------------------------------
  function markAt(target) { return target.closest && target.closest("#text .ann"); }

  function onClick(event) {
    if (dropped) { dropped = false; return; }  // the click that ends a drag (on the two ends' common ancestor)
    if (menu && !menu.contains(event.target)) close();
    var item = markAt(event.target);
    // annotate.js has handled the click first: a click that selected this mark (not one that filled a role,
    // not the end of a text selection) opens its menu.
    if (item && ws.state.selected === item.dataset.id && window.getSelection().isCollapsed && !ws.state.tapAnchor) {
      open(item, event.clientX);
    }
  }

  function onContextMenu(event) {
    var item = markAt(event.target);
    if (!item || !ws.data.editable) return;
    event.preventDefault();
    ws.select(item.dataset.id);
    open(item, event.clientX);
  }

  function onPointerDown(event) {
    var item = markAt(event.target);
    if (!item) return;
    if (event.pointerType === "touch") {
      press = { item: item, x: event.clientX, y: event.clientY,
                timer: setTimeout(function () { ws.select(item.dataset.id); open(item, press.x); press.done = true; }, LONG_PRESS_MS) };
      return;
    }
    // A drag from the selected trigger to an entity fills a role.
    if (event.button === 0 && item.dataset.kind === "event" && ws.state.selected === item.dataset.id && ws.data.editable) {
      event.preventDefault();
      var box = item.getBoundingClientRect();
      drag = { eventId: item.dataset.id, from: [box.left + box.width / 2, box.top], moved: false };
    }
  }

  function onPointerMove(event) {
    if (press && Math.hypot(event.clientX - press.x, event.clientY - press.y) > 10) { clearTimeout(press.timer); press = null; }
    if (!drag) return;
    drag.moved = true;
    window.getSelection().removeAllRanges();
    document.dispatchEvent(new CustomEvent("haber:dragging", { detail: { from: drag.from, to: [event.clientX, event.clientY] } }));
  }

  function onPointerUp(event) {
    if (press) { clearTimeout(press.timer); if (press.done) event.preventDefault(); press = null; }
    if (!drag) return;
    var was = drag;
    drag = null;
    document.dispatchEvent(new CustomEvent("haber:dragging", { detail: null }));
    if (!was.moved) return;
    dropped = true;
    setTimeout(function () { dropped = false; }, 0);
    var under = document.elementFromPoint(event.clientX, event.clientY);
    var span = under && under.closest('#text .ann[data-kind="span"]');
    if (!span) { ws.describe(_("Drop on an entity span to fill a role."), true); return; }
    roleChooser(was.eventId, span, event.clientX, event.clientY);
  }

  document.addEventListener("DOMContentLoaded", function () {
    ws = window.haberWorkspace;
    if (!ws) return;
    document.addEventListener("click", onClick);
    document.addEventListener("contextmenu", onContextMenu);
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("pointermove", onPointerMove);
    document.addEventListener("pointerup", onPointerUp);
    document.addEventListener("pointercancel", function () { if (press) clearTimeout(press.timer); press = null; drag = null; });
    // Escape, Delete, a relabel, a new selection: the menu goes with the mark it was for.
    document.addEventListener("haber:selected", close);
    document.addEventListener("haber:drawn", close);
    window.addEventListener("resize", close);
  });
})();
