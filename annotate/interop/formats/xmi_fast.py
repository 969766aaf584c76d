"""Reading an XMI file without building the whole CAS (formats.xmi): the annotations Haber reads are taken
from the XML as lxml parses it, their meaning from the type system that dkpro-cassis loaded, their
offsets converted by corpus.offsets (the server's one place for UTF-16). cassis builds a Python object for
every structure of a CAS (every token and sentence of an INCEpTION export), 0.4 ms for a 20-entity
article: this takes a tenth of that. The same file read both ways gives the same record
(tests/annotate/test_xmi.py); a CAS with more than one subject of analysis (views), or anything this
reader does not know how to take, is left to cassis (`Unusual`)."""

from functools import cache

from django.utils.translation import gettext as _

from corpus.offsets import Utf16Index

ANNOTATION = "uima.tcas.Annotation"
NS_XMI_ID = "{http://www.omg.org/XMI}id"
TAG_SOFA = "{http:///uima/cas.ecore}Sofa"
TAG_VIEW = "{http:///uima/cas.ecore}View"
TAG_NULL = "{http:///uima/cas.ecore}NULL"
TAG_FSARRAY = "{http:///uima/cas.ecore}FSArray"


class Unusual(Exception):
    """Something only cassis reads right: the caller reads the file with cassis."""


def type_name(tag: str) -> str:
    """cassis's reading of an element's tag: {http:///de/x/type.ecore}NamedEntity → de.x.type.NamedEntity."""
    name = tag[9:].replace("/", ".").replace("ecore}", "").strip()
    return name[17:] if name.startswith("uima.noNamespace.") else name


class TypeInfo:
    """What the reader needs of a type system, per type name: is it a span (an Annotation), does it have a
    `value`, which of its features are link features (arrays of structures with role and target)."""

    def __init__(self, ts):
        self.ts = ts

    @cache  # noqa: B019 (one TypeInfo per file read; the cache dies with it)
    def span(self, name: str) -> tuple[bool, bool, tuple[str, ...], bool] | None:
        """(is a span, has value, link features, is a link), or None for a type the type system does not
        declare."""
        if not self.ts.contains_type(name):
            return None
        kind = self.ts.get_type(name)
        is_span = name != ANNOTATION and self.ts.subsumes(ANNOTATION, name)
        features = list(kind.all_features)
        links = []
        for feature in features:
            element = getattr(feature, "elementType", None)
            if getattr(feature.rangeType, "name", feature.rangeType) == "uima.cas.FSArray" and element is not None:
                names = {f.name for f in self.ts.get_type(getattr(element, "name", element)).all_features}
                if {"role", "target"} <= names:
                    links.append((feature.name, bool(feature.multipleReferencesAllowed)))
        if any(shared for _name, shared in links):
            raise Unusual("a link feature whose arrays are structures of their own")
        names = {f.name for f in features}
        return (is_span, "value" in names, tuple(name for name, _shared in links),
                not is_span and {"role", "target"} <= names)


def fast_parse(data: str, info: TypeInfo, skip: tuple[str, ...]):
    """(text, spans, links, missing types) of one XMI document: spans as (xmi id, type, begin, end, value,
    link ids) in code points; links as id → (role, target id)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data.encode("utf-8"), parser)
    sofas, spans, links, missing, views, ids = [], [], {}, set(), [], set()
    for elem in root:
        tag = elem.tag
        if not isinstance(tag, str) or tag == TAG_NULL:
            continue
        if tag == TAG_VIEW:
            views.append(elem.get("members") or "")
            continue
        ids.add(elem.get(NS_XMI_ID))
        if tag == TAG_SOFA:
            sofas.append(elem)
            continue
        if tag == TAG_FSARRAY:
            raise Unusual("an array of its own")
        name = type_name(tag)
        if name.startswith(skip):
            continue
        known = info.span(name)
        if known is None:
            missing.add(name)
            continue
        attributes = elem.attrib
        is_span, has_value, link_features, is_link = known
        if is_link:
            links[attributes[NS_XMI_ID]] = (attributes.get("role"), attributes.get("target"))
            continue
        if not is_span:
            continue
        if attributes.get("sofa") is None or len(elem):  # features as child elements: cassis reads those
            raise Unusual("features as child elements")
        link_ids = [i for feature in link_features for i in (attributes.get(feature) or "").split()]
        spans.append((attributes[NS_XMI_ID], name, int(attributes["begin"]), int(attributes["end"]),
                      attributes.get("value") if has_value else None, link_ids, attributes["sofa"]))
    if len(sofas) != 1:
        raise Unusual("not one subject of analysis")
    for members in views:  # as cassis refuses a view that names a structure the file does not hold
        if dangling := [m for m in members.split() if m not in ids]:
            raise ValueError(_("the view names structure %(id)s, which the file does not hold") % {"id": dangling[0]})
    sofa = sofas[0]
    if any(span[6] != sofa.get(NS_XMI_ID) for span in spans):
        raise Unusual("annotations of another subject of analysis")
    text = sofa.get("sofaString") or ""
    index = Utf16Index(text)
    if index.has_astral:  # cassis keeps an offset it cannot map as it is: so does this
        def convert(value):
            try:
                return index.to_code_points(value)
            except ValueError:
                return value
        spans = [(i, n, convert(b), convert(e), v, ls, s) for i, n, b, e, v, ls, s in spans]
    return text, spans, links, missing
