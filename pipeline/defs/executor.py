"""The executor of runs launched from the UI or by the daemon (the CLI runs in-process)."""

import dagster as dg

from pipeline.core.settings import PipelineSettings


@dg.definitions
def executor() -> dg.Definitions:
    # In-process by default: the multiprocess executor starts a process per step that imports
    # Dagster and loads the definitions again (3.5-5.6 s each under the daemon's 4 runs at once,
    # most of a document's run: bench.queue, BENCHMARKS.md). The step that can spin or crash,
    # the parser, already runs in a child process with a time limit and a memory cap, and a run
    # whose process died is retried (dagster.yaml run_retries). PIPELINE_EXECUTOR=multiprocess
    # isolates every step again.
    settings = PipelineSettings()
    if settings.executor == "in_process":
        return dg.Definitions(executor=dg.in_process_executor)
    return dg.Definitions(
        executor=dg.multiprocess_executor.configured({"max_concurrent": settings.max_concurrent_steps})
    )
