"""The runner's Dagster instance and its steps, without a full pipeline run (tests/test_cli.py runs
the command line end to end; the skip rules are the run ledger's, tests/core/test_state.py)."""

import dagster as dg

from pipeline import runner
from pipeline.defs.partitions import documents


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


def test_partitions_follow_the_files_in_raw():
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions(documents.name, ["kept.pdf", "gone.pdf", "also-gone.txt"])
        gone = runner.sync_partitions(instance, ["kept.pdf", "new.txt"])
        assert gone == ["also-gone.txt", "gone.pdf"]
        assert sorted(instance.get_dynamic_partitions(documents.name)) == ["kept.pdf", "new.txt"]
        assert runner.sync_partitions(instance, ["kept.pdf", "new.txt"]) == []
