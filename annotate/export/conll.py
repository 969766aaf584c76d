"""CoNLL: a token per line, IOB2 (or BILOU) tags, a blank line after each sentence, `-DOCSTART-` before each
document. Flavours: conll2003 (`token -X- _ tag`, as spaCy, seqeval and conlleval read it) and tsv
(`token<TAB>tag`, as doccano imports it). Optional columns for event triggers and boilerplate.

Spans meet the document's stored tokens: with suffix=attach a token that begins with an apostrophe joins
the token it touches ("Rusya'nın" is one token). A span whose edges fall inside a token is expanded to the
token or dropped (misaligned=expand|drop), and each case goes into the report. Nested or overlapping spans:
the outermost is kept and the rest are counted."""

from bisect import bisect_left, bisect_right
from itertools import pairwise

from .base import Writer
from .records import SpanOut

APOSTROPHES = ("'", "’")


def _merge_suffixes(text: str, tokens: list[tuple[int, int]], sentences: list[int]):
    """suffix=attach: a token starting with an apostrophe and touching the previous token joins it."""
    merged, new_index = [], []
    for start, end in tokens:
        if merged and text[start] in APOSTROPHES and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
        new_index.append(len(merged) - 1)
    firsts = sorted({new_index[i] for i in sentences if i < len(new_index)})
    return merged, firsts


def _outermost(spans):
    """Longest-first, left to right, without overlaps; returns (kept, left out)."""
    kept, left_out, last_end = [], 0, -1
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= last_end:
            kept.append(span)
            last_end = span.end
        else:
            left_out += 1
    return kept, left_out


class ConllWriter(Writer):
    extension = "conll"

    def _tags(self, record, tokens, spans, count_report: bool) -> list[str]:
        """Tags for one layer. Alignment is judged against the stored tokens, so that with suffix=attach a
        span ending before an apostrophe suffix ("Rusya" of "Rusya'nın") is exact, as the convention wants."""
        tags = ["O"] * len(tokens)
        stored_starts = {t[0] for t in record.tokens}
        stored_ends = {t[1] for t in record.tokens}
        kept, left_out = _outermost(spans)
        if count_report:
            self.report.nested_left_out += left_out
        starts = [t[0] for t in tokens]
        ends = [t[1] for t in tokens]
        for span in kept:
            first = bisect_right(ends, span.start)  # first token ending after the span starts
            last = bisect_left(starts, span.end) - 1  # last token starting before the span ends
            if first > last:
                continue
            exact = span.start in stored_starts and span.end in stored_ends
            if not exact and count_report:
                action = "expanded" if self.options.misaligned == "expand" else "dropped"
                self.report.add_misaligned(
                    {
                        "document": record.document["id"],
                        "external_id": record.document["external_id"],
                        "annotator": record.annotator,
                        "label": span.label,
                        "start": span.start,
                        "end": span.end,
                        "text": span.text,
                        "tokens": record.document["text"][starts[first] : ends[last]],
                        "action": action,
                    }
                )
                if self.options.misaligned == "drop":
                    continue
            if any(tags[i] != "O" for i in range(first, last + 1)):
                continue  # after expansion it now overlaps a kept neighbour
            if self.options.scheme == "bilou" and first == last:
                tags[first] = f"U-{span.label}"
                continue
            tags[first] = f"B-{span.label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{span.label}"
            if self.options.scheme == "bilou":
                tags[last] = f"L-{span.label}"
        return tags

    def _line(self, columns: list[str]) -> str:
        if self.options.flavour == "tsv":
            return "\t".join(columns) + "\n"
        return " ".join([columns[0], "-X-", "_", *columns[1:]]) + "\n"

    def write(self, record) -> str:
        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        text = record.document["text"]
        tokens, sentences = record.tokens, record.sentences or [0]
        if self.options.suffix == "attach":
            tokens, sentences = _merge_suffixes(text, tokens, sentences)
        columns = [self._tags(record, tokens, record.entities, True)]
        if self.options.event_column:
            triggers = [
                SpanOut(e["id"], e["trigger"]["start"], e["trigger"]["end"], e["type"], e["trigger"]["text"])
                for e in record.events
            ]
            columns.append(self._tags(record, tokens, triggers, False))
        boiler = (
            self._tags(record, tokens, record.boilerplate, False)
            if (self.options.boilerplate_column or self.options.exclude_boilerplate)
            else None
        )
        if self.options.boilerplate_column:
            columns.append(boiler)
        extra = len(columns)
        if self.options.flavour == "tsv":
            docstart = "\t".join(["-DOCSTART-", *["O"] * extra]) + "\n"
        else:
            docstart = " ".join(["-DOCSTART-", "-X-", "O", *["O"] * extra]) + "\n"
        out = [docstart, "\n"]
        bounds = [*sentences, len(tokens)]
        for a, b in pairwise(bounds):
            lines = [
                self._line([text[tokens[i][0] : tokens[i][1]], *(col[i] for col in columns)])
                for i in range(a, b)
                if not (self.options.exclude_boilerplate and boiler[i] != "O")
            ]
            if lines:
                out.extend(lines)
                out.append("\n")
        return "".join(out)
