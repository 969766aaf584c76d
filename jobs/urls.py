from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="jobs"),
    path("<uuid:pk>/", views.job_detail, name="job"),
    path("<uuid:pk>/file", views.job_file, name="file"),
    path("<uuid:pk>/cancel", views.job_cancel_view, name="cancel"),
]
