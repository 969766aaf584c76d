"""The Releases pages (issue #31 item 5): the list and the cut form, a release with its card and groups,
the diff (whole page and the part htmx swaps), withdrawal; who sees what; constant queries."""

import pytest

from annotate.models import Release
from jobs.worker import run_pending

pytestmark = pytest.mark.django_db


def cut_through_the_page(client, **fields):
    return client.post("/annotate/p/p/releases", {"name": "2026.12", "source": "gold", "threshold": "0.8", **fields})


def test_a_manager_cuts_from_the_page_and_sees_it_built(client, releasable):
    client.force_login(releasable["manager"])
    page = client.get("/annotate/p/p/releases")
    assert page.status_code == 200 and "Cut a release" in page.text and "No release yet" in page.text
    response = cut_through_the_page(client, notes="Our first", license="cc-by-4.0")
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    run_pending()
    job_page = client.get(response.url)
    assert "Release 2026.12: 60 documents" in job_page.text and "/annotate/p/p/releases/2026.12/" in job_page.text
    listing = client.get("/annotate/p/p/releases").text
    assert "2026.12" in listing and "/annotate/p/p/releases/2026.12/download" in listing
    detail = client.get("/annotate/p/p/releases/2026.12/")
    assert "Data card (README.md)" in detail.text and "language:" in detail.text
    assert "near-duplicate articles" in detail.text and "data/train.jsonl" in detail.text
    assert "Withdraw release 2026.12" in detail.text
    download = client.get("/annotate/p/p/releases/2026.12/download")
    assert download.status_code == 200 and download["Content-Disposition"].endswith('p-2026.12.zip"')


def test_a_refused_cut_says_why_and_keeps_the_form(client, releasable):
    client.force_login(releasable["manager"])
    response = cut_through_the_page(client, name="bad name!", notes="kept")
    assert response.status_code == 302
    page = client.get(response.url)
    assert "letters, digits" in page.text and ">kept</textarea>" in page.text
    assert not Release.objects.exists()


def test_curators_read_but_neither_cut_nor_withdraw(client, releasable):
    client.force_login(releasable["manager"])
    cut_through_the_page(client)
    run_pending()
    client.force_login(releasable["curator"])
    page = client.get("/annotate/p/p/releases")
    assert "2026.12" in page.text and "Cut a release" not in page.text
    assert cut_through_the_page(client, name="2027.01").status_code == 403
    assert "Withdraw" not in client.get("/annotate/p/p/releases/2026.12/").text
    assert client.post("/annotate/p/p/releases/2026.12/withdraw", {"reason": "x"}).status_code == 403
    client.force_login(releasable["annotator"])
    assert client.get("/annotate/p/p/releases").status_code == 403
    assert client.get("/annotate/p/p/releases/2026.12/download").status_code == 403


def test_withdrawing_hides_it_from_the_list(client, releasable):
    client.force_login(releasable["manager"])
    cut_through_the_page(client)
    run_pending()
    client.post("/annotate/p/p/releases/2026.12/withdraw", {"reason": "wrong labels"})
    listing = client.get("/annotate/p/p/releases").text
    assert "/annotate/p/p/releases/2026.12/download" not in listing and "Show 1 withdrawn release" in listing
    assert "/annotate/p/p/releases/2026.12/" in client.get("/annotate/p/p/releases?withdrawn=1").text
    assert "Withdrawn" in client.get("/annotate/p/p/releases/2026.12/").text and "wrong labels" in client.get(
        "/annotate/p/p/releases/2026.12/").text


def test_the_diff_page_and_its_htmx_part(client, releasable):
    client.force_login(releasable["manager"])
    cut_through_the_page(client)
    cut_through_the_page(client, name="2026.12.2")
    run_pending()
    page = client.get("/annotate/p/p/releases/diff", {"from": "2026.12", "to": "2026.12.2"})
    assert page.status_code == 200 and "<h1>Compare releases</h1>" in page.text
    assert 'id="diff-changed">0<' in page.text and "No mark was added or removed" in page.text
    part = client.get("/annotate/p/p/releases/diff", {"from": "2026.12", "to": "nope"}, headers={"HX-Request": "true"})
    assert "<h1>" not in part.text and "No built release &#x27;nope&#x27;" in part.text


def test_the_pages_take_constant_queries(client, releasable, django_assert_max_num_queries):
    client.force_login(releasable["manager"])
    for name in ("a1", "a2", "a3"):
        cut_through_the_page(client, name=name)
    run_pending()
    with django_assert_max_num_queries(14):
        assert client.get("/annotate/p/p/releases").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/annotate/p/p/releases/a1/").status_code == 200
