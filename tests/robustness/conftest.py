"""Helpers to run the real command line (``python -m pipeline run``) and to read what it left.

Pipeline processes started here load tests/robustness/_faults/sitecustomize.py first: the
loopback-only network guard, plus an optional pause at an exact file rename so a test can
SIGKILL the process there.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.core.models import TABLES
from tests.conftest import guarded_env, pipeline_run

FAULTS_DIR = Path(__file__).parent / "_faults"
#: columns that are allowed to differ between two runs over the same inputs
VOLATILE = {"url_checks": {"checked_at", "elapsed_ms"}}


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = guarded_env(DAGSTER_HOME=str(home), **extra)
    env["PYTHONPATH"] = os.pathsep.join([str(FAULTS_DIR), env["PYTHONPATH"]])
    return env


def pipeline_args(raw: Path, out: Path, *extra: str) -> list[str]:
    return pipeline_run(raw, out, "--offline", *extra)


def run_pipeline(
    raw: Path, out: Path, home: Path, *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        pipeline_args(raw, out, *extra),
        capture_output=True,
        text=True,
        env={**cli_env(home), **(env or {})},
        timeout=900,
    )
    assert proc.returncode == 0, (
        f"pipeline run failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    )
    return proc


@contextmanager
def started_pipeline(raw: Path, out: Path, home: Path, **env: str) -> Iterator[subprocess.Popen]:
    """A pipeline run in the background (its own session, so cleanup can reach its children)."""
    proc = subprocess.Popen(
        pipeline_args(raw, out),
        env={**cli_env(home), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        # the process group is ours: it holds the run's fork server and parser children, if any
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc.stdout:
            proc.stdout.close()


def wait_for(predicate: Any, proc: subprocess.Popen, what: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            output = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"the run ended (code {proc.returncode}) before {what}:\n{output[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def read_dataset(out: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of the published dataset, rows sorted, volatile columns dropped."""
    tables = {}
    for name in TABLES:
        rows = pq.read_table(out / f"{name}.parquet").to_pylist()
        for row in rows:
            for column in VOLATILE.get(name, ()):
                row.pop(column, None)
        tables[name] = sorted(rows, key=repr)
    return tables


def published_bytes(out: Path) -> dict[str, bytes]:
    """The exact bytes a reader of ``<out>/<table>.parquet`` (a folder of parts) and claims.duckdb gets."""
    found = {"claims.duckdb": (out / "claims.duckdb").read_bytes()}
    for name in TABLES:
        for part in sorted((out / f"{name}.parquet").iterdir()):
            found[f"{name}.parquet/{part.name}"] = part.read_bytes()
    return found


@contextmanager
def open_instance(home: Path) -> Iterator[Any]:
    """The Dagster instance a run used, opened as the UI would (its dagster.yaml reads DAGSTER_HOME)."""
    import dagster as dg

    before = os.environ.get("DAGSTER_HOME")
    os.environ["DAGSTER_HOME"] = str(home)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            yield instance
    finally:
        if before is None:
            os.environ.pop("DAGSTER_HOME", None)
        else:
            os.environ["DAGSTER_HOME"] = before
