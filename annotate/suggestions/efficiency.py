"""How suggestions serve the annotators (issue #18, the manager's dashboard): per annotator and label, how
many suggestions they accepted and rejected (a suggestion left alone counts for neither), and per annotator
the mean minutes per submitted document with and without suggestions (a task "with" is one where the
annotator accepted or rejected at least one). Aggregate queries over the partial indexes of suggested
spans and events, and over the rejections: a constant number whatever the project's size."""

from collections import defaultdict

from django.db.models import Avg, Count, Exists, OuterRef, Q

from annotate.models import Event, Span, SuggestionRejection, Task, TaskStatus


def suggestion_efficiency(project) -> dict:
    per = defaultdict(lambda: {"accepted": 0, "rejected": 0})
    own = Q(task__project=project, task__kind="annotation")
    for model, label in ((Span, "label__name"), (Event, "event_type__name")):
        for who, name, n in (model.objects.filter(own).exclude(origin="").values_list("task__annotator__username", label)
                             .order_by().annotate(n=Count("id"))):
            per[(who, name)]["accepted"] += n
    for who, name, n in (SuggestionRejection.objects.filter(task__project=project)
                         .values_list("task__annotator__username", "label__name").order_by().annotate(n=Count("id"))):
        per[(who, name)]["rejected"] += n
    rates = []
    for (who, name), counts in sorted(per.items()):
        decided = counts["accepted"] + counts["rejected"]
        rates.append({"annotator": who, "label": name, **counts,
                      "acceptance": round(counts["accepted"] / decided, 3) if decided else None})
    used = (Exists(Span.objects.filter(task=OuterRef("pk")).exclude(origin=""))
            | Exists(Event.objects.filter(task=OuterRef("pk")).exclude(origin=""))
            | Exists(SuggestionRejection.objects.filter(task=OuterRef("pk"))))
    times = defaultdict(dict)
    for who, with_suggestions, mean, n in (
            Task.objects.filter(project=project, status=TaskStatus.SUBMITTED, seconds_spent__gt=0)
            .exclude(annotator__username__startswith="model:")
            .annotate(used=used).values_list("annotator__username", "used")
            .order_by().annotate(mean=Avg("seconds_spent"), n=Count("id"))):
        times[who]["with" if with_suggestions else "without"] = {"minutes": round(mean / 60, 1), "documents": n}
    return {"acceptance": rates,
            "minutes": [{"annotator": who, "with": t.get("with"), "without": t.get("without")}
                        for who, t in sorted(times.items())]}
