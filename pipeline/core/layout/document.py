"""One document file -> ``ParsedDocument``: the reader is chosen by the file's suffix.

The bytes are read once and hashed; the record's ``sha256`` always names the content parsed.
An empty file, or a suffix other than ``.pdf`` and ``.txt``, is refused with its own error code.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.core.errors import DocumentError, DocumentErrorCode
from pipeline.core.layout.pdf import read_pdf
from pipeline.core.layout.textfile import read_text
from pipeline.core.models import ParsedDocument


def parse_document(
    path: Path,
    *,
    doc_id: str,
    source_path: str | None = None,
    max_pages: int = 500,
    password: str | None = None,
) -> ParsedDocument:
    """Read one document. Raises ``DocumentError`` with a specific code when it cannot."""
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    source = source_path or path.name
    suffix = path.suffix.lower()
    if not data:
        raise DocumentError(DocumentErrorCode.EMPTY_FILE, "the file is empty (0 bytes)")
    if suffix == ".txt":
        return read_text(data, doc_id=doc_id, source_path=source, sha256=sha)
    if suffix == ".pdf":
        return read_pdf(
            path, data, doc_id=doc_id, source_path=source, sha256=sha, max_pages=max_pages, password=password
        )
    raise DocumentError(DocumentErrorCode.UNSUPPORTED, f"unsupported file type {suffix!r}; use .pdf or .txt")
