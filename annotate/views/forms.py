"""Forms of the project pages. Every choice offered is limited to what the project holds."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from annotate.interop.formats import READERS
from annotate.interop.importing.authors import annotator_map_read
from annotate.interop.units import OFFSET_UNITS
from annotate.models import Project, Role
from annotate.permissions import collections_readable
from annotate.selection import DocumentFilter
from annotate.services.schema import builtin_schemas
from corpus.models import Collection

SUGGESTERS = ["suggest_predictions", "suggest_gazetteer", "gazetteer_inside_words", "suggest_repetition"]


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["slug", "name", "description", "guidelines", "collections", "overlap", "curation_agreement",
                  *SUGGESTERS]
        labels = {
            "slug": _("Slug"), "name": _("Name"), "description": _("Description"), "guidelines": _("Guidelines"),
            "collections": _("Collections"), "overlap": _("Annotators per document"),
            "curation_agreement": _("Curation agreement"), "suggest_predictions": _("Suggest predictions"),
            "suggest_gazetteer": _("Suggest gazetteer"), "gazetteer_inside_words": _("Gazetteer inside words"),
            "suggest_repetition": _("Suggest repetition"),
        }
        widgets = {
            "collections": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 2}),
            "guidelines": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        # Only the collections the user may read are offered (or accepted).
        self.fields["collections"].queryset = collections_readable(user).order_by("name")
        if self.instance.pk:
            self.fields["slug"].disabled = True
        self.fields["curation_agreement"].required = False  # left out: unchanged (unanimous for a new project)

    def clean_curation_agreement(self):
        return self.cleaned_data.get("curation_agreement") or self.instance.curation_agreement or "unanimous"


class ProjectCreateForm(ProjectForm):
    class Meta(ProjectForm.Meta):  # suggesters are switched on in the settings, once there is something to suggest
        fields = [f for f in ProjectForm.Meta.fields if f not in SUGGESTERS]

    schema = forms.ChoiceField(
        label=_("Schema"),
        choices=[("", _("No labels yet"))] + [(s, s) for s in builtin_schemas()],
        required=False,
        initial="news-diplomacy",
    )


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def clean_username(self):
        name = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user %(name)r.") % {"name": name})
        return user


class SchemaUploadForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A schema JSON file, as the download gives it."))

    MAX_BYTES = 1_000_000

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("A schema file must be under 1 MB."))
        return upload


class SelectionForm(forms.Form):
    """Which documents: collections of the project, language, dates, search text."""

    collections = forms.ModelMultipleChoiceField(
        queryset=Collection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Collections"),
        help_text=_("None ticked: all of the project's collections."),
    )
    language = forms.RegexField(label=_("Language"), regex=r"^[a-z]{2,3}$", required=False, max_length=3)
    date_from = forms.DateField(label=_("Published from"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Published until"), required=False,
                              widget=forms.DateInput(attrs={"type": "date"}))
    search = forms.CharField(label=_("Search"), required=False, max_length=200)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.label_suffix = ""
        self.project = project
        self.fields["collections"].queryset = project.collections.all()
        annotators = (
            get_user_model()
            .objects.filter(memberships__project=project, memberships__role=Role.ANNOTATOR)
            .order_by("username")
        )
        for name in ("annotators", "from_annotator", "to_annotator", "annotator"):
            if name in self.fields:
                self.fields[name].queryset = annotators

    def selection(self) -> DocumentFilter:
        data = self.cleaned_data
        return DocumentFilter(
            collections=[c.slug for c in data["collections"]],
            language=data["language"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            search=data["search"],
        )


ACTIONS = [("assign", _("Assign")), ("reassign", _("Reassign open tasks")), ("unassign", _("Unassign open tasks"))]


class AssignPageForm(SelectionForm):
    """The assign page's one form: the action as a choice, the fields it needs, the documents it covers."""

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, initial="assign", widget=forms.RadioSelect)
    annotators = forms.ModelMultipleChoiceField(
        label=_("Annotators"), queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    overlap = forms.IntegerField(
        label=_("Annotators per document"), min_value=1, max_value=50, required=False,
        help_text=_("Empty: the project's overlap."),
    )
    from_annotator = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("From"), required=False)
    to_annotator = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label=_("To"), required=False)
    annotator = forms.ModelChoiceField(label=_("Annotator"), queryset=get_user_model().objects.none(), required=False)
    include_started = forms.BooleanField(
        required=False, label=_("Also remove started tasks (their annotations are lost)")
    )

    NEEDS = {"assign": ["annotators"], "reassign": ["from_annotator", "to_annotator"], "unassign": ["annotator"]}

    def clean(self):
        data = super().clean()
        for name in self.NEEDS.get(data.get("action"), []):
            if not data.get(name):
                self.add_error(name, _("Choose at least one.") if name == "annotators" else _("Choose one."))
        return data


class SkipForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.TextInput(attrs={"placeholder": _("Why skip this document?")})
    )


class ReopenForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


# How a person names the formats an annotation file may come in (the API and the command use the keys); a
# reader of annotate.interop.formats not named here is offered under its key.
FORMAT_NAMES = {"jsonl": _("Haber JSONL"), "doccano": _("doccano (JSONL)"), "labelstudio": _("Label Studio (JSON)"),
                "conll": _("CoNLL"), "brat": _("brat (zip of .txt and .ann)"), "xmi": _("INCEpTION UIMA CAS XMI (zip)"),
                "spacy": _("spaCy DocBin")}
UNIT_NAMES = {"codepoints": _("code points"), "utf16": _("UTF-16 code units (JavaScript)"),
              "graphemes": _("characters as a person sees them (graphemes)")}


class AnnotationImportForm(forms.Form):
    """The import page's fields: the API's (POST …/annotations/import), keep_repeats (CoNLL) aside."""

    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=[(name, FORMAT_NAMES.get(name, name)) for name in READERS])
    annotator = forms.ChoiceField(label=_("Whose sets"), required=False, help_text=_(
        "The annotator the sets are filed under. A Label Studio file says who made each set: leave this empty "
        "to file each under the annotator with that username or e-mail address."))
    as_predictions = forms.RegexField(label=_("Or a model's predictions"), regex=r"^[\w.-]+:[\w.-]+$", required=False,
                                      max_length=100, help_text=_("MODEL:VERSION, e.g. ner:3: the sets are suggestions "
                                                                  "from that model, not an annotator's work."))
    collection = forms.SlugField(label=_("Collection for new documents"), required=False, max_length=100, help_text=_(
        "Texts that are in none of the project's collections become documents there (one of the project's, or a "
        "new one if you tick the box below)."))
    attach_collection = forms.BooleanField(label=_("Add that collection to the project (creating it if need be)"),
                                           required=False)
    create_labels = forms.BooleanField(label=_("Add entity labels the project lacks"), required=False)
    skip_invalid = forms.BooleanField(label=_("Skip invalid sets (otherwise one problem writes nothing)"),
                                      required=False)
    offsets = forms.ChoiceField(label=_("Offsets counted in"), required=False, help_text=_(
        "doccano, Label Studio, brat: leave empty for the tool's own unit."))
    language = forms.RegexField(label=_("Language of the documents (CoNLL)"), regex=r"^[a-z]{2,3}$", initial="tr",
                                max_length=3)
    sentences_per_document = forms.IntegerField(label=_("Sentences per document (CoNLL without -DOCSTART-)"),
                                                min_value=1, max_value=10_000, initial=1)
    annotator_map = forms.CharField(label=_("Label Studio: authors to annotators"), required=False, strip=False,
                                    widget=forms.Textarea(attrs={"rows": 2, "spellcheck": "false"}), help_text=_(
        'A JSON object from each author the file names (completed_by id or e-mail address) to a username, e.g. '
        '{"17": "ayse", "mehmet@example.org": "mehmet"}; authors it leaves out are matched by e-mail address.'))
    text_field = forms.CharField(label=_("Label Studio: the field of the text"), required=False, max_length=200,
                                 help_text=_("The field of each task's data that holds the text (default: text, or "
                                             "the one field that is a string)."))

    field_order = ["file", "format", "annotator", "annotator_map", "text_field", "as_predictions"]

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.BooleanField):
                field.label_suffix = ""  # the box comes first, then what it says
        names = list(project.memberships.filter(role=Role.ANNOTATOR).order_by("user__username")
                     .values_list("user__username", flat=True))
        self.fields["annotator"].choices = [("", _("(as the file says: Label Studio)"))] + [(n, n) for n in names]
        if user.get_username() in names:
            self.fields["annotator"].initial = user.get_username()
        self.fields["offsets"].choices = [("", _("(the tool's own)"))] + [(unit, UNIT_NAMES.get(unit, unit))
                                                                         for unit in OFFSET_UNITS]

    def clean_annotator_map(self):
        value = self.cleaned_data["annotator_map"]
        return annotator_map_read(value) if value.strip() else None

    def options(self) -> dict:
        """The API's parameters, from the cleaned fields."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "file"}
        for optional in ("offsets", "annotator_map", "text_field"):
            if data[optional] in ("", None):
                data.pop(optional)
        return data
