"""A project's labels and roles, cached per process and keyed by the project's schema_version.

The annotation page and every save need the whole schema; it changes rarely. Any change to a label, a
role or a role's allowed labels bumps Project.schema_version (signals below, so the admin is covered
too), and the next read misses the cache. Several app servers stay consistent: the version is read from
the database with the task."""

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from annotate.models import EventRole, Label, Project

# In front of Django's cache, this process's own copies: no unpickling on the hot path (every save reads
# the schema twice). Keyed by the version too, so nothing here can be stale; read-only by convention.
_MEMO: dict[tuple[int, int], tuple] = {}
_MEMO_SIZE = 256


def project_schema(project) -> tuple[list[Label], dict[int, list[EventRole]]]:
    """(labels, active roles by event type id); each role carries .allowed, its allowed Label objects."""
    memo_key = (project.pk, project.schema_version)
    value = _MEMO.get(memo_key)
    if value is None:
        value = _shared_schema(project)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[memo_key] = value
    return value


def forget_schemas() -> None:
    """Drop this process's copies (tests, where row ids repeat across rolled-back transactions)."""
    _MEMO.clear()


def _shared_schema(project):
    key = f"annotate:schema:{project.pk}:{project.schema_version}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    labels = list(Label.objects.filter(project_id=project.pk))
    by_id = {lab.pk: lab for lab in labels}
    role_list = list(EventRole.objects.filter(event_type__project_id=project.pk, retired=False))
    allowed = defaultdict(list)
    for role_id, label_id in EventRole.allowed_labels.through.objects.filter(
        eventrole__in=[r.pk for r in role_list]
    ).values_list("eventrole_id", "label_id"):
        allowed[role_id].append(by_id[label_id])
    roles: dict[int, list[EventRole]] = defaultdict(list)
    for role in role_list:
        role.allowed = allowed[role.pk]
        roles[role.event_type_id].append(role)
    value = (labels, dict(roles))
    cache.set(key, value, timeout=3600)
    return value


_muted = threading.local()


@contextmanager
def one_bump(project_id):
    """Inside: label and role signals do nothing; on the way out, one bump (schema_load changes many rows)."""
    _muted.active = True
    try:
        yield
    finally:
        _muted.active = False
    schema_changed(project_id)


def schema_changed(project_id) -> None:
    Project.objects.filter(pk=project_id).update(schema_version=F("schema_version") + 1)


def _bump(project_id) -> None:
    if not getattr(_muted, "active", False):
        schema_changed(project_id)


def _label_changed(sender, instance, **kwargs):
    _bump(instance.project_id)


def _role_changed(sender, instance, **kwargs):
    if getattr(_muted, "active", False):
        return
    project_id = Label.objects.filter(pk=instance.event_type_id).values_list("project_id", flat=True).first()
    if project_id:
        _bump(project_id)


def _allowed_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, EventRole):
        _role_changed(sender, instance)


def connect() -> None:
    post_save.connect(_label_changed, sender=Label, dispatch_uid="schema-label-save")
    post_delete.connect(_label_changed, sender=Label, dispatch_uid="schema-label-delete")
    post_save.connect(_role_changed, sender=EventRole, dispatch_uid="schema-role-save")
    post_delete.connect(_role_changed, sender=EventRole, dispatch_uid="schema-role-delete")
    m2m_changed.connect(_allowed_changed, sender=EventRole.allowed_labels.through, dispatch_uid="schema-allowed")
