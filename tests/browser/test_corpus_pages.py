"""A person in Chromium: logs in, finds a document, reads it; uploads a file and reads the report."""

import re

import pytest
from playwright.sync_api import expect

from corpus.models import Document
from tests.browser.conftest import log_in
from tests.factories import import_paths, import_texts, make_collection, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_search_and_read_a_seed_article(page, seeds_dir):
    make_user("editor", is_staff=True)
    import_paths(make_collection("wire", "Wire service"), seeds_dir)
    log_in(page, "editor")
    page.get_by_role("link", name="Browse the corpus").click()
    page.get_by_role("link", name="Wire service").click()
    page.get_by_label("Search").fill("Mişustin")
    page.get_by_role("button", name="Search").click()
    rows = page.locator("#results tbody tr")
    rows.first.wait_for()
    expect(rows).to_have_count(1)  # the CSP forbids eval, so no wait_for_function with a string
    rows.get_by_role("link").click()
    text = page.locator("#document-text")
    document = Document.objects.get(external_id="003_f40720ea0dd32924")
    # What the person sees is the stored text, line breaks and all.
    assert text.inner_text() == document.text
    assert page.locator("aside").get_by_text("4 Nov 2025", exact=True).is_visible()  # the date as English writes it
    page.screenshot(path="var/screenshot-document.png", full_page=True)


def test_markup_in_an_article_shows_as_text(page):
    make_user("editor", is_staff=True)
    import_texts(
        make_collection(),
        'Başlık <script>window.hacked = 1</script> ve <img src=x onerror="window.hacked=2"> son.',
    )
    log_in(page, "editor")
    page.goto(Document.objects.get().get_absolute_url())
    assert "<script>window.hacked = 1</script>" in page.locator("#document-text").inner_text()
    assert page.locator("#document-text img").count() == 0
    assert page.evaluate("window.hacked") is None


def test_upload_page_shows_progress_and_report(page, tmp_path, job_worker):
    make_user("editor", is_staff=True)
    make_collection("wire", "Wire service")
    job_worker()
    upload = tmp_path / "articles.jsonl"
    upload.write_text(
        '{"text": "Birinci haber: Bakan Ankara\'da."}\n{"text": "İkinci haber: Tiran\'da görüşme."}\n'
    )
    log_in(page, "editor")
    page.goto("/corpus/import/")
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_label("Collection", exact=True).select_option(label="Wire service")
    page.get_by_role("button", name="Import").click()
    report = page.locator("#import-result .report")
    report.wait_for()
    assert re.search(r"Imported 2, duplicates skipped 0, rejected 0", report.inner_text())
    assert page.url.endswith("/corpus/import/")  # swapped in place, no reload
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#count-duplicates")).to_have_text("2")
    # Into a new collection: the page's list of collections gains it, chosen, without a reload.
    page.get_by_label("Collection", exact=True).select_option(label="— new collection —")
    page.get_by_label("New collection").fill("wire-extra")
    upload.write_text('{"text": "Üçüncü haber: Bakü\'de temaslar."}\n')
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#count-imported")).to_have_text("1")
    chosen = page.get_by_label("Collection", exact=True)
    expect(chosen.locator("option:checked")).to_have_text("wire-extra")
    expect(page.get_by_label("New collection")).to_have_value("")
    assert page.url.endswith("/corpus/import/")


def upload_through_page(page, path, collection="Wire service"):
    """As the editor: the import page, a file chosen, the collection chosen, Import pressed."""
    log_in(page, "editor")
    page.goto("/corpus/import/")
    page.get_by_label("Files").set_input_files(str(path))
    page.get_by_label("Collection", exact=True).select_option(label=collection)
    page.get_by_role("button", name="Import").click()


@pytest.mark.slow
def test_a_large_import_shows_its_progress_live_then_its_report(page, tmp_path, job_worker, monkeypatch):
    """The import is a background job: the page says it waits for a worker, then how far it is, with a
    progress bar, then swaps in the report, all without a reload. (The worker runs in this process: its
    batches are made small and slow, so that the page's polls see the job running whatever the machine.)"""
    import time

    from corpus.services import importing

    store = importing._store

    def slow_store(*args, **kwargs):
        time.sleep(0.2)
        return store(*args, **kwargs)

    monkeypatch.setattr(importing, "BATCH_SIZE", 200)
    monkeypatch.setattr(importing, "_store", slow_store)
    make_user("editor", is_staff=True)
    make_collection("wire", "Wire service")
    upload = tmp_path / "many.jsonl"
    with upload.open("w", encoding="utf-8") as out:
        for number in range(4000):
            out.write('{"text": "Dışişleri Bakanı Tiran\'da görüştü; haber ' + str(number) + '."}\n')
    upload_through_page(page, upload)
    status = page.locator("#import-result .job")
    expect(status).to_contain_text("Waiting for a worker")
    expect(status.locator("progress")).to_be_visible()
    job_worker()  # a worker comes along
    expect(status).to_contain_text("Running", timeout=20_000)
    expect(status.locator(".job-total")).to_have_text("4000", timeout=20_000)
    expect(status.locator("progress")).to_be_visible()
    expect(page.locator("#import-result .report")).to_contain_text("Imported 4,000, duplicates skipped 0",
                                                                   timeout=60_000)
    expect(status.locator("progress")).to_have_count(0)
    assert page.url.endswith("/corpus/import/") and Document.objects.count() == 4000


def test_a_refused_upload_shows_its_report_and_a_too_large_one_says_to_use_the_command(page, tmp_path, settings,
                                                                                      job_worker):
    make_user("editor", is_staff=True)
    make_collection("wire", "Wire service")
    job_worker()
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Birinci haber."}\n{"text": 5}\n')
    upload_through_page(page, bad)
    report = page.locator("#import-result .report")
    expect(report).to_contain_text("Nothing was written")
    expect(report).to_contain_text("`text` must be a string")
    settings.CORPUS_MAX_UPLOAD_BYTES = 10
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#import-result .errors")).to_contain_text("python manage.py import_articles")
    assert Document.objects.count() == 0


def test_back_and_forward_through_a_search_show_whole_pages(page):
    """The search swaps the results in with htmx and pushes its URL; going to a document and back, forward
    and back again, and reloading, always show the whole page (heading, search box, results), never the
    results fragment alone (Vary: HX-Request; a history restore is answered with the page)."""
    make_user("editor", is_staff=True)
    import_texts(make_collection("wire", "Wire service"), "Bakan Ankara'da görüştü.", "Tiran'da zirve yapıldı.")
    log_in(page, "editor")
    page.goto("/corpus/")
    page.get_by_role("link", name="Wire service").click()
    page.get_by_label("Search").fill("Ankara")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=Ankara"))
    expect(page.locator("#results tbody tr")).to_have_count(1)

    def whole_search_page():
        expect(page.get_by_role("heading", name=re.compile("Wire service"))).to_be_visible()
        expect(page.get_by_label("Search")).to_be_visible()
        expect(page.locator("#results tbody tr")).to_have_count(1)
        assert page.locator("body > header, body header").count() >= 1  # the site's header: a page, not a part

    page.locator("#results tbody tr").get_by_role("link").click()
    expect(page.locator("#document-text")).to_contain_text("Ankara")
    page.go_back()
    whole_search_page()
    page.go_forward()
    expect(page.locator("#document-text")).to_contain_text("Ankara")
    page.go_back()
    whole_search_page()
    page.reload()
    whole_search_page()


@pytest.mark.parametrize("status, said", [(507, "The server's disk is full"), (503, "cannot be reached")])
def test_an_upload_the_server_could_not_keep_says_so_where_the_progress_was(page, tmp_path, status, said):
    import json

    make_user("editor", is_staff=True)
    make_collection("wire", "Wire service")
    upload = tmp_path / "articles.jsonl"
    upload.write_text('{"text": "Birinci haber: Bakan Ankara\'da."}\n')
    detail = {507: "The server's disk is full: nothing of this request was kept.",
              503: "The database cannot be reached just now; nothing saved before is lost."}[status]
    page.route("**/corpus/import/", lambda route: route.fulfill(status=status, content_type="application/json",
                                                                 body=json.dumps({"detail": detail}))
               if route.request.method == "POST" else route.continue_())
    log_in(page, "editor")
    page.goto("/corpus/import/")
    page.get_by_label("Files").set_input_files(str(upload))
    page.get_by_label("Collection", exact=True).select_option(label="Wire service")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#upload-status")).to_contain_text(said)
    assert not Document.objects.exists()
