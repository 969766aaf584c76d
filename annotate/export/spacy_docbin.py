"""spaCy: a DocBin file (`.spacy`, what `spacy train` reads). Each annotation set is a Doc over the stored
text: the stored tokens are the Doc's tokens, whitespace between them beyond one space becomes whitespace
tokens, so doc.text is the stored text exactly. Entities go in doc.ents (the outermost of nested ones, as
spaCy allows no overlap; the rest are counted in the report), event triggers in doc.spans["events"] and
boilerplate in doc.spans["boilerplate"]. Spans meet tokens by alignment.align, as in CoNLL: the same spans
are expanded or dropped (misaligned=expand|drop) and listed in the report. A DocBin is one object, so this format is built in memory; use
JSONL or CoNLL for very large exports."""

from .alignment import align
from .base import Writer
from .records import SpanOut


class SpacyWriter(Writer):
    content_type = "application/octet-stream"
    extension = "spacy"
    binary = True

    def __init__(self, options, report):
        super().__init__(options, report)
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        self.vocab = Vocab()
        self.docbin = DocBin(store_user_data=False)

    def _doc(self, record):
        from spacy.tokens import Doc

        text, words, spaces, position = record.document["text"], [], [], 0
        index = []  # the Doc's token index of each stored token
        for start, end in record.tokens:
            if start > position:  # whitespace before this token
                gap = text[position:start]
                if words and spaces[-1] is False and gap.startswith(" "):
                    spaces[-1], gap = True, gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
            index.append(len(words))
            words.append(text[start:end])
            spaces.append(False)
            position = end
        if position < len(text):
            words.append(text[position:])
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces), index

    def write(self, record) -> bytes:
        from spacy.tokens import Span

        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        doc, index = self._doc(record)
        misaligned = self.options.misaligned

        def spans(items, report=None, overlap=True):
            return [Span(doc, index[p.first], index[p.last] + 1, label=p.span.label)
                    for p in align(record, record.tokens, items, misaligned=misaligned, report=report,
                                   overlap=overlap)]

        # Entities: no overlap in doc.ents; misaligned ones reported exactly as the CoNLL export reports them.
        doc.ents = spans(record.entities, self.report, overlap=False)
        doc.spans["events"] = spans([SpanOut(e["id"], e["trigger"]["start"], e["trigger"]["end"], e["type"],
                                             e["trigger"]["text"]) for e in record.events])
        doc.spans["boilerplate"] = spans(record.boilerplate)
        self.docbin.add(doc)
        return b""

    def header(self) -> bytes:
        return b""

    def footer(self) -> bytes:
        return self.docbin.to_bytes()
