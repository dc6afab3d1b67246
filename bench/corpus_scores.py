"""Scores of every generated document against its generated gold, and two runs compared.

    python -m bench.corpus_scores run --corpus bench/results/corpus --work DIR [--code DIR] --out scores.json
    python -m bench.corpus_scores notes --corpus bench/results/corpus [--code DIR] --out scores.json
    python -m bench.corpus_scores compare BEFORE.json AFTER.json

``run`` copies the corpus documents (not its hidden gold) into WORK/raw, runs
``python -m pipeline run --offline`` once with the code of ``--code`` (a checkout of another
commit, for a before/after comparison on the same documents; this one by default), and scores
each document with the shared corpus tools, ``tools/score.py`` (notes text, URL recall and
precision, marker linkage) and ``tools/score_pairs.py`` (note numbers found, (note, URL) pairs).
``notes`` is the same comparison for the notes step alone, in a few minutes instead of an hour on a
loaded machine: each document is parsed and split into notes in one process (no Dagster, no
spaCy), and scored with the tools' own rules (note numbers found and spurious, (note, URL) pairs,
note text recall at the tools' 0.9 similarity, URL recall and precision) plus body markers found
against the gold's markers (marker recall and precision; claims are not built, so there is no
marker linkage). ``compare`` lists every figure of every document that got worse, and the mean
figures per layout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT.parent / "shared" / "tools"


def _tool(name: str, gold: Path, out: Path, source: str) -> dict[str, float | str]:
    """One scoring tool run in this process (its figures, one ``name: value`` a line)."""
    argv, sys.argv = sys.argv, [name, "--gold", str(gold), "--extracted", str(out), "--source", source]
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
            runpy.run_path(str(TOOLS / name), run_name="__main__")
    finally:
        sys.argv = argv
    figures: dict[str, float | str] = {}
    for key, value in re.findall(r"^(\w+): (\S+)$", buf.getvalue(), re.M):
        try:
            figures[key] = float(value)
        except ValueError:
            figures[key] = value
    return figures


def run(corpus: Path, work: Path, code: Path) -> dict[str, dict[str, float | str]]:
    raw, out, home = work / "raw", work / "out", work / "dagster_home"
    for d in (raw, out, home):
        shutil.rmtree(d, ignore_errors=True)
    raw.mkdir(parents=True)
    home.mkdir(parents=True)
    names = sorted(p.name for p in corpus.iterdir() if p.is_file() and not p.name.startswith("."))
    for n in names:
        shutil.copy(corpus / n, raw / n)
    shutil.copy(code / "dagster.yaml", home / "dagster.yaml")
    env = {**os.environ, "DAGSTER_HOME": str(home)}
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--offline"]
    subprocess.run(cmd, cwd=code, env=env, check=True, capture_output=True)
    sys.path.insert(0, str(TOOLS))  # score_pairs imports score
    scores = {}
    for n in names:
        gold = corpus / ".gold" / f"{n}.json"
        scores[n] = _tool("score.py", gold, out, n) | _tool("score_pairs.py", gold, out, n)
    return scores


def _notes_worker(corpus: Path, code: Path) -> dict[str, dict[str, float | str]]:
    """Parse and split every document with the code of ``code``; score the notes (see ``notes``)."""
    from collections import Counter

    sys.path.insert(0, str(code))
    sys.path.insert(1, str(TOOLS))
    from score import norm_text, norm_url, ratio  # the corpus tools' own rules

    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document, read_text

    scores: dict[str, dict[str, float | str]] = {}
    for path in sorted(p for p in corpus.iterdir() if p.is_file() and not p.name.startswith(".")):
        gold = json.loads((corpus / ".gold" / f"{path.name}.json").read_text("utf-8"))
        if path.suffix == ".txt":
            doc = read_text(path.read_bytes(), doc_id="d", source_path=path.name, sha256="0" * 64)
        else:
            doc = parse_document(path, doc_id="d")
        split = split_notes(doc)
        notes = {n.number: n for n in split.notes}
        gnotes = {f["number"]: f for f in gold["footnotes"]}
        gpairs = {(f["number"], norm_url(u)) for f in gold["footnotes"] for u in f["urls"]}
        pairs = {(n.number, norm_url(u.url)) for n in split.notes for u in n.urls}
        gurls, urls = {u for _, u in gpairs}, {u for _, u in pairs}
        text_ok = sum(
            1
            for k, f in gnotes.items()
            if k in notes and ratio(norm_text(f["text"]), norm_text(notes[k].text)) >= 0.9
        )
        gmarks = Counter(
            re.findall(r"\[\^(\d+)\]", " ".join(p for s in gold["sections"] for p in s["paragraphs"]))
        )
        marks = Counter(str(m.number) for m in split.markers)
        hit = sum((gmarks & marks).values())
        scores[path.name] = {
            "status": str(doc.status),
            # as the tools do: a document whose gold has no notes is found whole
            "footnote_numbers_found": len(set(notes) & set(gnotes)) / len(gnotes) if gnotes else 1.0,
            "footnote_numbers_spurious": float(len(set(notes) - set(gnotes))),
            "footnote_text_recall": text_ok / len(gnotes) if gnotes else 1.0,
            "pair_recall": len(gpairs & pairs) / len(gpairs) if gpairs else 1.0,
            "pair_precision": len(gpairs & pairs) / max(1, len(pairs)) if pairs else 1.0,
            "url_recall": len(gurls & urls) / len(gurls) if gurls else 1.0,
            "url_precision": len(gurls & urls) / max(1, len(urls)) if urls else 1.0,
            "marker_recall": hit / sum(gmarks.values()) if gmarks else 1.0,
            "marker_precision": hit / max(1, sum(marks.values())) if marks else 1.0,
        }
    return scores


def _layout(name: str) -> str:
    return name.split("-", 2)[2].rsplit(".", 1)[0]


def compare(before: dict, after: dict) -> list[str]:
    """Lines of a report: the figures that got worse, then the mean of each figure per layout."""
    lines, worse = [], []
    for name in sorted(before):
        for key, old in before[name].items():
            new = after.get(name, {}).get(key)
            if isinstance(old, float) and isinstance(new, float):
                lower_is_better = key == "footnote_numbers_spurious"
                if (new > old + 1e-9) if lower_is_better else (new < old - 1e-9):
                    worse.append(f"  {name} {key}: {old:.3f} -> {new:.3f}")
            elif key == "status" and old != after.get(name, {}).get(key):
                worse.append(f"  {name} status: {old} -> {after.get(name, {}).get(key)}")
    lines.append(f"{len(worse)} figure(s) got worse over {len(before)} documents")
    lines += worse
    known = ("footnote_numbers_found", "pair_recall", "pair_precision", "footnote_text_recall")
    known += ("marker_linkage", "marker_recall", "marker_precision")
    keys = [k for k in known if any(k in v for v in before.values())]
    lines.append(
        "| layout | docs | "
        + " | ".join(f"{k} before / after" for k in keys)
        + " | status ok before / after |"
    )
    lines.append("|---" * (len(keys) + 3) + "|")
    groups: dict[str, list[str]] = defaultdict(list)
    for name in before:
        groups[_layout(name)].append(name)
    for layout, names in sorted(groups.items()):
        cells = []
        for k in keys:
            vals = [
                (before[n].get(k), after.get(n, {}).get(k))
                for n in names
                if isinstance(before[n].get(k), float) and isinstance(after.get(n, {}).get(k), float)
            ]
            if vals:
                b = sum(v[0] for v in vals) / len(vals)
                a = sum(v[1] for v in vals) / len(vals)
                cells.append(f"{b:.3f} / {a:.3f}")
            else:
                cells.append("–")
        ok_b = sum(before[n].get("status") == "ok" for n in names)
        ok_a = sum(after.get(n, {}).get("status") == "ok" for n in names)
        lines.append(f"| {layout} | {len(names)} | " + " | ".join(cells) + f" | {ok_b} / {ok_a} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--corpus", type=Path, default=ROOT / "bench" / "results" / "corpus")
    r.add_argument("--work", type=Path, required=True)
    r.add_argument("--code", type=Path, default=ROOT, help="checkout whose pipeline runs (default: this one)")
    r.add_argument("--out", type=Path, required=True)
    n = sub.add_parser("notes")
    n.add_argument("--corpus", type=Path, default=ROOT / "bench" / "results" / "corpus")
    n.add_argument("--code", type=Path, default=ROOT, help="checkout whose pipeline runs (default: this one)")
    n.add_argument("--out", type=Path, required=True)
    w = sub.add_parser("_notes_worker")
    w.add_argument("corpus", type=Path)
    w.add_argument("code", type=Path)
    w.add_argument("out", type=Path)
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    a = ap.parse_args(argv)
    if a.cmd == "notes":  # a process of its own, so that the other checkout's code is imported
        cmd = [sys.executable, str(Path(__file__).resolve()), "_notes_worker"]
        cmd += [str(a.corpus.resolve()), str(a.code.resolve()), str(a.out.resolve())]
        subprocess.run(cmd, cwd=a.code, check=True)
        print(f"{len(json.loads(a.out.read_text()))} documents scored -> {a.out}")
    elif a.cmd == "_notes_worker":
        a.out.write_text(json.dumps(_notes_worker(a.corpus, a.code), indent=1, sort_keys=True))
    elif a.cmd == "run":
        scores = run(a.corpus.resolve(), a.work.resolve(), a.code.resolve())
        a.out.write_text(json.dumps(scores, indent=1, sort_keys=True))
        print(f"{len(scores)} documents scored -> {a.out}")
    else:
        print("\n".join(compare(json.loads(a.before.read_text()), json.loads(a.after.read_text()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
