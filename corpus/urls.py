from django.urls import path

from . import views

app_name = "corpus"
urlpatterns = [
    path("", views.collection_list, name="collections"),
    path("import/", views.import_upload, name="import"),
    path("c/<slug:slug>/", views.collection_detail, name="collection"),
    path("d/<int:pk>/", views.document_detail, name="document"),
]
