"""The login page's words about django-axes' lock: how many wrong passwords are left before the login is
locked, and for how long (in minutes, not the ISO 8601 duration axes hands its template)."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.middleware.csrf import CSRF_SESSION_KEY, get_token
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def _minutes(request) -> int:
    cool_off = get_cool_off(request)
    return int(cool_off.total_seconds() // 60) if cool_off else 0


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, saying for how many minutes."""
    return render(request, "registration/locked_out.html", {"minutes": _minutes(request)}, status=429)


class LoginView(auth_views.LoginView):
    def form_invalid(self, form):
        credentials = {"username": form.data.get("username", "")}
        left = get_failure_limit(self.request, credentials) - AxesProxyHandler.get_failures(self.request, credentials)
        return self.render_to_response(self.get_context_data(form=form, attempts_left=max(left, 0),
                                                             minutes=_minutes(self.request)))


@never_cache
def csrf_token_view(request):
    """GET /accounts/csrf: the session's CSRF token, for a page whose token went out of date because the
    session changed under it (a login in another tab); 401 without a session to take one from."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": _("Your session ended: log in again.")}, status=401)
    return JsonResponse({"token": get_token(request)})


def csrf_secret_at_login(sender, request, user, **kwargs):
    """The session gets its CSRF secret when it begins (CSRF_USE_SESSIONS), the one login() has just rotated
    in: the first page after a login then writes nothing to the session, whoever logged in (a login form,
    an administrator's "log in as", a test's force_login)."""
    secret = getattr(request, "META", {}).get("CSRF_COOKIE")
    session = getattr(request, "session", None)
    if secret and session is not None:
        session[CSRF_SESSION_KEY] = secret
