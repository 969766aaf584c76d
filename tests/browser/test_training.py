"""The training loop in Chromium (#34): a manager presses "Train a model" on the Models page, watches the
epochs arrive on the job page, the run's predictions are stored by the job after it, and the annotator of
a document without gold sees them as suggestions and accepts one from the keyboard."""

import pytest
from playwright.sync_api import expect

from annotate.models import Span, Task
from annotate.services import tasks_assign
from tests.browser.annotation_helpers import wait_version
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_train_from_the_models_page_then_accept_a_suggestion(page, trainable, job_worker, settings):
    settings.TRAINING_DEFAULTS = {"max_epochs": 4, "batch_words": 50}  # enough for 60 short articles
    job_worker()
    log_in(page, "manager")
    page.goto("/annotate/p/p/models")
    expect(page.get_by_role("heading", name="Trained here")).to_be_visible()
    page.get_by_role("button", name="Train a model").click()
    page.wait_for_url("**/jobs/**")
    expect(page.get_by_role("heading", name="Train haber:p:1")).to_be_visible()
    expect(page.locator(".epochs tbody tr")).to_have_count(4, timeout=120_000)  # each epoch as it ends
    expect(page.locator(".job-state")).to_contain_text("Finished", timeout=60_000)
    page.get_by_role("link", name="Its predictions are stored as suggestions").click()
    expect(page.locator(".job-state")).to_contain_text("Finished", timeout=60_000)
    expect(page.locator(".job-result")).to_contain_text("suggestions come from haber:p:1")
    page.goto("/annotate/p/p/models")
    row = page.locator("table.runs tbody tr").first
    expect(row).to_contain_text("haber:p:1")
    expect(row).to_contain_text("ready · in use")
    expect(row.get_by_role("link", name="tar.gz")).to_be_visible()

    # The annotator of a document without gold: the model's marks are there to accept.
    project, annotator = trainable["project"], trainable["annotator"]
    tasks_assign(project=project, annotators=[annotator], overlap=1)
    marked = Task.objects.filter(annotator__username="model:haber:p:1", spans__isnull=False,
                                 document_id__in=set(trainable["written"]) - set(trainable["gold"]))
    task = Task.objects.filter(annotator=annotator, document_id__in=marked.values("document_id")).first()
    page.context.clear_cookies()
    log_in(page, "annotator")
    page.goto(task.get_absolute_url())
    suggestion = page.locator('#text [data-kind="suggestion"].start').first
    expect(suggestion).to_be_visible()
    assert "model:haber:p:1" in suggestion.get_attribute("title")
    suggestion.click()
    page.keyboard.press("+")
    wait_version(page, 1)
    expect(page.locator('#text [data-kind="span"]')).not_to_have_count(0)
    span = Span.objects.get(task=task)
    assert span.origin == "model:haber:p:1"
