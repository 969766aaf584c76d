"""The import's worker processes: forked from a server that loaded the models once."""

import subprocess
import sys
from pathlib import Path

from corpus.pipeline import worker_context

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import sys
import corpus.worker_preload
from corpus.tokens import _pipeline
from corpus.language import _predict
from corpus.graphemes import _joining_table
print(_pipeline.cache_info().currsize, _predict.cache_info().currsize, "spacy" in sys.modules,
      _joining_table.cache_info().currsize)
"""


def test_the_fork_servers_preload_loads_both_tokenizers_the_language_model_and_the_grapheme_table():
    # The fork server ignores a preload module that fails to import; the workers would then load everything
    # themselves, slower but silently. So the module is checked on its own.
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["2", "1", "True", "1"], result.stderr


def test_workers_are_forked_from_a_fork_server():
    assert worker_context().get_start_method() == "forkserver"


def test_the_fork_server_is_started_ahead_only_when_imports_use_workers(settings, monkeypatch):
    from multiprocessing import forkserver

    from corpus.pipeline import fork_server_start

    started = []
    monkeypatch.setattr(forkserver, "ensure_running", lambda: started.append(True))
    settings.CORPUS_IMPORT_WORKERS = 1
    fork_server_start()
    assert started == []
    settings.CORPUS_IMPORT_WORKERS = 2
    fork_server_start()
    assert started == [True]


def test_a_job_worker_boots_by_starting_the_import_workers_fork_server(settings, monkeypatch):
    from jobs import worker

    assert "corpus.pipeline.fork_server_start" in settings.JOBS_WORKER_WARMUP
    calls = []
    monkeypatch.setattr("corpus.pipeline.fork_server_start", lambda: calls.append("fork server"))
    worker.warm_up()
    assert calls == ["fork server"]


def test_only_a_long_running_worker_warms_up(monkeypatch):
    from jobs import worker

    calls = []
    monkeypatch.setattr(worker, "warm_up", lambda: calls.append("warm"))
    monkeypatch.setattr(worker, "look_around", lambda worker_id: None)
    monkeypatch.setattr(worker.JobWorker, "run_loop", lambda self: None)
    monkeypatch.setattr(worker.Lookout, "start", lambda self: None)
    worker.worker_make(batch=True).run()
    assert calls == []
    worker.worker_make(batch=False).run()
    assert calls == ["warm"]


def test_an_article_whose_text_holds_a_nul_is_a_problem_not_a_database_error():
    from corpus.formats.base import ImportProblem, RawArticle
    from corpus.pipeline import prepare_article

    problem = prepare_article(RawArticle(text="Tiran\x00 görüşmesi", source="a.spacy", line=2), language="tr")
    assert isinstance(problem, ImportProblem) and problem.line == 2 and "NUL" in problem.message


def test_the_fork_server_stops_when_told_and_the_next_pool_starts_it_again(settings):
    import os
    from multiprocessing import forkserver

    from corpus.pipeline import fork_server_start, fork_server_stop, worker_context

    settings.CORPUS_IMPORT_WORKERS = 2
    fork_server_start()
    first = forkserver._forkserver._forkserver_pid
    assert first is not None and os.path.exists(f"/proc/{first}")
    assert fork_server_stop() is True
    assert forkserver._forkserver._forkserver_pid is None and not os.path.exists(f"/proc/{first}")
    assert fork_server_stop() is False  # nothing left to stop
    with worker_context().Pool(2) as pool:
        assert pool.map(abs, [-1, -2]) == [1, 2]
    del pool  # as a finished import's pool is gone by the time its worker rests
    second = forkserver._forkserver._forkserver_pid
    assert second not in (None, first)
    fork_server_stop()
