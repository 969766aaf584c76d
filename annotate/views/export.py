"""The export page: the export's parameters as a form, a preview of what it will hold, the download (the
API's own URL, so that a browser and a script fetch the same file), the same export written to a file by a
background job (POST), and the `curl` line for a token."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from annotate.export import (
    WRITERS,
    ExportOptions,
    ExportParameterError,
    export_check,
    export_counts,
    export_dry_run,
)
from annotate.export.options import PARAMETERS
from annotate.jobs import export_file_enqueue

from .access import project_for

# Up to this many records the preview writes the export to nowhere to count misaligned spans too.
PREVIEW_DRY_RUN_UP_TO = 1_000


def _fields(params) -> list[dict]:
    return [{"name": name, "choices": values, "help": help_text, "value": params.get(name, "")}
            for name, values, help_text in PARAMETERS]


@login_required
def export_page(request, slug):
    project, access = project_for(request, slug, "curate")
    params = {name: request.GET.get(name, "").strip()[:500] for name, _values, _help in PARAMETERS}
    params = {name: value for name, value in params.items() if value}
    context = {"project": project, "access": access, "fields": _fields(params), "error": "", "summary": None}
    try:
        options = ExportOptions.from_params(params, list(WRITERS))
        export_check(project=project, options=options, user=request.user)
    except ExportParameterError as error:
        context["error"] = str(error)
    else:
        if request.method == "POST":  # the export written to a file by a background job: its page follows it
            return redirect(export_file_enqueue(project=project, owner=request.user, params=params, options=options))
        counts = export_counts(project=project, options=options)
        if counts["records"] <= PREVIEW_DRY_RUN_UP_TO:
            counts = export_dry_run(project=project, options=options).summary()
        counts = {"entities": None, "misaligned": None, **counts}
        query = urlencode(params)
        url = reverse("annotate-api:export", kwargs={"slug": project.slug}) + (f"?{query}" if query else "")
        context.update(
            summary=counts, download=url, query=query, aligned=options.format in ("conll", "spacy"),
            curl=f'curl -H "Authorization: Token $HABER_TOKEN" -o {project.slug}-{options.format}.'
                 f'{WRITERS[options.format].extension} "{request.build_absolute_uri(url)}"',
        )
    template = "annotate/export.html#preview" if request.htmx and request.htmx.target == "preview" else "annotate/export.html"
    return render(request, template, context, status=400 if context["error"] and not request.htmx else 200)
