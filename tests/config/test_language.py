"""The interface's language (#32): the browser's Accept-Language until a person chooses; the choice kept with
their account (back at each login, also in a new browser) and in a cookie for the login page after logout;
<html lang> says which; a bad choice or a foreign `next` changes nothing."""

import json

import pytest
from django.test import Client

from config.models import UserLanguage
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_accept_language_decides_until_a_person_chooses():
    page = Client(headers={"accept-language": "tr-TR,tr;q=0.9,en;q=0.5"}).get("/accounts/login/")
    assert '<html lang="tr">' in page.text and "<h1>Giriş yap</h1>" in page.text
    page = Client(headers={"accept-language": "sq"}).get("/accounts/login/")
    assert '<html lang="sq">' in page.text and "<h1>Hyr</h1>" in page.text
    page = Client(headers={"accept-language": "de"}).get("/accounts/login/")
    assert '<html lang="en">' in page.text and "<h1>Log in</h1>" in page.text


def test_the_choice_is_kept_with_the_account_across_logins_and_browsers():
    user = make_user("ayse")
    browser = Client(headers={"accept-language": "en"})
    browser.force_login(user)
    response = browser.post("/accounts/language", {"language": "tr", "next": "/annotate/"})
    assert response.status_code == 302 and response.url == "/annotate/"
    assert UserLanguage.objects.get(user=user).language == "tr"
    assert "Projeler" in browser.get("/annotate/").text
    browser.post("/accounts/logout/")
    assert "<h1>Giriş yap</h1>" in browser.get("/accounts/login/").text  # the cookie, after logout
    elsewhere = Client(headers={"accept-language": "sq"})  # another browser, which asks for Albanian
    elsewhere.post("/accounts/login/", {"username": "ayse", "password": PASSWORD})
    page = elsewhere.get("/annotate/")
    assert '<html lang="tr">' in page.text and "Çıkış yap (ayse)" in page.text


def test_a_bad_choice_or_a_foreign_next_changes_nothing():
    user = make_user("ayse")
    browser = Client()
    browser.force_login(user)
    assert browser.post("/accounts/language", {"language": "xx", "next": "/annotate/"}).url == "/annotate/"
    assert not UserLanguage.objects.filter(user=user).exists()
    assert browser.post("/accounts/language", {"language": "sq", "next": "https://evil.example/"}).url == "/"
    assert browser.get("/accounts/language").status_code == 405


def test_the_scripts_catalogue_is_the_language_its_address_names():
    browser = Client(headers={"accept-language": "sq"})  # whatever the person's language, the address decides
    def escaped(text):  # the catalogue is JSON inside the script
        return json.dumps(text)[1:-1]

    turkish = browser.get("/jsi18n/tr.js")
    assert turkish.status_code == 200 and escaped("Önce bir metin seçin.") in turkish.content.decode()
    assert "public" in turkish["Cache-Control"]
    assert escaped("Fillimisht përzgjidhni pak tekst.") in browser.get("/jsi18n/sq.js").content.decode()
    assert browser.get("/jsi18n/de.js").status_code == 404


@pytest.mark.parametrize("language, words", [
    ("tr", {"/annotate/p/proj/": "Etiketleyici başına", "/annotate/p/proj/curation": "Kürasyona hazır",
            "/annotate/p/proj/agreement": "Raporu süz", "/annotate/p/proj/export": "Özeti göster",
            "/annotate/p/proj/assign": "Ne yapılacak", "/annotate/p/proj/members": "Etiketleyiciler görev alır",
            "/annotate/p/proj/models": "Altın standarda karşı modeller", "/annotate/p/proj/releases": "Sürüm kes",
            "/annotate/p/proj/settings": "Kaydet", "/corpus/": "Haber içe aktar", "/corpus/import/": "Dosyalar",
            "/jobs/": "Henüz iş yok", "/annotate/p/nowhere/": "Bulunamadı"}),
    ("sq", {"/annotate/p/proj/": "Sipas anotuesit", "/annotate/p/proj/curation": "Gati për kurim",
            "/annotate/p/proj/agreement": "Filtro raportin", "/annotate/p/proj/export": "Shfaq përmbledhjen",
            "/annotate/p/proj/assign": "Çfarë të bëhet", "/annotate/p/proj/members": "Anotuesit marrin detyra",
            "/annotate/p/proj/models": "Modelet përballë standardit të artë", "/annotate/p/proj/releases": "Prit një botim",
            "/annotate/p/proj/settings": "Ruaj", "/jobs/": "Ende asnjë punë", "/annotate/p/nowhere/": "Nuk u gjet"}),
])
def test_the_managers_and_curators_pages_speak_the_chosen_language(language, words):
    from annotate.models import Role
    from tests.factories import make_project

    manager = make_user("mira", is_staff=True)
    make_project("proj", members=[(manager, Role.MANAGER)])
    browser = Client()
    browser.force_login(manager)
    browser.post("/accounts/language", {"language": language, "next": "/"})
    for url, phrase in words.items():
        page = browser.get(url)
        assert page.status_code in (200, 404), (url, page.status_code)
        assert f'<html lang="{language}">' in page.text and phrase in page.text, (url, phrase)


def test_a_refused_change_is_told_in_the_annotators_language():
    import uuid

    from tests.factories import make_task

    task = make_task("Ankara ile Tiran arasında görüşme.", "ayse")
    label = task.project.labels.get(name="PER").pk
    browser = Client()
    browser.force_login(task.annotator)
    browser.post("/accounts/language", {"language": "tr", "next": "/"})
    answer = browser.post(f"/annotate/t/{task.pk}/change", data=json.dumps({
        "op": str(uuid.uuid4()), "version": 0, "action": "span.create", "id": str(uuid.uuid4()), "label": label,
        "start": 30, "end": 90}), content_type="application/json", headers={"HX-Request": "true"})
    assert answer.status_code in (400, 409, 422), answer.status_code
    assert answer.json()["error"] == "30–90 konumları boş ya da metnin dışında (0–34)."


def test_the_parts_the_server_draws_for_the_workspace_speak_the_language():
    from django.utils import translation

    from annotate.workspace.curation import Alignment, rows_html
    from annotate.workspace.lists import events_html, suggestions_html

    with translation.override("tr"):
        assert "Henüz olay yok" in events_html([]) and "Öneri kalmadı" in suggestions_html([])
        assert "Bu belgede kimse bir şey işaretlemedi" in rows_html(Alignment(["ayse"], []), editable=True)
    with translation.override("sq"):
        assert "Ende asnjë ngjarje" in events_html([]) and "Nuk mbetën sugjerime" in suggestions_html([])
    with translation.override("en"):
        assert "No events yet" in events_html([])


@pytest.mark.parametrize("language, written", [
    ("en", ["7 Dec 2026, 14:05", "7 Dec 2026"]),
    ("tr", ["07.12.2026 14:05", "07.12.2026"]),
    ("sq", ["07.12.2026 14:05", "07.12.2026"]),
])
def test_dates_are_written_the_way_of_the_language(language, written, settings):
    """A task's finished time on My work and its assignment day on the task list, as the language writes
    them (config/formats); the time in the server's TIME_ZONE."""
    import datetime as dt

    from annotate.models import Role, Task, TaskStatus
    from tests.factories import make_task

    settings.TIME_ZONE = "Europe/Istanbul"
    task = make_task("Ankara ile Tiran arasında görüşme.", "ayse")
    when = dt.datetime(2026, 12, 7, 11, 5, tzinfo=dt.UTC)  # 14:05 in Istanbul
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.SUBMITTED, finished_at=when, assigned_at=when)
    manager = make_user("mira", is_staff=True)
    task.project.memberships.create(user=manager, role=Role.MANAGER)
    for user, url, expected in ((task.annotator, "/", written[0]),
                                (manager, f"/annotate/p/{task.project.slug}/tasks", written[1])):
        browser = Client()
        browser.force_login(user)
        browser.post("/accounts/language", {"language": language, "next": "/"})
        page = browser.get(url)
        assert page.status_code == 200 and expected in page.text, (url, expected)
        assert "2026-12-07" not in page.text
