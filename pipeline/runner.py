"""Run the Dagster jobs in-process for every document in raw/ (what ``python -m pipeline run`` does).

The same assets, checks and resources the UI shows are executed, on the instance in
DAGSTER_HOME (``.dagster/`` by default), so ``make ui`` afterwards shows these runs.

Crash safety: every record and dataset file is written atomically, so a run killed at any
point leaves the previous dataset readable. The next run tidies up after the dead one (its
temporary files, its unfinished dataset version, its runs still marked as started) and
resumes.

What is skipped: when a document's run ends, whatever the outcome (ok, degraded, failed, or
stopped by a blocking check), the runner writes ``<out>/.state/docs/<key>/finished.json`` (a
``FinishedRun``: content hash, schema and pipeline versions, final status). The marker is
deleted before a run starts and written only after it ended, so a run killed half-way leaves
none and the document is done again. The dataset roll-up is skipped too when its inputs (the
documents and their step records) are those of the published version.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import BaseModel, ValidationError

from pipeline.core.dataset import (
    DUCKDB_FILE,
    DocumentStore,
    SourceFile,
    current_version,
    document_rows,
    list_sources,
    prune_versions,
    read_table,
)
from pipeline.core.errors import RETRYABLE_CODES
from pipeline.core.fileio import pid_alive, remove_stale_temporaries, write_text
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

if TYPE_CHECKING:
    import dagster as dg

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
#: the per-document marker, stored like a step record: <state>/docs/<key>/finished.json
FINISHED = "finished"
#: what the last successful roll-up was built from: <state>/dataset_inputs.json
DATASET_INPUTS = "dataset_inputs.json"
#: the CLI's instance drops step stdout/stderr capture (see open_instance)
NO_COMPUTE_LOGS = {
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
}


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


@dataclass
class RunSummary:
    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed_runs: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    rechecked: list[str] = field(default_factory=list)
    dataset_ok: bool = False
    dataset_rebuilt: bool = False
    seconds: float = 0.0


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
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*package.glob("core/*.py"), *package.glob("defs/*.py")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{release}+{digest.hexdigest()[:12]}"


def ensure_dagster_home() -> Path:
    """Use $DAGSTER_HOME, or ./.dagster with the project's dagster.yaml (as `make` does)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    template = PROJECT_ROOT / "dagster.yaml"
    if not (home / "dagster.yaml").exists() and template.exists():
        shutil.copyfile(template, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def open_instance(home: Path) -> "dg.DagsterInstance":
    """The instance in ``home`` as its dagster.yaml says, without compute-log capture.

    Dagster's local compute log manager starts two ``tail -F`` and two watcher processes for
    every step to copy its stdout/stderr into files for the UI; on the 10-document benchmark
    that made a CLI run about a third slower (BENCHMARKS.md, "End to end: where the time
    goes"). The CLI prints its own progress, and the structured event log (context.log,
    metadata, checks) still reaches the UI, so only the raw stdout/stderr tab of CLI runs is
    empty. Runs started from the UI or the daemon use the instance as configured and keep it.
    """
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef  # no public way to override one setting

    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=NO_COMPUTE_LOGS))


def _record(store: DocumentStore, step: str, key: str, model: "type[BaseModel]", sha256: str) -> Any:
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


def _error_message(data: Any) -> str:
    err = getattr(data, "error", None)
    while err is not None and err.cause is not None:  # Dagster wraps the real error
        err = err.cause
    return err.message.strip().splitlines()[-1] if err and err.message.strip() else "failed"


def run_problems(result: Any) -> tuple[list[str], list[str]]:
    """(checks that failed with ERROR severity, steps that raised), one line each, in order.

    A blocking check that fails makes its check step fail too; that step is reported as the
    check, not as a step that raised: stopping there is the designed outcome.
    """
    checks: dict[str, str] = {}
    raised: list[str] = []
    for event in getattr(result, "all_events", []):
        data = event.event_specific_data
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            if not data.passed and data.severity.value == "ERROR":
                checks[event.step_key] = f"check {data.check_name} failed: {data.description or ''}".strip()
        elif event.event_type_value == "STEP_FAILURE" and event.step_key not in checks:
            raised.append(f"{event.step_key}: {_error_message(data)}")
    return list(checks.values()), raised


def _failure_reason(result: object) -> str | None:
    for event in getattr(result, "all_events", []):
        if event.event_type_value == "STEP_FAILURE":
            return f"{event.step_key}: {_error_message(event.event_specific_data)}"
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed and data.severity.value == "ERROR":
                return f"check {data.check_name} failed: {data.description or ''}".strip()
    return None


def finish_document(store: DocumentStore, key: str, sha256: str | None, result: Any) -> FinishedRun:
    """The outcome of a document's run that just ended, as documents.parquet will show it.

    The status is the dataset's own rule (``document_rows`` on this content's records); the
    reason names what stopped the document (a failed check, a step that raised) before the
    parser's own note.
    """
    checks, raised = run_problems(result)
    if sha256 is None:  # a run launched elsewhere (UI, daemon): the content it parsed
        doc = store.load("parsed_document", key, ParsedDocument)
        sha256 = doc.sha256 if doc else ""
    else:
        doc = _record(store, "parsed_document", key, ParsedDocument, sha256)
    materialized = {
        event.asset_key.path[-1]
        for event in getattr(result, "all_events", [])
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key is not None
    }
    steps = [step for step, _ in STEPS if step in materialized and store.path(step, key).exists()]
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
    if retry and reason:
        reason += "; retried on the next run"
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
    """What the roll-up reads, as cheap facts: versions, documents, and every step record's
    identity (inode, size, mtime; records are replaced by rename, so a rewrite changes them)."""
    docs = {}
    for key in sorted(keys):
        seen = []
        for step, _ in STEPS:
            try:
                st = store.path(step, key).stat()
            except OSError:
                continue
            seen.append([step, st.st_ino, st.st_size, st.st_mtime_ns])
        docs[key] = seen
    return {
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": pipeline_version(),
        "documents": docs,
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
    version = current_version(out_dir)
    if version is not None:
        write_text(store.root / DATASET_INPUTS, json.dumps({**inputs, "version": version.name}))


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


def _shorten(text: str, width: int = 200) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
    home = ensure_dagster_home()

    from pipeline.core.fileio import hash_file
    from pipeline.defs.partitions import documents

    started = time.monotonic()
    summary = RunSummary()
    instance = open_instance(home)
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
    loaded: list[Any] = []  # the definitions, loaded once something has to run

    def job(name: str) -> Any:
        if not loaded:
            from pipeline.definitions import defs as load_defs

            loaded.append(load_defs())
        return loaded[0].resolve_job_def(name)

    store = DocumentStore(out_dir / ".state")
    tags = {"launched_by": "cli", PID_TAG: str(os.getpid())}

    def execute(name: str, src: SourceFile) -> Any:
        return job(name).execute_in_process(
            partition_key=src.key,
            instance=instance,
            raise_on_error=False,
            run_config=quiet,
            tags={"source": src.relative, **tags},
        )

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
            done = finished_run(store, src.key)
            state = f" ({done.status.value}: {_shorten(done.reason)})" if done and done.reason else ""
            if offline or not links_were_offline(store, src.key, sha):
                print(f"{label}: unchanged{state}, skipped", file=out, flush=True)
                continue
            # An unchanged document whose links were never reachable: check them now (the
            # checker's history and TTL still spare what was checked), not the whole document.
            print(f"{label}: unchanged{state}, links were checked offline: re-checking ...", end="", file=out)
            try:
                result = execute("recheck_links", src)
            except Exception as exc:  # as for a document's run: the others go on
                summary.failed_runs.append((src.key, f"link re-check could not be executed: {exc!r}"[:500]))
                print(f" failed ({exc!r})"[:300], file=out, flush=True)
                continue
            if result.success:
                summary.rechecked.append(src.key)
                again = "still offline" if links_were_offline(store, src.key, sha) else "done"
                print(f" {again}", file=out, flush=True)
            else:
                summary.failed_runs.append((src.key, _failure_reason(result) or "link re-check failed"))
                print(" failed", file=out, flush=True)
            continue
        t0 = time.monotonic()
        print(f"{label} ...", end="", file=out, flush=True)
        store.path(FINISHED, src.key).unlink(missing_ok=True)  # until this run has ended
        try:
            result = execute("process_document", src)
        except Exception as exc:  # a broken run must not stop the other documents
            summary.failed_runs.append((src.key, f"run could not be executed: {exc!r}"[:500]))
            print(f" run failed ({exc!r})"[:300], file=out, flush=True)
            continue
        summary.processed.append(src.key)
        done = finish_document(store, src.key, sha, result)
        store.save(FINISHED, src.key, done)
        if not result.success:
            reason = _failure_reason(result) or "a step failed"
            summary.failed_runs.append((src.key, reason))
        extra = f" ({_shorten(done.reason)})" if done.reason else ""
        print(f" {done.status.value}{extra} in {time.monotonic() - t0:.1f}s", file=out, flush=True)

    inputs = dataset_inputs(store, keys)  # before the build: a later change means rebuild
    if not force and dataset_is_current(out_dir, store, inputs):
        summary.dataset_ok = True
        print("dataset: no document changed since it was written, kept as it is", file=out)
    else:
        result = job("build_dataset").execute_in_process(
            instance=instance, raise_on_error=False, run_config=quiet, tags=tags
        )
        summary.dataset_ok = summary.dataset_rebuilt = result.success
        if result.success:
            record_dataset_inputs(out_dir, store, inputs)
        else:
            summary.failed_runs.append(("claims_dataset", _failure_reason(result) or "dataset step failed"))
    summary.seconds = time.monotonic() - started
    print_summary(out_dir, summary, out)
    return summary


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
    if summary.rechecked:
        print(f"links re-checked for {len(summary.rechecked)} unchanged document(s)", file=out)
    print(f"reports: {out_dir / 'reports'}/<doc_id>.html (python -m pipeline report DOC)", file=out)
    print(
        f"\n{len(summary.processed)} processed, {len(summary.skipped)} unchanged, "
        f"in {summary.seconds:.1f}s -> {out_dir}/",
        file=out,
    )
