from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotate.views import home
from config.accounts import LoginView, csrf_token_view
from config.api_token import api_token_view
from config.language import language_choose
from config.observability import healthz, healthz_jobs
from config.password_reset import PasswordResetForm
from config.scripts_i18n import javascript_catalog
from config.whoami import MeView

accounts = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("csrf", csrf_token_view, name="csrf-token"),
    path("language", language_choose, name="language"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("token", api_token_view, name="api_token"),
]
if settings.PASSWORD_RESET_ENABLED:  # a reset link needs e-mail to reach anyone
    accounts += [
        path("password_reset/", auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
             name="password_reset"),
        path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
        path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
        path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    ]

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),  # the web process: for a load balancer
    path("healthz/jobs", healthz_jobs, name="healthz-jobs"),  # the job workers: for monitoring
    path("accounts/", include(accounts)),
    path("admin/", admin.site.urls),
    path("jsi18n/<str:language>.js", javascript_catalog, name="javascript-catalog"),  # config/scripts_i18n.py
    path("corpus/", include("corpus.urls")),
    path("annotate/", include("annotate.urls")),
    path("jobs/", include("jobs.urls")),
    path("api/v1/", include("corpus.api_urls")),
    path("api/v1/projects/", include("annotate.api.urls")),
    path("api/v1/jobs/", include("jobs.api_urls")),
    path("api/v1/me", MeView.as_view(), name="api-me"),
    path("api/v1/schema", SpectacularAPIView.as_view(), name="openapi-schema"),
    # Swagger UI writes a <style> element of its own as it starts; its page alone allows inline styles (not
    # scripts), and has no nonce, which would make browsers ignore 'unsafe-inline'.
    path("api/v1/docs", csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
        SpectacularSwaggerSplitView.as_view(url_name="openapi-schema")), name="api-docs"),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
