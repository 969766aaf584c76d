"""UIMA CAS XMI, what INCEpTION reads and writes ("UIMA CAS XMI (XML 1.0)"), through the dkpro-cassis
library of INCEpTION's authors. A zip of `.xmi` files and the `TypeSystem.xml` they use, or one `.xmi`
file. Offsets in the file are Java's (UTF-16 code units); cassis converts them to code points both ways.

- Entities are DKPro Core's `de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity`, the label in its
  `value` (a value that names a boilerplate label is boilerplate).
- Boilerplate is the custom span layer `webanno.custom.Boilerplate` (label in `value`).
- Events are a custom span layer with a link feature, as INCEpTION makes one: `webanno.custom.Event`
  (type in `value`) whose `arguments` are `webanno.custom.EventArgumentsLink` with a `role` and a `target`.
  In a file, any span type with a link feature (an FSArray of link structures with `role` and `target`)
  is read as events (the type in `value`, else the type's short name); their targets as entities.
- Any other span type with a `value` (or none) is an entity whose label is that value, else the type's
  short name; DKPro's segmentation and metadata types (tokens, sentences, the document's metadata) are
  not annotations and are skipped.

Reading takes each document's annotations from the XML as lxml parses it (formats.xmi_fast), with the type
system cassis loaded, and leaves to cassis what that does not know (several views, arrays of their own):
cassis builds every structure of a CAS, ten times the time. Both readings give the same record (tested).

A file's XML may hold no DTD (so no entity can be declared: no billion laughs, no external entities): it
is refused before any parser sees it. Types the file uses that its type system does not declare (an .xmi
without its TypeSystem.xml) are a problem: their annotations would be lost."""

import re
import warnings

from django.utils.translation import gettext as _

from annotate.interop.formats.reading import Reader, read_whole, shown, split_boilerplate
from annotate.interop.formats.writing import ZipWriter
from annotate.interop.formats.xmi_fast import TypeInfo, Unusual, fast_parse
from corpus.formats.base import ProblemError
from corpus.formats.sources import ZIP_ENTRY_ERRORS, zip_entries

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
BOILERPLATE = "webanno.custom.Boilerplate"
EVENT = "webanno.custom.Event"
LINK = "webanno.custom.EventArgumentsLink"
ANNOTATION = "uima.tcas.Annotation"
NOT_ANNOTATIONS = ("de.tudarmstadt.ukp.dkpro.core.api.segmentation.", "de.tudarmstadt.ukp.dkpro.core.api.metadata.",
                   "uima.tcas.DocumentAnnotation")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MISSING = re.compile(r"Type with name \[([^\]]+)\] not found")


_PATCHED = []


def _cassis():
    """dkpro-cassis, its offset mapping made cheap where it is the identity. cassis maps UTF-16 offsets to
    code points with two dictionaries over every character of every CAS (0.48 ms of a 0.7 ms read for a
    3,000-character article); in a text without characters outside the BMP the two units agree and the
    mapping is the identity, which cassis also gives when it has no mapping at all. Such texts get none;
    others the library's own. tests/annotate/test_xmi.py checks both give the same offsets."""
    import cassis
    from cassis.cas import Utf16CodepointOffsetConverter

    if not _PATCHED:
        original = Utf16CodepointOffsetConverter.create_offset_mapping

        def create_offset_mapping(self, sofa_string):
            if sofa_string is not None and len(sofa_string.encode("utf-16-le", "surrogatepass")) == 2 * len(sofa_string):
                self._external_to_python = self._python_to_external = None  # the identity
                return None
            return original(self, sofa_string)

        Utf16CodepointOffsetConverter.create_offset_mapping = create_offset_mapping
        _PATCHED.append(original)
    return cassis


def type_system():
    """The types Haber writes (and reads when a file brings none)."""
    from cassis import TypeSystem

    ts = TypeSystem()
    entity = ts.create_type(NAMED_ENTITY, supertypeName=ANNOTATION)
    ts.create_feature(entity, "value", "uima.cas.String")
    ts.create_feature(entity, "identifier", "uima.cas.String")
    boilerplate = ts.create_type(BOILERPLATE, supertypeName=ANNOTATION)
    ts.create_feature(boilerplate, "value", "uima.cas.String")
    link = ts.create_type(LINK, supertypeName="uima.cas.TOP")
    ts.create_feature(link, "role", "uima.cas.String")
    ts.create_feature(link, "target", NAMED_ENTITY)
    event = ts.create_type(EVENT, supertypeName=ANNOTATION)
    ts.create_feature(event, "value", "uima.cas.String")
    # as INCEpTION declares a link feature: the array inline in its host (multipleReferencesAllowed false)
    ts.create_feature(event, "arguments", "uima.cas.FSArray", elementType=LINK, multipleReferencesAllowed=False)
    return ts


def _xml(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ValueError(f"{name}: " + _("not valid UTF-8 (byte 0x%(byte)02x at %(offset)s)") % {
            "byte": data[error.start], "offset": error.start}) from None
    if _DTD.search(text):
        raise ValueError(f"{name}: " + _("the XML holds a DTD or an entity declaration, which no CAS file needs: "
                                         "refused"))
    return text


def _short(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _value(fs):
    """The structure's `value` feature, or None when its type has none (cassis's structures have a value()
    method of their own, so getattr cannot tell)."""
    return fs.get("value") if any(f.name == "value" for f in fs.type.all_features) else None


def _links(fs) -> list:
    """The link structures of a span's link features (FSArrays of structures with role and target)."""
    found = []
    for feature in fs.type.all_features:
        value = fs.get(feature.name) if feature.name not in ("sofa", "begin", "end") else None
        if value is not None and feature.rangeType.name == "uima.cas.FSArray":
            items = getattr(value, "elements", value) or []
            found += [item for item in items if hasattr(item, "role") and hasattr(item, "target")]
    return found


def cas_record(name: str, cas, options) -> dict:
    """The record of one CAS read by cassis: its text and its annotations (code points)."""
    spans, links = [], {}
    for fs in cas.select_all():
        if not hasattr(fs, "begin") or fs.type.name == "uima.cas.Sofa" or fs.type.name.startswith(NOT_ANNOTATIONS):
            continue
        found = _links(fs)
        for link in found:
            links[str(link.xmiID)] = (link.role, None if link.target is None else str(link.target.xmiID))
        spans.append((str(fs.xmiID), fs.type.name, fs.begin, fs.end, _value(fs), [str(link.xmiID) for link in found]))
    return parsed_record(name, cas.sofa_string or "", spans, links, options)


def parsed_record(name: str, text: str, spans, links, options) -> dict:
    """The record of a document read either way (cassis, xmi_fast): `spans` as (id, type, begin, end,
    value, link ids), `links` as id → (role, target id). A span with links is an event (so is one of our
    Event layer without any); the others are entities or boilerplate, labelled by their value, else their
    type's short name."""
    hosts = {s[0] for s in spans if s[5] or s[1] == EVENT}
    entities, ids = [], {}
    for ident, kind, begin, end, value, _links in spans:
        if ident in hosts:
            continue
        if kind == NAMED_ENTITY and not value:
            raise ValueError(f"{name}: " + _("the NamedEntity at %(start)s–%(end)s (%(text)r) has no value: give it "
                                             "a label in INCEpTION") % {"start": begin, "end": end,
                                                                        "text": text[begin:end]})
        ids[ident] = f"x{ident}"
        entities.append({"id": ids[ident], "start": begin, "end": end, "label": value or _short(kind)})
    events = []
    for ident, kind, begin, end, value, link_ids in spans:
        if ident not in hosts:
            continue
        arguments = []
        for link in link_ids:
            role, target = links.get(link, (None, None))
            if target not in ids:
                raise ValueError(f"{name}: " + _("the %(kind)s at %(start)s–%(end)s's %(role)r argument is no span "
                                                 "of the file") % {"kind": _short(kind), "start": begin, "end": end,
                                                                   "role": role})
            arguments.append({"role": role, "entity_id": ids[target]})
        events.append({"type": value or _short(kind), "trigger": {"start": begin, "end": end}, "arguments": arguments})
    places = [f"{shown(s['label'])} at {s['start']}–{s['end']}" for s in entities]
    return {"text": text, "external_id": name.rsplit("/", 1)[-1].removesuffix(".xmi"), "_where": name,
            **split_boilerplate(entities, options.boilerplate_names, places), "events": events}


class XmiReader(Reader):
    name = "xmi"
    description = "UIMA CAS XMI (INCEpTION): a zip of .xmi files and TypeSystem.xml, or one .xmi"

    def read(self, stream, options):
        cassis = _cassis()
        load_cas_from_xmi, load_typesystem = cassis.load_cas_from_xmi, cassis.load_typesystem

        try:
            files = _files(stream)
            systems = [data for path, data in files if path.lower().endswith("typesystem.xml")]
            ts = load_typesystem(_xml(systems[0], "TypeSystem.xml")) if systems else type_system()
        except (ProblemError, *ZIP_ENTRY_ERRORS) as error:
            yield 1, f"not an XMI file or archive: {getattr(error, 'message', error)}"
            return
        except Exception as error:  # a type system cassis cannot read: lxml's and cassis's own errors
            yield 1, f"TypeSystem.xml: not a UIMA type system ({type(error).__name__}: {error})"
            return
        missing: set[str] = set()
        documents = [(shown(path), data) for path, data in files if path.lower().endswith(".xmi")]
        if not documents:
            yield 1, "not an XMI file or archive: it holds no .xmi file"
        info = TypeInfo(ts)
        for number, (path, data) in enumerate(documents, 1):
            try:
                xml = _xml(data, path)
                try:
                    text, spans, links, unknown = fast_parse(xml, info, NOT_ANNOTATIONS)
                    missing |= unknown
                    record = parsed_record(path, text, [s[:6] for s in spans], links, options)
                except Unusual:  # what only cassis reads right
                    with warnings.catch_warnings(record=True) as caught:
                        warnings.simplefilter("always")
                        cas = load_cas_from_xmi(xml, typesystem=ts, lenient=True)
                    missing |= {m.group(1) for w in caught if (m := _MISSING.search(str(w.message)))}
                    record = cas_record(path, cas, options)
            except ValueError as error:
                yield number, str(error) if str(error).startswith(path) else f"{path}: {error}"
                continue
            except Exception as error:  # malformed XML, an id that points nowhere: lxml's and cassis's errors
                yield number, f"{path}: not a CAS in XMI ({type(error).__name__}: {error})"
                continue
            yield number, record
        missing = {t for t in missing if not t.startswith(NOT_ANNOTATIONS)}
        if missing:  # their annotations would be lost: the file is not imported without its type system
            yield len(documents), (f"types the type system does not declare, not read: {', '.join(sorted(missing))}"
                                   ": import the .xmi files with the TypeSystem.xml INCEpTION exports beside them")


def _files(stream) -> list[tuple[str, bytes]]:
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(b"PK"):
        return list(zip_entries(stream))
    return [("document.xmi", read_whole(stream))]


class XmiWriter(ZipWriter):
    def __init__(self, options, report):
        super().__init__(options, report)
        self.ts = type_system()

    def header(self) -> bytes:
        self.add("TypeSystem.xml", self.ts.to_xml())
        return self.written()

    def write(self, record) -> bytes:
        Cas = _cassis().Cas

        self.report.count(record)
        document = record.document
        cas = Cas(typesystem=self.ts)
        cas.sofa_string = document["text"]
        entity, boilerplate = self.ts.get_type(NAMED_ENTITY), self.ts.get_type(BOILERPLATE)
        event_type, link = self.ts.get_type(EVENT), self.ts.get_type(LINK)
        made = {}
        for span in record.entities:
            made[span.id] = entity(begin=span.start, end=span.end, value=span.label)
            cas.add(made[span.id])
        for span in record.boilerplate:
            cas.add(boilerplate(begin=span.start, end=span.end, value=span.label))
        for event in record.events:
            links = [link(role=a["role"], target=made[a["entity_id"]]) for a in event["arguments"]
                     if a["entity_id"] in made]
            array = self.ts.get_type("uima.cas.FSArray")(elements=links)
            cas.add(event_type(begin=event["trigger"]["start"], end=event["trigger"]["end"], value=event["type"],
                               arguments=array))
        self.add(f"{self.entry_name(record)}.xmi", cas.to_xmi())
        return self.written()
