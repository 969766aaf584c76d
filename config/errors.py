"""Error pages: the API and script requests get JSON, people get the site's pages."""

from django.http import JsonResponse
from django.views import defaults

from config.middleware import wants_json


def not_found(request, exception):
    if wants_json(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if wants_json(request):
        return JsonResponse({"detail": "The server failed; the error was logged."}, status=500)
    return defaults.server_error(request)
