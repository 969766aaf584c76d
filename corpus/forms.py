from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .formats import AUTO, FORMATS
from .formats.base import LANGUAGE_CODE
from .models import Collection


class ImportForm(forms.Form):
    collection = forms.ModelChoiceField(
        label=_("Collection"), queryset=Collection.objects.all(), required=False, empty_label=_("— new collection —")
    )
    new_collection = forms.SlugField(
        label=_("New collection"), required=False, help_text=_("Slug of a new collection, when none is chosen")
    )
    format = forms.ChoiceField(label=_("Format"), choices=[(AUTO, _("detect"))] + [(k, k) for k in FORMATS],
                               initial=AUTO)
    language = forms.CharField(label=_("Language"), required=False, max_length=16,
                               help_text=_("Leave empty to detect per document"))
    encoding = forms.CharField(label=_("Encoding"), required=False, max_length=40, help_text=_("Default UTF-8"))
    skip_invalid = forms.BooleanField(
        label=_("Skip invalid"), required=False, help_text=_("Import the good documents and report the rest")
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_language(self):
        value = self.cleaned_data["language"].strip()
        if value and not LANGUAGE_CODE.match(value):
            raise ValidationError(_("Use a language code such as tr or sq."))
        return value or None

    def clean(self):
        data = super().clean()
        if not data.get("collection") and not data.get("new_collection"):
            raise ValidationError(_("Choose a collection or name a new one."))
        if not data.get("collection") and Collection.objects.filter(slug=data.get("new_collection")).exists():
            raise ValidationError(_("A collection with that slug exists already; choose it from the list."))
        return data
