"""The primitive changes an annotation action is made of, each with what is needed to invert it: undo runs
them inverted and backwards, redo runs them again."""

from django.db import connection
from django.utils.translation import gettext as _

from annotate.models import Event, EventArgument, ProjectRejection, Span, SuggestionRejection, Task


def span_data(span: Span) -> dict:
    data = {"client_id": str(span.client_id), "label_id": span.label_id, "start": span.start, "end": span.end}
    if span.origin:
        data["origin"] = span.origin  # an undone delete gives back where the span came from
    return data


def event_data(event: Event) -> dict:
    return {
        "client_id": str(event.client_id),
        "type_id": event.event_type_id,
        "start": event.start,
        "end": event.end,
        **({"origin": event.origin} if event.origin else {}),
    }


def arg_data(arg: EventArgument) -> dict:
    return {"event": str(arg.event.client_id), "role_id": arg.role_id, "span": str(arg.span.client_id)}


INVERSE = {
    "add_span": "remove_span",
    "remove_span": "add_span",
    "add_event": "remove_event",
    "remove_event": "add_event",
    "add_arg": "remove_arg",
    "remove_arg": "add_arg",
    "reject_suggestion": "unreject_suggestion",
    "unreject_suggestion": "reject_suggestion",
    "reject_in_project": "unreject_in_project",
    "unreject_in_project": "reject_in_project",
}
# What the suggesters are told when a mark goes (annotate.suggestions.forgetting), beside the change itself.
BOOKKEEPING = frozenset({"reject_suggestion", "unreject_suggestion", "reject_in_project", "unreject_in_project"})


def invert(op: dict) -> dict:
    if op["op"] in ("change_span", "change_event"):
        return {**op, "before": op["after"], "after": op["before"]}
    return {**op, "op": INVERSE[op["op"]]}


def op_ranges(ops: list[dict]) -> list[tuple[int, int]]:
    """The stretches of text whose drawing these ops change (arguments are not drawn in the text)."""
    ranges = []
    for op in ops:
        for part in (op.get("data"), op.get("before"), op.get("after")):
            if part and "start" in part:
                ranges.append((part["start"], part["end"]))
    return ranges


def span_remove(task: Task, client_id: str) -> None:
    """The span and any event argument it fills, in two fixed statements: the ORM's delete would read the
    span to collect its arguments first, and compile all three, on the path an annotator takes all day."""
    q = connection.ops.quote_name
    spans, arguments = q(Span._meta.db_table), q(EventArgument._meta.db_table)
    ident = Span._meta.get_field("client_id").get_db_prep_value(client_id, connection)
    which = "task_id = %s AND client_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {arguments} WHERE span_id IN (SELECT id FROM {spans} WHERE {which})",
                       [task.pk, ident])
        cursor.execute(f"DELETE FROM {spans} WHERE {which}", [task.pk, ident])


def run_op(task: Task, op: dict) -> None:
    kind = op["op"]
    if kind == "add_span":
        Span.objects.create(task=task, **op["data"])
    elif kind == "remove_span":
        span_remove(task, op["data"]["client_id"])
    elif kind == "change_span":
        Span.objects.filter(task=task, client_id=op["client_id"]).update(**op["after"])
    elif kind == "add_event":
        data = op["data"]
        Event.objects.create(
            task=task,
            client_id=data["client_id"],
            event_type_id=data["type_id"],
            start=data["start"],
            end=data["end"],
            origin=data.get("origin", ""),
        )
    elif kind == "remove_event":
        Event.objects.filter(task=task, client_id=op["data"]["client_id"]).delete()
    elif kind == "change_event":
        after = op["after"]
        Event.objects.filter(task=task, client_id=op["client_id"]).update(
            event_type_id=after["type_id"], start=after["start"], end=after["end"]
        )
    elif kind == "add_arg":
        data = op["data"]
        EventArgument.objects.create(
            event=Event.objects.get(task=task, client_id=data["event"]),
            role_id=data["role_id"],
            span=Span.objects.get(task=task, client_id=data["span"]),
        )
    elif kind == "reject_suggestion":
        data = op["data"]
        SuggestionRejection.objects.get_or_create(task=task, label_id=data["label_id"], start=data["start"],
                                                  end=data["end"], defaults={"origin": data.get("origin", "")})
    elif kind == "unreject_suggestion":
        data = op["data"]
        SuggestionRejection.objects.filter(task=task, label_id=data["label_id"], start=data["start"],
                                           end=data["end"]).delete()
    elif kind == "reject_in_project":
        data = op["data"]
        ProjectRejection.objects.get_or_create(project_id=task.project_id, key=data["key"], label_id=data["label_id"],
                                               defaults={"text": data.get("text", "")[:200], "by_id": data.get("by")})
    elif kind == "unreject_in_project":
        data = op["data"]
        ProjectRejection.objects.filter(project_id=task.project_id, key=data["key"], label_id=data["label_id"]).delete()
    elif kind == "remove_arg":
        data = op["data"]
        EventArgument.objects.filter(
            event__task=task,
            event__client_id=data["event"],
            role_id=data["role_id"],
            span__client_id=data["span"],
        ).delete()


def _quoted(text: str, start: int, end: int) -> str:
    piece = text[start:end]
    return f"“{piece if len(piece) <= 60 else piece[:59] + '…'}”"


def describe_ops(ops: list[dict], text: str, labels: dict[int, str], roles: dict[int, str]) -> str:
    """What a change did, for a person: "removed PER “Hakan Fidan”", "relabelled “Ankara” GPE → LOC".
    A change of several ops is named by its main one (removing a span takes its arguments along)."""
    if not ops:
        return _("nothing")
    plain = [op for op in ops if op["op"] not in BOOKKEEPING] or ops  # what the suggesters were told is not named
    main = next((op for op in reversed(plain) if op["op"] not in ("add_arg", "remove_arg")), plain[-1])
    ops = plain
    kind, data = main["op"], main.get("data") or {}
    extra = " " + _("and %(count)s more") % {"count": len(ops) - 1} \
        if main["op"] in ("add_span", "add_event") and len(ops) > 1 else ""
    origin = " " + _("(suggested by %(origin)s)") % {"origin": data["origin"]} if data.get("origin") else ""
    if kind in ("add_span", "remove_span", "add_event", "remove_event", "reject_suggestion", "unreject_suggestion"):
        key = "type_id" if kind.endswith("_event") else "label_id"
        values = {"label": labels.get(data[key], "?"), "text": _quoted(text, data["start"], data["end"])}
        said = {"add_span": _("added %(label)s %(text)s"), "remove_span": _("removed %(label)s %(text)s"),
                "add_event": _("added %(label)s event %(text)s"), "remove_event": _("removed %(label)s event %(text)s"),
                "reject_suggestion": _("rejected %(label)s suggestion %(text)s"),
                "unreject_suggestion": _("took back the rejection of %(label)s suggestion %(text)s")}[kind]
        return said % values + origin + (extra if kind.startswith("add_") else "")
    if kind in ("reject_in_project", "unreject_in_project"):
        said = _("no longer suggests %(label)s on %(text)s in the project") if kind == "reject_in_project" else \
            _("suggests %(label)s on %(text)s again in the project")
        return said % {"label": labels.get(data["label_id"], "?"), "text": f"“{data.get('text') or data['key']}”"}
    if kind in ("change_span", "change_event"):
        before, after = main["before"], main["after"]
        key = "label_id" if kind == "change_span" else "type_id"
        if before[key] != after[key]:
            return _("relabelled %(text)s %(before)s → %(after)s") % {
                "text": _quoted(text, after["start"], after["end"]), "before": labels.get(before[key], "?"),
                "after": labels.get(after[key], "?")}
        return _("moved %(label)s %(before)s to %(after)s") % {
            "label": labels.get(after[key], "?"), "before": _quoted(text, before["start"], before["end"]),
            "after": _quoted(text, after["start"], after["end"])}
    if kind in ("add_arg", "remove_arg"):
        role = roles.get(data["role_id"], "?")
        return (_("filled %(role)s") if kind == "add_arg" else _("emptied %(role)s")) % {"role": role}
    return kind


def history_described(changes, text: str, labels, roles: dict) -> list:
    """The history entries, each with `.description` for a person ("undo: removed PER “Rusya”")."""
    names = {lab.pk: lab.name for lab in labels}
    role_names = {r.pk: r.name for rs in roles.values() for r in rs}
    entries = list(changes)
    for entry in entries:
        what = describe_ops(entry.ops, text, names, role_names)
        kinds = {"undo": _("undo"), "redo": _("redo")}
        entry.description = what if entry.kind == "do" else f"{kinds.get(entry.kind, entry.kind)}: {what}"
    return entries
