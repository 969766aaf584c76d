"""Tokens and sentences, computed once at import and stored compactly.

spaCy's rule-based tokenizer for the document's language (no statistical model, nothing downloaded),
plus our rules:

* an apostrophe (' or ’) between a letter or digit and a letter starts a new token, in Turkish and
  whatever else the language: "Rusya'nın" gives "Rusya" + "'nın", "2026'da" gives "2026" + "'da";
* whitespace (NBSP, thin space, newline included) is never part of a token;
* a line break always ends a sentence (headlines, share bars and datelines carry no full stop).

A token is a (start, end) pair of code-point offsets, end-exclusive. Sentences are stored as the index
of their first token. Both are packed as little-endian uint32 arrays. The work is done on numpy arrays:
a Python loop over tokens would cost more than spaCy's tokenizer itself.
"""

import re
from functools import cache

import numpy as np

TOKENIZER_VERSION = "spacy-rules-1"
SPACY_LANGUAGES = {
    "tr",
    "sq",
    "en",
    "de",
    "fr",
    "ru",
    "it",
    "es",
    "pt",
    "nl",
    "bg",
    "el",
    "mk",
    "sr",
    "hr",
    "bs",
}
FALLBACK_LANGUAGE = "xx"
UINT32 = np.dtype("<u4")

_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W\d_])")
# spaCy splits on plain spaces itself; only other whitespace (NBSP, newline, thin space…) can hide in a token.
_WHITESPACE = re.compile(r"[^\S ]+")
_NEWLINE = re.compile(r"\n")


@cache
def _pipeline(language: str):
    import spacy
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, ORTH
    from spacy.pipeline import Sentencizer

    try:
        nlp = spacy.blank(language if language in SPACY_LANGUAGES else FALLBACK_LANGUAGE)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank(FALLBACK_LANGUAGE)
    # spaCy's sentencizer rule, computed on arrays (its own loop is Python, per token): the hashes of its
    # sentence-final characters.
    enders = np.array([nlp.vocab.strings.add(c) for c in Sentencizer.default_punct_chars], dtype=np.uint64)
    return nlp.tokenizer, enders, [IDX, LENGTH, IS_SPACE, IS_PUNCT, ORTH]


def _sentence_starts(table: np.ndarray, enders: np.ndarray) -> np.ndarray:
    """Indexes of the tokens where spaCy's sentencizer starts a sentence: a token that is neither
    punctuation nor sentence-final, after a sentence-final token with only punctuation in between."""
    final = np.isin(table[:, 4], enders)
    punctish = (table[:, 3] == 1) | final
    index = np.arange(len(table))
    last_word = np.maximum.accumulate(np.where(~punctish, index, -1))
    last_final = np.maximum.accumulate(np.where(final, index, -1))
    before_word = np.concatenate([[-1], last_word[:-1]])
    before_final = np.concatenate([[-1], last_final[:-1]])
    starts = ~punctish & (before_final > before_word)
    starts[0] = True
    return np.flatnonzero(starts)


def _positions(pattern: re.Pattern, text: str) -> np.ndarray:
    return np.fromiter((m.start() for m in pattern.finditer(text)), dtype=np.int64)


def _boundaries(text: str, language: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, ends, sentence_start_indexes) as int64 arrays."""
    tokenizer, enders, attrs = _pipeline(language)
    raw = tokenizer(text).to_array(attrs)
    if raw.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    sentence_tokens = _sentence_starts(raw, enders)
    table = raw[:, :3].astype(np.int64)
    keep = table[:, 2] == 0
    starts = table[keep, 0]
    ends = starts + table[keep, 1]
    if starts.size == 0:
        return starts, ends, starts
    # Whitespace inside a spaCy token (rare): cut the token around it.
    spaces = [(m.start(), m.end()) for m in _WHITESPACE.finditer(text)]
    if spaces:
        ws = np.array(spaces, dtype=np.int64)
        owner = np.searchsorted(starts, ws[:, 0], side="right") - 1
        inside = (owner >= 0) & (ws[:, 0] < ends[np.maximum(owner, 0)])
        if inside.any():
            starts, ends = _cut_whitespace(starts, ends, ws[inside], owner[inside])
    # The apostrophe rule: a split point strictly inside a token adds one start and one end.
    points = _positions(_APOSTROPHE, text)
    if points.size:
        owner = np.searchsorted(starts, points, side="right") - 1
        valid = owner >= 0
        inside = valid & (points > starts[np.maximum(owner, 0)]) & (points < ends[np.maximum(owner, 0)])
        if inside.any():
            starts = np.sort(np.concatenate([starts, points[inside]]))
            ends = np.sort(np.concatenate([ends, points[inside]]))
    sentence_chars = [table[sentence_tokens, 0], _positions(_NEWLINE, text)]
    firsts = np.searchsorted(starts, np.concatenate(sentence_chars), side="left")
    firsts = np.unique(np.concatenate([[0], firsts[firsts < starts.size]]))
    return starts, ends, firsts


def _cut_whitespace(starts, ends, runs, owners):
    starts_list, ends_list = starts.tolist(), ends.tolist()
    for (a, b), i in zip(runs.tolist(), owners.tolist(), strict=True):
        if starts_list[i] < a:
            starts_list.append(b)
            ends_list.append(a)
        else:  # the token begins with whitespace: move its start past it
            starts_list[i] = b
    # Pieces never overlap, so sorting starts and ends apart pairs them again; empty pieces go.
    s = np.sort(np.array(starts_list, dtype=np.int64))
    e = np.sort(np.array(ends_list, dtype=np.int64))
    keep = e > s
    return s[keep], e[keep]


def tokenize(text: str, language: str) -> tuple[list[tuple[int, int]], list[int]]:
    """Return (tokens, sentence_starts): token offsets and the index of each sentence's first token."""
    starts, ends, firsts = _boundaries(text, language)
    return list(zip(starts.tolist(), ends.tolist(), strict=True)), firsts.tolist()


def tokenize_packed(text: str, language: str) -> tuple[bytes, bytes, int]:
    """What the import stores: packed tokens, packed sentence starts, and the token count."""
    starts, ends, firsts = _boundaries(text, language)
    return (
        np.column_stack([starts, ends]).astype(UINT32).tobytes(),
        firsts.astype(UINT32).tobytes(),
        int(starts.size),
    )


def unpack_tokens(data: bytes) -> list[tuple[int, int]]:
    flat = np.frombuffer(bytes(data), dtype=UINT32).reshape(-1, 2).tolist()
    return [tuple(pair) for pair in flat]


def unpack_indexes(data: bytes) -> list[int]:
    return np.frombuffer(bytes(data), dtype=UINT32).tolist()


def pack(tokens: list[tuple[int, int]], sentence_starts: list[int]) -> tuple[bytes, bytes]:
    """Tokens and sentence starts given by a file (CoNLL) in the stored layout."""
    return (
        np.array(tokens, dtype=np.int64).reshape(-1, 2).astype(UINT32).tobytes(),
        np.array(sentence_starts, dtype=np.int64).astype(UINT32).tobytes(),
    )
