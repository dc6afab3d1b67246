"""`python -m pipeline run --workers N`: documents in worker processes, one shared host limit.

Real parts: the command line in a subprocess behind the loopback-only guard, the real spaCy
model, real PDFs, and a real HTTP server on 127.0.0.2 that counts the requests in flight itself.
"""

import itertools
import re
import shutil
import subprocess

import dagster as dg
import pyarrow.parquet as pq

from tests.conftest import RAW, ROOT, guarded_env, pipeline_run
from tests.core.urlcheck.counting import counting_server

PROGRESS = re.compile(r"^\[\d+/\d+\] (?P<name>.+?) \.\.\. (?P<status>\w+)(?: \(.*\))? in [\d.]+s$", re.M)
SUMMARY = re.compile(r"^(?P<processed>\d+) processed, (?P<unchanged>\d+) unchanged, in", re.M)
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"
DOCS, URLS = 3, 5


def brief(n: int, port: int) -> str:
    """A text brief whose notes cite URLs on the counting server, under /d<n>/."""
    body = " ".join(
        f"The port handled {10 + i} million tonnes in 20{10 + i}.{SUPERSCRIPTS[i]}" for i in range(URLS)
    )
    notes = "\n".join(
        f'{i + 1} Port Authority, "Annual Report {2010 + i}", 20{11 + i}, http://127.0.0.2:{port}/d{n}/{i}'
        for i in range(URLS)
    )
    return f"Brief number {n}\n\n{body}\n\n{notes}\n"


def run(raw, out, env, *extra: str) -> str:
    proc = subprocess.run(
        pipeline_run(raw, out, *extra), capture_output=True, text=True, env=env, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return proc.stdout


def runs_by_source(home) -> dict[str, str]:
    """{document: pid of the process that executed its process_document run}, from the instance."""
    (home / "dagster.yaml").write_text((ROOT / "dagster.yaml").read_text())
    with dg.DagsterInstance.from_config(str(home)) as instance:
        return {
            r.tags["source"]: r.tags["footnote_pipeline/pid"]
            for r in instance.get_runs()
            if r.job_name == "process_document"
        }


def test_workers_check_links_at_once_within_one_per_host_limit(tmp_path, monkeypatch):
    raw, out, home = tmp_path / "raw", tmp_path / "extracted", tmp_path / "home"
    raw.mkdir()
    with counting_server(delay=0.2) as (port, counts):
        for n in range(DOCS):
            (raw / f"brief-{n}.txt").write_text(brief(n, port), encoding="utf-8")
        env = guarded_env(
            DAGSTER_HOME=str(home),
            PIPELINE_URL_ALLOW_PRIVATE='["127.0.0.2/32"]',
            PIPELINE_URL_ARCHIVE_LOOKUP="false",
            PIPELINE_URL_PER_HOST_LIMIT="1",
            PIPELINE_URL_PER_HOST_INTERVAL="0.15",
        )
        printed = run(raw, out, env, "--workers", str(DOCS))
    assert f"{DOCS} document(s) to process, {DOCS} at a time" in printed
    assert sorted(m["name"] for m in PROGRESS.finditer(printed)) == [f"brief-{n}.txt" for n in range(DOCS)]
    checks = pq.read_table(out / "url_checks.parquet").to_pylist()
    assert [c["status"] for c in checks] == ["ok"] * (DOCS * URLS), [
        (c["status"], c["error"]) for c in checks
    ]
    # one limit for the host across all workers, as the server counted it
    assert counts.max_in_flight == {"127.0.0.2": 1}
    assert counts.min_gap("127.0.0.2") >= 0.15 * 0.6
    # while documents' link checks overlapped in time: they ran at once, in different processes
    spans = sorted(counts.span("127.0.0.2", f"/d{n}/") for n in range(DOCS))
    assert any(later[0] < earlier[1] for earlier, later in itertools.pairwise(spans))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    pids = runs_by_source(home)
    assert sorted(pids) == [f"brief-{n}.txt" for n in range(DOCS)]
    assert len(set(pids.values())) == DOCS  # each document in its own worker process
    assert (out / ".state" / "host_limits.sqlite").exists()


def test_workers_write_the_same_dataset_as_one_process_and_skip_what_is_done(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("article-twocolumn.pdf", "article-seed.txt"):
        shutil.copyfile(RAW / name, raw / name)
    shutil.copyfile(
        ROOT.parent / "shared" / "corpus" / "real" / "csg_obesity_news_article.pdf", raw / "csg.pdf"
    )
    one, two = tmp_path / "one", tmp_path / "two"
    first = run(raw, two, guarded_env(DAGSTER_HOME=str(tmp_path / "home2")), "--offline", "--workers", "2")
    assert "3 document(s) to process, 2 at a time" in first
    run(raw, one, guarded_env(DAGSTER_HOME=str(tmp_path / "home1")), "--offline", "--workers", "1")
    for table in ("documents", "footnotes", "citations", "claims", "entities", "url_checks"):
        a, b = pq.read_table(one / f"{table}.parquet"), pq.read_table(two / f"{table}.parquet")
        drop = [c for c in a.column_names if c in {"links_checked_at", "checked_at", "elapsed_ms"}]
        assert a.drop_columns(drop).to_pylist() == b.drop_columns(drop).to_pylist(), table
    again = run(raw, two, guarded_env(DAGSTER_HOME=str(tmp_path / "home2")), "--offline")
    assert SUMMARY.search(again)["processed"] == "0"
    assert "to process" not in again and "kept as it is" in again


def test_a_killed_worker_fails_its_documents_and_the_next_run_recovers_them(tmp_path):
    import signal
    import time

    import psutil

    raw, out = tmp_path / "raw", tmp_path / "extracted"
    raw.mkdir()
    for n in range(3):
        shutil.copyfile(RAW / "article-twocolumn.pdf", raw / f"copy-{n}.pdf")
    env = guarded_env(DAGSTER_HOME=str(tmp_path / "home"))
    cmd = pipeline_run(raw, out, "--offline", "--workers", "2")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        killed = None
        deadline = time.monotonic() + 300
        while killed is None and time.monotonic() < deadline and proc.poll() is None:
            children = {c: " ".join(c.cmdline()) for c in psutil.Process(proc.pid).children()}
            servers = [c for c, line in children.items() if "forkserver" in line]
            workers = [
                c
                for c, line in children.items()
                if "forkserver" not in line and "resource_tracker" not in line
            ]
            # the parser's fork server (the runner's, shared by the workers) has a child: a
            # document is being parsed, so a worker is in a document's run
            if workers and any(server.children() for server in servers):
                workers[0].send_signal(signal.SIGKILL)
                killed = workers[0].pid
            time.sleep(0.05)
        printed, errors = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert killed is not None, "no worker was seen in a run"
    assert "run failed (the worker process running it died" in printed, printed + errors[-2000:]
    again = run(raw, out, env, "--offline", "--workers", "2")
    assert "recovered from an interrupted run: marked run" in again
    statuses = {d["source_path"]: d["status"] for d in pq.read_table(out / "documents.parquet").to_pylist()}
    assert statuses == {f"copy-{n}.pdf": "ok" for n in range(3)}
