"""Isolation: a time limit that can stop a spinning parser.

pdfminer is pure Python and can spin for hours on a hostile PDF (millions of operators in a small
compressed stream), or die outright; a thread cannot be stopped, a process can. Each document is
parsed in a child forked from a fork server that has the parser preloaded (``_PRELOAD``), so a
child starts warm in milliseconds; it is killed at the deadline, and limits its own CPU time in
case the parent dies first. How the child ended becomes a ``DocumentError`` code.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.context
from pathlib import Path
from typing import Any

from pipeline.core.errors import DocumentError, DocumentErrorCode, plain_message
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


def parse_document_isolated(
    path: Path,
    *,
    doc_id: str,
    source_path: str | None = None,
    max_pages: int = 500,
    password: str | None = None,
    timeout: float = 300.0,
) -> ParsedDocument:
    """``parse_document`` in a child process that is killed when ``timeout`` seconds pass.

    pdfminer is pure Python and can spin for hours on a hostile PDF (millions of operators in a
    small compressed stream), or die outright; a thread cannot be stopped, a process can.
    Raises ``DocumentError``: the parser's own, ``timeout`` at the deadline, ``parser_crashed``
    when the child died, ``internal_error`` for any other exception in the child (a bug).
    """
    ctx = _parser_context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(
        target=_parse_in_child,
        args=(sender, path, doc_id, source_path, max_pages, password, timeout),
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
            raise DocumentError(
                DocumentErrorCode.PARSER_CRASHED,
                f"the parser process died ({_exit_reason(child.exitcode)}) while reading the document",
            ) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    kind, *payload = message
    if kind == "ok":
        return _plain_document(payload[0])
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
) -> None:
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _limit_own_cpu(timeout)
    try:
        doc = parse_document(
            path, doc_id=doc_id, source_path=source_path, max_pages=max_pages, password=password
        )
        message: tuple[Any, ...] = ("ok", doc)
    except DocumentError as exc:
        message = ("error", exc.code.value, exc.message)
    except Exception as exc:
        message = ("internal", exc.__class__.__name__, str(exc)[:1000], traceback.format_exc(limit=20))
    try:
        sender.send(message)
    finally:
        sender.close()


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
