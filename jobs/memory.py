"""Memory a long-running process gives back once it has nothing to do: the garbage its last piece of work
left, collected, and the heap freed since, returned to the system (glibc's malloc_trim; elsewhere only the
collection). Without it a process keeps the high-water mark of its largest job or request while it waits.

The job worker does it after each job (jobs/worker.py); a gunicorn worker (config/gunicorn.py) one second
after its last request, from a thread of its own, so that no request waits for it."""

import ctypes
import ctypes.util
import gc
import threading


def _load_libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        return libc
    except (OSError, AttributeError):  # not glibc
        return None


_libc = _load_libc()


def memory_give_back() -> None:
    gc.collect()
    if _libc is not None:
        _libc.malloc_trim(0)


class IdleTrimmer(threading.Thread):
    """Gives memory back once `quiet` seconds have passed since the last busy() without another."""

    def __init__(self, quiet: float = 1.0):
        super().__init__(name="idle-trimmer", daemon=True)
        self.quiet = quiet
        self._busy = threading.Event()

    def busy(self) -> None:
        self._busy.set()

    def run(self) -> None:
        while True:
            self._busy.wait()
            self._busy.clear()
            while self._busy.wait(self.quiet):  # another request came: wait for quiet again
                self._busy.clear()
            memory_give_back()
