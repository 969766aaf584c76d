"""Agreement measures as sums over documents, so that a report is the sum of its documents' tallies and
one more submission changes only its document's tally.

* Span F1 between two annotators, exact (same label, same offsets) and overlapping (same label, sharing a
  character): matched spans counted on each side, F1 the harmonic mean of the two directions.
* Token-level Cohen's kappa per pair: each token labelled with the outermost span of the layer that covers
  it, "O" for none; a confusion matrix per pair.
* Krippendorff's alpha, nominal, over tokens, across all annotators (units with two values or more): the
  coincidence sums of Krippendorff (2011), "Computing Krippendorff's alpha-reliability".

Everything here is plain Python over small per-document structures; the sums are Counters."""

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import NamedTuple

from corpus.tokens import unpack_edges

OUTSIDE = "O"
ALL = "*"  # every label of a layer together


class Mark(NamedTuple):
    """A span, trigger or argument as agreement sees it: a label and the offsets it is compared on. An
    argument's `key` is its event (type and trigger offsets) and role; its offsets are the entity's.
    A tuple: made and hashed hundreds of thousands of times in a report."""

    label: str
    start: int
    end: int
    key: tuple = ()

    def overlaps(self, other: "Mark") -> bool:
        return self.start < other.end and other.start < self.end


def _partners(m: Mark, t: Mark) -> bool:
    """Overlapping partners: same label, sharing a character, and for arguments the same event type with
    overlapping triggers."""
    if t.label != m.label or not m.overlaps(t):
        return False
    if not m.key:
        return True
    return t.key[0] == m.key[0] and t.key[1] < m.key[2] and m.key[1] < t.key[2]


def _matches(mine: list[Mark], theirs: list[Mark]) -> tuple[list[bool], list[bool]]:
    """For each of `mine`: an identical mark in `theirs`, and an overlapping partner there. Partners share
    a label (and key), so theirs are grouped by it; within a group, sorted by start with a running maximum
    of ends, "some mark starts before my end and ends after my start" is one bisection."""
    exact_set = set(theirs)
    exact = [m in exact_set for m in mine]
    if all(exact):  # an identical mark is an overlapping partner too: nothing to search
        return exact, exact
    groups: dict[tuple, list[Mark]] = {}
    for t in theirs:
        groups.setdefault((t.label, t.key[:1]), []).append(t)
    prepared = {}
    overlap = []
    for m, is_exact in zip(mine, exact, strict=True):
        if is_exact:
            overlap.append(True)
            continue
        key = (m.label, m.key[:1])
        found = prepared.get(key)
        if found is None:
            group = groups.get(key)
            if group is None:
                overlap.append(False)
                continue
            group.sort(key=lambda t: t.start)
            reach, best = [], -1
            for t in group:
                best = max(best, t.end)
                reach.append(best)
            found = prepared[key] = ([t.start for t in group], reach, group)
        starts, reach, group = found
        i = bisect_left(starts, m.end)
        if not m.key:
            overlap.append(i > 0 and reach[i - 1] > m.start)
        else:  # arguments: their triggers must overlap too
            overlap.append(any(_partners(m, t) for t in group[:i]))
    return exact, overlap


def span_tally(a: list[Mark], b: list[Mark], labels: bool = True) -> Counter:
    """Counts for one pair on one document: per label (and ALL) the spans on each side and the matched
    ones, exact and overlapping. Keys are (label, name)."""
    tally = Counter()
    for side, mine, theirs in (("a", a, b), ("b", b, a)):
        exact, overlap = _matches(mine, theirs)
        names = (side, f"exact_{side}", f"overlap_{side}")
        per: dict[str, list[int]] = {}
        for mark, is_exact, is_overlap in zip(mine, exact, overlap, strict=True):
            counts = per.get(mark.label)
            if counts is None:
                per[mark.label] = counts = [0, 0, 0]
            counts[0] += 1
            counts[1] += is_exact
            counts[2] += is_overlap
        total = [0, 0, 0]
        for label, counts in per.items():
            for name, value, k in zip(names, counts, range(3), strict=True):
                total[k] += value
                if labels and value:
                    tally[(label, name)] = value
        for name, value in zip(names, total, strict=True):
            if value:
                tally[(ALL, name)] = value
    return tally


def f1(tally: Counter, label: str, kind: str) -> float | None:
    """F1 of a pair from its tally: precision = matched of b / b, recall = matched of a / a (symmetric)."""
    a, b = tally[(label, "a")], tally[(label, "b")]
    if a + b == 0:
        return None
    recall = tally[(label, f"{kind}_a")] / a if a else 0.0
    precision = tally[(label, f"{kind}_b")] / b if b else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


class Tokens:
    """A document's token edges, prepared once for every annotator's token_labels: from (start, end)
    pairs, or from the stored packed array (corpus.tokens) without building a tuple per token."""

    def __init__(self, tokens=(), *, packed: bytes | None = None):
        if packed is not None:
            self.starts, self.ends = unpack_edges(packed)
        else:
            self.starts = [t[0] for t in tokens]
            self.ends = [t[1] for t in tokens]
        self.count = len(self.starts)


def token_labels(marks: list[Mark], tokens) -> dict[int, str]:
    """The label of each token a mark covers (the outermost mark: longest, then first); the tokens left
    out are OUTSIDE. A dict, because most tokens are outside everything."""
    if not isinstance(tokens, Tokens):
        tokens = Tokens(tokens)
    labels: dict[int, str] = {}
    starts, ends = tokens.starts, tokens.ends
    for mark in sorted(marks, key=lambda m: (m.start - m.end, m.start)):
        for i in range(bisect_right(ends, mark.start), bisect_left(starts, mark.end)):
            labels.setdefault(i, mark.label)
    return labels


def confusion(a: dict[int, str], b: dict[int, str], token_count: int) -> Counter:
    """The pair's confusion over a document's tokens, from token_labels of each."""
    union = a.keys() | b.keys()
    matrix = Counter((a.get(i, OUTSIDE), b.get(i, OUTSIDE)) for i in union)
    if token_count > len(union):
        matrix[(OUTSIDE, OUTSIDE)] += token_count - len(union)
    return matrix


def kappa(matrix: Counter) -> float | None:
    """Cohen's kappa from a confusion Counter {(label a, label b): count}; None when undefined (both
    annotators used one and the same label throughout)."""
    total = sum(matrix.values())
    if not total:
        return None
    observed = sum(n for (x, y), n in matrix.items() if x == y) / total
    left, right = Counter(), Counter()
    for (x, y), n in matrix.items():
        left[x] += n
        right[y] += n
    expected = sum(left[k] * right[k] for k in left) / (total * total)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass
class AlphaTally:
    """Krippendorff's nominal alpha, summed over units: the disagreeing coincidences and each value's
    count among pairable values."""

    disagreement: float = 0.0
    values: Counter = field(default_factory=Counter)

    def add_unit(self, unit_values: list[str]) -> None:
        m = len(unit_values)
        if m < 2:
            return
        counts = Counter(unit_values)
        self.disagreement += (m * m - sum(c * c for c in counts.values())) / (m - 1)
        self.values.update(counts)

    def add_document(self, labels: list[dict[int, str]], token_count: int) -> None:
        """Every token of a document as a unit, each annotator's token_labels a value: the tokens nobody
        marked are counted at once (all OUTSIDE, no disagreement)."""
        m = len(labels)
        if m < 2:
            return
        covered = set().union(*(d.keys() for d in labels))
        if m == 2:  # the usual case, without a Counter per token: a disagreeing pair adds (4 - 2) / 1
            first, second = labels
            for i in covered:
                x, y = first.get(i, OUTSIDE), second.get(i, OUTSIDE)
                self.values[x] += 1
                self.values[y] += 1
                if x != y:
                    self.disagreement += 2
        else:
            for i in covered:
                self.add_unit([d.get(i, OUTSIDE) for d in labels])
        self.values[OUTSIDE] += m * (token_count - len(covered))

    def add(self, other: "AlphaTally") -> None:
        self.disagreement += other.disagreement
        self.values.update(other.values)

    def alpha(self) -> float | None:
        n = sum(self.values.values())
        expected = n * n - sum(c * c for c in self.values.values())  # sum over c != k of n_c n_k
        if n < 2 or expected == 0:
            return None
        return 1 - (n - 1) * self.disagreement / expected


def pairs(annotators) -> list[tuple[str, str]]:
    return list(combinations(sorted(annotators), 2))
