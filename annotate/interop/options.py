"""Export parameters and their parsing (annotate.interop.export.export_options is the one caller)."""

import datetime as dt
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annotate.interop.tool_configs import LabelingConfigError, LabelingTarget, labeling_target
from annotate.interop.units import OFFSET_UNITS
from annotate.models import TaskStatus
from annotate.selection import DocumentFilter

SOURCES = ["annotators", "gold", "majority"]
SCHEMES = ["iob2", "bilou"]
SUFFIXES = ["split", "attach"]
MISALIGNED = ["expand", "drop"]
FLAVOURS = ["conll2003", "tsv"]
OFFSETS = list(OFFSET_UNITS)


# name, valid values (None: free text), description: the OpenAPI schema and docs/formats.md say the same.
# `format`, whose values are the writers', is put first by annotate.interop.export.PARAMETERS.
OPTION_PARAMETERS = [
    ("source", SOURCES, gettext_noop(
        "Whose annotations: each annotator's submitted set (annotators, default); each document's "
        "accepted gold set (gold); or the gold set where there is one and else the majority vote of the "
        "submitted sets (majority). JSONL records say which in `source`.")),
    ("collection", None, gettext_noop(
        "Collection slugs, comma-separated (default: all of the project's).")),
    ("language", None, gettext_noop(
        "Only documents in this language (a code like tr).")),
    ("status", ["submitted", "all"], gettext_noop(
        "Submitted sets only (default), or open tasks too.")),
    ("published_from", None, gettext_noop(
        "Documents published on or after this date (YYYY-MM-DD).")),
    ("published_to", None, gettext_noop(
        "Documents published on or before this date (YYYY-MM-DD).")),
    ("labels", None, gettext_noop(
        "Label names, comma-separated (default: all).")),
    ("split", None, gettext_noop(
        "Splits and shares, e.g. train:0.8,dev:0.1,test:0.1, assigned by each document's text hash.")),
    ("offsets", OFFSETS, gettext_noop(
        "JSONL: code points (default); utf16 adds start16/end16, graphemes adds "
        "start_graphemes/end_graphemes. doccano: utf16 (default, doccano's editor), graphemes (its "
        "grapheme mode) or codepoints. Label Studio: codepoints (default, its editor), utf16 or "
        "graphemes.")),
    ("scheme", SCHEMES, gettext_noop(
        "CoNLL tag scheme (default iob2).")),
    ("suffix", SUFFIXES, gettext_noop(
        "CoNLL: stored tokens (split, default) or apostrophe suffixes attached.")),
    ("misaligned", MISALIGNED, gettext_noop(
        "CoNLL, spaCy: a span with an edge inside a token is expanded (default) or dropped.")),
    ("flavour", FLAVOURS, gettext_noop(
        "CoNLL: conll2003 (token -X- _ tag, default) or tsv (token<TAB>tag).")),
    ("events", ["1", "0"], gettext_noop(
        "CoNLL: add a column of event trigger tags.")),
    ("boilerplate", ["1", "0"], gettext_noop(
        "CoNLL: add a column of boilerplate tags.")),
    ("exclude_boilerplate", ["1", "0"], gettext_noop(
        "CoNLL: leave boilerplate tokens out.")),
    ("labeling_config", None, gettext_noop(
        "Label Studio: the target project's labeling config (XML); the tasks use its <Labels> control's "
        "name, the <Text> object it labels and the data field that object reads, and a label the config "
        "lacks is refused. Default: the config GET …/interop/labelstudio-config.xml gives.")),
]


class ExportParameterError(ValueError):
    pass


def _choice(params, name, choices, default):
    value = (params.get(name) or default).strip()
    if value not in choices and not value == default == "":  # "": the format decides
        raise ExportParameterError(_("%(name)s=%(value)r is not one of: %(choices)s") % {
            "name": name, "value": value, "choices": ", ".join(choices)})
    return value


def _date(params, name):
    value = params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ExportParameterError(_("%(name)s=%(value)r is not a date like 2025-09-02") % {
            "name": name, "value": value}) from None


FLAG_VALUES = {"1": True, "true": True, "yes": True, "on": True, "0": False, "false": False, "no": False,
               "off": False, "": False}


def _flag(params, name) -> bool:
    """A yes/no parameter; anything else is refused, naming the valid values."""
    value = str(params.get(name, "")).strip().lower()
    if value not in FLAG_VALUES:
        raise ExportParameterError(_("%(name)s=%(value)r is not one of: 1, 0 (or true, false)") % {
            "name": name, "value": params.get(name)})
    return FLAG_VALUES[value]


def _labeling(params) -> LabelingTarget:
    config = params.get("labeling_config") or ""
    if not config.strip():
        return LabelingTarget()
    try:
        return labeling_target(config)
    except LabelingConfigError as error:
        raise ExportParameterError(f"labeling_config: {error}") from None


def parse_split(spec: str) -> list[tuple[str, float]]:
    """ "train:0.8,dev:0.1,test:0.1" → [(train, 0.8), (dev, 0.9), (test, 1.0)] (cumulative)."""
    parts, total = [], 0.0
    for piece in spec.split(","):
        name, _colon, share = piece.partition(":")
        try:
            value = float(share)
        except ValueError:
            raise ExportParameterError(_("split %(piece)r is not name:share (train:0.8)") % {"piece": piece}) from None
        if not math.isfinite(value):  # nan compares false with everything: it would pass every check below
            raise ExportParameterError(_("split %(piece)r: the share must be a number between 0 and 1") % {
                "piece": piece})
        if not name.strip() or value <= 0:
            raise ExportParameterError(_("split %(piece)r needs a name and a share above 0") % {"piece": piece})
        total += value
        parts.append((name.strip(), total))
    if abs(total - 1.0) > 1e-6:
        raise ExportParameterError(_("the split shares add up to %(total)s, not 1") % {"total": f"{total:g}"})
    return parts


def split_of(text_sha256: str, split: list[tuple[str, float]]) -> str:
    """The same document always gets the same split, whatever else is in the corpus."""
    position = int(text_sha256[:15], 16) / 16**15
    return next((name for name, upper in split if position < upper), split[-1][0])


@dataclass
class ExportOptions:
    format: str = "jsonl"
    source: str = "annotators"
    collections: list[str] = field(default_factory=list)
    language: str = ""
    status: str = TaskStatus.SUBMITTED
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    labels: set[str] = field(default_factory=set)
    split: list[tuple[str, float]] = field(default_factory=list)
    offsets: str = ""  # "": the format's own unit (formats.FORMATS), filled in by export_options
    tokens: bool = False  # records carry the documents' tokens (the writer needs them), set by export_options
    scheme: str = "iob2"
    suffix: str = "split"
    misaligned: str = "expand"
    flavour: str = "conll2003"
    event_column: bool = False
    boilerplate_column: bool = False
    exclude_boilerplate: bool = False
    labeling: LabelingTarget = field(default_factory=LabelingTarget)  # Label Studio: where the spans go
    tool_config: str = ""  # brat: the schema's annotation.conf, set by export_options
    document_range: tuple[int, int] | None = None  # only documents with ids in [low, high] (a release's part)

    def selection(self) -> DocumentFilter:
        return DocumentFilter(
            collections=self.collections, language=self.language, date_from=self.date_from, date_to=self.date_to
        )

    @classmethod
    def from_params(cls, params, formats: list[str]) -> "ExportOptions":
        """From query parameters (or the command's options as strings); every problem names the valid values."""
        status = params.get("status") or TaskStatus.SUBMITTED
        if status not in (TaskStatus.SUBMITTED, "all"):
            raise ExportParameterError(_("status=%(value)r is not one of: submitted, all") % {"value": status})
        return cls(
            format=_choice(params, "format", formats, "jsonl"),
            source=_choice(params, "source", SOURCES, "annotators"),
            collections=[s for s in (params.get("collection") or "").split(",") if s],
            language=(params.get("language") or "").strip(),
            status=status,
            date_from=_date(params, "published_from"),
            date_to=_date(params, "published_to"),
            labels={s for s in (params.get("labels") or "").split(",") if s},
            split=parse_split(params["split"]) if params.get("split") else [],
            offsets=_choice(params, "offsets", OFFSETS, ""),
            scheme=_choice(params, "scheme", SCHEMES, "iob2"),
            suffix=_choice(params, "suffix", SUFFIXES, "split"),
            misaligned=_choice(params, "misaligned", MISALIGNED, "expand"),
            flavour=_choice(params, "flavour", FLAVOURS, "conll2003"),
            event_column=_flag(params, "events"),
            boilerplate_column=_flag(params, "boilerplate"),
            labeling=_labeling(params),
            exclude_boilerplate=_flag(params, "exclude_boilerplate"),
        )
