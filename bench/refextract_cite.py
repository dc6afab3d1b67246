"""refextract on notes given one per line, written as ``python -m pipeline cite`` writes them.

Run by ``bench.citations`` with the Python of its own environment (refextract pins pypdf < 7,
which the project's dev tools do not allow): one JSON object per input line,
``{"note": N, "citations": [...]}``, each reference's fields named as in citations.parquet.
"""

import json
import sys

from refextract import extract_references_from_string


def fields(ref: dict) -> dict:
    first = lambda key: (ref.get(key) or [None])[0]  # noqa: E731
    year = first("year")
    return {
        "authors": ref.get("author") or [],
        "title": first("title"),
        "container": first("journal_title") or first("collaboration"),
        "published": year,
        "urls": ref.get("url") or [],
        "doi": first("doi"),
        "kind": "full",
    }


def main() -> int:
    for number, line in enumerate(sys.stdin.read().splitlines(), start=1):
        refs = extract_references_from_string(line, is_only_references=True) if line.strip() else []
        out = {"note": number, "citations": [fields(r) for r in refs]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
