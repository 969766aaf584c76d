"""The manager's assignment page: one form, the action (assign, reassign, unassign) a choice, a live
preview of what it would do (the same service run in a transaction that is rolled back), and the report
htmx swaps in once it ran. An assignment of more than ASSIGN_INLINE_MAX documents is a background job
whose progress the page shows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render

from annotate.jobs import tasks_assign_enqueue_if_large
from annotate.permissions import project_for
from annotate.services import tasks_assign, tasks_reassign, tasks_unassign
from annotate.views.forms import AssignPageForm

# A preview runs the whole assignment and rolls it back; above this many documents it only counts them.
PREVIEW_UP_TO = 20_000


def _enqueue_if_large(form, project, user):
    """An assignment of more than ASSIGN_INLINE_MAX documents: its background job (the page shows its
    progress, then its report); None for a smaller one, which runs in the request."""
    data = form.cleaned_data
    if data["action"] != "assign":
        return None
    return tasks_assign_enqueue_if_large(project=project, owner=user, annotators=list(data["annotators"]),
                                         selection=form.selection(), overlap=data["overlap"])


def _run(form, project, user) -> tuple[str, dict]:
    """What the chosen action did: its summary, and the tasks per annotator when it assigned."""
    data, action = form.cleaned_data, form.cleaned_data["action"]
    selection = form.selection()
    if action == "assign":
        report = tasks_assign(project=project, annotators=list(data["annotators"]), selection=selection,
                              overlap=data["overlap"], by=user)
        return f"Assigned ({selection.describe()}): {report.summary()}", dict(report.per_annotator)
    if action == "reassign":
        report = tasks_reassign(project=project, from_annotator=data["from_annotator"],
                                to_annotator=data["to_annotator"], selection=selection, by=user)
        return f"Reassigned ({selection.describe()}): {report.summary('moved')}", {}
    report = tasks_unassign(project=project, annotator=data["annotator"], selection=selection,
                            include_started=data["include_started"])
    return f"Unassigned ({selection.describe()}): {report.summary('removed')}", {}


def _preview(form, project, user) -> tuple[str, dict]:
    selected = form.selection().documents(project, user).count()
    if selected > PREVIEW_UP_TO:
        return f"{selected} documents selected: too many to try beforehand; the report follows the run.", {}
    with transaction.atomic():
        summary, loads = _run(form, project, user)
        transaction.set_rollback(True)  # a preview changes nothing
    _done, _, what = summary.partition("): ")
    return (f"{selected} document{'s' if selected != 1 else ''} selected ({form.selection().describe()}). "
            f"If you run it: {what}"), loads


@login_required
def assign_page(request, slug):
    project, access = project_for(request.user, slug, "manage")
    form = AssignPageForm(request.POST or None, project=project)
    preview = request.method == "POST" and request.POST.get("preview") == "1"
    result, loads, errors, status, job = "", {}, [], 200, None
    if request.method == "POST":
        if form.is_valid():
            try:
                job = None if preview else _enqueue_if_large(form, project, request.user)
                if job is not None:
                    status = 202
                else:
                    result, loads = (_preview if preview else _run)(form, project, request.user)
            except ValidationError as error:
                errors, status = error.messages, 400
        else:
            errors = [
                f"{form.fields[field].label or field.replace('_', ' ')}: {', '.join(msgs)}" if field != "__all__"
                else ", ".join(msgs)
                for field, msgs in form.errors.items()
            ]
            status = 400
    context = {"project": project, "access": access, "form": form, "result": result, "loads": sorted(loads.items()),
               "errors": errors, "preview": preview, "job": job}
    if request.htmx:
        template = "annotate/assign.html#preview" if preview else "annotate/assign.html#result"
        return render(request, template, context, status=200 if preview else status)
    return render(request, "annotate/assign.html", context, status=status)
