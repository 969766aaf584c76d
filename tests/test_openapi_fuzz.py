"""schemathesis over our OpenAPI schema, in process: for every API operation, as a staff user and as an
annotator, generated requests (bounded) never get a 5xx, and every answer matches the schema (status code
declared, content type declared, body valid against its schema)."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotate.models import Role
from annotate.services import tasks_assign
from tests.factories import make_collection, make_documents, make_project, make_user

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))  # bounded; FUZZ_EXAMPLES=200 for a longer run
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
OPERATIONS = sorted(
    (path, method.upper())
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items()
    for method in item
)
APP = get_wsgi_application()


@pytest.fixture
def api(db):
    # As Django's test client does: the in-process WSGI calls must not close the test's connection.
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield from _api()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _api():
    collection = make_collection("wire")
    make_documents(collection, 3)
    staff = make_user("staff", is_staff=True, is_superuser=True)
    annotator = make_user("ann")
    project = make_project("p", collections=[collection], overlap=1, members=[(annotator, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[annotator])
    tokens = {"staff": Token.objects.create(user=staff).key, "annotator": Token.objects.create(user=annotator).key}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema", APP, headers={"Authorization": f"Token {tokens['staff']}"})
    yield schema, tokens


@pytest.mark.parametrize("who", ["staff", "annotator"])
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_server_error_and_every_answer_matches_the_schema(api, path, method, who):
    schema, tokens = api
    operation = schema[path][method]
    headers = {"Authorization": f"Token {tokens[who]}"}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), real=st.booleans())
    def run(case, real):
        if real and case.path_parameters:  # half the time, the objects that exist
            case.path_parameters = {k: ("wire" if "collections" in path else "p") for k in case.path_parameters}
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()
