"""The raw/ sensor on a folder of 1,000 documents: time per tick against Dagster's sensor limit.

    python -m bench.sensor [--files 1000] [--cap 25]

Files are copies of the seed documents, each made unique by a trailing comment, so every one
must be hashed. Dagster stops a sensor evaluation after 60 s by default
(DAGSTER_SENSOR_GRPC_TIMEOUT_SECONDS); the first tick must stay well inside it.
"""

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import dagster as dg

from pipeline.defs.resources import PipelineConfig
from pipeline.defs.sensors import raw_documents_sensor

ROOT = Path(__file__).resolve().parent.parent
SENSOR_LIMIT_S = 60.0


def make_folder(folder: Path, n: int) -> int:
    seeds = sorted((ROOT / "raw").iterdir())
    total = 0
    for i in range(n):
        src = seeds[i % len(seeds)]
        dst = folder / f"{src.stem}-{i:04d}{src.suffix}"
        shutil.copyfile(src, dst)
        with dst.open("ab") as fh:  # a PDF comment after %%EOF / a text line: still valid, new hash
            fh.write(f"\n% copy {i}\n".encode())
        total += dst.stat().st_size
    return total


def tick(
    instance: dg.DagsterInstance, settings: PipelineConfig, cursor: str | None
) -> tuple[float, dg.SensorResult]:
    ctx = dg.build_sensor_context(instance=instance, cursor=cursor, resources={"settings": settings})
    t0 = time.perf_counter()
    result = raw_documents_sensor(ctx)
    return time.perf_counter() - t0, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--cap", type=int, default=25, help="runs per tick (PIPELINE_SENSOR_MAX_RUNS_PER_TICK)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test() as instance:
        raw = Path(tmp) / "raw"
        raw.mkdir()
        size = make_folder(raw, args.files)
        settings = PipelineConfig(
            raw_dir=str(raw), out_dir=str(Path(tmp) / "out"), max_runs_per_tick=args.cap
        )
        rows = []
        cursor = None
        ticks = 0
        requested = 0
        worst = 0.0
        while True:
            seconds, result = tick(instance, settings, cursor)
            ticks += 1
            worst = max(worst, seconds)
            for req in result.dynamic_partitions_requests or []:
                if isinstance(req, dg.AddDynamicPartitionsRequest):
                    instance.add_dynamic_partitions("documents", list(req.partition_keys))
            n = len(result.run_requests or [])
            requested += n
            if ticks <= 2 or n == 0:
                rows.append((ticks, n, seconds))
            cursor = result.cursor
            if n == 0:
                break
        full = PipelineConfig(raw_dir=str(raw), out_dir=str(Path(tmp) / "out2"), max_runs_per_tick=args.files)
        all_at_once, _ = tick(instance, full, None)
    print(f"{args.files} files, {size / 1e6:.0f} MB, cap {args.cap} runs per tick")
    print(f"{'tick':>5} {'runs requested':>15} {'seconds':>8}")
    for t, n, s in rows:
        print(f"{t:>5} {n:>15} {s:>8.3f}")
    print(
        f"{ticks} ticks to request all {requested} runs; slowest tick {worst:.3f} s "
        f"= {worst / SENSOR_LIMIT_S:.1%} of the {SENSOR_LIMIT_S:.0f} s sensor limit"
    )
    print(f"uncapped first tick (hashes all {args.files} files): {all_at_once:.2f} s")
    print(json.dumps({"files": args.files, "cursor_bytes": len(cursor or "")}))


if __name__ == "__main__":
    main()
