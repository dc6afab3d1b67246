"""The command line's event-log storage (pipeline/defs/storage.py): same files as Dagster's own,
read by the UI as before, connections kept and reopened after a fork, partitions remembered."""

import os
import sqlite3

import dagster as dg
import pytest

from pipeline import runner
from pipeline.defs import storage
from pipeline.defs.partitions import documents


@dg.asset(partitions_def=documents)
def counted(context: dg.AssetExecutionContext) -> int:
    context.log.info(f"counting {context.partition_key}")
    return len(context.partition_key)


@pytest.fixture
def home(tmp_path, monkeypatch):
    (tmp_path / "dagster.yaml").write_text((runner.PROJECT_ROOT / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))  # the project's dagster.yaml reads it
    return tmp_path


def _schema(path) -> set[tuple[str, str, str]]:
    with sqlite3.connect(path) as con:
        rows = con.execute("select type, name, coalesce(sql, '') from sqlite_master").fetchall()
        version = con.execute("select version_num from alembic_version").fetchall()
        mode = con.execute("pragma journal_mode").fetchone()[0]
    return {*rows, ("alembic", str(version), ""), ("journal_mode", mode, "")}


def _materialize(instance, key: str) -> dg.ExecuteInProcessResult:
    instance.add_dynamic_partitions(documents.name, [key])
    return dg.materialize([counted], partition_key=key, instance=instance)


def test_a_run_file_copied_from_the_template_is_the_file_dagster_makes(home, tmp_path):
    cli = runner.open_instance(home)
    try:
        run_id = _materialize(cli, "a.pdf").run_id
        copied = cli.event_log_storage.path_for_shard(run_id)
    finally:
        cli.dispose()
    made = tmp_path / "made.db"
    ui = dg.DagsterInstance.from_config(str(home))
    try:
        ui.event_log_storage._initdb(storage.create_engine(f"sqlite:///{made}"))
    finally:
        ui.dispose()
    copied_schema, made_schema = _schema(copied), _schema(made)
    assert copied_schema == made_schema
    assert ("journal_mode", "wal", "") in copied_schema


def test_the_ui_reads_the_runs_the_cli_stored(home):
    cli = runner.open_instance(home)
    try:
        run_ids = [
            _materialize(cli, key).run_id for key in ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf")
        ]
    finally:
        cli.dispose()
    ui = dg.DagsterInstance.from_config(str(home))  # what `dagster dev` opens
    try:
        for run_id, key in zip(run_ids, ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf"), strict=True):
            messages = [e.user_message for e in ui.all_logs(run_id)]
            assert f"counting {key}" in messages
            assert ui.get_run_by_id(run_id).is_success
        materialized = ui.get_materialized_partitions(dg.AssetKey("counted"))
        assert materialized == {"a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf"}
    finally:
        ui.dispose()
    # disposed: every file was checkpointed and closed, no write-ahead log is left behind
    assert not list((home / "history" / "runs").glob("*.db-wal"))


def test_kept_connections_sync_as_wal_wants_and_few_files_stay_open(home):
    cli = runner.open_instance(home)
    try:
        for key in ("a.pdf", "b.pdf", "c.pdf", "d.pdf", "e.pdf", "f.pdf", "g.pdf"):
            _materialize(cli, key)
        with cli.event_log_storage.index_connection() as conn:
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
        fds = (os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd"))
        open_files = {path for path in fds if path.startswith(str(home))}
        # the index, the last runs' files (each with its WAL and shared-memory file), runs.db
        assert 0 < len(open_files) <= 3 * storage.KEEP_ENGINES + 3
    finally:
        cli.dispose()


def test_a_forked_process_opens_its_own_connections(home):
    cli = runner.open_instance(home)
    try:
        _materialize(cli, "parent.pdf")  # the parent holds open connections now
        pid = os.fork()
        if pid == 0:  # the child: a run through the inherited instance, then exit without cleanup
            code = 0 if _materialize(cli, "child.pdf").success else 1
            cli.dispose()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
        assert _materialize(cli, "parent-again.pdf").success  # the parent's connections still work
        assert cli.get_materialized_partitions(dg.AssetKey("counted")) == {
            "parent.pdf",
            "child.pdf",
            "parent-again.pdf",
        }
    finally:
        cli.dispose()


def test_remembered_partitions_follow_this_instance_and_find_others(home):
    cli = runner.open_instance(home)
    other = dg.DagsterInstance.from_config(str(home))
    try:
        cli.add_dynamic_partitions(documents.name, ["a.pdf"])
        assert cli.has_dynamic_partition(documents.name, "a.pdf")
        cli.delete_dynamic_partition(documents.name, "a.pdf")
        assert not cli.has_dynamic_partition(documents.name, "a.pdf")
        assert not cli.has_dynamic_partition(documents.name, "b.pdf")
        other.add_dynamic_partitions(documents.name, ["b.pdf"])  # added by another process
        assert cli.has_dynamic_partition(documents.name, "b.pdf")
    finally:
        other.dispose()
        cli.dispose()


def test_the_project_instance_queues_runs_as_the_readme_says(home):
    """dagster.yaml is valid for Dagster, and its run queue is the one README.md describes: 2 runs at
    once (on 2 cores, 8 PDFs were published fastest so, bench.queue --max-runs), polled every second."""
    instance = dg.DagsterInstance.get()
    try:
        queue = instance.get_concurrency_config().run_queue_config
        assert queue is not None and queue.max_concurrent_runs == 2
        assert instance.run_coordinator.inst_data.config_dict["dequeue_interval_seconds"] == 1
    finally:
        instance.dispose()
    readme = (runner.PROJECT_ROOT / "README.md").read_text()
    assert "**Run queue**: at most 2 runs in progress" in readme
