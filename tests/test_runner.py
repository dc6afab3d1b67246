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


def test_a_run_on_another_folder_leaves_the_main_instance_alone(tmp_path, monkeypatch):
    """`python -m pipeline run --raw OTHER --out OTHER` must not delete the main folder's
    partitions (the UI's document list) nor log its runs there."""
    import io

    home, main_raw, other_raw = tmp_path / "home", tmp_path / "raw", tmp_path / "other"
    for folder in (home, main_raw, other_raw):
        folder.mkdir()
    (home / "dagster.yaml").write_text((runner.PROJECT_ROOT / "dagster.yaml").read_text())
    (main_raw / "main.txt").write_text("A brief\n\nThe council met in May 2021.\n")
    (other_raw / "other.txt").write_text("Another brief\n\nThe court ruled in June 2022.\n")
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    runner.run_all(main_raw, tmp_path / "out", offline=True, out=io.StringIO())
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    printed = io.StringIO()
    runner.run_all(other_raw, tmp_path / "other-out", offline=True, out=printed)
    assert "uses its own Dagster instance" in printed.getvalue()
    own = (tmp_path / "other-out" / ".state" / "dagster").resolve()
    monkeypatch.setenv("DAGSTER_HOME", str(home))  # the dagster.yaml's storage reads it
    with runner.open_instance(home) as main:
        assert main.get_dynamic_partitions(documents.name) == ["main.txt"]
        assert {r.tags.get("source") for r in main.get_runs()} <= {"main.txt", None}
    monkeypatch.setenv("DAGSTER_HOME", str(own))
    with runner.open_instance(own) as other:
        assert other.get_dynamic_partitions(documents.name) == ["other.txt"]
