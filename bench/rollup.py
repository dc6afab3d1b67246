"""The dataset roll-up alone: wall time and peak memory of ``claims_dataset`` over saved records.

    python -m bench.rollup [--out bench/results/e2e/out]
    python -m bench.rollup --steps [--out OUT] [--actions full delete add]

Reads the per-document step records a pipeline run left in ``OUT/.state`` (by default those of
the last ``python -m bench.e2e``), copies them to a scratch folder, and materializes
``claims_dataset`` over them in this process: the tables, claims.duckdb and the HTML reports.
Peak memory is this process's ``ru_maxrss``, reported before the roll-up (imports) and after it.

``--steps`` (issue 17): the peak memory of each step of ``publish_dataset``, for a roll-up from
scratch and for the incremental ones. OUT must be a published dataset with its records (for
1,000 documents: ``--out bench/results/scale-1000-real/main/out``, left by ``bench.e2e_scale``).
It is copied with hard links: the records keep their inodes, so the roll-up takes them as
unchanged, and nothing of OUT is written (every file a roll-up writes is a new one, renamed in).
Each action then runs ``publish_dataset`` and the reports in a fresh process on the copy:
``full``, every document from scratch (as a first run); ``delete``, one document's records set
aside; ``add``, that document back. Each step is measured as the kernel's high-water mark of the
process's resident memory, reset before the step (``/proc/self/clear_refs``; Linux): exact,
where polling can miss a short peak. Printed per step: resident memory before it, its peak and
after it (MiB).
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


#: the steps of publish_dataset measured, as named in pipeline/core/dataset/publish.py
STEPS = (
    "_document_parts",
    "write_raw_checks",
    "write_merged_checks",
    "changed_urls",
    "documents_citing",
    "_write_claim_sources",
    "write_database",
    "write_manifest",
    "summarize",
)


def _status(field: str) -> int:
    """A ``VmRSS``/``VmHWM`` line of /proc/self/status, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) >> 10
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def _measured(fn: Callable[..., Any], name: str, steps: list[dict[str, Any]]) -> Callable[..., Any]:
    def step(*args: Any, **kwargs: Any) -> Any:
        before = _status("VmRSS")
        _reset_peak()
        try:
            return fn(*args, **kwargs)
        finally:
            steps.append(
                {"step": name, "before": before, "peak": _status("VmHWM"), "after": _status("VmRSS")}
            )

    return step


def measure(out: Path, action: str, key: str) -> dict[str, Any]:
    """In this process: one roll-up of ``out`` (a copy), each step measured."""
    import duckdb  # noqa: F401  (imports out of the first step, as in a run)
    import pyarrow.parquet  # noqa: F401

    from pipeline.core.dataset import DocumentStore
    from pipeline.core.dataset import publish as pub
    from pipeline.core.report import write_reports

    steps: list[dict[str, Any]] = []
    for name in STEPS:
        setattr(pub, name, _measured(getattr(pub, name), name, steps))
    store = DocumentStore(out / ".state")
    aside = out.parent / "aside" / key
    if action == "delete":
        aside.parent.mkdir(exist_ok=True)
        shutil.move(out / ".state" / "docs" / key, aside)
    elif action == "add":
        shutil.move(aside, out / ".state" / "docs" / key)
    keys = store.doc_ids()
    publish = _measured(pub.publish_dataset, "publish_dataset (all)", steps)
    published = publish(store, keys, out, full=action == "full")
    _measured(write_reports, "reports", steps)(out, only=published.rewritten)
    return {"action": action, "documents": len(keys), "rewritten": len(published.rewritten), "steps": steps}


def steps(out: Path, actions: list[str]) -> int:
    """``--steps``: each action in a fresh process on a hard-linked copy of ``out``."""
    if not (out / ".state" / "docs").is_dir() or not (out / ".versions").is_dir():
        print(f"{out} is not a published dataset with its records", file=sys.stderr)
        return 2
    if "add" in actions and "delete" not in actions[: actions.index("add")]:
        print(
            "--actions: add puts back the document delete set aside, so delete comes first", file=sys.stderr
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-rollup-") as tmp:
        copy = Path(tmp) / "out"
        shutil.copytree(out, copy, symlinks=True, copy_function=os.link)
        docs = sorted(p.name for p in (copy / ".state" / "docs").iterdir())
        key = docs[len(docs) // 2]
        print(f"{out}: {len(docs)} documents; the document deleted and added: {key}")
        for action in actions:
            child = subprocess.run(
                [sys.executable, "-m", "bench.rollup", "--measure", str(copy), action, key],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            result = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"\n{action}: {result['documents']} documents, {result['rewritten']} rewritten")
            print(f"  {'step':24} {'before':>7} {'peak':>7} {'after':>7}  (MiB)")
            for s in result["steps"]:
                print(f"  {s['step']:24} {s['before']:7} {s['peak']:7} {s['after']:7}")
    return 0


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "e2e" / "out")
    ap.add_argument("--steps", action="store_true", help="peak memory of each step of publish_dataset")
    ap.add_argument(
        "--actions", nargs="+", default=["full", "delete", "add"], choices=["full", "delete", "add"]
    )
    ap.add_argument("--measure", nargs=3, metavar=("OUT", "ACTION", "KEY"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:  # a child process of --steps
        copy, action, key = args.measure
        print(json.dumps(measure(Path(copy), action, key)))
        return 0
    if args.steps:
        return steps(args.out, args.actions)
    state = args.out / ".state"
    if not (state / "docs").is_dir():
        print(f"no step records in {state}: run `python -m bench.e2e` first", file=sys.stderr)
        return 2

    import dagster as dg

    from pipeline.core.dataset import DocumentStore
    from pipeline.defs import assets
    from pipeline.defs.partitions import documents
    from pipeline.defs.resources import PipelineConfig, StateIOManager

    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test() as instance:
        out = Path(tmp) / "out"
        shutil.copytree(state, out / ".state")
        keys = DocumentStore(out / ".state").doc_ids()
        instance.add_dynamic_partitions(documents.name, keys)
        resources = {
            "settings": PipelineConfig(raw_dir=tmp, out_dir=str(out), offline=True),
            "io_manager": StateIOManager(out_dir=str(out)),
        }
        before = peak_mib()
        started = time.monotonic()
        result = dg.materialize([assets.claims_dataset], instance=instance, resources=resources)
        seconds = time.monotonic() - started
        if not result.success:
            print("the roll-up failed", file=sys.stderr)
            return 1
        meta = result.asset_materializations_for_node("claims_dataset")[0].metadata
        print(
            f"{len(keys)} documents, {meta['claims_rows'].value} claims, {meta['entities_rows'].value} entities"
        )
        print(
            f"roll-up {seconds:.1f} s; peak RSS {before} MiB after imports, {peak_mib()} MiB after the roll-up"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
