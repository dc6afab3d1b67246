"""End-to-end at scale (issue 17): what one more document costs as the dataset grows.

    python -m bench.e2e_scale --docs 1000 [--corpus DIR] [--work DIR] [--write-md BENCHMARKS.md]

The corpus is ``python -m bench.make_corpus --small --docs N+1`` (short documents: the number of
documents matters here, not their length); document N is "the new document". Runs, each
``python -m pipeline run --raw RAW --out OUT --offline`` in a fresh process behind the
loopback-only network guard (``bench.e2e.run_pipeline``):

0. the new document alone, into an empty dataset (fresh output folder and DAGSTER_HOME);
1. first run over N documents (fresh output folder and DAGSTER_HOME);
2. the same again, nothing changed;
3. the new document added;
4. the new document deleted again.

``--seed-docs K`` (for a loaded machine, where a first run of 1,000 documents takes hours): run 1
processes only the first K documents; the dataset then grows to N documents by cloning their
files and step records (``clone-NNNN-<name>``: the file with a trailer, the records with the new
name and content hash, so the runner takes them as done), and run 1b, a real run over the N
documents, processes none of them and rolls all N up from scratch. Runs 2-4 are then the same.

Peak memory is that of the whole process tree (the pipeline, its parser subprocesses, Dagster's
helpers): the largest sum of RSS over the tree, polled every 0.1 s with psutil. The code is
copied into WORK/code first and imported from there, so the checkout may change while a long
run goes on. Raw numbers: WORK/logs/measurements.json; logs of each run: WORK/logs/*.log.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import e2e
from bench import make_corpus as mc

ROOT = e2e.ROOT
GOAL_ADD = 1.5  # adding one document to N <= 1.5x adding it to an empty dataset
GOAL_UNCHANGED = 0.05
GOAL_TREE_MIB = 1024


def snapshot_code(dest: Path) -> Path:
    shutil.copytree(ROOT / "pipeline", dest / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    # the definitions are found from the project's pyproject.toml (dagster's defs folder)
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")
    return dest


def fresh(work: Path, name: str) -> dict[str, Path]:
    paths = {k: work / name / k for k in ("raw", "out", "dagster_home")}
    for p in paths.values():
        p.mkdir(parents=True)
    shutil.copyfile(ROOT / "dagster.yaml", paths["dagster_home"] / "dagster.yaml")
    return paths


def clone_documents(paths: dict[str, Path], names: list[str], docs: int) -> int:
    """Grow raw/ and the step records to ``docs`` documents by cloning those of ``names``."""
    state = paths["out"] / ".state" / "docs"
    for j in range(len(names), docs):
        src = names[j % len(names)]
        data = (paths["raw"] / src).read_bytes()
        name = f"clone-{j:04d}-{src}"
        clone = data + (f"\n% clone {j}\n" if src.endswith(".pdf") else f"\n\nClone {j}.\n").encode()
        (paths["raw"] / name).write_bytes(clone)
        old_sha, new_sha = hashlib.sha256(data).hexdigest(), hashlib.sha256(clone).hexdigest()
        (state / name).mkdir()
        for record in (state / src).glob("*.json"):
            text = record.read_text("utf-8").replace(src, name).replace(old_sha, new_sha)
            (state / name / record.name).write_text(text, "utf-8")
    return max(0, docs - len(names))


def measure(label: str, paths: dict[str, Path], logs: Path, code: Path) -> e2e.Run:
    print(f"{label} ...", flush=True)
    run = e2e.run_pipeline(label, paths["raw"], paths["out"], paths["dagster_home"], logs, code=code)
    print(
        f"  {run.wall:.1f} s, tree peak {e2e.mib(run.tree_rss_kib)} RSS / {e2e.mib(run.tree_pss_kib)} PSS, "
        f"processed {run.processed}, "
        f"unchanged {run.unchanged}",
        flush=True,
    )
    return run


def render(data: dict[str, Any]) -> str:
    runs = {r["label"]: r for r in data["runs"]}
    docs, seed_docs = data["docs"], data.get("seed_docs") or 0
    empty, first, unchanged, added, deleted = (
        runs[k] for k in ("add-to-empty", "first", "unchanged", "add-one", "delete-one")
    )
    add_ratio = added["wall"] / empty["wall"]
    # with cloned documents, the first run of N is the first run of K, scaled (per document)
    first_wall = first["wall"] * docs / seed_docs if seed_docs else first["wall"]
    unchanged_ratio = unchanged["wall"] / first_wall
    peak = max(r["tree_rss_kib"] for r in data["runs"])
    peak_pss = max(r.get("tree_pss_kib", 0) for r in data["runs"])

    def row(label: str, r: dict[str, Any], note: str = "") -> str:
        load = r["load_before"][0]
        return (
            f"| {label} | {r['wall']:.1f} s | {r['cpu_seconds']:.1f} s | {e2e.mib(r.get('tree_pss_kib', 0))} "
            f"| {e2e.mib(r['tree_rss_kib'])} | {e2e.mib(r['maxrss_kib'])} | {r['processed']} / {r['unchanged']} | {load:.2f} | {note} |"
        )

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    first_rows = [row(f"1. first run, {docs} documents", first)]
    if seed_docs:
        first_rows = [
            row(
                f"1. first run, {seed_docs} documents", first, f"{first['wall'] / seed_docs:.1f} s a document"
            ),
            row(
                f"1b. {docs - seed_docs} cloned, roll-up of all {docs} from scratch",
                runs["roll-up-all"],
            ),
        ]
    lines = [
        f"## Scale: one more document in a dataset of {docs} (issue 17)",
        "",
        f"`{data['command']}` on {data['facts']['date']}, commit `{data['facts']['commit']}`; "
        f"{data['facts']['cpus']} CPUs, shared with other engineers' work. `uptime` before: "
        f"`{data['uptime']}`.",
        "",
        f"Corpus: `python -m bench.make_corpus --small` (document {data['new']} is the new one). Each "
        "run is `python -m pipeline run --offline` in a fresh process behind the loopback-only network "
        "guard. *Tree PSS* is the largest sum of PSS (proportional set size) over the whole process tree "
        "(pipeline, worker processes, parser subprocesses, Dagster helpers), polled every 0.1 s with "
        "psutil: a page shared by n processes counts 1/n in each, as the forked workers share the "
        "parent's spaCy model. *Tree RSS* is the same sum of RSS, which counts such a page n times "
        "(an upper bound). *Process peak* is the pipeline "
        "process's own `ru_maxrss`. *Load* is the 1-minute load average just before the run.",
        "",
        "| run | wall | CPU | tree PSS | tree RSS | process peak | processed / unchanged | load | |",
        "|---|---:|---:|---:|---:|---:|---|---:|---|",
        row("0. the new document into an empty dataset", empty),
        *first_rows,
        row(
            "2. nothing changed",
            unchanged,
            f"{unchanged_ratio:.1%} of run 1{' (scaled to N)' if seed_docs else ''} "
            f"(goal <= 5%: {met(unchanged_ratio <= GOAL_UNCHANGED)})",
        ),
        row(
            "3. the new document added",
            added,
            f"{add_ratio:.2f}x run 0 (goal <= {GOAL_ADD}x: {met(add_ratio <= GOAL_ADD)}); "
            f"CPU {added['cpu_seconds'] / empty['cpu_seconds']:.2f}x",
        ),
        row("4. the new document deleted", deleted),
        "",
        f"- Peak memory of the process tree over all runs: {e2e.mib(peak_pss)} PSS "
        f"(goal <= 1 GiB: {met(peak_pss <= GOAL_TREE_MIB * 1024)}); {e2e.mib(peak)} as a sum of RSS.",
        f"- Network: {data['blocked']} connections or name lookups off loopback were attempted (and refused).",
    ]
    if seed_docs:
        lines.append(
            f"- Runs 1b-4 see {docs} documents; {docs - seed_docs} of them are clones of the first "
            f"{seed_docs} (own file, name and content hash; same rows otherwise), because a first run of "
            f"{docs} documents takes hours on this machine under the other engineers' load."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.e2e_scale", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="dataset size (default 1000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--corpus", type=Path, default=ROOT / "bench" / "results" / "corpus-scale")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default bench/results/scale-N)")
    ap.add_argument("--write-md", type=Path, metavar="FILE", help="also put the results into FILE")
    ap.add_argument("--report", action="store_true", help="run nothing: render the last results in WORK")
    ap.add_argument(
        "--seed-docs", type=int, default=0, help="process K documents, clone the rest (see above)"
    )
    args = ap.parse_args(argv)
    # resolved: the runs start in another folder, and their network guard logs to a path in it
    work = (args.work or ROOT / "bench" / "results" / f"scale-{args.docs}").resolve()
    if args.report:
        md = render(json.loads((work / "logs" / "measurements.json").read_text("utf-8")))
        print(md)
        if args.write_md:
            e2e.write_section(args.write_md, md)
        return 0
    manifest = mc.read_manifest(args.corpus)
    if manifest is None or not manifest.get("small") or manifest["docs"] <= args.docs:
        print(f"making the corpus ({args.docs + 1} small documents) in {args.corpus} ...", flush=True)
        manifest = mc.make_corpus(args.corpus, args.docs + 1, args.seed, 2, log=print, small=True)
    files = sorted(manifest["files"], key=lambda e: e["index"])
    # the same new document (the last of the corpus) whatever N, so runs 0 and 3 compare across N
    corpus_files, new = files[: args.docs], files[-1]
    if work.exists():
        if not (work / ".bench-scale").exists():
            print(f"refusing to clear {work}: it was not made by bench.e2e_scale", file=sys.stderr)
            return 2
        shutil.rmtree(work)
    logs = work / "logs"
    logs.mkdir(parents=True)
    (work / ".bench-scale").write_text("made by python -m bench.e2e_scale; cleared on every run\n")
    code = snapshot_code(work / "code")
    uptime = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    runs = []
    try:
        empty = fresh(work, "empty")
        shutil.copy2(args.corpus / new["name"], empty["raw"] / new["name"])
        runs.append(measure("add-to-empty", empty, logs, code))
        main_paths = fresh(work, "main")
        for e in corpus_files:
            shutil.copy2(args.corpus / e["name"], main_paths["raw"] / e["name"])
        if args.seed_docs:
            for e in corpus_files[args.seed_docs :]:
                os.remove(main_paths["raw"] / e["name"])
            runs.append(measure("first", main_paths, logs, code))
            cloned = clone_documents(
                main_paths, [e["name"] for e in corpus_files[: args.seed_docs]], args.docs
            )
            print(f"cloned {cloned} documents", flush=True)
            runs.append(measure("roll-up-all", main_paths, logs, code))
        else:
            runs.append(measure("first", main_paths, logs, code))
        runs.append(measure("unchanged", main_paths, logs, code))
        shutil.copy2(args.corpus / new["name"], main_paths["raw"] / new["name"])
        runs.append(measure("add-one", main_paths, logs, code))
        os.remove(main_paths["raw"] / new["name"])
        runs.append(measure("delete-one", main_paths, logs, code))
    except e2e.BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    data = {
        "facts": e2e.machine_facts(),
        "uptime": uptime,
        "command": f"python -m bench.e2e_scale --docs {args.docs}"
        + (f" --seed-docs {args.seed_docs}" if args.seed_docs else ""),
        "seed_docs": args.seed_docs,
        "docs": args.docs,
        "new": new["name"],
        "pages": sum(e["pages"] for e in corpus_files),
        "notes": sum(e["notes"] for e in corpus_files),
        "blocked": sum(len(r.blocked) for r in runs),
        "runs": [asdict(r) for r in runs],
    }
    (logs / "measurements.json").write_text(json.dumps(data, indent=1, default=str), "utf-8")
    md = render(data)
    print(md)
    if args.write_md:
        e2e.write_section(args.write_md, md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
