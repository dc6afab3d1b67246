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
documents and their step records) are those of the published version. These rules are the
run ledger's (``pipeline.core.state``); how a run ended is read from its Dagster events by
``pipeline.defs.events``.

``run_all`` goes in named steps: ``sync_partitions`` (one partition per file in raw/),
``run_document`` for each file (``skip_unchanged``, which may ``recheck_links``, or
``process_document``), then ``roll_up`` (the dataset) and ``print_summary``.
"""

import contextlib
import io
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.core.dataset import (
    DUCKDB_FILE,
    DocumentStore,
    SourceFile,
    list_sources,
    prune_versions,
    source_digest,
    summary_rows,
    warm_up,
)
from pipeline.core.fileio import pid_alive, remove_stale_temporaries
from pipeline.core.layout import start_parser
from pipeline.core.state import (
    FINISHED,
    dataset_inputs,
    dataset_is_current,
    finish_document,
    finished_run,
    is_current,
    links_were_offline,
    offline_urls,
    record_dataset_inputs,
)
from pipeline.defs.events import failure_reason, result_events, run_outcome

if TYPE_CHECKING:
    import dagster as dg

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: run tag with the id of the process that executes the run in-process, to spot killed runs
PID_TAG = "footnote_pipeline/pid"
#: the CLI's instance drops step stdout/stderr capture (see open_instance)
NO_COMPUTE_LOGS = {
    "compute_logs": {
        "module": "dagster._core.storage.noop_compute_log_manager",
        "class": "NoOpComputeLogManager",
    }
}
#: the instance of a worker process: pools are counted per run (``open_instance``)
POOLS_PER_RUN = {"concurrency": {"pools": {"granularity": "run"}}}
#: runs executed in-process keep their console quiet: the runner prints its own progress
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


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


def ensure_dagster_home() -> Path:
    """Use $DAGSTER_HOME, or ./.dagster with the project's dagster.yaml (as `make` does)."""
    home = Path(os.environ.get("DAGSTER_HOME") or PROJECT_ROOT / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    template = PROJECT_ROOT / "dagster.yaml"
    if not (home / "dagster.yaml").exists() and template.exists():
        shutil.copyfile(template, home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


#: in a Dagster home: the input folder whose documents its partitions are (one home, one raw/)
RAW_MARKER = "footnote_pipeline_raw_dir"


def home_for(home: Path, raw_dir: Path, out_dir: Path) -> tuple[Path, str | None]:
    """The Dagster home for a run on ``raw_dir``: ``home`` if it serves that folder (or none yet),
    else one of the output folder's own, so a run on another folder never deletes the main
    folder's partitions nor logs its runs there. Returns (home, a note for the user or None)."""
    raw = str(raw_dir.resolve())
    marker = home / RAW_MARKER
    try:
        served = marker.read_text().strip()
    except OSError:
        marker.write_text(raw + "\n")
        return home, None
    if served == raw:
        return home, None
    own = (out_dir / ".state" / "dagster").resolve()
    own.mkdir(parents=True, exist_ok=True)
    template = home / "dagster.yaml"
    if not (own / "dagster.yaml").exists() and template.exists():
        shutil.copyfile(template, own / "dagster.yaml")
    (own / RAW_MARKER).write_text(raw + "\n")
    os.environ["DAGSTER_HOME"] = str(own)
    return own, f"{home} serves {served}: this run on {raw} uses its own Dagster instance in {own}"


def open_instance(home: Path, *, pools_per_run: bool = False) -> "dg.DagsterInstance":
    """The instance in ``home`` as its dagster.yaml says, without compute-log capture.

    Dagster's local compute log manager starts two ``tail -F`` and two watcher processes for
    every step to copy its stdout/stderr into files for the UI; on the 10-document benchmark
    that made a CLI run about a third slower (BENCHMARKS.md, "End to end: where the time
    goes"). The CLI prints its own progress, and the structured event log (context.log,
    metadata, checks) still reaches the UI, so only the raw stdout/stderr tab of CLI runs is
    empty. Runs started from the UI or the daemon use the instance as configured and keep it.

    ``pools_per_run`` (the worker processes of ``--workers N``): the op pools (``nlp``,
    ``url_checks``) are not claimed inside these runs. The worker count bounds how many steps
    run at once (one spaCy model per worker), and the link checker's per-host limits are
    shared across processes (``core.urlcheck.limiter``), so a pool of 1 would only make N
    workers take turns at NLP. Runs from the UI and the daemon keep the pools.
    """
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef  # no public way to override one setting

    from pipeline.defs.storage import keep_engines, remember_partitions

    overrides = {**NO_COMPUTE_LOGS, **(POOLS_PER_RUN if pools_per_run else {})}
    instance = dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))
    keep_engines(instance)  # SQLite event-log connections kept open, not one per event
    remember_partitions(instance)
    return instance


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


@dataclass
class Session:
    """What the steps of one ``run_all`` share: the instance, the records, the summary, the jobs."""

    instance: "dg.DagsterInstance"
    store: DocumentStore
    summary: RunSummary
    out: TextIO
    tags: dict[str, str]
    #: the definitions, loaded once something has to run
    loaded: list[Any] = field(default_factory=list)
    #: the network was found still unreachable in this run (by a probe or a re-check), so no
    #: re-check is tried; None: not known yet
    still_offline: bool | None = None
    #: documents already checked in this run (``needs_run``): key -> (content hash, to process)
    checked: dict[str, tuple[str, bool]] = field(default_factory=dict)

    def job(self, name: str) -> Any:
        """The job ``name`` of the code location (loaded on first use)."""
        if not self.loaded:
            from pipeline.definitions import defs as load_defs

            self.loaded.append(load_defs())
        return self.loaded[0].resolve_job_def(name)

    def execute(self, name: str, src: SourceFile) -> Any:
        """Run the job ``name`` for one document, in this process, without raising on failure."""
        return self.job(name).execute_in_process(
            partition_key=src.key,
            instance=self.instance,
            raise_on_error=False,
            run_config=QUIET,
            tags={"source": src.relative, **self.tags},
        )

    def print(self, text: str, **kwargs: Any) -> None:
        print(text, file=self.out, **kwargs)


def sync_partitions(instance: "dg.DagsterInstance", keys: list[str]) -> list[str]:
    """Give every document in raw/ a partition and drop those of deleted files; returns the dropped."""
    from pipeline.defs.partitions import documents

    known = set(instance.get_dynamic_partitions(documents.name))
    new = [k for k in keys if k not in known]
    if new:
        instance.add_dynamic_partitions(documents.name, new)
    gone = sorted(known - set(keys))
    for key in gone:
        instance.delete_dynamic_partition(documents.name, key)
    return gone


def recheck_links(session: Session, src: SourceFile, sha: str) -> None:
    """Check the links of an unchanged document that were checked offline, not the whole document."""
    summary = session.summary
    try:
        result = session.execute("recheck_links", src)
    except Exception as exc:  # as for a document's run: the others go on
        summary.failed_runs.append((src.key, f"link re-check could not be executed: {exc!r}"[:500]))
        session.print(f" failed ({exc!r})"[:300], flush=True)
        return
    if result.success:
        summary.rechecked.append(src.key)
        session.still_offline = links_were_offline(session.store, src.key, sha)
        session.print(" still offline" if session.still_offline else " done", flush=True)
    else:
        summary.failed_runs.append((src.key, failure_reason(result_events(result)) or "link re-check failed"))
        session.print(" failed", flush=True)


def skip_unchanged(session: Session, src: SourceFile, sha: str, label: str, *, offline: bool) -> None:
    """An unchanged document is skipped; its links are re-checked if they were checked offline."""
    session.summary.skipped.append(src.key)
    done = finished_run(session.store, src.key)
    state = f" ({done.status.value}: {_shorten(done.reason)})" if done and done.reason else ""
    urls = [] if offline else offline_urls(session.store, src.key, sha)
    if not urls:
        session.print(f"{label}: unchanged{state}, skipped", flush=True)
        return
    if session.still_offline is None:
        # one probe of the hosts (DNS only, no run) tells whether a re-check could do anything;
        # without it every offline run would add a re-check run and a roll-up that change nothing
        from pipeline.core.urlcheck import network_is_down

        session.still_offline = network_is_down(urls)
    if session.still_offline:
        session.print(f"{label}: unchanged{state}, skipped (links not re-checked: still offline)", flush=True)
        return
    # An unchanged document whose links were never reachable: check them now (the
    # checker's history and TTL still spare what was checked), not the whole document.
    session.print(f"{label}: unchanged{state}, links were checked offline: re-checking ...", end="")
    recheck_links(session, src, sha)


@dataclass(frozen=True)
class DocumentRun:
    """How one document's run ended, for the progress line and the summary (sent back by workers)."""

    key: str
    #: the status documents.parquet will show, or "run failed" when it could not be executed
    status: str
    detail: str | None = None
    #: why the run did not complete (summary.failed_runs), None when it did
    failure: str | None = None
    executed: bool = True
    seconds: float = 0.0

    def line(self) -> str:
        """What the progress display prints after ``[i/n] name ...``."""
        if not self.executed:
            return f" run failed ({self.detail})"[:300]
        extra = f" ({_shorten(self.detail)})" if self.detail else ""
        return f" {self.status}{extra} in {self.seconds:.1f}s"


def execute_document(session: Session, src: SourceFile, sha: str) -> DocumentRun:
    """Run every step of one document, then write its finish marker."""
    t0 = time.monotonic()
    session.store.path(FINISHED, src.key).unlink(missing_ok=True)  # until this run has ended
    try:
        result = session.execute("process_document", src)
    except Exception as exc:  # a broken run must not stop the other documents
        return DocumentRun(
            src.key, "run failed", repr(exc), f"run could not be executed: {exc!r}"[:500], False
        )
    outcome = run_outcome(result_events(result))
    done = finish_document(session.store, src.key, sha, outcome)
    session.store.save(FINISHED, src.key, done)
    failure = None if result.success else (outcome.first_failure or "a step failed")
    return DocumentRun(src.key, done.status.value, done.reason, failure, True, time.monotonic() - t0)


def count_document(summary: RunSummary, run: DocumentRun) -> None:
    if run.executed:
        summary.processed.append(run.key)
    if run.failure:
        summary.failed_runs.append((run.key, run.failure))


def process_document(session: Session, src: SourceFile, sha: str, label: str) -> None:
    """Run every step of one document in this process, with its progress line."""
    session.print(f"{label} ...", end="", flush=True)
    run = execute_document(session, src, sha)
    count_document(session.summary, run)
    session.print(run.line(), flush=True)


def run_document(
    session: Session,
    src: SourceFile,
    label: str,
    *,
    offline: bool,
    force: bool,
    queue: list[tuple[SourceFile, str, str]] | None = None,
) -> None:
    """One document of raw/: skipped when its last run is current, else processed (or, with
    ``queue``, queued for a worker process)."""
    try:
        sha, todo = session.checked.pop(src.key, None) or check_source(session.store, src, force=force)
    except OSError as exc:  # deleted or unreadable since the listing: the others go on
        session.summary.failed_runs.append((src.key, f"could not read the file: {exc}"))
        session.print(f"{label}: could not read the file ({exc})", flush=True)
        return
    if not todo:
        skip_unchanged(session, src, sha, label, offline=offline)
        return
    if queue is not None:
        queue.append((src, sha, label))
        return
    process_document(session, src, sha, label)


def check_source(store: DocumentStore, src: SourceFile, *, force: bool) -> tuple[str, bool]:
    """The document's content hash, and whether it is to be processed (``force``, or its last
    run is not current). Raises ``OSError`` when the file cannot be read."""
    sha = source_digest(src)
    return sha, force or not is_current(store, src, sha)


def needs_run(
    store: DocumentStore, src: SourceFile, checked: dict[str, tuple[str, bool]], *, force: bool
) -> bool:
    """Whether this document will be processed (``check_source``, kept in ``checked`` for its
    turn in ``run_document``).

    Asked before the instance is opened, to know whether the parser will be needed; a file
    that cannot be read is left for ``run_document`` to report.
    """
    try:
        checked[src.key] = check_source(store, src, force=force)
    except OSError:
        return False
    return checked[src.key][1]


#: in a worker process of ``--workers N``: its own session (``start_worker``)
_WORKER: list[Session] = []


def start_worker(
    instance: "dg.DagsterInstance", out_dir: str, tags: dict[str, str], loaded: list[Any]
) -> None:
    """This worker's session: the parent's instance and definitions (forked, not opened again:
    opening an instance checks every storage's schema, about 1.4 s), its own record store."""
    import multiprocessing.util

    multiprocessing.util.Finalize(instance, instance.dispose, exitpriority=10)  # when the pool ends
    store = DocumentStore(Path(out_dir) / ".state")
    worker_tags = {**tags, PID_TAG: str(os.getpid())}  # a killed worker's runs are then recovered
    _WORKER[:] = [Session(instance, store, RunSummary(), io.StringIO(), worker_tags, loaded)]


def work_on_document(item: tuple[SourceFile, str]) -> DocumentRun:
    """In a worker process: one document's run (as ``process_document`` without the printing)."""
    src, sha = item
    return execute_document(_WORKER[0], src, sha)


def preload(session: Session) -> None:
    """Load the definitions and the spaCy model before forking, so no worker loads them again."""
    session.job("process_document")
    from pipeline.core.nlp import load_model
    from pipeline.core.settings import PipelineSettings

    with contextlib.suppress(Exception):  # a missing model: each document's claims step says so
        load_model(PipelineSettings().spacy_model)


def _size(item: tuple[SourceFile, str]) -> int:
    try:
        return item[0].path.stat().st_size
    except OSError:  # gone since the listing: its run says so
        return 0


def process_in_workers(session: Session, queued: list[tuple[SourceFile, str, str]], workers: int) -> None:
    """Run the queued documents ``workers`` at a time in forked processes; one progress line each
    as it ends, here in the parent."""
    if len(queued) <= 1 or workers <= 1:
        for src, sha, label in queued:
            process_document(session, src, sha, label)
        return
    from pipeline.workers import run_in_workers

    preload(session)
    labels = {src.key: label for src, _, label in queued}
    session.print(f"{len(queued)} document(s) to process, {min(workers, len(queued))} at a time", flush=True)
    args = (session.instance, str(session.store.root.parent), session.tags, session.loaded)
    # the largest files first, so that the last document to start is a short one
    items = sorted(((src, sha) for src, sha, _ in queued), key=_size, reverse=True)
    results = run_in_workers(work_on_document, items, min(workers, len(queued)), start_worker, args)
    for done, ((src, _), run, error) in enumerate(results, 1):
        if run is None:
            run = DocumentRun(src.key, "run failed", error, error, executed=False)
        count_document(session.summary, run)
        session.print(f"{labels[src.key]} ...{run.line()}", flush=True)
        if done == len(items) - min(workers, len(items)) + 1:
            warm_up()  # a core has no document left: the roll-up's imports, during the last runs


def roll_up(session: Session, out_dir: Path, keys: list[str], *, force: bool) -> None:
    """Write the dataset, unless it was built from exactly these documents and records."""
    summary = session.summary
    inputs = dataset_inputs(session.store, keys)  # before the build: a later change means rebuild
    if not force and dataset_is_current(out_dir, session.store, inputs):
        summary.dataset_ok = True
        session.print("dataset: no document changed since it was written, kept as it is")
        return
    result = session.job("build_dataset").execute_in_process(
        instance=session.instance, raise_on_error=False, run_config=QUIET, tags=session.tags
    )
    summary.dataset_ok = summary.dataset_rebuilt = result.success
    if result.success:
        record_dataset_inputs(out_dir, session.store, inputs)
    else:
        reason = failure_reason(result_events(result)) or "dataset step failed"
        summary.failed_runs.append(("claims_dataset", reason))


def run_all(
    raw_dir: Path,
    out_dir: Path,
    *,
    offline: bool = False,
    force: bool = False,
    out: TextIO = sys.stdout,
    only: list[str] | None = None,
    workers: int = 1,
) -> RunSummary:
    """Materialize every document of ``raw_dir`` and write the dataset to ``out_dir``.

    ``only`` (paths under ``raw_dir``): process just these files; the others keep their
    partitions and records, and the dataset still holds every document. ``workers``: documents
    processed at once, each in its own process (1: one after another in this process).
    """
    os.environ["PIPELINE_RAW_DIR"] = str(raw_dir)
    os.environ["PIPELINE_OUT_DIR"] = str(out_dir)
    if offline:
        os.environ["PIPELINE_OFFLINE"] = "true"
    home, note = home_for(ensure_dagster_home(), raw_dir, out_dir)

    started = time.monotonic()
    summary = RunSummary()
    sources = list_sources(raw_dir)
    todo = [s for s in sources if only is None or s.relative in only]
    store = DocumentStore(out_dir / ".state")
    checked: dict[str, tuple[str, bool]] = {}
    if any(needs_run(store, src, checked, force=force) for src in todo):
        start_parser()  # its imports then run on another core while this process imports Dagster
    # the worker processes share this instance (forked), with the pools counted per run
    instance = open_instance(home, pools_per_run=workers > 1)
    try:
        keys = [s.key for s in sources]
        gone = sync_partitions(instance, keys)
        summary.removed = gone
        tags = {"launched_by": "cli", PID_TAG: str(os.getpid())}
        session = Session(instance, store, summary, out, tags, checked=checked)

        if note:
            session.print(f"note: {note}")
        summary.recovered = recover(instance, out_dir)
        for line in summary.recovered:
            session.print(f"recovered from an interrupted run: {line}")
        session.print(f"{len(sources)} document(s) in {raw_dir}" + (f"; {len(gone)} removed" if gone else ""))
        missing = sorted(set(only or []) - {s.relative for s in todo})
        for name in missing:  # not a .pdf or .txt, or hidden
            session.print(f"{name}: not a document of {raw_dir} (only .pdf and .txt files are read), skipped")
        queue: list[tuple[SourceFile, str, str]] | None = [] if workers > 1 else None
        for i, src in enumerate(todo, 1):
            label = f"[{i}/{len(todo)}] {src.relative}"
            run_document(session, src, label, offline=offline, force=force, queue=queue)
        process_in_workers(session, queue or [], workers)
        roll_up(session, out_dir, keys, force=force)
        summary.seconds = time.monotonic() - started
    finally:  # closes the event-log files it kept open (defs.storage)
        instance.dispose()
    print_summary(out_dir, summary, out)
    return summary


def print_summary(out_dir: Path, summary: RunSummary, out: TextIO) -> None:
    database = out_dir / DUCKDB_FILE
    if not summary.dataset_ok or not (out_dir / "documents.parquet").exists() or not database.exists():
        print("dataset was not written; see the errors above", file=out)
        return
    rows = summary_rows(database)  # one file, not one per document
    header = f"{'document':40} {'status':9} {'pages':>5} {'notes':>5} {'markers':>7} {'claims':>6}  error"
    print("\n" + header + "\n" + "-" * len(header), file=out)
    for d in rows.documents:
        print(
            f"{d['source_path'][:40]:40} {d['status']:9} {d['pages']:>5} {d['footnotes']:>5}"
            f" {d['markers']:>7} {d['claims']:>6}  {(d['error'] or '')[:60]}",
            file=out,
        )
    by_status = rows.links_by_status
    links = ", ".join(f"{k} {v}" for k, v in sorted(by_status.items(), key=lambda kv: -kv[1])) or "none"
    print(f"\nlinks: {sum(by_status.values())} distinct URLs: {links}", file=out)
    for reason in rows.unverified_reasons:
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
