"""The manager's assignment page: assign, reassign and unassign, each a form whose report htmx swaps in."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from annotate.forms import AssignForm, ReassignForm, UnassignForm
from annotate.services import tasks_assign, tasks_reassign, tasks_unassign

from .access import project_for

FORMS = {"assign": AssignForm, "reassign": ReassignForm, "unassign": UnassignForm}


def _run(action: str, form, project, user) -> str:
    data = form.cleaned_data
    selection = form.selection()
    if action == "assign":
        report = tasks_assign(
            project=project,
            annotators=list(data["annotators"]),
            selection=selection,
            overlap=data["overlap"],
            by=user,
        )
        return f"Assigned ({selection.describe()}): {report.summary()}"
    if action == "reassign":
        report = tasks_reassign(
            project=project,
            from_annotator=data["from_annotator"],
            to_annotator=data["to_annotator"],
            selection=selection,
            by=user,
        )
        return f"Reassigned ({selection.describe()}): {report.summary('moved')}"
    report = tasks_unassign(
        project=project,
        annotator=data["annotator"],
        selection=selection,
        include_started=data["include_started"],
    )
    return f"Unassigned ({selection.describe()}): {report.summary('removed')}"


@login_required
def assign_page(request, slug):
    project, access = project_for(request, slug, "manage")
    action = request.POST.get("action", "assign") if request.method == "POST" else None
    if action is not None and action not in FORMS:
        action = "assign"
    forms = {name: cls(project=project, prefix=name) for name, cls in FORMS.items()}
    result, errors, status = "", [], 200
    if action:
        form = forms[action] = FORMS[action](request.POST, project=project, prefix=action)
        if form.is_valid():
            try:
                result = _run(action, form, project, request.user)
            except ValidationError as error:
                errors, status = error.messages, 400
        else:
            errors = [
                f"{field}: {', '.join(msgs)}" if field != "__all__" else ", ".join(msgs)
                for field, msgs in form.errors.items()
            ]
            status = 400
    context = {
        "project": project,
        "access": access,
        "forms": forms,
        "result": result,
        "errors": errors,
        "action": action,
    }
    template = "annotate/assign.html#result" if request.htmx else "annotate/assign.html"
    return render(request, template, context, status=status)
