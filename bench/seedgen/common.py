"""Helpers shared by the renderers (adapted from the seed's pdfgen_common.py).

An article dict has the structure of the seed's article.markup.json: ``sections`` of
``paragraphs`` whose note markers are written ``[^N]`` and whose italic spans are ``*...*``,
and ``footnotes`` [{number, text, urls}].
"""

import json
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
#: the seed article with its notes marked, read in place from the team's corpus (never copied in)
SEED_MARKUP = HERE.parent.parent.parent / "shared" / "corpus" / "seed-article" / "article.markup.json"
TOKEN_RE = re.compile(r"\[\^(\d+)\]|\*([^*]+)\*|([^*\[]+|\[)")
MARKER_RE = re.compile(r"\[\^(\d+)\]")
URL_RE = re.compile(r"https?://[^\s]+")


def load_seed() -> dict[str, Any]:
    return json.loads(SEED_MARKUP.read_text(encoding="utf-8"))


def segments(text: str) -> list[tuple]:
    """Split a paragraph or note into ('text', s, italic) and ('note', n) segments."""
    out: list[tuple] = []
    for m in TOKEN_RE.finditer(text):
        if m.group(1):
            out.append(("note", int(m.group(1))))
        elif m.group(2) is not None:
            out.append(("text", m.group(2), True))
        else:
            out.append(("text", m.group(3), False))
    merged: list[tuple] = []  # adjacent runs of the same style become one
    for s in out:
        if merged and s[0] == "text" and merged[-1][0] == "text" and merged[-1][2] == s[2]:
            merged[-1] = ("text", merged[-1][1] + s[1], s[2])
        else:
            merged.append(s)
    return merged


def split_urls(text: str) -> list[tuple[str, str]]:
    """Split plain text into ('text', s) and ('url', s) pieces; trailing punctuation stays
    outside the URL (the same rule as the gold annotation)."""
    out, pos = [], 0
    for m in URL_RE.finditer(text):
        u = m.group(0)
        tail = ""
        while u and u[-1] in ".,;:)\"'":
            tail = u[-1] + tail
            u = u[:-1]
        if m.start() > pos:
            out.append(("text", text[pos : m.start()]))
        out.append(("url", u))
        if tail:
            out.append(("text", tail))
        pos = m.end()
    if pos < len(text):
        out.append(("text", text[pos:]))
    return out


def body_markers(article: dict[str, Any]) -> list[int]:
    """Note numbers of the body markers, in reading order."""
    body = " ".join(p for s in article["sections"] for p in s["paragraphs"])
    return [int(n) for n in MARKER_RE.findall(body)]


def orphan_groups(article: dict[str, Any]) -> tuple[set[int], dict[int | None, list[int]]]:
    """Notes whose marker is absent from the body, grouped under the preceding note whose
    marker is present: (present numbers, {anchor: [orphan, ...]})."""
    present = set(body_markers(article))
    groups: dict[int | None, list[int]] = {}
    last = None
    for f in article["footnotes"]:
        n = f["number"]
        if n in present:
            last = n
        else:
            groups.setdefault(last, []).append(n)
    return present, groups


def plain(text: str) -> str:
    """Markup without the italic asterisks (what the gold annotation holds)."""
    return text.replace("*", "")
