"""Citation parsing: field scores against refextract, and the time of the step next to NLP.

    python -m bench.citations [--gold ../shared/corpus/citations-anystyle/dev.json] [--no-refextract]
                              [--pdf raw/article-libreoffice.pdf ...] [--rounds 5]

1. Fields: ``../shared/tools/score_citations.py`` runs ``python -m pipeline cite -`` on the labelled
   references, then the same references through refextract 1.1.7 (``bench/refextract_cite.py``).
   refextract needs pypdf < 7, which the project's dev tools do not allow, so it gets its own
   environment, ``bench/.refextract-venv`` (made with uv on the first run; needs PyPI).
2. Time per document: each PDF is read and split into notes once; then, on the same process,
   the citations step (``parse_citations``, tagger loaded) and the NLP step (``extract_claims``,
   model loaded) are timed alternately, medians of CPU time over rounds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REFEXTRACT_VENV = ROOT / "bench" / ".refextract-venv"
REFEXTRACT = "refextract==1.1.7"


def _score(gold: Path, command: str, label: str) -> None:
    print(f"\n#### {label}\n", flush=True)
    tool = SHARED / "tools" / "score_citations.py"
    proc = subprocess.run(
        [sys.executable, str(tool), "--gold", str(gold), "--command", command],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    print(proc.stdout.strip() or proc.stderr.strip())


def _refextract_python() -> Path:
    python = REFEXTRACT_VENV / "bin" / "python"
    if not python.exists():
        uv = ROOT / ".venv" / "bin" / "uv"
        subprocess.run([str(uv), "venv", "--python", "3.11", "-q", str(REFEXTRACT_VENV)], check=True)
        subprocess.run([str(uv), "pip", "install", "--python", str(python), "-q", REFEXTRACT], check=True)
    return python


def _cpu(fn) -> float:
    gc.collect()
    started = time.process_time()
    fn()
    return time.process_time() - started


def _time_document(split, nlp, rounds: int) -> tuple[list, dict[str, list[float]]]:
    """The citations of one document, and the CPU time of each step per round."""
    from pipeline.core.citations import parse_citations
    from pipeline.core.citations.tagged import _read_tagged
    from pipeline.core.citations.tagger import _cached_word_features
    from pipeline.core.nlp import extract_claims

    found: list = []

    def cite() -> None:
        _read_tagged.cache_clear()  # each round reads every citation afresh
        _cached_word_features.cache_clear()  # and computes every token's features afresh
        found[:] = parse_citations(split.doc_id, split.notes)

    def claims() -> None:
        extract_claims(split, nlp)

    cite(), claims()  # warm-up: the tagger and the spaCy model are loaded once per process
    cpu: dict[str, list[float]] = {"cite": [], "nlp": []}
    for r in range(rounds):
        for name, fn in (
            (("cite", cite), ("nlp", claims)) if r % 2 == 0 else (("nlp", claims), ("cite", cite))
        ):
            cpu[name].append(_cpu(fn))
    return found, cpu


def _times(pdfs: list[Path], rounds: int) -> None:
    from pipeline.core.dataset import safe_key
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document
    from pipeline.core.nlp import load_model
    from pipeline.core.settings import PipelineSettings

    nlp = load_model(PipelineSettings().spacy_model)
    print("\n#### time per document (median CPU s)\n")
    print("| document | notes | citations | citations step | NLP step | citations / NLP |")
    print("|---|---|---|---|---|---|")
    for pdf in pdfs:
        split = split_notes(parse_document(pdf, doc_id=safe_key(pdf.name), source_path=pdf.name))
        found, cpu = _time_document(split, nlp, rounds)
        c, n = statistics.median(cpu["cite"]), statistics.median(cpu["nlp"])
        print(f"| {pdf.name} | {len(split.notes)} | {len(found)} | {c:.3f} | {n:.3f} | {c / n:.3f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=SHARED / "corpus" / "citations-anystyle" / "dev.json")
    ap.add_argument("--no-refextract", action="store_true")
    ap.add_argument("--pdf", type=Path, nargs="+", default=sorted((ROOT / "raw").glob("*.pdf")))
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    if args.gold.exists():
        _score(args.gold, f"{sys.executable} -m pipeline cite -", "this project: python -m pipeline cite -")
        if not args.no_refextract:
            python = _refextract_python()
            _score(args.gold, f"{python} bench/refextract_cite.py", f"{REFEXTRACT}, same references")
    else:
        print(f"no labelled references at {args.gold}: field scores skipped")
    _times(args.pdf, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
