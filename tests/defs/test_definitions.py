import dagster as dg
import pytest

from pipeline.definitions import defs


def test_definitions_load_with_every_asset_check_sensor_and_schedule():
    d = defs()
    assert isinstance(d, dg.Definitions)
    keys = {k.to_user_string() for k in d.resolve_all_asset_keys()}
    assert keys == {"parsed_document", "footnotes", "citations", "claims", "url_checks", "claims_dataset"}
    checks = {k.name for k in d.get_repository_def().asset_graph.asset_check_keys}
    assert checks == {
        "text_extracted",
        "markers_have_notes",
        "notes_have_markers",
        "document_not_empty",
        "dead_link_share",
        "unconfirmed_deaths",
        "parquet_matches_contract",
    }
    assert d.resolve_sensor_def("raw_documents_sensor")
    assert d.resolve_sensor_def("automation_condition_sensor")
    assert d.resolve_schedule_def("weekly_link_recheck").cron_schedule == "0 3 * * 1"
    for job in ("process_document", "build_dataset", "recheck_links"):
        assert d.resolve_job_def(job)


def test_loading_definitions_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys; from pipeline.definitions import defs; defs(); print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_the_recheck_schedule_reads_its_cron_from_the_settings():
    import subprocess
    import sys

    from pipeline.core.settings import PipelineSettings
    from tests.conftest import guarded_env

    assert PipelineSettings().recheck_cron == "0 3 * * 1"  # Mondays 03:00
    code = "from pipeline.defs.schedules import weekly_link_recheck as s; print(s.cron_schedule)"
    env = guarded_env(PIPELINE_RECHECK_CRON="30 4 * * 2")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "30 4 * * 2"


@pytest.mark.parametrize(
    ("setting", "executor"),
    [
        (None, "in_process"),  # a process per step cost most of a daemon run (bench.queue)
        ("in_process", "in_process"),
        ("multiprocess", "multiprocess"),  # every step isolated again, on request
    ],
)
def test_runs_from_the_ui_and_the_daemon_use_the_executor_of_the_settings(monkeypatch, setting, executor):
    if setting is None:
        monkeypatch.delenv("PIPELINE_EXECUTOR", raising=False)
    else:
        monkeypatch.setenv("PIPELINE_EXECUTOR", setting)
    for job in ("process_document", "build_dataset", "recheck_links"):
        assert defs().resolve_job_def(job).executor_def.name == executor
