"""Arrow: claims.duckdb holds a copy of every table, survives a move, and is replaced only whole."""

import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.core import dataset
from pipeline.core.errors import DatasetError
from pipeline.core.models import TABLES
from tests.core.dataset.example import write_example


def test_claims_duckdb_holds_every_table(tmp_path):
    out, paths = write_example(tmp_path)
    assert paths["duckdb"] == out / "claims.duckdb"
    with duckdb.connect(str(paths["duckdb"]), read_only=True) as con:
        names = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        assert names == set(TABLES)
        for name in TABLES:
            (n,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert n == pq.read_table(paths[name]).num_rows


def test_claims_duckdb_works_after_the_folder_is_moved(tmp_path, monkeypatch):
    out, _ = write_example(tmp_path)
    moved = tmp_path / "elsewhere" / "copy"
    shutil.move(out, moved)
    monkeypatch.chdir(tmp_path)  # neither the old folder nor the new one is the working directory
    with duckdb.connect(str(moved / "claims.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM claim_sources").fetchone()[0] == 7


def test_a_failed_duckdb_write_keeps_the_previous_file(tmp_path):
    out, paths = write_example(tmp_path)
    before = paths["duckdb"].read_bytes()
    bad = {"claims": pa.table({"a": [1]}), 'bad"name': pa.table({"b": [2]})}
    with pytest.raises(DatasetError, match=r"claims\.duckdb"):
        dataset.write_duckdb(paths["duckdb"], bad)
    assert paths["duckdb"].read_bytes() == before
    assert not [p.name for p in out.iterdir() if p.name.startswith(".claims.duckdb")]


def test_the_written_files_match_the_contract_and_a_changed_column_is_named(tmp_path):
    out, _ = write_example(tmp_path)
    assert dataset.check_contract(out) == []
    part = dataset.part_path(out, "documents", "doc")  # one part of the table's folder
    table = pq.read_table(part)
    pq.write_table(table.drop(["title"]).set_column(0, "doc_id", pa.array([1], pa.int64())), part)
    where = "(documents.parquet/part-doc.parquet)"
    assert dataset.check_contract(out) == [
        f"documents.doc_id: type int64, contract says string {where}",
        f"documents.title: column missing {where}",
    ]


def test_read_table_gives_the_rows_as_dicts(tmp_path):
    out, _ = write_example(tmp_path)
    (doc,) = dataset.read_table(out, "documents")
    assert (doc["doc_id"], doc["status"], doc["footnotes"], doc["claims"]) == ("doc", "ok", 4, 6)
