"""One place reads every request's query parameters before any view does: a NUL byte, another control
character, a lone surrogate or an over-long value answers 400 naming the parameter (JSON for scripts and
htmx, a short page for people), so no page, API view or form ever meets them (a NUL reaching PostgreSQL is
a 500). Bodies are checked where they are parsed (config/parsers.py, the forms)."""

import difflib
import re
from collections.abc import Iterable
from html import escape

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError

from config.middleware import wants_json

MAX_VALUE_CHARS = 4000  # a list of collection slugs or label names fits many times over
MAX_NAME_CHARS = 100
MAX_UNKNOWN_NAMED = 10  # a request with hundreds of made-up names gets a short answer
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def parameter_problem(name: str, value: str) -> str:
    """What is wrong with one query parameter, in words, or ""."""
    shown = name if not FORBIDDEN.search(name) and len(name) <= MAX_NAME_CHARS else repr(name[:40])
    for text, what in ((name, "name"), (value, "value")):
        if found := FORBIDDEN.search(text):
            char = found.group()
            kind = "a lone surrogate" if "\ud800" <= char <= "\udfff" else (
                "a NUL byte" if char == "\x00" else "a control character")
            return f"The query parameter ‘{shown}’ has {kind} (U+{ord(char):04X}) in its {what}."
    if len(name) > MAX_NAME_CHARS:
        return f"A query parameter's name is too long ({len(name):,} characters; at most {MAX_NAME_CHARS})."
    if len(value) > MAX_VALUE_CHARS:
        return f"The query parameter ‘{shown}’ is too long ({len(value):,} characters; at most {MAX_VALUE_CHARS:,})."
    return ""


def unknown_parameters(names: Iterable[str], known: list[str]) -> str:
    """What a request of an API that reads only `known` names says of the others, with the nearest known
    name of each, or "": left unsaid, a slip (`sets=gold` for `source=gold`) gives another answer than the
    one asked for. For the API, where scripts write the names; a page's form sends only its own."""
    unknown = sorted({name for name in names if name not in known})
    if not unknown:
        return ""
    named = []
    for name in unknown[:MAX_UNKNOWN_NAMED]:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        named.append(_("%(name)s (did you mean %(close)s?)") % {"name": name, "close": close[0]} if close else name)
    if len(unknown) > MAX_UNKNOWN_NAMED:
        named.append("…")
    return _("Unknown parameter: %(names)s. This request takes: %(known)s.") % {
        "names": ", ".join(named), "known": ", ".join(known)}


def only_parameters(request, known: list[str]) -> None:
    """For an API view: a 400 (DRF's ParseError, {"detail": …}) naming the query parameters it does not
    take (unknown_parameters)."""
    if problem := unknown_parameters(request.query_params, known):
        raise ParseError(problem)


class QueryParameterCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            for value in values or [""]:
                if problem := parameter_problem(name, value):
                    return refuse(request, problem)
        return self.get_response(request)


def refuse(request, problem: str):
    if wants_json(request):
        return JsonResponse({"error": problem, "detail": problem}, status=400, json_dumps_params={"ensure_ascii": False})
    page = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad address · Haber</title></head>'
            f"<body><h1>This address cannot be read</h1><p>{escape(problem)}</p>"
            f'<p><a href="/">Back to your work</a></p></body></html>')
    return HttpResponse(page, status=400)
