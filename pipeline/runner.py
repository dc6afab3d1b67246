"""Run the Dagster jobs in-process for every document in raw/ (what ``python -m pipeline run`` does).

The same assets, checks and resources the UI shows are executed, on the instance in
DAGSTER_HOME (``.dagster/`` by default), so ``make ui`` afterwards shows these runs.
"""

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from pipeline.core.dataset import DocumentStore, SourceFile, list_sources, read_table
from pipeline.core.models import CitationSet, ClaimSet, NoteSplit, ParsedDocument, UrlCheckSet

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STEPS: tuple[tuple[str, type], ...] = (
    ("parsed_document", ParsedDocument),
    ("footnotes", NoteSplit),
    ("citations", CitationSet),
    ("claims", ClaimSet),
    ("url_checks", UrlCheckSet),
)


@dataclass
class RunSummary:
    processed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed_runs: list[tuple[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
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


def is_current(store: DocumentStore, src: SourceFile, sha256: str) -> bool:
    """True when every step's record was made from this exact file content."""
    for step, model in STEPS:
        path = store.path(step, src.key)
        if not path.exists():
            return False
        try:
            record = model.model_validate_json(path.read_bytes())
        except ValueError:
            return False
        if record.sha256 != sha256:
            return False
    return True


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
    print(f"{len(sources)} document(s) in {raw_dir}" + (f"; {len(gone)} removed" if gone else ""), file=out)
    for i, src in enumerate(sources, 1):
        sha = hash_file(src.path)
        label = f"[{i}/{len(sources)}] {src.relative}"
        if not force and is_current(store, src, sha):
            summary.skipped.append(src.key)
            print(f"{label}: unchanged, skipped", file=out, flush=True)
            continue
        t0 = time.monotonic()
        print(f"{label} ...", end="", file=out, flush=True)
        result = job.execute_in_process(
            partition_key=src.key,
            instance=instance,
            raise_on_error=False,
            run_config=quiet,
            tags={"source": src.relative, "launched_by": "cli"},
        )
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
        instance=instance, raise_on_error=False, run_config=quiet, tags={"launched_by": "cli"}
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
            return f"{event.step_key}: {err.message.strip() if err else 'failed'}"
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
