"""Every page of the URL conf, with the demo data, for each demo role, in Turkish and in Albanian: no sentence
of the interface is left in English (#32). A sentence counts as English when it reads the same as on the
English page and has at least two English function words; what the data holds (articles, guidelines,
descriptions, names, the labels of the demo's jobs) is the users' own text and is not the interface's.

This catches what the template and script checks (test_translations.py) cannot: text that Python writes into
a page (forms, model choices, messages, parts the server draws)."""

import html
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.page_walk import demo_pages, demo_values

pytestmark = pytest.mark.django_db

_FUNCTION_WORDS = ("the of and to is was with for by at on this that are be has have not no from or an it its as will "
                   "which who what when can you your there their them")
ENGLISH = frozenset(_FUNCTION_WORDS.split(" "))
# Names of things that are spelt the same in every language.
NAMES = {"date YYYY-MM-DD"}


def segments(page: str) -> set[str]:
    """The text a person reads: between tags, and in title, aria-label, placeholder, alt."""
    page = re.sub(r"(?s)<(script|style|textarea|pre)\b.*?</\1>", " ", page)
    attributes = re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    text = re.sub(r"(?s)<[^>]+>", "\n", page).split("\n")
    return {s for s in (html.unescape(x).strip() for x in [*text, *attributes]) if s}


def english(segment: str) -> bool:
    words = re.findall(r"[A-Za-z]+", segment)
    return len(words) >= 3 and sum(w.lower() in ENGLISH for w in words) >= 2


def users_text() -> str:
    """Everything the demo's users wrote or imported, as one string to look segments up in."""
    from annotate.models import Label, Project, Release
    from corpus.models import Collection, Document
    from jobs.models import Job

    parts = [*Document.objects.values_list("text", flat=True), *Document.objects.values_list("title", flat=True)]
    for model, fields in ((Project, ("name", "description", "guidelines")), (Label, ("description",)),
                          (Collection, ("name", "source")), (Release, ("name", "notes")), (Job, ("label",))):
        for row in model.objects.values_list(*fields):
            parts.extend(row)
    return "\n".join(p for p in parts if p)


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("load_demo", verbosity=0)
    return demo_values()


@pytest.mark.slow
@pytest.mark.parametrize("language", ["tr", "sq"])
def test_no_page_is_left_in_english(demo, language):
    from django.contrib.auth import get_user_model

    pages, data, left = demo_pages(demo), users_text(), {}
    for role in ("manager", "curator", "annotator1"):
        reader = {}
        for shown in ("en", language):
            browser = Client()
            browser.force_login(get_user_model().objects.get(username=role))
            browser.post("/accounts/language", {"language": shown, "next": "/"})
            for _name, url in pages:
                answer = browser.get(url)
                if answer.status_code == 200 and "text/html" in answer.get("content-type", ""):
                    reader.setdefault(shown, {})[url] = segments(answer.content.decode())
        assert len(reader[language]) >= 10, f"{role} opened too few pages: {sorted(reader[language])}"
        for url, seen in reader[language].items():
            for segment in seen & reader["en"].get(url, set()):
                if english(segment) and segment not in NAMES and segment not in data:
                    left.setdefault(segment, set()).add(f"{role} {url}")
    assert not left, "\n".join(f"{segment!r} on {sorted(where)[:3]}" for segment, where in sorted(left.items()))


def test_the_check_finds_an_english_sentence_and_lets_names_and_turkish_pass():
    assert english("None ticked: all of the project's collections.")
    assert not english("Hiçbiri işaretlenmezse: projenin tüm koleksiyonları.")
    assert not english("PER ORG GPE")
    assert segments('<p title="What to mark">Bir <b>işaret</b></p>') == {"What to mark", "Bir", "işaret"}


def test_the_admin_names_every_model_and_column_in_the_language():
    """The Django admin (the superuser's back office): Django translates its frame; our models, their fields,
    help texts, actions and choices are marked too (verbose names, migration 0018 and friends)."""
    from django.apps import apps
    from django.contrib import admin
    from django.utils import translation

    from tests.factories import make_task, make_user

    make_task("Ankara ile Tiran arasında görüşme.", "ayse")  # a row, so that the change list shows its columns
    ours = [m for m in admin.site._registry if m._meta.app_label in ("annotate", "corpus", "jobs", "site")]
    assert len(ours) >= 20
    for language in ("tr", "sq"):
        with translation.override(language):
            for model in ours:
                for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
                    with translation.override("en"):
                        english_name = str(name)
                    assert str(name) != english_name, (language, model, english_name)
    browser = Client()
    browser.force_login(make_user("root", is_staff=True, is_superuser=True))
    browser.post("/accounts/language", {"language": "tr", "next": "/"})
    page = browser.get("/admin/annotate/task/").content.decode()
    assert "Etiketleyici" in page and "Atanma zamanı" in page and "Unassign the selected" not in page
    with translation.override("en"):
        assert str(apps.get_model("annotate", "Task")._meta.get_field("status").verbose_name) == "status"
