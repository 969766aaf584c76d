from django.urls import path

from annotate.api import automation, interop, projects, releases, tool_configs, training

app_name = "annotate-api"
urlpatterns = [
    path("", automation.ProjectsView.as_view(), name="projects"),
    path("<slug:slug>/schema", projects.SchemaView.as_view(), name="schema"),
    path("<slug:slug>/progress", projects.ProgressView.as_view(), name="progress"),
    path("<slug:slug>/agreement", projects.AgreementView.as_view(), name="agreement"),
    path("<slug:slug>/models", projects.ModelEvaluationView.as_view(), name="models"),
    path("<slug:slug>/models/train", training.TrainView.as_view(), name="models-train"),
    path("<slug:slug>/models/runs", training.RunsView.as_view(), name="models-runs"),
    path("<slug:slug>/models/use", training.UseView.as_view(), name="models-use"),
    path("<slug:slug>/models/<str:version>/download", training.DownloadView.as_view(), name="model-download"),
    path("<slug:slug>/releases", releases.ReleasesView.as_view(), name="releases"),
    path("<slug:slug>/releases/<str:name>", releases.ReleaseView.as_view(), name="release"),
    path("<slug:slug>/releases/<str:name>/card", releases.CardView.as_view(), name="release-card"),
    path("<slug:slug>/releases/<str:name>/download", releases.DownloadView.as_view(), name="release-download"),
    path("<slug:slug>/releases/<str:name>/withdraw", releases.WithdrawView.as_view(), name="release-withdraw"),
    path("<slug:slug>/releases/<str:name>/diff/<str:other>", releases.DiffView.as_view(), name="release-diff"),
    path("<slug:slug>/members", automation.MembersView.as_view(), name="members"),
    path("<slug:slug>/tasks", automation.TasksView.as_view(), name="tasks"),
    path("<slug:slug>/tasks/next", projects.NextTaskView.as_view(), name="next-task"),
    path("<slug:slug>/assign", projects.AssignView.as_view(), name="assign"),
    path("<slug:slug>/export", interop.ExportView.as_view(), name="export"),
    path("<slug:slug>/export/report", interop.ExportReportView.as_view(), name="export-report"),
    path("<slug:slug>/export/file", interop.ExportFileView.as_view(), name="export-file"),
    path("<slug:slug>/annotations/import", interop.AnnotationImportView.as_view(), name="annotations-import"),
    path("<slug:slug>/interop/labelstudio-config.xml", tool_configs.LabelStudioConfigView.as_view(),
         name="labelstudio-config"),
    path("<slug:slug>/interop/doccano-labels.json", tool_configs.DoccanoLabelsView.as_view(), name="doccano-labels"),
]
