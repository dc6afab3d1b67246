"""Text tools every step shares: URLs, words, joining printed lines, dates.

``urls``      find, clean and compare URLs and DOIs in running text
``words``     word frequencies (is a fragment a word?)
``linejoin``  join a note's printed lines, repairing words and URLs broken at line ends
``dates``     find dates and give them in ISO form at the precision printed
"""

from pipeline.core.text.dates import DateMatch, find_dates, parse_date
from pipeline.core.text.linejoin import (
    JoinedText,
    LinePiece,
    extract_url_refs,
    hyphen_is_real,
    hyphens_added_evidence,
    join_lines,
    joins_hyphenated_word,
    joins_without_space,
)
from pipeline.core.text.urls import UrlMatch, clean_url, find_dois, find_urls, repair_url, with_scheme
from pipeline.core.text.words import word_score

__all__ = [
    "DateMatch",
    "JoinedText",
    "LinePiece",
    "UrlMatch",
    "clean_url",
    "extract_url_refs",
    "find_dates",
    "find_dois",
    "find_urls",
    "hyphen_is_real",
    "hyphens_added_evidence",
    "join_lines",
    "joins_hyphenated_word",
    "joins_without_space",
    "parse_date",
    "repair_url",
    "with_scheme",
    "word_score",
]
