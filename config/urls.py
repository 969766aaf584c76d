from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from annotate.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("corpus/", include("corpus.urls")),
    path("annotate/", include("annotate.urls")),
    path("api/v1/", include("corpus.api_urls")),
    path("api/v1/projects/", include("annotate.api_urls")),
    path("api/v1/schema", SpectacularAPIView.as_view(), name="openapi-schema"),
]
