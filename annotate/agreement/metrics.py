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

OUTSIDE = "O"
ALL = "*"  # every label of a layer together


@dataclass(frozen=True)
class Mark:
    """A span, trigger or argument as agreement sees it: a label and the offsets it is compared on. An
    argument's `key` is its event (type and trigger offsets) and role; its offsets are the entity's."""

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


def _matched(mine: list[Mark], theirs: list[Mark], overlap: bool) -> int:
    """How many of `mine` have a partner in `theirs` (identical, or overlapping partners)."""
    if not overlap:
        exact = set(theirs)
        return sum(m in exact for m in mine)
    return sum(any(_partners(m, t) for t in theirs) for m in mine)


def span_tally(a: list[Mark], b: list[Mark], labels: bool = True) -> Counter:
    """Counts for one pair on one document: per label (and ALL) the spans on each side and the matched
    ones, exact and overlapping. Keys are (label, name)."""
    tally = Counter()
    groups = {ALL: (a, b)}
    if labels:
        for label in {m.label for m in a} | {m.label for m in b}:
            groups[label] = ([m for m in a if m.label == label], [m for m in b if m.label == label])
    for label, (mine, theirs) in groups.items():
        tally[(label, "a")] += len(mine)
        tally[(label, "b")] += len(theirs)
        tally[(label, "exact_a")] += _matched(mine, theirs, False)
        tally[(label, "exact_b")] += _matched(theirs, mine, False)
        tally[(label, "overlap_a")] += _matched(mine, theirs, True)
        tally[(label, "overlap_b")] += _matched(theirs, mine, True)
    return tally


def f1(tally: Counter, label: str, kind: str) -> float | None:
    """F1 of a pair from its tally: precision = matched of b / b, recall = matched of a / a (symmetric)."""
    a, b = tally[(label, "a")], tally[(label, "b")]
    if a + b == 0:
        return None
    recall = tally[(label, f"{kind}_a")] / a if a else 0.0
    precision = tally[(label, f"{kind}_b")] / b if b else 0.0
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def token_labels(marks: list[Mark], tokens: list[tuple[int, int]]) -> dict[int, str]:
    """The label of each token a mark covers (the outermost mark: longest, then first); the tokens left
    out are OUTSIDE. A dict, because most tokens are outside everything."""
    labels: dict[int, str] = {}
    starts = [t[0] for t in tokens]
    ends = [t[1] for t in tokens]
    for mark in sorted(marks, key=lambda m: (-(m.end - m.start), m.start)):
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
