"""Renders in a box: the PDF and Word renderers run in a child process with a CPU-time, memory
and wall-clock limit, and at most SLOTS of them at once on a host.

The simpler standard way, rendering in the request's own thread, was not enough: one table of
45 KB (`<td colspan="1000" rowspan="65534">` × 1100) kept WeasyPrint busy for more than 10 minutes
at 768 MB, and nothing in the process can stop it — gunicorn's gthread workers do not enforce
`timeout` (a 631 s render ran to its end), Python cannot interrupt a thread that is inside C
code, and a memory limit set in the worker would hold for the whole worker. A plain
`subprocess` per render would pay Python's start and the renderers' import every time (1.7 s
CPU, four times the sample's whole render of 0.45 s), and forking the threaded worker itself is
unsafe (a lock held by another thread stays locked in the child), so renders are forked from a
`multiprocessing` forkserver that has WeasyPrint and python-docx imported and warmed up already
(`set_forkserver_preload`): the sample costs 0.45 s CPU in the box as in the worker, and the
worker no longer grows by the fonts of each render (docs/benchmarks-pdf.md). The child sets RLIMIT_CPU and RLIMIT_AS before anything else; the
parent waits for the answer at most WALL_SECONDS and kills the child after that. The kernel
stops a child over its CPU time (SIGXCPU, then SIGKILL) or fails its allocations over its
memory, whatever the renderer is doing; the worker thread waits on a pipe, never polls.

The slots are lock files held with `flock(LOCK_NB)`: one per render, shared by every gunicorn
worker on the host (they guard the host's cores), released by the kernel when a worker dies;
a render that finds them all taken is refused at once, never queued.

This module imports nothing of Django: the forkserver and its children run without settings.
"""

import fcntl
import gc
import importlib
import logging
import multiprocessing
import os
import resource
import signal
import sys
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path

CPU_SECONDS = 20  # the 60-entry issue with 10 photographs takes 1.7 s, the sample 0.45 s
MEMORY_BYTES = 1536 * 1024 * 1024  # address space; a 20-page render peaks at 370 MB of it
WALL_SECONDS = 45  # CPU time plus waiting for a core on a loaded host
SLOTS = 2  # renders at once per host: one per core of the 2-core server
SLOT_DIR = Path(tempfile.gettempdir()) / f"wenming-render-slots-{os.getuid()}"
RETRY_AFTER_SECONDS = 30  # what a refused reader is told to wait
# Imported once by the forkserver, from the working directory (gunicorn's, the project's). Every
# child runs the program's script again as its main module (multiprocessing's spawn preparation):
# with what gunicorn's script imports preloaded, that costs nothing; elsewhere it is skipped.
PRELOAD = ["bulletins.render_box", "bulletins.pdf_writer", "bulletins.docx_writer", "gunicorn.app.wsgiapp"]

logger = logging.getLogger(__name__)


class Refused(Exception):
    """A render the box did not run or stopped; `message` is for the reader or the editor."""

    message = "文件暂时无法生成，请稍后再试。"


class Busy(Refused):
    message = "服务器正在生成其他文件，请稍后再试。"


class TooCostly(Refused):
    """The render went over a limit: its CPU time, memory, wall-clock time or pages."""

    def __init__(self, limit):
        super().__init__(limit)
        self.message = (
            f"这一期的排版超出了服务器的限制（{limit}），无法生成。"
            "请精简内容（例如过长的条目、过大或过复杂的表格）后再试。"
        )


class Failed(Exception):
    """The renderer raised an error of its own (a bug, not a limit); its traceback as text."""


def _lock(name):
    """The descriptor of the lock file `name`, locked, or None when another holds it."""
    SLOT_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(SLOT_DIR / name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd  # closing it releases the lock


@contextmanager
def slot():
    """Hold one of the host's SLOTS render slots, or raise Busy at once."""
    for number in range(SLOTS):
        fd = _lock(f"slot-{number}")
        if fd is not None:
            try:
                yield
            finally:
                os.close(fd)
            return
    raise Busy()


KEY_LOCKS = 64  # lock files shared by all keys: two keys rarely meet in one, and the folder stays small


@contextmanager
def only_one(key):
    """Hold the host's lock of `key` (e.g. one snapshot's PDF), or raise Busy at once: a second
    request for the same render waits for the first one's result instead of rendering it again."""
    fd = _lock(f"key-{zlib.crc32(key.encode()) % KEY_LOCKS}")
    if fd is None:
        raise Busy()
    try:
        yield
    finally:
        os.close(fd)


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # read once, when the forkserver starts
    return context


def preloaded():
    """Whether this process has the renderers loaded before its job (a test of the forkserver)."""
    return {"weasyprint", "docx"} <= sys.modules.keys()


def _over_cpu_time(signum, frame):
    raise TooCostly("CPU时间")


def _child(connection, function, args, cpu_seconds, memory_bytes):
    # The soft limit's SIGXCPU ends the render with an answer (and its usage) between two Python
    # steps; a render stuck in C code meets the hard limit a second later, SIGKILL.
    signal.signal(signal.SIGXCPU, _over_cpu_time)
    gc.freeze()  # the collector leaves the forkserver's objects alone: their pages stay shared
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        module, name = function.rsplit(".", 1)
        answer = ("done", getattr(importlib.import_module(module), name)(*args))
    except MemoryError:
        answer = ("refused", TooCostly("内存"))
    except Refused as refusal:
        answer = ("refused", refusal)
    except Exception:  # noqa: BLE001 - handed to the parent, which raises it as Failed
        import traceback

        answer = ("failed", traceback.format_exc())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    connection.send((*answer, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024))
    connection.close()


def run(function, *args):
    """`function(*args)` in a boxed child process: its return value, or Refused / Failed.

    `function` is a dotted path, so the worker itself never imports the renderer (WeasyPrint's
    fonts stay out of its memory). The arguments cross a pipe, so they must be picklable, and
    the function must not need Django's settings, database or storage: read everything first."""
    with slot():
        context = _context()
        receiving, sending = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(sending, function, args, CPU_SECONDS, MEMORY_BYTES), daemon=True)
        child.start()
        sending.close()
        try:
            if not receiving.poll(WALL_SECONDS):
                raise TooCostly("时间")
            try:
                outcome, value, cpu_seconds, peak_bytes = receiving.recv()
            except EOFError:  # killed by the kernel: over its CPU time, or out of memory in C code
                raise TooCostly("CPU时间或内存") from None
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receiving.close()
    logger.info("%s in the render box: %s, %.2f s CPU, peak %d MB", function, outcome, cpu_seconds, peak_bytes >> 20)
    if outcome == "refused":
        raise value
    if outcome == "failed":
        raise Failed(value)
    return value
