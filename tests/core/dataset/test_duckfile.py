"""Writing a DuckDB file whole (pipeline/core/dataset/duckfile.py)."""

import duckdb
import pytest

from pipeline.core.dataset.duckfile import filled_database
from pipeline.core.errors import DatasetError


def _rows(path, table="t"):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT x FROM {table} ORDER BY x").fetchall()


def test_a_filled_file_is_renamed_in_whole_and_can_start_from_a_copy(tmp_path):
    first, second = tmp_path / "v1.duckdb", tmp_path / "v2.duckdb"
    with filled_database(first) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM range(3) r(x)")
    with filled_database(second, start_from=first) as con:
        con.execute("INSERT INTO t VALUES (10)")
    assert _rows(first) == [(0,), (1,), (2,)]  # the copy's source is left as it was
    assert _rows(second) == [(0,), (1,), (2,), (10,)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1.duckdb", "v2.duckdb"]  # no .wal, no temp


@pytest.mark.parametrize(
    ("case", "body", "error"),
    [
        ("duckdb_error_is_a_dataset_error", "SELECT * FROM no_such_table", DatasetError),
        ("other_errors_pass_through", None, ZeroDivisionError),
    ],
)
def test_a_failed_fill_publishes_nothing_and_keeps_the_old_file(tmp_path, case, body, error):
    path = tmp_path / "claims.duckdb"
    with filled_database(path) as con:
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with pytest.raises(error), filled_database(path, start_from=path) as con:
        con.execute("INSERT INTO t VALUES (2)")
        con.execute(body) if body else 1 / 0
    assert _rows(path) == [(1,)]
    assert [p.name for p in tmp_path.iterdir()] == ["claims.duckdb"]


def test_every_connection_of_the_roll_up_uses_one_thread(tmp_path):
    """Each DuckDB thread keeps its own buffers while reading the parts: with two, a roll-up of
    1,000 documents from scratch peaked 140 MiB higher, in about the same time."""
    from pipeline.core.dataset import corpus

    def threads(con) -> int:
        return con.execute("SELECT current_setting('threads')").fetchone()[0]

    with filled_database(tmp_path / "a.duckdb") as con:
        assert threads(con) == 1
        con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with corpus.connect() as con:
        assert threads(con) == 1
    with corpus.connect_database(tmp_path / "a.duckdb") as con:
        assert threads(con) == 1


def test_a_file_reopened_while_it_is_filled_keeps_what_was_written(tmp_path):
    """``reopen`` (between the tables of a build from scratch, so DuckDB gives back what it kept of
    the parts it read) checkpoints first: nothing written before it is lost, and the file is still
    renamed in only at the end."""
    path = tmp_path / "claims.duckdb"
    with filled_database(path) as con:
        con.execute("CREATE TABLE t AS SELECT * FROM range(2) r(x)")
        con.reopen()
        assert not path.exists()
        con.execute("CREATE TABLE u AS SELECT 5 AS x")
        con.reopen()
        con.execute("INSERT INTO t VALUES (9)")
    assert _rows(path) == [(0,), (1,), (9,)]
    assert _rows(path, "u") == [(5,)]
    assert [p.name for p in tmp_path.iterdir()] == ["claims.duckdb"]
