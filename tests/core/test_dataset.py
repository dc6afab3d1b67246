import os

import pyarrow.parquet as pq
import pytest

from pipeline.core import dataset, fileio
from pipeline.core.models import TABLES, ClaimSet, DocumentStatus, NoteSplit, ParsedDocument


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path):
    path = tmp_path / "t.txt"
    fileio.write_text(path, "old")
    with pytest.raises(RuntimeError), fileio.atomic_open(path) as fh:
        fh.write("half of the new")
        raise RuntimeError("crash mid-write")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.txt"]  # no temporary file left behind


@pytest.mark.parametrize(
    "name,key",
    [
        ("article-libreoffice.pdf", "article-libreoffice.pdf"),
        ("sub/dir/report.pdf", "sub__dir__report.pdf"),
    ],
)
def test_safe_key_keeps_safe_names(name, key):
    assert dataset.safe_key(name) == key


def test_safe_key_makes_unsafe_names_safe_and_unique():
    a, b = dataset.safe_key("a b.pdf"), dataset.safe_key("a_b.pdf")
    assert a != b
    assert all(ch.isalnum() or ch in "._-" for ch in a)


def test_stale_step_records_do_not_mix_with_a_new_version():
    doc = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="new", kind="pdf", pages=1)
    old_split = NoteSplit(doc_id="d", sha256="old")
    old_claims = ClaimSet(doc_id="d", sha256="old")
    tables = dataset.build_tables([(doc, old_split, None, old_claims, None)])
    (row,) = tables["documents"]
    assert row.status == DocumentStatus.DEGRADED
    assert tables["claims"] == []


def test_write_dataset_writes_every_table_with_its_schema(tmp_path):
    doc = ParsedDocument(doc_id="d", source_path="d.pdf", sha256="s", kind="pdf", pages=2)
    paths = dataset.write_dataset(tmp_path, dataset.build_tables([(doc, None, None, None, None)]))
    assert set(paths) == {*TABLES, "duckdb"}
    table = pq.read_table(paths["documents"])
    assert table.num_rows == 1 and table.column("doc_id").to_pylist() == ["d"]
    assert (tmp_path / "schema" / "documents.json").exists()


def test_scan_sources_reports_new_changed_and_deleted_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("one")
    (raw / "b.pdf").write_bytes(b"%PDF-1.4")
    (raw / "ignored.docx").write_text("x")
    first = dataset.scan_sources(raw, {}, limit=10)
    assert sorted(s.key for s, _ in first.changed) == ["a.txt", "b.pdf"]
    again = dataset.scan_sources(raw, first.state, limit=10)
    assert again.changed == [] and again.deleted == []
    (raw / "a.txt").write_text("two, longer")
    os.utime(raw / "a.txt", ns=(1, 1))
    (raw / "b.pdf").unlink()
    third = dataset.scan_sources(raw, again.state, limit=10)
    assert [s.key for s, _ in third.changed] == ["a.txt"]
    assert third.deleted == ["b.pdf"]


def test_scan_sources_caps_the_changes_per_scan(tmp_path):
    for i in range(5):
        (tmp_path / f"{i}.txt").write_text(str(i))
    scan = dataset.scan_sources(tmp_path, {}, limit=2)
    assert len(scan.changed) == 2 and scan.deferred == 3
    rest = dataset.scan_sources(tmp_path, scan.state, limit=10)
    assert len(rest.changed) == 3
