"""Inputs: the documents in raw/, their partition keys, and what changed since the last scan.

A file's partition key (and ``doc_id``) is its path under raw/ made safe for Dagster. A scan
compares size and mtime first and hashes the content only when those moved, so an unchanged
folder costs one stat per file.

One file must never stop a run: every entry of raw/ whose name ends in .pdf or .txt becomes a
``SourceFile``, also when it cannot be read. A name that is not UTF-8 is shown with its bytes
escaped (``caf\\xe9.pdf``); a symbolic link that leaves raw/ (unless
``PIPELINE_ALLOW_SYMLINKS_OUTSIDE_RAW``), a dangling link and a folder named ``x.pdf`` carry a
``problem`` and are never opened: they become a 'failed' row saying why.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

from pipeline.core.errors import DocumentErrorCode
from pipeline.core.fileio import hash_file

SUFFIXES = (".pdf", ".txt")


def safe_key(name: str) -> str:
    """A Dagster-safe, stable partition key from a file name (relative path under raw/)."""
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("/", "__")).strip("._-") or "document"
    # A path in a subfolder had to change ("/" became "__"), so `sub/a.pdf` does not meet a file
    # named `sub__a.pdf`. A changed key ends in a hash, never in .pdf or .txt: it cannot meet a kept one.
    if len(key) > 120 or key != name:
        digest = hashlib.sha1(os.fsencode(name)).hexdigest()[:8]
        key = f"{key[:110]}-{digest}"
    return key


def display_name(name: str) -> str:
    """A file name as text: bytes that are not UTF-8 are shown escaped (``caf\\xe9.pdf``)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


class SourceProblem(BaseModel):
    """Why an entry of raw/ is not read: it becomes a 'failed' row with this code and message."""

    code: DocumentErrorCode
    message: str


class SourceFile(BaseModel):
    """A document in raw/: ``key`` is its partition key and ``doc_id``."""

    key: str
    relative: str
    path: Path
    kind: str
    size: int
    mtime_ns: int
    #: set when the entry is not read (a link out of raw/, a dangling link, a folder)
    problem: SourceProblem | None = None


def source_problem(path: Path, raw_dir: Path, *, allow_outside: bool = False) -> SourceProblem | None:
    """Why ``path`` (an entry of raw/) must not be read, or None when it is a file to read."""
    if path.is_symlink():
        target = os.readlink(path)
        if not path.exists():
            return SourceProblem(
                code=DocumentErrorCode.BROKEN_LINK,
                message=f"this is a symbolic link to {display_name(target)}, which does not exist",
            )
        resolved = path.resolve()
        if not allow_outside and not resolved.is_relative_to(raw_dir.resolve()):
            return SourceProblem(
                code=DocumentErrorCode.OUTSIDE_RAW,
                message="this is a symbolic link to a file outside the input folder; it was not read "
                "(set PIPELINE_ALLOW_SYMLINKS_OUTSIDE_RAW=true to read such links)",
            )
    if path.is_dir():
        return SourceProblem(
            code=DocumentErrorCode.NOT_A_FILE,
            message="this is a folder whose name ends in .pdf or .txt, not a document",
        )
    if not path.is_file():
        return SourceProblem(
            code=DocumentErrorCode.NOT_A_FILE,
            message="this is not a regular file (a device, socket or pipe), so it was not read",
        )
    return None


def list_sources(raw_dir: Path, *, allow_outside: bool | None = None) -> list[SourceFile]:
    """Every entry under ``raw_dir`` named .pdf or .txt (recursively, hidden ones skipped), sorted.

    Entries that must not be read are listed too, with their ``problem``, so each gets a row.
    ``allow_outside`` defaults to the setting PIPELINE_ALLOW_SYMLINKS_OUTSIDE_RAW.
    """
    if not raw_dir.is_dir():
        return []
    if allow_outside is None:
        allow_outside = _allow_outside_setting()
    out: list[SourceFile] = []
    keys: set[str] = set()
    for path in sorted(raw_dir.rglob("*")):
        key = safe_key(path.relative_to(raw_dir).as_posix())
        while key in keys:  # never two documents on one key, whatever the names
            key = safe_key(f"{key}/{display_name(path.relative_to(raw_dir).as_posix())}")
        src = _source(path, raw_dir, key, allow_outside)
        if src is not None:
            keys.add(key)
            out.append(src)
    return out


def find_source(
    raw_dir: Path, relative: str, key: str, *, allow_outside: bool | None = None
) -> SourceFile | None:
    """The entry ``relative`` of ``raw_dir`` as ``list_sources`` lists it under ``key``, without
    listing the folder (whose cost would grow with the corpus, for every document); None when
    it is not there or is not listed under that key (a name shared after ``safe_key``: list)."""
    parts = relative.split("/")
    if not relative or relative.startswith("/") or ".." in parts or safe_key(relative) != key:
        return None
    path = raw_dir / relative
    if display_name(path.relative_to(raw_dir).as_posix()) != relative:
        return None
    if allow_outside is None:
        allow_outside = _allow_outside_setting()
    return _source(path, raw_dir, key, allow_outside)


def _source(path: Path, raw_dir: Path, key: str, allow_outside: bool) -> SourceFile | None:
    """``path`` as a document of ``raw_dir`` under ``key``; None if it is none (or is gone)."""
    rel = display_name(path.relative_to(raw_dir).as_posix())
    if path.suffix.lower() not in SUFFIXES or any(part.startswith(".") for part in rel.split("/")):
        return None
    problem = source_problem(path, raw_dir, allow_outside=allow_outside)
    try:
        st = path.lstat() if problem else path.stat()
    except OSError:  # deleted since the listing
        return None
    return SourceFile(
        key=key,
        relative=rel,
        path=path,
        kind=path.suffix.lower()[1:],
        size=st.st_size,
        mtime_ns=st.st_mtime_ns,
        problem=problem,
    )


def _allow_outside_setting() -> bool:
    from pipeline.core.settings import PipelineSettings

    return PipelineSettings().allow_symlinks_outside_raw


def source_digest(src: SourceFile) -> str:
    """The content hash of a document; for one that is not read, a hash of what it is (never its bytes)."""
    if src.problem is None:
        return hash_file(src.path)
    target = os.fsencode(os.readlink(src.path)) if src.path.is_symlink() else b""
    return hashlib.sha256(src.problem.code.value.encode() + b"\0" + target).hexdigest()


class SourceState(BaseModel):
    sha256: str
    size: int
    mtime_ns: int


class SourceScan(BaseModel):
    """What changed in raw/ since the last scan. ``state`` is the new cursor content."""

    changed: list[tuple[SourceFile, str]]  # (file, sha256) new or with new content
    deleted: list[str]
    state: dict[str, SourceState]
    deferred: int = 0


def scan_sources(
    raw_dir: Path, previous: Mapping[str, SourceState], *, limit: int, time_budget: float = 40.0
) -> SourceScan:
    """Compare raw/ with the last scan: by size and mtime first, by content hash when those moved.

    At most ``limit`` changed files are reported; the rest (and files not hashed within the
    time budget) stay out of ``state`` so the next scan reports them.
    """
    started = time.monotonic()
    sources = list_sources(raw_dir)
    state: dict[str, SourceState] = {}
    changed: list[tuple[SourceFile, str]] = []
    deferred = 0
    for src in sources:
        prev = previous.get(src.key)
        if prev is not None and prev.size == src.size and prev.mtime_ns == src.mtime_ns:
            state[src.key] = prev
            continue
        if len(changed) >= limit or time.monotonic() - started > time_budget:
            deferred += 1
            if prev is not None:
                state[src.key] = prev
            continue
        try:
            sha = source_digest(src)
        except OSError:  # deleted or unreadable since the listing: the next scan sees it again
            deferred += 1
            continue
        if prev is not None and prev.sha256 == sha:
            state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)  # touched only
            continue
        changed.append((src, sha))
        state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)
    present = {s.key for s in sources}
    deleted = sorted(k for k in previous if k not in present)
    return SourceScan(changed=changed, deleted=deleted, state=state, deferred=deferred)
