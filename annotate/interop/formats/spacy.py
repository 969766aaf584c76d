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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.interop.formats.alignment import align
from annotate.interop.formats.reading import WHOLE_FILE_LIMIT, WholeFileReader, read_whole
from annotate.interop.formats.writing import Writer
from annotate.interop.records import SpanOut
from corpus.text import grouped

MAX_BYTES = WHOLE_FILE_LIMIT  # the file, and what it decompresses to


def msgpack_lookups_once() -> None:
    """srsly looks its msgpack encoders up in catalogue on every msgpack_dumps: a scan of the installed
    packages' entry points and of spaCy's whole function registry, three times for each Doc a DocBin adds
    (its span groups). That was 60% of a release's build (2 ms a document). The lookup is kept per process
    and made again only when catalogue's registry has grown (a later registration is still seen)."""
    import catalogue
    import srsly

    for registry in (srsly.msgpack_encoders, srsly.msgpack_decoders):
        if "get_all" in vars(registry):
            continue
        original, kept = registry.get_all, {}

        def get_all(original=original, kept=kept):
            if kept.get("size") != len(catalogue.REGISTRY):
                kept["size"], kept["found"] = len(catalogue.REGISTRY), original()
            return dict(kept["found"])

        registry.get_all = get_all


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
        raise ValueError(_("it decompresses to over %(limit)s bytes") % {"limit": grouped(MAX_BYTES)})
    return DocBin().from_bytes(raw).get_docs(Vocab())


class SpacyDocBinReader(WholeFileReader):
    name = "spacy"
    description = "spaCy DocBin (.spacy: doc.ents, and the boilerplate and events span groups)"
    whole, unit = gettext_noop("a spaCy DocBin"), gettext_noop("document")
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
    n = len(tokens)
    if not n:
        return ([text], [False], []) if text else ([], [], [])
    words = [text[start:end] for start, end in tokens]
    starts, ends = zip(*tokens, strict=True)
    gaps = [text[a:b] for a, b in zip((0, *ends), (*starts, len(text)), strict=True)]  # before each token, then after
    # A token takes one space of the whitespace after it; the rest of a gap, and whatever whitespace comes
    # before the first token or after the last, is a word of its own. Most gaps are one space or nothing:
    # lists are built a run of tokens at a time, between the gaps that make a word (a 450-token article: 0.1 ms).
    takes = [gap[:1] == " " for gap in gaps[1:n]] + [False]
    special = [k for k, gap in enumerate(gaps) if gap and (k == 0 or k == n or gap != " ")]
    out_words, out_spaces, index, previous = [], [], [], 0

    def run_to(k):  # the tokens from `previous` up to k
        index.extend(range(len(out_words), len(out_words) + k - previous))
        out_words.extend(words[previous:k])
        out_spaces.extend(takes[previous:k])

    for k in special:
        run_to(k)
        previous, gap = k, gaps[k]
        rest = gap[1:] if 0 < k < n and gap[:1] == " " else gap
        if rest:
            out_words.append(rest)
            out_spaces.append(False)
    run_to(n)
    return out_words, out_spaces, index


# What a Doc made here carries (words, spaces, entities; span groups are stored apart): spaCy's default
# list adds tags, lemmas, parses and norms, all empty here, and made each file 4 times larger to compress.
DOCBIN_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE")


def docbin_add(docbin, doc, words: list[str], labels: set[str]) -> None:
    """DocBin.add for a Doc made here, writing the same file: its strings are the words and the labels, taken
    in two calls where DocBin.add reads nine properties of every token (tags, lemmas, norms: none here),
    half a millisecond a document."""
    import numpy
    from spacy.attrs import SPACY

    array = doc.to_array(list(docbin.attrs))
    docbin.tokens.append(array.reshape((array.shape[0], -1)))
    docbin.spaces.append(numpy.asarray(doc.to_array(SPACY), dtype=bool).reshape((-1, 1)))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    docbin.strings.update(words)
    docbin.strings.update(labels)
    docbin.cats.append(doc.cats)
    docbin.span_groups.append(doc.spans.to_bytes())


def docbin_bytes(docbin) -> bytes:
    """DocBin.to_bytes, compressed at zlib's level 1 where spaCy takes the default (6): the same message,
    which DocBin.from_bytes reads the same (tests/annotate/test_export.py), in a fifth of
    the time; the file is 10% larger. A release writes one per range of 2,500 documents."""
    import numpy
    import srsly

    msg = {
        "version": docbin.version,
        "attrs": docbin.attrs,
        "tokens": (numpy.vstack(docbin.tokens) if docbin.tokens else numpy.asarray([])).tobytes("C"),
        "spaces": (numpy.vstack(docbin.spaces) if docbin.spaces else numpy.asarray([])).tobytes("C"),
        "lengths": numpy.asarray([len(t) for t in docbin.tokens], dtype="int32").tobytes("C"),
        "strings": sorted(docbin.strings),
        "cats": docbin.cats,
        "flags": docbin.flags,
        "span_groups": docbin.span_groups,
    }
    return zlib.compress(srsly.msgpack_dumps(msg), 1)


class SpacyWriter(Writer):
    needs_tokens = True
    content_type = "application/octet-stream"
    extension = "spacy"
    binary = True

    def __init__(self, options, report):
        super().__init__(options, report)
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        msgpack_lookups_once()
        self.vocab = Vocab()
        self.docbin = DocBin(attrs=DOCBIN_ATTRS, store_user_data=False)

    def write(self, record) -> bytes:
        from spacy.tokens import Doc, Span

        self.report.count(record)
        words, spaces, index = doc_layout(record.document["text"], record.tokens)
        doc = Doc(self.vocab, words=words, spaces=spaces)
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
        docbin_add(self.docbin, doc, words, {s.label for s in (*record.entities, *record.boilerplate)} |
                   {e["type"] for e in record.events})
        return b""

    def header(self) -> bytes:
        return b""

    def footer(self) -> bytes:
        return docbin_bytes(self.docbin)
