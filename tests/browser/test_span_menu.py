"""The flow of the best tools (#28, item 4): a menu at the mark on a click or a right-click, the lists in tabs
beside the text, an event's arguments drawn as links, and a role filled by dragging from the trigger."""

import pytest
from playwright.sync_api import expect

from annotate.models import EventArgument, Span
from tests.browser.annotation_helpers import drag_select, open_own_task, wait_version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Dışişleri Bakanı Hakan Fidan, Elisa Spiropali ile Ankara'da bir araya geldi."


def mark(page, needle, key, version):
    drag_select(page, needle)
    page.keyboard.press(key)
    wait_version(page, version)


def stored(task):
    return sorted((s.label.name, TEXT[s.start:s.end]) for s in Span.objects.filter(task=task).select_related("label"))


def centre(locator):
    """The middle of a mark's first piece (a mark broken over two lines has a box around both)."""
    return locator.evaluate("e => { const r = e.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }")


def drag(page, source, target):
    page.mouse.move(*centre(source))
    page.mouse.down()
    page.mouse.move(*centre(target), steps=8)


def test_a_click_opens_the_menu_at_the_span_and_it_relabels_and_deletes(page, live_server):
    task = open_own_task(page, TEXT)
    mark(page, "Ankara", "p", 1)  # the wrong label first
    span = page.locator("#text .ann.entity", has_text="Ankara")
    span.click()
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    expect(menu).to_contain_text("PER")
    expect(menu).to_contain_text("“Ankara”")
    span_box, menu_box = span.bounding_box(), menu.bounding_box()
    assert abs(menu_box["y"] - (span_box["y"] + span_box["height"])) < 30  # at the span, not somewhere else
    # The other entity labels, each with its key; no event or boilerplate label (another layer).
    items = menu.get_by_role("menuitem")
    names = items.all_inner_texts()
    assert any(n.startswith("GPE") and n.rstrip().endswith("g") for n in names), names
    assert not any(n.startswith(("MEETING", "SHARE")) for n in names), names
    menu.get_by_role("menuitem", name="GPE").click()
    wait_version(page, 2)
    assert stored(task) == [("GPE", "Ankara")]
    expect(page.get_by_role("menu")).to_have_count(0)  # the menu goes once it has done its work
    # A right-click opens the same menu; Delete removes the span.
    page.locator("#text .ann.entity", has_text="Ankara").click(button="right")
    expect(page.get_by_role("menu")).to_contain_text("GPE")
    page.get_by_role("menuitem", name="Delete").click()
    wait_version(page, 3)
    assert stored(task) == []
    # Escape closes a menu without a change.
    mark(page, "Hakan Fidan", "p", 4)
    page.locator("#text .ann.entity", has_text="Hakan Fidan").click()
    expect(page.get_by_role("menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("menu")).to_have_count(0)
    assert stored(task) == [("PER", "Hakan Fidan")]


def test_the_lists_sit_in_tabs_beside_the_text(page, live_server):
    open_own_task(page, TEXT)
    mark(page, "Hakan Fidan", "p", 1)
    mark(page, "bir araya geldi", "1", 2)
    text = page.locator("#text").bounding_box()
    spans_tab, events_tab = page.get_by_role("tab", name="Spans"), page.get_by_role("tab", name="Events")
    expect(spans_tab).to_contain_text("1")
    expect(events_tab).to_contain_text("1")  # the count follows the save
    span_list = page.locator("#span-list")
    expect(span_list).to_be_visible()
    box = span_list.bounding_box()
    assert box["x"] >= text["x"] + text["width"]  # beside the text, not under the article
    assert box["y"] + box["height"] <= page.viewport_size["height"]  # and in view without scrolling
    expect(page.locator("#event-list")).to_be_hidden()
    events_tab.click()
    expect(page.locator("#event-list")).to_be_visible()
    expect(span_list).to_be_hidden()
    expect(page.locator("#event-list")).to_contain_text("MEETING")
    page.keyboard.press("ArrowLeft")  # the tabs pattern: arrows move between tabs
    expect(spans_tab).to_have_attribute("aria-selected", "true")
    expect(span_list).to_be_visible()


def test_a_trigger_menu_fills_roles_and_a_drag_from_the_trigger_fills_one_and_links_are_drawn(page, live_server):
    task = open_own_task(page, TEXT)
    mark(page, "Hakan Fidan", "p", 1)
    mark(page, "Elisa Spiropali", "p", 2)
    mark(page, "Ankara", "g", 3)
    mark(page, "bir araya geldi", "1", 4)
    trigger = page.locator('#text .ann[data-kind="event"]').first
    trigger.click()
    menu = page.get_by_role("menu")
    expect(menu).to_contain_text("participant (0 of 2+)")
    menu.get_by_role("menuitem", name="participant").click()
    page.locator("#text .ann.entity", has_text="Hakan Fidan").click()
    wait_version(page, 5)
    # Drag from the selected trigger to an entity: a PER can only be a participant, so that is the role.
    trigger.click()
    expect(page.get_by_role("menu")).to_be_visible()
    page.keyboard.press("Escape")
    trigger.click()  # selected again, menu open; the drag starts on the trigger
    drag(page, trigger, page.locator("#text .ann.entity", has_text="Elisa Spiropali"))
    expect(page.locator("#links .drag-line")).to_have_count(1)  # a line follows the pointer
    page.mouse.up()
    wait_version(page, 6)
    # Ankara may be a participant or the place: a drop asks which.
    trigger.click()
    page.keyboard.press("Escape")
    trigger.click()
    drag(page, trigger, page.locator("#text .ann.entity", has_text="Ankara"))
    page.mouse.up()
    chooser = page.get_by_role("menu")
    expect(chooser).to_contain_text("“Ankara” is the event's…")
    chooser.get_by_role("menuitem", name="place").click()
    wait_version(page, 7)
    args = sorted((a.role.name, TEXT[a.span.start:a.span.end]) for a in EventArgument.objects.filter(event__task=task)
                  .select_related("role", "span"))
    assert args == [("participant", "Elisa Spiropali"), ("participant", "Hakan Fidan"), ("place", "Ankara")]
    # The links: one arrow per argument, from the trigger, each with its role's name.
    links = page.locator("#links g.link")
    expect(links).to_have_count(3)
    assert sorted(links.all_text_contents()) == ["participant", "participant", "place"]
    expect(page.locator("#links g.link.strong")).to_have_count(3)  # the selected event's links stand out
    page.screenshot(path="var/screenshot-event-links.png", clip={"x": 0, "y": 0, "width": 1280, "height": 400})


def test_a_suggestions_menu_accepts_one_and_rejects_one(page, live_server):
    import io
    import json

    from annotate.interop.importing.files import annotation_file_import
    from annotate.models import Role, Task
    from annotate.services import tasks_assign
    from tests.browser.conftest import log_in
    from tests.factories import import_texts, make_collection, make_project, make_user

    collection = make_collection("wire")
    import_texts(collection, TEXT, language="tr")
    ayse = make_user("ayse")
    project = make_project("p", collections=[collection], overlap=1, members=[(ayse, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[ayse])
    entities = [{"start": TEXT.index(n), "end": TEXT.index(n) + len(n), "label": label}
                for n, label in [("Hakan Fidan", "PER"), ("Ankara", "GPE")]]
    annotation_file_import(project=project, stream=io.BytesIO(json.dumps({"text": TEXT, "entities": entities}).encode()),
                           name="p.jsonl", fmt="jsonl", as_predictions="ner:1")
    task = Task.objects.get(annotator=ayse)
    log_in(page, "ayse")
    page.goto(task.get_absolute_url())
    expect(page.get_by_role("tab", name="Suggestions")).to_have_attribute("aria-selected", "true")  # left to settle: first
    page.locator('#text [data-kind="suggestion"]', has_text="Hakan Fidan").first.click()
    menu = page.get_by_role("menu")
    expect(menu).to_contain_text("PER?")
    menu.get_by_role("menuitem", name="Accept", exact=False).first.click()
    wait_version(page, 1)
    assert stored(task) == [("PER", "Hakan Fidan")]
    page.locator('#text [data-kind="suggestion"]', has_text="Ankara").first.click(button="right")
    page.get_by_role("menu").get_by_role("menuitem", name="Reject").click()
    wait_version(page, 2)
    expect(page.locator('#text [data-kind="suggestion"]')).to_have_count(0)
    expect(page.get_by_role("tab", name="Suggestions")).to_contain_text("0")
