"""The agreement measures checked against the reference implementations on the same data: Cohen's kappa
against scikit-learn, Krippendorff's alpha against the `krippendorff` package, exact span F1 against
seqeval's entity F1 on the same tags."""

import math

import krippendorff
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import f1_score
from sklearn.metrics import cohen_kappa_score

from annotate.quality.agreement.metrics import (
    ALL,
    OUTSIDE,
    AlphaTally,
    Mark,
    confusion,
    f1,
    kappa,
    span_tally,
    token_labels,
)

LABELS = ["PER", "GPE", "ORG"]


def spans_on_tokens(draw_list, size):
    """Non-overlapping token-aligned marks from (start token, length, label) draws."""
    marks, taken = [], set()
    for start, length, label in draw_list:
        cells = set(range(start, min(size, start + length)))
        if cells and not cells & taken:
            taken |= cells
            marks.append(Mark(label, min(cells), max(cells) + 1))
    return sorted(marks, key=lambda m: m.start)


MARKS = st.lists(st.tuples(st.integers(0, 29), st.integers(1, 4), st.sampled_from(LABELS)), max_size=8)
TOKENS = [(i, i + 1) for i in range(30)]  # one character a token: marks' offsets are token indexes


def iob(marks, size=30):
    tags = ["O"] * size
    for m in marks:
        tags[m.start] = f"B-{m.label}"
        for i in range(m.start + 1, m.end):
            tags[i] = f"I-{m.label}"
    return tags


@settings(max_examples=200, deadline=None)
@given(MARKS, MARKS)
def test_exact_span_f1_equals_seqeval(a, b):
    a, b = spans_on_tokens(a, 30), spans_on_tokens(b, 30)
    ours = f1(span_tally(a, b), ALL, "exact")
    if not a and not b:
        assert ours is None
        return
    assert math.isclose(ours, f1_score([iob(a)], [iob(b)]), abs_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(MARKS, MARKS)
def test_token_kappa_equals_scikit_learn(a, b):
    a, b = spans_on_tokens(a, 30), spans_on_tokens(b, 30)
    la, lb = token_labels(a, TOKENS), token_labels(b, TOKENS)
    ours = kappa(confusion(la, lb, len(TOKENS)))
    full_a = [la.get(i, OUTSIDE) for i in range(30)]
    full_b = [lb.get(i, OUTSIDE) for i in range(30)]
    if len(set(full_a) | set(full_b)) == 1:
        assert ours is None  # one label throughout: kappa is undefined (scikit-learn gives nan)
        return
    assert math.isclose(ours, cohen_kappa_score(full_a, full_b), abs_tol=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), st.sampled_from(["O", *LABELS])), min_size=3, max_size=3),
                min_size=2, max_size=40))
def test_nominal_alpha_equals_the_krippendorff_package(units):
    tally = AlphaTally()
    for unit in units:
        tally.add_unit([v for v in unit if v is not None])
    codes = {v: i for i, v in enumerate(["O", *LABELS])}
    data = np.array([[np.nan if u[c] is None else codes[u[c]] for u in units] for c in range(3)], dtype=float)
    pairable = sum(1 for u in units if sum(v is not None for v in u) >= 2)
    values = {v for u in units if sum(x is not None for x in u) >= 2 for v in u if v is not None}
    ours = tally.alpha()
    if pairable == 0 or len(values) < 2:
        assert ours is None
        return
    assert math.isclose(ours, krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"),
                        abs_tol=1e-9)


def test_alpha_over_a_document_counts_unmarked_tokens_at_once():
    a = token_labels([Mark("PER", 2, 4)], TOKENS)
    b = token_labels([Mark("PER", 2, 3), Mark("GPE", 10, 11)], TOKENS)
    quick, slow = AlphaTally(), AlphaTally()
    quick.add_document([a, b], 30)
    for i in range(30):
        slow.add_unit([a.get(i, OUTSIDE), b.get(i, OUTSIDE)])
    assert quick.values == slow.values and math.isclose(quick.disagreement, slow.disagreement)
    assert math.isclose(quick.alpha(), slow.alpha())


def test_overlapping_matches_and_arguments_need_their_event():
    a = [Mark("PER", 0, 10), Mark("GPE", 20, 25)]
    b = [Mark("PER", 5, 12), Mark("GPE", 30, 35)]
    tally = span_tally(a, b)
    assert f1(tally, ALL, "exact") == 0.0 and f1(tally, ALL, "overlap") == 0.5
    assert f1(tally, "PER", "overlap") == 1.0 and f1(tally, "GPE", "overlap") == 0.0
    meeting = ("MEETING", 40, 47)
    arg_a = [Mark("participant", 0, 10, meeting)]
    assert f1(span_tally(arg_a, [Mark("participant", 0, 10, meeting)]), ALL, "exact") == 1.0
    assert f1(span_tally(arg_a, [Mark("participant", 0, 10, ("VISIT", 40, 47))]), ALL, "overlap") == 0.0
    assert f1(span_tally(arg_a, [Mark("participant", 2, 8, ("MEETING", 41, 47))]), ALL, "overlap") == 1.0
    assert f1(span_tally(arg_a, [Mark("host", 0, 10, meeting)]), ALL, "exact") == 0.0
