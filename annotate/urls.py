from django.urls import path

from . import views

app_name = "annotate"
urlpatterns = [
    path("", views.project_list, name="projects"),
]
