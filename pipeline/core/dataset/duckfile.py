"""Writing a DuckDB file whole: filled aside, checkpointed, checked, renamed in.

Both DuckDB files of a version go through here (``arrow.write_duckdb``, a file built from tables
in memory, and ``database.write_database``, claims.duckdb built or updated from the parts).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pipeline.core.errors import DatasetError
from pipeline.core.fileio import atomic_path

#: DuckDB settings of every connection the roll-up opens. One thread: each of DuckDB's threads
#: keeps its own buffers while it reads the parts, and a roll-up of 1,000 documents from scratch
#: peaked at 452 MiB with two threads against 312 MiB with one, in about the same time
#: (BENCHMARKS.md, "Incremental roll-up"). A memory limit was tried too: it saved little more,
#: and a low one made DuckDB fail the roll-up (out of memory) rather than use more.
CONFIG = {"threads": 1}


def connect(path: Path | None = None, *, read_only: bool = False) -> Any:
    """A DuckDB connection with the roll-up's settings: in memory, or the file ``path``."""
    import duckdb

    return duckdb.connect(":memory:" if path is None else str(path), read_only=read_only, config=CONFIG)


class FillingDatabase:
    """The connection to a DuckDB file being filled (``filled_database``); any connection method
    (``execute``, ``sql``, ``register`` ...) goes to it."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._con = connect(path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._con, name)

    def reopen(self) -> None:
        """Checkpoint, close and connect again: DuckDB then gives back what it kept of the files a
        statement read. Building claims.duckdb from 1,000 documents' parts peaked 28 MiB above a
        build from 200 in one connection, 11 MiB with one connection per table (BENCHMARKS.md,
        ``python -m bench.rollup --steps``)."""
        self._con.execute("CHECKPOINT")
        self._con.close()
        self._con = connect(self._path)

    def close(self) -> None:
        self._con.close()


@contextmanager
def filled_database(path: Path, start_from: Path | None = None) -> Iterator[FillingDatabase]:
    """A connection to a new DuckDB file that becomes ``path`` once the ``with`` body has filled
    it (a copy of ``start_from`` first, if given). The file is checkpointed and closed before it
    is renamed in; a DuckDB error is a ``DatasetError``, and a write-ahead log left beside the file
    (its last changes not in it) is refused rather than published."""
    import duckdb

    with atomic_path(path) as tmp:
        tmp.unlink()  # DuckDB creates its own file; an empty one is not a database
        if start_from is not None:
            shutil.copyfile(start_from, tmp)
        try:
            con = FillingDatabase(tmp)
            try:
                yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
        except duckdb.Error as exc:
            raise DatasetError(f"could not write {path.name}: {exc}") from exc
        if tmp.with_name(tmp.name + ".wal").exists():
            raise DatasetError(f"{path.name}: DuckDB left a write-ahead log; the file may be incomplete")
