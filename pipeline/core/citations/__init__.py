"""Citations: a note's text -> structured citations (authors, title, container, date, URLs).

A note is split into citations, each citation into fields, and then repeats (Ibid., Id.,
supra, op. cit., short forms) are linked to the full citation they repeat. Evidence, strongest
first: italics from the PDF fonts (titles of books and cases, names of periodicals), quotation
marks (titles of articles), reporter and statute patterns (legal), small capitals printed as
capitals (Bluebook periodicals), and last the position of a segment relative to the date.

Where each decision lives:

``split``       a note -> citation strings (signals, semicolons, a full stop after a source)
``fields``      one citation -> its fields and kind (``parse_citation``), the order of evidence
``titles``      the title: quoted, italic, unclosed quote, by position; case names, statutes
``names``       authors: people, organisations, @handles; is this segment a name?
``containers``  the periodical, site or publisher after the title
``dates``       which date is published, accessed, updated, or prose
``legal``       reporters, statutes, constitutions, public laws, dockets
``academic``    APA and ACM reference lists
``references``  repeats: Ibid./Id., supra, op. cit., short forms, and what each repeats
``notes``       notes -> citations with their ids and URLs (``parse_citations``)
``segments``    the shared reading tools: quote marks, brackets, comma segments, masks, clean fields
"""

from pipeline.core.citations.fields import CitationFields, parse_citation
from pipeline.core.citations.notes import citation_id, parse_citations
from pipeline.core.citations.references import resolve_references
from pipeline.core.citations.split import split_citations

__all__ = [
    "CitationFields",
    "citation_id",
    "parse_citation",
    "parse_citations",
    "resolve_references",
    "split_citations",
]
