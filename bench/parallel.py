"""Documents in parallel against the one-process floor of the pipeline's own stack (issue 17).

    python -m bench.parallel [--rounds 3] [--work DIR] [--write-md BENCHMARKS.md]

On 8 PDFs (the three seed layouts of raw/ and five of ../shared/corpus/real/), copied into
WORK/raw, each round measures, in a rotating order:

- the floor: one fresh process that imports pdfplumber and spaCy, loads the pipeline's model,
  runs ``extract_words`` on every page and ``nlp.pipe`` over each page's words (nothing else);
- ``python -m pipeline run --force --offline`` with the default workers (the number of cores);
- the same with ``--workers 1`` (documents one after another, in-process, as before issue 17).

The wall time of each is that of the whole process (start-up included), measured from here.
``--profile`` instead profiles one ``--workers 1`` run of the same 8 PDFs in this process
(cProfile with a CPU clock; the parser's child processes are not in it) and prints the CPU time of
each part: the steps, Dagster's event storage, record serialisation, the roll-up, the imports.
Every pipeline process runs behind the tests' loopback-only network guard (bench/netguard_site).
The machine is shared: the load average before each run is recorded, and the ratios are taken
within each round (runs next to each other in time) and then their median across rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NETGUARD_SITE = Path(__file__).resolve().parent / "netguard_site"
SEEDS = ("article-endnotes.pdf", "article-libreoffice.pdf", "article-twocolumn.pdf")
REAL = (
    "bitcoin_securities_legal_article.pdf",
    "crs_r48903_hormuz_shipping.pdf",
    "csg_obesity_news_article.pdf",
    "icail2007_opinion_mining_legal_blogs.pdf",
    "malamud_twelve_tables_speech.pdf",
)
GOAL_DEFAULT, GOAL_ONE = 0.75, 1.2

FLOOR_SCRIPT = """
import sys, time
from pathlib import Path
import pdfplumber
from pipeline.core.nlp import load_model
from pipeline.core.settings import PipelineSettings
nlp = load_model(PipelineSettings().spacy_model)
texts = []
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            texts.append(" ".join(w["text"] for w in page.extract_words()))
            page.flush_cache()
docs = sum(1 for _ in nlp.pipe(texts))
print(f"{docs} pages")
"""


def corpus(work: Path, real_dir: Path) -> Path:
    raw = work / "raw"
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    for name in SEEDS:
        shutil.copyfile(ROOT / "raw" / name, raw / name)
    for name in REAL:
        shutil.copyfile(real_dir / name, raw / name)
    return raw


def timed(cmd: list[str], env: dict[str, str], log: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree it reaped)."""
    with open(log, "wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
        raise RuntimeError(f"{cmd[:6]} failed; last lines of {log}:\n{tail}")
    return wall, usage.ru_utime + usage.ru_stime


def environment(home: Path, netlog: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIPELINE_", "DAGSTER_"))}
    env.update(
        DAGSTER_HOME=str(home),
        BENCH_NETLOG=str(netlog),
        PYTHONPATH=os.pathsep.join([str(NETGUARD_SITE), str(ROOT)]),
        PYTHONUNBUFFERED="1",
    )
    return env


def one_round(i: int, raw: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    logs = work / "logs"
    pipeline = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(work / "out")]
    pipeline += ["--offline", "--force"]
    kinds = {
        "floor": [sys.executable, "-c", FLOOR_SCRIPT, str(raw)],
        "default": pipeline,
        "workers1": [*pipeline, "--workers", "1"],
    }
    order = list(kinds)[i % 3 :] + list(kinds)[: i % 3]
    row: dict[str, Any] = {"order": order}
    for kind in order:
        load = os.getloadavg()[0]
        wall, cpu = timed(kinds[kind], env, logs / f"round{i}-{kind}.log")
        row[kind] = {"wall": round(wall, 2), "cpu": round(cpu, 2), "load1": load}
        print(f"round {i}: {kind:9} {wall:6.1f} s wall, {cpu:6.1f} s CPU (load {load:.2f})", flush=True)
    row["ratio_default"] = row["default"]["wall"] / row["floor"]["wall"]
    row["ratio_one"] = row["workers1"]["wall"] / row["floor"]["wall"]
    return row


def render(rounds: list[dict[str, Any]], cores: int) -> str:
    med_default = statistics.median(r["ratio_default"] for r in rounds)
    med_one = statistics.median(r["ratio_one"] for r in rounds)
    lines = [
        "| round | order | floor (s) | default workers (s) | `--workers 1` (s) | default / floor |"
        " 1 worker / floor | load (1 min) |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for i, r in enumerate(rounds):
        loads = "/".join(f"{r[k]['load1']:.1f}" for k in ("floor", "default", "workers1"))
        lines.append(
            f"| {i} | {', '.join(r['order'])} | {r['floor']['wall']:.1f} | {r['default']['wall']:.1f} |"
            f" {r['workers1']['wall']:.1f} | {r['ratio_default']:.2f} | {r['ratio_one']:.2f} | {loads} |"
        )
    lines.append(
        f"| **median** | | | | | **{med_default:.2f}** (goal ≤ {GOAL_DEFAULT}) |"
        f" **{med_one:.2f}** (goal ≤ {GOAL_ONE}) | |"
    )
    lines.append(f"\nDefault workers = {cores} (os.cpu_count()). Loads are floor/default/1-worker.")
    return "\n".join(lines)


#: part of a run -> (file suffix, function name) whose cumulative CPU time it is
PARTS = {
    "whole run (run_all)": ("pipeline/runner.py", "run_all"),
    "claims step (spaCy)": ("pipeline/defs/assets.py", "claims"),
    "  spaCy model load": ("pipeline/core/nlp/model.py", "load_model"),
    "  extract_claims": ("pipeline/core/nlp/sentences.py", "extract_claims"),
    "citations step": ("pipeline/defs/assets.py", "citations"),
    "footnotes step": ("pipeline/defs/assets.py", "footnotes"),
    "url_checks step": ("pipeline/defs/assets.py", "url_checks"),
    "Dagster: storing events": ("sqlite_event_log.py", "store_event"),
    "  SQLAlchemy create_engine": ("sqlalchemy/engine/create.py", "create_engine"),
    "  a new SQLite file per run": ("sqlite_event_log.py", "_initdb"),
    "Dagster: creating runs": ("dagster/_core/instance/methods/run_methods.py", "create_run_for_job"),
    "Dagster: serialising events": ("dagster_shared/serdes/serdes.py", "serialize_value"),
    "records: pydantic JSON read": ("", "model_validate_json"),
    "records: pydantic JSON write": ("", "model_dump_json"),
    "roll-up (runner.roll_up)": ("pipeline/runner.py", "roll_up"),
    "  reports": ("pipeline/core/report.py", "write_reports"),
    "imports during the run": ("<frozen importlib._bootstrap>", "_find_and_load"),
    "opening the instance": ("pipeline/runner.py", "open_instance"),
}


def profile(raw: Path, work: Path) -> str:
    """One ``--workers 1`` run in this process under cProfile (CPU clock): CPU seconds per part."""
    import cProfile
    import io
    import pstats

    import dagster  # noqa: F401 (imported before the profile: it is the run that is profiled)

    from pipeline.runner import run_all

    home = work / "dagster_home"
    os.environ["DAGSTER_HOME"] = str(home)
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    run_all(raw, work / "out", offline=True, force=True, workers=1, out=io.StringIO())
    profiler.disable()
    profiler.dump_stats(str(work / "logs" / "profile.out"))
    stats: Any = pstats.Stats(profiler).stats
    lines = ["| part | CPU s |", "|---|---:|"]
    for label, (suffix, name) in PARTS.items():
        found = [v[3] for (f, _, n), v in stats.items() if n == name and suffix in f]
        lines.append(f"| {label} | {max(found, default=0.0):.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "corpus" / "real")
    parser.add_argument("--profile", action="store_true", help="profile one --workers 1 run instead")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-parallel-"))
    (work / "logs").mkdir(parents=True, exist_ok=True)
    raw = corpus(work, args.real)
    home = work / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copyfile(ROOT / "dagster.yaml", home / "dagster.yaml")
    if args.profile:
        print(profile(raw, work))
        return 0
    env = environment(home, work / "logs" / "netlog")
    # the project's bytecode, as `make run` leaves it (this machine sets PYTHONDONTWRITEBYTECODE,
    # so without it every run would compile the pipeline's modules again, the floor far fewer)
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    # one untimed run: the instance, the partitions and the output folder exist before round 0
    timed(
        [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(work / "out"), "--offline"],
        env,
        work / "logs" / "warmup.log",
    )
    rounds = [one_round(i, raw, work, env) for i in range(args.rounds)]
    (work / "logs" / "parallel.json").write_text(json.dumps(rounds, indent=1))
    print(render(rounds, os.cpu_count() or 1))
    print(f"(raw numbers: {work / 'logs' / 'parallel.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
