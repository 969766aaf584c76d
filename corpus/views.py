from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render

from config.paging import page_number

from .formats.sources import upload_too_large
from .forms import ImportForm
from .jobs import documents_import_enqueue
from .models import Collection, Document
from .permissions import can_browse, can_import

PAGE_SIZE = 50


def _require(check, request):
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if not check(request.user):
        raise PermissionDenied
    return None


def collection_list(request):
    if denied := _require(can_browse, request):
        return denied
    return render(
        request,
        "corpus/collection_list.html",
        {"collections": Collection.objects.all(), "can_import": can_import(request.user)},
    )


def collection_detail(request, slug):
    if denied := _require(can_browse, request):
        return denied
    collection = get_object_or_404(Collection, slug=slug)
    query = request.GET.get("q", "")[:200]
    language = request.GET.get("language", "")[:16]
    try:
        page = page_number(request.GET.get("page"))
    except ValueError:
        page = 1
    documents = Document.objects.filter(collection=collection).listing().search(query)
    if language:
        documents = documents.filter(language=language)
    # One row more than a page tells whether there is a next page without counting a million rows.
    rows = list(documents.order_by("id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    context = {
        "collection": collection,
        "documents": rows[:PAGE_SIZE],
        "has_next": len(rows) > PAGE_SIZE,
        "page": page,
        "query": query,
        "language": language,
    }
    template = "corpus/collection_detail.html#results" if request.htmx else "corpus/collection_detail.html"
    return render(request, template, context)


def document_detail(request, pk):
    if denied := _require(can_browse, request):
        return denied
    document = get_object_or_404(Document.objects.select_related("collection", "segmentation"), pk=pk)
    segmentation = getattr(document, "segmentation", None)
    return render(
        request,
        "corpus/document_detail.html",
        {
            "document": document,
            "token_count": segmentation.token_count if segmentation else 0,
            "sentence_count": len(segmentation.sentence_starts()) if segmentation else 0,
        },
    )


def import_upload(request):
    """The upload form. A valid upload becomes a background job: the answer is the job's status part,
    which polls itself until the import report can be shown (a browser without htmx goes to the job's
    page, which does the same)."""
    if denied := _require(can_import, request):
        return denied
    too_large, job = None, None
    form = ImportForm(request.POST or None)
    files = request.FILES.getlist("files")
    if request.method == "POST":
        if not files:
            form.add_error(None, "Choose one or more files (.txt, .jsonl or .zip).")
        elif too_large := upload_too_large(files):
            form.add_error(None, too_large)
        if form.is_valid():
            data = form.cleaned_data
            job = documents_import_enqueue(
                owner=request.user, files=files, collection=data["collection"],
                new_collection=data["new_collection"], fmt=data["format"], language=data["language"],
                encoding=data["encoding"] or None, skip_invalid=data["skip_invalid"],
            )
            if not request.htmx:
                return redirect(job)
    context = {"form": form, "job": job, "result": {}, "result_template": "corpus/import.html#report"}
    template = "corpus/import.html#result" if request.htmx else "corpus/import.html"
    status = 413 if too_large else (400 if form.errors else (202 if job else 200))
    return render(request, template, context, status=status)
