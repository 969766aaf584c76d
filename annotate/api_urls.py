from django.urls import path

from . import api

app_name = "annotate-api"
urlpatterns = [
    path("", api.ProjectListView.as_view(), name="projects"),
    path("<slug:slug>/schema", api.SchemaView.as_view(), name="schema"),
    path("<slug:slug>/progress", api.ProgressView.as_view(), name="progress"),
    path("<slug:slug>/tasks/next", api.NextTaskView.as_view(), name="next-task"),
    path("<slug:slug>/assign", api.AssignView.as_view(), name="assign"),
]
