"""Looks right everywhere: WCAG AA contrast for text, label chips and label underlines in the light and the
dark theme (computed colours, as the browser draws them), focus always visible, a favicon, and the article
on the first screen of a phone."""

import pytest

from annotate.models import Label, Task
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTRAST_JS = """() => {
  function rgb(text) {
    let m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?/.exec(text);
    if (m) return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
    m = /color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?/.exec(text);
    if (m) return [m[1] * 255, m[2] * 255, m[3] * 255, m[4] === undefined ? 1 : +m[4]];
    return null;
  }
  function background(el) {  // the first opaque background up the tree
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c && c[3] > 0.99) return c;
    }
    return rgb(getComputedStyle(document.documentElement).backgroundColor) || [255, 255, 255, 1];
  }
  function lum(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  }
  function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
  const out = [];
  function text(selector, what) {
    document.querySelectorAll(selector).forEach(el => {
      if (!el.getClientRects().length) return;
      out.push({what: what + " " + (el.textContent || "").trim().slice(0, 20), kind: "text",
                ratio: ratio(rgb(getComputedStyle(el).color), background(el))});
    });
  }
  text("#text .seg", "article");
  text(".legend .chip", "chip");
  text(".crumbs", "crumbs");
  text(".topbar a", "link");
  text("button.primary", "button");
  text(".task-status", "status");
  text("#span-list li", "span list");
  text("#text .ann.boilerplate", "boilerplate");
  document.querySelectorAll("#text .ann").forEach(el => {
    out.push({what: "underline " + el.className, kind: "graphic",
              ratio: ratio(rgb(getComputedStyle(el).borderBottomColor), background(el.closest(".annotext")))});
  });
  return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_chips_and_underlines_meet_wcag_aa_in_both_themes(browser, live_server, seeded, scheme):
    import uuid

    from annotate.services import annotation_apply

    project, user = seeded
    task = Task.objects.get(annotator=user, document__external_id="002_25c5a9a7f4bf1039")
    text = task.document.text
    # One span of every entity and boilerplate label, and an event of every type, on the first words.
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w{3,}", text)]
    for (start, end), label in zip(words, Label.objects.filter(project=project).order_by("id"), strict=False):
        fresh = Task.objects.get(pk=task.pk)
        payload = {"id": str(uuid.uuid4()), "start": start, "end": end}
        payload["type" if label.layer == "event" else "label"] = label.pk
        annotation_apply(task=fresh, by=user, op_id=uuid.uuid4(), base_version=fresh.version,
                         action="event.create" if label.layer == "event" else "span.create", payload=payload)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  color_scheme=scheme)
    page = context.new_page()
    log_in(page, user.username)
    page.goto(task.get_absolute_url())
    page.locator("#text .ann").first.wait_for()
    found = page.evaluate(CONTRAST_JS)
    assert len([f for f in found if f["kind"] == "graphic"]) >= 20 and any(f["what"].startswith("chip") for f in found)
    low = [f for f in found if f["ratio"] < (4.5 if f["kind"] == "text" else 3.0)]
    assert not low, low[:10]
    page.screenshot(path=f"var/screenshot-annotation-{scheme}.png")
    context.close()


def test_focus_is_always_visible_and_there_is_a_favicon(page, seeded):
    _project, user = seeded
    log_in(page, user.username)
    page.goto("/")
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).status == 200
    for _ in range(6):
        page.keyboard.press("Tab")
        outline = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                                "return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
        assert outline[0] != "none" and outline[1] >= 2, outline


def test_a_phone_sees_the_article_on_its_first_screen(browser, live_server, seeded):
    _project, user = seeded
    task = Task.objects.filter(annotator=user).first()
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, user.username)
    page.goto(task.get_absolute_url())
    box = page.locator("#text").bounding_box()
    assert box["y"] < 844 / 2, box  # the text starts in the top half of the first screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1  # nothing wider than the phone
    context.close()
