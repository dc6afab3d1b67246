import dagster as dg

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

    from pipeline.core.layout import hash_file
    from pipeline.runner import FINISHED, SCHEMA_VERSION, FinishedRun, pipeline_version

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
    assert [r.partition_key for r in first.run_requests] == ["new.txt"]
    (add,) = first.dynamic_partitions_requests
    assert sorted(add.partition_keys) == ["done.txt", "new.txt"]

    (raw_dir / "done.txt").write_text("Title\n\nChanged since the command line ran.\n")
    second = tick(instance, resources, first.cursor)
    assert [r.partition_key for r in second.run_requests] == ["done.txt"]
