"""The primitive changes an annotation action is made of, each with what is needed to invert it: undo runs
them inverted and backwards, redo runs them again."""

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


def run_op(task: Task, op: dict) -> None:
    kind = op["op"]
    if kind == "add_span":
        Span.objects.create(task=task, **op["data"])
    elif kind == "remove_span":
        Span.objects.filter(task=task, client_id=op["data"]["client_id"]).delete()
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
        return "nothing"
    plain = [op for op in ops if op["op"] not in BOOKKEEPING] or ops  # what the suggesters were told is not named
    main = next((op for op in reversed(plain) if op["op"] not in ("add_arg", "remove_arg")), plain[-1])
    ops = plain
    kind, data = main["op"], main.get("data") or {}
    extra = f" and {len(ops) - 1} more" if main["op"] in ("add_span", "add_event") and len(ops) > 1 else ""
    origin = f" (suggested by {data['origin']})" if data.get("origin") else ""
    if kind in ("add_span", "remove_span"):
        verb = "added" if kind == "add_span" else "removed"
        return (f"{verb} {labels.get(data['label_id'], 'a span')} {_quoted(text, data['start'], data['end'])}"
                f"{origin}{extra}")
    if kind in ("reject_suggestion", "unreject_suggestion"):
        verb = "rejected" if kind == "reject_suggestion" else "took back the rejection of"
        return f"{verb} {labels.get(data['label_id'], 'a')} suggestion {_quoted(text, data['start'], data['end'])}{origin}"
    if kind in ("reject_in_project", "unreject_in_project"):
        verb = "no longer suggests" if kind == "reject_in_project" else "suggests again"
        return f"{verb} {labels.get(data['label_id'], 'a label')} on “{data.get('text') or data['key']}” in the project"
    if kind in ("add_event", "remove_event"):
        verb = "added" if kind == "add_event" else "removed"
        return (f"{verb} {labels.get(data['type_id'], 'an')} event {_quoted(text, data['start'], data['end'])}"
                f"{origin}{extra}")
    if kind in ("change_span", "change_event"):
        before, after = main["before"], main["after"]
        key = "label_id" if kind == "change_span" else "type_id"
        if before[key] != after[key]:
            return (f"relabelled {_quoted(text, after['start'], after['end'])} "
                    f"{labels.get(before[key], '?')} → {labels.get(after[key], '?')}")
        return (f"moved {labels.get(after[key], '')} {_quoted(text, before['start'], before['end'])} to "
                f"{_quoted(text, after['start'], after['end'])}").replace("  ", " ")
    if kind in ("add_arg", "remove_arg"):
        role = roles.get(data["role_id"], "a role")
        return "filled " + role if kind == "add_arg" else "emptied " + role
    return kind


def history_described(changes, text: str, labels, roles: dict) -> list:
    """The history entries, each with `.description` for a person ("undo: removed PER “Rusya”")."""
    names = {lab.pk: lab.name for lab in labels}
    role_names = {r.pk: r.name for rs in roles.values() for r in rs}
    entries = list(changes)
    for entry in entries:
        what = describe_ops(entry.ops, text, names, role_names)
        entry.description = what if entry.kind == "do" else f"{entry.kind}: {what}"
    return entries
