"""Bombs: hostile documents end in bounded time and memory (``python -m bench.bombs``).

Each document of bad-external's README "Bombs" list is generated here (zlib, by hand: no file is
shipped), then ``python -m pipeline run --offline`` runs on a folder holding only it, with the
default settings. The whole process tree (the runner, the parser's fork server and its children)
is sampled every 0.1 s from /proc: the table gives the run's wall time, the document's outcome
and the peak of the tree's summed resident memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq


def _pdf(objects: list[bytes]) -> bytes:
    out, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _pages_pdf(contents: list[bytes]) -> bytes:
    n = len(contents)
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode()]
    font = 3 + 2 * n
    for i, content in enumerate(contents):
        data = zlib.compress(content, 9)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    return _pdf(objects)


_WORDS = ["budget", "court", "river", "school", "harbour", "museum", "station", "bridge", "market", "garden"]


def many_pages(n: int = 5000) -> bytes:
    """Pages with different sentences in mid-page, so none is taken for a running header."""

    def text(i: int) -> str:
        a, b, c = _WORDS[i % 10], _WORDS[i // 10 % 10], _WORDS[i // 100 % 10]
        return f"The {a} and the {b} were discussed at length by the {c} committee."

    return _pages_pdf([f"BT /F1 11 Tf 72 400 Td ({text(i)}) Tj ET".encode() for i in range(n)])


def giant_token(n: int = 200_000) -> bytes:
    return _pages_pdf([b"BT /F1 1 Tf 10 700 Td (" + b"x.y" * (n // 3) + b") Tj ET"])


def inflate_bomb(size: int = 2 << 30) -> bytes:
    co, block, chunks = zlib.compressobj(9), b" " * (1 << 24), []
    for _ in range(size // len(block)):
        chunks.append(co.compress(block))
    data = b"".join([*chunks, co.flush()])
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        ]
    )


def giant_paragraph(n: int = 1_200_000) -> bytes:
    sentence = "The council met on 3 May 2021 and agreed that the budget should grow by 4 percent. "
    return ("A brief\n\n" + (sentence * (n // len(sentence) + 1))[:n] + "\n").encode()


def wrapped_paragraph(n: int = 1_200_000, width: int = 80) -> bytes:
    """The same paragraph hard-wrapped at ``width`` columns: thousands of lines to join."""
    text = giant_paragraph(n).decode().split("\n\n", 1)[1]
    return ("A brief\n\n" + "\n".join(textwrap.wrap(text, width)) + "\n").encode()


def many_operators(n: int = 3_000_000) -> bytes:
    return _pages_pdf([b"BT /F1 1 Tf " + b"(a) Tj " * n + b"ET"])


BOMBS: dict[str, Callable[[], bytes]] = {
    "pages-5000.pdf": many_pages,
    "token-200000.pdf": giant_token,
    "inflate-2gib.pdf": inflate_bomb,
    "paragraph-1.2m.txt": giant_paragraph,
    "wrapped-1.2m.txt": wrapped_paragraph,
    "operators-3m.pdf": many_operators,
}


def _tree_rss(root: int) -> int:
    """Summed resident memory (bytes) of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo += children.get(pid, [])
    return total


def run_one(name: str, data: bytes, tmp: Path) -> tuple[float, int, str]:
    raw, out = tmp / name / "raw", tmp / name / "out"
    raw.mkdir(parents=True)
    (raw / name).write_bytes(data)
    env = {**os.environ, "DAGSTER_HOME": str(tmp / name / "home")}
    started, peak = time.monotonic(), 0
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(out), "--offline"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.1)
    seconds = time.monotonic() - started
    (row,) = pq.read_table(out / "documents.parquet").to_pylist()
    outcome = f"{row['status']} {row['error_code'] or ''} ({row['claims']} claims)".replace("  ", " ")
    return seconds, peak, outcome


def main() -> None:
    names = sys.argv[1:] or list(BOMBS)
    print(f"{'document':22} {'wall s':>7} {'peak RSS MiB':>12}  outcome")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            seconds, peak, outcome = run_one(name, BOMBS[name](), Path(tmp))
            print(f"{name:22} {seconds:7.1f} {peak / 2**20:12.0f}  {outcome}", flush=True)


if __name__ == "__main__":
    main()
