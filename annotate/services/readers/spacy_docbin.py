"""spaCy's DocBin (`.spacy`, what our spacy export writes and `spacy train` reads): each Doc is a set over
doc.text, entities from doc.ents, boilerplate from doc.spans["boilerplate"] and event triggers (their type,
without arguments, which a DocBin does not hold) from doc.spans["events"]; offsets are the Doc's character
offsets, code points. The file is untrusted binary data (zlib and msgpack): it is refused with a message,
not an exception, when it does not decode, and before decoding when it would grow past the size limit."""

import zlib

from .base import WHOLE_FILE_LIMIT, WholeFileReader, read_whole

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
