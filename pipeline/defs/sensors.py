"""A sensor on raw/: new and changed files (by content hash) become runs; deleted ones leave.

Dagster skips a run request whose run key it has seen before, silently. A file copied in,
deleted and copied back, an edit reverted and made again, or raw/ returning to an earlier state
would repeat a key built from content alone, so every run key also carries the number of the
sensor's change (``seq`` in the cursor): each change to raw/ gets runs of its own. The number
only moves when the cursor does, so a tick that is evaluated again after a failure repeats its
keys and is deduplicated, as run keys are meant for.
"""

import json
import os

import dagster as dg

from pipeline.core.dataset import SourceState, part_documents, read_table, scan_sources
from pipeline.core.state import FINISHED, finish_document, is_current
from pipeline.defs.events import run_events, run_outcome
from pipeline.defs.jobs import build_dataset, process_document
from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig


def read_cursor(cursor: str | None) -> tuple[int, dict[str, SourceState]]:
    """(change number, state of raw/) from the cursor; a cursor of an older version has no number."""
    data = json.loads(cursor or "{}")
    files = data.get("files", data) if "seq" in data else data
    return int(data.get("seq", 0)), {k: SourceState(**v) for k, v in files.items()}


def published_documents(settings: PipelineConfig) -> set[str]:
    """The doc_ids of the published dataset (empty when there is none)."""
    table = settings.out_path / "documents.parquet"
    if not table.exists():
        return set()
    if table.resolve().is_dir():  # a folder of one part per document: named by their files
        return set(part_documents(table.resolve().parent))
    return {row["doc_id"] for row in read_table(settings.out_path, "documents")}  # before schema 1.4


def write_cursor(seq: int, state: dict[str, SourceState]) -> str:
    files = {k: v.model_dump() for k, v in sorted(state.items())}
    return json.dumps({"seq": seq, "files": files}, separators=(",", ":"))


@dg.sensor(
    jobs=[process_document, build_dataset],
    # tests set a short interval to drive a real daemon; 30 s keeps an idle UI quiet
    minimum_interval_seconds=int(os.environ.get("PIPELINE_SENSOR_INTERVAL", "30")),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches raw/ for .pdf and .txt files. Decides 'changed' by SHA-256; caps runs per tick. "
        "A deleted file's partition is removed and the dataset rebuilt without it."
    ),
)
def raw_documents_sensor(context: dg.SensorEvaluationContext, settings: PipelineConfig) -> dg.SensorResult:
    seq, previous = read_cursor(context.cursor)
    scan = scan_sources(settings.raw_path, previous, limit=settings.max_runs_per_tick)
    seq += 1  # kept only if this tick changes something (the cursor below)
    known = set(context.instance.get_dynamic_partitions(documents.name))
    new_keys = sorted({src.key for src, _ in scan.changed} - known)
    gone = [k for k in scan.deleted if k in known]
    # Files `python -m pipeline run` already finished with this content and code need no run
    # (the first tick after `make run` + `make ui` would otherwise redo every document). Only
    # files this sensor has not seen before: for a file it saw change, the finish marker may lag
    # behind a run the daemon just ended (the run-status sensor writes it later), so a revert
    # right after an edit would read the old marker as current and be skipped.
    store = settings.store()
    done = [src.key for src, sha in scan.changed if src.key not in previous and is_current(store, src, sha)]
    if done:
        context.log.info(f"already processed with this content, no run needed: {', '.join(done[:20])}")
    requests = [
        dg.RunRequest(
            job_name=process_document.name,
            partition_key=src.key,
            run_key=f"{src.key}:{sha[:16]}:{seq}",
            tags={"source": src.relative, "footnote_pipeline/change": str(seq)},
        )
        for src, sha in scan.changed
        if src.key not in done
    ]
    partition_requests: list = []
    if new_keys:
        partition_requests.append(documents.build_add_request(new_keys))
    if gone:
        partition_requests.append(documents.build_delete_request(gone))
    if scan.deferred:
        context.log.info(
            f"{scan.deferred} more file(s) wait for the next tick (cap {settings.max_runs_per_tick})"
        )
    readded = [k for k in new_keys if k in done and k not in published_documents(settings)]
    if gone or readded:
        # No document run follows a deletion (or a file put back as it was, whose records are
        # still there), so nothing else would roll the dataset up again.
        requests.append(
            dg.RunRequest(
                job_name=build_dataset.name,
                run_key=f"dataset:{seq}",
                tags={"removed": ",".join(gone)[:200], "restored": ",".join(readded)[:200]},
            )
        )
    if not requests and not partition_requests and scan.state == previous:
        return dg.SensorResult(skip_reason=dg.SkipReason("raw/ unchanged"), cursor=context.cursor)
    for request in requests:  # what was asked for, so a request that does not become a run shows
        context.log.info(f"run requested: {request.run_key}")
    if gone:
        context.log.info(f"removed from raw/: {', '.join(gone[:20])}")
    return dg.SensorResult(
        run_requests=requests,
        dynamic_partitions_requests=partition_requests,
        cursor=write_cursor(seq, scan.state),
    )


# Materializes claims_dataset (its automation condition: any document updated, none in progress)
# after the runs the raw/ sensor and the weekly schedule start. Running by default, like the sensor.
automation = dg.AutomationConditionSensorDefinition(
    "automation_condition_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=int(os.environ.get("PIPELINE_SENSOR_INTERVAL", "30")),
)


def record_finished_document(context: dg.RunStatusSensorContext, settings: PipelineConfig) -> None:
    """Write the finish marker `python -m pipeline run` writes for its own runs, for a UI or daemon
    run of one document, so the command line does not do that document again."""
    run = context.dagster_run
    key = run.tags.get("dagster/partition")
    if not key or run.tags.get("launched_by") == "cli":  # the command line marks its own runs
        return
    store = settings.store()
    done = finish_document(store, key, None, run_outcome(run_events(context.instance, run.run_id)))
    if not done.sha256:  # not even parsed: nothing is finished
        return
    store.save(FINISHED, key, done)
    context.log.info(f"{key}: finished {done.status.value}" + (f" ({done.reason})" if done.reason else ""))


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    monitored_jobs=[process_document],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks a document processed from the UI or the daemon as finished (as the CLI does).",
)
def document_run_succeeded(context: dg.RunStatusSensorContext, settings: PipelineConfig) -> None:
    record_finished_document(context, settings)


@dg.run_failure_sensor(
    monitored_jobs=[process_document],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks a document whose run stopped (failed step or blocking check) as finished, "
    "with the reason, so it is retried only when that is worth it.",
)
def document_run_failed(context: dg.RunFailureSensorContext, settings: PipelineConfig) -> None:
    record_finished_document(context, settings)
