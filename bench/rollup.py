"""The dataset roll-up alone: wall time and peak memory of ``claims_dataset`` over saved records.

    python -m bench.rollup [--out bench/results/e2e/out]

Reads the per-document step records a pipeline run left in ``OUT/.state`` (by default those of
the last ``python -m bench.e2e``), copies them to a scratch folder, and materializes
``claims_dataset`` over them in this process: the tables, claims.duckdb and the HTML reports.
Peak memory is this process's ``ru_maxrss``, reported before the roll-up (imports) and after it.
"""

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "e2e" / "out")
    args = ap.parse_args()
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
