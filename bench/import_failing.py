"""A large all-or-nothing import with one bad line, through the command, as an operator runs it:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/haber_bench .venv/bin/python bench/import_failing.py \
        --articles 100000 --bad-line 73421

Writes a JSON Lines file of generated articles (~1,700 characters, the size of the wire articles) with an
impossible date on line --bad-line, runs `manage.py import_articles` on it into a new collection and
prints the wall time, the rate over the whole file, the problem reported and the command's peak memory.
Nothing is written (the import fails); the collection is deleted afterwards.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, article, machine_reference_ms


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--bad-line", type=int, default=73_421)
    parser.add_argument("--chars", type=int, default=1700)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "articles.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(args.articles):
                if i + 1 == args.bad_line:
                    f.write('{"text": "Bozuk satır", "date": "2026-13-45"}\n')
                else:
                    f.write(json.dumps(article(i, chars=args.chars), ensure_ascii=False) + "\n")
        size_mb = path.stat().st_size / 1e6
        slug = f"bench-failing-{int(time.time())}"
        started = time.perf_counter()
        result = subprocess.run(
            ["/usr/bin/time", "-f", "%M", sys.executable, "manage.py", "import_articles", str(path),
             "--collection", slug, "--create", "--workers", str(args.workers), "--verbosity", "0"],
            cwd=ROOT, capture_output=True, text=True, env=os.environ,
        )
        elapsed = time.perf_counter() - started
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected:")]
    peak_kb = int(result.stderr.strip().splitlines()[-1]) if re.fullmatch(r"\d+", result.stderr.strip().splitlines()[-1]) else 0
    print(json.dumps({
        "articles": args.articles, "file_mb": round(size_mb), "seconds": round(elapsed, 1),
        "docs_per_s": round(args.articles / elapsed), "exit": result.returncode, "reported": rejected,
        "command_peak_rss_mb": round(peak_kb / 1024), "machine_reference_ms": machine_reference_ms(),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
