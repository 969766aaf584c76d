"""A second demo project, ready to train (issue #34): short wire-style articles we write from templates, each
with an accepted gold set (entities, event triggers with their arguments, boilerplate lines and inline
boilerplate), enough for a first training run in under a minute. The texts are our own, in the shapes of
the seeds: a dateline, sentences about meetings, visits, agreements and statements, share bars, "REKLAM",
related headlines. The tests train on the same generator."""

import io
import json
import random

from django.db import transaction

from annotate.models import Event as EventRow
from annotate.models import EventArgument, EventRole, Label, Span, Task, TaskKind, TaskStatus
from corpus.formats.sources import InputFile
from corpus.models import Document
from corpus.services import documents_import

PEOPLE = ["Hakan Fidan", "Sergey Lavrov", "Wang Yi", "Elisa Spiropali", "Ahmet Yılmaz", "Ayşe Demir", "Edi Rama",
          "Olta Xhaçka", "Mehmet Şimşek", "İlham Aliyev", "Ömer Çelik", "Gülşen Işık"]
PLACES = ["Ankara", "Tiran", "Pekin", "Moskova", "Bakü", "İstanbul", "Brüksel", "Priştine", "Cenevre", "Astana"]
ORGS = ["NATO", "BM", "ŞİÖ", "Avrupa Birliği", "Dışişleri Bakanlığı", "İslam İşbirliği Teşkilatı"]
DATES = ["salı günü", "dün", "2 Eylül'de", "bu hafta", "geçen ay", "perşembe günü", "15 Mart'ta"]
TITLES = ["Dışişleri Bakanı", "Başbakan", "Cumhurbaşkanı", "Büyükelçi"]
LAWS = ["Ticaret Anlaşması", "Enerji Mutabakatı", "Dostluk Antlaşması", "Vize Protokolü"]
FILLER = ["Görüşmede bölgesel konular ele alındı.", "Taraflar işbirliğinin süreceğini belirtti.",
          "Toplantı yaklaşık iki saat sürdü.", "Ayrıntılar daha sonra paylaşılacak.",
          "Heyetler akşam yemeğinde bir araya gelmedi.", "Konu kamuoyunda geniş yankı uyandırdı."]
BOILER_LINES = ["Paylaş: Facebook Twitter WhatsApp", "REKLAM", "İlgili Haberler",
                "Yorumlar okuyucularımıza aittir; yayın kurallarına uymayan yorumlar silinir."]


class _Writer:
    """Builds one text and its marks: (layer, label, start, end) and events (type, start, end, [(role, i)])."""

    def __init__(self):
        self.text, self.spans, self.events = "", [], []

    def put(self, part: str, label: str | None = None, layer: str = "entity") -> int | None:
        start = len(self.text)
        self.text += part
        if label is None:
            return None
        self.spans.append((layer, label, start, len(self.text)))
        return len(self.spans) - 1

    def trigger(self, part: str, event_type: str, arguments: list) -> None:
        start = len(self.text)
        self.text += part
        self.events.append((event_type, start, len(self.text), arguments))


def _sentence(w: _Writer, rng: random.Random) -> None:
    kind = rng.randrange(4)
    if kind == 0:
        a = w.put(rng.choice(PEOPLE), "PER")
        w.put(" ile ")
        b = w.put(rng.choice([p for p in PEOPLE if p != w.text[w.spans[a][2]:w.spans[a][3]]]), "PER")
        w.put(" ")
        d = w.put(rng.choice(DATES), "DATE")
        w.put(" ")
        g = w.put(rng.choice(PLACES), "GPE")
        w.put("'da ")
        w.trigger("bir araya geldi", "MEETING", [("participant", a), ("participant", b), ("place", g), ("time", d)])
        w.put(".")
    elif kind == 1:
        w.put(rng.choice(TITLES), "TITLE")
        w.put(" ")
        a = w.put(rng.choice(PEOPLE), "PER")
        w.put(" ")
        d = w.put(rng.choice(DATES), "DATE")
        w.put(" ")
        g = w.put(rng.choice(PLACES), "GPE")
        w.put("'yı ")
        w.trigger("ziyaret etti", "VISIT", [("visitor", a), ("destination", g), ("time", d)])
        w.put(".")
    elif kind == 2:
        a = w.put(rng.choice(PLACES), "GPE")
        w.put(" ile ")
        b = w.put(rng.choice(PLACES), "GPE")
        w.put(" arasında ")
        t = w.put(rng.choice(LAWS), "LAW")
        w.put(" ")
        w.trigger("imzalandı", "AGREEMENT", [("party", a), ("party", b), ("topic", t)])
        w.put(".")
    else:
        a = w.put(rng.choice(PEOPLE), "PER")
        w.put(", ")
        w.put(rng.choice(ORGS), "ORG")
        w.put(" toplantısında yaptığı ")
        w.trigger("açıklamada", "STATEMENT", [("speaker", a)])
        w.put(" barışa vurgu yaptı.")


def article(rng: random.Random) -> _Writer:
    """One article: a dateline, sentences and filler, boilerplate lines and sometimes an inline share bar."""
    w = _Writer()
    w.put(rng.choice(PLACES).upper(), "METADATA", "boilerplate")
    w.put(" (Haber) - ")
    for _ in range(rng.randint(3, 6)):
        (_sentence if rng.random() < 0.7 else lambda w, r: w.put(r.choice(FILLER)))(w, rng)
        if rng.random() < 0.1:
            w.put(" ")
            w.put("Paylaş", "SHARE", "boilerplate")
        w.put(" " if rng.random() < 0.6 else "\n")
    for line in rng.sample(BOILER_LINES, rng.randint(1, 2)):
        w.put("\n")
        w.put(line, "SHARE" if line.startswith("Paylaş") else "AD" if line == "REKLAM"
              else "RELATED" if line.startswith("İlgili") else "DISCLAIMER", "boilerplate")
    return w


def articles(count: int, *, seed: int = 7) -> list[_Writer]:
    rng = random.Random(seed)
    return [article(rng) for _ in range(count)]


@transaction.atomic
def gold_sets_write(*, project, curator, written: dict[int, _Writer]) -> int:
    """An accepted gold set (curator's) for each document id → its article's marks. Returns how many."""
    labels = {(lab.layer, lab.name): lab for lab in Label.objects.filter(project=project)}
    roles = {(r.event_type_id, r.name): r for r in EventRole.objects.filter(event_type__project=project)}
    documents = Document.objects.in_bulk(list(written))
    made = 0
    for document_id, w in written.items():
        document = documents[document_id]
        if document.text != w.text:
            continue  # normalised differently on import: its offsets would not hold
        task = Task.all_kinds.create(project=project, document=document, collection_id=document.collection_id,
                                     annotator=curator, kind=TaskKind.GOLD, status=TaskStatus.SUBMITTED,
                                     assigned_at=document.imported_at)
        spans = Span.objects.bulk_create([Span(task=task, label=labels[(layer, name)], start=a, end=b)
                                          for layer, name, a, b in w.spans if (layer, name) in labels])
        for event_type, a, b, arguments in w.events:
            label = labels.get(("event", event_type))
            if label is None:
                continue
            event = EventRow.objects.create(task=task, event_type=label, start=a, end=b)
            EventArgument.objects.bulk_create([EventArgument(event=event, role=roles[(label.pk, role)],
                                                             span=spans[i]) for role, i in arguments
                                               if (label.pk, role) in roles])
        made += 1
    return made


def training_documents_import(*, collection, count: int, seed: int = 7) -> dict[int, _Writer]:
    """`count` generated articles imported into `collection` (JSON Lines, through the real import);
    document id → its article."""
    written = articles(count, seed=seed)
    lines = "\n".join(json.dumps({"id": f"train_{seed}_{i:04d}", "text": w.text, "language": "tr"},
                                 ensure_ascii=False) for i, w in enumerate(written)).encode()
    documents_import(collection=collection, inputs=[InputFile(name="training.jsonl", size=len(lines),
                                                               stream=io.BytesIO(lines))])
    ids = dict(Document.objects.filter(collection=collection, external_id__startswith=f"train_{seed}_")
               .values_list("external_id", "id"))
    return {ids[f"train_{seed}_{i:04d}"]: w for i, w in enumerate(written) if f"train_{seed}_{i:04d}" in ids}
