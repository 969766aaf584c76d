"""Shared helpers for the benchmark scripts: Django setup and generated articles (our own words)."""

import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TR_WORDS = (
    "Dışişleri Bakanı Cumhurbaşkanı Başbakan görüştü bir araya geldi ikili ilişkiler işbirliği anlaşma "
    "imzaladı zirve toplantı Ankara'da İstanbul'da Tiran'da Pekin'de Moskova'da bölgesel barış istikrar "
    "ekonomi ticaret enerji ulaştırma Rusya'nın Çin'in Türkiye'nin heyet ziyaret açıklama yaptı belirtti "
    "vurguladı ülke lider yıl salı günü gelecek hafta ortak bildiri stratejik koordinasyon güvenlik"
).split()
SQ_WORDS = (
    "Ministri i Jashtëm Kryeministri Presidenti takim bisedë telefonike marrëveshje bashkëpunim ekonomik "
    "Tiranë Ankara Pekin rajonal paqe stabilitet tregti energji delegacion vizitë zyrtare deklaroi theksoi "
    "marrëdhëniet dypalëshe palët vendeve integrimin evropian të martën të hënën në për me dhe e"
).split()


def django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def postgres_bench() -> None:
    """Django set up, on PostgreSQL or not at all (the figures are PostgreSQL's), and the machine's speed now."""
    django_setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL (DATABASE_URL=postgres://...).")
    print(f"machine reference: {machine_reference_ms()} ms")


def article(i: int, chars: int = 3000, new_words: int = 0) -> dict:
    """A generated article. With new_words, that many invented words (names, places, inflections) are mixed
    in, none seen in another article: a vocabulary that grows with the corpus, as a real one does."""
    rng = random.Random(i)
    albanian = i % 5 == 4
    words = SQ_WORDS if albanian else TR_WORDS
    if new_words:
        words = words + ["".join(rng.choice("abcçdefgğhıijklmnoöprsştuüvyz") for _ in range(9)) for _ in range(new_words)]
    parts, size = [], 0
    while size < chars:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20)))
        sentence = sentence[0].upper() + sentence[1:] + (".\n\n" if rng.random() < 0.25 else ". ")
        parts.append(sentence)
        size += len(sentence)
    text = f"Haber {i}. " + "".join(parts)
    return {"id": f"bench-{i}", "date": "2026-01-01", "text": text[:chars]}


def peak_rss_mb() -> float:
    """Peak resident memory of this process."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class DescendantsPeakRss:
    """The largest peak resident memory (VmHWM) among this process's descendants, polled from /proc while
    it runs: the import's workers are children of a fork server, not of this process, so getrusage's
    RUSAGE_CHILDREN does not see them. Linux only; 0 elsewhere."""

    def __init__(self, interval: float = 0.05):
        import threading

        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(interval,), daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    @property
    def mb(self) -> float:
        return self.peak_kb / 1024

    def _poll(self, interval: float) -> None:
        import os

        while not self._stop.wait(interval):
            for pid in _descendants(os.getpid()):
                try:
                    with open(f"/proc/{pid}/status") as status:
                        for line in status:
                            if line.startswith("VmHWM:"):
                                self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    continue  # gone meanwhile


def _descendants(pid: int) -> list[int]:
    import glob

    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for path in glob.glob(f"/proc/{parent}/task/*/children"):
            try:
                with open(path) as children:
                    kids = [int(p) for p in children.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def machine_reference_ms() -> float:
    """A fixed pure-Python workload, best of five: this VM's speed drifts by half from hour to hour, so each
    figure is printed with this one (lower is faster)."""
    import time

    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def collection_delete(collection) -> None:
    """A bench's collection and its documents, deleted in three statements (the ORM's cascade would load
    every row first)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM corpus_documenttokens WHERE document_id IN (SELECT id FROM corpus_document "
                       "WHERE collection_id = %s)", [collection.pk])
        cursor.execute("DELETE FROM corpus_document WHERE collection_id = %s", [collection.pk])
        cursor.execute("DELETE FROM corpus_collection WHERE id = %s", [collection.pk])


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dev_server():
    """The page's static files gathered (the server serves what collectstatic put together), then the
    development server on a free port, on this process's database: (the process, its base URL), once it
    answers."""
    import subprocess
    import time
    import urllib.request

    port = free_port()
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True)
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
                              cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    return server, base


def chromium_logged_in(playwright, base: str, username: str, password: str):
    """Debian's Chromium, a page logged in as `username`: (the browser, the page)."""
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
    page = browser.new_page(base_url=base)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    return browser, page
