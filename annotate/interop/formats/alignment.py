"""Spans meet tokens: the one alignment every token format uses (CoNLL, spaCy's DocBin), so that their
reports list the same spans.

A span is exact when both its edges are edges of the document's stored tokens; otherwise it is expanded to
the tokens it touches or dropped (options.misaligned), and each case goes into the report. The tokens a
span is laid on may be coarser than the stored ones (CoNLL's suffix=attach joins "Rusya" and "'nın"):
exactness is still judged on the stored tokens, so "Rusya" of "Rusya'nın" is exact, as the convention
wants. Nested or overlapping spans: the outermost is kept and the rest counted, where the format allows
no overlap."""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass


@dataclass(frozen=True)
class Placed:
    span: object  # SpanOut
    first: int  # index of its first token
    last: int  # index of its last token (inclusive)


def outermost(spans):
    """Longest-first, left to right, without overlaps; returns (kept, left out)."""
    kept, left_out, last_end = [], 0, -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= last_end:
            kept.append(span)
            last_end = span.end
        else:
            left_out += 1
    return kept, left_out


def _edges(record, tokens, kind):
    """The tokens' starts and ends (as sets or lists), made once per record and tokens: each format aligns
    three layers on the same tokens, and a release writes two token formats of each record."""
    key = (id(tokens), kind)
    cached = record.edges.get(key)
    if cached is None or cached[0] is not tokens:
        starts, ends = zip(*tokens, strict=True) if len(tokens) else ((), ())
        cached = record.edges[key] = (tokens, kind(starts), kind(ends))
    return cached[1], cached[2]


def align(record, tokens: list[tuple[int, int]], spans, *, misaligned: str, report=None,
          overlap: bool = False) -> list[Placed]:
    """The spans laid on `tokens`. With a report (the entity layer), misaligned spans and nested ones left
    out are counted and listed in it; overlap=True keeps overlapping spans (spaCy's span groups)."""
    stored_starts, stored_ends = _edges(record, record.tokens, set)
    if overlap:
        kept = sorted(spans, key=lambda s: (s.start, -s.end))
    else:
        kept, left_out = outermost(spans)
        if report is not None:
            report.nested_left_out += left_out
    starts, ends = _edges(record, tokens, list)
    taken = [False] * len(tokens)
    placed = []
    for span in kept:
        first = bisect_right(ends, span.start)  # first token ending after the span starts
        last = bisect_left(starts, span.end) - 1  # last token starting before the span ends
        if first > last:
            continue
        if not (span.start in stored_starts and span.end in stored_ends):
            if report is not None:
                report.add_misaligned({
                    "document": record.document["id"],
                    "external_id": record.document["external_id"],
                    "annotator": record.annotator,
                    "label": span.label,
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "tokens": record.document["text"][starts[first]:ends[last]],
                    "action": "expanded" if misaligned == "expand" else "dropped",
                })
            if misaligned == "drop":
                continue
        if not overlap:
            if any(taken[first:last + 1]):
                continue  # after expansion it now overlaps a kept neighbour
            taken[first:last + 1] = [True] * (last + 1 - first)
        placed.append(Placed(span, first, last))
    return placed
