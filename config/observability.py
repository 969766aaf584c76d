"""What an operator sees: one JSON line per request (request id, user id, method, path, status, duration,
query count) and per background job (jobs/services.py: job id, kind, user id, state, items done, duration,
query count), a request id echoed in X-Request-ID, errors to Sentry when SENTRY_DSN is set, and /healthz
for a load balancer.

    LOG_LEVEL=INFO LOG_FORMAT=json   # a line per request on stderr (the default format is json)
    LOG_FORMAT=text                  # the same fields, readable"""

import json
import logging
import re
import time
import uuid

from django.db import connection
from django.http import JsonResponse

request_log = logging.getLogger("haber.request")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
WORKER_SEEN_SECONDS = 60
FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms", "queries",
          "job_id", "kind", "state", "done", "total", "worker_id")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object per line, with the request fields when it has them. Times in UTC."""

    converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name))
        return f"{text} {extra}" if extra else text


class QueryCount:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """First in the chain: times the whole request, counts its queries, and logs one line at INFO (skipped,
    at no cost but a clock read, when the logger is quieter than INFO)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request.request_id = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        if not request_log.isEnabledFor(logging.INFO):
            response = self.get_response(request)
        else:
            counter = QueryCount()
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
            user = getattr(request, "user", None)
            request_log.info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"request_id": request.request_id, "user_id": user.pk if user is not None and
                       user.is_authenticated else None, "method": request.method, "path": request.path,
                       "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 2), "queries": counter.count},
            )
        response["X-Request-ID"] = request.request_id
        # The server's own time, for a browser's network panel and for bench/request_overhead.py.
        response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        return response


def logging_config(level: str, fmt: str) -> dict:
    formatter = {"()": "config.observability.JsonFormatter"} if fmt == "json" else {
        "()": "config.observability.TextFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "main"}},
        "root": {"handlers": ["console"], "level": level},
        # Django's own loggers at the same level (Django's defaults set "django" to INFO, which let every
        # task's "state=RUNNING" line through); its request line (runserver) says less than ours.
        "loggers": {"django": {"level": level}, "django.server": {"level": "WARNING"}},
    }


def sentry_init(dsn: str, environment: str = "") -> bool:
    """Errors to Sentry when a DSN is set; nothing is imported or sent otherwise."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, integrations=[DjangoIntegration()], environment=environment or None,
                    send_default_pii=False, traces_sample_rate=0.0)
    return True


_migrated = False


def database_check() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any failure to reach the database is the answer
        return f"unreachable: {error.__class__.__name__}"
    return "ok"


def worker_check() -> str:
    """"ok" when a job worker has looked for work within WORKER_SEEN_SECONDS (jobs/worker.py)."""
    from datetime import timedelta

    from django.utils import timezone

    from jobs.models import WorkerBeat

    recent = timezone.now() - timedelta(seconds=WORKER_SEEN_SECONDS)
    if WorkerBeat.objects.filter(seen_at__gte=recent).exists():
        return "ok"
    return f"no job worker seen in the last {WORKER_SEEN_SECONDS} s (start: python manage.py jobs_worker)"


def _migrations_check() -> str:
    """"ok" once every migration is applied (then never asked again in this process)."""
    global _migrated
    if not _migrated:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrated = not pending
        if pending:
            return f"{len(pending)} not applied"
    return "ok"


def _answer(checks: dict) -> JsonResponse:
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = "5"
    return response


def healthz(request):
    """The web process, for a load balancer (no login): 200 when the database answers and every migration
    is applied, 503 naming what is not. The job workers are not asked: a dead worker must not take every
    web server out of rotation (healthz_jobs says whether they are alive)."""
    checks = {"database": database_check()}
    if checks["database"] == "ok":
        checks["migrations"] = _migrations_check()
    return _answer(checks)


def healthz_jobs(request):
    """The job workers, for monitoring (no login): 200 when the database answers and a worker was seen in
    the last WORKER_SEEN_SECONDS, 503 naming what is not."""
    checks = {"database": database_check()}
    if checks["database"] == "ok":
        checks["worker"] = worker_check()
    return _answer(checks)
