"""The text rendered with every span: overlapping and nested spans become stacked underlines by depth,
boilerplate is shaded, event triggers are drawn differently. Offsets in data-s / data-e are code points.

The text is rendered line by line, and depths are computed per line, so a change re-renders only the
lines it touches (changed_lines, used by workspace.changes) and the page swaps just those in."""

import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from annotate.models import Label

MAX_DEPTH = 7
OOB = ' hx-swap-oob="true"'
NEWLINE = re.compile("\n")
NEEDS_ESCAPE = re.compile("[&<>]")


@dataclass(slots=True)
class Item:
    client_id: str
    kind: str  # span, event or suggestion
    label: Label
    start: int
    end: int
    arguments: list = field(default_factory=list)  # for events: (role, span Item)
    missing: list = field(default_factory=list)

    text: str = ""
    origin: str = ""  # a suggestion's: who suggests it


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, the end before its line break."""
    breaks = [m.start() for m in NEWLINE.finditer(text)]
    return list(zip([0, *(b + 1 for b in breaks)], [*breaks, len(text)], strict=True))


def _depths(items: list[Item]) -> list[int]:
    """For items sorted by (start, -end): each one's smallest depth not used by an overlapping item, so
    longer items sit below."""
    depths: list[int] = []
    active: list[int] = []
    for k, item in enumerate(items):
        active = [j for j in active if items[j].end > item.start]
        used = {depths[j] for j in active}
        depth = 0
        while depth in used:
            depth += 1
        depths.append(depth)
        active.append(k)
    return depths


def changed_lines(text: str, ranges) -> set[int]:
    """Start offsets of the lines on which items at these (start, end) ranges are drawn."""
    lines = _lines(text)
    line_starts = [a for a, _ in lines]
    found = set()
    for a, b in ranges:
        i = max(bisect_right(line_starts, a) - 1, 0)
        while i < len(lines) and lines[i][0] < b:
            if a < lines[i][1]:
                found.add(lines[i][0])
            i += 1
    return found


def line_bounds(text: str, starts: set[int]) -> tuple[int, int]:
    """From the first of these lines' start to the last one's end; (0, 0) for none."""
    if not starts:
        return 0, 0
    last = max(starts)
    end = text.find("\n", last)
    return min(starts), len(text) if end < 0 else end


def render_text(text: str, items: list[Item], only: set[int] | None = None) -> SafeString:
    # Each line has an id (L + its start): a save's answer marks the lines it re-rendered hx-swap-oob, and
    # htmx puts each in place of the line with the same id (workspace.changes, static/js/annotate.js).
    """Lines as blocks (each with a margin button for boilerplate), segments split at every boundary.
    With `only`, just the lines that start at those offsets."""
    lines = _lines(text)
    per_line: list[list[Item]] = [[] for _ in lines]
    line_starts = [a for a, _ in lines]
    for item in items:
        i = max(bisect_right(line_starts, item.start) - 1, 0)
        while i < len(lines) and lines[i][0] < item.end:
            if item.start < lines[i][1]:
                per_line[i].append(item)
            i += 1
    escaping = bool(NEEDS_ESCAPE.search(text))
    out: list[str] = []
    for number, ((s, e), line_items) in enumerate(zip(lines, per_line, strict=True), start=1):
        if only is None or s in only:
            _render_line(out, text, s, e, number, line_items, escaping, oob=only is not None)
    return mark_safe("".join(out))


def _render_line(out: list, text: str, s: int, e: int, number: int, items: list[Item], escaping: bool,
                 oob: bool = False) -> None:
    paragraph = _("Paragraph %(number)s") % {"number": number}
    out.append(
        f'<div class="line" data-s="{s}" data-e="{e}" id="L{s}"{OOB if oob else ""}><button type="button" class="margin" '
        f'data-s="{s}" data-e="{e}" tabindex="-1" aria-label="{paragraph}"></button><span class="t">'
    )
    if not items:  # one plain segment (none for an empty line)
        piece = escape(text[s:e], quote=False) if escaping else text[s:e]
        out.append(f'<span class="seg" data-s="{s}">{piece}</span></span></div>' if s < e else "</span></div>")
        return
    items = sorted(items, key=_text_order)
    depths = _depths(items)
    begins = defaultdict(list)
    tags = []  # each item's opening tag, built once and reused by every segment it covers
    firsts = []  # the same on the segment where the item begins: it carries the label's name, drawn there
    for k, item in enumerate(items):
        begins[max(item.start, s)].append(k)
        layer = "trigger" if item.kind == "event" or item.label.layer == "event" else item.label.layer
        name = escape(item.label.name)
        title = name
        if item.kind == "suggestion":  # dashed and marked "?": told apart without colour
            layer, name = f"suggestion {layer}", f"{name}?"
            title = escape(_("%(label)s? suggested by %(origin)s: + accepts, − rejects, * accepts all %(label)s") % {
                "label": item.label.name, "origin": item.origin})
        common = (f'ann l{item.label.id} d{min(depths[k], MAX_DEPTH)} {layer}" data-id="{item.client_id}" '
                  f'data-kind="{item.kind}" title="{title}')
        tags.append(f'<span class="{common}">')
        firsts.append(f'<span class="start {common}" data-name="{name}">')
    bounds = sorted({s, e, *(max(i.start, s) for i in items), *(min(i.end, e) for i in items)})
    active: list[int] = []
    for a, b in pairwise(bounds):
        if active:
            active = [k for k in active if items[k].end > a]
        if a in begins:
            active += begins[a]
        piece = escape(text[a:b], quote=False) if escaping else text[a:b]
        if not active:
            out.append(f'<span class="seg" data-s="{a}">{piece}</span>')
            continue
        # Deepest first: items covering one point overlap each other, so their depths differ.
        covering = sorted(active, key=depths.__getitem__, reverse=True) if len(active) > 1 else active
        opening = "".join([firsts[k] if items[k].start == a else tags[k] for k in covering])
        out.append(f'<span class="seg" data-s="{a}">{opening}{piece}{"</span>" * len(covering)}</span>')
    out.append("</span></div>")


def _text_order(item: Item) -> tuple[int, int]:
    return item.start, -item.end


