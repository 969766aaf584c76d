"""Writes for projects, schemas, assignment and the task lifecycle: keyword-only, atomic, <thing>_<action>."""

from annotate.services.annotations import AnnotationError, StaleVersion, annotation_apply
from annotate.services.assignment import (
    AssignmentError,
    AssignReport,
    MoveReport,
    annotators_resolve,
    tasks_assign,
    tasks_reassign,
    tasks_unassign,
)
from annotate.services.lifecycle import (
    SubmitQuestion,
    TransitionError,
    task_note,
    task_open,
    task_reopen,
    task_skip,
    task_submit,
    task_unsubmit,
)
from annotate.services.projects import membership_add, membership_remove, project_create, project_update
from annotate.services.schema import (
    DEFAULT_SCHEMA,
    SchemaChanges,
    SchemaError,
    label_delete,
    label_retire,
    schema_dump,
    schema_load,
    schema_read,
)

__all__ = [
    "DEFAULT_SCHEMA",
    "AnnotationError",
    "AssignReport",
    "AssignmentError",
    "MoveReport",
    "SchemaChanges",
    "SchemaError",
    "StaleVersion",
    "SubmitQuestion",
    "TransitionError",
    "annotation_apply",
    "annotators_resolve",
    "label_delete",
    "label_retire",
    "membership_add",
    "membership_remove",
    "project_create",
    "project_update",
    "schema_dump",
    "schema_load",
    "schema_read",
    "task_note",
    "task_open",
    "task_reopen",
    "task_skip",
    "task_submit",
    "task_unsubmit",
    "tasks_assign",
    "tasks_reassign",
    "tasks_unassign",
]
