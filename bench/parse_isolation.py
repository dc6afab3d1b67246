"""What the per-document time limit costs: the parse in a child process against the parse in-process.

    python -m bench.parse_isolation [--repeat N] [--json PATH] [DOCUMENT ...]

The pipeline reads every document with ``parse_document_isolated``: a fork of a fork server
that has pdfplumber preloaded, killed at the time limit. This measures, in one process:

* start-up: the first isolated parse of a fresh process pays for starting the fork server
  (a new interpreter importing pdfplumber); measured as first call minus a warm call;
* process start alone: starting and joining a child that only gets ready to parse (imports
  pdfplumber) with the fork server and with ``spawn`` (a fresh interpreter per document);
* per document: ``parse_document`` in-process against ``parse_document_isolated`` (warm),
  alternating which goes first; wall time, since the work happens in another process. The
  median of the repeats is kept per document and the ratio is taken from those.

Default documents: the three seed PDFs and the seed text in raw/, and two small real PDFs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [
    *sorted((ROOT / "raw").glob("article-*")),
    ROOT.parent / "shared" / "corpus" / "real" / "csg_obesity_news_article.pdf",
    ROOT.parent / "shared" / "corpus" / "real" / "malamud_twelve_tables_speech.pdf",
]


def _ready_to_parse() -> None:
    """What a child needs before it can parse (already imported in the fork server)."""
    import pdfplumber  # noqa: F401

    import pipeline.core.layout  # noqa: F401


def process_start(method: str, repeat: int) -> float:
    """Median seconds to start and join a child that imports the parser and stops."""
    ctx = multiprocessing.get_context(method)  # the fork server is the one the parser started
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        child = ctx.Process(target=_ready_to_parse)
        child.start()
        child.join()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("documents", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "parse_isolation.json")
    args = parser.parse_args()

    from pipeline.core.layout import parse_document, parse_document_isolated

    small = args.documents[0]
    start = time.perf_counter()
    parse_document_isolated(small, doc_id="x")  # starts the fork server
    cold = time.perf_counter() - start
    start = time.perf_counter()
    parse_document_isolated(small, doc_id="x")
    warm = time.perf_counter() - start

    forkserver = process_start("forkserver", args.repeat * 4)
    spawn = process_start("spawn", args.repeat)

    rows = []
    for path in args.documents:
        inproc, isolated = [], []
        for i in range(args.repeat):
            order = [("in", parse_document), ("iso", parse_document_isolated)]
            for label, fn in order if i % 2 == 0 else order[::-1]:
                start = time.perf_counter()
                doc = fn(path, doc_id="x")
                (inproc if label == "in" else isolated).append(time.perf_counter() - start)
        a, b = statistics.median(inproc), statistics.median(isolated)
        rows.append(
            {
                "document": path.name,
                "pages": doc.pages,
                "in_process_s": round(a, 4),
                "isolated_s": round(b, 4),
                "overhead_ms": round((b - a) * 1000, 1),
                "ratio": round(b / a, 3),
            }
        )

    result = {
        "fork_server_first_call_extra_s": round(cold - warm, 3),
        "process_start_forkserver_ms": round(forkserver * 1000, 1),
        "process_start_spawn_ms": round(spawn * 1000, 1),
        "documents": rows,
        "repeat": args.repeat,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"fork server start-up (first call only): {result['fork_server_first_call_extra_s']:.3f} s")
    print(f"start a child ready to parse: forkserver {forkserver * 1000:.1f} ms, spawn {spawn * 1000:.1f} ms")
    header = f"{'document':40} {'pages':>5} {'in-process s':>12} {'isolated s':>10} {'overhead ms':>11}"
    print(f"{header} {'ratio':>6}")
    for r in rows:
        print(
            f"{r['document'][:40]:40} {r['pages']:>5} {r['in_process_s']:>12.3f} {r['isolated_s']:>10.3f}"
            f" {r['overhead_ms']:>11.1f} {r['ratio']:>6.3f}"
        )
    print(f"-> {args.json}")


if __name__ == "__main__":
    main()
