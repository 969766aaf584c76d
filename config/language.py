"""The interface's language (issue #32): English, Turkish or Albanian. A person's choice (the menu's
language form) is kept with their account and brought back at each login; until they choose, the
browser's Accept-Language decides (Django's LocaleMiddleware), and for a visitor not logged in the choice
is kept in the language cookie. The choice travels in the session, so no request pays a query for it."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from config.models import UserLanguage

SESSION_KEY = "language"


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware, with the person's own choice (in the session) first."""

    def process_request(self, request):
        session = getattr(request, "session", None)
        chosen = session.get(SESSION_KEY) if session is not None and session.session_key else None
        if chosen in dict(settings.LANGUAGES):
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
            return
        super().process_request(request)


def language_at_login(sender, request, user, **kwargs):
    """user_logged_in: the language this person chose before, if any, for the new session."""
    chosen = UserLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    if chosen in dict(settings.LANGUAGES):
        request.session[SESSION_KEY] = chosen


@require_POST
def language_choose(request):
    """POST language=<code>&next=<path>: the choice kept (the account's, the session's and the cookie, so
    that the login page after a logout speaks it too), then back to where the person was."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated:
        UserLanguage.objects.update_or_create(user=request.user, defaults={"language": language})
        request.session[SESSION_KEY] = language
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE, httponly=True)
    return response
