from .agreement import agreement_csv, agreement_page
from .annotation import task_change, task_detail, task_note_view
from .assignment import assign_page
from .curation import curation_finish, curation_page, curation_queue
from .evaluation import model_evaluation
from .export import export_page
from .home import home, next_task
from .projects import (
    project_create_view,
    project_dashboard,
    project_guidelines,
    project_list,
    project_members,
    project_settings,
)
from .schema import schema_download, schema_page
from .tasks import task_list, task_reopen_view, task_skip_view, task_submit_view

__all__ = [
    "agreement_csv",
    "agreement_page",
    "assign_page",
    "curation_finish",
    "curation_page",
    "curation_queue",
    "export_page",
    "home",
    "model_evaluation",
    "next_task",
    "project_create_view",
    "project_dashboard",
    "project_guidelines",
    "project_list",
    "project_members",
    "project_settings",
    "schema_download",
    "schema_page",
    "task_change",
    "task_detail",
    "task_list",
    "task_note_view",
    "task_reopen_view",
    "task_skip_view",
    "task_submit_view",
]
