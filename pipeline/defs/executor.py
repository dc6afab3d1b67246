"""The executor of runs launched from the UI or by the daemon (the CLI runs in-process)."""

import dagster as dg

from pipeline.core.settings import PipelineSettings


@dg.definitions
def executor() -> dg.Definitions:
    # The multiprocess executor isolates steps (a pdfminer crash cannot take the run down) but
    # costs about 2 s per step to start; PIPELINE_EXECUTOR=in_process trades that isolation away.
    settings = PipelineSettings()
    if settings.executor == "in_process":
        return dg.Definitions(executor=dg.in_process_executor)
    return dg.Definitions(
        executor=dg.multiprocess_executor.configured({"max_concurrent": settings.max_concurrent_steps})
    )
