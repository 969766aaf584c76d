"""The annotation service: every hostile input refused with a message and nothing written; retries,
stale tabs, undo and redo."""

import uuid

import pytest
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from annotate.models import (
    AnnotationChange,
    Event,
    EventArgument,
    EventRole,
    Label,
    Project,
    Role,
    Span,
    Task,
)
from annotate.services import (
    AnnotationError,
    StaleVersion,
    TransitionError,
    annotation_apply,
    task_submit,
    tasks_assign,
)
from annotate.services.annotations import stack_top
from tests.factories import import_texts, make_collection, make_project, make_user

TEXT = "Xi Jinping ve Vladimir Putin salı günü Pekin'de bir araya geldi.  \n\nREKLAM"


@pytest.fixture
def ctx(db):
    collection = make_collection("c")
    import_texts(collection, TEXT, language="tr")
    user, other = make_user("ayse"), make_user("besa")
    project = make_project("p", collections=[collection], overlap=2, members=[(user, Role.ANNOTATOR), (other, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user, other])
    task = Task.objects.get(annotator=user)
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    return {"task": task, "user": user, "other": other, "labels": labels, "project": project}


def apply(ctx, action, version=None, op=None, user=None, **payload):
    task = Task.objects.get(pk=ctx["task"].pk)
    return annotation_apply(task=task, by=user or ctx["user"], op_id=op or uuid.uuid4(),
                            base_version=task.version if version is None else version, action=action, payload=payload)


def span(ctx, needle, label, **kw):
    start = TEXT.index(needle)
    sid = str(uuid.uuid4())
    apply(ctx, "span.create", id=sid, label=ctx["labels"][label].pk, start=start, end=start + len(needle), **kw)
    return sid


def test_a_span_is_stored_with_exact_offsets(ctx):
    span(ctx, "Vladimir Putin", "PER")
    s = Span.objects.get()
    assert TEXT[s.start : s.end] == "Vladimir Putin" and s.label.name == "PER"
    assert Task.objects.get(pk=ctx["task"].pk).version == 1


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"start": 5, "end": 5}, "empty or outside the text"),
        ({"start": -1, "end": 3}, "empty or outside the text"),
        ({"start": 0, "end": 10_000}, "empty or outside the text"),
        ({"start": "x", "end": 3}, "must be a whole number"),
        ({"start": 65, "end": 68}, "only whitespace"),
        ({"label": "MEETING"}, "not one for this action"),
        ({"label": "foreign"}, "not part of this project"),
        ({"id": "not-a-uuid"}, "not a valid id"),
    ],
)
def test_bad_spans_are_refused_with_a_message_and_nothing_written(ctx, payload, message):
    foreign = make_project("other", schema="news-diplomacy")
    labels = {**{k: v.pk for k, v in ctx["labels"].items()}, "foreign": Label.objects.filter(project=foreign).first().pk}
    data = {"id": str(uuid.uuid4()), "label": labels["PER"], "start": 0, "end": 2}
    data.update({k: (labels[v] if k == "label" else v) for k, v in payload.items()})
    with pytest.raises(AnnotationError, match=message):
        apply(ctx, "span.create", **data)
    assert not Span.objects.exists() and not AnnotationChange.objects.exists()
    assert Task.objects.get(pk=ctx["task"].pk).version == 0


def test_a_retired_label_is_refused(ctx):
    ctx["labels"]["MISC"].retired = True
    ctx["labels"]["MISC"].save()
    with pytest.raises(AnnotationError, match="MISC is retired"):
        span(ctx, "Pekin", "MISC")


def test_not_your_task_and_submitted_tasks_are_refused(ctx):
    # The service decides (permissions.task_denied): for someone with no part in the project, no such task.
    with pytest.raises(Http404, match="No such task"):
        apply(ctx, "span.create", user=ctx["other"], id=str(uuid.uuid4()), label=ctx["labels"]["PER"].pk, start=0, end=2)
    task_submit(task=ctx["task"], by=ctx["user"])
    with pytest.raises(AnnotationError, match="submitted; it can no longer change"):
        span(ctx, "Pekin", "GPE")


def test_a_retried_request_is_not_applied_twice(ctx):
    op, sid = uuid.uuid4(), str(uuid.uuid4())
    data = {"id": sid, "label": ctx["labels"]["GPE"].pk, "start": TEXT.index("Pekin"), "end": TEXT.index("Pekin") + 5}
    apply(ctx, "span.create", op=op, version=0, **data)
    again = apply(ctx, "span.create", op=op, version=0, **data)
    assert again.replayed and Span.objects.count() == 1 and AnnotationChange.objects.count() == 1


def test_a_stale_tab_is_refused(ctx):
    span(ctx, "Pekin", "GPE")
    with pytest.raises(StaleVersion) as stale:
        apply(ctx, "span.create", version=0, id=str(uuid.uuid4()), label=ctx["labels"]["PER"].pk, start=0, end=2)
    assert stale.value.version == 1 and Span.objects.count() == 1


def test_update_delete_and_undo_redo_of_everything(ctx):
    sid = span(ctx, "Vladimir Putin", "PER")
    apply(ctx, "span.update", id=sid, label=ctx["labels"]["ORG"].pk)
    apply(ctx, "span.update", id=sid, start=TEXT.index("Putin"))
    assert [(s.label.name, TEXT[s.start : s.end]) for s in Span.objects.all()] == [("ORG", "Putin")]
    apply(ctx, "span.delete", id=sid)
    assert not Span.objects.exists()
    for expected in [("ORG", "Putin"), ("ORG", "Vladimir Putin"), ("PER", "Vladimir Putin")]:
        apply(ctx, "undo")
        assert [(s.label.name, TEXT[s.start : s.end]) for s in Span.objects.all()] == [expected]
    apply(ctx, "undo")
    assert not Span.objects.exists()
    # Nothing to undo is a quiet notice, not a refusal: the answer says so, nothing is written.
    nothing = apply(ctx, "undo")
    assert (nothing.message, nothing.ops) == ("Nothing to undo.", [])
    apply(ctx, "redo")
    apply(ctx, "redo")
    assert [(s.label.name, TEXT[s.start : s.end]) for s in Span.objects.all()] == [("ORG", "Vladimir Putin")]
    span(ctx, "Pekin", "GPE")  # a new change clears what redo could re-apply
    assert apply(ctx, "redo").message == "Nothing to redo."
    kinds = list(AnnotationChange.objects.values_list("kind", flat=True))
    assert kinds == ["do"] * 4 + ["undo"] * 4 + ["redo"] * 2 + ["do"]


def _replayed_stacks(actions):
    """The history rows a run of do/undo/redo makes and the stacks after each, replayed forwards from the
    start (the plain definition stack_top must agree with)."""
    history, done, undone, states = [], [], [], []
    for seq, action in enumerate(actions, start=1):
        if action == "do":
            done.append(seq)
            undone.clear()
            history.append((seq, "do", None))
        elif action == "undo" and done:
            undone.append(done.pop())
            history.append((seq, "undo", undone[-1]))
        elif action == "redo" and undone:
            done.append(undone.pop())
            history.append((seq, "redo", done[-1]))
        else:
            continue  # refused: nothing recorded
        states.append((list(history), done[-1] if done else None, undone[-1] if undone else None))
    return states


@given(st.lists(st.sampled_from(["do", "undo", "redo"]), max_size=60))
def test_the_backward_scan_finds_what_undo_and_redo_act_on(actions):
    for history, undo_target, redo_target in _replayed_stacks(actions):
        newest_first = list(reversed(history))
        assert stack_top(newest_first, "undo") == undo_target
        assert stack_top(newest_first, "redo") == redo_target


def test_undo_and_redo_on_a_long_history_cost_the_same_queries(ctx, django_assert_max_num_queries):
    # 70 spans on 70 different stretches (the same characters take one span of a layer): more than one page
    # of history.
    stretches = [(i, i + n) for n in (3, 2, 1) for i in range(len(TEXT) - n)
                 if TEXT[i:i + n].strip() and "\n" not in TEXT[i:i + n]][:70]
    assert len(stretches) == 70
    for start, end in stretches:
        apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["ORG"].pk, start=start, end=end)
    task = Task.objects.get(pk=ctx["task"].pk)
    with django_assert_max_num_queries(12):
        annotation_apply(task=task, by=ctx["user"], op_id=uuid.uuid4(), base_version=task.version, action="undo", payload={})
    for _ in range(69):
        apply(ctx, "undo")
    assert not Span.objects.exists()
    assert apply(ctx, "undo").message == "Nothing to undo."
    for _ in range(70):
        apply(ctx, "redo")
    assert Span.objects.count() == 70
    assert apply(ctx, "redo").message == "Nothing to redo."


def test_events_roles_and_their_constraints(ctx):
    xi, putin, pekin = span(ctx, "Xi Jinping", "PER"), span(ctx, "Vladimir Putin", "PER"), span(ctx, "Pekin", "GPE")
    date = span(ctx, "salı günü", "DATE")
    eid = str(uuid.uuid4())
    start = TEXT.index("bir araya geldi")
    apply(ctx, "event.create", id=eid, type=ctx["labels"]["MEETING"].pk, start=start, end=start + 15)
    roles = {r.name: r.pk for r in EventRole.objects.filter(event_type=ctx["labels"]["MEETING"])}
    with pytest.raises(TransitionError, match=r"participant \(0 of 2\)"):
        task_submit(task=ctx["task"], by=ctx["user"])
    apply(ctx, "argument.add", event=eid, role=roles["participant"], span=xi)
    with pytest.raises(Exception, match="participant of MEETING takes PER/ORG/GPE, not DATE"):
        apply(ctx, "argument.add", event=eid, role=roles["participant"], span=date)
    apply(ctx, "argument.add", event=eid, role=roles["participant"], span=putin)
    apply(ctx, "argument.add", event=eid, role=roles["place"], span=pekin)
    elsewhere = span(ctx, "REKLAM", "LOC")
    with pytest.raises(Exception, match="place of MEETING takes at most 1"):
        apply(ctx, "argument.add", event=eid, role=roles["place"], span=elsewhere)
    with pytest.raises(AnnotationError, match="already fills participant"):
        apply(ctx, "argument.add", event=eid, role=roles["participant"], span=xi)
    other_role = EventRole.objects.filter(event_type=ctx["labels"]["VISIT"]).first()
    with pytest.raises(AnnotationError, match="not a role of MEETING"):
        apply(ctx, "argument.add", event=eid, role=other_role.pk, span=xi)
    result = apply(ctx, "span.delete", id=putin)
    assert "removed from 1 event role: participant of MEETING" in result.message
    assert EventArgument.objects.count() == 2
    apply(ctx, "undo")
    assert EventArgument.objects.count() == 3
    task_submit(task=ctx["task"], by=ctx["user"])


def test_event_delete_and_undo_bring_back_its_arguments(ctx):
    xi = span(ctx, "Xi Jinping", "PER")
    eid = str(uuid.uuid4())
    apply(ctx, "event.create", id=eid, type=ctx["labels"]["STATEMENT"].pk, start=TEXT.index("geldi"), end=TEXT.index("geldi") + 5)
    speaker = EventRole.objects.get(event_type=ctx["labels"]["STATEMENT"], name="speaker")
    apply(ctx, "argument.add", event=eid, role=speaker.pk, span=xi)
    apply(ctx, "event.delete", id=eid)
    assert not Event.objects.exists() and not EventArgument.objects.exists()
    apply(ctx, "undo")
    assert Event.objects.get().arguments.get().span.client_id == uuid.UUID(xi)


def test_unknown_action(ctx):
    with pytest.raises(AnnotationError, match=r"Unknown action 'span\.explode'"):
        apply(ctx, "span.explode")


def test_the_same_characters_take_one_span_of_a_layer_and_a_duplicate_is_already_there(ctx):
    """An exact duplicate (same label, same characters) is answered as already there and writes nothing;
    another label of the same layer on the same characters relabels the span; boilerplate on the same
    characters is another layer and stands beside it."""
    first = span(ctx, "Pekin'de", "GPE")
    version = Task.objects.get(pk=ctx["task"].pk).version
    start = TEXT.index("Pekin'de")
    again = apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["GPE"].pk, start=str(start),
                  end=start + len("Pekin'de"))
    assert again.message == "Already there: GPE “Pekin'de”." and again.ops == []
    assert Task.objects.get(pk=ctx["task"].pk).version == version and Span.objects.count() == 1
    relabel = apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["LOC"].pk, start=start,
                    end=start + len("Pekin'de"))
    assert relabel.message == "Relabelled “Pekin'de”: GPE → LOC."
    only = Span.objects.get()
    assert (str(only.client_id), only.label.name) == (first, "LOC")
    apply(ctx, "undo")
    assert Span.objects.get().label.name == "GPE"  # undo gives the old label back, on the same span


def test_an_entity_never_crosses_a_line_break_but_boilerplate_takes_paragraphs(ctx):
    start = TEXT.index("geldi")
    with pytest.raises(AnnotationError, match="Entity labels take words on one line"):
        apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["PER"].pk, start=start, end=len(TEXT))
    assert not Span.objects.exists()
    apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["AD"].pk, start=start, end=len(TEXT))
    assert Span.objects.get().label.name == "AD"


def test_an_event_on_a_marked_trigger_changes_type_or_is_already_there(ctx):
    start, end = TEXT.index("bir araya geldi"), TEXT.index("bir araya geldi") + len("bir araya geldi")
    kinds = {lab.name: lab for lab in Label.objects.filter(project=ctx["project"], layer="event")}
    first, second = sorted(kinds)[:2]
    apply(ctx, "event.create", id=str(uuid.uuid4()), type=kinds[first].pk, start=start, end=end)
    assert apply(ctx, "event.create", id=str(uuid.uuid4()), type=kinds[first].pk, start=start, end=end).ops == []
    apply(ctx, "event.create", id=str(uuid.uuid4()), type=kinds[second].pk, start=start, end=end)
    assert [e.event_type.name for e in Event.objects.all()] == [second]


def test_a_schema_can_make_a_layer_multi_label_and_let_entities_cross_lines(ctx):
    """The schema's rules (its "rules" key): several entity labels on the same characters, and entities that
    run over a line break; by default neither."""
    from annotate.services import schema_dump, schema_load

    project = ctx["project"]
    data = schema_dump(project)
    data["rules"] = {"multi_label": ["entities"], "entities_cross_lines": True}
    schema_load(project=project, data=data)
    assert schema_dump(Project.objects.get(pk=project.pk))["rules"] == data["rules"]
    span(ctx, "Pekin'de", "GPE")
    span(ctx, "Pekin'de", "LOC")  # not a relabel: both stand
    assert sorted(s.label.name for s in Span.objects.all()) == ["GPE", "LOC"]
    start = TEXT.index("geldi")
    apply(ctx, "span.create", id=str(uuid.uuid4()), label=ctx["labels"]["MISC"].pk, start=start, end=len(TEXT))
    assert Span.objects.filter(label__name="MISC").exists()
