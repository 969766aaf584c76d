"""A project's label schema in three layers: entity labels, event types with roles, boilerplate labels.

A label in use is never deleted (the annotation foreign keys PROTECT it); it is retired instead, which hides
it from the annotation page and frees its shortcut."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from annotate.models.keys import KEYS, RESERVED_KEYS

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Layer(models.TextChoices):
    ENTITY = "entity", _("Entity")
    EVENT = "event", _("Event type")
    BOILERPLATE = "boilerplate", _("Boilerplate")


def validate_colour(value: str) -> None:
    """A label's colour: #rrggbb, and a mark in it must stand out at 3:1 from the article in both themes
    (colour_problem)."""
    if not isinstance(value, str) or not COLOUR.match(value):
        raise ValidationError(_("colour %(value)r is not of the form #rrggbb") % {"value": value})
    if problem := colour_problem(value):
        raise ValidationError(problem)


LABEL_NAME = re.compile(r"^[\w-]{1,40}$")


def validate_label_name(value) -> None:
    """Every label, role and event type name, however it is made (schema file, page, import)."""
    if not isinstance(value, str) or not LABEL_NAME.match(value):
        raise ValidationError(_("name %(value)r must be 1–40 letters, digits, _ or -") % {"value": value})


def validate_shortcut(value: str) -> None:
    """One printable character that the annotation page does not keep for itself (models.keys)."""
    if len(value) != 1 or not value.isprintable():
        raise ValidationError(_("shortcut %(value)r must be one printable character") % {"value": value})
    if value in RESERVED_KEYS:
        doing = next((k.help for k in KEYS if value in k.keys), _("the next task") if value == "n" else _("nothing"))
        raise ValidationError(
            _("shortcut %(value)r is a key the annotation page keeps for itself (%(doing)s), so a label could never "
              "be applied with it; choose another (reserved: %(reserved)s and space)") % {
                "value": value, "doing": doing, "reserved": " ".join(sorted(RESERVED_KEYS - {" "}))}
        )


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


LIGHT_SURFACE, DARK_SURFACE = "#ffffff", "#1e2227"  # the article's background in each theme (static/css/app.css)
MARK_CONTRAST = 3.0  # WCAG 2.2, 1.4.11 (non-text contrast): a mark's underline against the article


def colour_problem(colour: str) -> str | None:
    """Why a label colour is refused, or None: a mark is drawn in it, so it must reach 3:1 against the
    article's background in the light theme and in the dark one. A colour that does also gives its chip
    a name (black or white) of 4.5:1 or more. The message proposes the nearest colour of the same hue that
    passes (colour_within_contrast)."""
    values = {"colour": colour.lower(), "suggestion": colour_within_contrast(colour)}
    if (ratio := contrast_ratio(colour, LIGHT_SURFACE)) < MARK_CONTRAST:
        return _("colour %(colour)s is too light for the light theme: %(ratio)s:1 against the article's "
                 "background, where a mark needs 3:1 to be seen. %(suggestion)s has the same hue and works in "
                 "both themes.") % {**values, "ratio": _ratio(ratio)}
    if (ratio := contrast_ratio(colour, DARK_SURFACE)) < MARK_CONTRAST:
        return _("colour %(colour)s is too dark for the dark theme: %(ratio)s:1 against the article's "
                 "background, where a mark needs 3:1 to be seen. %(suggestion)s has the same hue and works in "
                 "both themes.") % {**values, "ratio": _ratio(ratio)}
    return None


def _ratio(ratio: float) -> str:
    """A ratio under 3 as the page writes numbers, rounded down (2.96 is 2.9, never "3.0")."""
    from django.utils.formats import number_format

    return number_format(int(ratio * 10) / 10, 1)


def colour_within_contrast(colour: str) -> str:
    """The colour itself if it reaches 3:1 against both themes' backgrounds, else the least darkened (or
    lightened) mix of it that does: the relative luminance must lie between ~0.146 and 0.30, and mixing
    with black or white moves it there without changing the hue."""
    if all(contrast_ratio(colour, surface) >= MARK_CONTRAST for surface in (LIGHT_SURFACE, DARK_SURFACE)):
        return colour.lower()
    towards = 0 if contrast_ratio(colour, LIGHT_SURFACE) < MARK_CONTRAST else 255
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(1, 256):
        mixed = "#" + "".join(f"{round(c + (towards - c) * step / 255):02x}" for c in rgb)
        if all(contrast_ratio(mixed, surface) >= MARK_CONTRAST for surface in (LIGHT_SURFACE, DARK_SURFACE)):
            return mixed
    return "#767676"  # not reached: some mix of any colour lands in the band (tested for every hue)


def line_colour_for(colour: str, surface: str, ratio: float = 3.0) -> str:
    """The label's colour, darkened (on a light surface) or lightened (on a dark one) just enough for an
    underline to reach WCAG's 3:1 for graphics against the surface."""
    towards = 0 if _luminance(surface) > 0.5 else 255
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        mixed = "#" + "".join(f"{round(c + (towards - c) * step / 20):02x}" for c in rgb)
        if contrast_ratio(mixed, surface) >= ratio:
            return mixed
    return "#000000" if towards == 0 else "#ffffff"


def text_colour_for(background: str) -> str:
    """Black or white, whichever reads better on the background."""
    return max(("#000000", "#ffffff"), key=lambda fg: contrast_ratio(fg, background))


class LabelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired=False)


class Label(models.Model):
    project = models.ForeignKey(
        "annotate.Project", on_delete=models.CASCADE, related_name="labels", verbose_name=_("project")
    )
    layer = models.CharField(max_length=16, choices=Layer.choices, verbose_name=_("layer"))
    name = models.CharField(max_length=40, validators=[validate_label_name], verbose_name=_("name"))
    description = models.CharField(max_length=300, blank=True, verbose_name=_("description"))
    colour = models.CharField(max_length=7, validators=[validate_colour], verbose_name=_("colour"))
    shortcut = models.CharField(max_length=1, validators=[validate_shortcut], verbose_name=_("shortcut"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    retired = models.BooleanField(default=False, verbose_name=_("retired"))

    objects = LabelQuerySet.as_manager()

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ["project", "layer", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "layer", "name"], name="label_name_unique_in_layer"),
            models.UniqueConstraint(
                fields=["project", "shortcut"],
                condition=models.Q(retired=False),
                name="label_shortcut_unique_in_project",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_layer_display()})"

    @property
    def text_colour(self) -> str:
        return text_colour_for(self.colour)

    @property
    def line_light(self) -> str:
        return line_colour_for(self.colour, LIGHT_SURFACE)

    @property
    def line_dark(self) -> str:
        return line_colour_for(self.colour, DARK_SURFACE)


class EventRole(models.Model):
    """A role of an event type: which entity labels may fill it and how many times (max None: no limit)."""

    event_type = models.ForeignKey(
        Label,
        on_delete=models.CASCADE,
        related_name="roles",
        limit_choices_to={"layer": Layer.EVENT},
        verbose_name=_("event type"),
    )
    name = models.CharField(max_length=40, validators=[validate_label_name], verbose_name=_("name"))
    allowed_labels = models.ManyToManyField(
        Label,
        related_name="fillable_roles",
        limit_choices_to={"layer": Layer.ENTITY},
        verbose_name=_("allowed labels"),
    )
    min_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("min count"))
    max_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Empty: no limit"), verbose_name=_("max count")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    retired = models.BooleanField(default=False, verbose_name=_("retired"))

    class Meta:
        verbose_name = _("event role")
        verbose_name_plural = _("event roles")
        ordering = ["event_type", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event_type", "name"], name="role_name_unique_in_event"),
            models.CheckConstraint(
                condition=models.Q(max_count__isnull=True) | models.Q(max_count__gte=models.F("min_count")),
                name="role_max_at_least_min",
            ),
        ]

    def __str__(self):
        return f"{self.event_type.name}.{self.name}"

    @property
    def count_display(self) -> str:
        if self.max_count is None:
            return f"{self.min_count}+"
        return (
            str(self.min_count) if self.min_count == self.max_count else f"{self.min_count}–{self.max_count}"
        )
