"""A request that fails because the database cannot be reached answers 503 with Retry-After: JSON for
scripts, htmx and the annotation page's saves, a short page (which reads nothing from the database) for
people. Never 500. The real outage, with PostgreSQL stopped, is in tests/faults/."""

import json
import uuid

import pytest
from django.db import OperationalError, connection

from annotate.models import Label
from tests.factories import make_task


def _down(execute, sql, params, many, context):
    raise OperationalError("connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


@pytest.fixture
def task(db):
    return make_task("Dışişleri Bakanı Hakan Fidan Ankara'da.")


def test_a_save_a_page_and_the_api_answer_503_with_retry_after_while_the_database_is_down(client, task):
    client.force_login(task.annotator)
    client.raise_request_exception = False
    label = Label.objects.get(project=task.project, name="PER")
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": label.pk, "start": 17, "end": 28}
    with connection.execute_wrapper(_down):
        save = client.post(f"/annotate/t/{task.pk}/change", json.dumps(body), content_type="application/json",
                           HTTP_HX_REQUEST="true")
        page = client.get(task.get_absolute_url())
        api = client.get("/api/v1/projects/", HTTP_AUTHORIZATION="Token " + "x" * 40)
    for response in (save, page, api):
        assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "cannot be reached" in save.json()["error"] and "cannot be reached" in api.json()["detail"]
    assert "<h1>Back in a moment</h1>" in page.content.decode()
    assert not task.spans.exists()  # and when it is back, the same save goes through
    assert client.post(f"/annotate/t/{task.pk}/change", json.dumps(body), content_type="application/json",
                       HTTP_HX_REQUEST="true").status_code == 200


def test_only_a_database_connection_error_is_a_503(rf):
    from importlib import import_module

    from django.conf import settings

    from config import errors

    request = rf.get("/x")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()  # as SessionMiddleware gives one
    try:
        raise ZeroDivisionError
    except ZeroDivisionError:
        assert errors.server_error(request).status_code == 500  # a bug stays a 500 (and is logged as one)
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert errors.server_error(request).status_code == 503
