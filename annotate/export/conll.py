"""CoNLL: a token per line, IOB2 (or BILOU) tags, a blank line after each sentence, `-DOCSTART-` before each
document. Flavours: conll2003 (`token -X- _ tag`, as spaCy, seqeval and conlleval read it) and tsv
(`token<TAB>tag`, as doccano imports it). Optional columns for event triggers and boilerplate.

Spans meet the document's stored tokens by alignment.align (expanded or dropped, reported; the outermost
of nested spans kept); with suffix=attach a token that begins with an apostrophe joins the token it touches
("Rusya'nın" is one token)."""

from itertools import pairwise

from .alignment import align
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


class ConllWriter(Writer):
    extension = "conll"

    def _tags(self, record, tokens, spans, count_report: bool) -> list[str]:
        """Tags for one layer (alignment.align: the same spans reported as the DocBin's)."""
        tags = ["O"] * len(tokens)
        report = self.report if count_report else None
        for placed in align(record, tokens, spans, misaligned=self.options.misaligned, report=report):
            first, last, label = placed.first, placed.last, placed.span.label
            if self.options.scheme == "bilou" and first == last:
                tags[first] = f"U-{label}"
                continue
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
            if self.options.scheme == "bilou":
                tags[last] = f"L-{label}"
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
