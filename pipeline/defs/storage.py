"""The command line's instance keeps one SQLAlchemy engine per SQLite file instead of one per query.

Dagster's SQLite event-log storage builds a new engine (``create_engine``) for every connection
and disposes of it after, and a document's run writes about 90 events, each one to three files
(the run's own, and the index for asset and check events). Profiled on the 8-PDF benchmark
(BENCHMARKS.md, "Where the time of a document goes"), building and disposing of engines was about
a third of the time spent storing events. With ``NullPool`` an engine holds no connection, so
keeping it changes nothing else: each query still opens and closes its own SQLite connection,
under the storage's own lock, with the same busy timeout. Only the runs of ``python -m pipeline
run`` use it (``runner.open_instance``); the UI and the daemon open the instance as configured.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage
from dagster._core.storage.sql import create_engine
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from sqlalchemy.pool import NullPool


def keep_engines(instance: Any) -> bool:
    """Make ``instance``'s SQLite event-log storage reuse its engines; False if it is not SQLite."""
    storage = instance.event_log_storage
    if type(storage) is not SqliteEventLogStorage:  # PostgreSQL has its own pooled engine
        return False
    engines: dict[str, Any] = {}
    guard = threading.Lock()

    def engine_for(shard: str) -> Any:
        with guard:
            engine = engines.get(shard)
            if engine is None:
                engine = create_engine(
                    storage.conn_string_for_shard(shard),
                    poolclass=NullPool,
                    connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS},
                )
                engines[shard] = engine
            return engine

    @contextmanager
    def connect(shard: str) -> Iterator[Any]:
        # as SqliteEventLogStorage._connect (dagster 1.13), with the engine kept
        with storage._db_lock:
            engine = engine_for(shard)
            if shard not in storage._initialized_dbs:
                storage._initdb(engine)
                storage._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    storage._connect = connect
    return True
