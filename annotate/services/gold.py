"""A document's gold set: opened by a curator with what the annotators agree on accepted in advance, then
edited through annotation_apply like any set (the same ops, history and undo), and finished as gold.

The gold set is a Task of kind "gold" (one per project and document); Task.objects never returns it, so
nothing that counts, assigns or scores annotators' work sees it."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from annotate.models import EventArgument, Task, TaskKind, TaskStatus, TaskTransition
from annotate.permissions import project_access
from annotate.quality.voting import Version, vote
from annotate.rows import SetRows, annotation_rows_many
from annotate.services.annotation_ops import run_op
from annotate.services.annotation_store import record_change
from annotate.services.constraints import incomplete_events

# Sent once a curator has accepted a gold set (task, by); annotate.training listens (retrain every N).
gold_accepted = Signal()


class CurationError(ValidationError):
    pass


def version_from_rows(who: str, rows: SetRows) -> Version:
    """An annotation set's rows (annotate.rows) as vote keys by label id; items are client ids."""
    version = Version(who)
    span_keys, event_keys = {}, {}
    for s in rows.spans:
        span_keys[s.client_id] = (s.label_id, s.start, s.end)
        version.spans[(s.label_id, s.start, s.end)] = s.client_id
    for e in rows.events:
        event_keys[e.pk] = (e.type_id, e.start, e.end)
        version.events[(e.type_id, e.start, e.end)] = e.client_id
    for a in rows.arguments:
        if a.event_id in event_keys and a.span_client_id in span_keys:
            version.arguments.add((event_keys[a.event_id], a.role_id, span_keys[a.span_client_id]))
    return version


def submitted_sets(project, document_id: int) -> list[Task]:
    """The annotators' submitted sets of a document, in the order they were assigned."""
    return list(Task.objects.filter(project=project, document_id=document_id, status=TaskStatus.SUBMITTED)
                .by_people().select_related("annotator").order_by("assigned_at", "id"))


def agreed_ops(versions: list[Version], policy: str) -> list[dict]:
    """The ops that put the agreed items into an empty gold set (new client ids)."""
    agreed = vote(versions, policy)
    ops, span_ids, event_ids = [], {}, {}
    for key in agreed.spans:
        span_ids[key] = str(uuid.uuid4())
        ops.append({"op": "add_span", "data": {"client_id": span_ids[key], "label_id": key[0], "start": key[1],
                                               "end": key[2]}})
    for key in agreed.events:
        event_ids[key] = str(uuid.uuid4())
        ops.append({"op": "add_event", "data": {"client_id": event_ids[key], "type_id": key[0], "start": key[1],
                                                "end": key[2]}})
    for event_key, role_id, span_key in agreed.arguments:
        ops.append({"op": "add_arg", "data": {"event": event_ids[event_key], "role_id": role_id,
                                              "span": span_ids[span_key]}})
    return ops


def curation_check(by, project) -> None:
    if not project_access(by, project).can_curate:
        raise PermissionDenied(_("Only the project's curators can change its gold sets."))


@transaction.atomic
def gold_open(*, project, document, by) -> Task:
    """The document's gold set, created the first time a curator opens it: what the submitted sets agree
    on (by the project's rule, unanimous or majority) goes in as one change of the history, undoable."""
    curation_check(by, project)
    gold = Task.gold_sets.filter(project=project, document=document).first()
    if gold is not None:
        return gold
    sets = submitted_sets(project, document.pk)
    if not sets:
        raise CurationError(_("No annotator has submitted this document yet, so there is nothing to curate."))
    now = timezone.now()
    try:
        with transaction.atomic():
            gold = Task.all_kinds.create(
                project=project, document=document, collection_id=document.collection_id, annotator=by,
                kind=TaskKind.GOLD, status=TaskStatus.IN_PROGRESS, assigned_at=now, assigned_by=by, started_at=now,
            )
    except IntegrityError:  # another curator opened it at the same moment
        return Task.gold_sets.get(project=project, document=document)
    TaskTransition.objects.create(task=gold, from_status="", to_status=gold.status, by=by, at=now,
                                  comment="Curation started")
    rows = annotation_rows_many([t.pk for t in sets])
    versions = [version_from_rows(t.annotator.get_username(), rows[t.pk]) for t in sets]
    ops = agreed_ops(versions, project.curation_agreement)
    if ops:
        for op in ops:
            run_op(gold, op)
        record_change(gold, op_id=uuid.uuid4(), by=by, kind="do", action="curation.agreed", ops=ops, ref_seq=None)
    return gold


def _gold_locked(task: Task, by) -> Task:
    gold = Task.gold_sets.select_for_update().select_related("project").get(pk=task.pk)
    curation_check(by, gold.project)
    return gold


@transaction.atomic
def gold_finish(*, task: Task, by) -> Task:
    """The curator accepts the set as the document's gold: it is exported as gold from now on, with the
    curator and the time; the set no longer changes until a curator edits it again."""
    gold = _gold_locked(task, by)
    if not gold.is_open:
        raise CurationError(_("This gold set is already accepted."))
    if problems := incomplete_events(gold):
        raise CurationError(_("Fill the required roles first: %(problems)s.") % {"problems": "; ".join(problems)})
    old, now = gold.status, timezone.now()
    gold.status, gold.finished_at, gold.annotator = TaskStatus.SUBMITTED, now, by
    gold.save(update_fields=["status", "finished_at", "annotator"])
    TaskTransition.objects.create(task=gold, from_status=old, to_status=gold.status, by=by, at=now,
                                  comment="Accepted as gold")
    gold_accepted.send(sender=Task, task=gold, by=by)  # annotate.training retrains every N, if asked to
    return gold


@transaction.atomic
def gold_edit(*, task: Task, by) -> Task:
    """A curator takes an accepted gold set back into curation (it is not exported as gold meanwhile)."""
    gold = _gold_locked(task, by)
    if gold.is_open:
        raise CurationError(_("This gold set is being curated already."))
    old, now = gold.status, timezone.now()
    gold.status, gold.finished_at = TaskStatus.IN_PROGRESS, None
    gold.save(update_fields=["status", "finished_at"])
    TaskTransition.objects.create(task=gold, from_status=old, to_status=gold.status, by=by, at=now,
                                  comment="Curation resumed")
    return gold


# The curation page's "accept" (an annotator's item copied into the gold set) -------------------------


def _source(gold: Task, payload) -> Task:
    try:
        pk = int(payload.get("source"))
    except (TypeError, ValueError):
        raise CurationError(_("Say whose version to accept.")) from None
    source = Task.objects.filter(pk=pk, project_id=gold.project_id, document_id=gold.document_id,
                                 status=TaskStatus.SUBMITTED).first()
    if source is None:
        raise CurationError(_("That is not a submitted version of this document."))
    return source


# (the model's label field, the ops' key for it, the ops' noun) for a span and an event
_FIELDS = {"span": ("label_id", "label_id", "span"), "event": ("event_type_id", "type_id", "event")}


def _copy_ops(kind: str, item, gold_items, label_check) -> tuple[list[dict], str]:
    """(ops, gold client id) that give the gold set a span or event like this one: none when it has one
    already, a relabel when it has one on the same characters under another label and with no argument
    (the curator picks a side), else an add."""
    field, key, noun = _FIELDS[kind]
    same = [g for g in gold_items if (g.start, g.end) == (item.start, item.end)]
    exact = next((g for g in same if getattr(g, field) == getattr(item, field)), None)
    if exact:
        return [], str(exact.client_id)
    label_check(getattr(item, field))
    free = next((g for g in same if not g.arguments.exists()), None)
    if free:
        before = {key: getattr(free, field), "start": free.start, "end": free.end}
        return [{"op": f"change_{noun}", "client_id": str(free.client_id), "before": before,
                 "after": {**before, key: getattr(item, field)}}], str(free.client_id)
    client_id = str(uuid.uuid4())
    return [{"op": f"add_{noun}", "data": {"client_id": client_id, key: getattr(item, field), "start": item.start,
                                           "end": item.end}}], client_id


def curation_accept(gold: Task, payload: dict, label_check) -> tuple[list[dict], str]:
    """Copy one item of an annotator's submitted version into the gold set: a span, an event (its trigger
    and type), or an argument (with its event and its span, when the gold set lacks them). Raises
    CurationError when the gold set holds it already."""
    if not gold.is_gold:
        raise CurationError(_("Only a gold set takes another annotator's version."))
    source = _source(gold, payload)
    kind = payload.get("kind")
    gold_spans = list(gold.spans.all())
    who = source.annotator.get_username()
    try:
        if kind == "span":
            span = source.spans.select_related("label").get(client_id=uuid.UUID(str(payload.get("id"))))
            ops, _client_id = _copy_ops("span", span, gold_spans, label_check)
            what = f"{span.label.name} “{gold.document.text[span.start:span.end]}”"
        elif kind == "event":
            event = source.events.select_related("event_type").get(client_id=uuid.UUID(str(payload.get("id"))))
            ops, _client_id = _copy_ops("event", event, gold.events.all(), label_check)
            what = _("%(type)s event “%(text)s”") % {"type": event.event_type.name,
                                                      "text": gold.document.text[event.start:event.end]}
        elif kind == "argument":
            arg = EventArgument.objects.select_related("event", "span", "role").get(
                event__task=source, event__client_id=uuid.UUID(str(payload.get("event"))),
                span__client_id=uuid.UUID(str(payload.get("span"))), role_id=int(payload.get("role")))
            event_ops, event_id = _copy_ops("event", arg.event, gold.events.all(), label_check)
            span_ops, span_id = _copy_ops("span", arg.span, gold_spans, label_check)
            present = not event_ops and not span_ops and EventArgument.objects.filter(
                event__task=gold, event__client_id=event_id, span__client_id=span_id, role_id=arg.role_id).exists()
            ops = [] if present else [*event_ops, *span_ops, {"op": "add_arg", "data": {
                "event": event_id, "role_id": arg.role_id, "span": span_id}}]
            what = f"{arg.role.name} “{gold.document.text[arg.span.start:arg.span.end]}”"
        else:
            raise CurationError(_("Accept a span, an event or an argument."))
    except (ValueError, TypeError, EventArgument.DoesNotExist, source.spans.model.DoesNotExist,
            source.events.model.DoesNotExist):
        raise CurationError(_("%(who)s's version has no such item.") % {"who": who}) from None
    if not ops:
        raise CurationError(_("The gold set has %(what)s already.") % {"what": what})
    return ops, _("Accepted %(who)s's %(what)s.") % {"who": who, "what": what}
