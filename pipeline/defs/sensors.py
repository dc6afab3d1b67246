"""A sensor on raw/: new and changed files (by content hash) become runs; deleted ones leave."""

import hashlib
import json

import dagster as dg

from pipeline.core.dataset import SourceState, scan_sources
from pipeline.core.state import FINISHED, finish_document, is_current
from pipeline.defs.events import run_events, run_outcome
from pipeline.defs.jobs import build_dataset, process_document
from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig


@dg.sensor(
    jobs=[process_document, build_dataset],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Watches raw/ for .pdf and .txt files. Decides 'changed' by SHA-256; caps runs per tick. "
        "A deleted file's partition is removed and the dataset rebuilt without it."
    ),
)
def raw_documents_sensor(context: dg.SensorEvaluationContext, settings: PipelineConfig) -> dg.SensorResult:
    previous = {k: SourceState(**v) for k, v in json.loads(context.cursor or "{}").items()}
    scan = scan_sources(settings.raw_path, previous, limit=settings.max_runs_per_tick)
    known = set(context.instance.get_dynamic_partitions(documents.name))
    new_keys = sorted({src.key for src, _ in scan.changed} - known)
    gone = [k for k in scan.deleted if k in known]
    # Files `python -m pipeline run` already finished with this content and code need no run
    # (the first tick after `make run` + `make ui` would otherwise redo every document).
    store = settings.store()
    done = [src.key for src, sha in scan.changed if is_current(store, src, sha)]
    if done:
        context.log.info(f"{len(done)} file(s) already processed by the command line: no run needed")
    requests = [
        dg.RunRequest(
            job_name=process_document.name,
            partition_key=src.key,
            run_key=f"{src.key}:{sha[:16]}",
            tags={"source": src.relative},
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
    cursor = json.dumps({k: v.model_dump() for k, v in sorted(scan.state.items())}, separators=(",", ":"))
    if gone:
        # No document run follows a deletion, so nothing else would roll the dataset up again.
        state = hashlib.sha256(cursor.encode()).hexdigest()[:16]
        requests.append(
            dg.RunRequest(
                job_name=build_dataset.name,
                run_key=f"removed:{state}",
                tags={"removed": ",".join(gone)[:200]},
            )
        )
    if not requests and not partition_requests:
        return dg.SensorResult(skip_reason=dg.SkipReason("raw/ unchanged"), cursor=cursor)
    return dg.SensorResult(
        run_requests=requests, dynamic_partitions_requests=partition_requests, cursor=cursor
    )


# Materializes claims_dataset (its automation condition: any document updated, none in progress)
# after the runs the raw/ sensor and the weekly schedule start. Running by default, like the sensor.
automation = dg.AutomationConditionSensorDefinition(
    "automation_condition_sensor",
    target=dg.AssetSelection.all(),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
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
