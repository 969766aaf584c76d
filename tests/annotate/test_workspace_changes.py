"""A save's answer (annotate/workspace/changes.py) against the whole page: after any sequence of changes,
the lines it sends equal the same lines of a full render, its span-list patch applied the way the page
applies it gives the full list, and the event list is sent whenever it differs."""

import random
import re
import uuid

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from annotate.models import Event, EventArgument, Span, Task
from annotate.services import annotation_apply
from annotate.workspace import annotation_rows, changed_lines, changes_load, workspace_load

LINE = re.compile(r'<div class="line" data-s="(\d+)".*?</span></div>', re.S)
ENTRY = re.compile(r'<li data-id="([^"]+)" data-s="(\d+)" data-e="(\d+)">.*?</li>', re.S)


def _lines(html: str) -> dict[str, str]:
    """Lines by their start. A save's lines are marked hx-swap-oob (htmx puts each in place of the line with
    its id); apart from the mark they must be what a full render draws."""
    return {m.group(1): m.group(0) for m in LINE.finditer(html.replace(' hx-swap-oob="true"', ""))}


def _entries(html: str) -> list[tuple[tuple[int, int, str], str]]:
    return [((int(m.group(2)), -int(m.group(3)), m.group(1)), m.group(0)) for m in ENTRY.finditer(html)]


def _patched(entries, removed: list[str], patch) -> list:
    """What static/js/annotate.js patchSpanList does: drop removed and re-sent entries, insert each sent
    entry before the first one that sorts after it."""
    gone = set(removed) | {key[2] for key, _ in patch}
    out = [e for e in entries if e[0][2] not in gone]
    for entry in patch:
        at = next((i for i, other in enumerate(out) if other[0] > entry[0]), len(out))
        out.insert(at, entry)
    return out


def _random_change(rng: random.Random, task: Task, labels: dict) -> tuple[str, dict]:
    text_length = len(task.document.text)
    spans = list(Span.objects.filter(task=task))
    events = list(Event.objects.filter(task=task))
    start = rng.randrange(0, text_length - 50)
    choice = rng.choice(["create", "create", "create", "cross", "relabel", "move", "delete", "event", "argument",
                         "undo", "redo"])
    if choice == "create":
        return "span.create", {"id": str(uuid.uuid4()), "label": labels[rng.choice(["PER", "GPE", "AD"])].pk,
                               "start": start, "end": start + rng.randint(1, 30)}
    if choice == "cross":  # across one or more line breaks
        return "span.create", {"id": str(uuid.uuid4()), "label": labels["AD"].pk, "start": start,
                               "end": min(text_length, start + rng.randint(80, 300))}
    span = rng.choice(spans)
    if choice == "relabel":
        return "span.update", {"id": str(span.client_id), "label": labels[rng.choice(["PER", "GPE", "ORG"])].pk}
    if choice == "move":
        return "span.update", {"id": str(span.client_id), "end": min(text_length, span.end + rng.randint(1, 120))}
    if choice == "delete":
        return "span.delete", {"id": str(span.client_id)}
    if choice == "event":
        return "event.create", {"id": str(uuid.uuid4()), "type": labels["MEETING"].pk, "start": start,
                                "end": start + 4}
    if choice == "argument":
        event = rng.choice(events)
        role = event.event_type.roles.first()
        return "argument.add", {"event": str(event.client_id), "span": str(span.client_id), "role": role.pk}
    return choice, {}


@pytest.mark.parametrize("seed", range(4))
def test_every_change_answers_what_a_full_render_would_change(big, seed):
    rng = random.Random(seed)
    task, user = big["task"], big["user"]
    before = workspace_load(task, with_tokens=False)
    entries = _entries(before.spans_html)
    events_html = before.events_html
    applied_count = 0
    for _ in range(40):
        action, payload = _random_change(rng, Task.objects.get(pk=task.pk), big["labels"])
        try:
            applied = annotation_apply(task=task, by=user, op_id=uuid.uuid4(), action=action, payload=payload,
                                       base_version=Task.objects.get(pk=task.pk).version)
        except ValidationError:  # a change the rules refuse (nothing to undo, a role that does not take the label)
            continue
        applied_count += 1
        changes = changes_load(applied.task, applied.ops, applied.task.annotator_id)
        full = workspace_load(applied.task, with_tokens=False)
        sent, whole = _lines(changes.text_html), _lines(full.text_html)
        drawn = any(op["op"] not in ("add_arg", "remove_arg") for op in applied.ops)  # arguments are not drawn
        assert bool(sent) == drawn and all(whole[start] == html for start, html in sent.items()), action
        entries = _patched(entries, changes.removed, _entries(changes.spans_html))
        assert entries == _entries(full.spans_html), action
        if changes.events is None:
            assert full.events_html == events_html, action
        else:
            assert changes.events_html == full.events_html, action
        events_html = full.events_html
    assert applied_count >= 25


def test_the_window_reads_only_the_spans_that_overlap_it(big):
    task = big["task"]
    rows = annotation_rows(task.pk, window=(100, 200), all_events=False)
    spans = [(s.start, s.end) for s in rows.spans]
    expected = Span.objects.filter(task=task, start__lt=200, end__gt=100).count()
    assert len(spans) == expected > 0 and all(a < 200 and b > 100 for a, b in spans)
    assert rows.arguments == []
    with_events = annotation_rows(task.pk, window=(100, 200), all_events=True)
    assert len(with_events.events) == Event.objects.filter(task=task).count()
    assert len(with_events.arguments) == EventArgument.objects.count()


@given(st.text(alphabet="ab\n", max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=4))
def test_changed_lines_are_the_lines_a_range_overlaps(text, pairs):
    ranges = [(min(a, b, len(text)), min(max(a, b), len(text))) for a, b in pairs]
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    ends = [*(i for i, c in enumerate(text) if c == "\n"), len(text)]
    expected = {s for s, e in zip(starts, ends, strict=True) for a, b in ranges if s < b and a < e}
    assert changed_lines(text, ranges) == expected
