"""Releases in Chromium (#31): a manager cuts one from the Releases page, follows its job to the end, opens
it (card, files), downloads the zip; cuts a second, compares the two; withdraws the first."""

import hashlib

import pytest
from playwright.sync_api import expect

from annotate.models import Release
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cut_open_download_compare_and_withdraw(page, releasable, job_worker):
    job_worker()
    log_in(page, "manager")
    page.goto("/annotate/p/p/releases")
    expect(page.get_by_text("No release yet")).to_be_visible()
    page.get_by_label("Name").fill("2026.12")
    page.get_by_label("Notes").fill("First cut for the NER baseline")
    page.get_by_label("Licence").fill("cc-by-4.0")
    page.get_by_role("button", name="Cut the release").click()
    page.wait_for_url("**/jobs/**")
    expect(page.locator(".job-state")).to_contain_text("Finished", timeout=60_000)
    expect(page.locator(".job-result")).to_contain_text("Release 2026.12: 60 documents")
    page.get_by_role("link", name="Release 2026.12").click()
    expect(page.get_by_role("heading", name="Release 2026.12")).to_be_visible()
    expect(page.get_by_role("heading", name="Data card (README.md)")).to_be_visible()
    expect(page.get_by_role("cell", name="data/train.jsonl")).to_be_visible()
    expect(page.get_by_text("groups of near-duplicate articles")).to_contain_text("12 groups")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the zip").click()
    release = Release.objects.get(name="2026.12")
    assert download.value.suggested_filename == "p-2026.12.zip"
    assert hashlib.sha256(download.value.path().read_bytes()).hexdigest() == release.sha256

    page.goto("/annotate/p/p/releases")
    page.get_by_label("Name").fill("2026.12.2")
    page.get_by_role("button", name="Cut the release").click()
    expect(page.locator(".job-state")).to_contain_text("Finished", timeout=60_000)
    page.goto("/annotate/p/p/releases")
    page.get_by_label("From release").select_option("2026.12")
    page.get_by_label("to release").select_option("2026.12.2")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="From 2026.12 to 2026.12.2")).to_be_visible()
    expect(page.locator("#diff-changed")).to_have_text("0")
    expect(page.get_by_text("No mark was added or removed")).to_be_visible()

    page.goto("/annotate/p/p/releases/2026.12/")
    page.get_by_label("Why").fill("superseded")
    page.get_by_role("button", name="Withdraw release 2026.12").click()
    expect(page.get_by_role("status").filter(has_text="Withdrawn")).to_contain_text("superseded")
    page.goto("/annotate/p/p/releases")
    expect(page.get_by_role("link", name="2026.12", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Show 1 withdrawn release")).to_be_visible()
