"""Command line: ``python -m pipeline run``."""

import argparse
import sys
from pathlib import Path

from pipeline.core.errors import PipelineError
from pipeline.core.settings import PipelineSettings


def build_parser() -> argparse.ArgumentParser:
    defaults = PipelineSettings()
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract footnoted claims and their citations, and check the cited links.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="process every .pdf and .txt in raw/ and write the dataset")
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
    report = sub.add_parser("report", help="print the path of a document's HTML report")
    report.add_argument("doc", help="document id or file name (as in documents.parquet)")
    report.add_argument(
        "--out", type=Path, default=defaults.out_dir, help=f"dataset folder (default {defaults.out_dir})"
    )
    return parser


def find_report(doc: str, out_dir: Path) -> Path:
    """The report of ``doc`` (a doc_id or a source file name), written from the dataset if missing."""
    from pipeline.core.dataset import read_table
    from pipeline.core.report import report_path, write_reports

    if not (out_dir / "documents.parquet").exists():
        raise PipelineError(f"no dataset in {out_dir}: run `python -m pipeline run` first")
    docs = read_table(out_dir, "documents")
    match = [d["doc_id"] for d in docs if doc in (d["doc_id"], d["source_path"], Path(d["source_path"]).name)]
    if not match:
        known = ", ".join(sorted(d["doc_id"] for d in docs)[:10])
        raise PipelineError(f"no document {doc!r} in {out_dir}/documents.parquet (known: {known})")
    path = report_path(out_dir, match[0])
    if not path.exists():
        write_reports(out_dir)
    return path


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "run":
            from pipeline.runner import run_all

            if not args.raw.is_dir():
                print(f"error: input folder {args.raw} does not exist", file=sys.stderr)
                return 2
            summary = run_all(args.raw, args.out, offline=args.offline, force=args.force)
            return 0 if summary.dataset_ok else 1
        if args.command == "report":
            print(find_report(args.doc, args.out))
            return 0
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the previous dataset files are intact", file=sys.stderr)
        return 130
    return 2
