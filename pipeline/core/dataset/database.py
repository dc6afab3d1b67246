"""claims.duckdb: every table of a version in one DuckDB file, updated rather than rebuilt.

The file holds copies of the tables (not views over Parquet paths), so it keeps working when only
the file is shared. A new version starts from a copy of the previous version's file and replaces
the rows of the documents that changed (delete + insert from their new parts) and the corpus
tables, in one transaction; without a previous file it is built from every part, a batch of
parts at a time. Either way it is
written aside and renamed in, inside the private version folder (``versions``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from pipeline.core.dataset.duckfile import filled_database
from pipeline.core.dataset.parts import CORPUS_PART, part_path, table_dir
from pipeline.core.dataset.rows import CORPUS
from pipeline.core.models import TABLES


def _quote(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _update_table(con: Any, root: Path, name: str, doc_ids: Collection[str]) -> None:
    if name in CORPUS:
        con.execute(f'DELETE FROM "{name}"')
        con.execute(
            f'INSERT INTO "{name}" SELECT * FROM read_parquet({_quote(table_dir(root, name) / CORPUS_PART)})'
        )
        return
    ids = sorted(doc_ids)
    if not ids:
        return
    con.execute(f'DELETE FROM "{name}" WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))', [ids])
    files = [p for p in (part_path(root, name, d) for d in ids) if p.exists()]  # none for a removed one
    if files:
        listed = ", ".join(_quote(p) for p in files)
        con.execute(f'INSERT INTO "{name}" SELECT * FROM read_parquet([{listed}])')


def write_database(
    path: Path, root: Path, previous: Path | None = None, redo: Mapping[str, Collection[str]] | None = None
) -> None:
    """Write ``path`` for the version in ``root``: ``previous`` updated for the documents in
    ``redo`` (table -> doc_ids whose rows changed or left), or built from every part."""
    with filled_database(path, start_from=previous) as con:
        if previous is None:
            for name in TABLES:
                _build_table(con, root, name)
                con.reopen()  # what DuckDB kept of this table's parts is given back
            return
        con.execute("BEGIN TRANSACTION")
        for name in TABLES:
            _update_table(con, root, name, (redo or {}).get(name, ()))
        con.execute("COMMIT")


#: parts read by one INSERT when a table is built from scratch
BATCH = 100


def _build_table(con: Any, root: Path, name: str) -> None:
    """A table from every part, ``BATCH`` files at a time, each batch committed: DuckDB keeps
    something of every file one statement reads, so reading them all at once took memory in
    proportion to the corpus (the file is written aside, so a half-built one is never seen)."""
    files = sorted(table_dir(root, name).glob("*.parquet"))
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM read_parquet({_quote(files[0])}) LIMIT 0')
    for start in range(0, len(files), BATCH):
        listed = ", ".join(_quote(p) for p in files[start : start + BATCH])
        con.execute(f'INSERT INTO "{name}" SELECT * FROM read_parquet([{listed}])')
