"""The page scripts' translations (static/js/annotate.js): Django's JavaScript catalog of the language the
address names, so that what a browser keeps under /jsi18n/tr.js is always Turkish, whoever asked."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

_catalog = JavaScriptCatalog.as_view()


@cache_control(max_age=3600, public=True)  # an hour: a new release's words reach browsers soon
def javascript_catalog(request, language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404(_("No such language."))
    with translation.override(language):
        return _catalog(request)
