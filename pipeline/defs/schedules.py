"""A weekly re-check of cited links; URLs checked within the TTL are skipped by the checker."""

import os

import dagster as dg

from pipeline.defs.jobs import recheck_links
from pipeline.defs.partitions import documents

RECHECK_CRON = os.environ.get("PIPELINE_RECHECK_CRON", "0 3 * * 1")  # Mondays 03:00


@dg.schedule(
    job=recheck_links,
    cron_schedule=RECHECK_CRON,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Re-checks the links of every document, weekly by default (PIPELINE_RECHECK_CRON).",
)
def weekly_link_recheck(context: dg.ScheduleEvaluationContext) -> list[dg.RunRequest]:
    week = context.scheduled_execution_time.strftime("%G-W%V")
    keys = context.instance.get_dynamic_partitions(documents.name)
    return [dg.RunRequest(partition_key=k, run_key=f"recheck:{week}:{k}") for k in sorted(keys)]
