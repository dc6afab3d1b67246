"""Fields from the tagger's labels: the first run of each label, cleaned as the rules clean theirs.

``tagger`` says which tokens are authors, title, container; this module turns those runs into
the stored fields (authors split into people, "In" and quotes dropped). ``fields`` decides when
these win over the rules: where the rules had no typographic evidence (quotes, italics).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.core.citations.names import find_authors
from pipeline.core.citations.people import split_people
from pipeline.core.citations.segments import clean
from pipeline.core.citations.tagger import Token, tag
from pipeline.core.text.words import word_score


@dataclass(frozen=True)
class TaggedFields:
    authors: list[str] = field(default_factory=list)
    title: str | None = None
    container: str | None = None
    edited: bool = False  # the work opens with its editors: it has no authors


# a title or a name never ends on these: a run that does was cut in mid-phrase
_CUT_AFTER = {"of", "in", "the", "and", "for", "on", "to", "a", "an", "with", "from", "by", "&", "at"}
_CONNECTORS = {"&", "and", "of", "the", "in", "for", "on", "und", "et", "de", "du", "des", "y", "e", "and/or"}
# where a container stops: a volume, pages, a date or an access note after its name
# (a number that is part of the name, "Proceedings of the 24th ...", "CHI 2015", is no locator)
_LOCATOR = re.compile(
    r"(?i)^(?:\d+[,:;(]|\d+[\u2013-]\d|\(\d|pp?\.|vol\.|no\.|nr\.|url\b|available\b|retrieved\b|[ivxlc]+[:,]|\d+\.\w)"
)


def _first_run(tagged: Sequence[tuple[Token, str]], label: str) -> tuple[int, int] | None:
    """Where the first run of ``label`` starts and ends in the text. A name does not stop at one
    connector the tagger read otherwise ("ACS Applied Materials & Interfaces"), nor end on one."""
    start = end = None
    for i, (tok, lab) in enumerate(tagged):
        bridge = start is not None and _bridges(tagged, i, label)
        if lab == label or bridge:
            start = tok.start if start is None else start
            end = tok.end
        elif start is not None:
            break
    return (start, end) if start is not None and end is not None else None


def _with_series(text: str, tagged: Sequence[tuple[Token, str]]) -> tuple[int, int] | None:
    """The container's run; a series run that goes on from it without a stop between ("Research
    and | Development in Information Retrieval") is the rest of its name."""
    span = _first_run(tagged, "container")
    if span is None or not text[span[1] - 1].isalnum():
        return span
    rest = _first_run([(t, lab) for t, lab in tagged if t.start >= span[1]], "series")
    if rest is not None and rest[0] == _next_word(text, span[1]):
        return (span[0], rest[1])
    return span


def _whole_name(
    text: str, tagged: Sequence[tuple[Token, str]], span: tuple[int, int] | None
) -> tuple[int, int] | None:
    """A container that ends on "of" or "the" ("Proceedings of | AAAI-92") runs on through the
    next word; one made only of such words ("The | MIT Press") is none."""
    if span is None:
        return None
    words = text[span[0] : span[1]].split()
    if all(w.lower().strip(".,:;") in _CONNECTORS for w in words):
        return None
    if words[-1].lower() not in _CUT_AFTER:
        return span
    after = next((tok for tok, _ in tagged if tok.start >= span[1]), None)
    if after is None or _LOCATOR.match(after.text):
        return span
    return (span[0], after.end)


def _bridges(tagged: Sequence[tuple[Token, str]], i: int, label: str) -> bool:
    """Connectors from ``i`` on ("and the") lead back into a run of ``label``."""
    j = i
    while j < len(tagged) and j - i < 2 and tagged[j][0].text.lower() in _CONNECTORS:
        j += 1
    return i < j < len(tagged) and tagged[j][1] == label


def _trim_container(text: str, span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A container ends before a volume, pages, a date or an access note ("Diacritics 33",
    "Political Behavior pp. 1-22")."""
    if span is None:
        return None
    words = list(re.finditer(r"\S+", text[span[0] : span[1]]))
    for k, m in enumerate(words[1:], start=1):
        after = words[k + 1].group() if k + 1 < len(words) else ""
        number = m.group().rstrip(".,;").isdigit()
        volume = number and (after[:1] in ("(", *"0123456789") or (not after and len(m.group()) <= 3))
        if _LOCATOR.match(m.group()) or volume:
            return (span[0], span[0] + m.start()) if m.start() else None
    return span


def _field(text: str, span: tuple[int, int] | None) -> str | None:
    if span is None:
        return None
    value = text[span[0] : span[1]]
    value = re.sub(r"^(?:[Ii]n:?\s+|[Dd]ans\s+)", "", value.strip())
    value = value.strip(" .,;:([\u00ab\u00bb")
    value = re.sub(r"[\u201d\u2019\"']?\s*\($", "", value)
    if value.endswith(")") and value.count("(") < value.count(")"):
        value = value[:-1]
    return clean(value.rstrip(".")) if not re.search(r"\b[A-Z]\.$", value) else clean(value)


def _authors(text: str, span: tuple[int, int] | None) -> list[str]:
    """People of the author run; an organisation, or a list the rules cannot split, as printed."""
    if span is None:
        return []
    head = text[span[0] : span[1]]
    # an organisation is one author; a run with commas that are not between people is no author
    return find_authors(head, allow_org="," not in head)


def read_tagged(text: str, italic: Sequence[tuple[int, int]] = ()) -> TaggedFields:
    """Authors, title and container of one citation as the tagger reads it."""
    return _read_tagged(text, tuple(italic))


@lru_cache(maxsize=256)  # the field rules may ask twice about the same citation
def _read_tagged(text: str, italic: tuple[tuple[int, int], ...]) -> TaggedFields:
    tagged = tag(text, italic)
    author = _first_run(tagged, "author")
    title = _first_run(tagged, "title")
    container = _trim_container(text, _whole_name(text, tagged, _with_series(text, tagged)))
    editor = _first_run(tagged, "editor")
    edited = author is None and editor is not None and editor[0] == 0  # editors are no authors
    author, title = _people_out_of_title(text, tagged, author, title)
    if title is not None:
        title = _main_title_before_colon(text, tagged, author, title)
    if title is not None and container is not None:
        title, container = _mend_title_end(text, title, container)
    if title is not None:
        title, container = _subtitle_after_colon(text, tagged, title, container)
        title = _title_to_its_stop(text, tagged, title, container)
        title = _publisher_out_of_title(text, tagged, title)
    if title is not None and container is None:
        title, container = _journal_after_title(text, title)
    if title is None and container is not None and not re.match(r"(?i)in\b", text[container[0] :]):
        title, container = container, None  # a book's title after its editors, not a container
    series = _trim_container(text, _first_run(tagged, "series"))
    if container is None and series is not None and (title is None or series[0] >= title[1]):
        container = series  # a book's series is where it appeared when nothing else is named
    return TaggedFields(
        authors=_authors(text, author),
        title=_field(text, title),
        container=_field(text, container),
        edited=edited,
    )


def _people_out_of_title(
    text: str,
    tagged: Sequence[tuple[Token, str]],
    author: tuple[int, int] | None,
    title: tuple[int, int] | None,
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """A list of people the tagger read as the title's start, all of it ("Surajit Chaudhuri and
    Moshe Vardi. On the ...") or after the first of them ("Michael Stonebraker, | Anant Jhingaran,
    ... Potamianos. On rules ..."): the authors run to the full stop, the title starts after it.
    A title run that is only people ("..., and Fernando Pereira. | 2001. Conditional ...") gives
    way to the next title run."""
    if title is None or (author is not None and (author[0] != 0 or title[0] != _next_word(text, author[1]))):
        return author, title
    names_end = _leading_people(text, title[1])
    if names_end is None:
        return author, title
    rest = _next_word(text, names_end)
    if rest < title[1]:
        return (0, names_end), (rest, title[1])
    later = _first_run([(t, lab) for t, lab in tagged if t.start >= title[1]], "title")
    return (0, names_end), later


def _main_title_before_colon(
    text: str, tagged: Sequence[tuple[Token, str]], author: tuple[int, int] | None, title: tuple[int, int]
) -> tuple[int, int]:
    """A title run that starts after a colon ("L'italianizzazione imperfetta : | L'amministrazione
    ..."): the tagger read its subtitle only; the title starts after the authors' full stop."""
    before = text[: title[0]].rstrip()
    if not before.endswith(":"):
        return title
    floor = author[1] if author is not None else 0
    stops = list(re.finditer(r"[.?!)]\s", text[floor : len(before)]))
    start = _next_word(text, floor + (stops[-1].end() if stops else 0))
    between = [label for tok, label in tagged if start <= tok.start < title[0]]
    if not between or len(between) > 15 or set(between) & {"author", "date", "url"}:
        return title
    return (start, title[1])


def _mend_title_end(
    text: str, title: tuple[int, int], container: tuple[int, int]
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A title cut off in mid-phrase ("... the foundation of | coordination in multi-agent
    systems. The Knowledge Engineering Review"): the container the tagger began with a lowercase
    word right after it; the title runs on to the container's first full stop."""
    between = text[title[1] : container[0]]
    last = text[title[0] : title[1]].split()[-1].lower()
    # "Corrosion Control in | Water ...": a title of one sentence that ends on "in" was cut
    one_sentence = not re.search(r"[.?!]\s", text[title[0] : title[1]])
    cut = text[container[0]].islower() or (last in _CUT_AFTER and one_sentence)
    if between.strip() or text[title[1] - 1] in '.?!,:;"\u201d\u2019' or not cut:
        return title, container
    stop = re.compile(r"[.?!]\s").search(text, container[0], container[1])
    if stop is None:
        return (title[0], container[1]), None
    rest = _next_word(text, stop.end())
    return (title[0], stop.start() + 1), ((rest, container[1]) if rest < container[1] else None)


def _subtitle_after_colon(
    text: str, tagged: Sequence[tuple[Token, str]], title: tuple[int, int], container: tuple[int, int] | None
) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A title never ends on its colon ("Conspiracy and Romance: | Studies in Brockden Brown ..."):
    the subtitle runs to the next full stop, ? or !, before any date or URL, whatever the tagger
    read in it."""
    if text[title[1] - 1] != ":":
        return title, container
    for tok, label in tagged:
        if tok.start < title[1]:
            continue
        if label in {"date", "url"}:
            return title, container
        if tok.text[-1] in ".?!":
            if container is not None and container[0] < tok.end:
                container = None if container[1] <= tok.end else (_next_word(text, tok.end), container[1])
            return (title[0], tok.end), container
    return title, container


def _publisher_out_of_title(
    text: str, tagged: Sequence[tuple[Token, str]], title: tuple[int, int]
) -> tuple[int, int]:
    """A title whose last sentence runs straight into the publisher ("... Standard ML. The MIT |
    Press"): that sentence is the publisher's name."""
    after = next((label for tok, label in tagged if tok.start >= title[1]), None)
    stops = list(re.finditer(r"(?<=\w\w)\.\s+(?=[A-Z])", text[title[0] : title[1]]))
    if after != "publisher" or not stops:
        return title
    tail = text[title[0] + stops[-1].end() : title[1]].split()
    if len(tail) <= 3 and all(w[:1].isupper() for w in tail):
        return (title[0], title[0] + stops[-1].start() + 1)
    return title


def _title_to_its_stop(
    text: str, tagged: Sequence[tuple[Token, str]], title: tuple[int, int], container: tuple[int, int] | None
) -> tuple[int, int]:
    """A title whose last word has no closing punctuation stopped in mid-phrase ("Studies in
    Brockden | Brown, Cooper, Hawthorne, and Melville. Cambridge"): it runs on to the next word
    that ends in a full stop, a comma after a quote, ? or !, before any date, URL or container."""
    # a genus's initial ("... protein in C. | elegans") does not end the title
    species = re.search(r"\b[A-Z]\.$", text[title[0] : title[1]]) and re.match(
        r"\s+[a-z]{3,}", text[title[1] :]
    )
    if (text[title[1] - 1] in '.?!,:;"\u201d\u2019)' and not species) or text[title[1] :].strip() == "":
        return title
    for tok, label in tagged:
        if tok.start < title[1]:
            continue
        if label in {"date", "url", "container"} or (container and tok.start >= container[0]):
            return title
        if tok.text[-1] in ".?!" or tok.text.endswith((",\u201d", ',"', "\u201d.")):
            return (title[0], tok.end)
    return title


# what follows a journal's name: a volume, a year, a month and year ("Man Ther. May 2005 10(2)")
_VOLUME_OR_DATE = re.compile(
    r"(?i)\(?\d|\(?(?:pp?|vol)\.\s*\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d"
)


def _journal_after_title(text: str, title: tuple[int, int]) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """A journal the tagger read as the title's last sentence ("... nanotube fibers. Science 2002,
    295", "... delivery. Macromolecular Biosciences. 2012. 12(5)"): a short run of capitalised
    words after the title's last full stop, followed by a year or a volume."""
    stops = [m for m in re.finditer(r"(?<=[a-z]{2})[.?!]\s+(?=[A-Z])", text[title[0] : title[1]])]
    least = 1
    if not stops:  # "A Note on the Determinant, Information and Computation, 84": two words at least
        stops, least = [m for m in re.finditer(r"(?<=[a-z]{2}),\s+(?=[A-Z])", text[title[0] : title[1]])], 2
    if not stops:
        return title, None
    tail_at = title[0] + stops[-1].end()
    tail = text[tail_at : title[1]].strip(" .,")
    words = tail.split()
    follows = text[title[1] :].lstrip(" .,;")
    capitalised = all(w[:1].isupper() or w.lower() in _CONNECTORS for w in words)
    # a volume, or a year then a volume ("Seminars in ophthalmology, 2010. 25(5-6)"): a journal
    # in sentence case, printed like one
    volume = re.match(r"(?:19|20)\d\d[a-z]?[.;,]?\s+\d+\s*[(:,]", follows)
    capitalised = capitalised or (bool(volume) and words[0][:1].isupper() and len(words) <= 4)
    if least <= len(words) <= 6 and capitalised and re.match(_VOLUME_OR_DATE, follows):
        return (title[0], title[0] + stops[-1].start() + 1), (tail_at, tail_at + len(tail))
    return title, None


def _next_word(text: str, at: int) -> int:
    m = re.compile(r"\S").search(text, at)
    return m.start() if m else len(text)


def _leading_people(text: str, limit: int) -> int | None:
    """Where a list of people that opens the citation ends, when the tagger took it for the
    title's start ("Surajit Chaudhuri and Moshe Vardi. On the equivalence ..."): the text up to the
    first full stop that ends a word of more than one letter, names that are no everyday words."""
    for m in re.finditer(r"(?<=\w\w)\.\s", text[:limit]):
        head = text[: m.start()]
        people = split_people(head)
        words = [
            w.strip(".,")
            for w in re.findall(r"[^\W\d_][\w'\-]+", head)
            if w.lower() not in {"and", "und", "et"}
        ]
        if people and words and sum(word_score(w) for w in words) / len(words) < 3.5:
            return m.start() + 1
        break
    return None


def trim_container(value: str | None) -> str | None:
    """A container named by the rules, without the volume or pages printed after it."""
    if not value:
        return value
    span = _trim_container(value, (0, len(value)))
    return clean(value[: span[1]]) if span else None
