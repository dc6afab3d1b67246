"""Plain-text path: time to read notes and markers from a text extraction.

    python -m bench.text_split [--repeat 3]

Compares ``footnotes.split_notes`` on a text document with the bare reading of the same file
(``layout.read_text``: decode and split into lines), in one process, on the seed extraction and
on synthetic interleaved articles of growing size (to show that fragment matching stays linear).
CPU time (``time.process_time``) of the best of ``--repeat`` runs; both sides of a ratio come
from the same run.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from pipeline.core.footnotes import split_notes
from pipeline.core.layout import read_text

ROOT = Path(__file__).resolve().parent.parent
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def synthetic(notes: int, seed: int = 1) -> str:
    """An interleaved article: paragraphs cut by note blocks, one note in four continued later."""
    rnd = random.Random(seed)
    blocks: list[str] = []
    n = 1
    while n <= notes:
        k = min(4, notes - n + 1)
        body = " ".join(
            f"Sentence about topic {rnd.randint(1, 99)} and more words here.{str(n + i).translate(_SUP)}"
            for i in range(k)
        )
        blocks.append(body + " The paragraph then goes on and is cut in the")
        for i in range(k):
            m = n + i
            if i == 1:
                blocks.append(f"{str(m).translate(_SUP)} Author {m}, “Title {m},” Journal, May {1 + m % 27},")
                blocks.append(f"{2000 + m % 20}, https://example.org/a/{m}-report-on-things")
            else:
                blocks.append(
                    f"{str(m).translate(_SUP)} Author {m}, “Title {m},” Journal, 2020, https://example.org/b/{m}"
                )
        blocks.append("middle of a sentence that continues here after the notes.")
        n += k
    return "\n\n".join(blocks) + "\n"


def best_of(repeat: int, fn) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    cases = [("article-seed.txt", (ROOT / "raw" / "article-seed.txt").read_bytes())]
    cases += [(f"synthetic, {n} notes", synthetic(n).encode()) for n in (100, 400, 1600)]
    print("| input | kB | notes | markers | read s | split s | split / read | notes per s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, data in cases:

        def read(data: bytes = data):
            return read_text(data, doc_id="b", source_path="b.txt", sha256="0" * 64)

        doc = read()
        split = split_notes(doc)
        t_read = best_of(args.repeat, read)
        t_split = best_of(args.repeat, lambda doc=doc: split_notes(doc))
        ratio = t_split / t_read if t_read else float("inf")
        rate = len(split.notes) / t_split if t_split else float("inf")
        print(
            f"| {name} | {len(data) // 1000} | {len(split.notes)} | {len(split.markers)} | "
            f"{t_read:.4f} | {t_split:.3f} | {ratio:.0f} | {rate:.0f} |"
        )


if __name__ == "__main__":
    main()
