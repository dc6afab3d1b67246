"""Runs from the daemon's run queue against the command line's workers, on the 8 PDFs (issue 17).

    python -m bench.queue [--work DIR] [--timeout 900] [--executor E] [--max-runs N]

The same 8 PDFs as ``bench.parallel``. First ``python -m pipeline run --offline`` with the default
workers (wall time of the whole process). Then a real ``dagster-daemon run`` on a fresh Dagster
home with the project's ``dagster.yaml`` (the run queue's ``max_concurrent_runs``, the ``nlp``
and ``url_checks`` pools of one step each; the runs launched as Dagster launches them, one
process per run): the 8 files are copied into its empty raw/ at once, and the wall time runs
from the copy to the moment the published dataset holds all 8 documents and their reports. The
raw/ sensor ticks every 2 s here (PIPELINE_SENSOR_INTERVAL); the default is 30 s. From the
instance's run records: how many document runs were in progress at once (at most), and each
run's time from launch to end. Every process runs behind the loopback-only network guard.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.parallel import NETGUARD_SITE, ROOT, corpus, environment, timed

DAEMON = Path(sys.executable).parent / "dagster-daemon"


def published(out: Path, names: set[str]) -> bool:
    """Are all ``names`` in the published dataset, each with its report?"""
    import pyarrow.parquet as pq

    try:
        docs = set(pq.read_table(out / "documents.parquet", columns=["doc_id"]).column("doc_id").to_pylist())
    except (OSError, ValueError):
        return False
    reports = {p.stem for p in (out / "reports").glob("*.html")}
    return names <= docs and names <= reports


def run_timeline(home: Path) -> dict[str, Any]:
    """Overlap and duration of the document runs, from the instance's run records."""
    code = (
        "import json, dagster as dg\n"
        "inst = dg.DagsterInstance.get()\n"
        "rows = [(r.dagster_run.job_name, r.start_time, r.end_time, r.dagster_run.status.value)"
        " for r in inst.get_run_records()]\n"
        "print(json.dumps(rows))\n"
    )
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    rows = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
    )
    docs = [(s, e) for job, s, e, status in rows if job == "process_document" and s and e]
    events = sorted([(s, 1) for s, _ in docs] + [(e, -1) for _, e in docs])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return {
        "runs": {job: sum(1 for j, *_ in rows if j == job) for job in {j for j, *_ in rows}},
        "statuses": sorted({status for *_, status in rows}),
        "most_at_once": most,
        "run_seconds_median": statistics.median(e - s for s, e in docs) if docs else None,
        "first_start_to_last_end": (max(e for _, e in docs) - min(s for s, _ in docs)) if docs else None,
    }


def daemon_round(
    work: Path, pdfs: list[Path], timeout: float, executor: str | None = None, max_runs: int | None = None
) -> dict[str, Any]:
    raw, out, home = work / "queue" / "raw", work / "queue" / "out", work / "queue" / "home"
    shutil.rmtree(work / "queue", ignore_errors=True)
    for folder in (raw, home):
        folder.mkdir(parents=True)
    config = (ROOT / "dagster.yaml").read_text()
    if max_runs is not None:
        config, found = re.subn(r"max_concurrent_runs: \d+", f"max_concurrent_runs: {max_runs}", config)
        if found != 1:
            raise RuntimeError("dagster.yaml has no max_concurrent_runs to change")
    (home / "dagster.yaml").write_text(config)
    env = environment(home, work / "queue" / "net.log")
    env.update(
        PIPELINE_RAW_DIR=str(raw),
        PIPELINE_OUT_DIR=str(out),
        PIPELINE_OFFLINE="true",
        PIPELINE_SENSOR_INTERVAL="2",
    )
    if executor:
        env["PIPELINE_EXECUTOR"] = executor
    log = work / "queue" / "daemon.log"
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
        time.sleep(15)  # the daemon up and its first sensor tick done on the empty raw/
        load = os.getloadavg()[0]
        started = time.perf_counter()
        for pdf in pdfs:
            shutil.copyfile(pdf, raw / pdf.name)
        names = {p.name for p in pdfs}
        while not published(out, names):
            if time.perf_counter() - started > timeout:
                raise RuntimeError(
                    f"the daemon's runs did not publish the 8 documents in {timeout:g} s; see {log}"
                )
            if proc.poll() is not None:
                raise RuntimeError(f"the daemon exited ({proc.returncode}); see {log}")
            time.sleep(0.5)
        wall = time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return {"wall": round(wall, 2), "load1": load, **run_timeline(home)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "corpus" / "real")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--executor", default=None, help="PIPELINE_EXECUTOR for the daemon's runs (default: as configured)"
    )
    parser.add_argument(
        "--max-runs",
        type=int,
        default=None,
        help="the run queue's max_concurrent_runs (default: dagster.yaml's)",
    )
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-queue-"))
    (work / "logs").mkdir(parents=True, exist_ok=True)
    raw = corpus(work, args.real)
    pdfs = sorted(raw.glob("*.pdf"))

    home = work / "cli-home"
    shutil.rmtree(home, ignore_errors=True)
    env = environment(home, work / "cli-net.log")
    cmd = [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        "--raw",
        str(raw),
        "--out",
        str(work / "cli-out"),
        "--offline",
    ]
    load = os.getloadavg()[0]
    cli_wall, _ = timed([*cmd, "--force"], env, work / "logs" / "cli.log")
    result = {
        "cli_default_workers": {"wall": round(cli_wall, 2), "load1": load},
        "daemon_queue": daemon_round(work, pdfs, args.timeout, args.executor, args.max_runs),
        "executor": args.executor or "as configured",
        "max_concurrent_runs": args.max_runs or "as configured",
    }
    (work / "logs" / "queue.json").write_text(json.dumps(result, indent=2))
    d = result["daemon_queue"]
    print(f"command line, default workers: {cli_wall:.1f} s (load {load:.2f})")
    print(
        f"daemon run queue (executor {args.executor or 'as configured'}, max_concurrent_runs "
        f"{args.max_runs or 'as configured'}): {d['wall']:.1f} s from the copy into raw/ to the published dataset "
        f"(load {d['load1']:.2f}); runs {d['runs']}, at most {d['most_at_once']} document runs at once, "
        f"median document run {d['run_seconds_median']:.1f} s"
    )
    print(f"(raw numbers: {work / 'logs' / 'queue.json'}; guard: {NETGUARD_SITE.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
