"""Whose set each record of an annotation file is, when the file says who made it (Label Studio: each
annotation's `completed_by`, each prediction's `model_version`).

- A person's set: the author is mapped to a project annotator by the user's annotator map ({"17": "ayse",
  "a@b.org": "ayse"}: ids and e-mail addresses to usernames), else by e-mail address (an annotator of the
  project with that address). An author the map leaves out is a problem; without a map, the sets of one
  author who cannot be matched (and those that name nobody) are filed as the import's annotator, and a
  second such author is a problem: two people's work is never merged into one set, nor dropped.
- A model's set: the model named by the import (as_predictions), else the file's model_version (MODEL:VERSION
  as it is, a bare version as labelstudio:VERSION); its user joins the project as an annotator.
- One task's two sets filed as the same user is a problem naming both (the second would be lost).

The notes say who each author was filed as."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from annotate.interop.importing.prediction_checks import MODEL_NAME, predictions_user
from annotate.models import Membership, Role
from corpus.jsonsafe import JsonRefused, parse_json

MAX_MAPPED_AUTHORS = 10_000


def annotator_map_check(mapping) -> dict:
    """The annotator map as it is, or ValidationError: a JSON object of authors to usernames."""
    if type(mapping) is not dict or not all(type(v) is str for v in mapping.values()) \
            or len(mapping) > MAX_MAPPED_AUTHORS:
        raise ValidationError(_('The annotator map must be a JSON object of authors to usernames, '
                                'e.g. {"17": "ayse", "mehmet@example.org": "mehmet"}.'))
    return mapping


def annotator_map_read(text: str) -> dict:
    """An annotator map as a person or a script writes it (the command's file, the API's field, the import
    page's box), parsed as hostile JSON (corpus.jsonsafe: nesting, NaN, NUL, half a surrogate pair are a
    message, never a crash) and checked; ValidationError says what is wrong."""
    try:
        value = parse_json(text)
    except JsonRefused as error:
        raise ValidationError(_("The annotator map is not JSON: %(reason)s") % {"reason": error}) from None
    return annotator_map_check(value)

_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,60}")


def _keys(author) -> tuple[str, str]:
    """(id, e-mail) of an author as a file names it: an id, an e-mail, or an object with them."""
    if type(author) is dict:
        return str(author.get("id", "")), str(author.get("email") or "").strip().lower()
    text = str(author).strip()
    return ("", text.lower()) if "@" in text else (text, "")


def _described(author) -> str:
    ident, email = _keys(author)
    return " ".join(part for part in (ident, f"<{email}>" if email else "") if part) or repr(author)


class Authors:
    def __init__(self, *, project, default_user, model: str = "", mapping: dict | None = None):
        self.project, self.default, self.model = project, default_user, model
        self.mapping = None if mapping is None else {str(k).strip().lower(): str(v) for k, v in mapping.items()}
        annotators = list(get_user_model().objects.filter(
            memberships__project=project, memberships__role=Role.ANNOTATOR).distinct())
        self.by_username = {u.username: u for u in annotators}
        self.by_email = {u.email.strip().lower(): u for u in annotators if u.email}
        self.filed: dict[tuple[object, int], str] = {}  # (the file's task, user id) -> the first set's place
        self.models: dict[str, object] = {}
        self.fallback: str | None = None  # the one unmatched author filed as the import's annotator
        self.notes: dict[str, str] = {}  # author -> what it was filed as

    def mapping_problem(self) -> str:
        """A name in the annotator map that is not an annotator of the project, or ""."""
        if self.mapping is None:
            return ""
        for key, username in self.mapping.items():
            if username not in self.by_username:
                return _("the annotator map sends %(author)s to %(user)r, who is not an annotator of project "
                         "%(project)s") % {"author": key, "user": username, "project": self.project.slug}
        return ""

    def file(self, p) -> str:
        """Set p.user to whose set p is; returns a problem, or ""."""
        user = self._model_user(p) if p.model is not None or self.model else self._person(p)
        if type(user) is str:
            return user
        first = self.filed.setdefault((p.task, user.pk), p.where)
        if first != p.where:
            return f"{p.where}: " + _(
                "a second set of task %(task)s filed as %(user)s (the first is %(first)s); map each author to an "
                "annotator of their own with an annotator map (--annotator-map)") % {
                "task": p.task, "user": user.username, "first": first.split(", ", 1)[-1]}
        p.user = user
        return ""

    def _model_user(self, p):
        name = self.model
        if not name:
            version = p.model or ""
            if MODEL_NAME.fullmatch(version):
                name = version
            elif _VERSION.fullmatch(version):
                name = f"labelstudio:{version}"
            else:
                return f"{p.where}: " + _(
                    "the prediction's model_version %(version)r does not name a model: name it with as_predictions "
                    "(--as-predictions MODEL:VERSION)") % {"version": version}
        if name not in self.models:
            user = predictions_user(name)
            Membership.objects.get_or_create(project=self.project, user=user, role=Role.ANNOTATOR)
            self.models[name] = user
            if p.model is not None:
                self.notes[f"model_version {p.model or '(none)'}"] = _("model %(name)s") % {"name": name}
        return self.models[name]

    def _person(self, p):
        if p.author is None:
            return self._default(p, "")
        ident, email = _keys(p.author)
        described = _described(p.author)
        if self.mapping is not None:
            username = self.mapping.get(ident) if ident else None
            username = username or (self.mapping.get(email) if email else None)
            if username:
                self.notes[f"completed_by {described}"] = username
                return self.by_username[username]
        if email and email in self.by_email:
            self.notes[f"completed_by {described}"] = _("%(user)s (by e-mail)") % {
                "user": self.by_email[email].username}
            return self.by_email[email]
        if self.mapping is not None:
            return f"{p.where}: " + _(
                "completed_by %(author)s is not in the annotator map, and no annotator of the project has that "
                "e-mail address: add it to the map") % {"author": described}
        return self._default(p, described)

    def _default(self, p, described: str):
        if self.default is None:
            if described:
                return f"{p.where}: " + _(
                    "completed_by %(author)s is not an annotator of the project (by e-mail): map it with an annotator "
                    "map (--annotator-map, the API's annotator_map: %(example)s), or name the annotator the sets "
                    "belong to") % {"author": described, "example": f'{{"{described.split()[0]}": "USERNAME"}}'}
            return f"{p.where}: " + _("the set names no author: name the annotator the sets belong to")
        if described:
            if self.fallback is None:
                self.fallback = described
            elif self.fallback != described:
                return f"{p.where}: " + _(
                    "completed_by %(author)s is not an annotator of the project (by e-mail), and completed_by "
                    "%(first)s was filed as %(user)s already: two people's sets would be one person's. Map each "
                    "author with an annotator map (--annotator-map file.json, e.g. %(example)s)") % {
                    "author": described, "first": self.fallback, "user": self.default.username,
                    "example": f'{{"{self.fallback}": "…", "{described}": "…"}}'}
            self.notes[f"completed_by {described}"] = _("%(user)s (the import's annotator)") % {
                "user": self.default.username}
        return self.default

    def summary(self) -> list[str]:
        return [f"{author} → {target}" for author, target in self.notes.items()]
