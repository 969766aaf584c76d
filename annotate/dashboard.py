"""Progress of a project, read from the progress counters (a few hundred rows whatever the corpus size):
per annotator (assigned, in progress, submitted, skipped, median minutes per document) and per collection."""

from collections import defaultdict
from dataclasses import dataclass, field

from annotate.models import DurationBucket, ProgressCounter, TaskStatus
from annotate.models.progress import BUCKET_SECONDS

STATUSES = [s.value for s in TaskStatus]


@dataclass
class ProgressRow:
    key: str
    counts: dict = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    seconds: int = 0
    median_minutes: float | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[TaskStatus.SUBMITTED] + self.counts[TaskStatus.SKIPPED]

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    def bar(self, scale: int) -> list[tuple[str, float, float, int]]:
        """(status, x, width, count) segments of a stacked bar, in percent of `scale` tasks."""
        segments, x = [], 0.0
        for status in (TaskStatus.SUBMITTED, TaskStatus.SKIPPED, TaskStatus.IN_PROGRESS, TaskStatus.ASSIGNED):
            width = 100 * self.counts[status] / scale if scale else 0
            segments.append((status.value, round(x, 2), round(width, 2), self.counts[status]))
            x += width
        return segments

    def as_dict(self) -> dict:
        return {"key": self.key, **self.counts, "total": self.total, "median_minutes": self.median_minutes}


@dataclass
class ProjectProgress:
    total: ProgressRow
    annotators: list[ProgressRow]
    collections: list[ProgressRow]

    @property
    def chart(self):
        scale = max((row.total for row in self.annotators), default=0)
        return [(row, row.bar(scale), index * 28) for index, row in enumerate(self.annotators)]

    @property
    def chart_height(self) -> int:
        return max(28, 28 * len(self.annotators))

    def as_dict(self) -> dict:
        return {
            "total": self.total.as_dict(),
            "annotators": [r.as_dict() for r in self.annotators],
            "collections": [r.as_dict() for r in self.collections],
        }


def _median_minutes(buckets: list[tuple[int, int]]) -> float | None:
    """Median of a histogram of (bucket, count): the middle bucket's centre, in minutes."""
    total = sum(count for _, count in buckets)
    if total <= 0:
        return None
    seen = 0
    for bucket, count in sorted(buckets):
        seen += count
        if seen * 2 >= total:
            return round((bucket + 0.5) * BUCKET_SECONDS / 60, 1)
    return None


def project_progress(project) -> ProjectProgress:
    """Two queries, both over the project's counter rows."""
    rows = ProgressCounter.objects.filter(project=project).values_list(
        "annotator__username", "collection__name", "status", "count", "seconds"
    )
    total = ProgressRow("all")
    annotators: dict[str, ProgressRow] = {}
    collections: dict[str, ProgressRow] = {}
    for username, collection, status, count, seconds in rows:
        for row in (
            total,
            annotators.setdefault(username, ProgressRow(username)),
            collections.setdefault(collection, ProgressRow(collection)),
        ):
            row.counts[status] = row.counts.get(status, 0) + count
            row.seconds += seconds
    histograms = defaultdict(list)
    everyone = defaultdict(int)
    for username, bucket, count in DurationBucket.objects.filter(project=project).values_list(
        "annotator__username", "bucket", "count"
    ):
        histograms[username].append((bucket, count))
        everyone[bucket] += count
    for username, row in annotators.items():
        row.median_minutes = _median_minutes(histograms.get(username, []))
    total.median_minutes = _median_minutes(list(everyone.items()))
    return ProjectProgress(
        total=total,
        annotators=[annotators[k] for k in sorted(annotators) if annotators[k].total],
        collections=[collections[k] for k in sorted(collections) if collections[k].total],
    )
