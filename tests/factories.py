"""Shared factories: real objects made through the same services the application uses."""

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from corpus.formats.sources import InputFile, inputs_from_paths
from corpus.models import Collection
from corpus.services import collection_create, documents_import

PASSWORD = "correct-horse-battery-staple"


def field_values(instance) -> dict:
    """Every column's value of a model instance: two reads of one row compare equal field by field."""
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def make_user(username: str, *, is_staff=False, is_superuser=False, permissions=()):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    user.is_staff, user.is_superuser = is_staff, is_superuser
    user.save()
    for perm in permissions:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def make_collection(slug="news", name="News") -> Collection:
    return collection_create(slug=slug, name=name)


def memory_input(name: str, data: bytes | str) -> InputFile:
    raw = data.encode() if isinstance(data, str) else data
    return InputFile(name=name, size=len(raw), stream=io.BytesIO(raw))


def import_texts(collection: Collection, *texts: str, language=None, **kwargs):
    """Import plain texts as one-article .txt files."""
    inputs = [memory_input(f"doc{i}.txt", text) for i, text in enumerate(texts)]
    return documents_import(collection=collection, inputs=inputs, language=language, **kwargs)


def import_paths(collection: Collection, *paths: Path | str, **kwargs):
    return documents_import(collection=collection, inputs=inputs_from_paths(paths), **kwargs)


def make_project(slug="proj", *, collections=(), overlap=2, schema="news-diplomacy", members=()):
    """A project through project_create, with (user, role) members."""
    from annotate.services import membership_add, project_create

    project = project_create(slug=slug, name=slug.title(), collections=collections, overlap=overlap, schema=schema)
    for user, role in members:
        membership_add(project=project, user=user, role=role)
    return project


def make_documents(collection: Collection, count: int, *, language="tr", prefix="Belge"):
    """`count` distinct short documents in a collection."""
    texts = [f"{prefix} {collection.slug} {i}: Rusya'nın Dışişleri Bakanı Pekin'de görüştü." for i in range(count)]
    report = import_texts(collection, *texts, language=language)
    assert report.committed and report.imported == count, report.summary()
    return list(collection.documents.order_by("id"))


EXPORT_TEXT = "Rusya'nın Dışişleri Bakanı Sergey Lavrov salı günü Pekin'de görüştü.\nREKLAM\nPaylaş"


def export_text(project, **params):
    """Run an export in process: (the text, the report)."""
    from annotate.interop.export import export_options, export_stream, get_writer

    options = export_options(project=project, params={"format": "jsonl", **params})
    writer = get_writer(options.format, options)
    parts = list(export_stream(project=project, writer=writer))
    return (b"" if parts and isinstance(parts[0], bytes) else "").join(parts), writer.report


def make_annotator(project, username: str):
    """A user who is an annotator of the project (annotation imports file sets only under annotators)."""
    from annotate.models import Role
    from annotate.services import membership_add

    user = make_user(username)
    membership_add(project=project, user=user, role=Role.ANNOTATOR)
    return user


def make_task(text: str, username: str = "ayse"):
    """One article of `text` in a project "p" whose one annotator (`username`) has it as a task: the task."""
    from annotate.models import Role, Task
    from annotate.services import tasks_assign

    collection = make_collection("wire")
    import_texts(collection, text, language="tr")
    user = make_user(username)
    project = make_project("p", collections=[collection], overlap=1, members=[(user, Role.ANNOTATOR)])
    tasks_assign(project=project, annotators=[user])
    return Task.objects.get(project=project, annotator=user)
