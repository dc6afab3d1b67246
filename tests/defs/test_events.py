"""Reading how a run ended from its Dagster events (the runner's results and the sensors' event logs)."""

import dagster as dg

from pipeline.core.state import RunOutcome
from pipeline.defs.events import failure_reason, result_events, run_events, run_outcome, run_problems


@dg.asset
def notes() -> int:
    return 0


@dg.asset_check(asset=notes, blocking=True)
def has_notes() -> dg.AssetCheckResult:
    return dg.AssetCheckResult(passed=False, description="5 markers but no notes were found")


@dg.asset(deps=[notes])
def claims() -> int:
    return 1


@dg.asset
def links() -> int:
    raise ValueError("the real reason")


def test_a_failed_blocking_check_is_a_stop_and_a_raised_step_is_a_failure():
    result = dg.materialize([notes, claims, links, has_notes], raise_on_error=False)
    checks, raised = run_problems(result_events(result))
    assert checks == ["check has_notes failed: 5 markers but no notes were found"]
    assert raised == ["links: the real reason"]


def test_a_failed_step_is_reported_with_its_real_cause():
    @dg.asset
    def broken():
        raise ValueError("the real reason")

    result = dg.materialize([broken], raise_on_error=False)
    assert failure_reason(result_events(result)) == "broken: the real reason"


def test_the_outcome_is_the_same_from_the_result_and_from_the_instance_event_log():
    with dg.instance_for_test() as instance:
        result = dg.materialize([notes, has_notes], instance=instance, raise_on_error=False)
        expected = RunOutcome(
            failed_checks=("check has_notes failed: 5 markers but no notes were found",),
            raised_steps=(),
            materialized=frozenset({"notes"}),
            first_failure="check has_notes failed: 5 markers but no notes were found",
        )
        assert run_outcome(result_events(result)) == expected
        assert run_outcome(run_events(instance, result.run_id)) == expected


def test_a_run_that_succeeded_has_no_failure():
    result = dg.materialize([notes, claims])
    assert run_outcome(result_events(result)) == RunOutcome(materialized=frozenset({"notes", "claims"}))


@dg.asset(
    check_specs=[
        dg.AssetCheckSpec("has_markers", asset="split", blocking=True),
        dg.AssetCheckSpec("has_body", asset="split", blocking=True),
    ]
)
def split():
    # checks evaluated in the asset's own step, as the pipeline's assets do (checks.SPECS)
    yield dg.Output(0)
    yield dg.AssetCheckResult(check_name="has_markers", passed=False, description="no markers")
    yield dg.AssetCheckResult(check_name="has_body", passed=False, description="no body text")


@dg.asset(deps=[split])
def after_split() -> int:
    return 1


def test_blocking_checks_in_the_asset_step_are_each_a_stop_and_the_step_is_not_a_failure():
    result = dg.materialize([split, after_split], raise_on_error=False)
    outcome = run_outcome(result_events(result))
    assert outcome.failed_checks == (
        "check has_markers failed: no markers",
        "check has_body failed: no body text",
    )
    assert outcome.raised_steps == ()
    assert outcome.materialized == frozenset({"split"})  # stored, and the downstream did not run
    assert outcome.first_failure == "check has_markers failed: no markers"
