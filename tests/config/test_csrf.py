"""The CSRF token is bound to the session (CSRF_USE_SESSIONS): a token that is not the session's own is
refused, with JSON that tells a script to fetch the session's token from /accounts/csrf."""

import json
import uuid

import pytest
from django.test import Client

from annotate.models import Label
from tests.factories import make_task


@pytest.fixture
def task(db):
    return make_task("Dışişleri Bakanı Hakan Fidan Ankara'da.")


def _save(client, task, token):
    label = Label.objects.get(project=task.project, name="PER")
    body = {"op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()),
            "label": label.pk, "start": 17, "end": 28}
    return client.post(f"/annotate/t/{task.pk}/change", json.dumps(body), content_type="application/json",
                       HTTP_X_CSRFTOKEN=token, HTTP_HX_REQUEST="true")


def test_a_token_of_another_session_or_a_cookie_of_ones_own_making_is_refused(task):
    attacker, victim = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    attacker.force_login(task.annotator)
    victim.force_login(task.annotator)
    attackers_token = attacker.get("/accounts/csrf").json()["token"]
    # Double-submit no more: a csrftoken cookie planted on the host and the same value in the header buy nothing.
    victim.cookies["csrftoken"] = attackers_token
    refused = _save(victim, task, attackers_token)
    assert refused.status_code == 403 and refused.json()["csrf"] is True and "CSRF" in refused.json()["error"]
    assert not task.spans.exists()
    own = victim.get("/accounts/csrf").json()["token"]
    assert _save(victim, task, own).status_code == 200 and task.spans.count() == 1


def test_the_token_endpoint_needs_a_session(client, db):
    answer = client.get("/accounts/csrf")
    assert answer.status_code == 401 and answer["Cache-Control"].startswith("max-age=0")
