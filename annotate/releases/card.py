"""A release's data card: README.md with the Hugging Face dataset-card YAML header (languages, licence, task
categories, sizes, splits and their files, so that `datasets.load_dataset("<folder>")` finds them) and the
figures an ML engineer asks before training: labels per split, agreement, annotators, gold coverage, the
near-duplicate groups, and what the release was cut from."""

import json

from annotate.models import Layer, Task, TaskStatus
from annotate.quality.agreement.metrics import ALL
from annotate.quality.agreement.report import project_tally, report_data
from corpus.models import Document

SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
         (10_000_000, "1M<n<10M")]
LAYER_NAMES = {Layer.ENTITY: "entities", Layer.EVENT: "events", Layer.BOILERPLATE: "boilerplate"}


def size_category(documents: int) -> str:
    return next((name for limit, name in SIZES if documents < limit), "n>10M")


def _quoted(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def card_figures(project) -> dict:
    """What the card says of the project as a whole when the release is cut: agreement between annotators
    (mean exact span F1 over the pairs, per layer), the annotators, and how much of the corpus has gold."""
    report = report_data(project_tally(project))
    agreement = {layer: entry["labels"].get(ALL, {}).get("mean_exact_f1") for layer, entry in report["layers"].items()}
    documents = Document.objects.filter(collection__in=project.collections.all()).count()
    gold = Task.gold_sets.filter(project=project, status=TaskStatus.SUBMITTED)
    annotators = (Task.objects.by_people().filter(project=project, status=TaskStatus.SUBMITTED)
                  .values_list("annotator__username", flat=True).distinct())
    return {"agreement_documents": report["documents"], "agreement": agreement,
            "annotators": sorted(annotators), "curators": sorted(gold.values_list("annotator__username", flat=True).distinct()),
            "documents_in_project": documents, "documents_with_gold": gold.values("document_id").distinct().count()}


def _yaml_header(release, counts: dict, languages: list[str]) -> str:
    splits = counts["splits"]
    lines = ["---", "language:", *[f"- {_quoted(code)}" for code in languages or ["und"]],
             f"license: {_quoted(release.options.get('license') or 'other')}",
             f"pretty_name: {_quoted(f'{release.project.name} {release.name}')}",
             "task_categories:", "- token-classification",
             "task_ids:", "- named-entity-recognition",
             "size_categories:", f"- {_quoted(size_category(counts['documents']))}",
             "tags:", "- news", "- event-extraction", "- boilerplate-removal",
             "configs:", "- config_name: default", "  data_files:"]
    for name in splits:
        lines += [f"  - split: {_quoted(name)}", f"    path: {_quoted(f'data/{name}.jsonl')}"]
    lines += ["dataset_info:", "  splits:"]
    for name, figures in splits.items():
        lines += [f"  - name: {_quoted(name)}", f"    num_examples: {figures['documents']}"]
    return "\n".join([*lines, "---", ""])


def _labels_table(splits: dict) -> list[str]:
    names = list(splits)
    rows = ["| layer | label | " + " | ".join(names) + " |", "|---|---|" + "---:|" * len(names)]
    for layer in ("entities", "events", "boilerplate"):
        labels = sorted({label for figures in splits.values() for label in figures[layer]})
        for label in labels:
            rows.append(f"| {layer} | {label} | " + " | ".join(f"{splits[n][layer].get(label, 0):,}" for n in names)
                        + " |")
    return rows if len(rows) > 2 else ["(no marks)"]


def _number(value) -> str:
    return "–" if value is None else f"{value:.3f}"


def card_text(release, counts: dict, groups_report: dict, figures: dict, languages: list[str]) -> str:
    splits, options = counts["splits"], release.options
    filters = {key: value for key, value in options.get("filters", {}).items() if value}
    lines = [_yaml_header(release, counts, languages),
             f"# {release.project.name}: release {release.name}", ""]
    if release.notes:
        lines += [release.notes.strip(), ""]
    lines += ["Annotated news articles (Turkish and Albanian wire-service news about diplomacy), exported from "
              "a Haber annotation project: named entities, event triggers with their arguments, and boilerplate "
              "(share bars, advertisements, related headlines) marked in the text.", "",
              "## Splits", "", "| split | documents | tokens | entities | events | arguments | boilerplate |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for name, f in splits.items():
        lines.append(f"| {name} | {f['documents']:,} | {f['tokens']:,} | {sum(f['entities'].values()):,} | "
                     f"{sum(f['events'].values()):,} | {f['arguments']:,} | {sum(f['boilerplate'].values()):,} |")
    lines += ["", f"A document's split follows from its text's SHA-256 and the split spec `{options['split']}`, so "
              "a document is in the same split in every release of this project, and a new one falls in by the "
              "same rule. Near-duplicates (the same story reworded: Jaccard similarity of word "
              f"{groups_report['shingle_words']}-shingles ≥ {groups_report['threshold']}, estimated by MinHash) are "
              "grouped and take the split of the group's first imported document, so that no story is in two "
              f"splits: {groups_report['groups']:,} groups holding {groups_report['documents_in_groups']:,} of the "
              "project's documents were found.", "", "## Labels per split", "", *_labels_table(splits), "",
              "## Quality", "",
              f"- Source: {'accepted gold sets' if options['source'] == 'gold' else 'accepted gold sets, and the majority vote of the submitted sets where a document has none'}.",
              f"- Gold coverage: {figures['documents_with_gold']:,} of the project's {figures['documents_in_project']:,} "
              "documents have an accepted gold set.",
              f"- Annotators who submitted sets in the project: {len(figures['annotators'])} "
              f"({', '.join(figures['annotators']) or 'none'}); curators of the gold sets: "
              f"{', '.join(figures.get('curators', [])) or 'none'}.",
              f"- Agreement between annotators, before curation (mean exact span F1 over annotator pairs, "
              f"{figures['agreement_documents']:,} documents with two or more submitted sets): " +
              ", ".join(f"{layer} {_number(value)}" for layer, value in figures["agreement"].items()) + ".",
              f"- Spans token alignment changed or left out (CoNLL and spaCy files only; JSONL keeps every span "
              f"as marked): {counts['left_out_by_tokens'].get('misaligned', 0):,} misaligned, "
              f"{counts['left_out_by_tokens'].get('nested_left_out', 0):,} nested left out.", "",
              "## Files", "",
              "- `data/<split>.jsonl`: one document per line, offsets in Unicode code points, end-exclusive, over "
              "`text` (the schema: Haber's docs/export.schema.json). "
              "`datasets.load_dataset(\"json\", data_files={\"train\": \"data/train.jsonl\"})` reads it.",
              "- `conll/<split>.conll`: entities as IOB2 tags, CoNLL-2003 columns, `-DOCSTART-` between documents.",
              "- `spacy/<split>/*.spacy`: spaCy DocBin shards (entities in `doc.ents`, triggers in "
              "`doc.spans[\"events\"]`, boilerplate in `doc.spans[\"boilerplate\"]`); `spacy train` takes the folder.",
              "- `schema.json`: the label schema; `guidelines.md`: the annotation guidelines as they were; "
              "`release.json`: everything above as data.",
              "- `checksums.sha256`: `sha256sum -c checksums.sha256` checks every file.", "",
              "## Provenance", "",
              f"- Project `{release.project.slug}`, release `{release.name}`, cut {release.created_at:%Y-%m-%d %H:%M} UTC"
              f"{' by ' + release.created_by.get_username() if release.created_by else ''}.",
              f"- Label schema version {release.schema_version}; tokenizer `{release.tokenizer_version}`.",
              f"- Filters: {', '.join(f'{k}={v}' for k, v in filters.items()) or 'none'}.",
              f"- Licence: {options.get('license') or 'other (ask the project)'}.", "",
              "## Citation", "", "```bibtex",
              f"@misc{{{release.project.slug}_{release.name.replace('.', '_')},",
              f"  title = {{{{{release.project.name}}}, release {release.name}}},",
              f"  year = {{{release.created_at:%Y}}},",
              f"  note = {{Haber project {release.project.slug}, release {release.name}}}",
              "}", "```", ""]
    return "\n".join(lines)
