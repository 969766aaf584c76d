"""Projects, their label schemas, members, tasks, progress counters and annotations."""

from annotate.models.agreement import DocumentAgreement, ProjectAgreement
from annotate.models.annotations import AnnotationChange, Event, EventArgument, Span
from annotate.models.progress import DurationBucket, ProgressCounter
from annotate.models.projects import Membership, Project, Role
from annotate.models.releases import Release, ReleaseImmutable, ReleaseState
from annotate.models.schema import EventRole, Label, Layer
from annotate.models.suggestions import GazetteerEntry, ProjectRejection, RepeatedLine, SuggestionRejection
from annotate.models.tasks import Task, TaskKind, TaskStatus, TaskTransition
from annotate.models.training import DocumentUncertainty, TrainedModel, TrainingState

__all__ = [
    "AnnotationChange",
    "DocumentAgreement",
    "DocumentUncertainty",
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
    "ProjectRejection",
    "Release",
    "ReleaseImmutable",
    "ReleaseState",
    "RepeatedLine",
    "Role",
    "Span",
    "SuggestionRejection",
    "Task",
    "TaskKind",
    "TaskStatus",
    "TaskTransition",
    "TrainedModel",
    "TrainingState",
]
