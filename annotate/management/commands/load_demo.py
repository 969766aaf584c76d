"""The demo that `make run` loads: users with printed passwords, a small corpus we wrote, a project.

The passwords are generated on the first run, kept in var/demo_passwords.json (readable by the owner only)
and printed; running it again changes nothing (no task is created or moved, a manager's choices stay) and
prints the same passwords."""

import json
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

import corpus
from annotate.models import Project, Role
from annotate.releases.services import release_cut
from annotate.selection import DocumentFilter
from annotate.services import (
    membership_add,
    project_create,
    project_update,
    schema_load,
    schema_read,
    tasks_assign,
)
from annotate.services.demo import demo_sets_submit
from annotate.training.demo_corpus import gold_sets_write, training_documents_import
from corpus.formats.sources import inputs_from_paths
from corpus.models import Collection
from corpus.services import collection_create, documents_import

DEMO_DIR = Path(corpus.__file__).resolve().parent / "demo"
CORPUS_MANAGERS = "Corpus managers"
# Local demo accounts only; the server listens on 127.0.0.1.
DEMO_USERS = [
    # username, is_superuser, in the corpus managers group
    ("admin", True, False),
    ("manager", False, True),
    ("curator", False, False),
    ("annotator1", False, False),
    ("annotator2", False, False),
]


TRAINING_DOCUMENTS, TRAINING_GOLD = 240, 200  # a first run of the demo's training project: well under a minute

DEMO_ROLES = [
    ("manager", Role.MANAGER),
    ("curator", Role.CURATOR),
    ("annotator1", Role.ANNOTATOR),
    ("annotator2", Role.ANNOTATOR),
]
GUIDELINES = """\
## What to mark

* **Entities**: the shortest span that names the thing. Leave Turkish suffixes out: mark *Rusya* in
  *Rusya'nın* (the tokenizer splits at the apostrophe for you).
* **Events**: select the trigger (*bir araya geldi*, *görüştü*, *video-telefonatë*), choose the type, then
  fill its roles with entity spans.
* **Boilerplate**: share bars, *REKLAM*, related headlines, comment disclaimers; whole paragraphs or inline.

When in doubt, skip the task and say why.
"""


def passwords_path() -> Path:
    return Path(settings.VAR_DIR) / "demo_passwords.json"


def _known_passwords() -> dict[str, str]:
    path = passwords_path()
    try:
        known = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _keep_passwords(passwords: dict[str, str]) -> None:
    path = passwords_path()
    path.write_text(json.dumps(passwords, indent=2) + "\n")
    path.chmod(0o600)


class Command(BaseCommand):
    help = "Load the demo: users, the demo corpus (Turkish and Albanian) and the demo project."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address to print for the server")

    def _training_project(self, User) -> None:
        """The project to train a first model in (Models page, "Train a model"): TRAINING_DOCUMENTS generated
        wire articles, TRAINING_GOLD of them with an accepted gold set, the rest waiting for suggestions."""
        if Project.objects.filter(slug="demo-training").exists():
            self.stdout.write("Training demo: already there.")
            return
        collections = []
        for slug, name in (("demo-training-gold", "Demo training: curated"), ("demo-training-new", "Demo training: new")):
            collections.append(Collection.objects.filter(slug=slug).first() or collection_create(
                slug=slug, name=name,
                source="Articles generated for the demo from templates we wrote (annotate/services/demo_training.py)"))
        gold = training_documents_import(collection=collections[0], count=TRAINING_GOLD, seed=7)
        training_documents_import(collection=collections[1], count=TRAINING_DOCUMENTS - TRAINING_GOLD, seed=8)
        project = project_create(slug="demo-training", name="Demo: train a model",
                                 description="Generated articles with gold sets: train a first model on the Models "
                                             "page, then see its suggestions in the annotators' tasks.",
                                 guidelines=GUIDELINES, collections=collections, overlap=1, schema="news-diplomacy")
        users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
        for username, role in DEMO_ROLES:
            membership_add(project=project, user=users[username], role=role)
        made = gold_sets_write(project=project, curator=users["curator"], written=gold)
        assigned = tasks_assign(project=project, annotators=[users["annotator1"], users["annotator2"]],
                                selection=DocumentFilter(collections=["demo-training-new"]))
        release, _job = release_cut(project=project, by=users["manager"], name="demo-1", license="cc-by-4.0",
                                    notes="The demo's curated articles: a first release, built by the job worker.")
        self.stdout.write(f"Training demo: {made} gold sets; {assigned.summary()} Train a model on its Models page; "
                          f"release {release.name} is queued (its Releases page).")

    @transaction.atomic
    def handle(self, **opts):
        managers, _ = Group.objects.get_or_create(name=CORPUS_MANAGERS)
        managers.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="corpus",
                codename__in=["view_document", "add_document", "view_collection"],
            ),
            *Permission.objects.filter(content_type__app_label="annotate", codename="add_project"),
        )
        User = get_user_model()
        passwords = _known_passwords()
        for username, superuser, manager in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                passwords[username] = secrets.token_urlsafe(12)
                user.set_password(passwords[username])
                user.is_superuser = user.is_staff = superuser
                user.save()
            if manager:
                user.groups.add(managers)
        _keep_passwords(passwords)
        collection = Collection.objects.filter(slug="demo-news").first() or collection_create(
            slug="demo-news",
            name="Demo news",
            source="Articles written for the demo, in the shapes of wire news",
        )
        report = documents_import(
            collection=collection,
            inputs=inputs_from_paths([DEMO_DIR / "articles", DEMO_DIR / "extra.jsonl"]),
        )
        project = Project.objects.filter(slug="demo").first()
        fresh = project is None
        project = project or project_create(
            slug="demo",
            name="Demo: diplomacy news",
            description="Entities, events and boilerplate in Turkish and Albanian diplomacy news.",
            guidelines=GUIDELINES,
            collections=[collection],
            overlap=2,
            schema="news-diplomacy",
        )
        if not project.labels.exists():  # a demo project from before schemas existed
            schema_load(project=project, data=schema_read("news-diplomacy"))
        if fresh:  # a manager's later choices (members, assignments) are never undone by a second run
            users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
            for username, role in DEMO_ROLES:
                membership_add(project=project, user=users[username], role=role)
            # The gazetteer and repeated lines learn from the demo's marks below, so that an annotator finds
            # suggestions in the next articles ("Ankara" marked once is suggested again).
            project_update(project=project, suggest_gazetteer=True, suggest_repetition=True)
            assigned = tasks_assign(project=project, annotators=[users["annotator1"], users["annotator2"]])
            self.stdout.write(f"Demo project: {assigned.summary()}")
            if demo_sets_submit(project=project, annotators=users):
                self.stdout.write("Demo curation: one article submitted by both annotators is ready for the curator.")
        else:
            self.stdout.write("Demo project: already there; its members and tasks are left as they are.")
        self._training_project(User)
        self.stdout.write(self.style.SUCCESS(f"Demo corpus: {report.summary()}"))
        self.stdout.write(f"Demo users (local use only; passwords kept in {passwords_path()}):")
        for username, superuser, manager in DEMO_USERS:
            role = "superuser" if superuser else ("corpus manager" if manager else "")
            password = passwords.get(username, "(set before; not known here)")
            self.stdout.write(f"  {username:<11} {password:<22} {role}")
        self.stdout.write(f"Open {opts['url']} and log in.")
