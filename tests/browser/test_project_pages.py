"""An annotator and a manager in Chromium: `n` opens the next task, submitting moves on, the dashboard's
chart and tables follow, and the manager assigns through the page."""

import json
import re

import pytest
from playwright.sync_api import expect

from annotate.models import Role, Task
from annotate.services import tasks_assign
from tests.browser.conftest import log_in
from tests.factories import make_collection, make_documents, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(db):
    collection = make_collection("news", "News")
    make_documents(collection, 3)
    annotator, other, manager = make_user("ayse"), make_user("besa"), make_user("mehmet")
    project = make_project(
        "diplo", collections=[collection],
        members=[(annotator, Role.ANNOTATOR), (other, Role.ANNOTATOR), (manager, Role.MANAGER)],
    )
    return project, annotator, other, manager


def test_an_annotator_presses_n_reads_the_task_and_submits(page, team):
    project, annotator, other, _manager = team
    tasks_assign(project=project, annotators=[annotator, other])
    first, second = Task.objects.filter(annotator=annotator).order_by("assigned_at", "id")[:2]
    log_in(page, "ayse")
    assert page.get_by_role("link", name="Start").is_visible()
    page.keyboard.press("n")
    page.wait_for_url(f"**/annotate/t/{first.pk}/")
    assert first.document.text.split(":")[0] in page.locator("#text").inner_text()
    assert page.locator(".task-status").get_by_text("Assigned").is_visible()  # reading it changes nothing
    page.get_by_role("button", name="Submit and go to the next task").click()
    # Nothing is marked: the page asks once, and Enter confirms.
    expect(page.get_by_role("alertdialog")).to_contain_text("Nothing is marked in this document.")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/annotate/t/{second.pk}/")
    assert page.get_by_text("Submitted.").is_visible()
    page.get_by_role("link", name="My work").click()
    assert page.get_by_role("link", name="Start").is_visible()  # the second task was only looked at
    finished = page.locator("section", has=page.get_by_role("heading", name="My finished tasks"))
    assert finished.get_by_role("link", name=f"#{first.pk}").is_visible()


def test_n_does_nothing_while_typing(page, team):
    project, annotator, other, _manager = team
    tasks_assign(project=project, annotators=[annotator, other])
    task = Task.objects.next_for(annotator)
    log_in(page, "ayse")
    page.keyboard.press("n")
    page.wait_for_url(f"**/annotate/t/{task.pk}/")
    page.get_by_placeholder("Why skip this document?").fill("no news")
    assert page.url.endswith(f"/annotate/t/{task.pk}/")


def test_a_manager_assigns_in_the_page_and_sees_the_dashboard(page, team):
    _project, _annotator, _other, _manager = team
    log_in(page, "mehmet")
    page.goto("/annotate/p/diplo/assign")
    assign = page.locator("form.assign")
    expect(assign.get_by_label("From", exact=True)).to_be_hidden()  # one form: the other actions' fields are hidden
    assign.get_by_label("ayse").check()
    assign.get_by_label("besa").check()
    # Before it runs, the preview says what would happen: documents, tasks, the load of each annotator.
    expect(page.locator("#preview")).to_contain_text(
        "3 documents selected (all collections). If you run it: 3 documents: 6 tasks created")
    expect(page.locator("#preview table.loads")).to_contain_text("ayse")
    assert Task.objects.count() == 0
    assign.get_by_role("button", name="Run").click()
    page.locator("#result .report").wait_for()
    assert "3 documents: 6 tasks created" in page.locator("#result").inner_text()
    page.get_by_role("link", name="Dashboard").click()
    assert page.locator("svg rect.bar.assigned").count() == 2
    row = page.locator("tr", has=page.get_by_role("link", name="ayse"))
    assert re.sub(r"\s+", " ", row.inner_text()).startswith("ayse 3 3 0 0 0 0%")
    page.screenshot(path="var/screenshot-dashboard.png", full_page=True)


def test_a_manager_imports_a_doccano_file_in_the_page_and_the_sets_are_there(page, team, tmp_path, job_worker):
    project, annotator, _other, _manager = team
    job_worker()
    document = project.collections.get().documents.order_by("id").first()
    start = document.text.index("Rusya")
    upload = tmp_path / "from-doccano.jsonl"  # doccano counts in UTF-16, which "ı" and "ş" do not change
    upload.write_text(json.dumps({"text": document.text, "label": [[start, start + 5, "GPE"]]},
                                 ensure_ascii=False) + "\n", encoding="utf-8")
    log_in(page, "mehmet")
    page.goto("/annotate/p/diplo/")
    page.locator("nav.tabs").get_by_role("link", name="Import").click()
    page.wait_for_url("**/annotate/p/diplo/import")
    page.get_by_label("File").set_input_files(str(upload))
    page.get_by_label("Format").select_option(label="doccano (JSONL)")
    page.get_by_label("Whose sets").select_option("ayse")
    page.get_by_role("button", name="Import").click()
    report = page.locator("#import-result .report")
    report.wait_for()
    assert "Imported 1 set, skipped 0, 0 new documents." in report.inner_text()
    assert page.url.endswith("/annotate/p/diplo/import")  # swapped in place
    task = Task.objects.get(annotator=annotator)
    assert task.status == "submitted"
    page.goto(f"/annotate/t/{task.pk}/")  # a manager reads the annotator's set
    expect(page.locator("#span-list li")).to_have_count(1)
    assert "Rusya" in page.locator("#span-list li").inner_text() and "GPE" in page.locator("#span-list li").inner_text()
