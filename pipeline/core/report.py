"""Report: one static HTML page per document, for people.

It leads with risk: the claims none of whose linked sources still backs them (dead, drifted or
``not_found``). Then each cited claim (with its page) is shown with its footnotes, their
citations and every cited link: its status (colour-coded), what the page holds of the claim
(evidence and the best passage), the archived copy or why none was found; then the check-worthy
claims that cite nothing. A small inline SVG chart counts the distinct cited links by status, and
the header says when the links were checked and whether offline. The page is built from the
dataset tables, so it shows exactly what ``extracted/`` holds.

The documents are untrusted: every string is escaped, and only http(s) URLs become links.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.core.dataset import claims_at_risk, part_documents, part_path, read_table
from pipeline.core.fileio import write_text
from pipeline.core.models import ClaimSourceRow, Evidence, Status

Row = Mapping[str, Any]

#: status -> (colour, what a reader should make of it)
STATUS_STYLE: dict[str, tuple[str, str]] = {
    Status.OK: ("#1a7f37", "online"),
    Status.REDIRECTED: ("#2da44e", "online at a new address"),
    Status.REDIRECT_TO_ROOT: ("#bc4c00", "now lands on the home page"),
    Status.SOFT_404: ("#cf222e", "page says it is not found"),
    Status.DEAD: ("#a40e26", "gone (404/410)"),
    Status.BLOCKED: ("#8250df", "refused our checker (may be fine in a browser)"),
    Status.RATE_LIMITED: ("#8250df", "rate limited, try later"),
    Status.SERVER_ERROR: ("#9a6700", "server error"),
    Status.TIMEOUT: ("#6e7781", "timed out"),
    Status.DNS_ERROR: ("#6e7781", "host name does not resolve"),
    Status.TLS_ERROR: ("#6e7781", "certificate problem"),
    Status.CONNECTION_ERROR: ("#6e7781", "could not connect"),
    Status.INVALID_URL: ("#57606a", "not a valid URL"),
    Status.UNSUPPORTED_SCHEME: ("#57606a", "not an http(s) link"),
    Status.REFUSED_PRIVATE: ("#24292f", "points into a private network; not checked"),
    Status.UNVERIFIED: ("#8c959f", "could not be checked (offline, or not yet): not known to be dead"),
    Status.PAYWALLED: ("#0969da", "online, behind a paywall: not free to read, so not checked for the claim"),
}

#: evidence -> (colour, what a reader should make of it)
EVIDENCE_STYLE: dict[str, tuple[str, str]] = {
    Evidence.FOUND: ("#1a7f37", "the page holds the claim's quotation, or its figures and names"),
    Evidence.PARTIAL: ("#9a6700", "the page holds some of the claim"),
    Evidence.NOT_FOUND: ("#cf222e", "the page has text, and nothing of the claim is on it"),
    Evidence.NOT_CHECKED: ("#8c959f", "no page text to look in"),
}

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem;margin-bottom:.2rem} .meta{color:#57606a;margin-top:0}
.claim{border-left:3px solid #d0d7de;padding:.3rem .9rem;margin:1.2rem 0}
.claim p.text{margin:.2rem 0 .5rem;font-size:1.05rem}
.note{background:#f6f8fa;border-radius:6px;padding:.5rem .8rem;margin:.4rem 0;font-size:.92rem}
.note .num{font-weight:600;margin-right:.4rem} .cit{margin:.3rem 0 0 1rem}
.link{display:block;margin:.15rem 0 0 1rem;word-break:break-all;font-size:.88rem}
.badge{display:inline-block;color:#fff;border-radius:1rem;padding:0 .55rem;font-size:.78rem;
  margin-right:.4rem}
.reasons{color:#57606a;font-size:.85rem} .legend span{margin-right:1rem;font-size:.85rem}
table.summary td{padding:0 .6rem 0 0}
.risk{border-left:3px solid #cf222e;padding:.3rem .9rem;margin:.8rem 0;background:#fff8f8}
.snippet{display:block;margin:.1rem 0 0 2rem;color:#57606a;font-size:.85rem;font-style:italic}
.page{color:#57606a;font-size:.8rem}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _href(url: str | None) -> str | None:
    """Only http(s) URLs become links; anything else from a PDF is shown as text."""
    if url and re.match(r"(?i)^https?://[^\s\"'<>]+$", url):
        return html.escape(url, quote=True)
    return None


def _link(url: str | None, label: str | None = None) -> str:
    href = _href(url)
    text = _e(label or url)
    return f'<a href="{href}" rel="noopener noreferrer nofollow">{text}</a>' if href else text


def _badge(status: str) -> str:
    colour, meaning = STATUS_STYLE.get(status, ("#8c959f", status))
    return f'<span class="badge" style="background:{colour}" title="{_e(meaning)}">{_e(status)}</span>'


def status_chart(counts: Mapping[str, int], width: int = 520) -> str:
    """A horizontal bar chart of link statuses as inline SVG."""
    rows = [(s, n) for s, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n]
    if not rows:
        return "<p>No cited links.</p>"
    bar_h, gap, label_w = 18, 6, 150
    top = max(n for _, n in rows)
    height = len(rows) * (bar_h + gap)
    parts = [
        f'<svg role="img" aria-label="link statuses" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
    ]
    for i, (status, n) in enumerate(rows):
        y = i * (bar_h + gap)
        w = max(2, int((width - label_w - 40) * n / top))
        colour = STATUS_STYLE.get(status, ("#8c959f", ""))[0]
        parts.append(f'<text x="0" y="{y + 13}">{_e(status)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour}"/>')
        parts.append(f'<text x="{label_w + w + 6}" y="{y + 13}">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class _Sources:
    """What a claim's notes are shown with: the notes by number, their citations, the link checks."""

    notes: dict[int, Row]
    cits_by_note: dict[int, list[Row]]
    url_checks: Mapping[str, Row]
    #: (claim_id, url) -> its claim_sources row (evidence, snippet)
    evidence: Mapping[tuple[str, str], Row]


def render_report(
    document: Row,
    claims: Sequence[Row],
    footnotes: Sequence[Row],
    citations: Sequence[Row],
    url_checks: Mapping[str, Row],
    claim_sources: Sequence[Row] = (),
    *,
    top_uncited: int = 25,
) -> str:
    """The HTML page of one document."""
    sources = _Sources(
        notes={int(f["number"]): f for f in footnotes},
        cits_by_note=_citations_by_note(citations),
        url_checks=url_checks,
        evidence={(r["claim_id"], r["url"]): r for r in claim_sources if r.get("url")},
    )
    cited_urls = list(dict.fromkeys(u for f in footnotes for u in (f.get("urls") or [])))
    counts = Counter(str(url_checks[u]["status"]) if u in url_checks else "unverified" for u in cited_urls)
    cited = [c for c in claims if c.get("cited")]
    uncited = sorted(
        (c for c in claims if not c.get("cited")), key=lambda c: -float(c.get("checkworthy") or 0)
    )
    body = [
        *_render_header(document, len(footnotes), len(cited)),
        *_render_at_risk(claim_sources, url_checks, cited_urls),
        *_render_link_summary(counts),
        *_render_cited_claims(cited, sources),
        *_render_unmarked_notes(sources),
        *_render_uncited_claims(uncited, top_uncited),
    ]
    title = _e(document.get("title") or document.get("doc_id"))
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}: claims and sources</title>"
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>'
        f"<body>{''.join(body)}</body></html>\n"
    )


def _citations_by_note(citations: Sequence[Row]) -> dict[int, list[Row]]:
    """Each note's citations, in their order in the note."""
    cits_by_note: dict[int, list[Row]] = defaultdict(list)
    for c in sorted(citations, key=lambda c: (c["footnote_number"], c["position"])):
        cits_by_note[int(c["footnote_number"])].append(c)
    return cits_by_note


def _render_header(document: Row, notes: int, cited: int) -> list[str]:
    """The title, a line of facts about the document, and its problem if it has one."""
    out = [
        f"<h1>{_e(document.get('title') or document.get('source_path'))}</h1>",
        f'<p class="meta">{_e(document.get("source_path"))} · {_e(document.get("pages"))} pages · '
        f"status {_e(document.get('status'))} · {notes} notes · {cited} cited claims</p>",
    ]
    if document.get("error"):
        out.append(f"<p><strong>Problem:</strong> {_e(document['error'])}</p>")
    checked = document.get("links_checked_at")
    when = f"links checked {_e(f'{checked:%Y-%m-%d %H:%M} UTC' if checked else 'never')}"
    if document.get("links_offline"):
        when += " · <strong>offline</strong>: statuses are the last known ones, or unverified"
    out.append(f'<p class="meta">{when}</p>')
    return out


def _render_at_risk(
    claim_sources: Sequence[Row], url_checks: Mapping[str, Row], urls: Sequence[str]
) -> list[str]:
    """The claims none of whose linked sources still backs them, first of all."""
    rows = [ClaimSourceRow.model_validate(_fields(r)) for r in claim_sources]
    checks = [url_checks[u] for u in urls if u in url_checks]
    drifted = {c["url"] for c in checks if c.get("possible_drift") or c.get("content_changed")}
    at_risk = claims_at_risk(rows, drifted)
    out = [f"<h2>Claims at risk ({len(at_risk)})</h2>"]
    if not at_risk:
        out.append("<p>No claim has lost every linked source.</p>")
    for r in at_risk:
        why = "".join(
            f'<span class="link">{_link(u)} <span class="reasons">{_e(w)}</span></span>'
            for u, w in zip(r.urls, r.reasons, strict=True)
        )
        out.append(
            f'<div class="risk"><p class="text"><a href="#{_e(r.claim_id)}">{_e(r.claim_text)}</a> '
            f'<span class="page">p. {_e(r.page)}</span></p>{why}</div>'
        )
    return out


def _fields(row: Row) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k in ClaimSourceRow.model_fields}


def _render_link_summary(counts: Mapping[str, int]) -> list[str]:
    """The chart of cited links by status, and a legend of the statuses present."""
    return [
        "<h2>Cited links</h2>",
        status_chart(counts),
        '<p class="legend">'
        + "".join(f"<span>{_badge(s)}{_e(STATUS_STYLE[s][1])}</span>" for s in STATUS_STYLE if counts.get(s))
        + "</p>",
    ]


def _render_cited_claims(cited: Sequence[Row], sources: _Sources) -> list[str]:
    """Each cited claim with its notes, under a heading whenever the section changes."""
    out = [f"<h2>Claims and their sources ({len(cited)})</h2>"]
    section = object()
    for c in cited:
        if c.get("section") != section:
            section = c.get("section")
            if section:
                out.append(f"<h3>{_e(section)}</h3>")
        numbers = ", ".join(str(n) for n in c.get("footnote_numbers") or [])
        out.append(
            f'<div class="claim" id="{_e(c["claim_id"])}"><p class="text">{_e(c["text"])} '
            f'<sup>{_e(numbers)}</sup> <span class="page">p. {_e(c.get("page"))}</span></p>'
            + "".join(_render_note(int(n), sources, c["claim_id"]) for n in c.get("footnote_numbers") or [])
            + "</div>"
        )
    return out


def _render_unmarked_notes(sources: _Sources) -> list[str]:
    """The notes no marker in the text points to, if there are any."""
    unmarked = [n for n, f in sorted(sources.notes.items()) if not f.get("has_marker")]
    if not unmarked:
        return []
    return [
        f"<h2>Notes no marker points to ({len(unmarked)})</h2>",
        *(_render_note(n, sources) for n in unmarked),
    ]


def _render_uncited_claims(uncited: Sequence[Row], top: int) -> list[str]:
    """The most check-worthy claims that cite nothing, with the reasons for their scores."""
    out = [f"<h2>Check-worthy claims without a source (top {min(top, len(uncited))})</h2>"]
    for c in uncited[:top]:
        if not c.get("checkworthy"):
            break
        reasons = "; ".join(c.get("reasons") or [])
        out.append(
            f'<div class="claim" id="{_e(c["claim_id"])}"><p class="text">{_e(c["text"])}</p>'
            f'<span class="reasons">check-worthiness {float(c["checkworthy"]):.2f}: {_e(reasons)}</span>'
            "</div>"
        )
    return out


def _render_note(number: int, sources: _Sources, claim_id: str | None = None) -> str:
    """One note: its citations with their links (and, under a claim, what each page holds of it),
    or its text when no citation was found in it."""
    note = sources.notes.get(number)
    if note is None:
        return f'<div class="note"><span class="num">{number}</span><em>note not found</em></div>'
    parts = [f'<div class="note"><span class="num">{number}</span>']
    cits = sources.cits_by_note.get(number) or []
    if cits:
        for c in cits:
            parts.append(f'<div class="cit">{_render_citation(c)}</div>')
            parts += [_render_url(u, sources, claim_id) for u in c.get("urls") or []]
    else:
        parts.append(f'<div class="cit">{_e(note.get("text"))}</div>')
        parts += [_render_url(u, sources, claim_id) for u in note.get("urls") or []]
    parts.append("</div>")
    return "".join(parts)


def _render_citation(c: Row) -> str:
    """A citation's fields (authors, title, container, date), else its raw text."""
    bits = []
    if c.get("authors"):
        bits.append(_e(", ".join(c["authors"])))
    if c.get("title"):
        bits.append(f"“{_e(c['title'])}”")
    if c.get("container"):
        bits.append(f"<em>{_e(c['container'])}</em>")
    if c.get("published"):
        bits.append(_e(c["published"]))
    return ", ".join(bits) or _e(c.get("raw_text"))


def _render_url(url: str, sources: _Sources, claim_id: str | None = None) -> str:
    """A cited link with its status badge, what the check found (new address, archived copy or why
    none) and, under a claim, what the page holds of it (evidence and the best passage)."""
    check = sources.url_checks.get(url)
    status = str(check["status"]) if check else Status.UNVERIFIED.value
    extra = []
    if check and check.get("http_status"):
        extra.append(f"HTTP {check['http_status']}")
    if check and check.get("final_url") and check["final_url"] != url:
        extra.append("now at " + _link(check["final_url"]))
    if check and check.get("archive_url"):
        extra.append(_link(check["archive_url"], "archived copy"))
    if check and check.get("archive_error"):  # a failed lookup, or a snapshot that could not be read
        extra.append(f"archive: {_e(check['archive_error'])}")
    if check and status == Status.DEAD and check.get("confirmed") is False:
        extra.append("not yet confirmed")
    if check and check.get("possible_drift"):
        extra.append(f"title drifted (score {_e(check.get('title_score'))})")
    if check and check.get("content_changed"):
        extra.append(f"text changed since the snapshot (similarity {_e(check.get('content_similarity'))})")
    tail = f' <span class="reasons">{" · ".join(extra)}</span>' if extra else ""
    ev = sources.evidence.get((claim_id, url)) if claim_id else None
    return f'<span class="link">{_badge(status)}{_evidence(ev)}{_link(url)}{tail}</span>{_snippet(ev)}'


def _evidence(row: Row | None) -> str:
    """The evidence badge of a claim's source: what the page (or its archived copy) holds of it."""
    if row is None:
        return ""
    value = str(row.get("evidence") or Evidence.NOT_CHECKED.value)
    colour, meaning = EVIDENCE_STYLE.get(value, ("#8c959f", value))
    where = f" ({row['evidence_source']})" if row.get("evidence_source") else ""
    score = f" {float(row['evidence_score']):.2f}" if row.get("evidence_score") is not None else ""
    return (
        f'<span class="badge" style="background:{colour}" title="{_e(meaning)}">'
        f"evidence: {_e(value)}{_e(where)}{_e(score)}</span>"
    )


def _snippet(row: Row | None) -> str:
    if row is None or not row.get("evidence_snippet"):
        return ""
    return f'<span class="snippet">“{_e(row["evidence_snippet"])}”</span>'


def _by_doc(rows: Iterable[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        out[r["doc_id"]].append(r)
    return out


def report_path(out_dir: Path, doc_id: str) -> Path:
    return out_dir / "reports" / f"{doc_id}.html"


def _rows(root: Path, name: str, doc_id: str) -> list[dict[str, Any]]:
    path = part_path(root, name, doc_id)
    return pq.read_table(path).to_pylist() if path.exists() else []


def _write_one(out_dir: Path, root: Path, doc_id: str, checks: Mapping[str, Row]) -> Path:
    """One document's report from its own parts (and the corpus URL checks)."""
    (document,) = _rows(root, "documents", doc_id)
    claims = sorted(_rows(root, "claims", doc_id), key=lambda c: c.get("sentence", 0))
    page = render_report(
        document,
        claims,
        _rows(root, "footnotes", doc_id),
        _rows(root, "citations", doc_id),
        checks,
        _rows(root, "claim_sources", doc_id),
    )
    path = report_path(out_dir, doc_id)
    write_text(path, page)
    return path


def write_reports(out_dir: Path, only: Iterable[str] | None = None) -> dict[str, Path]:
    """Write ``<out>/reports/<doc_id>.html`` for every document in the dataset; returns the paths.

    With ``only``, just those documents' reports are written (and any report that is missing);
    reports of documents no longer in the dataset are deleted either way.
    """
    root = (out_dir / "documents.parquet").resolve()
    if not root.is_dir():  # a dataset written before schema 1.4: one file per table
        return _write_all(out_dir)
    root = root.parent  # one version throughout, whatever is published meanwhile
    present = part_documents(root)
    wanted = set(present if only is None else only)
    todo = [d for d in present if d in wanted or not report_path(out_dir, d).exists()]
    checks = {r["url"]: r for r in read_table(root, "url_checks")} if todo else {}
    paths = {doc_id: _write_one(out_dir, root, doc_id, checks) for doc_id in todo}
    _remove_stale(out_dir, set(present))
    return paths


def _remove_stale(out_dir: Path, present: set[str]) -> None:
    keep = {report_path(out_dir, d).name for d in present}
    folder = out_dir / "reports"
    for stale in folder.glob("*.html") if folder.exists() else []:
        if stale.name not in keep:  # the document left raw/: its report goes too
            stale.unlink()


def _write_all(out_dir: Path) -> dict[str, Path]:
    documents = read_table(out_dir, "documents")
    claims = _by_doc(sorted(read_table(out_dir, "claims"), key=lambda c: (c["doc_id"], c.get("sentence", 0))))
    footnotes = _by_doc(read_table(out_dir, "footnotes"))
    citations = _by_doc(read_table(out_dir, "citations"))
    checks = {r["url"]: r for r in read_table(out_dir, "url_checks")}
    claim_sources = _by_doc(read_table(out_dir, "claim_sources"))
    paths = {}
    for doc in documents:
        doc_id = doc["doc_id"]
        page = render_report(
            doc,
            claims.get(doc_id, []),
            footnotes.get(doc_id, []),
            citations.get(doc_id, []),
            checks,
            claim_sources.get(doc_id, []),
        )
        path = report_path(out_dir, doc_id)
        write_text(path, page)
        paths[doc_id] = path
    _remove_stale(out_dir, set(paths))
    return paths
