"""The worked example the dataset tests and README's first query run against: one document whose
claims cite a dead link, a repeat (Ibid.) of it, a live link, a note without a URL, a note that
was not found, commentary, and nothing."""

from datetime import UTC, datetime
from pathlib import Path

from pipeline.core import dataset
from pipeline.core.citations import parse_citations
from pipeline.core.models import (
    CitationSet,
    Claim,
    Entity,
    Note,
    NoteSplit,
    ParsedDocument,
    Status,
    UrlCheck,
    UrlCheckSet,
    UrlRef,
)
from pipeline.core.nlp import claim_set

DEAD = "https://dead.example.org/report"
ALIVE = "https://alive.example.org/page"
CHECKED_AT = datetime(2025, 11, 20, 3, 0, tzinfo=UTC)

NOTES = {
    1: f'A. Author, "Only a dead link," Pub, 2020, {DEAD}',
    2: "Ibid., 4.",
    3: f'B. Writer, "Alive," Pub, 2021, {ALIVE}; C. Critic, "Book without link," Press, 2019',
    4: "Harbor mines are devices that explode if struck by a vessel hull.",
}
CLAIMS = {
    "dead-only": ("Iran cut oil exports by 40% in 2020.", [1]),
    "dead-via-ibid": ("Exports fell again in 2021.", [2]),
    "mixed": ("Turkey's trade grew because of sanctions.", [1, 3]),
    "note-missing": ("The U.S. disagreed.", [9]),
    "commentary-only": ("Mines are dangerous.", [4]),
    "uncited": ("This sentence cites nothing.", []),
}


def records(doc_id: str = "doc", sha: str = "s") -> list[dataset.DocumentRecords]:
    doc = ParsedDocument(doc_id=doc_id, source_path=f"{doc_id}.pdf", sha256=sha, kind="pdf", pages=1)
    notes = [
        Note(
            number=n,
            label=str(n),
            text=t,
            page=1,
            urls=[UrlRef(url=u, raw_url=u) for u in (DEAD, ALIVE) if u in t],
        )
        for n, t in NOTES.items()
    ]
    split = NoteSplit(doc_id=doc_id, sha256=sha, notes=notes)
    cits = CitationSet(doc_id=doc_id, sha256=sha, citations=parse_citations(doc_id, notes))
    claims = claim_set(
        doc_id,
        sha,
        [
            Claim(
                claim_id=cid,
                text=text,
                page=2,
                paragraph=0,
                sentence=i,
                footnote_numbers=numbers,
                cited=bool(numbers),
                entities=[Entity(text="U.S.", label="GPE", start=4, end=8)] if "U.S." in text else [],
            )
            for i, (cid, (text, numbers)) in enumerate(CLAIMS.items())
        ],
    )
    checks = UrlCheckSet(
        doc_id=doc_id,
        sha256=sha,
        checks=[
            UrlCheck(url=DEAD, status=Status.DEAD, http_status=404, checked_at=CHECKED_AT),
            UrlCheck(url=ALIVE, status=Status.OK, http_status=200, checked_at=CHECKED_AT),
        ],
    )
    return [dataset.DocumentRecords(doc, split, cits, claims, checks)]


def write_example(tmp_path: Path) -> tuple[Path, dict[str, Path]]:
    """The worked example written as a dataset under ``tmp_path/extracted``: (folder, paths)."""
    out = tmp_path / "extracted"
    paths = dataset.write_dataset(out, dataset.build_tables(records()))
    return out, paths


def save_records(store: dataset.DocumentStore, key: str, rec: dataset.DocumentRecords) -> None:
    """Every step record of ``rec`` saved under ``key``, as the steps would."""
    for step, record in [
        ("parsed_document", rec.doc),
        ("footnotes", rec.split),
        ("citations", rec.citations),
        ("claims", rec.claims),
        ("url_checks", rec.url_checks),
    ]:
        store.save(step, key, record)
