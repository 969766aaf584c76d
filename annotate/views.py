from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from corpus.permissions import can_browse, can_import

from .models import Project


@login_required
def home(request):
    return render(
        request,
        "home.html",
        {
            "projects": Project.objects.prefetch_related("collections")[:50],
            "can_browse": can_browse(request.user),
            "can_import": can_import(request.user),
        },
    )


@login_required
def project_list(request):
    return render(
        request, "annotate/project_list.html", {"projects": Project.objects.prefetch_related("collections")}
    )
