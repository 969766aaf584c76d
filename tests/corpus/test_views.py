import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from corpus.models import Collection, Document
from jobs.models import Job
from tests.factories import import_paths, import_texts, make_collection

PAGES = ["corpus:collections", "corpus:collection", "corpus:document", "corpus:import"]


@pytest.fixture
def wire(db, seeds_dir):
    collection = make_collection("wire", "Wire")
    import_paths(collection, seeds_dir)
    return collection


def url_of(name, collection):
    if name == "corpus:collection":
        return reverse(name, kwargs={"slug": collection.slug})
    if name == "corpus:document":
        return reverse(name, kwargs={"pk": Document.objects.first().pk})
    return reverse(name)


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_log_in(client, wire, name):
    response = client.get(url_of(name, wire))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", PAGES)
def test_annotators_without_corpus_rights_get_403(client, wire, annotator, name):
    client.force_login(annotator)
    assert client.get(url_of(name, wire)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("who", ["staff", "corpus_manager"])
def test_staff_and_corpus_managers_see_every_page(client, wire, name, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(url_of(name, wire)).status_code == 200


def test_collection_list_shows_counts_in_one_query(client, wire, staff, django_assert_max_num_queries):
    make_collection("empty", "Empty")
    client.force_login(staff)
    with django_assert_max_num_queries(4):  # session, user, collections (+ savepoint-free)
        response = client.get(reverse("corpus:collections"))
    content = response.content.decode()
    assert "Wire" in content and ">5<" in content and "Empty" in content


def test_document_list_search_and_language_filter(client, wire, staff, django_assert_max_num_queries):
    client.force_login(staff)
    url = reverse("corpus:collection", kwargs={"slug": "wire"})
    with django_assert_max_num_queries(4):
        content = client.get(url).content.decode()
    assert content.count('href="/corpus/d/') == 5
    found = client.get(url, {"q": "Mişustin"}).content.decode()
    assert found.count('href="/corpus/d/') == 1 and "HANGZHOU" in found
    albanian = client.get(url, {"language": "sq"}).content.decode()
    assert albanian.count('href="/corpus/d/') == 1 and "Presidenti i Kinës" in albanian
    assert "No documents match" in client.get(url, {"q": "zzzqqq"}).content.decode()


@pytest.mark.django_db
def test_turkish_search_finds_inflected_forms_on_postgresql(client, staff):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's full-text search; SQLite does substring search")
    collection = make_collection()
    import_texts(
        collection, "İki ülkenin anlaşmaları imzalandı.", "Kryeministri priti homologun.", language="tr"
    )
    client.force_login(staff)
    url = reverse("corpus:collection", kwargs={"slug": collection.slug})
    for query in ("ülke", "anlaşma", "ülke anlaşma"):  # neither word stands in the text as written
        assert client.get(url, {"q": query}).content.decode().count('href="/corpus/d/') == 1, query


def test_htmx_search_returns_only_the_results_fragment(client, wire, staff):
    client.force_login(staff)
    response = client.get(
        reverse("corpus:collection", kwargs={"slug": "wire"}), {"q": "Lavrov"}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="results">') and "<html" not in content


def test_paging_without_counting(client, staff, db):
    collection = make_collection()
    import_texts(collection, *[f"Haber {i}." for i in range(55)], language="tr")
    client.force_login(staff)
    url = reverse("corpus:collection", kwargs={"slug": collection.slug})
    first = client.get(url).content.decode()
    assert first.count('href="/corpus/d/') == 50 and "Next →" in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert second.count('href="/corpus/d/') == 5 and "Next →" not in second and "← Previous" in second


def test_document_page_shows_text_and_metadata_escaped(client, staff, django_assert_max_num_queries):
    collection = make_collection()
    import_texts(collection, "Metin <script>alert('x')</script> ve <img src=x onerror=alert(1)> burada.")
    client.force_login(staff)
    with django_assert_max_num_queries(4):
        response = client.get(Document.objects.get().get_absolute_url())
    content = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "<img src=x" not in content and "<script>alert" not in content
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_upload_page_imports_and_shows_the_report(client, corpus_manager, seeds_dir, run_jobs):
    make_collection("wire", "Wire")
    client.force_login(corpus_manager)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in sorted(seeds_dir.iterdir())]
    response = client.post(
        reverse("corpus:import"),
        {"collection": Collection.objects.get().pk, "format": "auto", "files": files},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 202 and content.lstrip().startswith('<section id="import-result"')
    job = Job.objects.get()
    # The answer is the job's status, which asks for itself again until the job has finished.
    assert "Waiting for a worker" in content and f'hx-get="/jobs/{job.pk}/"' in content
    assert 'hx-trigger="every 1s"' in content and not Document.objects.exists()
    run_jobs()
    status = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert status.lstrip().startswith(f'<section id="job-{job.pk}"') and "hx-get" not in status
    assert "Imported 5, duplicates skipped 0, rejected 0." in status and "Finished" in status
    assert Document.objects.count() == 5


def test_upload_without_htmx_goes_to_the_job_page(client, corpus_manager, run_jobs):
    make_collection("wire", "Wire")
    client.force_login(corpus_manager)
    good = SimpleUploadedFile("good.jsonl", b'{"text": "iyi haber"}\n')
    response = client.post(reverse("corpus:import"), {"collection": Collection.objects.get().pk, "format": "auto",
                                                      "files": [good]})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "Import 1 file into wire" in page and "Imported 1, duplicates skipped 0" in page


def test_upload_page_creates_a_collection_and_reports_problems(client, corpus_manager, run_jobs):
    client.force_login(corpus_manager)
    bad = SimpleUploadedFile("bad.jsonl", b'{"text": "iyi"}\n{"text": ')
    client.post(reverse("corpus:import"), {"new_collection": "fresh", "format": "auto", "files": [bad]})
    run_jobs()
    job = Job.objects.get()
    content = client.get(job.get_absolute_url()).content.decode()
    assert job.state == "succeeded" and job.result["committed"] is False
    assert "bad.jsonl" in content and "malformed JSON" in content and "Nothing was written" in content
    assert "import again with “Skip invalid”" in content  # the page's own checkbox, not only the command's flag
    assert not Collection.objects.exists() and not Document.objects.exists()
    good = SimpleUploadedFile("good.jsonl", b'{"text": "iyi haber"}\n')
    client.post(reverse("corpus:import"), {"new_collection": "fresh", "format": "auto", "files": [good]})
    run_jobs()
    assert Collection.objects.get().slug == "fresh" and Collection.objects.get().document_count == 1


def test_upload_page_form_errors(client, corpus_manager):
    client.force_login(corpus_manager)
    content = client.post(reverse("corpus:import"), {"format": "auto"}).content.decode()
    assert "Choose one or more files" in content and "Choose a collection or name a new one" in content


def test_an_import_started_in_turkish_reports_in_turkish(client, corpus_manager, run_jobs):
    """The job runs in the language of the person who started it (Job.language), whatever the worker's: the
    label, the summary and a refused line are Turkish, the counts grouped the Turkish way."""
    from django.utils import translation

    make_collection("wire", "Wire")
    client.force_login(corpus_manager)
    client.post("/accounts/language", {"language": "tr", "next": "/"})
    lines = b"".join(b'{"text": "haber %d"}\n' % n for n in range(1200)) + b'{"text": 7}\n'
    upload = SimpleUploadedFile("haberler.jsonl", lines)
    client.post(reverse("corpus:import"), {"collection": Collection.objects.get().pk, "format": "auto",
                                           "files": [upload], "skip_invalid": "on"})
    job = Job.objects.get()
    assert job.language == "tr" and job.label == "1 dosyayı wire koleksiyonuna aktar"
    translation.activate("en")  # the worker's own language does not matter
    run_jobs()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "1.200 içe aktarıldı, 0 kopya atlandı, 1 reddedildi." in page
    assert "<th>Satır</th><th>Neden</th>" in page and "<td>1201</td><td>`text` bir dize olmalı</td>" in page
