"""Tokens and sentences, computed once at import and stored compactly.

spaCy's rule-based tokenizer for the document's language (no statistical model, nothing downloaded),
plus our rules:

* an apostrophe (' or ’) between a letter or digit and a letter starts a new token, in Turkish and
  whatever else the language: "Rusya'nın" gives "Rusya" + "'nın", "2026'da" gives "2026" + "'da";
* whitespace (NBSP, thin space, newline included) is never part of a token;
* a line break always ends a sentence (headlines, share bars and datelines carry no full stop);
* no token edge falls inside a grapheme cluster, and an emoji, an emoji sequence or a flag is a token of
  its own (corpus.graphemes), so sentence edges, which are token edges, are cluster boundaries too.

A token is a (start, end) pair of code-point offsets, end-exclusive. Sentences are stored as the index
of their first token. Both are packed as little-endian uint32 arrays. The work is done on numpy arrays:
a Python loop over tokens would cost more than spaCy's tokenizer itself.
"""

import re
from functools import cache

import numpy as np

from .graphemes import code_points, has_joining, snap_tokens

TOKENIZER_VERSION = "spacy-rules-2"  # 2: grapheme clusters whole (corpus.graphemes)
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
# spaCy's vocabulary keeps every string its tokenizer has seen (and a cache entry per distinct chunk), so a
# worker's memory would grow with the corpus: ~0.45 KB a new word, gigabytes over a million articles. Past
# this many strings (~110 MB) the pipeline is built afresh (60 ms, and the words it had seen are new again);
# the tokens are the same, the vocabulary is only a cache.
MAX_VOCABULARY_STRINGS = 250_000
UINT32 = np.dtype("<u4")

_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W\d_])")
_APOSTROPHES = (ord("'"), ord("’"))
# spaCy splits on plain spaces itself; only other whitespace (NBSP, newline, thin space…) can hide in a
# token. Every whitespace character is below U+3001, so a table of that size tells them apart.
_SPACE_LIMIT = 0x3001
_OTHER_WHITESPACE = np.array([chr(c).isspace() and c != 0x20 for c in range(_SPACE_LIMIT)] + [False])


@cache
def _pipeline(language: str):
    import spacy
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH
    from spacy.pipeline import Sentencizer

    try:
        nlp = spacy.blank(language if language in SPACY_LANGUAGES else FALLBACK_LANGUAGE)
    except (ImportError, KeyError, ValueError):
        nlp = spacy.blank(FALLBACK_LANGUAGE)
    # A word the vocabulary has not seen becomes a lexeme, and spaCy computes each lexical attribute for
    # it in Python (shape, like_num, like_url, norm…): 30% of tokenizing a text full of new words. Only
    # the two flags read below are kept; the tokenizer does not read the others (same tokens, tested).
    nlp.vocab.lex_attr_getters = {
        key: getter for key, getter in nlp.vocab.lex_attr_getters.items() if key in (IS_SPACE, IS_PUNCT)
    }
    # spaCy's sentencizer rule, computed on arrays (its own loop is Python, per token): a lookup table of
    # its sentence-final characters, each a single code point.
    enders = np.zeros(max(map(ord, Sentencizer.default_punct_chars)) + 2, dtype=bool)
    enders[[ord(c) for c in Sentencizer.default_punct_chars]] = True
    return nlp.tokenizer, enders, [IDX, LENGTH, IS_SPACE, IS_PUNCT]


def _sentence_starts(table: np.ndarray, codes: np.ndarray, enders: np.ndarray) -> np.ndarray:
    """Indexes of the tokens where spaCy's sentencizer starts a sentence: a token that is neither
    punctuation nor sentence-final, after a sentence-final token with only punctuation in between."""
    final = (table[:, 1] == 1) & enders[np.minimum(codes[table[:, 0]], enders.size - 1)]
    punctish = (table[:, 3] == 1) | final
    index = np.arange(len(table))
    last_word = np.maximum.accumulate(np.where(~punctish, index, -1))
    last_final = np.maximum.accumulate(np.where(final, index, -1))
    starts = ~punctish
    starts[1:] &= last_final[:-1] > last_word[:-1]
    starts[0] = True
    return np.flatnonzero(starts)


def _runs(mask: np.ndarray) -> np.ndarray:
    """The runs of True in a boolean array, as (start, end) rows."""
    edges = np.flatnonzero(np.diff(mask.view(np.int8), prepend=0, append=0))
    return edges.reshape(-1, 2)


def _boundaries(text: str, language: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, ends, sentence_start_indexes) as int64 arrays."""
    tokenizer, enders, attrs = _pipeline(language)
    if len(tokenizer.vocab.strings) > MAX_VOCABULARY_STRINGS:
        _pipeline.cache_clear()
        tokenizer, enders, attrs = _pipeline(language)
    raw = tokenizer(text).to_array(attrs)
    if raw.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    table = raw.astype(np.int64)
    codes = code_points(text)
    sentence_tokens = _sentence_starts(table, codes, enders)
    keep = table[:, 2] == 0
    starts = table[keep, 0]
    ends = starts + table[keep, 1]
    if starts.size == 0:
        return starts, ends, starts
    # Whitespace inside a spaCy token (rare): cut the token around it.
    spaces = _runs(_OTHER_WHITESPACE[np.minimum(codes, _SPACE_LIMIT)])
    if spaces.size:
        owner = np.searchsorted(starts, spaces[:, 0], side="right") - 1
        inside = (owner >= 0) & (spaces[:, 0] < ends[np.maximum(owner, 0)])
        if inside.any():
            starts, ends = _cut_whitespace(starts, ends, spaces[inside], owner[inside])
    # The apostrophe rule: a split point strictly inside a token adds one start and one end.
    candidates = np.flatnonzero((codes == _APOSTROPHES[0]) | (codes == _APOSTROPHES[1])).tolist()
    points = np.array([p for p in candidates if _APOSTROPHE.match(text, p)], dtype=np.int64)
    if points.size:
        owner = np.searchsorted(starts, points, side="right") - 1
        valid = owner >= 0
        inside = valid & (points > starts[np.maximum(owner, 0)]) & (points < ends[np.maximum(owner, 0)])
        if inside.any():
            starts = np.sort(np.concatenate([starts, points[inside]]))
            ends = np.sort(np.concatenate([ends, points[inside]]))
    # Grapheme clusters: no edge inside one, an emoji sequence or a flag a token of its own (a no-op,
    # one regex search, for text without a character that joins a cluster).
    if has_joining(text, codes):
        snapped = snap_tokens(text, starts.tolist(), ends.tolist())
        starts, ends = (np.array(edges, dtype=np.int64) for edges in snapped)
        if starts.size == 0:
            return starts, ends, starts
    sentence_chars = np.concatenate([table[sentence_tokens, 0], np.flatnonzero(codes == 0x0A)])
    firsts = np.searchsorted(starts, sentence_chars, side="left")
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
    return [tuple(pair) for pair in unpack_token_lists(data)]


def unpack_token_lists(data: bytes) -> list[list[int]]:
    """The same [start, end] pairs as lists, for JSON (the annotation page), without building tuples."""
    return np.frombuffer(bytes(data), dtype=UINT32).reshape(-1, 2).tolist()


def unpack_edges(data: bytes) -> tuple[list[int], list[int]]:
    """Every token's start and every token's end, as two lists (for bisection), without a pair per token."""
    pairs = np.frombuffer(bytes(data), dtype=UINT32).reshape(-1, 2)
    return pairs[:, 0].tolist(), pairs[:, 1].tolist()


def unpack_indexes(data: bytes) -> list[int]:
    return np.frombuffer(bytes(data), dtype=UINT32).tolist()


def pack(tokens: list[tuple[int, int]], sentence_starts: list[int]) -> tuple[bytes, bytes]:
    """Tokens and sentence starts given by a file (CoNLL) in the stored layout."""
    return (
        np.array(tokens, dtype=np.int64).reshape(-1, 2).astype(UINT32).tobytes(),
        np.array(sentence_starts, dtype=np.int64).astype(UINT32).tobytes(),
    )
