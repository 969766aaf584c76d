"""An unauthenticated request to a JSON or htmx endpoint gets 401 JSON, never the login page.

`login_required` answers with a redirect to the login page; `fetch` and htmx follow it silently and get a
200 HTML page back, which a script could take for success (a save shown as "Saved" that was never stored).
Here, in one place, such a redirect becomes 401 with a message and the login address."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _


def wants_json(request) -> bool:
    """A script's request: htmx, fetch asking for JSON or sending it, or any API path."""
    return (
        request.headers.get("HX-Request") == "true"
        or "application/json" in request.headers.get("Accept", "")
        or request.content_type == "application/json"
        or request.path.startswith("/api/")
    )


class JsonUnauthenticatedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (301, 302, 303, 307, 308) and wants_json(request):
            login = resolve_url(settings.LOGIN_URL)
            if response.get("Location", "").split("?")[0] == login:
                answer = JsonResponse(
                    {"error": _("Your session ended: log in again."), "login_url": login}, status=401
                )
                answer["WWW-Authenticate"] = 'Session realm="haber"'
                return answer
        return response
