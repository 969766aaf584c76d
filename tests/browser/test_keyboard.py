"""Keyboard precision: the text has the focus from the start, arrows move by word over the stored tokens
and skip punctuation such as "--", Alt+Shift moves an edge by one character, Enter on a margin selects the
paragraph as a click does, and ? shows the keys."""

import pytest
from playwright.sync_api import expect

from annotate.models import Span
from tests.browser.annotation_helpers import open_own_task, wait_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "ANKARA (AA) -- Türk Devletleri Teşkilatı toplandı.\nPaylaş Tweetle"


def test_words_by_arrows_skip_dashes_characters_by_alt_and_enter_on_a_margin(page, db):
    task = open_own_task(page, TEXT)
    assert page.evaluate("document.activeElement.id") == "text"  # no Tab needed to reach the text
    page.keyboard.press("ArrowRight")  # to the start of "AA" (the bracket is not a word)
    page.keyboard.press("ArrowRight")  # to the start of "Türk": "--" is skipped
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "Türk Devletleri"
    page.keyboard.press("o")
    wait_version(page, 1)
    page.keyboard.press("ArrowRight")  # the caret was left after "Devletleri": to the start of "Teşkilatı"
    for _ in range(3):
        page.keyboard.press("Alt+Shift+ArrowRight")
    assert page.evaluate("window.getSelection().toString()") == "Teş"
    page.keyboard.press("Alt+m")  # Alt keeps the exact characters
    wait_version(page, 2)
    stored = sorted((s.label.name, TEXT[s.start:s.end]) for s in Span.objects.filter(task=task).select_related("label"))
    assert stored == [("MISC", "Teş"), ("ORG", "Türk Devletleri")]
    # Enter on a paragraph's margin does what a click does: the paragraph is chosen, a boilerplate key marks it.
    page.locator("#text .line").nth(1).locator(".margin").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#text .line.chosen")).to_have_count(1)
    page.keyboard.press("s")  # SHARE
    wait_version(page, 3)
    assert Span.objects.filter(task=task, label__name="SHARE").get().start == TEXT.index("Paylaş")
    # ? shows the keys, every row of the one key table; Escape closes them.
    from annotate.models.keys import keymap

    page.keyboard.press("?")
    expect(page.locator("#keymap")).to_be_visible()
    expect(page.locator("#keymap tr")).to_have_count(len(keymap()) + 1)  # and "a label's key"
    for _shown, help_text in keymap():
        expect(page.locator("#keymap")).to_contain_text(str(help_text))
    page.keyboard.press("Escape")
    expect(page.locator("#keymap")).to_be_hidden()
    # Undo and redo by the table's keys: Ctrl+Z takes the SHARE span away, Ctrl+Y and Ctrl+Shift+Z put it back.
    page.keyboard.press("Control+z")
    wait_version(page, 4)
    assert not Span.objects.filter(task=task, label__name="SHARE").exists()
    page.keyboard.press("Control+y")
    wait_version(page, 5)
    assert Span.objects.filter(task=task, label__name="SHARE").exists()
    page.keyboard.press("Control+z")
    wait_version(page, 6)
    page.keyboard.press("Control+Shift+z")
    wait_version(page, 7)
    assert Span.objects.filter(task=task, label__name="SHARE").exists()
