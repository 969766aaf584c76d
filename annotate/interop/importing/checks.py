"""Who an annotation import files its sets under, and whether the person importing may: the one decision
for the API (which refuses at once, with a 400 or 403), the job and the command (annotation_file_import
asks again when it runs, since time has passed). It only reads; the writes it allows (a model's user and
its membership, a new collection) are annotation_file_import's.

- The sets belong to a model (`as_predictions`: MODEL:VERSION, never a person's account), or to a user who
  is an annotator of the project (`annotator`, a username or a user; by default the person importing).
- Naming a collection to create missing documents in needs the corpus import right and, if it exists, a
  collection the importer may read. `by` None is the command line, which may do both.
- A named collection that is not one of the project's (a new one included) becomes one only when the
  request says so (`attach_collection`): its documents would all join the project's tasks and exports."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from annotate.interop.formats import UnknownFormat, get_reader
from annotate.interop.importing.authors import annotator_map_check
from annotate.interop.importing.prediction_checks import model_name_check
from annotate.interop.units import OFFSET_UNITS
from annotate.models import Membership, Role
from annotate.permissions import collections_check
from corpus.models import Collection
from corpus.permissions import can_import

IMPORT_RIGHT = "Creating documents needs the corpus import right (staff or the Corpus managers group)."


@dataclass(frozen=True)
class ImportParties:
    user: object | None  # whose sets they are (None: a model whose user does not exist yet)
    model: str  # MODEL:VERSION for a model's predictions, else ""
    collection: Collection | None  # where missing documents are created (None: a new one named `slug`)
    collection_slug: str


def format_options_check(*, fmt: str, offsets: str = "", annotator_map=None):
    """The reader of `fmt`, or ValidationError for an unknown format or an option it does not take: an
    offset unit (only the tools that count offsets their own way have one) or an annotator map (only a file
    that says who made each set)."""
    try:
        reader = get_reader(fmt)
    except UnknownFormat as error:
        raise ValidationError(str(error)) from None
    if offsets not in ("", *OFFSET_UNITS):
        raise ValidationError(_("offsets %(value)r is not one of: %(units)s") % {
            "value": offsets, "units": ", ".join(OFFSET_UNITS)})
    if offsets and not reader.own_unit:
        raise ValidationError(_("A %(format)s file has no offset unit to choose (offsets is for doccano, Label "
                                "Studio and brat files).") % {"format": fmt})
    if annotator_map is not None:
        if not reader.authored:
            raise ValidationError(_("An annotator map is for files that say who made each set (labelstudio), not "
                                    "%(format)s.") % {"format": fmt})
        annotator_map_check(annotator_map)
    return reader


def is_predictions_user(user) -> bool:
    return user.username.startswith("model:") and not user.has_usable_password()


def annotation_import_check(*, project, by, annotator="", as_predictions: str = "",
                            collection: str = "", attach_collection: bool = False,
                            needs_annotator: bool = True) -> ImportParties:
    """ValidationError (a bad request, named) or PermissionDenied (not allowed), else the parties.
    `needs_annotator` False: the file names each set's author (an annotator map says who), so that without
    a named annotator there is none by default (user None)."""
    if as_predictions:
        user, model = model_name_check(as_predictions), as_predictions
    else:
        model = ""
        if isinstance(annotator, str) and annotator:
            user = get_user_model().objects.filter(username=annotator).first()
            if user is None:
                raise ValidationError(_("No user %(name)r.") % {"name": annotator})
        else:
            user = annotator or (by if needs_annotator else None)
        if user is None and needs_annotator:
            raise ValidationError(_("Name the annotator the sets belong to, or the model that predicted them."))
        if user is not None and not is_predictions_user(user) and not Membership.objects.filter(
                project=project, user=user, role=Role.ANNOTATOR).exists():
            raise ValidationError(_("%(user)s is not an annotator of project %(project)s; add them as an annotator "
                                    "first.") % {"user": user.get_username(), "project": project.slug})
    target = None
    if collection:
        if by is not None and not can_import(by):
            raise PermissionDenied(IMPORT_RIGHT)
        target = Collection.objects.filter(slug=collection).first()
        if target is not None and by is not None:
            collections_check(by, [target])
        if not attach_collection and (target is None or not project.collections.filter(pk=target.pk).exists()):
            ours = ", ".join(project.collections.order_by("slug").values_list("slug", flat=True)) or _("none yet")
            values = {"collection": collection, "project": project.slug, "ours": ours}
            if target:
                message = _("The collection %(collection)r is not one of this project's collections: the import would "
                            "add it to project %(project)s, with all its documents. Say attach_collection=true "
                            "(--attach-collection) to do that, or name one of the project's collections (%(ours)s).")
            else:
                message = _("The collection %(collection)r does not exist yet: the import would add it to project "
                            "%(project)s, with all its documents. Say attach_collection=true (--attach-collection) to "
                            "do that, or name one of the project's collections (%(ours)s).")
            raise ValidationError(message % values)
    return ImportParties(user=user, model=model, collection=target, collection_slug=collection)
