"""annotation_file_import: the one entry point of the command, the API (and its tests) for an annotation file.

It applies the rules every path shares: the file's format; the user the sets are filed under must already
be an annotator of the project (or stand for a model's predictions); naming a collection to create missing
documents in needs the corpus import right and a collection the importer may read; who imported the sets
is kept in each task's history. Every problem of the file comes back in the report, prefixed by its name."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from annotate.interop.formats import READERS, ReadOptions
from annotate.interop.importing.authors import Authors
from annotate.interop.importing.checks import annotation_import_check, format_options_check
from annotate.interop.importing.conll import conll_import
from annotate.interop.importing.prediction_checks import predictions_user
from annotate.interop.importing.sets import AnnotationImportReport, annotations_import
from annotate.interop.importing.unit_fit import UnitWatch
from annotate.models import Membership, Role
from corpus.services import collection_create

FORMATS = tuple(READERS)


@transaction.atomic
def annotation_file_import(*, project, stream, name: str, fmt: str, user=None, as_predictions: str = "", by=None,
                           collection: str = "", create_labels: bool = False, skip_invalid: bool = False,
                           sentences_per_document: int = 1, language: str = "tr", offsets: str = "",
                           keep_repeats: bool = False, attach_collection: bool = False,
                           annotator_map: dict | None = None, text_field: str = "",
                           progress=None) -> AnnotationImportReport:
    """Import one annotation file; ValidationError or PermissionDenied for what refuses the whole request
    (checks.annotation_import_check: `user`, a user or a username, the sets' annotator, by default `by`).
    `offsets` (codepoints or utf16) overrides doccano's and Label Studio's own unit; `keep_repeats` keeps
    each copy of a text a CoNLL file repeats as a document of its own; `progress(n)` hears of each n sets
    read (a background job's progress); `attach_collection` allows a named collection that is not the project's
    to become one (checks.py). For a file that names each set's author (Label Studio), `annotator_map` maps
    the authors to annotators (importing.authors) and `text_field` names the field of the text. An import
    that writes nothing
    leaves nothing behind either (not the collection it named, not a model user's membership)."""
    reader = format_options_check(fmt=fmt, offsets=offsets, annotator_map=annotator_map)
    # A file that names each set's author needs no annotator of the importer's choosing: the person
    # importing stands in for authors who match nobody only if they annotate the project themselves.
    parties = annotation_import_check(project=project, by=by, annotator=user or "", as_predictions=as_predictions,
                                      collection=collection, attach_collection=attach_collection,
                                      needs_annotator=annotator_map is None and not (reader.authored and not user))
    user = parties.user
    if user is None and reader.authored and annotator_map is None and by is not None and not as_predictions \
            and Membership.objects.filter(project=project, user=by, role=Role.ANNOTATOR).exists():
        user = by
    if parties.model:  # a model's sets: its user (without a password) joins the project as an annotator
        user = user or predictions_user(parties.model)
        Membership.objects.get_or_create(project=project, user=user, role=Role.ANNOTATOR)
    authors = None
    if reader.authored:
        authors = Authors(project=project, default_user=user, model=parties.model, mapping=annotator_map)
        if problem := authors.mapping_problem():
            raise ValidationError(problem[0].upper() + problem[1:] + ".")
    target = parties.collection or (collection_create(slug=collection) if collection else None)
    if reader.tokenized and target is None:
        raise ValidationError(_("A CoNLL import makes its documents from the file: name a collection."))
    options = ReadOptions(
        boilerplate_names=frozenset(project.labels.filter(layer="boilerplate").values_list("name", flat=True)),
        offsets=offsets, sentences_per_document=max(1, sentences_per_document), keep_repeats=keep_repeats,
        text_field=text_field,
    )
    records = reader.read(stream, options)
    watch = UnitWatch(offsets or reader.own_unit) if reader.own_unit else None
    if watch is not None:  # the wrong unit is caught as the file is read (importing.unit_fit)
        records = watch(records)
    common = {"project": project, "records": records, "user": user, "by": by, "source": name,
              "collection": target, "create_labels": create_labels, "skip_invalid": skip_invalid,
              "progress": progress}
    if reader.tokenized:  # CoNLL: every mark is made of the file's tokens already
        report = conll_import(language=language, keep_repeats=keep_repeats, **common)
    else:
        report = annotations_import(predictions=bool(as_predictions), authors=authors, **common)
    if watch is not None and watch.fit.better():  # the file is refused whole: nothing it held is kept
        report = AnnotationImportReport(problems=[watch.fit.problem()], committed=False)
    elif watch is not None:
        report.notes.insert(0, watch.fit.note(reader.own_unit))
    report.problems = [f"{name}, {problem}" for problem in report.problems]
    report.notes = [f"{name}, {note}" for note in report.notes]
    if not report.committed:
        transaction.set_rollback(True)
    elif (as_predictions or (authors and authors.models)) and report.imported and not project.suggest_predictions:
        project.suggest_predictions = True  # a model's sets are there to be suggested; a manager may say no
        project.save(update_fields=["suggest_predictions"])
    return report
