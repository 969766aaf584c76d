"""Event role constraints from the schema: which entity labels may fill a role, and how many times."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _

from annotate.models import Event, EventArgument, EventRole, Layer


def check_argument(event, role: EventRole, span) -> None:
    """Refuse an argument that breaks the role's constraints, with a message a person can act on."""
    if span.label.layer != Layer.ENTITY:
        raise ValidationError(_("Only entity spans can fill an event role."))
    allowed = list(role.allowed_labels.values_list("name", flat=True))
    if span.label.name not in allowed:
        raise ValidationError(_("%(role)s of %(event)s takes %(allowed)s, not %(label)s.") % {
            "role": role.name, "event": event.event_type.name, "allowed": "/".join(allowed), "label": span.label.name})
    if role.max_count is not None and event.arguments.filter(role=role).count() >= role.max_count:
        raise ValidationError(_("%(role)s of %(event)s takes at most %(count)s.") % {
            "role": role.name, "event": event.event_type.name, "count": role.max_count})


def missing_roles(event, roles: list[EventRole], counts: dict[int, int]) -> list[str]:
    """Required roles that are not filled often enough, as "participant (1 of 2)"."""
    missing = []
    for role in roles:
        have = counts.get(role.pk, 0)
        if not role.retired and have < role.min_count:
            missing.append(_("%(role)s (%(have)s of %(needed)s)") % {"role": role.name, "have": have,
                                                                     "needed": role.min_count})
    return missing


def incomplete_events(task) -> list[str]:
    """Events of a task with required roles not filled, as "MEETING 'görüştü': participant (1 of 2)"."""
    roles = list(EventRole.objects.filter(event_type__project_id=task.project_id, retired=False, min_count__gt=0))
    if not roles:
        return []
    counts = {
        (row["event_id"], row["role_id"]): row["n"]
        for row in EventArgument.objects.filter(event__task=task).values("event_id", "role_id").annotate(n=Count("id"))
    }
    problems = []
    text = task.document.text
    for event in Event.objects.filter(task=task).select_related("event_type"):
        own = [r for r in roles if r.event_type_id == event.event_type_id]
        missing = missing_roles(event, own, {r.pk: counts.get((event.pk, r.pk), 0) for r in own})
        if missing:
            problems.append(f"{event.event_type.name} “{text[event.start:event.end]}”: {', '.join(missing)}")
    return problems
