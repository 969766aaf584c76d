"""Suggestions in Chromium (#18 item 6): a model's predictions are drawn dashed with "?", apart from the
annotator's own; + accepts the one clicked, - rejects the one under the caret (it stays away after a
reload), * accepts every suggestion of a label; a name the annotator marks is then suggested where it
appears again (the gazetteer)."""

import io
import json

import pytest
from playwright.sync_api import expect

from annotate.interop.importing.files import annotation_file_import
from annotate.models import Role, Span, Task
from annotate.services import project_update, tasks_assign
from tests.browser.annotation_helpers import drag_select, wait_version
from tests.browser.conftest import log_in
from tests.factories import import_texts, make_collection, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Putin ile Erdoğan Ankara'da görüştü.\nPutin ve Erdoğan Moskova'ya gidecek."


def at(needle, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return {"start": start, "end": start + len(needle)}


def click_on(page, needle, nth=0):
    box = page.evaluate("""([needle, nth]) => {
      const el = Array.from(document.querySelectorAll('#text [data-kind="suggestion"]'))
        .filter(e => e.textContent.includes(needle))[nth];
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    }""", [needle, nth])
    assert box, f"no suggestion on {needle!r}"
    page.mouse.click(*box)


def test_accept_reject_and_accept_all_from_the_keyboard(page, db):
    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    record = {"text": TEXT, "entities": [{**at("Putin"), "label": "PER"}, {**at("Putin", 1), "label": "PER"},
                                         {**at("Erdoğan"), "label": "PER"}, {**at("Ankara"), "label": "GPE"}]}
    annotation_file_import(project=project, stream=io.BytesIO(json.dumps(record).encode()), name="p.jsonl",
                           fmt="jsonl", as_predictions="ner:7")
    project_update(project=project, suggest_gazetteer=True)
    task = Task.objects.get(annotator=ayse)
    log_in(page, "ayse")
    page.goto(task.get_absolute_url())
    suggestions = page.locator('#text [data-kind="suggestion"].start')
    expect(suggestions).to_have_count(4)
    # Told apart without colour: a dashed outline, and the label drawn with "?".
    first = suggestions.first
    assert first.evaluate("e => getComputedStyle(e).outlineStyle") == "dashed"
    assert first.get_attribute("data-name") == "PER?" and "model:ner:7" in first.get_attribute("title")
    expect(page.locator("#suggestions")).to_contain_text("Accept all PER (3)")

    click_on(page, "Ankara")  # selects the suggestion
    page.keyboard.press("+")
    wait_version(page, 1)
    expect(page.locator('#text [data-kind="span"]', has_text="Ankara")).to_have_count(1)
    expect(suggestions).to_have_count(3)
    span = Span.objects.get(task=task)
    assert (TEXT[span.start:span.end], span.origin) == ("Ankara", "model:ner:7")

    click_on(page, "Erdoğan")  # the caret in it
    page.keyboard.press("-")
    wait_version(page, 2)
    expect(suggestions).to_have_count(2)
    page.reload()
    expect(page.locator('#text [data-kind="suggestion"].start')).to_have_count(2)  # the rejection is kept

    click_on(page, "Putin")
    page.keyboard.press("*")  # every PER suggestion: both Putins
    wait_version(page, 3)
    expect(page.locator('#text [data-kind="suggestion"]')).to_have_count(0)
    expect(page.locator("#suggestions")).to_contain_text("No suggestions left")
    assert sorted(TEXT[s.start:s.end] for s in Span.objects.filter(task=task, label__name="PER")) == ["Putin", "Putin"]

    # The annotator marks the first Erdoğan themselves: the second is suggested by the gazetteer.
    drag_select(page, "Erdoğan")
    page.keyboard.press("p")
    wait_version(page, 4)
    second = page.locator('#text [data-kind="suggestion"].start')
    expect(second).to_have_count(1)
    expect(second).to_have_text("Erdoğan")
    assert "gazetteer" in second.get_attribute("title")
