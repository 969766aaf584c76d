"""Projects, their label schemas, members, tasks, progress counters and annotations."""

from .agreement import DocumentAgreement, ProjectAgreement
from .annotations import AnnotationChange, Event, EventArgument, Span
from .progress import DurationBucket, ProgressCounter
from .projects import Membership, Project, Role
from .schema import EventRole, Label, Layer
from .tasks import Task, TaskKind, TaskStatus, TaskTransition

__all__ = [
    "AnnotationChange",
    "DocumentAgreement",
    "DurationBucket",
    "Event",
    "EventArgument",
    "EventRole",
    "Label",
    "Layer",
    "Membership",
    "ProgressCounter",
    "Project",
    "ProjectAgreement",
    "Role",
    "Span",
    "Task",
    "TaskKind",
    "TaskStatus",
    "TaskTransition",
]
