"""Near-duplicate articles, grouped so that they always share a split (issue #31).

The same wire story runs in several outlets with small edits; a random split would put one copy in train and
another in test and inflate the test scores. Each document's words (case-folded, Turkish İ/ı included) are cut
into shingles of SHINGLE words; a MinHash signature of them (Signer, a few lines of numpy) estimates the
Jaccard similarity of two documents' shingle sets, and an LSH index (datasketch's MinHashLSH, banding the
signatures) proposes the pairs likely above the threshold, each checked on its signatures' estimate. Pairs join groups (union-find), and a group's documents all
take the split of its **anchor**, the member imported first (the smallest id): a document's split is the
function of its anchor's text hash and the project's split spec (annotate.interop.options.split_of). An
older document keeps its split when a newer copy of it arrives; only a new document that joins two older
groups can move one of them, and the release's diff counts what moved.

    groups = NearDuplicates(threshold=0.8)
    for pk, text in documents_in_id_order: groups.add(pk, text)
    groups.anchor_of(pk); groups.report()"""

import re
import zlib
from dataclasses import dataclass, field

import numpy as np

SHINGLE = 3  # words per shingle
NUM_PERM = 64  # MinHash values: a Jaccard estimate within ~±0.06 of the truth
SEED = 20261206  # fixed: the same text gives the same signature in every release and every process
WORD = re.compile(r"\w+")
SHOWN = 5  # groups the report shows
WORDS_KEPT = 500_000  # a process's cache of word hashes (news repeats its words; cleared when full)
_A, _B = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_words: dict[str, int] = {}


def _word_hash(word: str) -> int:
    found = _words.get(word)
    if found is None:
        if len(_words) >= WORDS_KEPT:
            _words.clear()
        found = _words[word] = zlib.crc32(word.encode())
    return found


def shingle_hashes(text: str) -> np.ndarray:
    """64-bit hashes of the text's word shingles (distinct). crc32 of each word (kept per process),
    combined by multiplication in numpy: one dictionary lookup per word in Python."""
    # Turkish i/ı folded to one letter: "İ".lower() is i + a combining dot, and a headline in capitals has lost
    # which of the two each I was ("ISTANBUL" is "İstanbul"), so a copy in capitals still matches.
    words = WORD.findall(text.lower().replace("i̇", "i").replace("ı", "i"))
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    if len(hashes) < SHINGLE:
        return np.unique(hashes)
    with np.errstate(over="ignore"):  # wrapping is the point
        combined = hashes[: len(hashes) - SHINGLE + 1].copy()
        for offset in range(1, SHINGLE):
            combined = combined * _A + hashes[offset: len(hashes) - SHINGLE + 1 + offset] * _B
    return np.unique(combined)


class Signature:
    """What datasketch's LSH index reads of a MinHash: its values (a plain array here, 256 bytes a document
    where a MinHash object took six times more)."""

    __slots__ = ("hashvalues",)

    def __init__(self, values: np.ndarray):
        self.hashvalues = values

    def __len__(self) -> int:
        return len(self.hashvalues)


class Signer:
    """MinHash signatures: for each of NUM_PERM hash functions (multiply-shift, a random odd multiplier and
    an offset drawn from SEED), the least value over the text's shingles."""

    def __init__(self, num_perm: int = NUM_PERM):
        rng = np.random.default_rng(SEED)
        self.num_perm = num_perm
        self.a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self.b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)

    def values(self, text: str) -> np.ndarray | None:
        """The text's signature (NUM_PERM uint32 values; None for a text without words)."""
        hashes = shingle_hashes(text)
        if not len(hashes):
            return None
        with np.errstate(over="ignore"):
            mixed = hashes[:, None] * self.a + self.b
        return (mixed >> np.uint64(32)).min(axis=0).astype(np.uint32)


@dataclass
class Group:
    anchor: int
    members: list[int] = field(default_factory=list)
    similarity: float = 1.0  # the lowest estimated Jaccard of a pair that joined it


class NearDuplicates:
    """Documents added in id order; groups of near-duplicates (Jaccard ≥ threshold on word shingles)."""

    def __init__(self, threshold: float = 0.8, num_perm: int = NUM_PERM):
        if not 0.5 <= threshold <= 1.0:
            raise ValueError("the near-duplicate threshold is a Jaccard similarity between 0.5 and 1")
        self.threshold = threshold
        from datasketch import MinHashLSH

        self.signer = Signer(num_perm)
        self.index = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.values: dict[int, np.ndarray] = {}
        self.parent: dict[int, int] = {}
        self.lowest: dict[int, float] = {}  # root → lowest similarity that joined its group

    def add(self, key: int, text: str) -> None:
        self.add_values(key, self.signer.values(text))

    def add_values(self, key: int, values) -> None:
        """A document's signature (Signer.values, computed here or in a worker process), in id order."""
        self.parent[key] = key
        if values is None:  # no words: nothing to be a copy of
            return
        signature = Signature(values)
        for other in self.index.query(signature):
            similarity = float(np.count_nonzero(values == self.values[other])) / len(values)
            if similarity >= self.threshold:
                self._join(key, other, similarity)
        self.index.insert(key, signature, check_duplication=False)
        self.values[key] = values

    def _root(self, key: int) -> int:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def _join(self, a: int, b: int, similarity: float) -> None:
        root_a, root_b = self._root(a), self._root(b)
        low = min(similarity, self.lowest.get(root_a, 1.0), self.lowest.get(root_b, 1.0))
        if root_a != root_b:
            root, child = min(root_a, root_b), max(root_a, root_b)  # the first imported stays the anchor
            self.parent[child] = root
            self.lowest.pop(child, None)
            root_a = root
        self.lowest[root_a] = low

    def anchor_of(self, key: int) -> int:
        return self._root(key)

    def groups(self) -> list[Group]:
        """Groups of two or more documents, largest first."""
        members: dict[int, list[int]] = {}
        for key in self.parent:
            members.setdefault(self._root(key), []).append(key)
        found = [Group(root, sorted(keys), round(self.lowest.get(root, 1.0), 3))
                 for root, keys in members.items() if len(keys) > 1]
        return sorted(found, key=lambda g: (-len(g.members), g.anchor))

    def report(self) -> dict:
        groups = self.groups()
        return {"threshold": self.threshold, "shingle_words": SHINGLE, "permutations": self.signer.num_perm,
                "groups": len(groups), "documents_in_groups": sum(len(g.members) for g in groups),
                "examples": [{"anchor": g.anchor, "documents": g.members[:10], "size": len(g.members),
                              "lowest_similarity": g.similarity} for g in groups[:SHOWN]]}
