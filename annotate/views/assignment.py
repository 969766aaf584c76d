"""The manager's assignment page: one form, the action (assign, reassign, unassign) a choice, a live
preview of what it would do (the same service run in a transaction that is rolled back), and the report
htmx swaps in once it ran. An assignment of more than ASSIGN_INLINE_MAX documents is a background job
whose progress the page shows."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotate.jobs import tasks_assign_enqueue_if_large
from annotate.permissions import project_for
from annotate.services import tasks_assign, tasks_reassign, tasks_unassign
from annotate.views.forms import AssignPageForm
from corpus.text import grouped

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


def _outcome(form, project, user) -> tuple[str, dict]:
    """What the chosen action did (its report), and the tasks per annotator when it assigned."""
    data, action = form.cleaned_data, form.cleaned_data["action"]
    selection = form.selection()
    if action == "assign":
        report = tasks_assign(project=project, annotators=list(data["annotators"]), selection=selection,
                              overlap=data["overlap"], by=user)
        return report.summary(), dict(report.per_annotator)
    if action == "reassign":
        report = tasks_reassign(project=project, from_annotator=data["from_annotator"],
                                to_annotator=data["to_annotator"], selection=selection, by=user)
        return report.summary("moved"), {}
    report = tasks_unassign(project=project, annotator=data["annotator"], selection=selection,
                            include_started=data["include_started"])
    return report.summary("removed"), {}


def _run(form, project, user) -> tuple[str, dict]:
    """What the chosen action did, with the documents it covered: its summary, and the tasks per annotator."""
    report, loads = _outcome(form, project, user)
    done = {"assign": _("Assigned (%(selection)s): %(report)s"),
            "reassign": _("Reassigned (%(selection)s): %(report)s"),
            "unassign": _("Unassigned (%(selection)s): %(report)s")}[form.cleaned_data["action"]]
    return done % {"selection": form.selection().describe(), "report": report}, loads


def _preview(form, project, user) -> tuple[str, dict]:
    selected = form.selection().documents(project, user).count()
    if selected > PREVIEW_UP_TO:
        return _("%(count)s documents selected: too many to try beforehand; the report follows the run.") % {
            "count": grouped(selected)}, {}
    with transaction.atomic():
        report, loads = _outcome(form, project, user)
        transaction.set_rollback(True)  # a preview changes nothing
    return ngettext("%(count)s document selected (%(selection)s). If you run it: %(report)s",
                    "%(count)s documents selected (%(selection)s). If you run it: %(report)s", selected) % {
        "count": grouped(selected), "selection": form.selection().describe(), "report": report}, loads


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
