"""Atomic writes: temporary file then rename; the dataset's tables switch all at once."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest

from pipeline.core import dataset, fileio
from pipeline.core.dataset import parts
from pipeline.core.dataset.versions import _adopt_plain_files
from pipeline.core.models import TABLES, ParsedDocument
from tests.robustness.conftest import published_bytes


def tables_for(*doc_ids: str) -> dict:
    docs = [ParsedDocument(doc_id=d, source_path=f"{d}.pdf", sha256=d, kind="pdf", pages=1) for d in doc_ids]
    return dataset.build_tables([dataset.DocumentRecords(doc) for doc in docs])


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "t.txt"
    fileio.write_text(path, "old")
    with pytest.raises(RuntimeError), fileio.atomic_open(path) as fh:
        fh.write("half of the new")
        raise RuntimeError("crash mid-write")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]  # no temporary file left behind


def test_written_files_get_ordinary_permissions(tmp_path):
    """Regression: mkstemp made every output 0600, unreadable to the team's other accounts."""
    old = os.umask(0o022)
    try:
        fileio.write_text(tmp_path / "a.json", "{}")
        dataset.write_dataset(tmp_path / "out", tables_for("d"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.json").stat().st_mode) == 0o644
    assert stat.S_IMODE(dataset.part_path(tmp_path / "out", "documents", "d").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out" / "claims.duckdb").stat().st_mode) == 0o644


def test_tables_are_published_through_one_switch(tmp_path):
    out = tmp_path / "out"
    dataset.write_dataset(out, tables_for("a"))
    first = dataset.current_version(out)
    dataset.write_dataset(out, tables_for("a", "b"))
    second = dataset.current_version(out)
    assert first != second
    for name in TABLES:
        link = out / f"{name}.parquet"
        assert link.is_symlink() and os.readlink(link) == f".versions/current/{name}.parquet"
    assert pq.read_table(out / "documents.parquet").column("doc_id").to_pylist() == ["a", "b"]
    # the version just replaced stays one round for readers that resolved it a moment ago
    assert first is not None and first.is_dir()
    dataset.write_dataset(out, tables_for("c"))
    assert not first.exists()
    assert sorted(p.name for p in (out / ".versions").iterdir() if not p.is_symlink()) == sorted(
        [second.name, dataset.current_version(out).name]
    )


def test_a_failing_dataset_write_leaves_the_previous_dataset(tmp_path, monkeypatch):
    out = tmp_path / "out"
    dataset.write_dataset(out, tables_for("a"))
    before = published_bytes(out)
    real = parts.write_parquet
    written = []

    def fail_on_b(path, table):
        if path.name == "part-b.parquet":
            raise OSError(28, "No space left on device")
        written.append(f"{path.parent.name}/{path.name}")
        real(path, table)

    # patched where the parts are written: patching the package's re-export would miss it
    monkeypatch.setattr(parts, "write_parquet", fail_on_b)
    with pytest.raises(OSError):
        dataset.write_dataset(out, tables_for("a", "b"))
    assert "documents.parquet/part-a.parquet" in written  # new parts were staged...
    assert published_bytes(out) == before  # ...unseen
    assert len([p for p in (out / ".versions").iterdir() if not p.is_symlink()]) == 1  # stage removed


def test_a_dataset_of_plain_files_is_adopted_without_a_visible_change(tmp_path):
    """Outputs of earlier versions (plain files) become links to the same bytes first."""
    out = tmp_path / "out"
    out.mkdir()
    plain = {}
    for name, model in TABLES.items():
        dataset.write_parquet(out / f"{name}.parquet", dataset.to_arrow(model, tables_for("old")[name]))
        plain[name] = (out / f"{name}.parquet").read_bytes()
    _adopt_plain_files(out, [f"{n}.parquet" for n in TABLES])
    assert all((out / f"{n}.parquet").is_symlink() for n in TABLES)
    assert {name: (out / f"{name}.parquet").read_bytes() for name in TABLES} == plain
    dataset.write_dataset(out, tables_for("new"))
    assert pq.read_table(out / "documents.parquet").column("doc_id").to_pylist() == ["new"]


def test_temporary_files_of_dead_writers_are_removed_and_live_ones_kept(tmp_path):
    dead, live = dead_pid(), os.getpid()
    (tmp_path / "docs" / "d").mkdir(parents=True)
    stale = tmp_path / "docs" / "d" / f".claims.json.{dead}.0123abcd.tmp"
    fresh = tmp_path / "docs" / "d" / f".claims.json.{live}.89abcdef.tmp"
    other = tmp_path / "docs" / "d" / ".notes.tmp"  # not ours: left alone
    for path in (stale, fresh, other):
        path.write_text("partial")
    # regression: the link made to switch versions, left when killed before the rename
    link = tmp_path / f".current.{dead}.0123abcd.tmp"
    link.symlink_to("docs")
    assert sorted(fileio.remove_stale_temporaries(tmp_path)) == sorted([stale, link])
    assert not stale.exists() and not link.is_symlink() and fresh.exists() and other.exists()


def test_unfinished_versions_of_dead_writers_are_pruned(tmp_path):
    out = tmp_path / "out"
    dataset.write_dataset(out, tables_for("a"))
    orphan = out / ".versions" / f"v1-{dead_pid()}"
    busy = out / ".versions" / f"v2-{os.getppid()}"  # a live process (our parent) still writing
    orphan.mkdir()
    busy.mkdir()
    assert dataset.prune_versions(out) == [orphan.name]
    assert busy.exists() and dataset.current_version(out).exists()


def test_recovery_removes_only_versions_that_were_never_published(tmp_path):
    out = tmp_path / "out"
    dataset.write_dataset(out, tables_for("a"))
    dataset.write_dataset(out, tables_for("a", "b"))
    previous = [p.name for p in (out / ".versions").iterdir() if not p.is_symlink()]
    current = dataset.current_version(out).name
    (replaced,) = set(previous) - {current}
    unfinished = out / ".versions" / f"v{time.time_ns()}-{dead_pid()}"  # killed before its switch
    unfinished.mkdir()
    assert dataset.prune_versions(out, unfinished_only=True) == [unfinished.name]
    assert (out / ".versions" / replaced).is_dir()  # still there for readers of the old version
