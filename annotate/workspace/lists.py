"""The annotation page's side lists, as HTML: the events with their roles, and the spans in text order.
Each span entry carries its client id and offsets, so that a save can send back only the entries it
changed and the page can put them in their place (static/js/annotate.js keeps the same order)."""

import re
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

NEEDS_ESCAPE = re.compile("[&<>]")


def events_html(events: list, editable: bool = True) -> SafeString:
    """The side list of events: type, trigger, filled roles, missing roles flagged; the × that removes an
    argument only where the set may be changed."""
    out = []
    remove, missing_words = _("Remove %(text)s from %(role)s"), _("Missing: %(roles)s")
    for e in events:
        args = " ".join(span.client_id for _role, span in e.arguments if span)
        roles = "".join(
            f'<li class="arg" data-span="{span.client_id}" data-role-name="{escape(role.name)}">'
            f"{escape(role.name)}: {escape(span.text)} "
            + (f'<button type="button" class="link remove-arg" data-event="{e.client_id}" data-role="{role.pk}" '
               f'data-span="{span.client_id}" aria-label="{escape(remove % {"text": span.text, "role": role.name})}">×</button>'
               if editable else "")
            + "</li>"
            for role, span in e.arguments
            if role and span
        )
        missing = (f'<p class="missing">{escape(missing_words % {"roles": ", ".join(e.missing)})}</p>'
                   if e.missing else "")
        out.append(
            f'<li class="event{" incomplete" if e.missing else ""}" data-id="{e.client_id}" data-args="{args}">'
            f'<button type="button" class="chip pick l{e.label.id}" data-pick="{e.client_id}">{escape(e.label.name)}</button> '
            f'“{escape(e.text)}”<ul class="roles">{roles}</ul>{missing}</li>'
        )
    if not out:
        none_yet = escape(_("No events yet: select a trigger and press an event key."))
        out.append(f'<li class="none">{none_yet}</li>')
    return mark_safe("".join(out))


def spans_html(spans: list) -> SafeString:
    """One entry per span, in the order given (list order: start, longest first, then client id)."""
    names: dict[int, str] = {}
    out = []
    for s in spans:
        name = names.get(s.label.id)
        if name is None:
            name = names[s.label.id] = escape(s.label.name)
        text = escape(s.text, quote=False) if NEEDS_ESCAPE.search(s.text) else s.text
        out.append(
            f'<li data-id="{s.client_id}" data-s="{s.start}" data-e="{s.end}">'
            f'<button type="button" class="chip pick l{s.label.id}" data-pick="{s.client_id}">'
            f"{name}</button> {text}</li>"
        )
    return mark_safe("".join(out))


def suggestions_html(suggestions: list) -> SafeString:
    """The side list of suggestions: per label, a button that accepts all of them, then each with its text,
    who suggests it, and accept / reject buttons (the same changes as the + and − keys)."""
    if not suggestions:
        title, none_left = escape(_("Suggestions")), escape(_("No suggestions left."))
        return mark_safe(f'<h2>{title} <small>0</small></h2><p class="none">{none_left}</p>')
    by_label: dict[int, list] = {}
    for item in suggestions:
        by_label.setdefault(item.label.id, []).append(item)
    accept_word, reject_word = escape(_("Accept")), escape(_("Reject"))
    title, accept_all = escape(_("Suggestions")), _("Accept all %(label)s")
    out = [f"<h2>{title} <small>{len(suggestions)}</small></h2><p class=\"accept-all\">"]
    for items in by_label.values():
        label = items[0].label
        change = escape(f'{{"action": "suggestion.accept_label", "label": {label.id}}}')
        out.append(f'<button type="button" data-change="{change}">'
                   f'{escape(accept_all % {"label": label.name})} ({len(items)})</button> ')
    out.append('</p><ol class="suggestion-list">')
    for item in suggestions:
        accept = escape(f'{{"action": "suggestion.accept", "key": "{item.client_id}"}}')
        reject = escape(f'{{"action": "suggestion.reject", "key": "{item.client_id}"}}')
        text = item.text if len(item.text) <= 60 else item.text[:59] + "…"
        out.append(
            f'<li data-id="{item.client_id}"><button type="button" class="chip pick l{item.label.id}" '
            f'data-pick="{item.client_id}">{escape(item.label.name)}?</button> {escape(text)} '
            f'<small>{escape(item.origin)}</small> <button type="button" data-change="{accept}">{accept_word}</button> '
            f'<button type="button" data-change="{reject}">{reject_word}</button></li>')
    out.append("</ol>")
    return mark_safe("".join(out))
