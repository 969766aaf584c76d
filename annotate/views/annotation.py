"""The annotation page: one view renders the page, and for htmx requests the workspace fragment; one
endpoint takes every change as JSON and answers with the new fragment."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotate.models import Task, TaskStatus
from annotate.permissions import ProjectAccess, task_for
from annotate.services import StaleVersion, annotation_apply, task_note
from annotate.services.annotation_ops import history_described
from annotate.services.lifecycle import submit_doubts
from annotate.views.forms import ReopenForm, SkipForm
from annotate.views.markdown import render_markdown
from annotate.workspace import changes_load, changes_window, workspace_load
from corpus.jsonsafe import JsonRefused, parse_json

MAX_BODY = 20_000
HISTORY = 200


def _render(request, task, access, *, fragment: bool, message: str = "", status: int = 200):
    """The page, or (for htmx) the workspace fragment."""
    editable = task.annotator_id == request.user.pk and task.is_open
    workspace = workspace_load(task, with_tokens=not fragment, viewer=request.user)
    workspace.editable = editable
    context = {
        "task": task,
        "document": task.document,
        "project": task.project,
        "access": access,
        "own": task.annotator_id == request.user.pk,
        "editable": workspace.editable,
        "ws": workspace,
        "page_data": None if fragment else workspace.page_data(task, request.user.pk),
        "message": message,
    }
    if not fragment:
        own = task.annotator_id == request.user.pk
        context.update(
            # ?submit=ask: the submit view found a likely slip; the page asks once (Enter confirms).
            submit_doubts=submit_doubts(task) if own and task.is_open and request.GET.get("submit") == "ask" else [],
            can_take_back=own and task.status == TaskStatus.SUBMITTED and not Task.gold_sets.filter(
                project_id=task.project_id, document_id=task.document_id).exists(),
            skip_form=SkipForm(), reopen_form=ReopenForm(), guidelines=render_markdown(task.project.guidelines),
            position=Task.objects.position_of(task),
            transitions=task.transitions.select_related("by").order_by("at", "id") if access.can_curate else [],
            changes=history_described(task.changes.select_related("by").order_by("-seq")[:HISTORY], task.document.text,
                                      workspace.labels, workspace.roles) if access.can_curate else [],
        )
    response = render(request, "annotate/task.html#workspace" if fragment else "annotate/task.html", context, status=status)
    response["X-Task-Version"] = str(task.version)
    return response


def _render_changes(request, applied):
    """What a saved change altered: the lines it touched, its span-list entries, the events if need be."""
    context = {"task": applied.task, "message": applied.message,
               "ch": changes_load(applied.task, applied.ops, request.user, rows=applied.rows)}
    response = render(request, "annotate/task.html#changes", context)
    response["X-Task-Version"] = str(applied.task.version)
    return response


@login_required
def task_detail(request, pk):
    task, access = task_for(request.user, pk)  # looking changes nothing: the first change starts the task
    return _render(request, task, access, fragment=bool(request.htmx))


@login_required
@require_POST
def task_change(request, pk):
    """POST JSON {op, version, action, ...}: apply one change, answer with the workspace fragment.
    The service locks the task and checks that it is the user's; no other lookup is needed."""
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": _("The request is too large.")}, status=400)
    try:
        body = parse_json(request.body.decode("utf-8"))
    except (UnicodeDecodeError, JsonRefused) as error:
        return JsonResponse({"error": _("The request is not usable JSON: %(error)s") % {"error": error}}, status=400)
    if not isinstance(body, dict):
        return JsonResponse({"error": _("The request is not a JSON object.")}, status=400)
    try:
        applied = annotation_apply(
            task=Task(pk=pk), by=request.user, op_id=body.get("op"), base_version=body.get("version"),
            action=str(body.get("action", "")), payload=body,
            window_of=lambda task, ops: changes_window(task, ops, request.user),
        )
    except (Task.DoesNotExist, Http404):
        return JsonResponse({"error": _("No such task.")}, status=404)
    except PermissionDenied as denied:  # the service's word (permissions.task_denied): may read, not change
        return JsonResponse({"error": str(denied)}, status=403)
    except StaleVersion as stale:
        return JsonResponse({"error": str(stale), "version": stale.version}, status=409)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    if applied.ops is None:  # a replay: the page may be behind, so it gets the whole workspace
        return _render(request, applied.task, ProjectAccess(frozenset({"annotator"})), fragment=True,
                       message=applied.message)
    return _render_changes(request, applied)


@login_required
@require_POST
def task_note_view(request, pk):
    task, _access = task_for(request.user, pk, write=True)
    try:
        task = task_note(task=task, by=request.user, flag=request.POST.get("flag", ""),
                         comment=request.POST.get("comment", ""))
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return render(request, "annotate/task.html#note", {"task": task, "own": True, "saved": True})
