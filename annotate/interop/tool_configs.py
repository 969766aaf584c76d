"""What another tool's project needs to take our files without hand work (#30): a Label Studio labeling
config and a doccano label file made from the project's schema; and the names a Label Studio export must
use to fit a labeling config the user gives (its <Labels> control, the <Text> object it points at and the
`data` field that object reads), refused with the reason when it cannot take our spans.

The export writes entities and boilerplate (events have no place in either tool's span files), so those
are the labels both files hold, in the schema's order, with its colours and keys."""

from dataclasses import dataclass
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from annotate.models import EventRole, Label, Layer
from corpus.text import grouped

CONFIG_LIMIT = 200_000  # characters of a labeling config given with an export


def _labels(project) -> list[Label]:
    """Entity labels, then boilerplate labels, each in the schema's order."""
    labels = Label.objects.filter(project=project, retired=False, layer__in=[Layer.ENTITY, Layer.BOILERPLATE])
    return sorted(labels, key=lambda label: (label.layer != Layer.ENTITY, label.position, label.name))


def labelstudio_config(project) -> str:
    """A labeling config for a Label Studio project that takes our Label Studio export as it is."""
    view = Element("View")
    labels = SubElement(view, "Labels", name="label", toName="text")
    for label in _labels(project):
        SubElement(labels, "Label", value=label.name, background=label.colour,
                   **({"hotkey": label.shortcut} if label.shortcut else {}))
    SubElement(view, "Text", name="text", value="$text")
    indent(view)
    return tostring(view, encoding="unicode") + "\n"


def doccano_labels(project) -> list[dict]:
    """The label file doccano's Labels page imports (span labels), as its own export writes it."""
    return [{"text": label.name, "suffix_key": label.shortcut or None, "background_color": label.colour,
             "text_color": label.text_colour} for label in _labels(project)]


def _cardinality(role) -> str:
    """brat's mark for how many times a role may be filled: "" once, ? at most once, * any, + at least once,
    {n-m} otherwise."""
    low, high = role.min_count, role.max_count
    marks = {(1, 1): "", (0, 1): "?", (0, None): "*", (1, None): "+"}
    if (low, high) in marks:
        return marks[(low, high)]
    return f"{{{low}-{high if high is not None else ''}}}"


def brat_conf(project) -> str:
    """brat's annotation.conf for the project's schema: entity and boilerplate labels as entity types,
    event types with their roles (ROLE[?*+]:TYPE|TYPE), no relations or attributes."""
    events = list(Label.objects.filter(project=project, retired=False, layer=Layer.EVENT).order_by("position", "name"))
    roles = (EventRole.objects.filter(event_type__in=events, retired=False).order_by("position", "name")
             .prefetch_related("allowed_labels"))
    by_event: dict[int, list[str]] = {}
    for role in roles:
        allowed = "|".join(sorted(label.name for label in role.allowed_labels.all())) or "<ENTITY>"
        by_event.setdefault(role.event_type_id, []).append(f"{role.name}{_cardinality(role)}:{allowed}")
    lines = ["# brat's type configuration for the Haber project " + project.slug, "[entities]"]
    lines += [label.name for label in _labels(project)]
    lines += ["", "[relations]", "", "[events]"]
    lines += [f"{event.name}\t{', '.join(by_event.get(event.pk, []))}".rstrip() for event in events]
    lines += ["", "[attributes]", ""]
    return "\n".join(lines)


class LabelingConfigError(ValueError):
    pass


@dataclass(frozen=True)
class LabelingTarget:
    """Where the spans go in the user's Label Studio project."""

    from_name: str = "label"
    to_name: str = "text"
    field: str = "text"  # the `data` field the <Text> object reads ($text)
    labels: frozenset[str] = frozenset()  # the <Label> values of the control (empty: not checked)


def labeling_target(config: str) -> LabelingTarget:
    """The names a labeling config gives our spans; LabelingConfigError naming what is wrong (no <Labels>
    control on a <Text>, two of them, XML with entities or a DTD)."""
    if len(config) > CONFIG_LIMIT:
        raise LabelingConfigError(_("the labeling config is over %(limit)s characters") % {
            "limit": grouped(CONFIG_LIMIT)})
    try:
        root = fromstring(config, forbid_dtd=True)
    except DefusedXmlException:
        raise LabelingConfigError(_("the labeling config may hold no DTD and no entities")) from None
    except Exception as error:  # ParseError, and what a hostile document makes of expat
        raise LabelingConfigError(_("the labeling config is not XML (%(error)s)") % {"error": error}) from None
    texts = {node.get("name"): node.get("value", "") for node in root.iter() if node.tag in ("Text", "HyperText")}
    controls = [node for node in root.iter() if node.tag in ("Labels", "ParagraphLabels", "HyperTextLabels")
                and node.get("toName") in texts]
    if len(controls) != 1:
        found = _("no") if not controls else f"{len(controls)}"
        raise LabelingConfigError(_("the labeling config has %(found)s <Labels> control on a <Text> object; the "
                                    "export needs exactly one") % {"found": found})
    control = controls[0]
    value = texts[control.get("toName")]
    if not value.startswith("$") or len(value) < 2:
        raise LabelingConfigError(_("the <Text> object %(name)r does not read a data field (value=%(value)r, not "
                                    "$field)") % {"name": control.get("toName"), "value": value})
    return LabelingTarget(from_name=control.get("name") or "label", to_name=control.get("toName"),
                          field=value[1:], labels=frozenset(node.get("value") for node in control.iter("Label")))


def missing_labels(target: LabelingTarget, names) -> list[str]:
    """Our label names the user's config does not have (Label Studio would take the spans and show them
    without a label)."""
    return sorted(set(names) - target.labels) if target.labels else []
