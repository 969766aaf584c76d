"""Every key does what it says or refuses with a message (issue #28 item 2), with the mouse and keys as a
person uses them: an entity key on a paragraph is refused, a second key on a marked span relabels it, the
same key again is already there, and undo with nothing to undo is a notice, never a refused change."""

import pytest
from playwright.sync_api import expect

from annotate.models import Span, Task
from tests.browser.annotation_helpers import drag_select, open_own_task, wait_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Bakan Bakü'de Aliyev ile görüştü.\nPaylaş Tweetle"


def test_refused_keys_relabels_duplicates_and_quiet_undo(page):
    open_own_task(page, TEXT)

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
