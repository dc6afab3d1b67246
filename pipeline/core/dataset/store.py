"""Per-document state between steps: each step's record of each document, as a JSON file.

The store is the only place step records are kept between runs and between the steps of one
run; the roll-up reads a document's records back together (``DocumentRecords``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from pipeline.core.fileio import write_text
from pipeline.core.models import (
    CitationSet,
    ClaimSet,
    DocumentStatus,
    NoteSplit,
    ParsedDocument,
    UrlCheckSet,
)

M = TypeVar("M", bound=BaseModel)
#: the step records the roll-up reads, in order
RECORD_STEPS = ("parsed_document", "footnotes", "citations", "claims", "url_checks")


class DocumentStore:
    """Step records of each document as JSON files: ``<state>/docs/<doc_id>/<step>.json``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, step: str, doc_id: str) -> Path:
        return self.root / "docs" / doc_id / f"{step}.json"

    def save(self, step: str, doc_id: str, record: BaseModel) -> Path:
        path = self.path(step, doc_id)
        write_text(path, record.model_dump_json())
        return path

    def load(self, step: str, doc_id: str, model: type[M]) -> M | None:
        path = self.path(step, doc_id)
        if not path.exists():
            return None
        return model.model_validate_json(path.read_bytes())

    def stamp(self, doc_id: str) -> str:
        """A digest of the identity of the document's step records (inode, size, mtime): records
        are replaced by rename, so any rewrite changes it. The roll-up redoes a document's parts
        when it moves. A digest, not the facts: the manifest holds one per document."""
        facts = []
        for step in RECORD_STEPS:
            try:
                st = self.path(step, doc_id).stat()
            except OSError:
                continue
            facts.append([step, st.st_ino, st.st_size, st.st_mtime_ns])
        return hashlib.blake2b(json.dumps(facts).encode(), digest_size=16).hexdigest()

    def doc_ids(self) -> list[str]:
        folder = self.root / "docs"
        return sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.exists() else []

    def remove(self, doc_id: str) -> None:
        folder = self.root / "docs" / doc_id
        if folder.exists():
            for f in folder.iterdir():
                f.unlink()
            folder.rmdir()


@dataclass(frozen=True)
class DocumentRecords:
    """One document's step records, as the roll-up reads them (a later step may be missing)."""

    doc: ParsedDocument
    split: NoteSplit | None = None
    citations: CitationSet | None = None
    claims: ClaimSet | None = None
    url_checks: UrlCheckSet | None = None


def read_records(store: DocumentStore, keys: Iterable[str], missing: list[str]) -> Iterator[DocumentRecords]:
    """The records of each document in ``keys`` (sorted); documents never parsed go to ``missing``.

    One document at a time, so its parsed pages and body text are freed once its rows exist.
    """
    for key in sorted(keys):
        doc = store.load("parsed_document", key, ParsedDocument)
        if doc is None:
            missing.append(key)
            continue
        if any(page.lines for page in doc.layout):
            doc.layout = []  # no table needs the lines; a document without any keeps its (small)
            # pages, whose dropped headers and footers say why nothing is left (rows.empty_reason)
        yield DocumentRecords(
            doc,
            store.load("footnotes", key, NoteSplit),
            store.load("citations", key, CitationSet),
            store.load("claims", key, ClaimSet),
            store.load("url_checks", key, UrlCheckSet),
        )


def failed_document(
    doc_id: str, source_path: str, sha256: str, kind: str, code: str, error: str
) -> ParsedDocument:
    """The parsed-document record of a file that could not be read: a 'failed' row with its reason."""
    return ParsedDocument(
        doc_id=doc_id,
        source_path=source_path,
        sha256=sha256,
        kind="pdf" if kind == "pdf" else "txt",
        status=DocumentStatus.FAILED,
        error=error,
        error_code=code,
    )
