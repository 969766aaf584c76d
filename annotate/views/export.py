"""The export page: the export's parameters as a form, a preview of what it will hold, the download (the
API's own URL, so that a browser and a script fetch the same file), the same export written to a file by a
background job (POST), and the `curl` line for a token."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from annotate.interop.export import PARAMETERS, WRITERS, ExportParameterError, export_options, export_summary
from annotate.jobs import export_file_enqueue
from annotate.permissions import collections_readable, project_for

# The parameters in words a person uses (the API and the command keep the names).
LABELS = {"format": _("Format"), "source": _("Who annotated"), "collection": _("Collections"),
          "language": _("Language"), "status": _("Which sets"), "published_from": _("Published from"),
          "published_to": _("Published until"), "labels": _("Labels"), "split": _("Split into"),
          "offsets": _("Offsets counted in"), "scheme": _("Tag scheme"), "suffix": _("Turkish suffixes"),
          "misaligned": _("A span that cuts a word"), "flavour": _("CoNLL layout"), "events": _("Event column"),
          "boilerplate": _("Boilerplate column"), "exclude_boilerplate": _("Leave boilerplate out")}


def _fields(params, collections) -> list[dict]:
    fields = []
    for name, values, help_text in PARAMETERS:
        field = {"name": name, "label": LABELS.get(name, name), "choices": values, "help": gettext(help_text),
                 "value": params.get(name, ""), "multiple": False}
        if name == "collection":  # chosen from a list: the project's collections this person may read
            field.update(choices=collections, multiple=True, chosen=set(params.get(name, "").split(",")))
        fields.append(field)
    return fields


@login_required
def export_page(request, slug):
    project, access = project_for(request.user, slug, "curate")
    # A list (collections) comes as the parameter repeated; the API takes it comma-separated.
    params = {name: ",".join(v.strip() for v in request.GET.getlist(name) if v.strip())[:500]
              for name, _values, _help in PARAMETERS}
    params = {name: value for name, value in params.items() if value}
    readable = sorted(set(project.collections.values_list("slug", flat=True))
                      & set(collections_readable(request.user).values_list("slug", flat=True)))
    context = {"project": project, "access": access, "fields": _fields(params, readable), "error": "",
               "summary": None, "params": params}
    try:
        options = export_options(project=project, params=params, user=request.user)
    except ExportParameterError as error:
        context["error"] = str(error)
    else:
        if request.method == "POST":  # the export written to a file by a background job: its page follows it
            return redirect(export_file_enqueue(project=project, owner=request.user, params=params, options=options))
        counts = {"entities": None, "misaligned": None, **export_summary(project=project, options=options)}
        query = urlencode(params)
        url = reverse("annotate-api:export", kwargs={"slug": project.slug}) + (f"?{query}" if query else "")
        context.update(
            summary=counts, download=url, query=query,
            download_action=reverse("annotate-api:export", kwargs={"slug": project.slug}), aligned=WRITERS[options.format].needs_tokens,
            curl=f'curl -H "Authorization: Token $HABER_TOKEN" -o {project.slug}-{options.format}.'
                 f'{WRITERS[options.format].extension} "{request.build_absolute_uri(url)}"',
        )
    template = "annotate/export.html#preview" if request.htmx and request.htmx.target == "preview" else "annotate/export.html"
    return render(request, template, context, status=400 if context["error"] and not request.htmx else 200)
