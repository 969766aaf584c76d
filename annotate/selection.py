"""Which documents an assignment covers: the project's collections, narrowed by collection, language,
publication dates and search text. Checked against the project before anything is written."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from annotate.permissions import collections_check
from corpus.models import Document


@dataclass
class DocumentFilter:
    collections: list[str] = field(default_factory=list)  # slugs; empty: all of the project's collections
    language: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    search: str = ""

    def describe(self) -> str:
        parts = [_("collections %(slugs)s") % {"slugs": ", ".join(self.collections)} if self.collections
                 else _("all collections")]
        if self.language:
            parts.append(_("language %(language)s") % {"language": self.language})
        if self.date_from or self.date_to:
            parts.append(_("published %(start)s to %(end)s") % {
                "start": date_format(self.date_from, "SHORT_DATE_FORMAT") if self.date_from else "…",
                "end": date_format(self.date_to, "SHORT_DATE_FORMAT") if self.date_to else "…"})
        if self.search:
            parts.append(_("matching %(text)r") % {"text": self.search})
        return ", ".join(parts)

    def validate(self, project, user=None) -> list:
        """The project's collections this selection covers; ValidationError naming what is wrong, and
        (when a person asks) PermissionDenied for a collection they may not read."""
        allowed = {c.slug: c for c in project.collections.all()}
        unknown = [s for s in self.collections if s not in allowed]
        if unknown:  # the same words whether or not such a collection exists elsewhere
            raise ValidationError([_("collection %(slug)r is not one of project %(project)s's collections") % {
                "slug": s, "project": project.slug} for s in unknown])
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError(_("The date range ends before it begins."))
        chosen = [allowed[s] for s in self.collections] if self.collections else list(allowed.values())
        if user is not None:
            collections_check(user, chosen)
        return chosen

    def apply(self, queryset, prefix: str = ""):
        """The language and date filters on any queryset that reaches a document through `prefix`."""
        if self.language:
            queryset = queryset.filter(**{f"{prefix}language": self.language})
        if self.date_from:
            queryset = queryset.filter(**{f"{prefix}published_on__gte": self.date_from})
        if self.date_to:
            queryset = queryset.filter(**{f"{prefix}published_on__lte": self.date_to})
        return queryset

    def documents(self, project, user=None):
        """The matching documents of the project, or ValidationError naming what is wrong."""
        chosen = self.validate(project, user)
        if not chosen:
            raise ValidationError(f"Project {project.slug} has no collections yet; add one first.")
        return self.apply(Document.objects.filter(collection__in=chosen)).search(self.search)
