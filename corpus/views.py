from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, render

from .formats.sources import inputs_from_uploads, upload_too_large
from .forms import ImportForm
from .models import Collection, Document
from .permissions import can_browse, can_import
from .services import collection_create, documents_import

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
        page = max(1, int(request.GET.get("page", "1")))
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
    if denied := _require(can_import, request):
        return denied
    report, too_large = None, None
    form = ImportForm(request.POST or None)
    files = request.FILES.getlist("files")
    if request.method == "POST":
        if not files:
            form.add_error(None, "Choose one or more files (.txt, .jsonl or .zip).")
        elif too_large := upload_too_large(files):
            form.add_error(None, too_large)
        if form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                collection = data["collection"] or collection_create(slug=data["new_collection"])
                report = documents_import(
                    collection=collection,
                    inputs=inputs_from_uploads(files),
                    fmt=data["format"],
                    language=data["language"],
                    encoding=data["encoding"] or None,
                    skip_invalid=data["skip_invalid"],
                    workers=settings.CORPUS_IMPORT_WORKERS,
                )
                if not report.committed and not data["collection"]:
                    transaction.set_rollback(True)  # a new collection with nothing in it is not kept either
            report.collection = collection
    fresh = None
    if report is not None and report.committed and request.htmx and not form.cleaned_data.get("collection"):
        # A new collection: the page's own list of collections gains it, chosen, without a reload (htmx
        # swaps these fields out of band, by their ids).
        fresh = ImportForm(initial={"collection": collection.pk})
        for name in ("collection", "new_collection"):
            fresh.fields[name].widget.attrs["hx-swap-oob"] = "true"
    context = {"form": form, "report": report, "fresh": fresh}
    template = "corpus/import.html#result" if request.htmx else "corpus/import.html"
    status = 413 if too_large else (400 if report and not report.committed else 200)
    return render(request, template, context, status=status)
