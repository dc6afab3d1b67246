"""`python -m pipeline run` end to end, in a subprocess behind the loopback-only guard."""

import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from tests.conftest import RAW, guarded_env


@pytest.mark.slow
def test_run_writes_the_dataset_and_a_summary(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copyfile(RAW / "article-libreoffice.pdf", raw / "article-libreoffice.pdf")
    (raw / "bad.pdf").write_bytes(bytes(range(256)) * 20)
    out = tmp_path / "extracted"
    env = guarded_env(DAGSTER_HOME=str(tmp_path / "dagster_home"))
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "article-libreoffice.pdf" in proc.stdout and "failed" in proc.stdout
    assert "unverified" in proc.stdout  # no network here: links are unverified, not dead
    docs = {d["source_path"]: d for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert docs["bad.pdf"]["status"] == "failed"
    assert docs["article-libreoffice.pdf"]["status"] == "ok"
    statuses = set(pq.read_table(out / "url_checks.parquet").column("status").to_pylist())
    assert "dead" not in statuses

    again = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert again.returncode == 0
    assert "unchanged, skipped" in again.stdout


def test_missing_raw_folder_is_a_clear_error(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        env=guarded_env(),
    )
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr


def test_a_failed_step_is_reported_with_its_real_cause():
    import dagster as dg

    from pipeline.runner import _failure_reason

    @dg.asset
    def broken():
        raise ValueError("the real reason")

    result = dg.materialize([broken], raise_on_error=False)
    assert _failure_reason(result) == "broken: ValueError: the real reason"
