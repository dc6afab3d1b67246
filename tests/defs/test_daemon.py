"""The raw/ sensor against a real Dagster daemon: every change to raw/ is handled.

``dagster-daemon run`` in a subprocess, on its own DAGSTER_HOME, ticks the raw/ sensor and the
automation sensor (every 2 s here, PIPELINE_SENSOR_INTERVAL) and launches the runs. A file
deleted and copied back, an edit reverted and made again, and a deletion that returns raw/ to an
earlier state must each reach the dataset and the reports; Dagster skips a run request whose
run key it has seen, so these are exactly the changes that were lost before.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT, guarded_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
DAEMON = Path(sys.executable).parent / "dagster-daemon"
WAIT = float(os.environ.get("DAEMON_TEST_WAIT", "240"))


def _documents(out: Path) -> dict[str, str]:
    """doc_id -> sha256 of the published dataset ({} before the first roll-up)."""
    try:
        rows = pq.read_table(out / "documents.parquet", columns=["doc_id", "sha256"]).to_pylist()
    except (OSError, ValueError):
        return {}
    return {r["doc_id"]: r["sha256"] for r in rows}


def _wait_for(what: str, ok: Callable[[], bool], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if ok():
            return
        time.sleep(1)
    shown = [
        ln
        for ln in log.read_text().splitlines()
        if "AssetDaemon" not in ln and "code location name" not in ln
    ]
    pytest.fail(f"the daemon did not get there in {WAIT:g}s: {what}\n" + "\n".join(shown[-60:]))


@pytest.fixture
def daemon(tmp_path: Path) -> Iterator[tuple[Path, Path, Path]]:
    raw, out, home = tmp_path / "raw", tmp_path / "extracted", tmp_path / "home"
    raw.mkdir()
    home.mkdir()
    shutil.copyfile(ROOT / "dagster.yaml", home / "dagster.yaml")
    env = guarded_env(
        DAGSTER_HOME=str(home),
        PIPELINE_RAW_DIR=str(raw),
        PIPELINE_OUT_DIR=str(out),
        PIPELINE_OFFLINE="true",
        PIPELINE_EXECUTOR="in_process",
        PIPELINE_SENSOR_INTERVAL="2",
    )
    log = tmp_path / "daemon.log"
    with log.open("w") as fh:
        proc = subprocess.Popen(
            [str(DAEMON), "run", "-m", "pipeline.definitions"],
            cwd=ROOT,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        yield raw, out, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _text(body: str) -> str:
    return f"A brief\n\n{body} The ministry said on 4 May 2023 that exports rose by 12 percent.\n"


def test_every_change_to_raw_reaches_the_dataset_and_the_reports(daemon):
    raw, out, log = daemon
    a, b = raw / "a.txt", raw / "b.txt"
    a.write_text(_text("First version."))
    b.write_text(_text("Another document."))

    def has(expected: dict[str, bytes]) -> Callable[[], bool]:
        import hashlib

        want = {k: hashlib.sha256(v).hexdigest() for k, v in expected.items()}
        reports = {f"{k}.html" for k in want}
        return lambda: (
            _documents(out) == want and {p.name for p in (out / "reports").glob("*.html")} == reports
        )

    first, second = a.read_bytes(), _text("Second version.").encode()
    _wait_for("a and b processed", has({"a.txt": first, "b.txt": b.read_bytes()}), log)
    saved_b = b.read_bytes()
    b.unlink()
    _wait_for("b deleted, its report too", has({"a.txt": first}), log)
    b.write_bytes(saved_b)  # copied back as it was: the same run key as its first run
    _wait_for("b copied back", has({"a.txt": first, "b.txt": saved_b}), log)
    a.write_bytes(second)
    _wait_for("a edited", has({"a.txt": second, "b.txt": saved_b}), log)
    a.write_bytes(first)
    _wait_for("a reverted", has({"a.txt": first, "b.txt": saved_b}), log)
    a.write_bytes(second)
    _wait_for("a edited again", has({"a.txt": second, "b.txt": saved_b}), log)
    b.unlink()  # raw/ returns to the state of the "a edited" step
    _wait_for("b deleted again, its report too", has({"a.txt": second}), log)
