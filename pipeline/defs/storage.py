"""The command line's instance keeps its SQLite event-log connections open, and syncs like WAL wants.

Dagster's SQLite event-log storage builds a new engine (``create_engine``) for every query and
disposes of it after; a document's run writes about 60 events, each to the run's own file and the
asset and check events to the index file too. Profiled on the 8-PDF benchmark (BENCHMARKS.md,
"Where a document's time goes"), building and disposing of engines, opening and closing the
connections (closing the last connection of a WAL file checkpoints it, with an fsync) and one
fsync per commit were most of the time spent storing events. So, for the runs of ``python -m
pipeline run`` only (``runner.open_instance``; the UI and the daemon open the instance as
configured):

- one engine per file, and its one connection kept open in a small pool, for the index file and
  the files of the last few runs (a run's file is written only while it runs; older engines are
  disposed of, so a long run holds no more than ``KEEP_ENGINES`` files open);
- a new run's file is a copy of an empty one made once per process, not made anew: creating the
  tables and indexes and stamping the schema version (alembic) took about 0.3 s per run;
- ``PRAGMA synchronous=NORMAL`` on these connections. Dagster puts the files in WAL mode, where
  NORMAL is SQLite's recommended setting: a commit is not synced, the WAL is at each checkpoint,
  and the file cannot be corrupted by a crash; a power cut may lose the last events, never the
  pipeline's records, which are files written atomically on their own.

Every query still runs under the storage's own lock, with the same busy timeout, so another
process (a worker, the UI) sees the same SQLite locking as before. A process forked from this one
(``--workers N``) keeps the engines but not the connections: SQLAlchemy's way for pools across
``fork``, so no SQLite connection is ever used by two processes.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME, SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy import event
from sqlalchemy.pool import NullPool, QueuePool

#: engines (files) kept open: the index file and the runs this process wrote last
KEEP_ENGINES = 4


def _normal_sync(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def empty_run_file(storage: SqliteEventLogStorage) -> bytes:
    """The bytes of a run's event-log file as Dagster creates it (tables, indexes, schema stamp,
    WAL mode), made once in a temporary folder by the storage's own code."""
    with tempfile.TemporaryDirectory(prefix="dagster-run-file-") as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'run.db'}", poolclass=NullPool)
        storage._initdb(engine)
        engine.dispose()  # the last connection closed: the WAL is checkpointed into the file
        return (Path(tmp) / "run.db").read_bytes()


def _create_from(template: bytes, path: str) -> bool:
    """Write ``template`` to ``path`` unless a file is there already (then False)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(template)
    except BaseException:
        os.unlink(path)  # never leave a half-written file for the next reader
        raise
    return True


def keep_engines(instance: Any) -> bool:
    """Make ``instance``'s SQLite event-log storage keep its connections; False if it is not SQLite."""
    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:  # PostgreSQL has its own pooled engine
        return False
    engines: OrderedDict[str, Any] = OrderedDict()
    guard = threading.Lock()
    template: list[bytes] = []

    def initialize(shard: str, engine: Any) -> None:
        if shard != INDEX_SHARD_NAME:
            if not template:
                template.append(empty_run_file(storage))
            if _create_from(template[0], storage.path_for_shard(shard)):
                return
        storage._initdb(engine)  # the index, or a file that exists already: checked as Dagster does

    def engine_for(shard: str) -> Any:
        with guard:
            engine = engines.pop(shard, None)
            if engine is None:
                engine = create_engine(
                    storage.conn_string_for_shard(shard),
                    poolclass=QueuePool,
                    pool_size=1,
                    max_overflow=2,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
                )
                event.listen(engine, "connect", _normal_sync)
            engines[shard] = engine  # the most recently used last
            while len(engines) > KEEP_ENGINES:
                engines.popitem(last=False)[1].dispose()
            return engine

    @contextmanager
    def connect(shard: str) -> Iterator[Any]:
        # as SqliteEventLogStorage._connect (dagster 1.13), with the engine and connection kept
        with storage._db_lock:
            engine = engine_for(shard)
            if shard not in storage._initialized_dbs:
                initialize(shard, engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose() -> None:
        with guard:
            while engines:
                engines.popitem()[1].dispose()
        original_dispose()

    def forget_connections() -> None:
        # in a forked worker: the parent's open connections are its own; new ones are opened here
        for engine in engines.values():
            engine.dispose(close=False)

    original_dispose = storage.dispose
    storage._connect = connect
    storage.dispose = dispose
    os.register_at_fork(after_in_child=forget_connections)
    return True


def remember_partitions(instance: Any) -> None:
    """Answer "is this a document's partition?" from memory once the database has said yes.

    Dagster asks it several times for every step of every run (about 1 s of the 8-PDF benchmark
    went to these queries). Only a yes is remembered, and this instance's own deletions forget
    it, so a partition this process has not seen deleted is asked again only until it is found.
    """
    storage = instance.event_log_storage
    known: set[tuple[str, str]] = set()
    ask, delete = storage.has_dynamic_partition, storage.delete_dynamic_partition

    def has_dynamic_partition(partitions_def_name: str, partition_key: str) -> bool:
        if (partitions_def_name, partition_key) in known:
            return True
        found = bool(ask(partitions_def_name, partition_key))
        if found:
            known.add((partitions_def_name, partition_key))
        return found

    def delete_dynamic_partition(partitions_def_name: str, partition_key: str) -> Any:
        known.discard((partitions_def_name, partition_key))
        return delete(partitions_def_name, partition_key)

    storage.has_dynamic_partition = has_dynamic_partition
    storage.delete_dynamic_partition = delete_dynamic_partition
