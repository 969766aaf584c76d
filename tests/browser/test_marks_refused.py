"""Every key does what it says or refuses with a message (issue #28 item 2), with the mouse and keys as a
person uses them: an entity key on a paragraph is refused, a second key on a marked span relabels it, the
same key again is already there, and undo with nothing to undo is a notice, never a refused change."""

import pytest
from playwright.sync_api import expect

from annotate.models import Role, Span, Task
from annotate.services import tasks_assign
from tests.browser.annotation_helpers import drag_select, wait_version
from tests.browser.conftest import log_in
from tests.factories import import_texts, make_collection, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Bakan Bakü'de Aliyev ile görüştü.\nPaylaş Tweetle"


def test_refused_keys_relabels_duplicates_and_quiet_undo(page):
    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    task = Task.objects.get()
    log_in(page, "ayse")
    page.goto(task.get_absolute_url())
    page.locator("#text").wait_for()

    # Undo with nothing to undo: a notice; the save state stays trustworthy.
    page.keyboard.press("Control+z")
    expect(page.locator("#notice")).to_have_text("Nothing to undo.")
    expect(page.locator("#save-state")).to_have_text("Saved")

    # A word, then End: paragraphs are chosen to the end; an entity key is refused with a message.
    drag_select(page, "Bakü'de")
    page.keyboard.press("End")
    expect(page.locator("#text .line.chosen")).to_have_count(2)
    page.keyboard.press("p")  # PER
    expect(page.locator("#notice")).to_contain_text("boilerplate keys take paragraphs")
    assert not Span.objects.exists()
    page.keyboard.press("Escape")

    # "Bakü" as ORG, then the same characters with GPE's key: one span, relabelled.
    drag_select(page, "Bakü")
    page.keyboard.press("o")
    wait_version(page, 1)
    drag_select(page, "Bakü")
    page.keyboard.press("g")
    wait_version(page, 2)
    expect(page.locator("#notice")).to_contain_text("ORG → GPE")
    assert [(s.label.name, TEXT[s.start:s.end]) for s in Span.objects.select_related("label")] == [("GPE", "Bakü")]
    # The same key once more: already there, nothing written, the page says so.
    drag_select(page, "Bakü")
    page.keyboard.press("g")
    expect(page.locator("#notice")).to_contain_text("Already there")
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert Span.objects.count() == 1 and Task.objects.get().version == 2
    expect(page.locator("#text [data-kind='span']")).to_have_count(1)
