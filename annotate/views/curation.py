"""The curators' pages: the queue of documents ready for curation (every assigned annotator has submitted
or skipped), the lowest agreement first, and one document's curation, where its gold set is made."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from annotate.models import DocumentAgreement, Task, TaskStatus
from annotate.permissions import project_for
from annotate.quality.agreement.report import project_tally
from annotate.rows import annotation_rows_many
from annotate.schema_cache import project_schema
from annotate.services.annotation_ops import history_described
from annotate.services.gold import CurationError, gold_edit, gold_finish, gold_open
from annotate.views.forms import ReopenForm
from annotate.workspace import workspace_load
from annotate.workspace.curation import alignment_build, rows_html
from config.paging import page_number
from corpus.models import Document

PAGE_SIZE = 50
HISTORY = 200


@login_required
def curation_queue(request, slug):
    project, access = project_for(request.user, slug, "curate")
    project_tally(project)  # brings each document's kept agreement up to date (only what changed)
    try:
        page = page_number(request.GET.get("page"))
    except ValueError:
        page = 1
    score = DocumentAgreement.objects.filter(project=project, document_id=OuterRef("document_id")).values("score")
    ready = (Task.objects.ready_documents(project).annotate(score=Subquery(score[:1]))
             .order_by(F("score").asc(nulls_last=True), "document_id"))
    rows = list(ready[(page - 1) * PAGE_SIZE: page * PAGE_SIZE + 1])
    shown = rows[:PAGE_SIZE]
    ids = [row["document_id"] for row in shown]
    documents = Document.objects.only("id", "title", "external_id").in_bulk(ids)
    sets = defaultdict(list)
    for task in (Task.objects.filter(project=project, document_id__in=ids, status=TaskStatus.SUBMITTED).by_people()
                 .select_related("annotator").only("id", "document_id", "annotator__username").order_by("id")):
        sets[task.document_id].append(task)
    golds = {g.document_id: g for g in Task.gold_sets.filter(project=project, document_id__in=ids)
             .only("id", "document_id", "status")}
    items = [{"document": documents.get(row["document_id"]), "score": row["score"],
              "sets": sets[row["document_id"]], "gold": golds.get(row["document_id"])} for row in shown]
    return render(request, "annotate/curation_queue.html", {
        "project": project, "access": access, "items": items, "page": page, "has_next": len(rows) > PAGE_SIZE,
        "ready": Task.objects.ready_counts([project.pk]).get(project.pk, 0),
    })


def _document(project, pk: int) -> Document:
    document = (Document.objects.filter(pk=pk, collection__projects=project)
                .only("id", "title", "external_id", "text", "language", "collection_id").first())
    if document is None:
        raise Http404(_("No such document in this project."))
    return document


def _alignment(context, gold, sets, labels, roles, rows_by_task) -> None:
    alignment = alignment_build(gold=gold, sets=sets, labels=labels, roles=roles,
                                policy=gold.project.curation_agreement, rows_by_task=rows_by_task)
    context.update(alignment=alignment, alignment_rows=rows_html(alignment, editable=gold.is_open))


@login_required
def curation_page(request, slug, document):
    """A document's curation: its gold set in the annotation workspace (the same template parts, script and
    change endpoint as the annotation page), every annotator's version aligned beside it. htmx asks for
    the workspace (after a conflict) or the alignment (after each saved change)."""
    project, access = project_for(request.user, slug, "curate")
    document = _document(project, document)
    try:  # the view has checked the role already: opening an existing set costs one query
        gold = (Task.gold_sets.filter(project=project, document=document).select_related("annotator").first()
                or gold_open(project=project, document=document, by=request.user))
    except CurationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("annotate:curation", slug=project.slug)
    gold.project, gold.document = project, document
    tasks = list(Task.objects.filter(project=project, document=document).by_people().select_related("annotator")
                 .order_by("assigned_at", "id"))
    sets = [t for t in tasks if t.status == TaskStatus.SUBMITTED]  # as services.gold.submitted_sets
    labels, roles = project_schema(project)
    # Every version and the gold set in one query, shared by the alignment and the gold set's workspace.
    rows_by_task = annotation_rows_many([t.pk for t in sets] + [gold.pk])
    context = {"project": project, "access": access, "document": document, "task": gold, "gold": gold,
               "editable": gold.is_open, "own": True}
    target = request.htmx.target if request.htmx else None
    if target == "alignment":
        _alignment(context, gold, sets, labels, roles, rows_by_task)
        return render(request, "annotate/curation.html#alignment", context)
    ws = workspace_load(gold, with_tokens=not request.htmx, rows=rows_by_task[gold.pk])
    ws.editable = gold.is_open
    context.update(ws=ws, message="")
    if request.htmx:
        response = render(request, "annotate/curation.html#workspace", context)
    else:
        _alignment(context, gold, sets, labels, roles, rows_by_task)
        context.update(
            page_data=ws.page_data(gold, request.user.pk), sets=sets,
            open_tasks=[t for t in tasks if t.is_open],
            changes=history_described(gold.changes.select_related("by").order_by("-seq")[:HISTORY], document.text,
                                      labels, roles),
            reopen_form=ReopenForm(),
        )
        response = render(request, "annotate/curation.html", context)
    response["X-Task-Version"] = str(gold.version)
    return response


@login_required
@require_POST
def curation_finish(request, slug, document):
    """Accept the gold set as the document's gold (or, with edit=1, take it back into curation)."""
    project, _access = project_for(request.user, slug, "curate")
    gold = Task.gold_sets.filter(project=project, document_id=document).first()
    if gold is None:
        raise Http404(_("This document has no gold set yet."))
    try:
        if request.POST.get("edit"):
            gold_edit(task=gold, by=request.user)
            messages.success(request, _("The gold set is open for curation again."))
        else:
            gold_finish(task=gold, by=request.user)
            messages.success(request, _("Accepted as gold."))
            return redirect("annotate:curation", slug=project.slug)
    except CurationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("annotate:curate", slug=project.slug, document=document)
