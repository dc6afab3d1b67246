"""The runner's skip rules and its Dagster instance, without a full pipeline run (tests/test_cli.py
runs the command line end to end)."""

import datetime as dt
import os
from pathlib import Path

import dagster as dg
import pytest

from pipeline import runner
from pipeline.core.dataset import DocumentStore, SourceFile, current_version, write_dataset
from pipeline.core.fileio import write_text
from pipeline.core.models import SCHEMA_VERSION, DocumentStatus

KEY = "report.pdf"
SHA = "a" * 64


def source(tmp_path: Path) -> SourceFile:
    return SourceFile(key=KEY, relative=KEY, path=tmp_path / KEY, kind="pdf", size=1, mtime_ns=0)


def finished(**changes: object) -> runner.FinishedRun:
    fields = {
        "doc_id": KEY,
        "sha256": SHA,
        "schema_version": SCHEMA_VERSION,
        "pipeline_version": runner.pipeline_version(),
        "status": DocumentStatus.DEGRADED,
        "reason": "check markers_have_notes failed: 9 markers but no notes were found",
        "steps": ["parsed_document", "footnotes"],
        "finished_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    }
    return runner.FinishedRun(**{**fields, **changes})


# (case, marker written by the last run or None, step records on disk, skipped?)
SKIP_CASES = [
    ("finished, degraded by a blocking check", finished(), ["parsed_document", "footnotes"], True),
    (
        "finished, ok",
        finished(status=DocumentStatus.OK, reason=None, steps=["parsed_document"]),
        ["parsed_document"],
        True,
    ),
    (
        "finished, failed for good",
        finished(status=DocumentStatus.FAILED, steps=["parsed_document"]),
        ["parsed_document"],
        True,
    ),
    ("killed: no marker", None, ["parsed_document", "footnotes"], False),
    ("file changed", finished(sha256="b" * 64), ["parsed_document", "footnotes"], False),
    ("older schema", finished(schema_version="0.9.0"), ["parsed_document", "footnotes"], False),
    (
        "other pipeline code",
        finished(pipeline_version="0.0.1+000000000000"),
        ["parsed_document", "footnotes"],
        False,
    ),
    ("outcome worth retrying", finished(retry=True), ["parsed_document", "footnotes"], False),
    ("a step record was deleted since", finished(), ["parsed_document"], False),
]


@pytest.mark.parametrize(("case", "marker", "records", "skipped"), SKIP_CASES, ids=[c[0] for c in SKIP_CASES])
def test_is_current(tmp_path, case, marker, records, skipped):
    store = DocumentStore(tmp_path / ".state")
    for step in records:
        write_text(store.path(step, KEY), "{}")
    if marker is not None:
        store.save(runner.FINISHED, KEY, marker)
    assert runner.is_current(store, source(tmp_path), SHA) is skipped


def test_an_unreadable_marker_means_the_document_is_done_again(tmp_path):
    store = DocumentStore(tmp_path / ".state")
    write_text(store.path(runner.FINISHED, KEY), '{"doc_id": "report.pdf", "sha2')
    assert runner.finished_run(store, KEY) is None
    assert not runner.is_current(store, source(tmp_path), SHA)


def test_the_pipeline_version_names_the_release_and_the_code():
    release, _, digest = runner.pipeline_version().partition("+")
    assert release and len(digest) == 12 and int(digest, 16) >= 0


def test_a_failed_blocking_check_is_a_stop_and_a_raised_step_is_a_failure():
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

    result = dg.materialize([notes, claims, links, has_notes], raise_on_error=False)
    checks, raised = runner.run_problems(result)
    assert checks == ["check has_notes failed: 5 markers but no notes were found"]
    assert raised == ["links: ValueError: the real reason"]


def test_the_roll_up_is_kept_only_while_its_inputs_are_those_it_was_built_from(tmp_path):
    out = tmp_path / "out"
    store = DocumentStore(out / ".state")
    for key in ("a.pdf", "b.pdf"):
        for step in ("parsed_document", "footnotes"):
            write_text(store.path(step, key), "{}")
    write_dataset(out, {})
    inputs = runner.dataset_inputs(store, ["a.pdf", "b.pdf"])
    assert not runner.dataset_is_current(out, store, inputs)  # never recorded
    runner.record_dataset_inputs(out, store, inputs)
    assert runner.dataset_is_current(out, store, runner.dataset_inputs(store, ["a.pdf", "b.pdf"]))

    # a document deleted from raw/
    assert not runner.dataset_is_current(out, store, runner.dataset_inputs(store, ["a.pdf"]))
    # a record rewritten by another run (same bytes: a rename still makes a new file)
    write_text(store.path("footnotes", "b.pdf"), "{}")
    assert not runner.dataset_is_current(out, store, runner.dataset_inputs(store, ["a.pdf", "b.pdf"]))
    runner.record_dataset_inputs(out, store, inputs := runner.dataset_inputs(store, ["a.pdf", "b.pdf"]))
    assert runner.dataset_is_current(out, store, inputs)
    # another version published since (a UI run of claims_dataset)
    write_dataset(out, {})
    assert not runner.dataset_is_current(out, store, inputs)
    runner.record_dataset_inputs(out, store, inputs)
    assert runner.dataset_is_current(out, store, inputs)
    # a published file removed by hand
    os.remove(current_version(out) / "claims.parquet")
    assert not runner.dataset_is_current(out, store, inputs)


def test_cli_runs_do_not_capture_step_logs_but_the_ui_still_does(tmp_path, monkeypatch):
    from dagster._core.storage.noop_compute_log_manager import NoOpComputeLogManager

    (tmp_path / "dagster.yaml").write_text((runner.PROJECT_ROOT / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))  # the project's dagster.yaml reads it
    cli = runner.open_instance(tmp_path)
    ui = dg.DagsterInstance.from_config(str(tmp_path))  # what `dagster dev` opens
    try:
        assert isinstance(cli.compute_log_manager, NoOpComputeLogManager)
        assert not isinstance(ui.compute_log_manager, NoOpComputeLogManager)
        # same storage: the UI shows the CLI's runs
        assert cli.get_ref().storage_data == ui.get_ref().storage_data
    finally:
        cli.dispose()
        ui.dispose()
