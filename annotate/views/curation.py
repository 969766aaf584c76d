"""The curators' queue: the project's documents ready for curation (every assigned annotator has
submitted or skipped), the lowest agreement first, each with its annotators' sets."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import F, OuterRef, Subquery
from django.shortcuts import render

from annotate.agreement.report import project_tally
from annotate.models import DocumentAgreement, Task, TaskStatus
from corpus.models import Document

from .access import project_for

PAGE_SIZE = 50


@login_required
def curation_queue(request, slug):
    project, access = project_for(request, slug, "curate")
    project_tally(project)  # brings each document's kept agreement up to date (only what changed)
    try:
        page = max(1, int(request.GET.get("page", "1")))
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
    for task in (Task.objects.filter(project=project, document_id__in=ids, status=TaskStatus.SUBMITTED)
                 .select_related("annotator").only("id", "document_id", "annotator__username").order_by("id")):
        sets[task.document_id].append(task)
    items = [{"document": documents.get(row["document_id"]), "score": row["score"],
              "sets": sets[row["document_id"]]} for row in shown]
    return render(request, "annotate/curation_queue.html", {
        "project": project, "access": access, "items": items, "page": page, "has_next": len(rows) > PAGE_SIZE,
        "ready": Task.objects.ready_counts([project.pk]).get(project.pk, 0),
    })
