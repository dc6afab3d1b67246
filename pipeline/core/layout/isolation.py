"""Isolation: a time limit that can stop a spinning parser, and a memory cap.

pdfminer is pure Python and can spin for hours on a hostile PDF (millions of operators in a small
compressed stream), or die outright; a thread cannot be stopped, a process can. Each document is
parsed in a child forked from a fork server that has the parser preloaded (``_PRELOAD``), so a
child starts warm in milliseconds; it is killed at the deadline, and limits its own CPU time in
case the parent dies first. Its address space is capped (``RLIMIT_AS``, setting
PIPELINE_PARSER_MEMORY_MB), so a stream that inflates to gigabytes fails that document with
``memory_limit`` instead of taking the machine's memory. How the child ended becomes a
``DocumentError`` code.

The server can be started ahead of the first parse (``start_parser``), and a process forked
from one that started it parses through the same server (``share_parser``).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import multiprocessing.context
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import os
from pathlib import Path
from typing import Any

from pipeline.core.errors import DocumentError, DocumentErrorCode, plain_message
from pipeline.core.fileio import pid_alive
from pipeline.core.layout.document import parse_document
from pipeline.core.models import ParsedDocument

#: imported once by the fork server, so each parse starts from a warm copy in milliseconds; every
#: module of this package is named, so a lighter ``__init__`` cannot leave one out (a name that fails
#: to import is skipped silently by the fork server: tests/core/layout/test_isolation.py checks)
_PRELOAD = [
    "pipeline.core.layout",
    "pipeline.core.layout.isolation",
    "pipeline.core.layout.document",
    "pipeline.core.layout.pdf",
    "pipeline.core.layout.reading_order",
    "pipeline.core.layout.furniture",
    "pipeline.core.layout.links",
    "pipeline.core.layout.textfile",
    "pdfplumber",
    "pdfminer.high_level",
    "charset_normalizer",
]
#: seconds of CPU beyond the time limit after which an orphaned child stops itself
_CPU_GRACE = 5


@functools.cache
def _parser_context() -> multiprocessing.context.BaseContext:
    """Fork server where available (a fork of a preloaded server, safe with threads), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return multiprocessing.get_context("spawn")


def start_parser() -> None:
    """Start the parser's fork server now, so that its imports run beside the caller's own.

    The server imports the parser once (``_PRELOAD``, about 0.3 s); started by the first parse,
    that time is on the way of the first document. The runner calls this before it imports
    Dagster and opens its instance, so the server gets ready on an otherwise idle core.
    """
    if _parser_context().get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class _InheritedForkServer(multiprocessing.forkserver.ForkServer):
    """The fork server of the process this one was forked from, used as long as it answers.

    ``multiprocessing`` checks its server with ``waitpid``, which only the process that started
    it may call: in a forked child that check raises. Here the inherited server counts as
    running while its process lives (``pid_alive``); if it takes no request, this process starts a
    server of its own and from then on checks it the usual way.
    """

    _inherited = True

    def ensure_running(self) -> None:
        if self._inherited:
            with self._lock:
                pid = self._forkserver_pid
                if pid is not None and pid_alive(pid):
                    multiprocessing.resource_tracker.ensure_running()
                    return
                self._forget()
        super().ensure_running()

    def connect_to_new_process(self, fds: Any) -> Any:
        try:
            return super().connect_to_new_process(fds)
        except OSError:
            if not self._inherited:
                raise
            with self._lock:  # the inherited server is gone: start one of our own, once
                self._forget()
            return super().connect_to_new_process(fds)

    def _forget(self) -> None:
        if self._forkserver_alive_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._forkserver_alive_fd)
        self._forkserver_address = self._forkserver_alive_fd = self._forkserver_pid = None
        self._inherited = False


def share_parser() -> None:
    """In a process forked from one whose parser fork server runs: parse through that server.

    Each worker of ``pipeline run --workers N`` is forked from the runner after it started the
    server (``start_parser``); sharing it spares every worker a server of its own (its process
    and imports, about 0.3 s of CPU as the worker's first document starts). Nothing to do when
    the parent had no server: the first parse starts one, as in any process.
    """
    from multiprocessing import forkserver

    server: Any = getattr(forkserver, "_forkserver", None)
    if server is None or getattr(server, "_forkserver_pid", None) is None:
        return
    server.__class__ = _InheritedForkServer
    # the module's functions were bound to the instance when it was created
    forkserver.ensure_running = server.ensure_running
    forkserver.connect_to_new_process = server.connect_to_new_process


def parse_document_isolated(
    path: Path,
    *,
    doc_id: str,
    source_path: str | None = None,
    max_pages: int = 500,
    password: str | None = None,
    timeout: float = 300.0,
    memory_mb: int | None = 2048,
    max_line_chars: int | None = 20_000,
) -> ParsedDocument:
    """``parse_document`` in a child process that is killed when ``timeout`` seconds pass.

    pdfminer is pure Python and can spin for hours on a hostile PDF (millions of operators in a
    small compressed stream), or die outright; a thread cannot be stopped, a process can.
    Raises ``DocumentError``: the parser's own, ``timeout`` at the deadline, ``memory_limit``
    when the child reached ``memory_mb`` MiB of address space (None: no cap), ``parser_crashed``
    when the child died, ``internal_error`` for any other exception in the child (a bug).
    Lines longer than ``max_line_chars`` are cut, with a warning (``bound_lines``).
    """
    ctx = _parser_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_parse_in_child,
        args=(sender, path, doc_id, source_path, max_pages, password, timeout, memory_mb),
        name=f"parse {doc_id}",
    )
    child.start()
    sender.close()  # the child holds the only write end, so its death reads as EOF here
    try:
        if not receiver.poll(timeout):
            raise DocumentError(
                DocumentErrorCode.TIMEOUT,
                f"reading the document took longer than {timeout:g} s and was stopped "
                "(setting PIPELINE_DOC_TIMEOUT)",
            )
        try:
            message = receiver.recv()
        except EOFError:
            child.join()
            if memory_mb is not None and child.exitcode == -6:  # "Cannot recover from MemoryErrors"
                raise _memory_error(memory_mb) from None
            raise DocumentError(
                DocumentErrorCode.PARSER_CRASHED,
                f"the parser process died ({_exit_reason(child.exitcode)}) while reading the document"
                + (
                    " (often its memory cap, PIPELINE_PARSER_MEMORY_MB)"
                    if memory_mb and child.exitcode == -11
                    else ""
                ),
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    kind, *payload = message
    if kind == "ok":
        return bound_lines(_plain_document(payload[0]), max_line_chars)
    if kind == "memory":
        raise _memory_error(memory_mb or 0)
    if kind == "error":
        code, text = payload
        error = DocumentError(DocumentErrorCode(code), plain_message(text))
        if error.message != text:  # the library's own words go to the log, not to the dataset
            error.add_note(f"detail: {text}")
        raise error
    name, text, trace = payload
    error = DocumentError(
        DocumentErrorCode.INTERNAL, "the parser stopped on an unexpected error (a bug; see the run log)"
    )
    error.add_note(f"{name}: {text}\n{trace}")
    raise error


def bound_lines(doc: ParsedDocument, max_chars: int | None) -> ParsedDocument:
    """Lines over ``max_chars`` characters cut there, each with a warning in the document.

    A .txt paragraph is one line, and so is a PDF line holding one giant token: 1.2 million
    characters on a line take the later steps minutes and gigabytes (they look at a line's
    words, and spaCy at its sentences), while a real paragraph has a few thousand. Bounding
    the input bounds every step after the parser (setting PIPELINE_MAX_PARAGRAPH_CHARS).
    """
    if max_chars is None or not any(len(line.text) > max_chars for p in doc.layout for line in p.lines):
        return doc
    warnings = list(doc.warnings)
    pages = []
    for page in doc.layout:
        lines = []
        for line in page.lines:
            if len(line.text) > max_chars:
                warnings.append(
                    f"page {page.number}: a line (or paragraph) of {len(line.text):,} characters was cut "
                    f"to its first {max_chars:,} (setting PIPELINE_MAX_PARAGRAPH_CHARS)"
                )
                line = line.model_copy(
                    update={
                        "text": line.text[:max_chars],
                        "superscripts": _spans_within(line.superscripts, max_chars),
                        "italics": _spans_within(line.italics, max_chars),
                        "links": _spans_within(line.links, max_chars),
                    }
                )
            lines.append(line)
        pages.append(page.model_copy(update={"lines": lines}))
    return doc.model_copy(update={"layout": pages, "warnings": warnings})


def _spans_within(spans: list[Any], end: int) -> list[Any]:
    return [s.model_copy(update={"end": min(s.end, end)}) for s in spans if s.start < end]


def _plain_document(doc: ParsedDocument) -> ParsedDocument:
    """The document with its error and warnings in sentences (``errors.plain_message``)."""
    error = plain_message(doc.error) if doc.error else doc.error
    warnings = [plain_message(w) for w in doc.warnings]
    if error == doc.error and warnings == doc.warnings:
        return doc
    return doc.model_copy(update={"error": error, "warnings": warnings})


def _parse_in_child(
    sender: Any,
    path: Path,
    doc_id: str,
    source_path: str | None,
    max_pages: int,
    password: str | None,
    timeout: float,
    memory_mb: int | None,
) -> None:
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_own_cpu(timeout)
    cap = _limit_own_memory(memory_mb)
    try:
        doc = parse_document(
            path, doc_id=doc_id, source_path=source_path, max_pages=max_pages, password=password
        )
        message: tuple[Any, ...] = ("ok", doc)
    except MemoryError:
        message = ("memory",)
    except DocumentError as exc:
        message = ("error", exc.code.value, exc.message)
    except Exception as exc:
        message = ("internal", exc.__class__.__name__, str(exc)[:1000], traceback.format_exc(limit=20))
    clean = message[0] == "ok" and message[1].status == "ok"
    if cap and not clean and message[0] != "memory" and _reached(cap):
        # the parser caught the MemoryError itself (a page "could not be read"): the cap's doing
        message = ("memory",)
    try:
        sender.send(message)
    finally:
        sender.close()


def _memory_error(memory_mb: int) -> DocumentError:
    return DocumentError(
        DocumentErrorCode.MEMORY_LIMIT,
        f"reading the document needed more than {memory_mb} MiB of memory and was stopped "
        "(setting PIPELINE_PARSER_MEMORY_MB)",
    )


def _limit_own_memory(memory_mb: int | None) -> int:
    """Cap this process's address space; returns the cap in bytes (0: none could be set)."""
    if memory_mb is None:
        return 0
    try:
        import resource
    except ImportError:
        return 0
    cap = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # the current usage is already above it: no cap, as before
        return 0
    return cap


def _reached(cap: int) -> bool:
    """The peak address space reached half of ``cap`` (Linux; elsewhere: unknown, False).

    A failed allocation is usually a large one (a stream doubling its buffer), so the peak that
    remains is well under the cap; a document that ended badly after using that much memory was
    stopped by the cap. A clean result is never relabelled.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024 >= cap // 2
    return False


def _limit_own_cpu(timeout: float) -> None:
    """If the parent dies without killing this child, the kernel still stops a spin."""
    try:
        import resource
    except ImportError:  # not on Windows: the parent's kill is the only limit there
        return
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(timeout) + _CPU_GRACE
    if hard == resource.RLIM_INFINITY or hard > soft:
        new_hard = soft + _CPU_GRACE if hard == resource.RLIM_INFINITY else min(hard, soft + _CPU_GRACE)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, new_hard))


def _exit_reason(exitcode: int | None) -> str:
    """How a child ended, in words: the signal that killed it, or its exit code."""
    if exitcode is not None and exitcode < 0:
        try:
            return f"signal {signal_name(-exitcode)}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


def signal_name(number: int) -> str:
    """``SIGKILL`` for 9; raises ``ValueError`` for a number that names no signal."""
    import signal

    return signal.Signals(number).name
