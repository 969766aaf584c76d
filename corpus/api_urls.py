from django.urls import path

from . import api

app_name = "corpus-api"
urlpatterns = [
    path("collections/", api.CollectionsView.as_view(), name="collections"),
    path("collections/<slug:slug>/import", api.CollectionImportView.as_view(), name="collection-import"),
]
