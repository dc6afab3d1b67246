"""Run the Dagster jobs in-process for every document in raw/ (what ``python -m pipeline run`` does).

The same assets, checks and resources the UI shows are executed, on the instance in
DAGSTER_HOME (``.dagster/`` by default), so ``make ui`` afterwards shows these runs.

Crash safety: every record and dataset file is written atomically, so a run killed at any
point leaves the previous dataset readable. The next run tidies up after the dead one (its
temporary files, its unfinished dataset version, its runs still marked as started) and
resumes: documents whose records are complete for their current content are skipped.
"""

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pipeline.core.dataset import (
    DocumentStore,
    SourceFile,
    list_sources,
    pid_alive,
    prune_versions,
    read_table,
    remove_stale_temporaries,
)
from pipeline.core.errors import RETRYABLE_CODES
from pipeline.core.models import (
    CitationSet,
    ClaimSet,
    DocumentStatus,
    NoteSplit,
    ParsedDocument,
    UrlCheckSet,
)

if TYPE_CHECKING:
    import dagster as dg
    from pydantic import BaseModel

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STEPS: tuple[tuple[str, type], ...] = (
    ("parsed_document", ParsedDocument),
    ("footnotes", NoteSplit),
    ("citations", CitationSet),
    ("claims", ClaimSet),
    ("url_checks", UrlCheckSet),
)
#: run tag with the id of the process that executes the run in-process, to spot killed runs
PID_TAG = "footnote_pipeline/pid"


@dataclass
class RunSummary:
    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed_runs: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    dataset_ok: bool = False
    seconds: float = 0.0


def ensure_dagster_home() -> Path:
    """Use $DAGSTER_HOME, or ./.dagster with the project's dagster.yaml (as `make` does)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    template = PROJECT_ROOT / "dagster.yaml"
    if not (home / "dagster.yaml").exists() and template.exists():
        shutil.copyfile(template, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def _record(store: DocumentStore, step: str, key: str, model: "type[BaseModel]", sha256: str) -> object:
    """The step's record if it was made from this content, else None (missing, stale, unreadable)."""
    path = store.path(step, key)
    if not path.exists():
        return None
    try:
        record = model.model_validate_json(path.read_bytes())
    except ValueError:
        return None
    return record if getattr(record, "sha256", None) == sha256 else None


def is_current(store: DocumentStore, src: SourceFile, sha256: str) -> bool:
    """True when this exact content needs no more work: every step that should run has run.

    A failed document has only its parse record, which is final unless the parser itself failed
    (time limit, crash), which the next run retries. A document stopped by the parse-quality
    check has no records after ``footnotes``. Anything else needs every step's record.
    """
    from pipeline.core.footnotes import quality_problems

    doc = _record(store, "parsed_document", src.key, ParsedDocument, sha256)
    if not isinstance(doc, ParsedDocument):
        return False
    if doc.status == DocumentStatus.FAILED:
        return doc.error_code not in RETRYABLE_CODES
    split = _record(store, "footnotes", src.key, NoteSplit, sha256)
    if not isinstance(split, NoteSplit):
        return False
    if quality_problems(split):
        return True
    return all(_record(store, step, src.key, model, sha256) is not None for step, model in STEPS[2:])


def recover(instance: "dg.DagsterInstance", out_dir: Path) -> list[str]:
    """Tidy up after runs that were killed: returns what was done, one line each.

    Temporary files and unfinished dataset versions of dead processes are deleted (the
    published dataset never depended on them), and runs still marked as started by a process
    that no longer exists are marked failed, so the UI does not show them running forever, and
    the concurrency-pool slots they held are freed.
    """
    import dagster as dg

    done = [f"removed temporary file {p.relative_to(out_dir)}" for p in remove_stale_temporaries(out_dir)]
    unfinished = prune_versions(out_dir, unfinished_only=True)
    done += [f"removed unfinished dataset version {name}" for name in unfinished]
    running = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]
    for record in instance.get_run_records(
        filters=dg.RunsFilter(statuses=running, tags={"launched_by": "cli"})
    ):
        run = record.dagster_run
        pid = run.tags.get(PID_TAG, "")
        if pid.isdigit() and not pid_alive(int(pid)):
            instance.report_run_failed(
                run, message=f"the process that ran this (pid {pid}) ended before the run finished (killed?)"
            )
            # A killed step never gives back its pool slot (nlp, url_checks); without this the next
            # run would wait for it forever. The daemon frees such slots too, but only if it runs.
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
            done.append(f"marked run {run.run_id[:8]} ({run.tags.get('source', run.job_name)}) as failed")
    return done


def run_all(
    raw_dir: Path,
    out_dir: Path,
    *,
    offline: bool = False,
    force: bool = False,
    out: TextIO = sys.stdout,
) -> RunSummary:
    """Materialize every document of ``raw_dir`` and write the dataset to ``out_dir``."""
    os.environ["PIPELINE_RAW_DIR"] = str(raw_dir)
    os.environ["PIPELINE_OUT_DIR"] = str(out_dir)
    if offline:
        os.environ["PIPELINE_OFFLINE"] = "true"
    ensure_dagster_home()

    import dagster as dg

    from pipeline.core.layout import hash_file
    from pipeline.definitions import defs as load_defs
    from pipeline.defs.partitions import documents

    started = time.monotonic()
    summary = RunSummary()
    defs = load_defs()
    instance = dg.DagsterInstance.get()
    sources = list_sources(raw_dir)
    keys = [s.key for s in sources]
    known = set(instance.get_dynamic_partitions(documents.name))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(documents.name, new)
    gone = sorted(known - set(keys))
    for key in gone:
        instance.delete_dynamic_partition(documents.name, key)
    summary.removed = gone

    quiet = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
    job = defs.resolve_job_def("process_document")
    store = DocumentStore(out_dir / ".state")
    tags = {"launched_by": "cli", PID_TAG: str(os.getpid())}
    summary.recovered = recover(instance, out_dir)
    for line in summary.recovered:
        print(f"recovered from an interrupted run: {line}", file=out)
    print(f"{len(sources)} document(s) in {raw_dir}" + (f"; {len(gone)} removed" if gone else ""), file=out)
    for i, src in enumerate(sources, 1):
        label = f"[{i}/{len(sources)}] {src.relative}"
        try:
            sha = hash_file(src.path)
        except OSError as exc:  # deleted or unreadable since the listing: the others go on
            summary.failed_runs.append((src.key, f"could not read the file: {exc}"))
            print(f"{label}: could not read the file ({exc})", file=out, flush=True)
            continue
        if not force and is_current(store, src, sha):
            summary.skipped.append(src.key)
            doc = store.load("parsed_document", src.key, ParsedDocument)
            state = f" ({doc.status.value}: {doc.error_code})" if doc and doc.error_code else ""
            print(f"{label}: unchanged{state}, skipped", file=out, flush=True)
            continue
        t0 = time.monotonic()
        print(f"{label} ...", end="", file=out, flush=True)
        try:
            result = job.execute_in_process(
                partition_key=src.key,
                instance=instance,
                raise_on_error=False,
                run_config=quiet,
                tags={"source": src.relative, **tags},
            )
        except Exception as exc:  # a broken run must not stop the other documents
            summary.failed_runs.append((src.key, f"run could not be executed: {exc!r}"[:500]))
            print(f" run failed ({exc!r})"[:300], file=out, flush=True)
            continue
        summary.processed.append(src.key)
        doc = store.load("parsed_document", src.key, ParsedDocument)
        if not result.success:
            reason = _failure_reason(result) or "a step failed"
            summary.failed_runs.append((src.key, reason))
        status = doc.status.value if doc and doc.sha256 == sha else "failed"
        extra = f" ({doc.error})" if doc is not None and doc.error else ""
        print(f" {status}{extra} in {time.monotonic() - t0:.1f}s", file=out, flush=True)

    dataset_job = defs.resolve_job_def("build_dataset")
    result = dataset_job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=quiet, tags=tags
    )
    summary.dataset_ok = result.success
    if not result.success:
        summary.failed_runs.append(("claims_dataset", _failure_reason(result) or "dataset step failed"))
    summary.seconds = time.monotonic() - started
    print_summary(out_dir, summary, out)
    return summary


def _failure_reason(result: object) -> str | None:
    for event in getattr(result, "all_events", []):
        if event.event_type_value == "STEP_FAILURE":
            data = event.event_specific_data
            err = getattr(data, "error", None)
            while err is not None and err.cause is not None:  # Dagster wraps the real error
                err = err.cause
            message = err.message.strip().splitlines()[-1] if err and err.message.strip() else "failed"
            return f"{event.step_key}: {message}"
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed and data.severity.value == "ERROR":
                return f"check {data.check_name} failed: {data.description or ''}".strip()
    return None


def print_summary(out_dir: Path, summary: RunSummary, out: TextIO) -> None:
    if not summary.dataset_ok or not (out_dir / "documents.parquet").exists():
        print("dataset was not written; see the errors above", file=out)
        return
    docs = read_table(out_dir, "documents")
    checks = read_table(out_dir, "url_checks")
    header = f"{'document':40} {'status':9} {'pages':>5} {'notes':>5} {'markers':>7} {'claims':>6}  error"
    print("\n" + header + "\n" + "-" * len(header), file=out)
    for d in docs:
        print(
            f"{d['source_path'][:40]:40} {d['status']:9} {d['pages']:>5} {d['footnotes']:>5}"
            f" {d['markers']:>7} {d['claims']:>6}  {(d['error'] or '')[:60]}",
            file=out,
        )
    by_status: dict[str, int] = {}
    for c in checks:
        by_status[c["status"]] = by_status.get(c["status"], 0) + 1
    links = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items(), key=lambda kv: -kv[1])) or "none"
    print(f"\nlinks: {len(checks)} distinct URLs: {links}", file=out)
    reasons = {c["error"] for c in checks if c["status"] == "unverified" and c["error"]}
    for reason in sorted(reasons)[:3]:
        print(f"  unverified because: {reason}", file=out)
    for key, reason in summary.failed_runs:
        print(f"  run for {key} did not complete: {reason}", file=out)
    print(
        f"\n{len(summary.processed)} processed, {len(summary.skipped)} unchanged, "
        f"in {summary.seconds:.1f}s -> {out_dir}/",
        file=out,
    )
