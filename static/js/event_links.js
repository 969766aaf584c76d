// An event's arguments, drawn: a curved arrow from the trigger to each entity that fills one of its roles,
// with the role's name on it, in an SVG laid over the text (#links). The selected event's links are drawn
// strong, the others faint. The links come from the event list (#event-list li.arg), which every save
// refreshes; they are redrawn after each save, on resize, and while a role is being filled by dragging.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var svg, frame, pending = false, dragLine = null;

  function el(name, attrs) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function firstBox(id) {
    // The first piece of a mark (a mark broken over lines has several), relative to the workspace.
    var piece = document.querySelector('#text .ann.start[data-id="' + id + '"]') ||
                document.querySelector('#text [data-id="' + id + '"]');
    if (!piece) return null;
    var rects = Array.from(piece.getClientRects()).filter(function (r) { return r.width > 0; });
    if (!rects.length) return null;
    var origin = frame.getBoundingClientRect(), r = rects[0];
    return { x: r.left - origin.left + r.width / 2, y: r.top - origin.top };
  }

  function curve(a, b) {
    var lift = Math.min(22, 10 + Math.abs(b.x - a.x) / 20);  // within the gap between lines
    var top = Math.min(a.y, b.y) - lift;
    return "M" + a.x + "," + a.y + " C" + a.x + "," + top + " " + b.x + "," + top + " " + b.x + "," + b.y;
  }

  function draw() {
    pending = false;
    frame = document.getElementById("workspace");
    svg = document.getElementById("links");
    if (!frame || !svg) return;
    svg.textContent = "";
    svg.setAttribute("width", frame.scrollWidth);
    svg.setAttribute("height", frame.scrollHeight);
    var defs = el("defs", {});
    var marker = el("marker", { id: "link-head", viewBox: "0 0 8 8", refX: "7", refY: "4", markerWidth: "7",
                                markerHeight: "7", orient: "auto-start-reverse" });
    marker.appendChild(el("path", { d: "M0,0 L8,4 L0,8 z", "class": "link-head" }));
    defs.appendChild(marker);
    svg.appendChild(defs);
    var selected = window.haberWorkspace && window.haberWorkspace.state.selected;
    document.querySelectorAll("#event-list li.event").forEach(function (event) {
      var from = firstBox(event.dataset.id);
      if (!from) return;
      event.querySelectorAll("li.arg").forEach(function (arg) {
        var to = firstBox(arg.dataset.span);
        if (!to) return;
        var strong = selected === event.dataset.id || selected === arg.dataset.span;
        var group = el("g", { "class": "link" + (strong ? " strong" : ""), "data-event": event.dataset.id,
                              "data-span": arg.dataset.span });
        group.appendChild(el("path", { d: curve(from, to), "marker-end": "url(#link-head)" }));
        var label = el("text", { x: (from.x + to.x) / 2, y: Math.min(from.y, to.y) - Math.min(22, 10 + Math.abs(to.x - from.x) / 20) * 0.75 + 2,
                                 "text-anchor": "middle" });
        label.textContent = arg.dataset.roleName;
        group.appendChild(label);
        svg.appendChild(group);
      });
    });
    if (dragLine) svg.appendChild(dragLine);
  }

  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(draw);
  }

  function dragging(event) {
    // span_menu.js reports a drag from a trigger (viewport coordinates): a line follows the pointer.
    if (!frame) return;
    if (!event.detail) { dragLine = null; later(); return; }
    var origin = frame.getBoundingClientRect();
    var a = { x: event.detail.from[0] - origin.left, y: event.detail.from[1] - origin.top };
    var b = { x: event.detail.to[0] - origin.left, y: event.detail.to[1] - origin.top };
    dragLine = el("path", { d: curve(a, b), "class": "drag-line", "marker-end": "url(#link-head)" });
    later();
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("links")) return;
    draw();
    document.addEventListener("haber:drawn", later);
    document.addEventListener("haber:selected", later);
    document.addEventListener("haber:dragging", dragging);
    window.addEventListener("resize", later);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
  });
})();
