"""Property test of the browser side of the offset conversion: text rendered by the server's render_text,
positions converted by annotate.js in Chromium. For random texts with emoji, combining marks and Turkish
İ/ı and random spans, the DOM range between domAt(a) and domAt(b) reads exactly text[a:b], and cpAt gives
a and b back."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotate.models import Label
from annotate.workspace import Item, render_text
from corpus.text import normalize_text

SCRIPT = Path(__file__).resolve().parents[2] / "static" / "js" / "annotate.js"
PIECES = ["a", "ı", "İ", "ş", "🇹🇷", "👍🏽", "e\u0301", " ", "\n", "😀", "Ç", "'", "<", "&", "\u00a0"]

pytestmark = pytest.mark.browser

CHECK_JS = """([pairs]) => pairs.map(([a, b]) => {
  const s = window.haberOffsets.domAt(a), e = window.haberOffsets.domAt(b);
  if (!s || !e) return null;
  const range = document.createRange();
  range.setStart(s[0], s[1]); range.setEnd(e[0], e[1]);
  return [range.toString(), window.haberOffsets.cpAt(s[0], s[1]), window.haberOffsets.cpAt(e[0], e[1])];
})"""


@pytest.fixture(scope="module")
def blank(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_dom_ranges_read_exactly_the_code_point_slices(blank, data):
    text = normalize_text("".join(data.draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=30))))
    label = Label(pk=1, name="X", layer="entity", colour="#123456", shortcut="x")
    spans = []
    for _ in range(data.draw(st.integers(0, 4))):
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        spans.append(Item(f"s{len(spans)}", "span", label, a, b))
    html = render_text(text, spans)
    blank.set_content(f'<div id="text">{html}</div>')
    blank.add_script_tag(path=str(SCRIPT))
    # Offsets not inside a line break (a line's end and the next line's start are the same place).
    offsets = [i for i in range(len(text) + 1)]
    pairs = [(a, b) for a in offsets for b in offsets if a < b and "\n" not in text[a:b]][:40]
    results = blank.evaluate(CHECK_JS, [pairs])
    for (a, b), result in zip(pairs, results, strict=True):
        assert result is not None, (text, a, b)
        selected, ca, cb = result
        assert selected == text[a:b], (text, a, b)
        assert (ca, cb) == (a, b), (text, a, b)
