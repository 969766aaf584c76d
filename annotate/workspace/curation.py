"""The curation page's alignment: every annotator's version of a document and the gold set, lined up row by
row in text order. A row is a stretch of text marked by someone (spans and boilerplate by their
characters, events by their trigger) or an event argument (trigger, role, argument span); each version's
cell says what that annotator said there, and the gold cell what the gold set holds. A row the project's
rule (unanimous or majority) accepted in advance is marked agreed; any other is a disagreement, with one
"accept" per distinct answer (who said it) and a "reject" when the gold set holds something there."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from annotate.quality.voting import needed
from annotate.rows import SetRows, annotation_rows_many


@dataclass
class Row:
    kind: str  # span, event, argument
    start: int
    end: int
    text: str
    cells: list[str]  # per version: what the annotator said here ("" for nothing)
    gold: str  # what the gold set holds here ("" for nothing)
    agreed: bool
    accepts: list[tuple[str, str, str]] = field(default_factory=list)  # (answer, who, payload as JSON)
    reject: str = ""  # the change that removes the gold item, as JSON
    role: str = ""  # arguments: "Role ← “argument text”"
    filler: tuple[int, int] | None = None  # arguments: the filling entity's own offsets (start, end)

    @property
    def settled(self) -> bool:
        """The gold set says what one of the annotators said (nothing counts too, where someone said nothing)."""
        return self.gold in self.cells

    @property
    def status(self) -> str:
        if self.agreed:
            return "agreed"
        if not any(self.cells):
            return "added"  # by the curator: no annotator marked it
        return "settled" if self.settled else "open"


@dataclass
class Alignment:
    who: list[str]
    rows: list[Row]

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.rows if row.status in ("open", "settled"))

    @property
    def open_disagreements(self) -> int:
        return sum(1 for row in self.rows if row.status == "open")


def _index(rows: SetRows):
    """spans: (start, end) → [(label, client id)]; events: (start, end) → [(type, client id)];
    arguments: (trigger, role, (start, end)) → [(event client id, span client id)]."""
    spans, events, arguments = defaultdict(list), defaultdict(list), defaultdict(list)
    span_by_id, event_by_pk = {}, {}
    for s in rows.spans:
        spans[(s.start, s.end)].append((s.label_id, s.client_id))
        span_by_id[s.client_id] = (s.label_id, s.start, s.end)
    for e in rows.events:
        events[(e.start, e.end)].append((e.type_id, e.client_id))
        event_by_pk[e.pk] = (e.type_id, e.start, e.end, e.client_id)
    for arg in rows.arguments:
        if arg.event_id in event_by_pk:
            type_id, a, b, event_client = event_by_pk[arg.event_id]
            arguments[((a, b, type_id), arg.role_id, (arg.start, arg.end))].append((event_client, arg.span_client_id))
    return spans, events, arguments


def _names(pairs, names) -> str:
    return " + ".join(sorted(names[ref] for ref, _ in pairs))


def alignment_build(*, gold, sets, labels, roles, policy: str, rows_by_task: dict | None = None) -> Alignment:
    """sets: the submitted annotation tasks (with annotator); two queries' worth of rows, read at once."""
    if rows_by_task is None:
        rows_by_task = annotation_rows_many([t.pk for t in sets] + [gold.pk])
    text = gold.document.text
    names = {lab.pk: lab.name for lab in labels}
    role_names = {r.pk: r.name for rs in roles.values() for r in rs}
    indexed = [_index(rows_by_task[t.pk]) for t in sets]
    gold_spans, gold_events, gold_args = _index(rows_by_task[gold.pk])
    enough = needed(policy, len(sets)) if sets else 1
    out: list[Row] = []

    def answers(key, part):
        cells, choices = [], {}
        for task, index in zip(sets, indexed, strict=True):
            pairs = index[part].get(key, [])
            cells.append(_names(pairs, names) if part < 2 else ("✓" if pairs else ""))
            for ref, client_id in pairs if part < 2 else [(None, pairs[0])] if pairs else []:
                choices.setdefault(ref, (task, client_id))
        return cells, choices

    for part, kind, gold_index in ((0, "span", gold_spans), (1, "event", gold_events)):
        keys = set(gold_index).union(*(index[part].keys() for index in indexed))
        for start, end in keys:
            cells, choices = answers((start, end), part)
            counts = defaultdict(int)
            for cell in cells:
                counts[cell] += 1
            top, top_count = max(counts.items(), key=lambda kv: kv[1]) if counts else ("", 0)
            row = Row(kind, start, end, text[start:end], cells, _names(gold_index.get((start, end), []), names),
                      agreed=bool(top) and "+" not in top and top_count >= enough)
            for ref, (task, client_id) in sorted(choices.items(), key=lambda c: names[c[0]]):
                if names[ref] == row.gold:
                    continue  # the gold set says so already
                payload = {"action": "curation.accept", "source": task.pk, "kind": kind, "id": client_id}
                row.accepts.append((names[ref], task.annotator.get_username(), json.dumps(payload)))
            if (start, end) in gold_index:
                row.reject = json.dumps({"action": f"{kind}.delete", "id": gold_index[(start, end)][0][1]})
            out.append(row)
    keys = set(gold_args).union(*(index[2].keys() for index in indexed))
    for key in keys:
        (a, b, _type), role_id, (start, end) = key
        cells, choices = answers(key, 2)
        held = sum(1 for cell in cells if cell)
        row = Row("argument", a, b, text[a:b], cells, "✓" if key in gold_args else "",
                  agreed=held >= enough, role=f"{role_names.get(role_id, '?')} ← “{text[start:end]}”",
                  filler=(start, end))
        for _ref, (task, (event_client, span_client)) in choices.items() if not row.gold else ():
            payload = {"action": "curation.accept", "source": task.pk, "kind": "argument", "event": event_client,
                       "role": role_id, "span": span_client}
            row.accepts.append((role_names.get(role_id, "?"), task.annotator.get_username(), json.dumps(payload)))
        if key in gold_args:
            event_client, span_client = gold_args[key][0]
            row.reject = json.dumps({"action": "argument.remove", "event": event_client, "role": role_id,
                                     "span": span_client})
        out.append(row)
    order = {"span": 0, "event": 1, "argument": 2}
    out.sort(key=lambda r: (r.start, -r.end, order[r.kind], r.role))
    return Alignment([t.annotator.get_username() for t in sets], out)


def _words() -> tuple[dict, dict]:
    """The table's words in the active language (asked once per table, not per row)."""
    status = {"agreed": escape(_("agreed")), "settled": escape(_("settled")), "added": escape(_("curator's")),
              "open": "<strong>" + escape(_("disagreement")) + "</strong>"}
    kind = {"span": "", "event": escape(_("event")) + " ", "argument": escape(_("argument of")) + " "}
    return status, kind


def rows_html(alignment: Alignment, *, editable: bool) -> SafeString:
    """The table's rows, written here rather than by the template engine: a document of a few hundred
    marks makes a few hundred rows, and the table is redrawn after every saved change."""
    out = []
    status_text, kind_text = _words()
    put, accept, reject, remove = _("Put %(who)s's answer in the gold set"), _("Accept %(answer)s (%(who)s)"), \
        escape(_("Reject")), escape(_("Remove it from the gold set"))
    for row in alignment.rows:
        text = row.text if len(row.text) <= 60 else row.text[:59] + "…"
        role = f" · {escape(row.role)}" if row.role else ""
        shown = row.filler or (row.start, row.end)  # an argument: where its entity is, not its trigger
        cells = "".join(f"<td>{escape(cell) or '—'}</td>" for cell in row.cells)
        decide = ""
        if editable:
            buttons = [
                f'<button type="button" data-change="{escape(change)}" title="{escape(put % {"who": who})}">'
                f'{escape(accept % {"answer": answer, "who": who})}</button> ' for answer, who, change in row.accepts]
            if row.reject:
                buttons.append(f'<button type="button" data-change="{escape(row.reject)}" title="{remove}">'
                               f'{reject}</button>')
            decide = f'<td class="decide">{"".join(buttons)}</td>'
        out.append(
            f'<tr class="row-{row.status}" data-kind="{row.kind}" data-s="{row.start}" data-e="{row.end}">'
            f"<td>{kind_text[row.kind]}“{escape(text)}”{role} <small>{shown[0]}–{shown[1]}</small></td>{cells}"
            f'<td class="gold-cell">{escape(row.gold) or "—"}</td><td>{status_text[row.status]}</td>{decide}</tr>'
        )
    if not out:
        nobody = escape(_("Nobody marked anything in this document."))
        out.append(f'<tr><td colspan="{len(alignment.who) + 4}">{nobody}</td></tr>')
    return mark_safe("".join(out))
