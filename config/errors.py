"""Error pages: the API and script requests get JSON, people get the site's pages."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from config.middleware import wants_json


def not_found(request, exception):
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """Says why: the view's PermissionDenied carries the reason ("Only the task's annotator can change
    it.", "You need the curate permission in this project.")."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if wants_json(request):
        return JsonResponse({"detail": reason or "Not allowed."}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": "The server failed; the error was logged."}, status=500)
    return defaults.server_error(request)
