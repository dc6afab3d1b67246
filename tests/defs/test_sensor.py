import dagster as dg
import pytest

from pipeline.defs.partitions import documents
from pipeline.defs.resources import PipelineConfig
from pipeline.defs.sensors import raw_documents_sensor


def tick(instance, resources, cursor=None):
    ctx = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"settings": resources["settings"]}
    )
    return raw_documents_sensor(ctx)


def test_sensor_requests_runs_for_new_changed_and_removes_deleted(instance, resources, raw_dir):
    (raw_dir / "a.txt").write_text("Title\n\nBody.\n")
    (raw_dir / "b.pdf").write_bytes(b"%PDF-1.4 not much")
    first = tick(instance, resources)
    assert sorted(r.partition_key for r in first.run_requests) == ["a.txt", "b.pdf"]
    assert all(r.run_key.startswith(r.partition_key + ":") for r in first.run_requests)
    (add,) = first.dynamic_partitions_requests
    assert sorted(add.partition_keys) == ["a.txt", "b.pdf"]
    instance.add_dynamic_partitions(documents.name, list(add.partition_keys))

    unchanged = tick(instance, resources, first.cursor)
    assert not unchanged.run_requests

    (raw_dir / "a.txt").write_text("Title\n\nA different body.\n")
    (raw_dir / "b.pdf").unlink()
    third = tick(instance, resources, unchanged.cursor)
    runs = [(r.job_name, r.partition_key) for r in third.run_requests]
    assert runs == [("process_document", "a.txt"), ("build_dataset", None)]  # the roll-up drops b.pdf
    (delete,) = third.dynamic_partitions_requests
    assert isinstance(delete, dg.DeleteDynamicPartitionsRequest) and list(delete.partition_keys) == ["b.pdf"]


def test_sensor_caps_runs_per_tick(instance, resources, raw_dir):
    for i in range(7):
        (raw_dir / f"{i}.txt").write_text(f"doc {i}")
    settings = PipelineConfig(
        raw_dir=str(raw_dir), out_dir=resources["settings"].out_dir, max_runs_per_tick=3
    )
    first = tick(instance, {"settings": settings})
    assert len(first.run_requests) == 3
    second = tick(instance, {"settings": settings}, first.cursor)
    assert len(second.run_requests) == 3


def test_files_the_command_line_already_finished_get_a_partition_but_no_run(instance, resources, raw_dir):
    import datetime as dt

    from pipeline.core.fileio import hash_file
    from pipeline.core.models import SCHEMA_VERSION
    from pipeline.core.state import FINISHED, FinishedRun, pipeline_version

    (raw_dir / "done.txt").write_text("Title\n\nBody.\n")
    (raw_dir / "new.txt").write_text("Title\n\nAnother body.\n")
    marker = FinishedRun(
        doc_id="done.txt",
        sha256=hash_file(raw_dir / "done.txt"),
        schema_version=SCHEMA_VERSION,
        pipeline_version=pipeline_version(),
        status="ok",
        finished_at=dt.datetime.now(dt.UTC),
    )
    resources["settings"].store().save(FINISHED, "done.txt", marker)
    first = tick(instance, resources)
    assert [r.partition_key for r in first.run_requests if r.job_name == "process_document"] == ["new.txt"]
    # no dataset holds done.txt yet, so the roll-up is asked for (it is not re-parsed)
    assert [r.tags["restored"] for r in first.run_requests if r.job_name == "build_dataset"] == ["done.txt"]
    (add,) = first.dynamic_partitions_requests
    assert sorted(add.partition_keys) == ["done.txt", "new.txt"]

    (raw_dir / "done.txt").write_text("Title\n\nChanged since the command line ran.\n")
    second = tick(instance, resources, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["done.txt"]


@pytest.mark.parametrize("notes_cut_off", [False, True])
def test_a_document_run_from_the_ui_is_marked_finished_like_a_cli_run(
    instance, resources, raw_dir, notes_cut_off
):
    from pipeline.core.dataset import list_sources
    from pipeline.core.fileio import hash_file
    from pipeline.core.state import finished_run, is_current
    from pipeline.defs.sensors import document_run_failed, document_run_succeeded
    from tests.defs.test_materialize import materialize_docs
    from tests.test_cli import NOTES_CUT_OFF

    text = (
        NOTES_CUT_OFF.read_text() if notes_cut_off else "A Brief\n\nThe port grew by 12%.¹\n\n1 Port, 2022.\n"
    )
    (raw_dir / "brief.txt").write_text(text, encoding="utf-8")
    (result,), _ = materialize_docs(instance, resources, ["brief.txt"])
    assert result.success is not notes_cut_off  # the blocking check stops the degraded one
    run = instance.get_run_by_id(result.run_id)
    status = dg.DagsterEventType.RUN_FAILURE if notes_cut_off else dg.DagsterEventType.RUN_SUCCESS
    (event,) = [e.dagster_event for e in instance.all_logs(run.run_id, of_type=status)]
    sensor = document_run_failed if notes_cut_off else document_run_succeeded
    ctx = dg.build_run_status_sensor_context(
        sensor_name=sensor.name, dagster_event=event, dagster_instance=instance, dagster_run=run
    )
    sensor(ctx.for_run_failure() if notes_cut_off else ctx, settings=resources["settings"])

    store = resources["settings"].store()
    done = finished_run(store, "brief.txt")
    assert done is not None and done.status.value == ("degraded" if notes_cut_off else "ok")
    stopped = "check markers_have_notes failed: 5 markers but no notes were found"
    assert done.reason == (stopped if notes_cut_off else None)
    (src,) = list_sources(raw_dir)
    assert is_current(store, src, hash_file(src.path))  # `python -m pipeline run` skips it now


def test_sensor_goes_on_past_awkward_entries_of_raw(instance, resources, raw_dir, tmp_path):
    import os

    (raw_dir / "sub").mkdir()
    (raw_dir / "sub" / "a.txt").write_text("Title\n\nOne.\n")
    (raw_dir / "sub__a.txt").write_text("Title\n\nTwo.\n")
    (raw_dir / os.fsdecode(b"caf\xe9.txt")).write_text("Title\n\nThree.\n")
    (raw_dir / "leak.txt").symlink_to(tmp_path / "elsewhere.txt")
    (tmp_path / "elsewhere.txt").write_text("not to be read")
    (raw_dir / "dangling.pdf").symlink_to(tmp_path / "gone.pdf")
    (raw_dir / "x.pdf").mkdir()
    first = tick(instance, resources)
    keys = [r.partition_key for r in first.run_requests]
    assert len(keys) == len(set(keys)) == 6  # one run each, on distinct partitions
    sources = {r.tags["source"] for r in first.run_requests}
    assert "caf\\xe9.txt" in sources and {"sub/a.txt", "sub__a.txt"} <= sources
    (add,) = first.dynamic_partitions_requests
    instance.add_dynamic_partitions(documents.name, list(add.partition_keys))
    assert not tick(instance, resources, first.cursor).run_requests  # the next tick is calm too


def test_run_keys_never_repeat_when_raw_returns_to_an_earlier_state(instance, resources, raw_dir):
    """Dagster skips a request whose run key it has seen: re-adding, reverting and re-editing
    and deleting back to an earlier state must each give new keys."""
    seen: list[str] = []
    cursor = None

    def step() -> list:
        nonlocal cursor
        result = tick(instance, resources, cursor)
        cursor = result.cursor
        for request in result.dynamic_partitions_requests or []:
            if isinstance(request, dg.AddDynamicPartitionsRequest):
                instance.add_dynamic_partitions(documents.name, list(request.partition_keys))
            else:
                for key in request.partition_keys:
                    instance.delete_dynamic_partition(documents.name, key)
        runs = [(r.job_name, r.partition_key) for r in result.run_requests]
        seen.extend(r.run_key for r in result.run_requests)
        return runs

    doc = raw_dir / "a.txt"
    doc.write_text("Title\n\nFirst.\n")
    assert step() == [("process_document", "a.txt")]
    doc.unlink()
    assert step() == [("build_dataset", None)]
    doc.write_text("Title\n\nFirst.\n")  # copied back as it was
    assert step() == [("process_document", "a.txt")]
    doc.write_text("Title\n\nSecond.\n")
    assert step() == [("process_document", "a.txt")]
    doc.write_text("Title\n\nFirst.\n")  # reverted
    assert step() == [("process_document", "a.txt")]
    doc.write_text("Title\n\nSecond.\n")  # and edited again
    assert step() == [("process_document", "a.txt")]
    doc.unlink()
    assert step() == [("build_dataset", None)]
    assert len(seen) == len(set(seen)) == 7
    assert step() == []  # nothing changed: no request, the cursor stays
