"""Error pages: the API and script requests get JSON, people get the site's pages. A request that failed
because the database cannot be reached answers 503 with Retry-After, never 500: a client, a script or the
annotation page (which keeps its changes and sends them again) knows to come back."""

import errno
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import csrf, defaults

from config.middleware import wants_json

RETRY_AFTER_SECONDS = 5
UNREACHABLE = "The database cannot be reached just now; nothing saved before is lost. Try again in a few seconds."


def not_found(request, exception):
    if wants_json(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def permission_denied(request, exception):
    """Says why: the view's PermissionDenied carries the reason ("Only the task's annotator can change
    it.", "You need the curate permission in this project.")."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if wants_json(request):
        return JsonResponse({"detail": reason or "Not allowed."}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)


def database_unreachable(request):
    """503 for a request that failed on the database connection (an outage, a restart, a failover)."""
    if wants_json(request):
        response = JsonResponse({"detail": UNREACHABLE, "error": UNREACHABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


DISK_FULL = "The server's disk is full: nothing of this request was kept. Try again later, or tell the administrator."


def disk_full(request):
    """507 for a request that failed because the server could not write a file (an upload stored for a job)."""
    if wants_json(request):
        return JsonResponse({"detail": DISK_FULL, "error": DISK_FULL}, status=507)
    return HttpResponse(render_to_string("507.html"), status=507)


def server_error(request):
    error = sys.exc_info()[1]  # the error being handled
    if isinstance(error, OperationalError | InterfaceError):
        return database_unreachable(request)
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(request)
    if wants_json(request):
        return JsonResponse({"detail": _("The server failed; the error was logged.")}, status=500)
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a script (the annotation page's queue) is told in JSON that the token is out of
    date, so that it fetches the session's token and sends again; people get Django's page."""
    if wants_json(request):
        return JsonResponse({"error": _("The page's CSRF token is out of date (the session changed): fetch a "
                                        "fresh one and send again."), "csrf": True}, status=403)
    return csrf.csrf_failure(request, reason)
