"""Kinds of job behind one small interface, as the export writers are: a kind has a name, a function that
does the work and a template part that shows its result. Apps register their kinds when they are ready
(corpus: documents.import; annotate: tasks.assign, annotations.import, export.file)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .progress import Progress


class UnknownJobKind(LookupError):
    pass


class JobError(Exception):
    """A failure the person who started the job can act on: its message is shown as is."""


class JobCancelled(Exception):
    """Raised by a kind's function when progress.cancelled says somebody asked it to stop: the job ends as
    cancelled (what it wrote in its transaction is rolled back; what it committed before stays)."""


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Callable[[Any, Progress], dict]  # (job, progress) -> the result, JSON
    result_template: str  # the part of a page that shows the result ("corpus/import.html#report")
    unit: str = "items"
    result_context: Callable[[Any, Any], dict] | None = None  # (job, request) -> more for that template
    cancellable: bool = False  # its function looks at progress.cancelled and stops part-way
    live_template: str = ""  # a part shown while it runs (a training run's epochs), with result_context's data


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, *, result_template: str, unit: str = "items", result_context=None, cancellable=False,
             live_template: str = ""):
    """Register the decorated function as the job kind `name`."""

    def register(function):
        KINDS[name] = JobKind(name=name, run=function, result_template=result_template, unit=unit,
                              result_context=result_context, cancellable=cancellable, live_template=live_template)
        return function

    return register


def kind_get(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        known = ", ".join(sorted(KINDS)) or "none"
        raise UnknownJobKind(f"No job kind {name!r}; the known kinds are: {known}.") from None


# Who manages which projects is the annotate app's business; it registers a function here that gives, for
# a user, the ids of the projects whose jobs that user may see (a queryset is fine: it stays one query).
MANAGED_PROJECTS: list[Callable[[Any], Any]] = []


def managed_projects_provider(function):
    MANAGED_PROJECTS.append(function)
    return function


def managed_project_ids(user) -> list:
    ids = []
    for provider in MANAGED_PROJECTS:
        ids.append(provider(user))
    return ids
