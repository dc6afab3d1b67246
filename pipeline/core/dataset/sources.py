"""Inputs: the documents in raw/, their partition keys, and what changed since the last scan.

A file's partition key (and ``doc_id``) is its path under raw/ made safe for Dagster. A scan
compares size and mtime first and hashes the content only when those moved, so an unchanged
folder costs one stat per file.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

from pipeline.core.fileio import hash_file

SUFFIXES = (".pdf", ".txt")


def safe_key(name: str) -> str:
    """A Dagster-safe, stable partition key from a file name (relative path under raw/)."""
    key = re.sub(r"[^A-Za-z0-9._-]+", "_", name.replace("/", "__")).strip("._-") or "document"
    if len(key) > 120 or key != name.replace("/", "__"):
        digest = hashlib.sha1(name.encode()).hexdigest()[:8]
        key = f"{key[:110]}-{digest}"
    return key


class SourceFile(BaseModel):
    """A document in raw/: ``key`` is its partition key and ``doc_id``."""

    key: str
    relative: str
    path: Path
    kind: str
    size: int
    mtime_ns: int


def list_sources(raw_dir: Path) -> list[SourceFile]:
    """Every .pdf and .txt file under ``raw_dir`` (recursively, hidden files skipped), sorted."""
    if not raw_dir.is_dir():
        return []
    out = []
    for path in sorted(raw_dir.rglob("*")):
        rel = path.relative_to(raw_dir).as_posix()
        if path.suffix.lower() not in SUFFIXES or any(part.startswith(".") for part in rel.split("/")):
            continue
        if not path.is_file():
            continue
        st = path.stat()
        out.append(
            SourceFile(
                key=safe_key(rel),
                relative=rel,
                path=path,
                kind=path.suffix.lower()[1:],
                size=st.st_size,
                mtime_ns=st.st_mtime_ns,
            )
        )
    return out


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
        sha = hash_file(src.path)
        if prev is not None and prev.sha256 == sha:
            state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)  # touched only
            continue
        changed.append((src, sha))
        state[src.key] = SourceState(sha256=sha, size=src.size, mtime_ns=src.mtime_ns)
    present = {s.key for s in sources}
    deleted = sorted(k for k in previous if k not in present)
    return SourceScan(changed=changed, deleted=deleted, state=state, deferred=deferred)
