"""Projects, their label schemas, members, tasks, progress counters and annotations."""

from .agreement import DocumentAgreement, ProjectAgreement
from .annotations import AnnotationChange, Event, EventArgument, Span
from .progress import DurationBucket, ProgressCounter
from .projects import Membership, Project, Role
from .schema import EventRole, Label, Layer
from .suggestions import GazetteerEntry, RepeatedLine, SuggestionRejection
from .tasks import Task, TaskKind, TaskStatus, TaskTransition

__all__ = [
    "AnnotationChange",
    "DocumentAgreement",
    "DurationBucket",
    "Event",
    "EventArgument",
    "EventRole",
    "GazetteerEntry",
    "Label",
    "Layer",
    "Membership",
    "ProgressCounter",
    "Project",
    "ProjectAgreement",
    "RepeatedLine",
    "Role",
    "Span",
    "SuggestionRejection",
    "Task",
    "TaskKind",
    "TaskStatus",
    "TaskTransition",
]
