"""A bulk write leaves the planner knowing its rows (#33 item 1): on PostgreSQL the job that imported
articles, an annotation file or an assignment analyses the tables it filled, once committed, so that a
never-analysed table (a fresh database, autovacuum a minute away or off) cannot make a join a nested loop."""

import io
import json

import pytest
from django.db import connection

from annotate.interop.importing.files import annotation_file_import
from annotate.models import Role
from annotate.services import tasks_assign
from tests.factories import import_texts, make_annotator, make_collection, make_project, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _rows_known(table: str) -> float:
    """The planner's row count (reltuples): -1 until the table is first analysed (or vacuumed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's: SQLite plans without statistics here")


def test_an_import_an_annotation_file_and_an_assignment_leave_their_tables_analysed():
    collection = make_collection("wire")
    texts = [f"Haber {n}: Dışişleri Bakanı Hakan Fidan Ankara'da görüştü." for n in range(600)]
    report = import_texts(collection, *texts, language="tr")
    assert report.imported == 600
    assert _rows_known("corpus_document") >= 600 and _rows_known("corpus_documenttokens") >= 600

    annotator = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(annotator, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[annotator])
    assert _rows_known("annotate_task") >= 600

    other = make_project("q", collections=[collection], overlap=1)
    make_annotator(other, "reader")
    at = texts[0].index("Ankara")
    records = "".join(json.dumps({"text": text, "entities": [{"start": at, "end": at + 6, "label": "GPE"}]}) + "\n"
                      for text in texts[:100])
    imported = annotation_file_import(project=other, stream=io.BytesIO(records.encode()), name="a.jsonl",
                                      fmt="jsonl", user="reader")
    assert imported.committed and imported.imported == 100
    assert _rows_known("annotate_span") >= 100
