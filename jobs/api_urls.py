from django.urls import path

from . import api

app_name = "jobs-api"

urlpatterns = [
    path("", api.JobsView.as_view(), name="jobs"),
    path("<uuid:pk>", api.JobView.as_view(), name="job"),
    path("<uuid:pk>/file", api.JobFileView.as_view(), name="file"),
    path("<uuid:pk>/cancel", api.JobCancelView.as_view(), name="cancel"),
]
