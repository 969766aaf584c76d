from django.urls import path

from . import api, api_admin, export_api

app_name = "annotate-api"
urlpatterns = [
    path("", api_admin.ProjectsView.as_view(), name="projects"),
    path("<slug:slug>/schema", api.SchemaView.as_view(), name="schema"),
    path("<slug:slug>/progress", api.ProgressView.as_view(), name="progress"),
    path("<slug:slug>/agreement", api.AgreementView.as_view(), name="agreement"),
    path("<slug:slug>/models", api.ModelEvaluationView.as_view(), name="models"),
    path("<slug:slug>/members", api_admin.MembersView.as_view(), name="members"),
    path("<slug:slug>/tasks", api_admin.TasksView.as_view(), name="tasks"),
    path("<slug:slug>/tasks/next", api.NextTaskView.as_view(), name="next-task"),
    path("<slug:slug>/assign", api.AssignView.as_view(), name="assign"),
    path("<slug:slug>/export", export_api.ExportView.as_view(), name="export"),
    path("<slug:slug>/export/report", export_api.ExportReportView.as_view(), name="export-report"),
    path("<slug:slug>/export/file", export_api.ExportFileView.as_view(), name="export-file"),
    path("<slug:slug>/annotations/import", export_api.AnnotationImportView.as_view(), name="annotations-import"),
]
