"""Check-worthiness: learn the feature weights, validate across splits, compare with baselines.

    python -m bench.checkworthy [--gold A.tsv.gz --gold B.tsv.gz] [--write] [--select]

GOLD files are CLEF CheckThat! training splits (../shared/corpus/checkworthy/, read here, never
copied into the project). Every line is read the way ``python -m pipeline claims --one-per-line``
reads it (same model, same sentence hints, same furniture rule, a line scores as its best
sentence), so the MAP printed here is the MAP ``../shared/tools/score_checkworthy.py`` reports.

* Validation: train on one split and rank the other, both directions. Debates present in both
  splits (same date, e.g. the 2016 presidential debates) are left out of the training side, so a
  validation figure never scores a debate the model was trained on.
* ``--select``: greedy backward elimination of features by the mean validation MAP; ``--keep``
  (default number,date) are never dropped: debates rank figures by other cues ("nearly",
  "billion", "percent"), but in articles a figure and a date are what a reader checks first.
* ``--write``: fit on both splits together (each shared debate once) and write the weights to
  pipeline/core/nlp/checkworthy_weights.json, with the validation figures.
* Baselines on the same rankings: random order, "has a number" (a digit), sentence length, and
  TF-IDF (word 1-2 grams) + logistic regression trained on the other split.

The model is a logistic regression (L2, balanced classes) fitted by Newton's method in numpy;
the baseline's sparse TF-IDF regression by gradient descent. Parsed debates are cached as spaCy
DocBins under --cache, keyed by the model and the code that shapes the parse.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import itertools
import json
import math
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus" / "checkworthy"
DEFAULT_GOLD = [SHARED / "clef2019_train.tsv.gz", SHARED / "clef2020_train.tsv.gz"]
WEIGHTS_PATH = ROOT / "pipeline" / "core" / "nlp" / "checkworthy_weights.json"


# ---------------------------------------------------------------------------------------------
# Data and parsing
# ---------------------------------------------------------------------------------------------


def read_gold(path: Path) -> dict[str, list[dict]]:
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode() if path.suffix == ".gz" else raw.decode()
    docs: dict[str, list[dict]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        docs[row["doc"]].append(
            {
                "line": int(row["line_number"]),
                "label": int(row["label"]),
                "text": " ".join(row["text"].split()),
            }
        )
    for rows in docs.values():
        rows.sort(key=lambda r: r["line"])
    return dict(docs)


#: Bump when the parse the cache holds changes (sentence hints, the NER post-pass).
PARSE_VERSION = 1


def _code_key(model_name: str) -> str:
    """The cache key: the model, the gazetteer and PARSE_VERSION."""
    h = hashlib.sha1(f"{model_name}|{PARSE_VERSION}".encode())
    h.update((ROOT / "pipeline" / "core" / "nlp" / "lexicons" / "gazetteer.tsv").read_bytes())
    return h.hexdigest()[:12]


def parsed_docs(path: Path, docs: dict[str, list[dict]], nlp, cache: Path) -> dict[str, list]:
    """doc -> one spaCy Doc per line, parsed as the claims command parses them (cached)."""
    from spacy.tokens import DocBin

    from pipeline.core.models import Paragraph
    from pipeline.core.nlp import parse_paragraphs

    cache.mkdir(parents=True, exist_ok=True)
    out: dict[str, list] = {}
    for name, rows in sorted(docs.items()):
        file = cache / f"{path.name.split('.')[0]}-{name}-{_code_key(nlp.meta['name'])}.spacy"
        if file.exists():
            out[name] = list(DocBin().from_disk(file).get_docs(nlp.vocab))
            continue
        paras = [Paragraph(index=i, page=1, text=r["text"] or " ") for i, r in enumerate(rows)]
        docs_ = list(parse_paragraphs(nlp, paras))
        bin_ = DocBin(store_user_data=False)
        for d in docs_:
            bin_.add(d)
        bin_.to_disk(file)
        out[name] = docs_
    return out


def line_features(doc) -> list[dict[str, str]]:
    """The features of each sentence of a line, as the claims step finds them."""
    from pipeline.core.nlp import is_furniture
    from pipeline.core.nlp.checkworthy import find_features

    ents = list(doc.ents)
    found = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text or is_furniture(text):
            continue
        found.append(find_features(sent, [e for e in ents if sent.start <= e.start and e.end <= sent.end])[0])
    return found


# ---------------------------------------------------------------------------------------------
# Ranking measure (as ../shared/tools/score_checkworthy.py)
# ---------------------------------------------------------------------------------------------


def average_precision(labels: list[int], scores: list[float]) -> float | None:
    order = sorted(range(len(labels)), key=lambda i: -scores[i])  # stable: ties keep document order
    hits, total = 0, 0.0
    for rank, i in enumerate(order, 1):
        if labels[i]:
            hits += 1
            total += hits / rank
    return total / hits if hits else None


def mean_ap(docs: dict[str, list[dict]], scores: dict[str, list[float]]) -> float:
    aps = [average_precision([r["label"] for r in rows], scores[d]) for d, rows in docs.items()]
    aps = [a for a in aps if a is not None]
    return sum(aps) / len(aps)


# ---------------------------------------------------------------------------------------------
# Logistic regression
# ---------------------------------------------------------------------------------------------


def fit_dense(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 30) -> tuple[float, np.ndarray]:
    """Balanced-class logistic regression with an L2 penalty (not on the bias), by Newton's method."""
    n, k = X.shape
    sw = np.where(y == 1, n / (2 * max(1, y.sum())), n / (2 * max(1, n - y.sum())))
    A = np.hstack([np.ones((n, 1)), X])
    w = np.zeros(k + 1)
    reg = np.full(k + 1, l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(A @ w)))
        grad = A.T @ (sw * (p - y)) + reg * w
        hess = (A * (sw * p * (1 - p))[:, None]).T @ A + np.diag(reg) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return float(w[0]), w[1:]


def _matrix(feats: list[list[dict[str, str]]], names: list[str]) -> np.ndarray:
    """A line's features: the union over its sentences."""
    idx = {n: j for j, n in enumerate(names)}
    X = np.zeros((len(feats), len(names)))
    for i, sents in enumerate(feats):
        for found in sents:
            for name in found:
                if name in idx:
                    X[i, idx[name]] = 1.0
    return X


def line_scores(feats: list[list[dict[str, str]]], bias: float, weights: dict[str, float]) -> list[float]:
    """A line scores as its best sentence (as the claims command); no sentence scores 0."""
    out = []
    for sents in feats:
        zs = [bias + sum(weights.get(n, 0.0) for n in found) for found in sents]
        out.append(1 / (1 + math.exp(-max(zs))) if zs else 0.0)
    return out


# ---------------------------------------------------------------------------------------------
# TF-IDF baseline (sparse, numpy only)
# ---------------------------------------------------------------------------------------------


def _grams(text: str) -> list[str]:
    words = re.findall(r"\w+", text.lower())
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def tfidf_baseline(train: list[dict], test_docs: dict[str, list[dict]]) -> dict[str, list[float]]:
    df: dict[str, int] = defaultdict(int)
    for r in train:
        for g in set(_grams(r["text"])):
            df[g] += 1
    vocab = {g: j for j, g in enumerate(g for g, c in df.items() if c >= 2)}
    n = len(train)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1 for g in vocab])

    def encode(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ri, ci, vals = [], [], []
        for i, r in enumerate(rows):
            counts: dict[int, int] = defaultdict(int)
            for g in _grams(r["text"]):
                if g in vocab:
                    counts[vocab[g]] += 1
            if not counts:
                continue
            cols = np.fromiter(counts, int)
            v = (1 + np.log(np.fromiter(counts.values(), float))) * idf[cols]
            v /= np.linalg.norm(v)
            ri += [i] * len(cols)
            ci += list(cols)
            vals += list(v)
        return np.array(ri, int), np.array(ci, int), np.array(vals)

    ri, ci, vals = encode(train)
    y = np.array([r["label"] for r in train], float)
    sw = np.where(y == 1, n / (2 * y.sum()), n / (2 * (n - y.sum())))
    w, b = np.zeros(len(vocab)), 0.0
    m, v2, mb, vb = np.zeros_like(w), np.zeros_like(w), 0.0, 0.0
    lr, l2 = 0.05, 1e-4
    for t in range(1, 301):  # Adam, full batch
        z = np.bincount(ri, weights=vals * w[ci], minlength=n) + b
        r = sw * (1 / (1 + np.exp(-z)) - y) / n
        g = np.bincount(ci, weights=vals * r[ri], minlength=len(w)) + l2 * w
        gb = r.sum()
        m, v2 = 0.9 * m + 0.1 * g, 0.999 * v2 + 0.001 * g * g
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v2 / (1 - 0.999**t)) + 1e-8)
        b -= lr * (mb / (1 - 0.9**t)) / (math.sqrt(vb / (1 - 0.999**t)) + 1e-8)
    out = {}
    for d, rows in test_docs.items():
        ri_, ci_, vals_ = encode(rows)
        out[d] = list(np.bincount(ri_, weights=vals_ * w[ci_], minlength=len(rows)) + b)
    return out


# ---------------------------------------------------------------------------------------------
# Experiments
# ---------------------------------------------------------------------------------------------


def _date(doc: str) -> str:
    return doc[:8]


def _train_rows(splits: list[dict], held: dict) -> list[tuple[str, str]]:
    """(split, doc) pairs to train on: every split but ``held``, without debates ``held`` has."""
    held_dates = {_date(d) for d in held["docs"]}
    return [(s["name"], d) for s in splits if s is not held for d in s["docs"] if _date(d) not in held_dates]


def _fit(
    splits: list[dict], pairs: list[tuple[str, str]], names: list[str]
) -> tuple[float, dict[str, float]]:
    by_name = {s["name"]: s for s in splits}
    feats = [f for s, d in pairs for f in by_name[s]["feats"][d]]
    y = np.array([r["label"] for s, d in pairs for r in by_name[s]["docs"][d]], float)
    bias, w = fit_dense(_matrix(feats, names), y)
    return bias, dict(zip(names, (float(x) for x in w), strict=True))


def validate(splits: list[dict], names: list[str]) -> dict[str, float]:
    """Validation MAP of each split, trained on the others."""
    out = {}
    for held in splits:
        bias, weights = _fit(splits, _train_rows(splits, held), names)
        scores = {d: line_scores(held["feats"][d], bias, weights) for d in held["docs"]}
        out[held["name"]] = mean_ap(held["docs"], scores)
    return out


def select(splits: list[dict], names: list[str], keep: frozenset[str] = frozenset()) -> list[str]:
    """Greedy backward elimination by the mean validation MAP (``keep`` is never dropped)."""
    current = list(names)
    best = sum(validate(splits, current).values()) / len(splits)
    print(f"select: all {len(current)} features, mean validation MAP {best:.4f}")
    improved = True
    while improved and len(current) > 1:
        improved = False
        trials = []
        for name in (n for n in current if n not in keep):
            rest = [n for n in current if n != name]
            trials.append((sum(validate(splits, rest).values()) / len(splits), name))
        if not trials:
            break
        score, name = max(trials)
        if score > best + 1e-4:
            current.remove(name)
            best, improved = score, True
            print(f"select: without {name}: {best:.4f}")
    return current


def baselines(splits: list[dict]) -> dict[str, dict[str, float]]:
    rng = np.random.default_rng(0)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for held in splits:
        docs = held["docs"]
        rand = [mean_ap(docs, {d: list(rng.random(len(r))) for d, r in docs.items()}) for _ in range(10)]
        out["random (mean of 10)"][held["name"]] = sum(rand) / len(rand)
        num = {d: [1.0 if re.search(r"\d", r["text"]) else 0.0 for r in rows] for d, rows in docs.items()}
        out['"has a number" (a digit)'][held["name"]] = mean_ap(docs, num)
        length = {d: [float(len(r["text"].split())) for r in rows] for d, rows in docs.items()}
        out["sentence length"][held["name"]] = mean_ap(docs, length)
        by_name = {s["name"]: s for s in splits}
        train = [r for s, d in _train_rows(splits, held) for r in by_name[s]["docs"][d]]
        out["TF-IDF 1-2 grams + logistic regression"][held["name"]] = mean_ap(
            docs, tfidf_baseline(train, docs)
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, action="append", help="CheckThat! TSV (give two)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/checkworthy-cache"))
    ap.add_argument("--model", default=None, help="spaCy model (default: PIPELINE_SPACY_MODEL)")
    ap.add_argument("--select", action="store_true", help="choose features by validation MAP")
    ap.add_argument(
        "--keep",
        default="number,date",
        help="features --select never drops: what explains claims in articles (default: number,date)",
    )
    ap.add_argument("--features", help="comma-separated features to use (default: all, or the selection)")
    ap.add_argument("--write", action="store_true", help=f"write the weights to {WEIGHTS_PATH}")
    ap.add_argument("--no-baselines", action="store_true")
    args = ap.parse_args(argv)
    golds = args.gold or DEFAULT_GOLD
    if len(golds) < 2 or not all(g.exists() for g in golds):
        print(f"need two gold files that exist (got {[str(g) for g in golds]})", file=sys.stderr)
        return 2

    from pipeline.core.nlp import load_model
    from pipeline.core.nlp.checkworthy import FEATURES
    from pipeline.core.settings import PipelineSettings

    nlp = load_model(args.model or PipelineSettings().spacy_model)
    started = time.monotonic()
    splits = []
    for gold in golds:
        docs = read_gold(gold)
        parsed = parsed_docs(gold, docs, nlp, args.cache)
        feats = {d: [line_features(doc) for doc in parsed[d]] for d in docs}
        splits.append({"name": gold.name.split(".")[0], "docs": docs, "feats": feats})
    print(
        f"parsed and featurised {sum(len(s['docs']) for s in splits)} debates in {time.monotonic() - started:.0f} s"
    )

    names = args.features.split(",") if args.features else [f.name for f in FEATURES]
    if args.select:
        names = select(splits, names, frozenset(args.keep.split(",")))
    val = validate(splits, names)
    print("| ranking | " + " | ".join(val) + " |\n|---|" + "---|" * len(val))
    if not args.no_baselines:
        for label, row in baselines(splits).items():
            print(f"| {label} | " + " | ".join(f"{row[s]:.4f}" for s in val) + " |")
    print(
        "| learned weights of named features (this) | " + " | ".join(f"{v:.4f}" for v in val.values()) + " |"
    )

    pairs, seen = [], set()
    for s in reversed(splits):  # the later edition's copy of a shared debate
        for d in s["docs"]:
            if _date(d) not in seen:
                pairs.append((s["name"], d))
        seen |= {_date(d) for d in s["docs"]}
    bias, weights = _fit(splits, pairs, names)
    print(
        f"bias {bias:+.3f}; "
        + ", ".join(f"{n} {w:+.3f}" for n, w in sorted(weights.items(), key=lambda kv: -kv[1]))
    )
    if args.write:
        record = {
            "about": "check-worthiness weights (log-odds); re-derive with: python -m bench.checkworthy --select --write",
            "features": names,
            "trained_on": [g.name for g in golds],
            "validation_map": {k: round(v, 4) for k, v in val.items()},
            "bias": round(bias, 4),
            "weights": {n: round(w, 4) for n, w in weights.items()},
        }
        WEIGHTS_PATH.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
