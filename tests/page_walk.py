"""The site's pages, found by walking the URL conf (its own pages: not the API, the admin or the files), each
route filled from the demo data (`load_demo`): shared by the accessibility run (tests/browser) and the
language check (tests/config/test_pages_in_language.py)."""

import re

from django.urls import URLPattern, URLResolver, get_resolver

NAMESPACES = {None, "annotate", "corpus", "jobs"}  # the site's pages; the API, admin and files are not pages
LEFT_OUT = {"logout", "language", "csrf-token", "javascript-catalog", "healthz", "healthz-jobs",
            "openapi-schema", "api-docs"}  # not pages a person reads, or not ours (Swagger UI)
EXPECTED = {"home", "annotate:projects", "annotate:project", "annotate:task", "annotate:curation",
            "annotate:curate", "annotate:agreement", "annotate:export", "annotate:releases", "annotate:release",
            "annotate:models", "annotate:schema", "annotate:assign", "annotate:members", "annotate:settings",
            "annotate:tasks", "annotate:guidelines", "corpus:collections", "corpus:collection", "corpus:document",
            "corpus:import", "jobs:jobs", "jobs:job"}


def routes(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if entry.namespace and entry.namespace not in NAMESPACES:
                continue
            yield from routes(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name and namespace in NAMESPACES:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            if name not in LEFT_OUT:
                yield name, prefix + str(entry.pattern)


def demo_values():
    from annotate.models import Project, Release, Task
    from corpus.models import Document
    from jobs.models import Job

    project = Project.objects.get(slug="demo")
    release = Release.objects.select_related("project").order_by("created_at").first()  # demo-1, in its project
    gold_document = Task.objects.filter(project=project, finished_at__isnull=False).values_list(
        "document_id", flat=True).first()
    return {
        "slug": project.slug, "document": gold_document,
        "pk": None,  # depends on the route: a task, a document or a job
        "task": Task.objects.filter(project=project, annotator__username="annotator1").first().pk,
        "corpus_document": Document.objects.filter(collection__slug="demo-news").first().pk,
        "collection": "demo-news", "job": str(Job.objects.order_by("created_at").first().pk),
        "release": release.name, "release_project": release.project.slug,
    }


def fill(name: str, route: str, values: dict) -> str | None:
    """The route with its parameters taken from the demo; None for a route that is not a page to read."""
    if route.endswith((".csv", ".json", "download", "file", "/change", "/note", "/submit", "/unsubmit",
                       "/skip", "/reopen", "/finish", "/train", "/use", "/retrain", "/withdraw", "/cancel", "next")):
        return None
    pk = {"annotate": values["task"], "corpus": values["corpus_document"], "jobs": values["job"]}.get(
        name.split(":")[0])
    slug = values["release_project"] if name.startswith("annotate:release") else values["slug"]
    fills = {"slug": values["collection"] if name.startswith("corpus:") else slug,
             "document": values["document"], "pk": pk, "name": values["release"], "version": "x"}

    def one(match):
        return str(fills[match.group(2)])

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", one, route)


def demo_pages(values: dict) -> list[tuple[str, str]]:
    """(route name, URL) of every page to read, filled from demo_values()."""
    return [(name, url) for name, route in routes() if (url := fill(name, route, values))]
