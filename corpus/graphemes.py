"""Extended grapheme clusters (Unicode UAX #29), by the `regex` module's \\X: what a reader sees as one
character (🇹🇷, 👨‍👩‍👧, 👍🏽, a letter with its combining marks). No token edge, sentence edge or span edge
falls inside one.

Most news text has no character that can join a cluster to what precedes it, and there every code point
is a cluster: `clusters` answers None without walking the text, so the import pays one table lookup."""

from functools import cache
from itertools import pairwise

import numpy as np
import regex

# A code point that can continue a cluster (or start a pictographic one): only texts that hold one need
# the cluster walk. The property names are the standard's (Grapheme_Cluster_Break, Extended_Pictographic).
_JOINING = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}\p{Grapheme_Cluster_Break=SpacingMark}"
    r"\p{Grapheme_Cluster_Break=Prepend}\p{Grapheme_Cluster_Break=Regional_Indicator}"
    r"\p{Grapheme_Cluster_Break=L}\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}"
    r"\p{Grapheme_Cluster_Break=LV}\p{Grapheme_Cluster_Break=LVT}\p{Extended_Pictographic}\r]"
)
_CLUSTER = regex.compile(r"\X")
# A cluster drawn as a picture (an emoji, its sequences, a flag): a token of its own, never glued to a word.
_PICTURE = regex.compile(r"[\p{Extended_Pictographic}\p{Regional_Indicator}]")


@cache
def _joining_table() -> np.ndarray:
    """_JOINING as a lookup table over every code point, built once per process by one scan of the whole
    code space with the regex module's properties (~0.1 s): a text is then tested by one numpy lookup,
    ~20 times faster than searching it with the class itself."""
    codes = np.arange(0x110000, dtype="<u4")
    codes[0xD800:0xE000] = 0  # surrogates are not characters
    every = codes.tobytes().decode("utf-32-le")
    table = np.zeros(0x110000, dtype=bool)
    table[[m.start() for m in _JOINING.finditer(every)]] = True
    return table


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points: offsets into it are our offsets."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")


def has_joining(text: str, codes: np.ndarray | None = None) -> bool:
    """Whether some code point of the text is not a cluster on its own (or is a pictograph); `codes` is
    code_points(text) when the caller has it."""
    return bool(_joining_table()[code_points(text) if codes is None else codes].any())


def clusters(text: str) -> list[tuple[int, int]] | None:
    """Every cluster as (start, end) code-point offsets, or None when each code point is a cluster."""
    if not has_joining(text):
        return None
    return [m.span() for m in _CLUSTER.finditer(text)]


def boundaries(text: str) -> set[int] | None:
    """The offsets between clusters (0 and len(text) included), or None when every offset is one."""
    spans = clusters(text)
    if spans is None:
        return None
    return {0, len(text)} | {start for start, _end in spans}


def is_boundary(offset: int, edges: set[int] | None) -> bool:
    """Whether `offset` lies between clusters, `edges` being boundaries(text)."""
    return edges is None or offset in edges


def edge_problem(text: str, start: int, end: int) -> str:
    """Why a span cannot have these edges (one falls inside a character as a reader sees it), or ""."""
    edges = boundaries(text)
    for name, offset in (("start", start), ("end", end)):
        if not is_boundary(offset, edges):
            whole = next(text[a:b] for a, b in clusters(text) if a < offset < b)
            return (f"The {name} offset {offset} falls inside {whole!r}, which is one character to a reader "
                    f"({len(whole)} code points); select the whole of it.")
    return ""


def pictures(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The clusters among `spans` drawn as pictures (emoji, their sequences, flags)."""
    return [(a, b) for a, b in spans if _PICTURE.search(text, a, b)]


def snap_tokens(text: str, starts: list[int], ends: list[int]) -> tuple[list[int], list[int]]:
    """Tokens whose every edge is a cluster boundary, and every picture cluster a token of its own.

    An edge inside a cluster moves so that the token takes the whole cluster (a letter and its marks, a
    flag's two halves, a skin tone with its hand), or none of it when the cluster holds whitespace (a mark
    on a space): whitespace is never part of a token. Tokens that then overlap are
    one; a picture inside a longer token is cut out of it. Unchanged when the text has no joining
    character (then every offset is a boundary)."""
    spans = clusters(text)
    if spans is None:
        return starts, ends
    owner = {}  # code point -> its cluster
    for a, b in spans:
        for i in range(a, b):
            owner[i] = (a, b)

    def snap(offset: int, inward: bool) -> int:
        cluster = owner.get(offset)
        if cluster is None or cluster[0] == offset:
            return offset
        a, b = cluster
        solid = not any(ch.isspace() for ch in text[a:b])
        return (a if solid else b) if inward else (b if solid else a)

    snapped = []
    for s, e in zip(starts, ends, strict=True):
        s2, e2 = snap(s, True), snap(e, False)
        if e2 > s2:
            snapped.append([s2, e2])
    merged: list[list[int]] = []
    for s, e in snapped:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    cuts = sorted({edge for a, b in pictures(text, spans) for edge in (a, b)})
    out_starts, out_ends = [], []
    for s, e in merged:
        points = [s] + [c for c in cuts if s < c < e] + [e]
        for a, b in pairwise(points):
            if text[a:b].strip():
                out_starts.append(a)
                out_ends.append(b)
    return out_starts, out_ends
