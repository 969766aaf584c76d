"""Label schemas: load from JSON (validated as a whole, applied atomically) and dump to JSON.

Loading replaces the project's schema with the file's: labels and roles are matched by name, changed in
place, added when new; those the file leaves out are deleted when nothing uses them and retired otherwise,
so no annotation is ever orphaned."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annotate.models import EventArgument, EventRole, Label, Layer, Project
from annotate.models.schema import validate_colour, validate_label_name, validate_shortcut
from annotate.schema_cache import one_bump
from corpus.text import lone_surrogate, lone_surrogate_message

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
DEFAULT_SCHEMA = "news-diplomacy"
LAYER_KEYS = {"entities": Layer.ENTITY, "events": Layer.EVENT, "boilerplate": Layer.BOILERPLATE}


class SchemaError(ValueError):
    """A schema file that cannot be loaded; .problems lists every problem with where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(_("The schema was not loaded: %(problems)s") % {"problems": "; ".join(problems)})


@dataclass
class SchemaChanges:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    def summary(self) -> str:
        names = {"added": _("added"), "updated": _("updated"), "retired": _("retired"), "deleted": _("deleted")}
        parts = [
            f"{names[k]} {len(v)}" + (f" ({', '.join(v)})" if v and k in ("retired", "deleted") else "")
            for k, v in vars(self).items()
        ]
        return _("Schema loaded: %(changes)s.") % {"changes": ", ".join(parts)}


def builtin_schemas() -> list[str]:
    return sorted(p.stem for p in SCHEMA_DIR.glob("*.json"))


def schema_read(spec: str | Path) -> dict:
    """A built-in schema by name (news-diplomacy) or a JSON file by path."""
    path = SCHEMA_DIR / f"{spec}.json" if str(spec) in builtin_schemas() else Path(spec)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(
            [f"{spec}: " + _("no such file, and not a built-in schema (%(schemas)s)") % {
                "schemas": ", ".join(builtin_schemas())}]
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SchemaError([f"{spec}: " + _("not valid UTF-8 JSON (%(error)s)") % {"error": error}]) from None


def _check(value, check, where: str, problems: list[str]) -> bool:
    """Run a validator; its messages go to problems. True when the value was refused."""
    try:
        check(value)
    except ValidationError as error:
        problems.extend(f"{where}: {m}" for m in error.messages)
        return True
    return False


def schema_validate(data) -> None:
    """Raise SchemaError listing every problem of a schema document."""
    problems: list[str] = []
    if not isinstance(data, dict):
        raise SchemaError([_("the schema must be a JSON object with entities, events and boilerplate")])
    if escape := lone_surrogate(data):
        raise SchemaError([lone_surrogate_message(escape)])
    unknown = set(data) - {"name", "description", "rules", *LAYER_KEYS}
    if unknown:
        problems.append(_("unknown keys: %(keys)s") % {"keys": ", ".join(sorted(unknown))})
    _validate_rules(data.get("rules", {}), problems)
    keys: dict[str, str] = {}
    entity_names = {e.get("name") for e in data.get("entities") or [] if isinstance(e, dict)}
    for layer_key in LAYER_KEYS:
        items = data.get(layer_key, [])
        if not isinstance(items, list):
            problems.append(f"{layer_key}: " + _("must be a list"))
            continue
        names = set()
        for i, item in enumerate(items):
            where = f"{layer_key}[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{where}: " + _("must be an object"))
                continue
            name = item.get("name")
            if _check(name, validate_label_name, f"{where}.name", problems):
                pass
            elif name in names:
                problems.append(f"{where}.name: " + _("%(name)s appears twice in %(layer)s") % {
                    "name": name, "layer": layer_key})
            names.add(name)
            _check(item.get("colour", ""), validate_colour, f"{where}.colour", problems)
            key = item.get("key", "")
            _check(key if isinstance(key, str) else "", validate_shortcut, f"{where}.key", problems)
            if not item.get("retired") and isinstance(key, str):
                if key in keys:
                    problems.append(f"{where}.key: " + _("%(key)r is already the key of %(label)s") % {
                        "key": key, "label": keys[key]})
                keys[key] = name
            if layer_key == "events":
                _validate_roles(item.get("roles", []), entity_names, where, problems)
            elif "roles" in item:
                problems.append(f"{where}.roles: " + _("only events have roles"))
    if problems:
        raise SchemaError(problems)


def _validate_rules(rules, problems: list[str]) -> None:
    """"rules": {"multi_label": [layer keys whose labels may share characters], "entities_cross_lines": bool}."""
    if not isinstance(rules, dict):
        problems.append("rules: " + _("must be an object with multi_label and entities_cross_lines"))
        return
    if unknown := set(rules) - {"multi_label", "entities_cross_lines"}:
        problems.append("rules: " + _("unknown keys: %(keys)s") % {"keys": ", ".join(sorted(map(str, unknown)))})
    multi = rules.get("multi_label", [])
    if not isinstance(multi, list) or any(layer not in LAYER_KEYS for layer in multi):
        problems.append("rules.multi_label: " + _("a list of layers, each one of %(layers)s") % {
            "layers": ", ".join(LAYER_KEYS)})
    if not isinstance(rules.get("entities_cross_lines", False), bool):
        problems.append("rules.entities_cross_lines: " + _("true or false"))


def _validate_roles(roles, entity_names: set, where: str, problems: list[str]) -> None:
    if not isinstance(roles, list):
        problems.append(f"{where}.roles: " + _("must be a list"))
        return
    seen = set()
    for j, role in enumerate(roles):
        rw = f"{where}.roles[{j}]"
        if not isinstance(role, dict):
            problems.append(f"{rw}: " + _("must be an object"))
            continue
        name = role.get("name")
        if _check(name, validate_label_name, f"{rw}.name", problems):
            pass
        elif name in seen:
            problems.append(f"{rw}.name: " + _("%(name)s appears twice") % {"name": name})
        seen.add(name)
        labels = role.get("labels")
        if not isinstance(labels, list) or not labels:
            problems.append(f"{rw}.labels: " + _("list the entity labels that may fill the role"))
        else:
            for label in labels:
                if label not in entity_names:
                    problems.append(f"{rw}.labels: " + _("%(label)r is not an entity label of this schema") % {
                        "label": label})
        low, high = role.get("min", 0), role.get("max")
        if not isinstance(low, int) or isinstance(low, bool) or low < 0:
            problems.append(f"{rw}.min: " + _("%(value)r must be a whole number, 0 or more") % {"value": low})
        elif high is not None and (not isinstance(high, int) or isinstance(high, bool) or high < max(low, 1)):
            problems.append(f"{rw}.max: " + _("%(value)r must be empty (no limit) or a whole number ≥ min and ≥ 1")
                            % {"value": high})


@transaction.atomic
def schema_load(*, project: Project, data: dict) -> SchemaChanges:
    schema_validate(data)
    with one_bump(project.pk):
        return _apply_schema(project, data)


def _apply_schema(project: Project, data: dict) -> SchemaChanges:
    changes = SchemaChanges()
    rules = {key: value for key, value in (data.get("rules") or {}).items() if value}
    if rules != (project.layer_rules or {}):
        project.layer_rules = rules
        project.save(update_fields=["layer_rules"])
    existing = {
        (lab.layer, lab.name): lab for lab in Label.objects.select_for_update().filter(project=project)
    }
    # Retire everything first: the shortcut constraint only covers active labels, so keys can be swapped.
    Label.objects.filter(project=project).update(retired=True)
    wanted: dict[tuple[str, str], Label] = {}
    for layer_key, layer in LAYER_KEYS.items():
        for position, item in enumerate(data.get(layer_key, [])):
            values = {
                "description": item.get("description", "")[:300],
                "colour": item["colour"].lower(),
                "shortcut": item["key"],
                "position": position,
                "retired": bool(item.get("retired", False)),
            }
            label = existing.get((layer, item["name"]))
            if label is None:
                label = Label.objects.create(project=project, layer=layer, name=item["name"], **values)
                changes.added.append(label.name)
            else:
                if (
                    any(getattr(label, k) != v for k, v in values.items() if k != "retired")
                    or label.retired != values["retired"]
                ):
                    changes.updated.append(label.name)
                for k, v in values.items():
                    setattr(label, k, v)
                label.save()
            wanted[(layer, item["name"])] = label
    entities = {name: lab for (layer, name), lab in wanted.items() if layer == Layer.ENTITY}
    for item in data.get("events", []):
        _load_roles(wanted[(Layer.EVENT, item["name"])], item.get("roles", []), entities, changes)
    for key, label in existing.items():
        if key in wanted:
            continue
        if label.spans.exists() or label.events.exists():
            changes.retired.append(label.name)  # stays retired: annotations point at it
        else:
            label.delete()
            changes.deleted.append(label.name)
    return changes


def _load_roles(event_type: Label, roles: list[dict], entities: dict, changes: SchemaChanges) -> None:
    existing = {r.name: r for r in event_type.roles.all()}
    for position, item in enumerate(roles):
        role = existing.pop(item["name"], None) or EventRole(event_type=event_type, name=item["name"])
        role.min_count, role.max_count = item.get("min", 0), item.get("max")
        role.position, role.retired = position, bool(item.get("retired", False))
        role.save()
        role.allowed_labels.set([entities[name] for name in item["labels"]])
    for role in existing.values():
        if EventArgument.objects.filter(role=role).exists():
            role.retired = True
            role.save(update_fields=["retired"])
            changes.retired.append(str(role))
        else:
            role.delete()
            changes.deleted.append(str(role))


def schema_dump(project: Project) -> dict:
    labels = list(Label.objects.filter(project=project).prefetch_related("roles__allowed_labels"))
    data: dict = {"name": project.slug, "description": f"Label schema of {project.name}"}
    for layer_key, layer in LAYER_KEYS.items():
        data[layer_key] = []
        for label in (lab for lab in labels if lab.layer == layer):
            item = {
                "name": label.name,
                "key": label.shortcut,
                "colour": label.colour,
                "description": label.description,
            }
            if layer == Layer.EVENT:
                item["roles"] = [
                    {
                        "name": role.name,
                        "labels": sorted(lab.name for lab in role.allowed_labels.all()),
                        "min": role.min_count,
                        "max": role.max_count,
                        **({"retired": True} if role.retired else {}),
                    }
                    for role in label.roles.all()
                ]
            if label.retired:
                item["retired"] = True
            data[layer_key].append(item)
    if project.layer_rules:
        data["rules"] = dict(project.layer_rules)
    return data


@transaction.atomic
def label_delete(*, label: Label) -> None:
    """Delete an unused label; a label in use is refused with the counts (retire it instead)."""
    spans, events = label.spans.count(), label.events.count()
    if spans or events:
        raise ValidationError(
            _("%(label)s is used by %(spans)s and %(events)s; retire it instead of deleting it.") % {
                "label": label.name,
                "spans": ngettext("%(count)s span", "%(count)s spans", spans) % {"count": spans},
                "events": ngettext("%(count)s event", "%(count)s events", events) % {"count": events}}
        )
    label.delete()


@transaction.atomic
def label_retire(*, label: Label) -> None:
    label.retired = True
    label.save(update_fields=["retired"])


# Set3's hues, each at the nearest shade that marks stand out in both themes (models.schema.colour_problem).
IMPORT_PALETTE = ["#6a9e95", "#9592ab", "#e47468", "#6f9ab8", "#c0894b", "#809f4b", "#ac8c9c", "#bc80bd"]
SHORTCUTS = "ABCDEFGHIJKLMOPQRSTUVWXYZ0123456789"


def imported_label_problem(name) -> str | None:
    """Why an annotation file's label name cannot become a label (the same rules as a schema file)."""
    try:
        validate_label_name(name)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def label_create_imported(*, project: Project, name: str, position: int = 0) -> Label:
    """An entity label that an annotation import (create_labels) adds: the schema's name rules, a free key,
    a colour from the palette; validated like every other label before it is saved."""
    if problem := imported_label_problem(name):
        raise ValidationError(problem)
    taken = set(Label.objects.filter(project=project, retired=False).values_list("shortcut", flat=True))
    key = next((k for k in SHORTCUTS if k not in taken), None)
    if key is None:
        raise ValidationError(_("no free shortcut left for a new label"))
    count = Label.objects.filter(project=project).count()
    label = Label(project=project, layer=Layer.ENTITY, name=name, shortcut=key,
                  colour=IMPORT_PALETTE[count % len(IMPORT_PALETTE)], position=position)
    label.full_clean(validate_unique=False, validate_constraints=False)
    with one_bump(project.pk):
        label.save()
    return label
