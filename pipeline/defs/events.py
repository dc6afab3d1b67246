"""The one reader of Dagster events: how a run ended, for the runner and for the sensors.

A run's events (from an in-process execution result, or from the instance's event log for a
run launched from the UI or the daemon) become a plain ``RunOutcome`` that the run ledger
(``pipeline.core.state``) understands without importing Dagster.
"""

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pipeline.core.errors import plain_message
from pipeline.core.state import RunOutcome

if TYPE_CHECKING:
    import dagster as dg


def result_events(result: Any) -> list["dg.DagsterEvent"]:
    """Every event of an execution result (``execute_in_process``, ``materialize``)."""
    return list(getattr(result, "all_events", []))


def run_events(instance: "dg.DagsterInstance", run_id: str) -> list["dg.DagsterEvent"]:
    """Every event of a run, as the instance's event log holds them."""
    return [e.dagster_event for e in instance.all_logs(run_id) if e.dagster_event]


def _error_message(data: Any) -> str:
    err = getattr(data, "error", None)
    while err is not None and err.cause is not None:  # Dagster wraps the real error
        err = err.cause
    # a sentence for the run's summary and the finish marker; the event log keeps the traceback
    return plain_message(err.message.strip().splitlines()[-1]) if err and err.message.strip() else "failed"


def _failed_check(data: Any) -> str | None:
    """The line of a check evaluation that failed with ERROR severity, or None."""
    if not data.passed and data.severity.value == "ERROR":
        return f"check {data.check_name} failed: {data.description or ''}".strip()
    return None


def run_problems(events: Iterable["dg.DagsterEvent"]) -> tuple[list[str], list[str]]:
    """(checks that failed with ERROR severity, steps that raised), one line each, in order.

    A blocking check that fails makes the step that evaluated it (its asset's) fail too; that
    step is reported as the check, not as a step that raised: stopping there is the designed
    outcome.
    """
    checks: list[str] = []
    stopped: set[str] = set()
    raised: list[str] = []
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            if (line := _failed_check(event.event_specific_data)) is not None:
                checks.append(line)
                stopped.add(event.step_key)
        elif event.event_type_value == "STEP_FAILURE" and event.step_key not in stopped:
            raised.append(f"{event.step_key}: {_error_message(event.event_specific_data)}")
    return checks, raised


def failure_reason(events: Iterable["dg.DagsterEvent"]) -> str | None:
    """The first step that raised or check that failed with ERROR severity, one line; else None."""
    for event in events:
        if event.event_type_value == "STEP_FAILURE":
            return f"{event.step_key}: {_error_message(event.event_specific_data)}"
        if event.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        if (check := _failed_check(event.event_specific_data)) is not None:
            return check
    return None


def materialized_assets(events: Iterable["dg.DagsterEvent"]) -> frozenset[str]:
    """The assets (last part of their key) the events say were materialized."""
    return frozenset(
        event.asset_key.path[-1]
        for event in events
        if event.event_type_value == "ASSET_MATERIALIZATION" and event.asset_key is not None
    )


def run_outcome(events: Sequence["dg.DagsterEvent"]) -> RunOutcome:
    """How the run of these events ended, as the run ledger reads it."""
    checks, raised = run_problems(events)
    return RunOutcome(
        failed_checks=tuple(checks),
        raised_steps=tuple(raised),
        materialized=materialized_assets(events),
        first_failure=failure_reason(events),
    )
