"""The run ledger: which documents are finished, and what the published dataset was built from.

When a document's run ends, whatever the outcome (ok, degraded, failed, or stopped by a
blocking check), ``<out>/.state/docs/<key>/finished.json`` records it (a ``FinishedRun``:
content hash, schema and pipeline versions, final status). The marker is deleted before a run
starts and written only after it ended, so a run killed half-way leaves none and the document
is done again. The dataset roll-up is skipped too when its inputs (the documents and their
step records) are those of the published version (``<out>/.state/dataset_inputs.json``).

How a run ended is read from Dagster's events by ``pipeline.defs.events`` (core never imports
Dagster) and reaches ``finish_document`` as a plain ``RunOutcome``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from pipeline.core.dataset import DUCKDB_FILE, DocumentStore, SourceFile, current_version, document_rows
from pipeline.core.errors import RETRYABLE_CODES
from pipeline.core.fileio import write_text
from pipeline.core.models import (
    SCHEMA_VERSION,
    TABLES,
    CitationSet,
    ClaimSet,
    DocumentStatus,
    NoteSplit,
    ParsedDocument,
    UrlCheckSet,
)

#: the package whose code makes the records and the dataset (``pipeline/``)
PACKAGE = Path(__file__).resolve().parent.parent
STEPS: tuple[tuple[str, type], ...] = (
    ("parsed_document", ParsedDocument),
    ("footnotes", NoteSplit),
    ("citations", CitationSet),
    ("claims", ClaimSet),
    ("url_checks", UrlCheckSet),
)
#: the per-document marker, stored like a step record: <state>/docs/<key>/finished.json
FINISHED = "finished"
#: what the last successful roll-up was built from: <state>/dataset_inputs.json
DATASET_INPUTS = "dataset_inputs.json"
#: how many runs of this content ended in a failure worth retrying: <state>/docs/<key>/attempts.json
ATTEMPTS = "attempts"


class Attempts(BaseModel):
    """Runs of one content that said nothing final (time limit, crash); kept across runs."""

    sha256: str
    count: int


class FinishedRun(BaseModel):
    """How the last run of a document ended. Written atomically once the run is over."""

    doc_id: str
    sha256: str
    schema_version: str
    pipeline_version: str
    status: DocumentStatus  # what documents.parquet says about this document
    reason: str | None = None
    #: nothing final was learnt (parser time limit or crash, a step raised): redo on the next run
    retry: bool = False
    #: step records this run wrote; a skipped document must still have them all
    steps: list[str] = []
    finished_at: dt.datetime


@dataclass(frozen=True)
class RunOutcome:
    """How a document's run ended, as its events tell it (read by ``pipeline.defs.events``)."""

    #: checks that failed with ERROR severity, one line each, in order
    failed_checks: tuple[str, ...] = ()
    #: steps that raised (not the check steps a failed blocking check stopped), one line each
    raised_steps: tuple[str, ...] = ()
    #: the assets (last part of their key) the run materialized
    materialized: frozenset[str] = frozenset()
    #: the first step failure or failed ERROR check, one line; None when nothing failed
    first_failure: str | None = None


def code_digest(package: Path) -> str:
    """A digest of every module under ``package``'s ``core/`` and ``defs/``, subpackages included."""
    digest = hashlib.sha256()
    for path in sorted([*(package / "core").rglob("*.py"), *(package / "defs").rglob("*.py")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def pipeline_version() -> str:
    """The package version plus a digest of the code that makes the records and the dataset.

    A document finished by other code is done again: a fix in a step reaches every document
    on the next run without ``--force``, and ``--force`` stays for unchanged code.
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = version("footnote-pipeline")
    except PackageNotFoundError:  # run from a checkout that was never installed
        release = "0"
    return f"{release}+{code_digest(PACKAGE)}"


def _record(store: DocumentStore, step: str, key: str, model: type[BaseModel], sha256: str) -> Any:
    """The step's record if it was made from this content, else None (missing, stale, unreadable)."""
    path = store.path(step, key)
    if not path.exists():
        return None
    try:
        record = model.model_validate_json(path.read_bytes())
    except ValueError:
        return None
    return record if getattr(record, "sha256", None) == sha256 else None


def finished_run(store: DocumentStore, key: str) -> FinishedRun | None:
    """The document's finish marker, or None (never finished, killed, or unreadable)."""
    path = store.path(FINISHED, key)
    try:
        return FinishedRun.model_validate_json(path.read_bytes())
    except (OSError, ValidationError):
        return None


def is_current(store: DocumentStore, src: SourceFile, sha256: str) -> bool:
    """True when the last run of this exact content finished, with today's code and schema.

    "Finished" is whatever the run ended with: ok, degraded, failed, or stopped by a blocking
    check; only outcomes that say nothing final (``retry``) are done again. A run that was
    killed left no marker, so its document is done again. Costs one small read and a stat per
    step: a skipped document is never parsed, and writes nothing.
    """
    done = finished_run(store, src.key)
    return (
        done is not None
        and not done.retry
        and done.sha256 == sha256
        and done.schema_version == SCHEMA_VERSION
        and done.pipeline_version == pipeline_version()
        and all(store.path(step, src.key).exists() for step in done.steps)
    )


def links_were_offline(store: DocumentStore, key: str, sha256: str) -> bool:
    """The document's links were last looked at offline, so they are all still 'unverified'."""
    record = _record(store, "url_checks", key, UrlCheckSet, sha256)
    return bool(record and record.offline)


def offline_urls(store: DocumentStore, key: str, sha256: str) -> list[str]:
    """The URLs of the document that were last looked at offline (none if they were checked)."""
    record = _record(store, "url_checks", key, UrlCheckSet, sha256)
    return [c.url for c in record.checks] if record and record.offline else []


def count_attempt(store: DocumentStore, key: str, sha256: str, max_retries: int | None) -> tuple[bool, str]:
    """Count one more run of this content that said nothing final: (retry again?, what the reason adds).

    A document that timed out is tried again on ``max_retries`` more runs (PIPELINE_DOC_RETRIES),
    then its failure is kept until the file changes: a hostile file costs the full time limit a
    bounded number of times, not on every run.
    """
    if max_retries is None:
        from pipeline.core.settings import PipelineSettings

        max_retries = PipelineSettings().doc_retries
    previous = store.load(ATTEMPTS, key, Attempts) if store.path(ATTEMPTS, key).exists() else None
    count = previous.count + 1 if previous and previous.sha256 == sha256 else 1
    store.save(ATTEMPTS, key, Attempts(sha256=sha256, count=count))
    if count > max_retries:
        return False, f"tried {count} times; kept until the file changes (setting PIPELINE_DOC_RETRIES)"
    return True, f"retried on the next run (attempt {count} of {max_retries + 1})"


def finish_document(
    store: DocumentStore,
    key: str,
    sha256: str | None,
    outcome: RunOutcome,
    *,
    max_retries: int | None = None,
) -> FinishedRun:
    """The outcome of a document's run that just ended, as documents.parquet will show it.

    The status is the dataset's own rule (``document_rows`` on this content's records); the
    reason names what stopped the document (a failed check, a step that raised) before the
    parser's own note.
    """
    checks, raised = list(outcome.failed_checks), list(outcome.raised_steps)
    if sha256 is None:  # a run launched elsewhere (UI, daemon): the content it parsed
        doc = store.load("parsed_document", key, ParsedDocument)
        sha256 = doc.sha256 if doc else ""
    else:
        doc = _record(store, "parsed_document", key, ParsedDocument, sha256)
    steps = [step for step, _ in STEPS if step in outcome.materialized and store.path(step, key).exists()]
    if not isinstance(doc, ParsedDocument):  # the parse step itself did not complete
        status, parts = DocumentStatus.FAILED, raised or ["the document was not parsed"]
        retry = True
    else:
        split = _record(store, "footnotes", key, NoteSplit, sha256)
        claims = _record(store, "claims", key, ClaimSet, sha256)
        row = document_rows(doc, split, claims)
        status = row.status
        retry = bool(raised) or (doc.status == DocumentStatus.FAILED and doc.error_code in RETRYABLE_CODES)
        if status == DocumentStatus.FAILED:
            parts = [row.error or "failed", *raised]  # the failed text check only repeats it
        else:
            parts = [*checks, *raised, *([doc.error] if doc.error else [])]
            if status == DocumentStatus.DEGRADED and not parts:
                parts = [row.error or "degraded"]
    reason = "; ".join(dict.fromkeys(p for p in parts if p)) or None
    if retry and sha256:
        retry, note = count_attempt(store, key, sha256, max_retries)
        reason = f"{reason}; {note}" if reason else note
    return FinishedRun(
        doc_id=key,
        sha256=sha256,
        schema_version=SCHEMA_VERSION,
        pipeline_version=pipeline_version(),
        status=status,
        reason=reason,
        retry=retry,
        steps=steps,
        finished_at=dt.datetime.now(dt.UTC),
    )


def dataset_inputs(store: DocumentStore, keys: list[str]) -> dict[str, Any]:
    """What the roll-up reads, as cheap facts: versions, and one digest of every document's
    records' stamp (``DocumentStore.stamp``: inode, size, mtime; records are replaced by rename,
    so a rewrite changes it). One digest, not a stamp per document: what is kept does not grow
    with the corpus."""
    digest = hashlib.sha256()
    for key in sorted(keys):
        digest.update(f"{key}\t{store.stamp(key)}\n".encode())
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "documents": len(keys),
        "records": digest.hexdigest(),
    }


def dataset_is_current(out_dir: Path, store: DocumentStore, inputs: dict[str, Any]) -> bool:
    """True when the published dataset was built by this runner from exactly ``inputs``."""
    version = current_version(out_dir)
    names = [f"{name}.parquet" for name in TABLES] + [DUCKDB_FILE]
    if version is None or not all((out_dir / name).exists() for name in names):
        return False
    try:
        published = json.loads((store.root / DATASET_INPUTS).read_bytes())
    except (OSError, ValueError):
        return False
    return published == {**inputs, "version": version.name}


def record_dataset_inputs(out_dir: Path, store: DocumentStore, inputs: dict[str, Any]) -> None:
    """Remember that the published dataset was built from ``inputs`` (after a successful roll-up)."""
    version = current_version(out_dir)
    if version is not None:
        write_text(store.root / DATASET_INPUTS, json.dumps({**inputs, "version": version.name}))
