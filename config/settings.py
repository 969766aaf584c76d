"""Settings come from the environment (twelve-factor); the defaults make a fresh checkout run on SQLite."""

import json
import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.observability import logging_config, sentry_init
from config.storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once into var/ and kept."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]
# The CSRF token is kept in the session, not in a cookie of its own: it is bound to the session, so whoever can
# set a cookie on the host cannot forge a change with a token of theirs. The annotation page fetches a fresh
# one (/accounts/csrf) when a login in another tab changed the session.
CSRF_USE_SESSIONS = True
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "django_htmx",
    "axes",
    "django_tasks_db",
    "config.apps.SiteConfig",
    "limits",
    "jobs",
    "corpus",
    "annotate",
]

MIDDLEWARE = [
    "config.observability.RequestLogMiddleware",  # first: its time and query count cover everything
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.parameters.QueryParameterCheckMiddleware",  # before anything reads a parameter (or the database)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.language.LanguageMiddleware",  # the person's choice, else Accept-Language (config/language.py)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.sessions.AuthenticationMiddleware",  # Django's, with the user read with the session
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.htmx.HtmxMiddleware",  # django-htmx's, with Vary: HX-Request and history restores as pages
    "config.middleware.JsonUnauthenticatedMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "config.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive several annotators saving at once. WAL lets readers go on while one
    # request writes; every write transaction takes the write lock when it begins (IMMEDIATE), so two
    # transactions never both read and then fail to upgrade to a write ("database is locked"), and a
    # writer waits up to `timeout` seconds for the lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters travel separately from the SQL (bulk inserts of article text and token blobs are not
    # rendered into literals by the client).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = env_bool(
        "DB_SERVER_SIDE_BINDING", True
    )
    # A statement run this many times on a connection is prepared once (psycopg's own default): every
    # save runs the same few statements, and planning them again each time was PostgreSQL's largest
    # share. DB_PREPARE_THRESHOLD=off behind a pooler that cannot keep prepared statements.
    # Behind a pooler in transaction mode a server-side cursor (exports stream through one) may meet another
    # client's transaction: DB_DISABLE_SERVER_SIDE_CURSORS=1 there (docs/deploy.md).
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DB_DISABLE_SERVER_SIDE_CURSORS")
    _prepare = os.environ.get("DB_PREPARE_THRESHOLD", "5").strip().lower()
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = None if _prepare in ("", "off", "none") else int(_prepare)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Logins: django-axes counts failed attempts in the database (shared by every app server) and locks the
# username from that address out after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "config.auth_backends.ModelBackend",  # Django's, reading a session's user with one fixed statement
]
SESSION_ENGINE = "config.sessions"  # Django's database sessions, read with their user in one statement
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.accounts.lockout_response"  # says "15 minutes", not PT15M
AXES_VERBOSE = False

# E-mail (Django 6.1's MAILERS): SMTP only with EMAIL_HOST set, and only then is there a password-reset page
# (config/urls.py); without it mail is written to the console (development), which `check --deploy` reports.
_email_host = os.environ.get("EMAIL_HOST", "")
_smtp = {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {
        "host": _email_host,
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
    },
}
MAILERS = {"default": _smtp if _email_host else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = SERVER_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "haber@localhost")
PASSWORD_RESET_ENABLED = bool(_email_host)

LANGUAGE_CODE = "en"
# The interface's languages (config/language.py); the translations are in locale/ (.po and compiled .mo).
LANGUAGES = [("en", "English"), ("tr", "Türkçe"), ("sq", "Shqip")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]  # dates as each language writes them (config/formats/__init__.py)
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")  # the times pages show (stored in UTC): e.g. Europe/Istanbul
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Files on an S3-compatible object store when STORAGE_S3_BUCKET is set (config/storage.py, docs/deploy.md).
if _s3 := s3_storage(os.environ):
    STORAGES["default"] = _s3

# Uploads handed to background jobs wait here until a worker has read them: with several machines, a
# directory they all mount (docs/deploy.md).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "media/"  # never served: job files are read by workers and downloaded through a checked view

# Background jobs (jobs/): Django's Tasks framework, queued in our own database by django-tasks-db, run by
# `manage.py jobs_worker` (make run starts one). A running job writes its progress every
# JOBS_HEARTBEAT_SECONDS; one whose heartbeat stopped for JOBS_STALE_SECONDS is failed by the next worker
# (its worker was killed); every worker says it is alive every JOBS_BEAT_SECONDS (/healthz).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "2"))
JOBS_STALE_SECONDS = float(os.environ.get("JOBS_STALE_SECONDS", "30"))
JOBS_BEAT_SECONDS = float(os.environ.get("JOBS_BEAT_SECONDS", "10"))
# Run as a job worker boots: the import workers' fork server loads the tokenizers and the language model
# (~2 s) then, not during the first upload.
JOBS_WORKER_WARMUP = ["corpus.pipeline.fork_server_start"]
# ...and run once a long-running worker has had no job for JOBS_WORKER_REST_SECONDS: the fork server is
# stopped (~100 MiB given back while nothing is imported; the next import starts it again, ~2 s).
JOBS_WORKER_REST = ["corpus.pipeline.fork_server_stop"]
JOBS_WORKER_REST_SECONDS = float(os.environ.get("JOBS_WORKER_REST_SECONDS", "30"))
# An assignment of more documents than this (the page, the API) runs as a background job.
ASSIGN_INLINE_MAX = int(os.environ.get("ASSIGN_INLINE_MAX", "5000"))
# A training run's settings where its request names none (annotate/training/run_settings.py has the rest):
# e.g. TRAINING_DEFAULTS='{"max_seconds": 600}'. The run's own settings win.
TRAINING_DEFAULTS = json.loads(os.environ.get("TRAINING_DEFAULTS", "{}"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# No inline script anywhere; htmx is served from static/.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],  # the annotation page colours labels in a nonce-tagged <style>
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Behind HTTPS in production (README, "Production"): SECURE_COOKIES=1, SECURE_SSL_REDIRECT=1,
# SECURE_HSTS_SECONDS=31536000 (with SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD as the domain
# allows), and SECURE_PROXY_SSL_HEADER=1 when a reverse proxy does TLS and sets X-Forwarded-Proto.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# How many reverse proxies stand in front of the app (docs/deploy.md). 0 (the default): the client is the
# socket's address and X-Forwarded-For is never read; n: the address the nearest proxy saw, n-th from the right
# of X-Forwarded-For. Every limit (API throttles, bad tokens, login lockout) reads it (config/client.py).
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "config.client.client_ip"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "config.authentication.ThrottledTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # ?format= names the export format (jsonl, conll), not a DRF renderer.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "config.openapi.ApiSchema",
    # Throttles per client: anonymous requests and failed token logins by address, the rest by user.
    "DEFAULT_THROTTLE_CLASSES": [  # counted in the database (limits/), per client as config/client.py reads it
        "config.throttles.AnonThrottle",
        "config.throttles.UserThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "30/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "5000/minute"),
        "bad_token": os.environ.get("API_THROTTLE_BAD_TOKEN", "10/minute"),
    },
}

# Import limits: an upload or a file on disk over these is refused with a message.
CORPUS_MAX_FILE_BYTES = int(os.environ.get("CORPUS_MAX_FILE_BYTES", 50 * 1024 * 1024))
CORPUS_MAX_ZIP_UNCOMPRESSED_BYTES = int(
    os.environ.get("CORPUS_MAX_ZIP_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024)
)
CORPUS_MAX_ZIP_ENTRIES = int(os.environ.get("CORPUS_MAX_ZIP_ENTRIES", 200_000))
# The page and the API take uploads of at most this much (files as uploaded, zips uncompressed), imported by
# a background job: 1 GB is about 300,000 articles of 3,000 characters. Larger: the import_articles command.
CORPUS_MAX_UPLOAD_BYTES = int(os.environ.get("CORPUS_MAX_UPLOAD_BYTES", 1000 * 1000 * 1000))
# Processes that prepare an upload's articles (tokens, language, search words) while the request stores the
# previous batch, as the import_articles command does: a 5,000-article upload at the command's speed.
# Only uploads of more than one batch (500 articles) start them. 1: everything in the request's process.
# The longest document an import takes, in characters (code points): a longer one is refused with its file
# and line, by every import path. A million characters is ~150 times a long news article.
CORPUS_MAX_DOCUMENT_CHARS = int(os.environ.get("CORPUS_MAX_DOCUMENT_CHARS", "1000000"))
CORPUS_IMPORT_WORKERS = int(os.environ.get("CORPUS_IMPORT_WORKERS", min(4, os.cpu_count() or 1)))
# Uploads through the page or the API go to a temporary file, never to memory only.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Logs on stderr: LOG_LEVEL (INFO adds a line per request: config/observability.py), LOG_FORMAT json or text.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json").strip().lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r} is not one of: json, text")
LOGGING = logging_config(os.environ.get("LOG_LEVEL", "WARNING").upper(), LOG_FORMAT)
# Errors to Sentry only when SENTRY_DSN is set (SENTRY_ENVIRONMENT names the deployment).
SENTRY_ENABLED = sentry_init(os.environ.get("SENTRY_DSN", ""), os.environ.get("SENTRY_ENVIRONMENT", ""))
# Processes that compute a large agreement report (annotate/quality/agreement/report.py); empty: the cores.
# Dataset releases: processes that group near-duplicates and write the files at once (annotate/releases/bundle.py;
# on PostgreSQL only, each reading the build's snapshot).
RELEASE_WORKERS = int(os.environ.get("RELEASE_WORKERS", min(2, os.cpu_count() or 1)))
AGREEMENT_WORKERS = int(os.environ.get("AGREEMENT_WORKERS", "0")) or None

SPECTACULAR_SETTINGS = {
    "TITLE": "Haber annotation API",
    "DESCRIPTION": "Import articles, assign work, read progress, export annotations. Token or session authentication.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,  # uploads are binary in requests
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "config.openapi.slug_patterns"],
    # The API documentation page: Swagger UI from drf-spectacular-sidecar's static files; the split view
    # serves its start-up script as a file, so the page runs under our script-src 'self' policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
