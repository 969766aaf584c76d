"""The report for people: CSV rows, and the page's two drawings as SVG made on the server (a pairwise
heatmap of exact F1 and bars of each label's mean F1), escaped like any other output."""

import csv
import io

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

LAYER_NAMES = {"entity": gettext_lazy("Entities"), "boilerplate": gettext_lazy("Boilerplate"),
               "trigger": gettext_lazy("Event triggers"), "argument": gettext_lazy("Event arguments")}
CSV_HEADER = ["layer", "label", "pair", "exact_f1", "overlap_f1", "spans_a", "spans_b", "kappa", "alpha",
              "precision", "recall"]


def _number(value) -> str:
    return "" if value is None else f"{value:.4f}"


def csv_text(data: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for layer, entry in data["layers"].items():
        for label, per in entry["labels"].items():
            for pair, row in per["pairs"].items():
                writer.writerow([layer, label, pair, _number(row["exact_f1"]), _number(row["overlap_f1"]),
                                 row["spans"][0], row["spans"][1], "", ""])
        for pair, value in entry.get("kappa", {}).items():
            writer.writerow([layer, "", pair, "", "", "", "", _number(value), ""])
        if "alpha" in entry:
            writer.writerow([layer, "", "all", "", "", "", "", "", _number(entry["alpha"])])
    # Each annotator against gold: pair "name|gold", exact precision and recall in the last columns.
    for who, layers in data.get("against_gold", {}).get("annotators", {}).items():
        for layer, labels in layers.items():
            for label, row in labels.items():
                writer.writerow([layer, label, f"{who}|gold", _number(row["exact"]["f1"]), _number(row["overlap"]["f1"]),
                                 row["spans"][0], row["spans"][1], "", "", _number(row["exact"]["precision"]),
                                 _number(row["exact"]["recall"])])
    return out.getvalue()


def _colour(value) -> str:
    if value is None:
        return "#eeeeee"
    # from red (0) through amber to green (1)
    red, green = (220, int(60 + 300 * value)) if value < 0.5 else (int(220 - 300 * (value - 0.5)), 200)
    return f"rgb({max(0, min(255, red))},{max(0, min(255, green))},80)"


def heatmap_svg(data: dict, layer: str = "entity", label: str = "*"):
    """Annotator × annotator, exact F1 of the layer's label (1 on the diagonal)."""
    names = data["annotators"]
    if len(names) < 2:
        return ""
    pairs = data["layers"][layer]["labels"].get(label, {}).get("pairs", {})
    cell, left, top = 56, 110, 90
    size_w, size_h = left + cell * len(names) + 90, top + cell * len(names) + 10  # room for the slanted names
    cells = []
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            row = pairs.get(f"{a}|{b}") or pairs.get(f"{b}|{a}")
            value = 1.0 if a == b else (row["exact_f1"] if row else None)
            cells.append((left + j * cell, top + i * cell, cell - 2, _colour(value),
                          left + j * cell + cell / 2, top + i * cell + cell / 2 + 4,
                          "—" if value is None else f"{value:.2f}"))
    rects = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', ((x, y, w, w, c) for x, y, w, c, *_ in cells))
    texts = format_html_join(
        "", '<text x="{}" y="{}" text-anchor="middle">{}</text>', ((tx, ty, t) for *_, tx, ty, t in cells))
    rows = format_html_join("", '<text x="{}" y="{}" text-anchor="end">{}</text>',
                            ((left - 6, top + i * cell + cell / 2 + 4, n[:14]) for i, n in enumerate(names)))
    cols = format_html_join("", '<text x="{}" y="{}" text-anchor="start" transform="rotate(-45 {} {})">{}</text>',
                            ((left + j * cell + cell / 2, top - 6, left + j * cell + cell / 2, top - 6, n[:14])
                             for j, n in enumerate(names)))
    return format_html('<svg class="heatmap" role="img" viewBox="0 0 {} {}" width="{}" height="{}" '
                       'aria-label="{}">{}{}{}{}</svg>',
                       size_w, size_h, size_w, size_h, _("Exact F1 between each pair of annotators"), rects, texts, rows,
                       cols)


def bars_svg(data: dict, layer: str):
    """Each label's mean exact and overlapping F1 over the pairs, as two bars."""
    labels = [(name, per) for name, per in data["layers"][layer]["labels"].items() if per["pairs"]]
    if not labels:
        return ""
    row, left, width = 22, 120, 300
    height = row * len(labels) + 10
    parts = []
    for i, (name, per) in enumerate(labels):
        y = 5 + i * row
        exact, overlap = per["mean_exact_f1"] or 0, per["mean_overlap_f1"] or 0
        parts.append((left - 6, y + 13, _("all labels") if name == "*" else name[:18], left, y + 2, width * overlap,
                      left, y + 2, width * exact, left + width * max(exact, overlap) + 6, y + 13,
                      f"{exact:.2f} / {overlap:.2f}"))
    body = format_html_join(
        "", '<text x="{}" y="{}" text-anchor="end">{}</text><rect class="overlap" x="{}" y="{}" width="{}" height="14"/>'
            '<rect class="exact" x="{}" y="{}" width="{}" height="14"/><text x="{}" y="{}">{}</text>', parts)
    return format_html('<svg class="bars" role="img" viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}">'
                       '{}</svg>', left + width + 110, height, left + width + 110, height,
                       _("Mean F1 per label, %(layer)s: exact / overlapping") % {"layer": LAYER_NAMES[layer]}, body)
