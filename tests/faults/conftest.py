"""A PostgreSQL server of the fault tests' own (initdb in a temporary folder, on a free port), which a test may
stop and start: the database every process of the test uses goes away as it does in an outage, without
touching the server the rest of the suite runs on."""

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, bindir: Path, folder: Path, as_postgres: list[str]):
        self.bindir, self.folder, self.prefix = bindir, folder, as_postgres
        self.data, self.port = folder / "data", _free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args):
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr

    def create(self):
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                  "-w", "start")

    def stop(self, mode="fast"):
        """fast: the server ends every connection at once, as a crash or a restart does to the clients."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster():
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        pytest.skip("no PostgreSQL server programs (initdb) on this machine: the fault tests need one of their own")
    prefix = []
    folder = Path(tempfile.mkdtemp(prefix="haber-faults-", dir="/tmp"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root: its own user runs it
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start a PostgreSQL server of the test's own")
        shutil.chown(folder, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    server = Cluster(bins[-1].parent, folder, prefix)
    try:
        server.create()
        server.start()
        yield server
    finally:
        subprocess.run([*prefix, str(server.bindir / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
