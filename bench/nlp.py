"""NLP stage throughput against bare ``nlp.pipe``: same model, same text, same process, one run.

    python -m bench.nlp [--pdf raw/article-libreoffice.pdf] [--copies 8] [--rounds 5]

The text is the body of a real document as the pipeline reads it (layout + footnotes), repeated
``--copies`` times so a round takes a few seconds. Each round times both contenders on the same
loaded model, alternating which goes first; the figures are medians over rounds, so a neighbour's
burst of CPU on this shared machine moves both sides rather than one. Words are whitespace tokens.
The ratio is taken on CPU time (this process only), which other people's jobs disturb far less
than wall time; wall-clock figures are printed too.

* ``bare``: ``list(nlp.pipe(texts, batch_size=64))`` on the model as spaCy ships it (without the
  stage's NER post-pass, ``entity_repair``), nothing else;
* ``stage``: ``pipeline.core.nlp.extract_claims``: tokenise, preset sentence boundaries, pipe the
  Docs (the NER post-pass included), then sentences, markers, check-worthiness and entity offsets
  for every claim.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _split(pdf: Path, copies: int):
    from pipeline.core.dataset import safe_key
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document
    from pipeline.core.models import ParagraphKind

    split = split_notes(parse_document(pdf, doc_id=safe_key(pdf.name), source_path=pdf.name))
    body = [p for p in split.paragraphs if p.kind == ParagraphKind.BODY and p.text.strip()]
    paragraphs = []
    for copy in range(copies):
        for p in body:
            index = copy * len(body) + p.index
            markers = [m.model_copy(update={"paragraph": index}) for m in p.markers]
            paragraphs.append(p.model_copy(update={"index": index, "markers": markers}))
    return split.model_copy(update={"paragraphs": paragraphs})


def _time(fn) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) for one call."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pdf", type=Path, default=ROOT / "raw" / "article-libreoffice.pdf")
    ap.add_argument("--copies", type=int, default=8, help="times the document body is repeated")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--model", default=None, help="spaCy model (default: PIPELINE_SPACY_MODEL)")
    args = ap.parse_args(argv)

    from pipeline.core.nlp import extract_claims, load_model, pipe_texts
    from pipeline.core.nlp.entities import REPAIR_COMPONENT
    from pipeline.core.settings import PipelineSettings

    model_name = args.model or PipelineSettings().spacy_model
    nlp = load_model(model_name)
    split = _split(args.pdf, args.copies)
    texts = [p.text for p in split.paragraphs]
    words = sum(len(t.split()) for t in texts)

    def bare() -> None:
        # the model as spaCy ships it: the stage's own NER post-pass counts against the stage
        with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p == REPAIR_COMPONENT]):
            pipe_texts(nlp, texts, batch_size=args.batch_size)

    claims: list = []

    def stage() -> None:
        claims[:] = extract_claims(split, nlp, batch_size=args.batch_size)

    bare()  # warm-up: first calls allocate and fill caches
    stage()
    wall: dict[str, list[float]] = {"bare": [], "stage": []}
    cpu: dict[str, list[float]] = {"bare": [], "stage": []}
    for r in range(args.rounds):
        order = ("bare", "stage") if r % 2 == 0 else ("stage", "bare")
        for name in order:
            w, c = _time(bare if name == "bare" else stage)
            wall[name].append(w)
            cpu[name].append(c)

    med_wall = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    ratio_cpu = med_cpu["bare"] / med_cpu["stage"]
    ratio_wall = med_wall["bare"] / med_wall["stage"]
    per_round = [b / s for b, s in zip(cpu["bare"], cpu["stage"], strict=True)]
    print(
        f"model {model_name} ({', '.join(nlp.pipe_names)}); text {args.pdf.name} x{args.copies}: "
        f"{len(texts)} paragraphs, {words} words, {len(claims)} claims; {args.rounds} rounds, "
        f"batch {args.batch_size}"
    )
    print("| contender | median CPU s | words/s (CPU) | median wall s | words/s (wall) |")
    print("|---|---|---|---|---|")
    for k in ("bare", "stage"):
        cpu_rate, wall_rate = words / med_cpu[k], words / med_wall[k]
        print(f"| {k} | {med_cpu[k]:.2f} | {cpu_rate:,.0f} | {med_wall[k]:.2f} | {wall_rate:,.0f} |")
    rounds = ", ".join(f"{x:.3f}" for x in per_round)
    print(f"stage/bare throughput (CPU): {ratio_cpu:.3f}x; per round: {rounds}")
    print(f"stage/bare throughput (wall): {ratio_wall:.3f}x")
    print(f"goal >= 0.9x: {'met' if ratio_cpu >= 0.9 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
