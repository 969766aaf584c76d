"""This app's background jobs: a large assignment (page and API), an export written to a file (page, API,
download rights) and the report pages that show their results."""

import json

from annotate.models import Task
from jobs.models import Job
from tests.factories import make_user
from tests.jobs_helpers import job_finished


def test_a_large_assignment_through_the_api_is_a_job(client, team, settings, run_jobs):
    settings.ASSIGN_INLINE_MAX = 2  # the team's project has 3 documents
    client.force_login(team["manager"])
    url = "/api/v1/projects/proj/assign"
    payload = json.dumps({"annotators": ["annotator", "annotator_b"]})
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 202 and not Task.objects.filter(project=team["project"]).exists()
    job = job_finished(client, response)
    assert job["kind"] == "tasks.assign" and job["state"] == "succeeded" and (job["done"], job["total"]) == (3, 3)
    assert job["result"]["created"] == 6 and job["result"]["per_annotator"] == {"annotator": 3, "annotator_b": 3}
    assert job["label"] == "Assign 3 documents of proj (all collections)"
    assert Task.objects.filter(project=team["project"]).count() == 6
    # A small one still runs in the request, and a bad annotator is refused at once either way.
    settings.ASSIGN_INLINE_MAX = 5000
    inline = client.post(url, payload, content_type="application/json")
    assert inline.status_code == 200 and inline.json()["already_complete"] == 3
    settings.ASSIGN_INLINE_MAX = 2
    refused = client.post(url, json.dumps({"annotators": ["curator"]}), content_type="application/json")
    assert refused.status_code == 400 and Job.objects.count() == 1


def test_a_large_assignment_on_the_page_shows_its_progress_then_its_report(client, team, settings, run_jobs):
    settings.ASSIGN_INLINE_MAX = 2
    client.force_login(team["manager"])
    ids = [str(team[name].pk) for name in ("annotator", "annotator_b")]
    response = client.post("/annotate/p/proj/assign", {"action": "assign", "annotators": ids, "overlap": "1"},
                           HTTP_HX_REQUEST="true")
    html = response.content.decode()
    job = Job.objects.get()
    assert response.status_code == 202 and f'hx-get="/jobs/{job.pk}/"' in html and "Waiting for a worker" in html
    run_jobs()
    status = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Assignment report" in status and "Assigned (all collections): 3 documents: 3 tasks created" in status
    assert Task.objects.filter(project=team["project"]).count() == 3


def test_an_export_written_to_a_file_is_offered_to_those_who_may_see_the_job(client, done, run_jobs):
    client.force_login(done["manager"])
    response = client.post("/api/v1/projects/p/export/file?format=conll&source=annotators")
    job = job_finished(client, response)
    assert job["kind"] == "export.file" and job["state"] == "succeeded" and (job["done"], job["total"]) == (1, 1)
    assert job["result"]["filename"] == "p-conll.conll" and job["result"]["misaligned"] == 1
    streamed = b"".join(client.get("/api/v1/projects/p/export?format=conll&source=annotators").streaming_content)
    from_file = b"".join(client.get(f"/api/v1/jobs/{job['id']}/file").streaming_content)
    assert from_file == streamed and job["result"]["size"] == len(streamed)
    page_file = client.get(f"/jobs/{job['id']}/file")
    assert page_file["Content-Disposition"].startswith('attachment; filename="p-conll.conll"')
    page = client.get(f"/jobs/{job['id']}/").content.decode()
    assert "Download p-conll.conll" in page and "1 records" in page
    client.force_login(make_user("stranger"))
    assert client.get(f"/api/v1/jobs/{job['id']}/file").status_code == 404
    assert client.get(f"/jobs/{job['id']}/file").status_code == 404
    client.force_login(done["user"])  # an annotator of the project may not export
    assert client.post("/api/v1/projects/p/export/file?format=jsonl").status_code == 403


def test_the_export_page_starts_a_file_export_and_follows_it(client, done, run_jobs):
    client.force_login(done["manager"])
    page = client.get("/annotate/p/p/export?format=jsonl").content.decode()
    assert 'action="/annotate/p/p/export?format=jsonl"' in page and "Write to a file in the background" in page
    response = client.post("/annotate/p/p/export?format=jsonl")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.params == {"format": "jsonl"} and job.project_id == done["project"].pk
    run_jobs()
    job.refresh_from_db()
    assert job.state == "succeeded" and job.result["filename"] == "p-jsonl.jsonl"
    assert client.post("/annotate/p/p/export?format=xml").status_code == 400  # nothing queued
    assert Job.objects.count() == 1
