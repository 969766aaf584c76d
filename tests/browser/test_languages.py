"""The interface in Turkish and Albanian (#32) in Chromium: chosen in the menu, kept after logging out and
in, the page scripts' words translated too (a label key with nothing selected, a span saved)."""

import pytest
from playwright.sync_api import expect

from annotate.models import Span
from tests.browser.annotation_helpers import drag_select, open_own_task
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "ANKARA (AA) -- Dışişleri Bakanı Hakan Fidan bugün Tiran'da konuştu."


def choose(page, language: str) -> None:
    """The top bar's menu: choosing is enough (the page sends the form)."""
    with page.expect_navigation():
        page.locator("#language-choice").select_option(language)


def test_turkish_then_albanian_kept_across_logins_with_the_scripts_words(page):
    task = open_own_task(page, TEXT)
    choose(page, "tr")
    expect(page.locator("html")).to_have_attribute("lang", "tr")
    expect(page.get_by_role("link", name="Projeler")).to_be_visible()
    expect(page.locator("#save-state")).to_have_text("Kaydedildi")
    expect(page.locator("#text")).to_have_attribute("lang", "tr")  # the article keeps its own language

    page.locator("#text").focus()
    page.keyboard.press("p")  # a label key, nothing selected: the script answers in Turkish
    expect(page.locator("#notice")).to_have_text("Önce bir metin seçin.")
    drag_select(page, "Hakan Fidan")
    page.keyboard.press("p")
    expect(page.locator("#workspace")).to_have_attribute("data-version", "1")
    expect(page.locator("#save-state")).to_have_text("Kaydedildi")
    assert Span.objects.get(task=task).label.name == "PER"

    page.get_by_role("button", name="Çıkış yap (ayse)").click()
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Giriş yap")).to_be_visible()
    page.context.clear_cookies()  # another browser: only the account remembers
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("ayse")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hoş geldiniz, ayse").or_(page.locator("h1"))).to_be_visible()
    expect(page.get_by_role("link", name="Projeler")).to_be_visible()

    choose(page, "sq")
    expect(page.locator("html")).to_have_attribute("lang", "sq")
    expect(page.get_by_role("link", name="Projektet")).to_be_visible()
    page.goto(task.get_absolute_url())
    expect(page.get_by_role("tab", name="Segmentet 1")).to_be_visible()
    expect(page.locator("#save-state")).to_have_text("U ruajt")
