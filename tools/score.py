#!/usr/bin/env python3
# Vendored from the team's shared tools (../shared/tools/score.py) so tests and CI can score from a clean clone.
"""Score the claims dataset in extracted/ against a gold annotation.

Usage (from the project root, with the project's own Python, which has pyarrow):
    python ../shared/tools/score.py --gold GOLD.json --extracted extracted --source NAME.pdf

GOLD.json is either an article reconstruction (fields "sections" with paragraphs whose
footnote markers are written [^N], and "footnotes" [{number, text}]) or a notes-only
annotation ("footnotes" [{number, urls}], "urls" [...]).

The dataset contract read here (Parquet files in the extracted folder):
    documents.parquet   doc_id, source_path
    footnotes.parquet   doc_id, number, text, urls
    claims.parquet      doc_id, text, footnote_numbers
Prints one figure a line and, last, a one-line summary. Exit 0 always; 2 on unusable input.
"""
from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path


def norm_text(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    s = s.replace("\u00ad", "")
    s = re.sub(r"[\u2018\u2019\u201a\u201b]", "'", s)
    s = re.sub(r"[\u201c\u201d\u201e\u201f]", '"', s)
    s = re.sub(r"[\u2010-\u2015]", "-", s)
    return re.sub(r"\s+", " ", s).strip().lower()


def norm_url(u: str) -> str:
    """Compare URLs without scheme, leading www., case of the host, or a trailing slash."""
    u = (u or "").strip().rstrip(".,;:)]}>\"'")
    if not re.match(r"(?i)^[a-z][a-z0-9+.-]*:", u):
        u = "http://" + u
    m = re.match(r"(?i)^(https?)://([^/]+)(.*)$", u)
    if not m:
        return u.lower()
    scheme, host, rest = m.groups()
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    rest = rest.rstrip("/")
    return f"{host}{rest}"


def ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def read_table(folder: Path, name: str):
    import pyarrow.parquet as pq

    path = folder / f"{name}.parquet"
    if not path.exists():
        raise FileNotFoundError(path)
    return pq.read_table(path).to_pylist()


def gold_sentences(gold: dict) -> list[tuple[int, str]]:
    """(footnote number, sentence text without markers) for every marker in the gold body."""
    out = []
    for sec in gold.get("sections", []):
        for para in sec.get("paragraphs", []):
            # split into sentences roughly; a marker after the full stop stays with its sentence
            parts = re.split(r"([.!?][\"'\u201d]?(?:\[\^\d+\])*)\s+(?=[A-Z\u201c\"])", para)
            sents = ["".join(parts[i : i + 2]) for i in range(0, len(parts), 2)]
            for sent in sents:
                for n in re.findall(r"\[\^(\d+)\]", sent):
                    out.append((int(n), norm_text(re.sub(r"\[\^\d+\]", "", sent))))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--extracted", default="extracted")
    ap.add_argument("--source", required=True, help="file name of the scored document (as in documents.source_path)")
    ap.add_argument("--text-threshold", type=float, default=0.9)
    args = ap.parse_args()

    gold = json.loads(Path(args.gold).read_text())
    folder = Path(args.extracted)
    try:
        docs = read_table(folder, "documents")
        notes = read_table(folder, "footnotes")
    except Exception as e:  # noqa: BLE001
        print(f"unusable extracted folder: {e}")
        return 2
    ids = [d["doc_id"] for d in docs if Path(str(d.get("source_path", ""))).name == args.source]
    if not ids:
        print(f"no document with source {args.source} in documents.parquet")
        print("summary: document missing")
        return 0
    doc_id = ids[0]
    out_notes = {}
    for n in notes:
        if n["doc_id"] == doc_id:
            out_notes.setdefault(int(n["number"]), n)

    gold_notes = {int(f["number"]): f for f in gold.get("footnotes", [])}
    if gold.get("partial"):
        # long documents are annotated only up to a note number: judge only those notes
        upto = int(gold.get("footnotes_complete_through") or max(gold_notes))
        out_notes = {k: v for k, v in out_notes.items() if k <= upto}
        gold_notes = {k: v for k, v in gold_notes.items() if k <= upto}
    figures = {}

    # footnote text
    if any("text" in f for f in gold_notes.values()):
        good = sum(
            1
            for k, f in gold_notes.items()
            if k in out_notes and ratio(norm_text(f.get("text", "")), norm_text(out_notes[k].get("text", ""))) >= args.text_threshold
        )
        figures["footnote_text_recall"] = good / max(1, len(gold_notes))
        figures["footnote_text_precision"] = good / max(1, len(out_notes))
    figures["footnote_numbers_found"] = len(set(out_notes) & set(gold_notes)) / max(1, len(gold_notes))
    if not gold.get("partial") and gold.get("footnote_count"):
        figures["footnote_numbers_spurious"] = len(set(out_notes) - set(range(1, int(gold["footnote_count"]) + 1)))
    else:
        figures["footnote_numbers_spurious"] = len(set(out_notes) - set(gold_notes))

    # urls
    gold_urls = {norm_url(u) for u in gold.get("urls", [])}
    if not gold_urls:
        for f in gold_notes.values():
            gold_urls |= {norm_url(u) for u in f.get("urls", [])}
            gold_urls |= {norm_url(u) for u in re.findall(r"https?://\S+", f.get("text", ""))}
    scoped = out_notes
    if gold.get("partial") and "only" not in str(gold.get("urls_scope", "")):
        scoped = {int(n["number"]): n for n in notes if n["doc_id"] == doc_id}  # urls listed for the whole document
    out_urls = {norm_url(u) for n in scoped.values() for u in (n.get("urls") or [])}
    if gold_urls:
        hit = len(gold_urls & out_urls)
        figures["url_recall"] = hit / len(gold_urls)
        figures["url_precision"] = hit / max(1, len(out_urls))

    # marker linkage: a claim carrying footnote N whose text matches the gold sentence
    sents = gold_sentences(gold)
    if sents:
        try:
            claims = [c for c in read_table(folder, "claims") if c["doc_id"] == doc_id]
        except Exception as e:  # noqa: BLE001
            claims = []
            print(f"claims unreadable: {e}")
        by_note: dict[int, list[str]] = {}
        for c in claims:
            for n in c.get("footnote_numbers") or []:
                by_note.setdefault(int(n), []).append(norm_text(c.get("text", "")))
        linked = 0
        for n, s in sents:
            cands = by_note.get(n, [])
            if any(ratio(s, c) >= 0.8 or (len(s) > 30 and s[:60] in c) or (len(c) > 30 and c in s) for c in cands):
                linked += 1
        figures["marker_linkage"] = linked / len(sents)
        figures["gold_markers"] = len(sents)

    for k, v in figures.items():
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}")
    keys = [k for k in ("footnote_text_recall", "url_recall", "url_precision", "marker_linkage") if k in figures]
    print("summary: " + " ".join(f"{k}={figures[k]:.3f}" for k in keys))
    return 0


if __name__ == "__main__":
    sys.exit(main())
