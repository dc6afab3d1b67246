"""Run the benchmarks: ``python -m bench [NAME ...]`` (all of them when no name is given).

Each runs in its own process, one after another, and prints its own table; BENCHMARKS.md
says what each measures and holds the numbers of the last recorded run.
"""

import subprocess
import sys
import time

#: name -> what it measures (in the order they run; e2e is the slowest)
BENCHMARKS = {
    "parse": "layout step against bare pdfplumber extract_words, same pages",
    "text_split": "plain-text note splitting against reading the file",
    "nlp": "NLP stage against bare nlp.pipe, same model and text",
    "citations": "citation fields against refextract; citations step time next to NLP's",
    "parse_isolation": "cost of the per-document child process",
    "dataset_write": "publishing the dataset as one version",
    "sensor": "raw/ sensor ticks on 1,000 files",
    "urlcheck": "link checker against the ideal and linkchecker (about 5 minutes)",
    "e2e": "200 generated documents end to end (about 10 minutes)",
    "rollup": "the dataset roll-up alone over the records e2e left",
    "bombs": "hostile documents (5,000 pages, giant token and paragraph, inflate bomb) end bounded",
}


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from: {', '.join(BENCHMARKS)}",
            file=sys.stderr,
        )
        return 2
    failed = []
    for name in names:
        print(f"\n=== bench.{name}: {BENCHMARKS[name]}", flush=True)
        started = time.monotonic()
        if subprocess.run([sys.executable, "-m", f"bench.{name}"]).returncode != 0:
            failed.append(name)
        print(f"=== bench.{name} took {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
