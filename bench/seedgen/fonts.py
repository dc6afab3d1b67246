"""The font files the renderers use, all from Debian packages.

Kept free of third-party imports so that bench.make_corpus can say what is missing before it
imports a renderer.
"""

from pathlib import Path

CROSEXTRA = Path("/usr/share/fonts/truetype/crosextra")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
# Caladea and Carlito for the two-column layout; DejaVu Serif and Sans (core) and their italic and
# condensed cuts (extra) for the endnotes layout
PACKAGES = ("fonts-crosextra-caladea", "fonts-crosextra-carlito", "fonts-dejavu-core", "fonts-dejavu-extra")
TWOCOLUMN = [
    CROSEXTRA / f"{fam}-{suf}.ttf"
    for fam in ("Caladea", "Carlito")
    for suf in ("Regular", "Italic", "Bold", "BoldItalic")
]
ENDNOTES = [
    DEJAVU / name
    for name in (
        "DejaVuSerif.ttf",
        "DejaVuSerif-Italic.ttf",
        "DejaVuSerif-Bold.ttf",
        "DejaVuSerif-BoldItalic.ttf",
        "DejaVuSans.ttf",
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSansCondensed.ttf",
        "DejaVuSansCondensed-Bold.ttf",
    )
]


def missing() -> list[Path]:
    return [p for p in (*TWOCOLUMN, *ENDNOTES) if not p.exists()]
