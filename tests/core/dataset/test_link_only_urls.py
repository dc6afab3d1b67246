"""``footnotes.link_only_urls``: a hyperlink behind note text that prints no URL (a Word link
behind a title) is a cited URL, kept in ``urls`` to be checked and named in ``link_only_urls``
so it is told apart from the URLs the note prints."""

from __future__ import annotations

import pyarrow.parquet as pq

from pipeline.core import dataset
from pipeline.core.footnotes import split_notes
from pipeline.core.layout import parse_document
from pipeline.core.models import FootnoteRow
from tests.core.footnotes.helpers import Sheet

HIDDEN = "https://example.org/reports/harbour-2020"
PRINTED = "https://printed.example.com/data/tonnage"


def _note_with_a_linked_title(s: Sheet) -> None:
    s.line(72, 100, "The harbour reopened in May after the storm had closed it.^{1} Ships came")
    s.line(72, 112, "back in June, and the tonnage passed the level of the year before.^{2}")
    s.rule(72, 144, 676)
    s.line(72, 690, "1. See {link:" + HIDDEN + "|The Harbour Report}, Example Press (2020).", 8)
    s.line(72, 701, f"2. Port Authority, Tonnage, {PRINTED} (last visited May 1, 2021).", 8)


def test_a_link_behind_a_title_is_a_link_only_url_in_the_footnotes_table(tmp_path):
    path = tmp_path / "link_behind_a_note_title.pdf"
    sheet = Sheet(path)
    _note_with_a_linked_title(sheet)
    sheet.save()
    doc = parse_document(path, doc_id="links")
    split = split_notes(doc)
    tables = dataset.build_tables([dataset.DocumentRecords(doc, split)])
    rows = {r.number: r for r in tables["footnotes"]}
    assert isinstance(rows[1], FootnoteRow)
    assert (rows[1].urls, rows[1].link_only_urls) == ([HIDDEN], [HIDDEN])
    assert (rows[2].urls, rows[2].link_only_urls) == ([PRINTED], [])  # printed: not link-only
    assert "https://" not in rows[1].text  # the note prints no URL

    # the column lands in the Parquet file with the others
    out = tmp_path / "footnotes.parquet"
    dataset.write_parquet(out, dataset.to_arrow(FootnoteRow, tables["footnotes"]))
    table = pq.read_table(out)
    assert table.column_names[-1] == "link_only_urls"
    assert sorted(table.to_pylist(), key=lambda r: r["number"])[0]["link_only_urls"] == [HIDDEN]
