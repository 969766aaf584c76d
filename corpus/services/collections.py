from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from corpus.models import Collection


@transaction.atomic
def collection_create(*, slug: str, name: str = "", source: str = "") -> Collection:
    collection = Collection(slug=slug, name=name or slug, source=source)
    collection.full_clean()
    if Collection.objects.filter(slug=slug).exists():
        raise ValidationError(_("a collection with the slug %(slug)r exists already") % {"slug": slug})
    collection.save()
    return collection
