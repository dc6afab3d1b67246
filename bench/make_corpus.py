"""Make the benchmark corpus: N varied articles rendered from the seed article, deterministically.

    python -m bench.make_corpus [--docs 200] [--seed 7] [--out bench/results/corpus] [--jobs 2]

Every document is a variation of the seed article (../shared/corpus/seed-article/article.markup.json, read in place): a subset of
its sections and paragraphs in a shuffled order, other countries, capitals and people, shifted
years and scaled figures, another author, kicker, date and title, a subset of the notes renumbered
in reading order (markers and notes consistently; a few notes without a marker, as in the seed),
and some URLs varied. Document i depends only on (seed, i), so a corpus of 201 documents is the
corpus of 200 plus one. Layouts cycle twocolumn, endnotes, text, twocolumn, endnotes: 40% two-column
ReportLab PDFs with footnotes, 40% fpdf2 PDFs with endnotes, 20% plain text.

The folder gets the documents, ``.gold/<name>.json`` (the article as rendered, in the format of
the seed's gold ``article.json``, so ``../shared/tools/score.py`` can score any document) and ``.manifest.json``.
Both are hidden, so the pipeline does not read them. The folder is replaced as a whole: the corpus is
built next to it and renamed into place.
"""

import argparse
import copy
import datetime as dt
import json
import math
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.seedgen import common as C

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results" / "corpus"
MANIFEST = ".manifest.json"
GOLD_DIR = ".gold"
VERSION = 1  # bump when the same (seed, index) would give a different document
LAYOUTS = ("twocolumn", "endnotes", "text", "twocolumn", "endnotes")
SUFFIX = {"twocolumn": ".pdf", "endnotes": ".pdf", "text": ".txt"}
PY_MODULES = {"reportlab": "reportlab", "fpdf": "fpdf2", "pyphen": "pyphen", "PIL": "pillow"}

# (country, adjective, capital) as they occur in the seed body; renamed consistently per document
COUNTRIES = [
    ("Iran", "Iranian", "Tehran"),
    ("Russia", "Russian", "Moscow"),
    ("Turkey", "Turkish", "Ankara"),
    ("Azerbaijan", "Azerbaijani", "Baku"),
    ("Armenia", "Armenian", "Yerevan"),
    ("Georgia", "Georgian", "Tbilisi"),
    ("Israel", "Israeli", "Tel Aviv"),
    ("Ukraine", "Ukrainian", "Kyiv"),
]
OTHER_COUNTRIES = [
    ("Kazakhstan", "Kazakh", "Astana"),
    ("Egypt", "Egyptian", "Cairo"),
    ("Pakistan", "Pakistani", "Islamabad"),
    ("Poland", "Polish", "Warsaw"),
    ("Brazil", "Brazilian", "Brasília"),
    ("Indonesia", "Indonesian", "Jakarta"),
    ("Nigeria", "Nigerian", "Abuja"),
    ("Vietnam", "Vietnamese", "Hanoi"),
    ("Kenya", "Kenyan", "Nairobi"),
    ("Mexico", "Mexican", "Mexico City"),
    ("Chile", "Chilean", "Santiago"),
    ("Serbia", "Serbian", "Belgrade"),
]
PEOPLE = ["Kaleji", "Shevardnadze", "Demirel", "Erdogan", "Soleimani", "Saakashvili", "Fidan"]
SURNAMES = [
    "Okafor", "Lindqvist", "Haddad", "Moreau", "Nakamura", "Petrov", "Castellanos", "Mensah", "Kowalski",
    "Brennan", "Sato", "Abdi", "Ferreira", "Novak", "Oyelaran", "Galanis", "Varga", "Quispe", "Halvorsen",
]  # fmt: skip
FIRST_NAMES = [
    "Amara", "Jonas", "Leila", "Tomasz", "Ines", "Rafael", "Mei", "Dmitri", "Sofia", "Kwame", "Helena",
    "Omar", "Priya", "Lukas", "Nadia", "Elif", "Marco", "Yara",
]  # fmt: skip
KICKERS = ["Feature Article", "Policy Brief", "Analysis", "Commentary", "Working Paper", "Research Note"]
TITLES = [
    ("{A}'s Security Posture in the South Caucasus After the War in {U}", "{A}'s Security Posture"),
    ("{A}, {B} and the New Geometry of the South Caucasus", "{A}, {B} and the South Caucasus"),
    ("Between {B} and {C}: {A}'s Regional Strategy", "{A}'s Regional Strategy"),
    ("How the War in {U} Reshaped {A}'s Neighbourhood", "{A}'s Neighbourhood"),
    ("Corridors and Rivalries: {A}, {C} and {D}", "Corridors and Rivalries"),
]
YEAR_RE = re.compile(r"^(19[5-9]\d|20[0-3]\d)$")
# a figure standing alone: not part of a word, a date like 07/10, a model name like S-400 or 44-day
NUMBER_RE = re.compile(r"(?<![\w/.,^-])(?:\d{1,3}(?:,\d{3})+|\d+)(?![\w/-]|[.,]\d)")


class CorpusError(RuntimeError):
    """The corpus cannot be made here; the message says why and what to install."""


# ------------------------------------------------------------------------------ requirements
def missing_requirements() -> list[str]:
    """What is missing to render the corpus (Debian fonts, the bench extra), as messages."""
    from bench.seedgen import fonts

    problems = []
    absent = fonts.missing()
    if absent:
        problems.append(
            f"{len(absent)} font file(s) missing (e.g. {absent[0]}): install the Debian packages "
            f"with `apt-get install {' '.join(fonts.PACKAGES)}`"
        )
    packages = []
    for module, package in PY_MODULES.items():
        try:
            __import__(module)
        except ImportError:
            packages.append(package)
    if packages:
        problems.append(
            f"Python package(s) {', '.join(packages)} missing: install the bench extra with "
            "`.venv/bin/uv pip install --python .venv/bin/python -e '.[dev,bench]'`"
        )
    return problems


def check_requirements() -> None:
    problems = missing_requirements()
    if problems:
        raise CorpusError("cannot render the benchmark corpus:\n  " + "\n  ".join(problems))


# ------------------------------------------------------------------------------ variation
def _word_sub(mapping: dict[str, str]) -> Callable[[str], str]:
    """One pass over the text, so that renaming A->B and B->A does not chain."""
    if not mapping:
        return lambda s: s
    keys = sorted(mapping, key=len, reverse=True)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(k) for k in keys) + r")\b")
    return lambda s: pattern.sub(lambda m: mapping[m.group(0)], s)


def _name_mapping(rng: random.Random) -> tuple[dict[str, str], dict[str, tuple[str, str, str]]]:
    """Rename about 60% of the seed's countries (with adjective and capital) and its people."""
    renamed = [c for c in COUNTRIES if rng.random() < 0.6]
    kept = [c for c in COUNTRIES if c not in renamed]
    free = [c for c in COUNTRIES + OTHER_COUNTRIES if c not in kept]
    targets = rng.sample(free, len(renamed))
    chosen = {c[0]: c for c in kept} | {src[0]: dst for src, dst in zip(renamed, targets, strict=True)}
    words: dict[str, str] = {}
    for src in renamed:
        dst = chosen[src[0]]
        words.update(zip(src, dst, strict=True))
    people = rng.sample(SURNAMES, len(PEOPLE))
    words.update({p: q for p, q in zip(PEOPLE, people, strict=True) if rng.random() < 0.7})
    return words, chosen


def _vary_numbers(text: str, rng: random.Random, year_shift: int) -> str:
    def one(m: re.Match) -> str:
        raw = m.group(0)
        value = int(raw.replace(",", ""))
        if YEAR_RE.match(raw):
            return str(value + year_shift)
        if value < 32:  # days of the month, small counts: leave them
            return raw
        new = value * rng.uniform(0.6, 1.8)
        digits = max(0, int(math.log10(new)) - 1)  # two significant figures
        new = max(32, round(new / 10**digits) * 10**digits)
        if text[m.end() : m.end() + 1] == "%":
            new = min(new, 99)
        return f"{new:,}" if "," in raw else str(new)

    return NUMBER_RE.sub(one, text)


def _vary_body_text(text: str, rename: Callable[[str], str], rng: random.Random, year_shift: int) -> str:
    """Names and figures change in the prose only, never inside a marker."""
    parts = re.split(r"(\[\^\d+\])", text)
    return "".join(
        p if C.MARKER_RE.fullmatch(p) else _vary_numbers(rename(p), rng, year_shift) for p in parts
    )


def _vary_url(url: str, rng: random.Random) -> str:
    """Half of the URLs stay as cited; the others change the way real citations differ."""
    roll = rng.random()
    if roll < 0.5:
        return url
    m = re.match(r"(https?)://([^/]+)(/.*)?$", url)
    if not m:
        return url
    scheme, host, path = m.group(1), m.group(2), m.group(3) or "/"
    if roll < 0.65:
        sep = "&" if "?" in path else "?"
        return f"{scheme}://{host}{path}{sep}utm_source=newsletter&utm_medium=email"
    if roll < 0.8:
        host = host[4:] if host.startswith("www.") else "www." + host
        return f"{scheme}://{host}{path}"
    # a different page on the same site: another slug, or a revised file
    stem, dot, ext = path.rpartition(".") if re.search(r"\.[a-z]{2,4}$", path) else (path, "", "")
    stem = stem.rstrip("/")
    tail = rng.choice(["-update", "-2", "-revised", "-full-text", f"-{rng.randint(100, 999)}"])
    return f"{scheme}://{host}{stem}{tail}{dot}{ext}"


def vary_article(base: dict[str, Any], seed: int, index: int) -> dict[str, Any]:
    """The article of document ``index``: a deterministic variation of ``base`` (markup form)."""
    rng = random.Random(f"footnote-bench:{seed}:{index}")
    words, chosen = _name_mapping(rng)
    rename = _word_sub(words)
    year_shift = rng.randint(0, 2)

    lead, *rest = base["sections"]
    sections = rng.sample(rest, rng.randint(2, len(rest)))
    if rng.random() < 0.5:  # half the documents keep the seed's order of sections
        sections.sort(key=rest.index)
    picked = [{"heading": lead["heading"], "paragraphs": lead["paragraphs"][:1]}]
    for sec in sections:
        n = len(sec["paragraphs"])
        keep = sorted(rng.sample(range(n), rng.randint(max(1, math.ceil(n * 0.4)), n)))
        if rng.random() < 0.25:
            rng.shuffle(keep)
        picked.append({"heading": sec["heading"], "paragraphs": [sec["paragraphs"][i] for i in keep]})

    # renumber the notes in reading order; a kept note's orphans (notes with no marker in the
    # seed) come along half of the time and take the numbers right after it
    _, orphans = C.orphan_groups(base)
    old_notes = {f["number"]: f for f in base["footnotes"]}
    new_number: dict[int, int] = {}
    order: list[int] = []
    for sec in picked:
        for p in sec["paragraphs"]:
            for old in (int(n) for n in C.MARKER_RE.findall(p)):
                if old in new_number:
                    continue
                new_number[old] = len(order) + 1
                order.append(old)
                if orphans.get(old) and rng.random() < 0.5:
                    order.extend(orphans[old])

    def renumber(text: str) -> str:
        return C.MARKER_RE.sub(lambda m: f"[^{new_number[int(m.group(1))]}]", text)

    url_map: dict[str, str] = {}

    def url_of(u: str) -> str:
        if u not in url_map:
            url_map[u] = _vary_url(u, rng)
        return url_map[u]

    footnotes = []
    for number, old in enumerate(order, 1):
        note = old_notes[old]
        text = "".join(url_of(s) if kind == "url" else s for kind, s in C.split_urls(note["text"]))
        footnotes.append({"number": number, "text": text, "urls": [url_of(u) for u in note["urls"]]})

    sections_out = [
        {
            "heading": rename(sec["heading"]) if sec["heading"] else None,
            "paragraphs": [renumber(_vary_body_text(p, rename, rng, year_shift)) for p in sec["paragraphs"]],
        }
        for sec in picked
    ]
    first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
    author = f"{first} {last}"
    names = {k: chosen[c[0]][0] for k, c in zip("ABCDU", [*COUNTRIES[:4], COUNTRIES[7]], strict=True)}
    title, short = (t.format(**names) for t in rng.choice(TITLES))
    date = dt.date(2024 + year_shift, 1, 1) + dt.timedelta(days=rng.randint(0, 330))
    art = copy.deepcopy(base)
    art.update(
        kicker=rng.choice(KICKERS),
        title=title,
        short_title=short,
        author=author,
        date=date.isoformat(),
        standfirst=_vary_body_text(base["standfirst"], rename, rng, year_shift),
        figures=base["figures"] if rng.random() < 0.7 else [],
        sections=sections_out,
        footnotes=footnotes,
        author_bio=base["author_bio"].replace(base["author"], author),
        notes=[f"benchmark variation {index} of the seed article (seed {seed})"],
        urls=sorted({u for f in footnotes for u in f["urls"]}),
    )
    return art


def gold_of(art: dict[str, Any], name: str, layout: str) -> dict[str, Any]:
    """The gold annotation of a rendered article: the plain text (no italics markup)."""

    def strip(o: Any) -> Any:
        if isinstance(o, str):
            return C.plain(o)
        if isinstance(o, list):
            return [strip(x) for x in o]
        if isinstance(o, dict):
            return {k: (v if k in {"notes", "urls"} else strip(v)) for k, v in o.items()}
        return o

    gold = strip(art)
    gold["source"] = name
    gold["layout"] = layout
    return gold


# ------------------------------------------------------------------------------ rendering
def document_name(index: int) -> tuple[str, str]:
    layout = LAYOUTS[index % len(LAYOUTS)]
    return f"doc-{index:04d}-{layout}{SUFFIX[layout]}", layout


def render_document(seed: int, index: int, out_dir: Path, photo: Path | None) -> dict[str, Any]:
    """Vary, render and annotate document ``index`` into ``out_dir``; returns its manifest entry."""
    from bench.seedgen import endnotes, plaintext, twocolumn

    name, layout = document_name(index)
    art = vary_article(C.load_seed(), seed, index)
    started = time.monotonic()
    try:
        if layout == "twocolumn":
            info = twocolumn.render(art, out_dir / name, photo)
        elif layout == "endnotes":
            info = endnotes.render(art, out_dir / name, photo)
        else:
            style = plaintext.STYLES[(index // len(LAYOUTS)) % len(plaintext.STYLES)]
            info = plaintext.render(art, out_dir / name, style=style)
    except Exception as exc:  # name the document: the renderers' own messages do not
        raise CorpusError(f"cannot render {name} (seed {seed}, index {index}): {exc}") from exc
    gold = gold_of(art, name, layout)
    (out_dir / GOLD_DIR).mkdir(exist_ok=True)
    (out_dir / GOLD_DIR / f"{name}.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False), "utf-8")
    return {
        "name": name,
        "layout": layout,
        "index": index,
        "pages": info["pages"],
        "paragraphs": sum(len(s["paragraphs"]) for s in art["sections"]),
        "notes": len(art["footnotes"]),
        "markers": len(C.body_markers(art)),
        "urls": len(art["urls"]),
        "render_seconds": round(time.monotonic() - started, 2),
    }


def _render_one(args: tuple[int, int, str, str | None]) -> dict[str, Any]:
    seed, index, out_dir, photo = args
    return render_document(seed, index, Path(out_dir), Path(photo) if photo else None)


def _refuse_unsafe_target(out: Path) -> None:
    out = out.resolve()
    raw = (ROOT / "raw").resolve()
    if out == raw or raw in out.parents:
        raise CorpusError(f"refusing to write the benchmark corpus into {out}: raw/ holds the real inputs")
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise CorpusError(f"refusing to replace {out}: it is not empty and was not made by bench.make_corpus")


def make_corpus(
    out: Path,
    docs: int = 200,
    seed: int = 7,
    jobs: int = 1,
    log: Callable[[str], None] = lambda s: None,
) -> dict[str, Any]:
    """Render ``docs`` documents into ``out`` (replaced as a whole); returns the manifest."""
    _refuse_unsafe_target(out)
    check_requirements()
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        from bench.seedgen import placeholder_image

        photo = placeholder_image.make(tmp / ".photo.png")
        tasks = [(seed, i, str(tmp), str(photo)) for i in range(docs)]
        entries: list[dict[str, Any]] = []

        def done(entry: dict[str, Any]) -> None:
            entries.append(entry)
            log(f"[{len(entries)}/{docs}] {entry['name']}: {entry['pages']} page(s), {entry['notes']} notes")

        if jobs > 1:
            with ProcessPoolExecutor(jobs) as pool:
                for entry in pool.map(_render_one, tasks):
                    done(entry)
        else:
            for task in tasks:
                done(_render_one(task))
        Path(photo).unlink()
        manifest = {
            "generator": "bench.make_corpus",
            "version": VERSION,
            "seed": seed,
            "docs": docs,
            "seconds": round(time.monotonic() - started, 1),
            "files": entries,
        }
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1), "utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return manifest


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def is_corpus(folder: Path, docs: int, seed: int) -> bool:
    """True when ``folder`` holds exactly the corpus (docs, seed) of this generator version."""
    m = read_manifest(folder)
    if not m or (m.get("version"), m.get("docs"), m.get("seed")) != (VERSION, docs, seed):
        return False
    return all((folder / e["name"]).is_file() for e in m["files"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.make_corpus", description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=200, help="number of documents (default 200)")
    ap.add_argument("--seed", type=int, default=7, help="variation seed (default 7)")
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"folder to (re)create (default {DEFAULT_OUT})"
    )
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="render processes")
    args = ap.parse_args(argv)
    if args.docs < 1:
        ap.error("--docs must be at least 1")
    try:
        manifest = make_corpus(args.out, args.docs, args.seed, args.jobs, log=print)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    files = manifest["files"]
    by_layout: dict[str, int] = {}
    for e in files:
        by_layout[e["layout"]] = by_layout.get(e["layout"], 0) + 1
    print(
        f"{len(files)} documents ({', '.join(f'{v} {k}' for k, v in sorted(by_layout.items()))}), "
        f"{sum(e['pages'] for e in files)} pages, {sum(e['notes'] for e in files)} notes, "
        f"in {manifest['seconds']}s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
