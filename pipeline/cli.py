"""Command line: ``python -m pipeline run``, ``report``, ``check-urls``, ``cite`` and ``claims``."""

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.errors import PipelineError
from pipeline.core.settings import PipelineSettings

if TYPE_CHECKING:
    from pipeline.core.urlcheck import LinkRun


def build_parser() -> argparse.ArgumentParser:
    defaults = PipelineSettings()
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract footnoted claims and their citations, and check the cited links.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process every .pdf and .txt in raw/ and write the dataset")
    run.add_argument(
        "files",
        metavar="FILE",
        nargs="*",
        type=Path,
        help="process only these files of the input folder (the dataset still holds every document)",
    )
    run.add_argument(
        "--raw", type=Path, default=defaults.raw_dir, help=f"input folder (default {defaults.raw_dir})"
    )
    run.add_argument(
        "--out", type=Path, default=defaults.out_dir, help=f"output folder (default {defaults.out_dir})"
    )
    run.add_argument(
        "--offline",
        action="store_true",
        default=defaults.offline,
        help="do not touch the network: links are marked unverified",
    )
    run.add_argument("--force", action="store_true", help="reprocess documents even if they are unchanged")
    run.add_argument(
        "--workers",
        type=int,
        default=defaults.workers,
        metavar="N",
        help="documents processed at once, each in its own process (default: the number of cores, "
        f"here {defaults.workers}; setting PIPELINE_WORKERS); 1 runs them one after another in this process",
    )
    report = sub.add_parser("report", help="print the path of a document's HTML report")
    report.add_argument("doc", help="document id, file name, or path of the file (raw/x.pdf)")
    report.add_argument(
        "--raw", type=Path, default=defaults.raw_dir, help=f"input folder (default {defaults.raw_dir})"
    )
    report.add_argument(
        "--out", type=Path, default=defaults.out_dir, help=f"dataset folder (default {defaults.out_dir})"
    )
    check = sub.add_parser(
        "check-urls",
        help="check a list of URLs (one per line) with the pipeline's link checker",
        description="Check URLs from FILE (one per line; optionally TAB cited title TAB date; '-' reads "
        "stdin). Writes one JSON object per URL and prints a summary by status. Settings come from "
        "PIPELINE_URL_* variables.",
    )
    check.add_argument("file", metavar="FILE", help="URL list, or - for standard input")
    check.add_argument("--out", type=Path, help="write JSON lines here (default: standard output)")
    check.add_argument(
        "--allow-private",
        metavar="NET",
        nargs="+",
        action="extend",
        default=[],
        help="networks or host names to contact although private (e.g. 127.0.0.2/32)",
    )
    check.add_argument("--history", type=Path, help="SQLite history to read and extend (TTL, confirmed dead)")
    cite = sub.add_parser(
        "cite",
        help="parse notes (one per line) into citations, as JSON lines",
        description="Parse notes from FILE (one note per line; '-' or nothing reads stdin) into "
        'citations. Writes one JSON object per line, {"note": N, "citations": [...]}, with the '
        "fields of citations.parquet.",
    )
    cite.add_argument("file", metavar="FILE", nargs="?", default="-", help="notes, or - for standard input")
    claims = sub.add_parser(
        "claims",
        help="claims of a plain text, with check-worthiness, reasons and entities (JSON lines)",
        description="Read plain text from FILE ('-' or nothing: standard input; paragraphs are separated "
        "by blank lines) and write one JSON object per claim. With --one-per-line every line is a "
        'paragraph and the output has one object per input line: {"line": N, "checkworthy": ..., '
        '"reasons": [...]} (its highest-scoring claim; 0 when it has none).',
    )
    claims.add_argument("file", metavar="FILE", nargs="?", default="-", help="text file, or - for stdin")
    claims.add_argument(
        "--one-per-line", action="store_true", help="one paragraph per line, one row per line"
    )
    return parser


def read_input(file: str, what: str) -> str:
    """The text of FILE, or of standard input for ``-``; a clear error (exit 2) when unreadable."""
    try:
        return sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PipelineError(f"cannot read the {what} {file}: {exc}") from None


def claims_command(args: argparse.Namespace) -> int:
    """``claims``: the claims step on plain text; parsing and printing only, the work is in core.nlp."""
    import json

    from pipeline.core.nlp import claim_rows, claims_from_text, load_model, score_lines

    text = read_input(args.file, "text")
    nlp = load_model(PipelineSettings().spacy_model)
    if args.one_per_line:
        rows = score_lines(text.splitlines(), nlp)
    else:
        name = "stdin" if args.file == "-" else Path(args.file).name
        rows = claim_rows(claims_from_text(text, nlp, doc_id=name))
    sys.stdout.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    return 0


def relative_to_raw(path: Path, raw_dir: Path) -> str:
    """A file's path under the input folder, as ``source_path`` holds it; a clear error if it is not there."""
    if not path.exists() and not path.is_symlink():
        raise PipelineError(f"no file {path}: check the path (documents are read from {raw_dir}/)")
    try:
        return path.absolute().relative_to(raw_dir.absolute()).as_posix()
    except ValueError:
        raise PipelineError(
            f"{path} is not in the input folder {raw_dir}/: copy it there, or pass --raw with its folder"
        ) from None


def find_report(doc: str, out_dir: Path, raw_dir: Path | None = None) -> Path:
    """The report of ``doc`` (a doc_id, a source file name, or the file's path), written from the
    dataset if missing."""
    from pipeline.core.dataset import read_table
    from pipeline.core.report import report_path, write_reports

    if not (out_dir / "documents.parquet").exists():
        raise PipelineError(f"no dataset in {out_dir}: run `python -m pipeline run` first")
    docs = read_table(out_dir, "documents")
    wanted = {doc}
    if raw_dir is not None and Path(doc).exists():
        wanted.add(relative_to_raw(Path(doc), raw_dir))
    elif "/" in doc and not any(doc in (d["doc_id"], d["source_path"]) for d in docs):
        raise PipelineError(f"no file {doc} and no document with that name in {out_dir}/documents.parquet")
    match = [
        d["doc_id"] for d in docs if wanted & {d["doc_id"], d["source_path"], Path(d["source_path"]).name}
    ]
    if not match:
        known = ", ".join(sorted(d["doc_id"] for d in docs)[:10])
        raise PipelineError(f"no document {doc!r} in {out_dir}/documents.parquet (known: {known})")
    path = report_path(out_dir, match[0])
    if not path.exists():
        write_reports(out_dir)
    return path


def check_urls_command(args: argparse.Namespace) -> int:
    """``check-urls``: the same engine as the pipeline, on a plain list of URLs."""
    import json
    import time

    from pydantic import ValidationError
    from tqdm import tqdm

    from pipeline.core.fileio import atomic_open
    from pipeline.core.settings import UrlCheckSettings
    from pipeline.core.urlcheck import History, check_links, read_url_list

    text = read_input(args.file, "URL list")
    entries = read_url_list(text)
    try:
        base = UrlCheckSettings()
        settings = UrlCheckSettings(allow_private=[*base.allow_private, *args.allow_private])
    except ValidationError as exc:
        problems = "; ".join(e["msg"] for e in exc.errors())
        print(f"error: invalid setting: {problems}", file=sys.stderr)
        return 2
    history = History(args.history) if args.history else None
    urls = [e.url for e in entries]
    dates = {e.url: e.date for e in entries if e.date}
    titles = {e.url: e.title for e in entries if e.title}
    started = time.monotonic()
    with tqdm(total=len(set(urls)), unit="url", file=sys.stderr, disable=None, desc="checking") as bar:

        def progress(done: int, todo: int) -> None:
            bar.total = todo
            bar.update(done - bar.n)

        report = check_links(urls, settings, history, titles=titles, dates=dates, progress=progress)
    lines = [json.dumps(c.model_dump(mode="json"), ensure_ascii=False) + "\n" for c in report.checks]
    if args.out:
        with atomic_open(args.out) as fh:
            fh.writelines(lines)
    else:
        sys.stdout.writelines(lines)
    _print_summary(report, started, args.out)
    return 0


def _print_summary(report: "LinkRun", started: float, out: Path | None) -> None:
    """Counts by status (and how many dead are confirmed) and the note: stdout if the lines went to a file."""
    import time

    checks = report.checks
    summary = sys.stdout if out else sys.stderr
    by_status: dict[str, int] = {}
    for c in checks:
        by_status[c.status.value] = by_status.get(c.status.value, 0) + 1
    print(
        f"{len(checks)} distinct URLs ({report.checked} checked now, {report.cached} from history) "
        f"in {time.monotonic() - started:.1f}s" + (f" -> {out}" if out else ""),
        file=summary,
    )
    for status, count in sorted(by_status.items(), key=lambda kv: (-kv[1], kv[0])):
        extra = ""
        if status == "dead":
            extra = f" ({sum(1 for c in checks if c.status.value == 'dead' and c.confirmed)} confirmed)"
        print(f"  {status:18} {count:>6}{extra}", file=summary)
    if report.note:
        print(f"  note: {report.note}", file=summary)


def cite_command(args: argparse.Namespace) -> int:
    """``cite``: the pipeline's citation parser on notes given as text."""
    import json

    from pipeline.core.citations.cite import cite_notes

    text = read_input(args.file, "notes")
    for result in cite_notes(text.splitlines()):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from pipeline.runner import run_all

            if not args.raw.is_dir():
                print(f"error: input folder {args.raw} does not exist", file=sys.stderr)
                return 2
            if args.workers < 1:
                print("error: --workers must be at least 1", file=sys.stderr)
                return 2
            only = [relative_to_raw(f, args.raw) for f in args.files] or None
            summary = run_all(
                args.raw, args.out, offline=args.offline, force=args.force, only=only, workers=args.workers
            )
            return 0 if summary.dataset_ok else 1
        if args.command == "report":
            print(find_report(args.doc, args.out, args.raw))
            return 0
        if args.command == "check-urls":
            return check_urls_command(args)
        if args.command == "cite":
            return cite_command(args)
        if args.command == "claims":
            return claims_command(args)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous dataset files are intact", file=sys.stderr)
        return 130
    return 2
