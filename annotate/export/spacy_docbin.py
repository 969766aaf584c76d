"""spaCy: a DocBin file (`.spacy`, what `spacy train` reads). Each annotation set is a Doc over the stored
text: the stored tokens are the Doc's tokens, whitespace between them beyond one space becomes whitespace
tokens, so doc.text is the stored text exactly. Entities go in doc.ents (the outermost of nested ones, as
spaCy allows no overlap; the rest are counted in the report), event triggers in doc.spans["events"] and
boilerplate in doc.spans["boilerplate"]. A DocBin is one object, so this format is built in memory; use
JSONL or CoNLL for very large exports."""

from .base import Writer
from .conll import _outermost


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
        for start, end in record.tokens:
            if start > position:  # whitespace before this token
                gap = text[position:start]
                if words and spaces[-1] is False and gap.startswith(" "):
                    spaces[-1], gap = True, gap[1:]
                if gap:
                    words.append(gap)
                    spaces.append(False)
            words.append(text[start:end])
            spaces.append(False)
            position = end
        if position < len(text):
            words.append(text[position:])
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def write(self, record) -> bytes:
        self.report.records += 1
        self.report.documents.add(record.document["id"])
        self.report.entities += len(record.entities)
        doc = self._doc(record)
        kept, left_out = _outermost(record.entities)
        self.report.nested_left_out += left_out
        ents = []
        for span in kept:
            piece = doc.char_span(span.start, span.end, label=span.label, alignment_mode="expand")
            if piece is not None:
                ents.append(piece)
        doc.ents = ents
        doc.spans["events"] = [
            s for e in record.events
            if (s := doc.char_span(e["trigger"]["start"], e["trigger"]["end"], label=e["type"], alignment_mode="expand"))
        ]
        doc.spans["boilerplate"] = [
            s for b in record.boilerplate
            if (s := doc.char_span(b.start, b.end, label=b.label, alignment_mode="expand"))
        ]
        self.docbin.add(doc)
        return b""

    def header(self) -> bytes:
        return b""

    def footer(self) -> bytes:
        return self.docbin.to_bytes()
