"""The schema page: every label with its colour and key, upload a JSON schema, download the current one."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from annotate.models import Label, Layer
from annotate.permissions import project_for
from annotate.services import SchemaError, schema_dump, schema_load
from annotate.views.forms import SchemaUploadForm


@login_required
def schema_page(request, slug):
    project, access = project_for(request.user, slug, "view")
    form = SchemaUploadForm()
    problems = []
    if request.method == "POST":
        access.require("manage")
        form = SchemaUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                data = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
                changes = schema_load(project=project, data=data)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                problems = [_("The file is not UTF-8 JSON: %(error)s") % {"error": error}]
            except SchemaError as error:
                problems = error.problems
            else:
                messages.success(request, changes.summary())
                return redirect("annotate:schema", slug=project.slug)
    labels = list(Label.objects.filter(project=project).prefetch_related("roles__allowed_labels"))
    layers = [(layer.value, layer.label, [lab for lab in labels if lab.layer == layer]) for layer in Layer]
    return render(
        request,
        "annotate/schema.html",
        {"project": project, "access": access, "layers": layers, "form": form, "problems": problems},
        status=400 if problems or form.errors else 200,
    )


@login_required
def schema_download(request, slug):
    project, _access = project_for(request.user, slug, "view")
    body = json.dumps(schema_dump(project), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-schema.json"'
    return response
