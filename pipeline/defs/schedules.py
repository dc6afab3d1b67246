"""A weekly re-check of cited links; URLs checked within the TTL are skipped by the checker."""

import dagster as dg

from pipeline.core.settings import PipelineSettings
from pipeline.defs.jobs import recheck_links
from pipeline.defs.partitions import documents

RECHECK_CRON = PipelineSettings().recheck_cron


@dg.schedule(
    job=recheck_links,
    cron_schedule=RECHECK_CRON,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description=(
        "Re-checks the links of every processed document, weekly by default (PIPELINE_RECHECK_CRON). "
        "Only URLs whose last check is older than the TTL are fetched; the roll-up follows."
    ),
)
def weekly_link_recheck(context: dg.ScheduleEvaluationContext) -> dg.SkipReason | list[dg.RunRequest]:
    week = context.scheduled_execution_time.strftime("%G-W%V")
    keys = set(context.instance.get_dynamic_partitions(documents.name))
    # Documents stopped before their links were checked (failed parse, blocking check) have no
    # claims to re-check against: they come back when their file changes.
    checked = context.instance.get_materialized_partitions(dg.AssetKey("url_checks")) & keys
    if not checked:
        return dg.SkipReason("no document has had its links checked yet")
    return [dg.RunRequest(partition_key=k, run_key=f"recheck:{week}:{k}") for k in sorted(checked)]
