"""Parse speed: our layout step against bare pdfplumber ``page.extract_words()`` on the same pages.

    python -m bench.parse [--repeat N] [--json PATH] [PDF ...]

Default corpus: the nine real PDFs of ../shared/corpus/real and the three seed PDFs in raw/.
For every document, each repeat times, in one process and alternating which goes first:

* bare:   ``pdfplumber.open`` + ``page.extract_words()`` on every page (pages closed as we go);
* layout: ``pipeline.core.layout.parse_document`` (words with font attributes, link
  annotations, rules, reading order, running headers dropped);
* notes:  ``pipeline.core.footnotes.split_notes`` on that result (notes zone, labels, markers,
  URL repair), reported separately because it does not touch the PDF.

CPU time of this process (``time.process_time``) is the measure: the machine is shared, and
wall time counts the other processes too. The best of the repeats is kept per document, and
the ratios are computed from those, so both sides of a ratio come from the same run.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = sorted((ROOT.parent / "shared" / "corpus" / "real").glob("*.pdf")) + sorted(
    (ROOT / "raw").glob("*.pdf")
)


@dataclass
class Timing:
    name: str
    pages: int
    bare: float
    layout: float
    notes: float

    @property
    def ratio(self) -> float:
        return self.layout / self.bare


def time_bare(path: Path) -> tuple[float, int]:
    import pdfplumber

    start = time.process_time()
    with pdfplumber.open(path) as pdf:
        pages = 0
        for page in pdf.pages:
            page.extract_words()
            page.close()
            pages += 1
    return time.process_time() - start, pages


def time_ours(path: Path) -> tuple[float, float]:
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document

    start = time.process_time()
    doc = parse_document(path, doc_id=path.stem)
    middle = time.process_time()
    split_notes(doc)
    return middle - start, time.process_time() - middle


def measure(paths: list[Path], repeat: int) -> list[Timing]:
    time_ours(paths[0])  # imports, the wordfreq table and regex compilation are not parse time
    time_bare(paths[0])
    results = []
    for path in paths:
        bare, layout, notes, pages = [], [], [], 0
        for i in range(repeat):
            if i % 2:
                lay, note = time_ours(path)
                b, pages = time_bare(path)
            else:
                b, pages = time_bare(path)
                lay, note = time_ours(path)
            bare.append(b)
            layout.append(lay)
            notes.append(note)
        results.append(Timing(path.name, pages, min(bare), min(layout), min(notes)))
    return results


def report(results: list[Timing]) -> str:
    pages = sum(r.pages for r in results)
    bare = sum(r.bare for r in results)
    layout = sum(r.layout for r in results)
    notes = sum(r.notes for r in results)
    lines = [
        "| document | pages | bare s | layout s | layout / bare | notes s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.name} | {r.pages} | {r.bare:.2f} | {r.layout:.2f} | {r.ratio:.2f} | {r.notes:.2f} |"
        )
    lines.append(f"| **all** | {pages} | {bare:.2f} | {layout:.2f} | **{layout / bare:.2f}** | {notes:.2f} |")
    lines.append("")
    lines.append(f"bare extract_words: {pages / bare:.1f} pages/s")
    lines.append(f"our layout step:    {pages / layout:.1f} pages/s (ratio {layout / bare:.2f})")
    lines.append(
        f"layout + notes:     {pages / (layout + notes):.1f} pages/s (ratio {(layout + notes) / bare:.2f})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path, help="PDFs to parse (default: real corpus + seed PDFs)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per document; the best is kept")
    ap.add_argument("--json", type=Path, help="also write the timings here")
    args = ap.parse_args(argv)
    paths = args.pdfs or DEFAULT
    results = measure(paths, max(1, args.repeat))
    print(report(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
