"""A person annotating in Chromium with the mouse and the keyboard."""

import pytest
from playwright.sync_api import expect

from annotate.models import Event, Role, Span, Task
from annotate.services import tasks_assign
from tests.browser.annotation_helpers import drag_select, open_own_task, wait_version
from tests.browser.conftest import log_in
from tests.factories import import_texts, make_collection, make_project, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_seed(page, user, stem):
    task = Task.objects.get(annotator=user, document__external_id=stem)
    log_in(page, user.username)
    page.goto(task.get_absolute_url())
    page.locator("#text").wait_for()
    return task


def stored(task):
    return [(s.label.name, task.document.text[s.start : s.end]) for s in Span.objects.filter(task=task).select_related("label")]


def test_select_vladimir_putin_with_the_mouse_press_p_and_it_stays_after_reload(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    drag_select(page, "Vladimir Put", shrink=0)  # a partial word: the selection snaps to "Vladimir Putin"
    page.keyboard.press("p")
    wait_version(page, 1)
    assert stored(task) == [("PER", "Vladimir Putin")]
    span = page.locator("#text .ann.entity")
    assert span.inner_text() == "Vladimir Putin" and span.is_visible()
    page.reload()
    assert page.locator("#text .ann.entity").inner_text() == "Vladimir Putin"
    page.screenshot(path="var/screenshot-annotation.png", full_page=True)


def test_snapping_rusy_inside_rusyanin_gives_rusya(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    drag_select(page, "Rusy", nth=0)
    page.keyboard.press("g")
    wait_version(page, 1)
    assert stored(task) == [("GPE", "Rusya")]


def test_a_meeting_with_two_participants_and_a_place(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    for needle, key, version in [("Xi Jinping", "p", 1), ("Vladimir Putin", "p", 2), ("BEİJİNG", "g", 3)]:
        drag_select(page, needle)
        page.keyboard.press(key)
        wait_version(page, version)
    drag_select(page, "bir araya geldi")
    page.keyboard.press("1")  # MEETING
    wait_version(page, 4)
    panel = page.locator("#selection")
    for role, needle, version in [("participant", "Xi Jinping", 5), ("participant", "Vladimir Putin", 6), ("place", "BEİJİNG", 7)]:
        panel.get_by_role("button", name=role).click()
        page.locator("#text .ann.entity", has_text=needle).first.click()
        wait_version(page, version)
    event = Event.objects.get(task=task)
    args = sorted((a.role.name, task.document.text[a.span.start : a.span.end]) for a in event.arguments.select_related("role", "span"))
    assert args == [("participant", "Vladimir Putin"), ("participant", "Xi Jinping"), ("place", "BEİJİNG")]
    item = page.locator("#event-list .event")
    assert "MEETING" in item.inner_text() and "bir araya geldi" in item.inner_text()
    assert not item.locator(".missing").count()
    drag_select(page, "BEİJİNG, 2 Eylül (Xinhua) --")
    page.keyboard.press("Alt+x")  # the dateline as METADATA, exactly as selected
    wait_version(page, 8)
    assert ("METADATA", "BEİJİNG, 2 Eylül (Xinhua) --") in stored(task)
    item = page.locator("#event-list .event")
    page.get_by_role("tab", name="Events").click()
    item.hover()
    assert page.locator("#text .ann.argument").count() >= 3  # hovering the event highlights its arguments
    page.screenshot(path="var/screenshot-annotation-event.png", full_page=True, clip={"x": 0, "y": 0, "width": 1280, "height": 820})


def test_an_event_missing_a_participant_is_flagged_and_submit_asks_once(page, seeded):
    _project, user = seeded
    open_seed(page, user, "000_d679b310741a05b0")
    drag_select(page, "bir araya geldi")
    page.keyboard.press("1")
    wait_version(page, 1)
    assert "participant (0 of 2)" in page.locator("#event-list .missing").inner_text()
    page.get_by_role("button", name="Submit and go to the next task").click()
    question = page.get_by_role("alertdialog")
    expect(question).to_contain_text("Submit anyway?")
    expect(question).to_contain_text("Required roles are empty")
    task = Task.objects.get(annotator=user, document__external_id="000_d679b310741a05b0")
    assert task.status == "in_progress"  # asked, not submitted
    question.get_by_role("link", name="Keep working").click()
    expect(page.get_by_role("alertdialog")).to_have_count(0)
    page.get_by_role("button", name="Submit and go to the next task").click()
    expect(page.get_by_role("button", name="Submit anyway")).to_be_focused()
    page.keyboard.press("Enter")  # Enter confirms
    page.wait_for_url("**/annotate/t/*/")
    task.refresh_from_db()
    assert task.status == "submitted"


def test_share_bar_by_paragraph_margin_and_reklam_inline(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "002_25c5a9a7f4bf1039")
    line = page.locator("#text .line", has_text="Facebook'da Paylaş Twitter'da Paylaş")
    line.locator(".margin").click()
    page.keyboard.press("s")
    wait_version(page, 1)
    assert stored(task) == [("SHARE", "Facebook'da Paylaş Twitter'da Paylaş WhatsApp'da Paylaş Google News'de Paylaş")]
    assert page.locator("#text .ann.boilerplate").count() >= 1
    task001 = Task.objects.get(annotator=user, document__external_id="001_125bbab6eada4166")
    page.goto(task001.get_absolute_url())
    drag_select(page, "REKLAM")
    page.keyboard.press("a")
    wait_version(page, 1)
    assert stored(task001) == [("AD", "REKLAM")]


def test_undo_and_redo(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    page.keyboard.press("Control+z")
    wait_version(page, 2)
    assert stored(task) == [] and page.locator("#text .ann").count() == 0
    page.keyboard.press("Control+Shift+z")
    wait_version(page, 3)
    assert stored(task) == [("PER", "Xi Jinping")]
    page.locator("#text .ann.entity").click()
    page.keyboard.press("Delete")
    wait_version(page, 4)
    page.get_by_role("button", name="Undo").click()
    wait_version(page, 5)
    assert stored(task) == [("PER", "Xi Jinping")]


def test_emoji_combining_marks_and_dotted_i_keep_the_selected_characters(page, db):
    collection = make_collection("emoji")
    import_texts(collection, "🇹🇷 Türkiye 👍🏽 ve e\u0301 İzmir'de ılık bir gün: Ankara Büyükelçisi Ayşe Işık konuştu.", language="tr")
    user = make_user("ayse")
    project = make_project("emo", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get(annotator=user)
    log_in(page, "ayse")
    page.goto(task.get_absolute_url())
    for needle, key, version in [("İzmir", "g", 1), ("Ayşe Işık", "p", 2), ("Türkiye", "g", 3)]:
        drag_select(page, needle)
        selected = page.evaluate("() => window.getSelection().toString()")
        page.keyboard.press(key)
        wait_version(page, version)
        latest = Span.objects.filter(task=task).latest("id")
        assert task.document.text[latest.start : latest.end] == selected.strip() == needle
    assert sorted(t for _, t in stored(task)) == ["Ayşe Işık", "Türkiye", "İzmir"]


def test_a_word_after_an_emoji_is_selected_without_it_and_a_flag_whole(page, db):
    """'Ankara' right after 👍🏽 is its own token (not '🏽Ankara'); a flag selected with Alt is both halves."""
    collection = make_collection("flags")
    import_texts(collection, "Görüşme iyi geçti 👍🏽Ankara ve Tiran 🇹🇷🇦🇱 bayraklarıyla.", language="tr")
    user = make_user("ayse")
    project = make_project("flags", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    task = Task.objects.get(annotator=user)
    log_in(page, "ayse")
    page.goto(task.get_absolute_url())
    drag_select(page, "Ank")  # part of the word: it snaps to the word, the skin tone stays with its hand
    page.keyboard.press("g")
    wait_version(page, 1)
    drag_select(page, "🇦🇱")
    page.keyboard.press("Alt+g")
    wait_version(page, 2)
    assert sorted(t for _, t in stored(task)) == ["Ankara", "🇦🇱"]
    assert page.locator("#text .ann.entity").all_inner_texts() == ["Ankara", "🇦🇱"]


def test_three_changes_while_the_server_is_unreachable_are_saved_once_each(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    page.route("**/change", lambda route: route.abort())
    for needle, key in [("Xi Jinping", "p"), ("Vladimir Putin", "p"), ("Pekin", "g") if False else ("Rusya Devlet Başkanı", "t")]:
        drag_select(page, needle)
        page.keyboard.press(key)
    from playwright.sync_api import expect

    expect(page.locator("#save-state")).to_contain_text("Waiting for the server")
    page.wait_for_timeout(1500)
    assert Span.objects.filter(task=task).count() == 0
    page.unroute("**/change")
    wait_version(page, 3)
    assert sorted(stored(task)) == [("PER", "Vladimir Putin"), ("PER", "Xi Jinping"), ("TITLE", "Rusya Devlet Başkanı")]


def test_changes_made_while_the_server_is_down_survive_a_closed_tab_and_are_stored_once(page, seeded):
    """#28 item 3: the server stops answering, the annotator marks three names (each drawn at once, pending),
    closes the tab; the server is back, the task opens again: all three are stored, each exactly once."""
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    page.route("**/change", lambda route: route.abort())  # the server is down for this page
    for needle, key in [("Xi Jinping", "p"), ("Vladimir Putin", "p"), ("Rusya Devlet Başkanı", "t")]:
        drag_select(page, needle)
        page.keyboard.press(key)
    assert page.evaluate("() => CSS.highlights.get('pending').size") == 3  # drawn at once, pending
    expect(page.locator("#save-state")).to_contain_text("Waiting for the server")
    context = page.context
    page.close()
    assert Span.objects.filter(task=task).count() == 0
    again = context.new_page()
    again.goto(task.get_absolute_url())
    wait_version(again, 3)
    assert sorted(stored(task)) == [("PER", "Vladimir Putin"), ("PER", "Xi Jinping"), ("TITLE", "Rusya Devlet Başkanı")]
    assert again.evaluate("() => CSS.highlights.get('pending').size") == 0
    assert again.evaluate(f"() => localStorage.getItem('haber:queue:{user.pk}:{task.pk}')") is None
    again.reload()  # nothing is sent twice
    again.locator("#text").wait_for()
    expect(again.locator("#save-state")).to_have_text("Saved")
    assert len(stored(task)) == 3 and Task.objects.get(pk=task.pk).version == 3


def test_a_whole_sentence_with_the_keyboard_alone(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "004_afdae27950b3016e")
    page.locator("#text").focus()
    # "Presidenti i Kinës Xi Jinping zhvilloi ..." : caret at the start, extend by words with Shift+Right.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("t")  # TITLE: Presidenti
    wait_version(page, 1)
    for _ in range(3):  # the caret stays where the label went; Right goes to the start of "i", "Kinës", "Xi"
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("p")
    wait_version(page, 2)
    assert sorted(stored(task)) == [("PER", "Xi Jinping"), ("TITLE", "Presidenti")]
    page.keyboard.press("Shift+ArrowRight")  # " zhvilloi": the trigger
    page.keyboard.press("2")  # PHONE_CALL
    wait_version(page, 3)
    page.keyboard.press("Shift+Digit1")  # its first role, participant
    page.keyboard.press("]")  # spans in reading order: Presidenti, then Xi Jinping
    page.keyboard.press("]")
    page.keyboard.press("Enter")
    wait_version(page, 4)
    event = Event.objects.get(task=task)
    assert event.event_type.name == "PHONE_CALL" and task.document.text[event.start : event.end] == "zhvilloi"
    assert [(a.role.name, task.document.text[a.span.start : a.span.end]) for a in event.arguments.all()] == [
        ("participant", "Xi Jinping")
    ]


def test_a_stale_tab_reloads_says_why_and_resends_its_change(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    other = page.context.new_page()
    other.goto(task.get_absolute_url())
    other.locator("#text").wait_for()
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    drag_select(other, "Vladimir Putin")
    other.keyboard.press("p")
    from playwright.sync_api import expect

    # Said where it stays: the notice line is rewritten by the resent change's own answer a moment later.
    expect(other.locator("#task-changed")).to_contain_text("changed in another tab")
    wait_version(other, 2)  # the first tab's work reloaded, and the change sent again on top of it
    expect(other.locator("#text .ann.entity")).to_have_text(["Xi Jinping", "Vladimir Putin"])
    assert sorted(stored(task)) == [("PER", "Vladimir Putin"), ("PER", "Xi Jinping")]
    drag_select(other, "Rusya Devlet Başkanı")  # and the stale tab goes on
    other.keyboard.press("t")
    wait_version(other, 3)
    expect(other.locator("#task-changed")).to_be_hidden()  # until the annotator's next change
    assert len(stored(task)) == 3


def test_relabel_move_edges_and_alt_for_exact_characters(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    drag_select(page, "Rusy")
    page.keyboard.press("Alt+g")  # Alt keeps exactly what was selected
    wait_version(page, 1)
    assert stored(task) == [("GPE", "Rusy")]
    page.locator("#text .ann.entity").click()
    page.keyboard.press("o")  # relabel the selected span
    wait_version(page, 2)
    page.keyboard.press(".")  # its end moves one token to the right
    wait_version(page, 3)
    label, text = stored(task)[0]
    assert label == "ORG" and text.startswith("Rusy") and len(text) > len("Rusya")
    page.keyboard.press("Delete")
    wait_version(page, 4)
    assert stored(task) == []


def test_an_argument_is_removed_and_an_event_retyped_from_the_page(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "004_afdae27950b3016e")
    drag_select(page, "Xi Jinping")
    page.keyboard.press("p")
    wait_version(page, 1)
    drag_select(page, "video-telefonatë")
    page.keyboard.press("1")  # MEETING first, by mistake
    wait_version(page, 2)
    page.keyboard.press("2")  # the event is selected and no text is: 2 retypes it to PHONE_CALL
    wait_version(page, 3)
    assert Event.objects.get(task=task).event_type.name == "PHONE_CALL"
    page.locator("#selection").get_by_role("button", name="participant").click()
    page.locator("#text .ann.entity", has_text="Xi Jinping").click()
    wait_version(page, 4)
    assert Event.objects.get(task=task).arguments.count() == 1
    page.get_by_role("tab", name="Events").click()  # the event list is a tab beside the spans
    page.get_by_role("button", name="Remove Xi Jinping from participant").click()
    wait_version(page, 5)
    assert Event.objects.get(task=task).arguments.count() == 0


def test_a_change_swaps_in_only_the_lines_it_touched(page, seeded):
    _project, user = seeded
    task = open_seed(page, user, "002_25c5a9a7f4bf1039")
    assert page.locator("#text .line").count() > 3
    page.evaluate("() => document.querySelectorAll('#text .line').forEach(l => { l.dataset.before = '1'; })")
    line = page.locator("#text .line", has_text="Facebook'da Paylaş Twitter'da Paylaş")
    start = int(line.get_attribute("data-s"))
    line.locator(".margin").click()
    page.keyboard.press("s")
    wait_version(page, 1)
    # The marked line is new (with the boilerplate span); every other line is the same element as before.
    fresh = page.locator("#text .line:not([data-before])")
    assert fresh.count() == 1 and int(fresh.get_attribute("data-s")) == start
    assert fresh.locator(".ann.boilerplate").count() >= 1
    assert page.locator("#text .line[data-before]").count() == page.locator("#text .line").count() - 1
    shown = page.evaluate(
        "() => Array.from(document.querySelectorAll('#text .line'))"
        ".map(l => Array.from(l.querySelectorAll('.seg')).map(s => s.textContent).join('')).join('\\n')"
    )
    assert shown == task.document.text
    assert page.locator("#span-count").inner_text() == "1"


def test_the_span_list_keeps_its_order_as_spans_come_and_go(page, seeded):
    """A save sends only the span-list entries it changed; the page puts each in its place, so the list
    reads the same as after a reload: in text order, the longer of two spans that start together first."""
    _project, user = seeded
    task = open_seed(page, user, "000_d679b310741a05b0")
    entries = "() => Array.from(document.querySelectorAll('#span-list li')).map(li => li.textContent.trim())"
    marks = [("Xi Jinping", 0, "p"), ("Vladimir Putin", 0, "p"), ("Xi", 1, "o"), ("Xinhua", 0, "o"), ("Rusya", 0, "g")]
    for version, (needle, nth, key) in enumerate(marks, start=1):
        drag_select(page, needle, nth)  # "Xi" number 1 is the start of "Xi Jinping"
        page.keyboard.press(key)
        wait_version(page, version)
    assert page.evaluate(entries) == ["ORG Xinhua", "PER Xi Jinping", "ORG Xi", "GPE Rusya", "PER Vladimir Putin"]
    assert page.locator("#span-count").inner_text() == "5"
    page.locator("#text .ann.entity", has_text="Vladimir Putin").first.click()
    page.keyboard.press("Delete")
    wait_version(page, 6)
    page.keyboard.press("Control+z")
    wait_version(page, 7)
    page.locator("#text .ann.entity", has_text="Xinhua").first.click()
    page.keyboard.press("Delete")
    wait_version(page, 8)
    expected = ["PER Xi Jinping", "ORG Xi", "GPE Rusya", "PER Vladimir Putin"]
    assert page.evaluate(entries) == expected and page.locator("#span-count").inner_text() == "4"
    page.reload()
    page.locator("#text").wait_for()
    assert page.evaluate(entries) == expected and len(stored(task)) == 4


def test_each_edge_of_a_selection_snaps_to_the_nearest_token_edge(page, db):
    """#28 item 4: "Kafkasya'd" gives "Kafkasya" (the edge was nearer the suffix's start), "Kafkasya'dak"
    gives "Kafkasya'daki" (nearer its end), a piece inside one word gives the word."""
    task = open_own_task(page, "Kafkasya'daki gelişmeler Bakü'de konuşuldu.")
    for needle, key, version in [("Kafkasya'd", "l", 1), ("gelişmel", "m", 2), ("Bakü'", "g", 3)]:
        drag_select(page, needle)
        page.keyboard.press(key)
        wait_version(page, version)
    assert sorted(stored(task)) == [("GPE", "Bakü"), ("LOC", "Kafkasya"), ("MISC", "gelişmeler")]
    drag_select(page, "Kafkasya'dak")
    page.keyboard.press("o")  # ORG on "Kafkasya'daki": the edge was nearer the suffix's end
    wait_version(page, 4)
    assert ("ORG", "Kafkasya'daki") in stored(task)
