from django.urls import path

from annotate import views
from annotate.views import importing, releases, training

app_name = "annotate"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("new", views.project_create_view, name="project_create"),
    path("next", views.next_task, name="next_any"),
    path("p/<slug:slug>/", views.project_dashboard, name="project"),
    path("p/<slug:slug>/next", views.next_task, name="next"),
    path("p/<slug:slug>/settings", views.project_settings, name="settings"),
    path("p/<slug:slug>/members", views.project_members, name="members"),
    path("p/<slug:slug>/guidelines", views.project_guidelines, name="guidelines"),
    path("p/<slug:slug>/schema", views.schema_page, name="schema"),
    path("p/<slug:slug>/schema.json", views.schema_download, name="schema_download"),
    path("p/<slug:slug>/assign", views.assign_page, name="assign"),
    path("p/<slug:slug>/tasks", views.task_list, name="tasks"),
    path("p/<slug:slug>/agreement", views.agreement_page, name="agreement"),
    path("p/<slug:slug>/curation", views.curation_queue, name="curation"),
    path("p/<slug:slug>/curation/<int:document>/", views.curation_page, name="curate"),
    path("p/<slug:slug>/curation/<int:document>/finish", views.curation_finish, name="curate_finish"),
    path("p/<slug:slug>/agreement.csv", views.agreement_csv, name="agreement_csv"),
    path("p/<slug:slug>/export", views.export_page, name="export"),
    path("p/<slug:slug>/import", importing.annotations_import_page, name="import"),
    path("p/<slug:slug>/models", views.model_evaluation, name="models"),
    path("p/<slug:slug>/models/train", training.model_train, name="models_train"),
    path("p/<slug:slug>/models/use", training.model_use_view, name="models_use"),
    path("p/<slug:slug>/models/retrain", training.model_retrain_view, name="models_retrain"),
    path("p/<slug:slug>/models/<str:version>/download", training.model_download, name="model-download"),
    path("p/<slug:slug>/releases", releases.releases_page, name="releases"),
    path("p/<slug:slug>/releases/diff", releases.release_diff_page, name="release_diff"),
    path("p/<slug:slug>/releases/<str:name>/", releases.release_page, name="release"),
    path("p/<slug:slug>/releases/<str:name>/download", releases.release_download, name="release_download"),
    path("p/<slug:slug>/releases/<str:name>/withdraw", releases.release_withdraw_view, name="release_withdraw"),
    path("t/<int:pk>/", views.task_detail, name="task"),
    path("t/<int:pk>/change", views.task_change, name="task_change"),
    path("t/<int:pk>/note", views.task_note_view, name="task_note"),
    path("t/<int:pk>/submit", views.task_submit_view, name="task_submit"),
    path("t/<int:pk>/unsubmit", views.task_unsubmit_view, name="task_unsubmit"),
    path("t/<int:pk>/skip", views.task_skip_view, name="task_skip"),
    path("t/<int:pk>/reopen", views.task_reopen_view, name="task_reopen"),
]
