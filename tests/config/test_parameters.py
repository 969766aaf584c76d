"""Every query parameter of every URL is read once, before any view: NUL bytes, other control characters,
lone surrogates and over-long values answer 400 naming the parameter, on the pages and the API alike (the
API's declared parameters are fuzzed by tests/test_openapi_fuzz.py as well)."""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from annotate.models import Role
from annotate.services import tasks_assign
from config.parameters import MAX_UNKNOWN_NAMED, MAX_VALUE_CHARS, parameter_problem, unknown_parameters
from tests.factories import make_collection, make_documents, make_project, make_user

HOSTILE = {"nul": "\x00", "control": "a\x1bb", "surrogate": "%ED%A0%80", "long": "x" * (MAX_VALUE_CHARS + 1)}
# Parameters the pages and the API read, and one nobody reads.
NAMES = ["language", "annotator", "collection", "q", "format", "page", "status", "labels", "split", "source",
         "next", "made_up"]


def test_parameter_problems_are_named_in_words():
    assert parameter_problem("language", "tr") == ""
    assert parameter_problem("q", "Erdoğan\tAnkara\n") == ""  # tabs and newlines are text
    assert parameter_problem("language", "\x00") == \
        "The query parameter ‘language’ has a NUL byte (U+0000) in its value."
    assert "a lone surrogate (U+D800)" in parameter_problem("q", "\ud800")
    assert "a control character (U+001B)" in parameter_problem("q", "\x1b")
    assert parameter_problem("q", "x" * 5000) == "The query parameter ‘q’ is too long (5,000 characters; at most 4,000)."
    assert "in its name" in parameter_problem("a\x00", "1")


def _routes():
    """Every URL of the URL conf, its converters filled with values of the right shape."""
    def walk(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    samples = {"slug": "p", "int": "1", "uuid": str(uuid.uuid4()), "str": "x", "path": "x"}
    for route in walk(get_resolver()):
        if route.startswith("^") or "(?P" in route:  # regular expressions (the admin's, static): not ours
            continue
        yield "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples.get(m.group(1) or "str", "x"), route)


@pytest.fixture
def signed_in(client, db):
    collection = make_collection("wire")
    make_documents(collection, 2)
    user, annotator = make_user("staff", is_staff=True, is_superuser=True), make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1,
                           members=[(user, Role.MANAGER), (annotator, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[annotator])
    client.force_login(user)
    client.raise_request_exception = False
    return client


def test_unknown_names_are_named_with_the_nearest_and_a_flood_of_them_briefly():
    assert unknown_parameters(["model"], ["model"]) == ""
    assert unknown_parameters(["formt", "x"], ["format", "source"]) == (
        "Unknown parameter: formt (did you mean format?), x. This request takes: format, source.")
    flood = unknown_parameters([f"made_up_{i:04d}" for i in range(900)], ["format"])
    assert flood.count("made_up_") == MAX_UNKNOWN_NAMED and "…" in flood and len(flood) < 300


@pytest.mark.slow
def test_every_url_answers_400_naming_the_parameter_to_every_hostile_value(signed_in):
    routes = sorted(set(_routes()))
    assert len(routes) > 40 and "/annotate/p/p/export" in routes
    failures = []
    for path in routes:
        for kind, value in HOSTILE.items():
            for name in NAMES:
                query = f"{name}={value}" if kind == "surrogate" else {name: value}
                for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
                    answer = (signed_in.get(f"{path}?{query}", **headers) if isinstance(query, str)
                              else signed_in.get(path, query, **headers))
                    raw = b"".join(answer.streaming_content) if answer.streaming else answer.content
                    body = raw.decode(errors="replace")
                    if kind == "surrogate":  # decoded by Django as U+FFFD: harmless text, any answer but a 5xx
                        if answer.status_code >= 500 and not path.startswith("/healthz"):  # (no job worker here)
                            failures.append((path, kind, name, answer.status_code))
                        continue
                    if answer.status_code != 400 or f"‘{name}’" not in body:
                        failures.append((path, kind, name, answer.status_code))
    assert failures == []
