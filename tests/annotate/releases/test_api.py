"""Releases through the API (issue #31 item 5): who may cut and read, the 202 and its job, names never
reused, bad options refused with a message, the card, the download and its checksum, withdrawal, the diff."""

import hashlib

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotate.models import Release
from annotate.training.demo_corpus import gold_sets_write
from jobs.worker import run_pending

pytestmark = pytest.mark.django_db
URL = "/api/v1/projects/p/releases"


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def cut(client, **body):
    return client.post(URL, {"name": "2026.12", **body}, format="json")


def test_a_manager_cuts_and_a_curator_reads_and_downloads_with_a_token(releasable):
    manager, curator = api(releasable["manager"]), api(releasable["curator"])
    response = cut(manager, notes="first", license="cc-by-4.0")
    assert response.json()["release"]["state"] == "building"
    assert response.status_code == 202
    run_pending()
    job = manager.get(response.json()["job"]["url"]).json()
    assert job["state"] == "succeeded", job
    listed = curator.get(URL).json()
    assert listed["split"] == "train:0.8,dev:0.1,test:0.1" and [r["name"] for r in listed["releases"]] == ["2026.12"]
    release = curator.get(f"{URL}/2026.12").json()
    assert release["state"] == "ready" and release["counts"]["documents"] == 60
    assert {f["name"] for f in release["files"]} >= {"data/train.jsonl", "conll/dev.conll", "README.md",
                                                     "spacy/train/0000.spacy", "schema.json"}
    card = curator.get(release["card"])
    assert card["Content-Type"].startswith("text/markdown") and card.content.startswith(b"---\nlanguage:")
    download = curator.get(release["download"])
    body = b"".join(download.streaming_content)
    assert download["Content-Type"] == "application/zip" and hashlib.sha256(body).hexdigest() == release["sha256"]
    assert download["X-Checksum-Sha256"] == release["sha256"]


def test_annotators_and_curators_cannot_cut_and_strangers_see_nothing(releasable):
    assert cut(api(releasable["annotator"])).status_code == 403
    assert cut(api(releasable["curator"])).status_code == 403
    assert api(releasable["annotator"]).get(URL).status_code == 403
    from tests.factories import make_user

    assert api(make_user("stranger")).get(URL).status_code == 404
    assert APIClient().get(URL).status_code == 401
    assert not Release.objects.exists()


@pytest.mark.parametrize(("body", "words"), [
    ({"name": "../etc"}, "letters, digits"),
    ({"name": ""}, "This field may not be blank"),
    ({"source": "annotators"}, "not a valid choice"),
    ({"filters": {"collection": "elsewhere"}}, "is not one of project p's collections"),
    ({"filters": {"published_from": "yesterday"}}, "is not a date"),
    ({"filters": {"colour": "red"}}, "Unknown filter colour"),
    ({"threshold": 0.2}, "between 0.5 and 1"),
    ({"split": "train:0.9,test:0.2"}, "add up to 1.1"),
])
def test_bad_options_are_refused_with_a_message(releasable, body, words):
    response = cut(api(releasable["manager"]), **body)
    assert response.status_code == 400 and words in str(response.json()), response.json()
    assert not Release.objects.exists()


def test_a_name_is_never_reused(releasable, run_jobs):
    manager = api(releasable["manager"])
    assert cut(manager).status_code == 202
    again = cut(manager)
    assert again.status_code == 409 and "never reused" in again.json()["detail"]


def test_a_withdrawn_release_is_hidden_kept_and_downloadable_only_when_asked(releasable, run_jobs):
    manager, curator = api(releasable["manager"]), api(releasable["curator"])
    cut(manager)
    run_jobs()
    assert curator.post(f"{URL}/2026.12/withdraw", {"reason": "a label was wrong"}, format="json").status_code == 403
    withdrawn = manager.post(f"{URL}/2026.12/withdraw", {"reason": "a label was wrong"}, format="json").json()
    assert withdrawn["withdrawn"] and withdrawn["withdrawn_reason"] == "a label was wrong"
    assert curator.get(URL).json()["releases"] == []
    assert [r["name"] for r in curator.get(URL + "?withdrawn=1").json()["releases"]] == ["2026.12"]
    assert curator.get(URL + "?withdrawn_too=1").status_code == 400  # a slip lists nothing less, silently
    gone = curator.get(f"{URL}/2026.12/download")
    assert gone.status_code == 410 and "?withdrawn=1" in gone.json()["detail"]
    assert curator.get(f"{URL}/2026.12/download?withdrawn=1").status_code == 200
    release = Release.objects.get()
    assert release.sha256 and release.path  # kept
    assert manager.post(f"{URL}/2026.12/withdraw", {"undo": True}, format="json").json()["withdrawn"] is False


def test_the_diff_between_two_releases(releasable, run_jobs):
    manager = api(releasable["manager"])
    cut(manager)
    run_jobs()
    # 10 more documents get gold; one gold set loses its first entity
    written, project = releasable["written"], releasable["project"]
    more = dict(list(sorted(written.items()))[48:58])
    gold_sets_write(project=project, curator=releasable["curator"], written=more)
    from annotate.models import Span, Task

    first = next(iter(releasable["gold"]))
    task = Task.gold_sets.get(project=project, document_id=first)
    span = Span.objects.filter(task=task, label__layer="entity").order_by("start").select_related("label").first()
    span.delete()
    assert cut(manager, name="2027.01").status_code == 202
    run_jobs()
    diff = manager.get(f"{URL}/2026.12/diff/2027.01").json()
    assert diff["documents"] == {"added": 10, "removed": 0, "changed": 1, "unchanged": 59, "moved_split": 0}
    assert diff["spans"]["entities"][span.label.name]["removed"] == 1
    added_entities = sum(1 for w in more.values() for layer, *_ in w.spans if layer == "entity")
    assert sum(v["added"] for v in diff["spans"]["entities"].values()) == added_entities
    back = manager.get(f"{URL}/2027.01/diff/2026.12").json()
    assert back["documents"]["removed"] == 10 and back["spans"]["entities"][span.label.name]["added"] == 1
    assert manager.get(f"{URL}/2026.12/diff/nope").status_code == 404


def test_the_openapi_schema_documents_the_releases_without_a_warning(tmp_path):
    import yaml
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    paths = yaml.safe_load((tmp_path / "schema.yml").read_text())["paths"]
    for path in ("releases", "releases/{name}", "releases/{name}/card", "releases/{name}/download",
                 "releases/{name}/withdraw", "releases/{name}/diff/{other}"):
        assert f"/api/v1/projects/{{slug}}/{path}" in paths


def test_a_new_split_spec_moves_documents_and_the_diff_counts_them(releasable, run_jobs):
    manager = api(releasable["manager"])
    cut(manager)
    run_jobs()
    assert cut(manager, name="2027.01", split="train:0.5,test:0.5").status_code == 202
    run_jobs()
    second = manager.get(f"{URL}/2027.01").json()
    assert second["options"]["split"] == "train:0.5,test:0.5" and set(second["counts"]["splits"]) == {"train", "test"}
    diff = manager.get(f"{URL}/2026.12/diff/2027.01").json()
    moved = diff["documents"]["moved_split"]
    assert moved > 0 and diff["documents"]["changed"] == 0 and len(diff["examples"]["moved_split"]) == min(moved, 10)
    assert manager.get(URL).json()["split"] == "train:0.5,test:0.5"
    # the same spec again moves nothing
    assert cut(manager, name="2027.02").status_code == 202
    run_jobs()
    assert manager.get(f"{URL}/2027.01/diff/2027.02").json()["documents"]["moved_split"] == 0


def test_a_release_whose_job_was_cancelled_before_it_ran_is_marked_failed(releasable):
    manager = api(releasable["manager"])
    job = cut(manager).json()["job"]
    assert manager.post(job["url"] + "/cancel").status_code in (200, 202)
    release = manager.get(f"{URL}/2026.12").json()
    assert release["state"] == "failed" and "cancelled" in release["error"]
    assert manager.get(f"{URL}/2026.12/download").status_code == 404
    assert cut(manager).status_code == 409  # the name stays taken


def test_a_project_with_nothing_to_release_fails_with_the_reason(releasable, run_jobs):
    from annotate.models import Task

    Task.gold_sets.filter(project=releasable["project"]).update(status="in_progress")
    manager = api(releasable["manager"])
    cut(manager)
    run_jobs()
    release = manager.get(f"{URL}/2026.12").json()
    assert release["state"] == "failed" and "No document has a set to release" in release["error"]
