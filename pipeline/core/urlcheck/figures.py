"""Figures: the numbers, amounts, percentages and dates of a text, normalised so that the way they
are written does not matter ("$600 million" = "600m" = "600,000,000"; "42%" = "42 per cent";
"September 16, 2022" = "16 Sept. 2022" = "2022-09-16").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july",
            "aug august", "sep sept september", "oct october", "nov november", "dec december",
        ]
    )
    for m in names.split()
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I),
]
_MAGNITUDE = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "tr": 1e12,
}  # fmt: skip
_PERCENT = re.compile(r"(?<![\w.])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?:%|per\s?cent\b|percent\b|pct\b)", re.I)
_NUMBER = re.compile(
    r"(?P<cur>(?:US|A|C)?\$|[€£¥₹]|\b(?:usd|eur|gbp|rials?|lira)\s)?\s?"
    r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"(?:(?P<unit>k|mn|m|mln|bn|b|bln|tn)\b|\s*(?P<word>thousand|million|billion|trillion)\b)?",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """One figure: ``number``/``percent`` with a value, or ``date`` as (year, month, day)."""

    kind: str
    value: float | tuple[int, int | None, int | None]
    text: str
    #: a bare year or a small bare count: too common to prove anything on its own
    weak: bool = False

    def matches(self, other: Figure) -> bool:
        """The same figure, however written (a claim's date matches a more precise one)."""
        if self.kind != other.kind:
            return False
        if self.kind == "date":
            mine, theirs = self.value, other.value
            assert isinstance(mine, tuple) and isinstance(theirs, tuple)
            return all(a is None or a == b for a, b in zip(mine, theirs, strict=True))
        a, b = float(self.value), float(other.value)  # type: ignore[arg-type]
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1.0)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _dates(text: str) -> tuple[list[Figure], list[tuple[int, int]]]:
    out: list[Figure] = []
    spans: list[tuple[int, int]] = []
    for pattern in _DATES:
        for m in pattern.finditer(_masked(text, spans)):
            groups = m.groupdict()
            month = _MONTHS.get((groups.get("month") or "").lower()) or (
                int(groups["mnum"]) if groups.get("mnum") else None
            )
            day = int(groups["day"]) if groups.get("day") else None
            year = int(groups["year"])
            if not (1000 <= year <= 2999) or (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
                continue
            out.append(Figure("date", (year, month, day), m.group(0)))
            out.append(Figure("number", float(year), m.group("year"), weak=True))  # "in 2022" matches it
            spans.append(m.span())
    return out, spans


def extract_figures(text: str) -> list[Figure]:
    """Every figure of ``text``: dates, then percentages, then numbers and amounts."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    figures, spans = _dates(text)
    for m in _PERCENT.finditer(_masked(text, spans)):
        figures.append(Figure("percent", float(m.group("n").replace(",", "")), m.group(0)))
        spans.append(m.span())
    for m in _NUMBER.finditer(_masked(text, spans)):
        unit = (m.group("unit") or m.group("word") or "").lower()
        if unit in ("m", "b", "k") and m.group(0).rstrip()[-2:-1].isspace():
            unit = ""  # "5 m" is more likely metres than millions; only "5m" is read as millions
        value = float(m.group("n").replace(",", "") + (m.group("frac") or "")) * _MAGNITUDE.get(unit, 1.0)
        bare = not unit and not m.group("cur")
        year = bare and not m.group("frac") and 1800 <= value <= 2100 and "," not in m.group("n")
        if bare and value < 10:
            continue  # "3 people", list numbers: noise
        figures.append(Figure("number", value, m.group(0).strip(), weak=bool(year)))
    return figures
