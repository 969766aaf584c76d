"""brat standoff (https://brat.nlplab.org/standoff.html): a zip of `NAME.txt` + `NAME.ann` pairs, one pair
per annotation set, and `annotation.conf` for the types. Offsets are character offsets of the .txt (code
points, what brat's server counts), end-exclusive.

In: `T` lines are entities, boilerplate (a type named like a boilerplate label) or event triggers (a type
an `E` line uses as its trigger, or that annotation.conf lists under [events]); `E` lines are events with
their role arguments (brat numbers a repeated role: `participant2` is `participant`). A span brat split at
line breaks (fragments with only whitespace between them, as brat writes a span across lines) is one span;
fragments with text between them are refused (a Haber span is continuous). `#` notes (AnnotatorNotes) go
into the task's history; relations, attributes, normalizations and equivalences (`R A M N *`) have no place
in Haber and are counted in the notes. The archive is read with the corpus import's limits (entries, sizes,
no absolute or `..` paths).

Out: the same zip, one pair per set named `ID-EXTERNAL-ANNOTATOR`, and the schema's annotation.conf
(options.tool_config), so that brat opens the files as they are."""

import re
from collections import Counter
from itertools import pairwise

from django.utils.translation import gettext as _

from annotate.interop.formats.reading import Reader, shown, split_boilerplate
from annotate.interop.formats.writing import ZipWriter
from annotate.interop.units import OffsetProblem, from_code_points, to_code_points, unit_hint
from corpus.formats.base import ProblemError
from corpus.formats.sources import ZIP_ENTRY_ERRORS, zip_entries

UNIT = "codepoints"
_T = re.compile(r"(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)")
_E = re.compile(r"(E\d+)\t(\S+):(T\d+)((?: \S+:[TE]\d+)*)\s*")
_NOTE = re.compile(r"#\d+\tAnnotatorNotes ([TERAN]\d+)\t?(.*)")
_ROLE_NUMBER = re.compile(r"(.+?)(\d+)$")
OTHER_LINES = {"R": "relation", "A": "attribute", "M": "attribute", "N": "normalization", "*": "equivalence"}


class _UnitError(ValueError):
    def __init__(self, problem: OffsetProblem):
        super().__init__(str(problem))
        self.problem = problem


def conf_event_types(conf: str) -> set[str]:
    """The event types an annotation.conf lists under [events] (with `!` abstract ones left out)."""
    types, section = set(), ""
    for raw in conf.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
        elif section == "events" and line.strip() and "=" not in line.split()[0]:
            name = line.split()[0]
            if not name.startswith("!"):
                types.add(name)
    return types


def _line(name: str, number: int) -> str:
    return _("%(file)s, line %(line)s") % {"file": f"{name}.ann", "line": number}


def _span(text: str, fragments: str, where: str) -> tuple[int, int]:
    """One span from `start end;start end…`; ValueError for fragments with text between them."""
    pairs = [tuple(map(int, piece.split())) for piece in fragments.split(";")]
    for (_a, end), (start, _b) in pairwise(pairs):
        if start < end or text[end:start].strip():
            raise ValueError(f"{where}: " + _("a discontinuous span (%(count)s fragments with text between them): "
                                              "a Haber span is continuous; split it into separate spans in brat")
                             % {"count": len(pairs)})
    return pairs[0][0], pairs[-1][1]


def _role(name: str, roles_seen: set[str]) -> str:
    """brat's `participant2` (a repeated role) is `participant`."""
    match = _ROLE_NUMBER.fullmatch(name)
    return match.group(1) if match and name not in roles_seen else name


def ann_record(name: str, text: str, ann: str, options, event_types: set[str]) -> dict:
    """The record of one .txt/.ann pair (our JSONL shape, offsets in code points of `text`); ValueError for
    a line that cannot be read, naming it."""
    convert = to_code_points(options.offsets or UNIT, text)
    spans, events, notes, other = {}, [], [], Counter()
    for number, line in enumerate(ann.splitlines(), 1):
        if not line or line.isspace():
            continue
        if match := _T.fullmatch(line):
            ident, kind, fragments, covered = match.groups()
            if ";" in fragments:
                start, end = _span(text, fragments, _line(name, number))
            else:  # the usual line: one fragment
                first, _space, last = fragments.partition(" ")
                start, end = int(first), int(last)
            if convert is not None:
                where = _line(name, number)
                try:
                    start, end = convert(start), convert(end)
                except ValueError as error:  # the unit check reads the file's own numbers in the others
                    raw = [(int(m.group(3).split()[0]), int(m.group(3).split()[-1]))
                           for line in ann.splitlines() if (m := _T.fullmatch(line))]
                    raise _UnitError(OffsetProblem(f"{where}: {error}{unit_hint(options.offsets or UNIT)}", text,
                                                   raw)) from None
            span = spans[ident] = {"start": start, "end": end, "label": kind}
            if covered and ";" not in fragments and text[start:end] != covered:
                span["text"] = covered  # not what the .txt holds there: the import names both
        elif match := _E.fullmatch(line):
            ident, kind, trigger, rest = match.groups()
            events.append((ident, kind, trigger, [arg.split(":", 1) for arg in rest.split()],
                           _line(name, number)))
        elif match := _NOTE.fullmatch(line):
            notes.append(match.groups())
        elif line[0] in OTHER_LINES:
            other[OTHER_LINES[line[0]]] += 1
        elif not line.startswith("#"):
            raise ValueError(f"{_line(name, number)}: " + _("not a brat annotation line (%(line)r)") % {
                "line": line[:60]})
    for _ident, _kind, _trigger, arguments, _where in events:  # what an argument names needs its id
        for _name, target in arguments:
            if target in spans:
                spans[target]["id"] = target
    triggers = {trigger for _i, _k, trigger, _a, _w in events}
    triggers |= {ident for ident, span in spans.items() if span["label"] in event_types}
    record_events, event_ids = [], {ident for ident, *_rest in events}
    for ident, kind, trigger, arguments, where in events:
        if trigger not in spans:
            raise ValueError(f"{where}: " + _("%(event)s's trigger %(trigger)s is not a T line of the file") % {
                "event": ident, "trigger": trigger})
        seen, out = set(), []
        for role, target in arguments:
            if target in event_ids or target in triggers:
                raise ValueError(f"{where}: " + _("%(event)s's argument %(argument)s is an event; a Haber event's "
                                                  "arguments are entities") % {
                    "event": ident, "argument": f"{role}:{target}"})
            out.append({"role": _role(role, seen), "entity_id": target})
            seen.add(role)
        span = spans[trigger]
        record_events.append({"type": kind, "trigger": {"start": span["start"], "end": span["end"]},
                              "arguments": out})
    marks = [s for ident, s in spans.items() if ident not in triggers]
    places = [f"{ident} ({shown(s['label'])})" for ident, s in spans.items() if ident not in triggers]
    record = {"text": text, "external_id": name, "_where": f"{name}.ann",
              **split_boilerplate(marks, options.boilerplate_names, places), "events": record_events}
    if notes:
        said = {ident: text[span["start"]:span["end"]] for ident, span in spans.items()
                if type(span["start"]) is int and type(span["end"]) is int}
        record["_comment"] = shown(_("brat notes: ") + "; ".join(
            f"{ident}{f' «{said[ident]}»' if said.get(ident) else ''}: {note}" for ident, note in notes))
    if other:
        record["_other"] = ", ".join(f"{n} {kind}{'s' if n > 1 else ''}" for kind, n in sorted(other.items()))
    return record


class BratReader(Reader):
    name = "brat"
    description = "brat standoff: a zip of .txt and .ann pairs (and annotation.conf)"
    own_unit = UNIT

    def read(self, stream, options):
        try:
            pairs, conf = _pairs(stream)
        except (ProblemError, *ZIP_ENTRY_ERRORS) as error:
            yield 1, _("not a brat archive: %(reason)s") % {"reason": getattr(error, "message", error)}
            return
        event_types = conf_event_types(conf)
        for number, (name, txt, ann) in enumerate(pairs, 1):
            try:
                if txt is None or ann is None:
                    raise ValueError(f"{name}: " + _("%(file)s is missing from the archive") % {
                        "file": ".txt" if txt is None else ".ann"})
                text = _decoded(txt, f"{name}.txt").removeprefix("\ufeff")
                record = ann_record(name, text, _decoded(ann, f"{name}.ann"), options, event_types)
            except _UnitError as error:
                yield number, error.problem
                continue
            except ValueError as error:
                yield number, str(error)
                continue
            if "_other" in record:
                yield number, {"_note": f"{name}.ann: " + _("%(lines)s not read (Haber has no place for them)") % {
                    "lines": record.pop("_other")}}
            yield number, record


def _decoded(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{name}: " + _("not valid UTF-8 (byte 0x%(byte)02x at %(offset)s)") % {
            "byte": data[error.start], "offset": error.start}) from None


def _pairs(stream) -> tuple[list[tuple[str, bytes | None, bytes | None]], str]:
    """(name, .txt bytes, .ann bytes) of each pair in the zip, by name, and annotation.conf's text."""
    found: dict[str, dict[str, bytes]] = {}
    conf = ""
    for path, data in zip_entries(stream):
        if path == "annotation.conf" or path.endswith("/annotation.conf"):
            conf = data.decode("utf-8", "replace")
        elif path.endswith((".txt", ".ann")):
            found.setdefault(shown(path[:-4]), {})[path[-4:]] = data
    if not found:
        raise ProblemError(_("the archive holds no .txt and .ann pair"))
    return [(name, parts.get(".txt"), parts.get(".ann")) for name, parts in sorted(found.items())], conf


class BratWriter(ZipWriter):
    def write(self, record) -> bytes:
        self.report.count(record)
        name = self.entry_name(record)
        self.add(f"{name}.txt", record.document["text"])
        self.add(f"{name}.ann", self.ann(record))
        return self.written()

    def ann(self, record) -> str:
        text = record.document["text"]
        unit = from_code_points(self.options.offsets or UNIT, text)
        lines, ids = [], {}
        spans = [*record.entities, *record.boilerplate]
        triggers = [(e["id"], e["type"], e["trigger"]["start"], e["trigger"]["end"]) for e in record.events]
        for number, (ident, label, start, end) in enumerate(
                [(s.id, s.label, s.start, s.end) for s in spans] + triggers, 1):
            ids[ident] = f"T{number}"
            lines.append(f"T{number}\t{label} {_fragments(text, start, end, unit)}\t"
                         f"{' '.join(text[start:end].split(chr(10)))}")
        for number, event in enumerate(record.events, 1):
            counted, arguments = Counter(), []
            for argument in event["arguments"]:
                if argument["entity_id"] in ids:
                    counted[argument["role"]] += 1
                    suffix = counted[argument["role"]]
                    arguments.append(f"{argument['role']}{suffix if suffix > 1 else ''}:{ids[argument['entity_id']]}")
            lines.append(f"E{number}\t{event['type']}:{ids[event['id']]}" + "".join(f" {a}" for a in arguments))
        return "\n".join(lines) + ("\n" if lines else "")

    def closing(self) -> dict[str, str]:
        return {"annotation.conf": self.options.tool_config or "[entities]\n[relations]\n[events]\n[attributes]\n"}


def _fragments(text: str, start: int, end: int, unit) -> str:
    """`start end`, or brat's fragments split at line breaks for a span across lines."""
    pieces, at = [], start
    for line in text[start:end].split("\n"):
        if line:
            pieces.append(f"{unit(at)} {unit(at + len(line))}")
        at += len(line) + 1
    return ";".join(pieces)
