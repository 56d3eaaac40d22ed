"""Reading an upload in a worker process of its own, within a memory and a time limit.

:func:`ingest_bounded` runs :func:`analysis.ingest.ingest` in a child process and returns its result;
whatever the file does there (asks for 549 GB, spins for minutes, crashes the reader), the caller gets
either the checked rows or a :class:`RefusedFile` with a Chinese message, and the server goes on serving.

- **Memory**: the child's address space may grow by ``HOUSING_INGEST_MEMORY_MB`` (1024) beyond what it
  starts with (``RLIMIT_AS``): an allocation past it fails at once (a Python ``MemoryError``, or the
  Rust reader aborting), never swapping the machine.
- **Time**: the parent waits ``HOUSING_INGEST_SECONDS`` (30) of wall time, then kills the child.
- **Start method**: ``forkserver``, safe under a threaded server (the Streamlit server, DuckDB's
  threads): a clean server process is started once, imports the reader and the region registry
  (:mod:`analysis.ingest.warm`), and forks one child per file, so a file costs a fork, not a Python start.

See :mod:`analysis.ingest.limits` for the settings.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
import traceback
from multiprocessing.connection import wait
from pathlib import Path

from analysis.ingest.limits import Limits
from analysis.ingest.problems import IngestResult, Problem, RefusedFile

PRELOAD = ["analysis.ingest.warm"]
ROOT = str(Path(__file__).resolve().parents[2])  # the directory that holds the analysis package
MAIN_ENV = "HOUSING_INGEST_PARENT_MAIN"
# allocators that reserve address space ahead would count against RLIMIT_AS as if it were used: Arrow's
# mimalloc reserves 1 GiB at once, and each thread's malloc arena 64 MB
SERVER_ENV = {"ARROW_DEFAULT_MEMORY_POOL": "system", "MALLOC_ARENA_MAX": "2"}
_context = None
_context_lock = threading.Lock()


class WorkerError(RuntimeError):
    """The reading failed for a reason that is ours, not the file's (an internal error)."""


def context():
    """The forkserver context (its server process starts on first use, preloaded)."""
    global _context
    with _context_lock:
        if _context is None:
            _context = multiprocessing.get_context("forkserver")
            _context.set_forkserver_preload(PRELOAD)
        _start_server()  # at once if it runs; again, as it should be, if it died
    return _context


def _start_server() -> None:
    """Start the forkserver so that it can import the package and preload the parent's main script.

    CPython 3.11's forkserver neither applies the parent's ``sys.path`` before preloading nor receives
    the parent's main script: so the package's directory goes on ``PYTHONPATH`` for the server, and the
    script's path to :mod:`analysis.ingest.warm`, which imports it there once (not in every child).
    """
    from multiprocessing import forkserver, spawn

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", MAIN_ENV, *SERVER_ENV)}
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, saved["PYTHONPATH"]) if p)
    os.environ.update(SERVER_ENV)
    main_path = spawn.get_preparation_data("ingest").get("init_main_from_path")
    if main_path:
        os.environ[MAIN_ENV] = main_path
    try:
        forkserver.ensure_running()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def ingest_bounded(
    data: bytes,
    file_name: str,
    *,
    kind: str | None = None,
    region: str | None = None,
    period: str | None = None,
    id_key: bytes | None = None,
    limits: Limits | None = None,
    mapping=None,
) -> IngestResult:
    """:func:`analysis.ingest.ingest` with the shipped region registry, in a bounded worker process."""
    limits = limits or Limits.from_env()
    request = (data, file_name, kind, region, period, id_key, limits, mapping)
    ctx = context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(sender, request), name="housing-ingest", daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + limits.seconds
    try:
        message = None
        while message is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RefusedFile(too_slow(limits))
            ready = wait([receiver, child.sentinel], timeout=remaining)
            if receiver in ready:
                try:
                    message = receiver.recv()
                except EOFError:  # the child died without a word (killed, or the reader aborted)
                    child.join(1)
                    raise RefusedFile(_died(child.exitcode, limits)) from None
            elif child.sentinel in ready and not receiver.poll():
                child.join(1)
                raise RefusedFile(_died(child.exitcode, limits))
    finally:
        if child.is_alive():
            child.kill()
        child.join(5)
        receiver.close()
    status, *rest = message
    if status == "ok":
        return rest[0]
    if status == "refused":
        raise RefusedFile(rest[0], rest[1])
    if status == "memory":
        raise RefusedFile(too_big(limits))
    raise WorkerError(rest[0])


def too_slow(limits: Limits) -> str:
    return (
        f"文件过于复杂，读取超出时间限制（{limits.seconds:g} 秒），已拒绝。"
        "请检查文件中是否有大量空行、空列或远处的零散内容，或按市、按月拆分后上传"
    )


def too_big(limits: Limits) -> str:
    return (
        f"文件过于复杂，读取超出内存限制（{limits.memory_mb:,} MB），已拒绝。"
        "请检查文件中是否有大量空行、空列或远处的零散内容，或按市、按月拆分后上传"
    )


def _died(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0 and -exitcode in (6, 9):  # SIGABRT: the reader's allocation failed
        return too_big(limits)
    return "读取该文件时读取程序意外退出，文件已拒绝（可能已损坏或结构异常）；请在 Excel 中打开后另存，再上传"


# -- in the child ---------------------------------------------------------------------------------
def _child(sender, request) -> None:
    data, file_name, kind, region, period, id_key, limits, mapping = request
    _limit_memory(limits.memory_bytes)
    if not os.environ.get("HOUSING_DEBUG"):  # the Rust reader's own (English) abort message reaches no one
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    try:
        from analysis.ingest import ingest
        from analysis.regions import load_registry

        registry = load_registry()
        result = ingest(
            data,
            file_name,
            registry,
            kind=kind,
            region=region,
            period=period,
            id_key=id_key,
            limits=limits,
            mapping=mapping,
        )
        message = ("ok", result)
    except RefusedFile as exc:
        message = ("refused", str(exc), exc.problems)
    except MemoryError:
        if os.environ.get("HOUSING_DEBUG"):
            traceback.print_exc()
        message = ("memory",)
    except Exception:
        message = ("error", traceback.format_exc())
    except BaseException as exc:  # a Rust panic inside the reader comes up as a BaseException
        if exc.__class__.__name__ != "PanicException":
            raise
        message = (
            "refused",
            "无法读取该文件（文件已损坏或格式异常），已拒绝",
            [Problem("", None, "", "", "无法读取该文件")],
        )
    try:
        sender.send(message)
    except MemoryError:  # the result itself is too large to send back
        sender.send(("memory",))
    sender.close()


def _limit_memory(extra_bytes: int) -> None:
    """Let the address space grow by ``extra_bytes`` from here; no core file of a failed reading."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    size = _address_space()
    if size is not None:
        limit = size + extra_bytes
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _address_space() -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None
