"""The import page: an annotation file (ours, doccano's, Label Studio's, CoNLL, brat, INCEpTION's XMI, spaCy's)
into the project, as the API and the command take it, for a manager in the browser. The upload becomes a
background job; the answer is the job's status part, which polls itself until the report can be shown (a
browser without htmx goes to the job's page, which does the same)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from annotate.jobs import annotations_import_request
from annotate.permissions import project_for
from annotate.views.forms import AnnotationImportForm


@login_required
def annotations_import_page(request, slug):
    project, access = project_for(request.user, slug, "manage")
    posted = request.method == "POST"
    form = AnnotationImportForm(request.POST if posted else None, request.FILES if posted else None, project=project,
                                user=request.user)
    job = None
    if posted and form.is_valid():
        try:
            job = annotations_import_request(project=project, by=request.user, upload=form.cleaned_data["file"],
                                             options=form.options())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                return redirect(job)
    context = {"project": project, "access": access, "form": form, "job": job}
    template = "annotate/import.html#result" if request.htmx else "annotate/import.html"
    return render(request, template, context, status=400 if form.errors else (202 if job else 200))
