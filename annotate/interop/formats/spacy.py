"""spaCy's DocBin (`.spacy`, what our spacy export writes and `spacy train` reads): each Doc is a set over
doc.text, entities from doc.ents, boilerplate from doc.spans["boilerplate"] and event triggers (their type,
without arguments, which a DocBin does not hold) from doc.spans["events"]; offsets are the Doc's character
offsets, code points. The file is untrusted binary data (zlib and msgpack): it is refused with a message,
not an exception, when it does not decode, and before decoding when it would grow past the size limit.

spaCy: a DocBin file (`.spacy`, what `spacy train` reads). Each annotation set is a Doc over the stored
text: the stored tokens are the Doc's tokens, whitespace between them beyond one space becomes whitespace
tokens, so doc.text is the stored text exactly. Entities go in doc.ents (the outermost of nested ones, as
spaCy allows no overlap; the rest are counted in the report), event triggers in doc.spans["events"] and
boilerplate in doc.spans["boilerplate"]. Spans meet tokens by alignment.align, as in CoNLL: the same spans
are expanded or dropped (misaligned=expand|drop) and listed in the report. A DocBin is one object, so this format is built in memory; use
JSONL or CoNLL for very large exports."""

import zlib

from annotate.interop.formats.alignment import align
from annotate.interop.formats.reading import WHOLE_FILE_LIMIT, WholeFileReader, read_whole
from annotate.interop.formats.writing import Writer
from annotate.interop.records import SpanOut

MAX_BYTES = WHOLE_FILE_LIMIT  # the file, and what it decompresses to


def _spans(group) -> list[dict]:
    return [{"start": span.start_char, "end": span.end_char, "label": span.label_} for span in group]


def _record(doc) -> dict:
    events = [{"type": span.label_, "trigger": {"start": span.start_char, "end": span.end_char}, "arguments": []}
              for span in doc.spans.get("events", [])]
    return {"text": doc.text, "entities": _spans(doc.ents), "boilerplate": _spans(doc.spans.get("boilerplate", [])),
            "events": events}


def _docs(stream):
    """The Docs of the file, once it is known not to inflate past MAX_BYTES."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    raw = read_whole(stream, MAX_BYTES)
    inflate = zlib.decompressobj()
    inflate.decompress(raw, MAX_BYTES)
    if inflate.unconsumed_tail:
        raise ValueError(f"it decompresses to over {MAX_BYTES:,} bytes")
    return DocBin().from_bytes(raw).get_docs(Vocab())


class SpacyDocBinReader(WholeFileReader):
    name = "spacy"
    description = "spaCy DocBin (.spacy: doc.ents, and the boilerplate and events span groups)"
    whole, unit = "a spaCy DocBin", "document"
    # zlib, msgpack and spaCy each raise their own errors on a damaged file (ValueError, KeyError,
    # TypeError, IndexError, zlib.error...): any of them means the same thing to the person importing.
    broken = (Exception,)

    def items(self, stream):
        return _docs(stream)

    def record(self, number, doc, options):
        return _record(doc)

    def reason(self, error):
        return f"{type(error).__name__}: {error}"


def doc_layout(text: str, tokens) -> tuple[list[str], list[bool], list[int]]:
    """The words and spaces of a spaCy Doc whose text is `text` exactly, made of the stored `tokens`
    ((start, end) code points): the whitespace between two tokens beyond one space is a token of its own (a
    line break stays visible to a model). Also the Doc's token index of each stored token. The export and
    the models trained here (annotate.training) build their Docs with it."""
    words, spaces, index, position = [], [], [], 0
    for start, end in tokens:
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
    return words, spaces, index


class SpacyWriter(Writer):
    needs_tokens = True
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

        words, spaces, index = doc_layout(record.document["text"], record.tokens)
        return Doc(self.vocab, words=words, spaces=spaces), index

    def write(self, record) -> bytes:
        from spacy.tokens import Span

        self.report.count(record)
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
