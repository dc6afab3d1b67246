"""End-to-end benchmark: the whole pipeline on a corpus of varied documents (issue 7).

    python -m bench.e2e [--docs 200] [--seed 7] [--corpus DIR] [--work DIR] [--write-md BENCHMARKS.md]
                        [--profile] [--dagster-yaml FILE]
    python -m bench.e2e --report [--write-md BENCHMARKS.md]   # re-render the last results in WORK

1. Makes the corpus with bench.make_corpus unless ``--corpus`` already holds it (same docs,
   seed and generator version), and renders one more document (index ``docs``) for step 4.
2. Copies the corpus documents into WORK/raw (the corpus folder itself is never changed) and
   runs ``python -m pipeline run --raw WORK/raw --out WORK/out --offline`` in a subprocess, with
   a fresh DAGSTER_HOME (the repo's dagster.yaml) and a fresh output folder: wall time, peak
   memory, per-document times and the ok/degraded/failed counts.
3. Runs the same command again with nothing changed (goal: <= 5% of the first run).
4. Adds the new document to WORK/raw and runs it once more: the time to absorb one document.

Every pipeline process runs behind the test suite's loopback-only network guard
(bench/netguard_site), which also records any connection or name lookup it refused; the
benchmark fails if the guard was not installed in a run. Peak memory is the peak resident set
size of the pipeline process (``wait4`` rusage; the CLI runs every step in that one process)
and, as a cross-check, the largest sum over its process tree seen by polling every 0.1 s.

Prints a table and a markdown block; ``--write-md FILE`` also puts the block in FILE under the
heading "## End to end (N documents)", replacing that section if it is there. The raw numbers
stay in WORK/logs/measurements.json, the pipeline's output of each run in WORK/logs/*.log.
``--profile`` adds two cProfile runs after the timed ones (an unchanged run, one more new
document); their top functions go to WORK/logs/profile-*.txt.

At scale (1,000 documents; issue 17), ``python -m bench.e2e_scale`` runs the same command with
these runners: a document added to an empty dataset, then to N, then deleted, with the peak
memory of the whole process tree.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench import make_corpus as mc

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK = ROOT / "bench" / "results" / "e2e"
NETGUARD_SITE = Path(__file__).resolve().parent / "netguard_site"
GOAL_UNCHANGED = 0.05
# "[3/200] doc-0002-text.txt ... ok in 1.4s" or "... degraded (reason) in 1.4s"
DOC_LINE = re.compile(r"^\[\d+/\d+\] (?P<name>.+?) \.\.\. (?P<status>\w+)(?: \(.*\))? in (?P<secs>[\d.]+)s$")
SUMMARY_LINE = re.compile(
    r"^(?P<processed>\d+) processed, (?P<unchanged>\d+) unchanged, in (?P<secs>[\d.]+)s"
)
TABLES = ("documents", "footnotes", "citations", "claims", "entities", "url_checks", "issues")


class BenchError(RuntimeError):
    pass


@dataclass
class Run:
    label: str
    command: list[str]
    wall: float = 0.0
    maxrss_kib: int = 0  # peak RSS of the pipeline process (and any child it reaped)
    tree_rss_kib: int = 0  # largest polled sum of RSS over the process tree
    # largest polled sum of PSS over the tree: a page shared by n processes (the forked workers
    # share the parent's spaCy model and heap until written) counts 1/n in each, not n times
    tree_pss_kib: int = 0
    cpu_seconds: float = 0.0  # user + system CPU of the process and the children it reaped
    returncode: int = 0
    processed: int = 0
    unchanged: int = 0
    cli_seconds: float = 0.0
    docs: list[dict[str, Any]] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    log: Path | None = None


def _tree_rss_kib(proc: Any) -> int:
    return _tree_kib(proc)[0]


def _tree_kib(proc: Any) -> tuple[int, int]:
    """(sum of RSS, sum of PSS) over the process tree, in KiB."""
    import psutil

    rss = pss = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            info = p.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss // 1024, pss // 1024


def run_pipeline(
    label: str,
    raw: Path,
    out: Path,
    home: Path,
    logs: Path,
    extra: list[str] | None = None,
    code: Path = ROOT,
) -> Run:
    """Run the CLI once in a subprocess behind the network guard; measure time and memory.

    ``code``: the folder the ``pipeline`` package is imported from (a snapshot keeps a long
    benchmark on one version of the code while the checkout changes).
    """
    import psutil

    netlog = logs / f"{label}.netlog"
    log = logs / f"{label}.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPELINE_", "DAGSTER_"))}
    env.update(
        DAGSTER_HOME=str(home),
        BENCH_NETLOG=str(netlog),
        PYTHONPATH=os.pathsep.join([str(NETGUARD_SITE), str(code)]),
        PYTHONUNBUFFERED="1",
    )
    cmd = [sys.executable, *(extra or []), "-m", "pipeline", "run"]
    cmd += ["--raw", str(raw), "--out", str(out), "--offline"]
    run = Run(label=label, command=cmd, load_before=os.getloadavg(), log=log)
    peak = peak_pss = 0
    stop = threading.Event()

    with open(log, "wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=code, env=env, stdout=fh, stderr=subprocess.STDOUT)

        def poll() -> None:
            nonlocal peak, peak_pss
            try:
                ps = psutil.Process(proc.pid)
                while not stop.is_set():
                    rss, pss = _tree_kib(ps)
                    peak, peak_pss = max(peak, rss), max(peak_pss, pss)
                    stop.wait(0.1)
            except psutil.Error:
                return

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        # wait4 gives this child's own rusage: its peak RSS, not the maximum over all children
        _, status, usage = os.wait4(proc.pid, 0)
        run.wall = time.perf_counter() - started
        stop.set()
        poller.join()
    proc.returncode = run.returncode = os.waitstatus_to_exitcode(status)
    run.maxrss_kib = usage.ru_maxrss
    run.cpu_seconds = usage.ru_utime + usage.ru_stime
    run.tree_rss_kib = peak
    run.tree_pss_kib = peak_pss
    text = log.read_text("utf-8", errors="replace")
    for line in text.splitlines():
        if m := DOC_LINE.match(line.strip()):
            run.docs.append({"name": m["name"], "status": m["status"], "seconds": float(m["secs"])})
        elif m := SUMMARY_LINE.match(line.strip()):
            run.processed, run.unchanged = int(m["processed"]), int(m["unchanged"])
            run.cli_seconds = float(m["secs"])
    lines = netlog.read_text("utf-8").splitlines() if netlog.exists() else []
    if not any(line.endswith(" installed") for line in lines):
        raise BenchError(
            f"{label}: the network guard was not installed in the pipeline process (see {netlog})"
        )
    run.blocked = [line for line in lines if " blocked " in line]
    if run.returncode != 0:
        tail = "\n".join(text.splitlines()[-15:])
        raise BenchError(f"{label}: the pipeline exited with {run.returncode}; last lines of {log}:\n{tail}")
    return run


def table_rows(out: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    return {
        t: pq.read_metadata(out / f"{t}.parquet").num_rows for t in TABLES if (out / f"{t}.parquet").exists()
    }


def document_statuses(out: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(out / "documents.parquet", columns=["source_path", "status", "error"]).to_pylist()


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    sha = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return sha + ("+uncommitted changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def machine_facts() -> dict[str, Any]:
    mem_total = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_total = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "memory": mem_total,
    }


def layout_of(name: str) -> str:
    m = re.match(r"doc-\d+-(\w+)\.", name)
    return m.group(1) if m else "other"


def quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def cpu(run_summary: dict[str, Any]) -> str:
    value = run_summary.get("cpu")
    return "n/a" if not value else f"{value:.1f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def summarize(
    runs: list[Run],
    manifest: dict[str, Any],
    statuses: list[dict[str, Any]],
    rows: dict[str, int],
    new_name: str,
) -> dict[str, Any]:
    first, second, third = runs
    final = {st["source_path"]: st["status"] for st in statuses}
    redone2 = [d for d in second.docs if d["name"] != new_name]
    redone3 = [d for d in third.docs if d["name"] != new_name]
    new_doc = next((d for d in third.docs if d["name"] == new_name), None)
    per_doc = [d["seconds"] for d in first.docs]
    by_layout: dict[str, list[float]] = {}
    for d in first.docs:
        by_layout.setdefault(layout_of(d["name"]), []).append(d["seconds"])
    counts: dict[str, int] = {}
    for s in statuses:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    status_by_layout: dict[str, dict[str, int]] = {}
    for s in statuses:
        c = status_by_layout.setdefault(layout_of(s["source_path"]), {})
        c[s["status"]] = c.get(s["status"], 0) + 1
    reasons: dict[str, int] = {}
    for s in statuses:
        if s["status"] != "ok":
            key = re.sub(r"\d+", "N", (s["error"] or "no reason given").split(";")[0])[:90]
            reasons[key] = reasons.get(key, 0) + 1
    files = manifest["files"]
    return {
        "docs": len(first.docs),
        "corpus": {
            "layouts": {
                k: sum(1 for e in files if e["layout"] == k) for k in ("twocolumn", "endnotes", "text")
            },
            "pages": sum(e["pages"] for e in files),
            "notes": sum(e["notes"] for e in files),
            "markers": sum(e["markers"] for e in files),
            "generation_seconds": manifest.get("seconds"),
        },
        "first": {
            "wall": first.wall,
            "per_doc_wall": first.wall / max(1, len(first.docs)),
            "per_doc_median": statistics.median(per_doc) if per_doc else 0.0,
            "per_doc_p90": quantile(per_doc, 0.9) if per_doc else 0.0,
            "per_doc_max": max(per_doc, default=0.0),
            "docs_sum": sum(per_doc),
            "by_layout": {
                k: {"n": len(v), "mean": statistics.fmean(v), "median": statistics.median(v), "max": max(v)}
                for k, v in sorted(by_layout.items())
            },
            "maxrss_kib": first.maxrss_kib,
            "tree_rss_kib": first.tree_rss_kib,
            "cpu": first.cpu_seconds,
        },
        "second": {
            "wall": second.wall,
            "cpu": second.cpu_seconds,
            "ratio": second.wall / first.wall,
            "redone": len(redone2),
            "redone_seconds": sum(d["seconds"] for d in redone2),
            "redone_statuses": sorted({final.get(d["name"], "?") for d in redone2}),
            "rest": second.wall - sum(d["seconds"] for d in redone2),
            "rest_ratio": (second.wall - sum(d["seconds"] for d in redone2)) / first.wall,
            "maxrss_kib": second.maxrss_kib,
            "processed": second.processed,
            "unchanged": second.unchanged,
        },
        "third": {
            "wall": third.wall,
            "cpu": third.cpu_seconds,
            "ratio": third.wall / first.wall,
            "new_name": new_name,
            "doc_seconds": new_doc["seconds"] if new_doc else None,
            "redone": len(redone3),
            "redone_seconds": sum(d["seconds"] for d in redone3),
            "maxrss_kib": third.maxrss_kib,
            "processed": third.processed,
            "unchanged": third.unchanged,
        },
        "statuses": counts,
        "status_by_layout": status_by_layout,
        "reasons": dict(sorted(reasons.items(), key=lambda kv: -kv[1])),
        "rows": rows,
        "blocked": sum(len(r.blocked) for r in runs),
        "load": [r.load_before for r in runs],
    }


def render_markdown(s: dict[str, Any], facts: dict[str, Any], command: str, uptime: str) -> str:
    f, u, n = s["first"], s["second"], s["third"]
    c = s["corpus"]
    lay = ", ".join(f"{v} {k}" for k, v in c["layouts"].items())
    goal = "met" if u["ratio"] <= GOAL_UNCHANGED else "NOT met"
    if n["doc_seconds"] is None:
        new_line = f"- The new document ({n['new_name']}) has no progress line in the run 3 log."
    else:
        new_line = (
            f"- The new document ({n['new_name']}) itself took {n['doc_seconds']:.2f} s; "
            f"the rest of run 3 is start-up, checking the {s['docs']} unchanged documents, "
            f"redoing {n['redone']} of them "
            f"({n['redone_seconds']:.1f} s) and rebuilding the dataset."
        )
    lines = [
        f"## End to end ({s['docs']} documents)",
        "",
        f"`{command}` on {facts['date']}, commit `{facts['commit']}`; {facts['cpus']} CPUs, "
        f"{facts['memory']} RAM, Python {facts['python']}, {facts['platform']}. The machine is shared: "
        f"`uptime` before the runs said `{uptime}`; the 1-minute load before each run was "
        + ", ".join(f"{load[0]:.2f}" for load in s["load"])
        + ".",
        "",
        f"Corpus: {s['docs']} documents made by `python -m bench.make_corpus` from the seed article "
        f"({lay}; {c['pages']} pages, {c['notes']} notes, {c['markers']} body markers). Each run is "
        "`python -m pipeline run --raw WORK/raw --out WORK/out --offline` in a fresh process behind the "
        "loopback-only network guard, with a fresh DAGSTER_HOME and output folder for the first run.",
        "",
        "| run | wall time | vs. first run | CPU time | peak RSS | documents processed / unchanged |",
        "|---|---:|---:|---:|---:|---|",
        f"| 1. first run, {s['docs']} new documents | {f['wall']:.1f} s | 100% | {cpu(f)} "
        f"| {mib(f['maxrss_kib'])} | {s['docs']} / 0 |",
        f"| 2. second run, nothing changed (goal <= 5%: {goal}) | {u['wall']:.1f} s "
        f"| {100 * u['ratio']:.1f}% | {cpu(u)} | {mib(u['maxrss_kib'])} "
        f"| {u['processed']} / {u['unchanged']} |",
        f"| 3. one new document added | {n['wall']:.1f} s | {100 * n['ratio']:.1f}% | {cpu(n)} "
        f"| {mib(n['maxrss_kib'])} | {n['processed']} / {n['unchanged']} |",
        "",
        "CPU time is user + system time of the pipeline process and the helper processes it started "
        "(Dagster's log capture), so it is less sensitive to the other engineers' load than wall time.",
        "",
        f"- Per document (first run): {f['per_doc_wall']:.2f} s of wall time on average; the CLI's own "
        f"per-document times sum to {f['docs_sum']:.0f} s (median {f['per_doc_median']:.2f} s, "
        f"90th percentile {f['per_doc_p90']:.2f} s, max {f['per_doc_max']:.2f} s); the rest is start-up "
        "(Python, Dagster, spaCy) and the dataset roll-up.",
    ]
    for k, v in f["by_layout"].items():
        lines.append(
            f"  - {k}: {v['n']} documents, mean {v['mean']:.2f} s, median {v['median']:.2f} s, "
            f"max {v['max']:.2f} s"
        )
    lines += [
        new_line,
        f"- Peak memory, first run: {mib(f['maxrss_kib'])} peak RSS of the pipeline process (wait4 rusage); "
        f"largest polled sum over its process tree {mib(f['tree_rss_kib'])}.",
        "- Documents: "
        + ", ".join(f"{v} {k}" for k, v in sorted(s["statuses"].items()))
        + " (by layout: "
        + "; ".join(
            f"{lay_}: " + ", ".join(f"{v} {k}" for k, v in sorted(cnt.items()))
            for lay_, cnt in sorted(s["status_by_layout"].items())
        )
        + ").",
    ]
    for reason, count in list(s["reasons"].items())[:5]:
        lines.append(f"  - {count} x {reason}")
    if u["redone"]:
        lines.append(
            f"- Run 2 redid {u['redone']} documents although nothing had changed (their final status: "
            f"{', '.join(u['redone_statuses'])}); their per-document times sum to "
            f"{u['redone_seconds']:.1f} s. "
            f"The rest of run 2 (start-up, skip checks, dataset roll-up) took {u['rest']:.1f} s, "
            f"{100 * u['rest_ratio']:.1f}% of the first run."
        )
    lines += [
        "- Dataset rows after run 2: " + ", ".join(f"{k} {v}" for k, v in s["rows"].items()) + ".",
        f"- Network: {s['blocked']} connections or name lookups off loopback were attempted (and refused) "
        "in the three runs.",
        "",
    ]
    return "\n".join(lines)


def write_section(path: Path, section: str) -> None:
    """Put ``section`` (starting with its '## ' heading) into ``path``, replacing the old one."""
    heading = section.splitlines()[0]
    text = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text.rstrip("\n") + "\n")
    os.replace(tmp, path)


def profile_runs(args: argparse.Namespace, paths: dict[str, Path], photo: Path) -> None:
    """Profile an unchanged run and the absorption of one more document (after the timed runs)."""
    import pstats

    extra = mc.render_document(args.seed, args.docs + 1, paths["new"], photo)
    for label in ("profile-unchanged", "profile-one-new"):
        if label == "profile-one-new":
            shutil.copy2(paths["new"] / extra["name"], paths["raw"] / extra["name"])
        prof = paths["logs"] / f"{label}.prof"
        print(f"{label} (under cProfile, slower than the timed runs) ...", flush=True)
        run = run_pipeline(
            label,
            paths["raw"],
            paths["out"],
            paths["dagster_home"],
            paths["logs"],
            ["-m", "cProfile", "-o", str(prof)],
        )
        report = paths["logs"] / f"{label}.txt"
        with open(report, "w", encoding="utf-8") as fh:
            fh.write(f"{' '.join(run.command)}\nwall {run.wall:.1f} s under the profiler\n\n")
            pstats.Stats(str(prof), stream=fh).sort_stats("cumulative").print_stats(45)
        print(f"  {run.wall:.1f} s; top functions by cumulative time in {report}")


def prepare_work(work: Path, corpus: Path, manifest: dict[str, Any], instance_yaml: Path) -> dict[str, Path]:
    if work.exists():
        if not (work / ".bench-e2e").exists() and any(work.iterdir()):
            raise BenchError(f"refusing to clear {work}: it was not made by bench.e2e")
        shutil.rmtree(work)
    paths = {k: work / k for k in ("raw", "out", "dagster_home", "logs", "new")}
    for p in paths.values():
        p.mkdir(parents=True)
    (work / ".bench-e2e").write_text("made by python -m bench.e2e; cleared on every run\n")
    shutil.copyfile(instance_yaml, paths["dagster_home"] / "dagster.yaml")
    for entry in manifest["files"]:
        shutil.copy2(corpus / entry["name"], paths["raw"] / entry["name"])
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="corpus size (default 200)")
    ap.add_argument("--seed", type=int, default=7, help="corpus variation seed (default 7)")
    ap.add_argument("--corpus", type=Path, default=mc.DEFAULT_OUT, help="corpus folder (made if missing)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="scratch folder, cleared first")
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="corpus render processes")
    ap.add_argument(
        "--dagster-yaml",
        type=Path,
        default=ROOT / "dagster.yaml",
        help="instance config for DAGSTER_HOME (default: the repo's dagster.yaml); for experiments",
    )
    ap.add_argument("--write-md", type=Path, metavar="FILE", help="also put the results into FILE")
    ap.add_argument(
        "--profile",
        action="store_true",
        help="afterwards, profile (cProfile) one more unchanged run and one more new document; "
        "not part of the timings",
    )
    ap.add_argument(
        "--report",
        action="store_true",
        help="run nothing: print (and --write-md) the results of the last run kept in --work",
    )
    args = ap.parse_args(argv)
    if args.docs < 1:
        ap.error("--docs must be at least 1")
    if args.report:
        try:
            md, problems = report(args.work, args.corpus)
        except (OSError, ValueError, BenchError) as exc:
            print(f"error: no results to report in {args.work}: {exc}", file=sys.stderr)
            return 2
        print(md)
        for p in problems:
            print(f"warning: {p}", file=sys.stderr)
        if args.write_md:
            write_section(args.write_md, md)
            print(f"wrote the section to {args.write_md}")
        return 1 if problems else 0
    command = "python -m bench.e2e" + (f" --docs {args.docs}" if args.docs != 200 else "")
    if args.dagster_yaml.resolve() != (ROOT / "dagster.yaml").resolve():
        command += f" --dagster-yaml {args.dagster_yaml}"
    if args.profile:
        command += " --profile"
    try:
        if mc.is_corpus(args.corpus, args.docs, args.seed):
            print(f"corpus: {args.corpus} ({args.docs} documents, seed {args.seed})")
        else:
            print(f"corpus: making {args.docs} documents in {args.corpus} ...", flush=True)
            mc.make_corpus(
                args.corpus, args.docs, args.seed, args.jobs, log=lambda s: print("  " + s, flush=True)
            )
        manifest = mc.read_manifest(args.corpus)
        assert manifest is not None
        paths = prepare_work(args.work, args.corpus, manifest, args.dagster_yaml)
        from bench.seedgen import placeholder_image

        photo = placeholder_image.make(paths["new"] / ".photo.png")
        new = mc.render_document(args.seed, args.docs, paths["new"], photo)
        uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
        facts = machine_facts()
        print(f"{facts['date']}  commit {facts['commit']}  {facts['cpus']} CPUs  Python {facts['python']}")
        print(f"uptime: {uptime}")

        runs = []
        for label in ("first", "unchanged"):
            print(f"run {len(runs) + 1} ({label}) ...", flush=True)
            runs.append(run_pipeline(label, paths["raw"], paths["out"], paths["dagster_home"], paths["logs"]))
            print(f"  {runs[-1].wall:.1f} s, peak RSS {mib(runs[-1].maxrss_kib)}", flush=True)
        rows_before = table_rows(paths["out"])
        shutil.copy2(paths["new"] / new["name"], paths["raw"] / new["name"])
        print(f"run 3 (one new document: {new['name']}) ...", flush=True)
        runs.append(run_pipeline("one-new", paths["raw"], paths["out"], paths["dagster_home"], paths["logs"]))
        print(f"  {runs[-1].wall:.1f} s, peak RSS {mib(runs[-1].maxrss_kib)}", flush=True)
    except (mc.CorpusError, BenchError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    (paths["logs"] / "measurements.json").write_text(
        json.dumps(
            {
                "facts": facts,
                "uptime": uptime,
                "command": command,
                "docs": args.docs,
                "new": new["name"],
                "rows_after_run_2": rows_before,
                "runs": [asdict(r) for r in runs],
            },
            indent=1,
            default=str,
        ),
        "utf-8",
    )
    md, problems = report(args.work, args.corpus)
    print()
    print(md)
    for p in problems:
        print(f"warning: {p}", file=sys.stderr)
    if args.profile:
        try:
            profile_runs(args, paths, photo)
        except BenchError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if args.write_md:
        write_section(args.write_md, md)
        print(f"wrote the section to {args.write_md}")
    return 1 if problems else 0


def report(work: Path, corpus: Path) -> tuple[str, list[str]]:
    """The markdown section and the problems found, from WORK/logs/measurements.json and WORK/out."""
    data = json.loads((work / "logs" / "measurements.json").read_text("utf-8"))
    manifest = mc.read_manifest(corpus)
    if manifest is None:
        raise BenchError(f"no corpus manifest in {corpus}")
    runs = [Run(**{**r, "load_before": tuple(r["load_before"]), "log": None}) for r in data["runs"]]
    docs, new_name = data["docs"], data["new"]
    first, second, third = runs
    problems = []
    if (first.processed, first.unchanged) != (docs, 0):
        problems.append(f"first run processed {first.processed} and skipped {first.unchanged}")
    if (second.processed, second.unchanged) != (0, docs):
        problems.append(f"second run processed {second.processed} (expected 0: nothing changed)")
    if (third.processed, third.unchanged) != (1, docs):
        problems.append(
            f"third run processed {third.processed} and skipped {third.unchanged} (expected 1 and all)"
        )
    names = {e["name"] for e in manifest["files"]}
    statuses = [st for st in document_statuses(work / "out") if st["source_path"] in names]
    if len(statuses) != docs:
        problems.append(f"documents.parquet has {len(statuses)} rows for the {docs} corpus documents")
    summary = summarize(runs, manifest, statuses, data["rows_after_run_2"], new_name)
    md = render_markdown(summary, data["facts"], data["command"], data["uptime"])
    (work / "logs" / "summary.json").write_text(json.dumps(summary, indent=1, default=str), "utf-8")
    return md, problems


if __name__ == "__main__":
    sys.exit(main())
