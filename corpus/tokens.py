"""Tokens and sentences, computed once at import and stored compactly.

spaCy's rule-based tokenizer for the document's language (no statistical model, nothing downloaded),
plus our rules:

* an apostrophe (' or ’) between a letter or digit and a letter starts a new token, in Turkish and
  whatever else the language: "Rusya'nın" gives "Rusya" + "'nın", "2026'da" gives "2026" + "'da";
* whitespace (NBSP, thin space, newline included) is never part of a token;
* a line break always ends a sentence (headlines, share bars and datelines carry no full stop).

A token is a (start, end) pair of code-point offsets, end-exclusive. Sentences are stored as the index
of their first token. Both are packed as little-endian uint32 arrays.
"""

import re
from array import array
from bisect import bisect_left
from functools import cache

TOKENIZER_VERSION = "spacy-rules-1"
SPACY_LANGUAGES = {"tr", "sq", "en", "de", "fr", "ru", "it", "es", "pt", "nl", "bg", "el", "mk", "sr", "hr", "bs"}
FALLBACK_LANGUAGE = "xx"

_APOSTROPHE_SPLIT = re.compile(r"(?<=[^\W_])(?=['’][^\W\d_])")
_NON_SPACE = re.compile(r"\S+")


@cache
def _pipeline(language: str):
    import spacy

    try:
        nlp = spacy.blank(language if language in SPACY_LANGUAGES else FALLBACK_LANGUAGE)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank(FALLBACK_LANGUAGE)
    sentencizer = nlp.add_pipe("sentencizer")
    return nlp.tokenizer, sentencizer


def _split_token(text: str, start: int, end: int):
    """Yield the pieces of one spaCy token under our whitespace and apostrophe rules."""
    piece = text[start:end]
    if piece.isspace():
        return
    for m in _NON_SPACE.finditer(piece):
        s, e = start + m.start(), start + m.end()
        word = text[s:e]
        if "'" in word or "’" in word:
            cut = s
            for cm in _APOSTROPHE_SPLIT.finditer(word):
                if cm.start() > 0:
                    yield cut, s + cm.start()
                    cut = s + cm.start()
            yield cut, e
        else:
            yield s, e


def tokenize(text: str, language: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Return (tokens, sentence_starts): token offsets and the index of each sentence's first token."""
    tokenizer, sentencizer = _pipeline(language)
    doc = sentencizer(tokenizer(text))
    tokens: list[tuple[int, int]] = []
    sentence_chars: set[int] = set()
    newline_before = True
    for tok in doc:
        if tok.is_sent_start:
            sentence_chars.add(tok.idx)
        start = tok.idx
        end = start + len(tok.text)
        first = True
        for pair in _split_token(text, start, end):
            if first and newline_before:
                sentence_chars.add(pair[0])
            first = newline_before = False
            tokens.append(pair)
        if "\n" in tok.text_with_ws[len(tok.text) :] or "\n" in tok.text:
            newline_before = True
    sentence_starts = sorted({bisect_left(tokens, (c, -1)) for c in sentence_chars} - {len(tokens)})
    if tokens and (not sentence_starts or sentence_starts[0] != 0):
        sentence_starts.insert(0, 0)
    return tokens, sentence_starts


def pack_tokens(tokens: list[tuple[int, int]]) -> bytes:
    flat = array("I")
    for start, end in tokens:
        flat.append(start)
        flat.append(end)
    return flat.tobytes()


def unpack_tokens(data: bytes) -> list[tuple[int, int]]:
    flat = array("I")
    flat.frombytes(bytes(data))
    return list(zip(flat[0::2], flat[1::2], strict=True))


def pack_indexes(indexes: list[int]) -> bytes:
    return array("I", indexes).tobytes()


def unpack_indexes(data: bytes) -> list[int]:
    flat = array("I")
    flat.frombytes(bytes(data))
    return flat.tolist()
