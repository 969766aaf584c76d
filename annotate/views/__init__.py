from annotate.views.agreement import agreement_csv, agreement_page
from annotate.views.annotation import task_change, task_detail, task_note_view
from annotate.views.assignment import assign_page
from annotate.views.curation import curation_finish, curation_page, curation_queue
from annotate.views.evaluation import model_evaluation
from annotate.views.export import export_page
from annotate.views.home import home, next_task
from annotate.views.projects import (
    project_create_view,
    project_dashboard,
    project_guidelines,
    project_list,
    project_members,
    project_settings,
)
from annotate.views.schema import schema_download, schema_page
from annotate.views.tasks import (
    task_list,
    task_reopen_view,
    task_skip_view,
    task_submit_view,
    task_unsubmit_view,
)

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
    "task_unsubmit_view",
]
