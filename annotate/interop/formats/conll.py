"""CoNLL files: a token per line (the first column), the tag in the last column, IOB2; a blank line between
sentences, `-DOCSTART-` between documents (without it, every sentence is a document, or
sentences_per_document of them). Columns are split on spaces and tabs only, and tokens are NFC.

CoNLL: a token per line, IOB2 (or BILOU) tags, a blank line after each sentence, `-DOCSTART-` before each
document. Flavours: conll2003 (`token -X- _ tag`, as spaCy, seqeval and conlleval read it) and tsv
(`token<TAB>tag`, as doccano imports it). Optional columns for event triggers and boilerplate.

Spans meet the document's stored tokens by alignment.align (expanded or dropped, reported; the outermost
of nested spans kept); with suffix=attach a token that begins with an apostrophe joins the token it touches
("Rusya'nın" is one token)."""

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils.translation import gettext as _

from annotate.interop.formats.alignment import align
from annotate.interop.formats.reading import Reader, decode_line
from annotate.interop.formats.writing import Writer
from annotate.interop.records import SpanOut

COLUMN_SEPARATOR = re.compile(r"[ \t]+")


@dataclass
class ConllDocument:
    line: int
    sentences: list[list[tuple[str, str, int]]] = field(default_factory=list)  # (token, tag, line number)


def read_conll(stream, sentences_per_document: int = 1) -> tuple[list[ConllDocument], list[str]]:
    documents, problems, sentence = [], [], []
    explicit = False
    current = ConllDocument(1)

    def close_sentence():
        nonlocal sentence, current
        if sentence:
            current.sentences.append(sentence)
            sentence = []
            if not explicit and len(current.sentences) >= sentences_per_document:
                documents.append(current)
                current = ConllDocument(0)

    for number, raw in enumerate(stream, 1):
        try:
            line = decode_line(raw, number).rstrip("\n").rstrip("\r")
        except ValueError as error:
            problems.append(_("line %(line)s: %(problem)s") % {"line": number, "problem": error})
            continue
        if "\x00" in line:
            problems.append(_("line %(line)s: %(problem)s") % {
                "line": number, "problem": _("it contains a NUL character (a binary file?)")})
            continue
        if line.startswith("-DOCSTART-"):
            close_sentence()
            explicit = True
            if current.sentences:
                documents.append(current)
            current = ConllDocument(number)
            continue
        if not line.strip(" \t"):
            close_sentence()
            continue
        # Columns are separated by spaces and tabs only: a no-break space or a line separator inside a
        # token ("10\u00a0000") belongs to the token.
        columns = COLUMN_SEPARATOR.split(line.strip(" \t"))
        if len(columns) < 2:
            problems.append(_("line %(line)s: %(problem)s") % {
                "line": number, "problem": _("a token and a tag are needed, found %(line)r") % {"line": line}})
            continue
        if not current.line:
            current.line = number
        # The text contract: the document's text is NFC, like every import's.
        sentence.append((unicodedata.normalize("NFC", columns[0]), columns[-1], number))
    close_sentence()
    if current.sentences:
        documents.append(current)
    return documents, problems


class ConllReader(Reader):
    name = "conll"
    description = "CoNLL (token per line, IOB2 tag in the last column)"
    tokenized = True

    def read(self, stream, options):
        documents, problems = read_conll(stream, max(1, options.sentences_per_document))
        return [(0, problem) for problem in problems] + [(doc.line, doc) for doc in documents]


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
    needs_tokens = True
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

    def write(self, record) -> str:
        self.report.count(record)
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
        words = [text[a:b] for a, b in tokens]
        if self.options.flavour == "tsv":
            lines = ["\t".join(row) + "\n" for row in zip(words, *columns, strict=True)]
        elif len(columns) == 1:  # entities only: the most common file, written without a join per token
            lines = [f"{word} -X- _ {tag}\n" for word, tag in zip(words, columns[0], strict=True)]
        else:
            lines = [" ".join((word, "-X-", "_", *tags)) + "\n" for word, *tags in zip(words, *columns, strict=True)]
        keep = None if not self.options.exclude_boilerplate else [tag == "O" for tag in boiler]
        for a, b in pairwise(bounds):
            sentence = lines[a:b] if keep is None else [line for line, k in zip(lines[a:b], keep[a:b], strict=True) if k]
            if sentence:
                out.extend(sentence)
                out.append("\n")
        return "".join(out)
