"""`cchc-atlas` command line: thin wiring over the ETL modules."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _cmd_build(args: argparse.Namespace) -> int:
    """A build takes the same lock as the dashboard's rebuilds: two never run at once."""
    from etl.load.build import build_warehouse
    from etl.load.cache import cache_folder
    from etl.load.rebuild import RebuildRunning, rebuild_lock

    try:
        with rebuild_lock(Path(args.db)):
            summary = build_warehouse(
                Path(args.docs), Path(args.db), workers=args.workers, cache=cache_folder(args)
            )
    except RebuildRunning as err:
        print(f"error: {err}", file=sys.stderr)
        return 75  # EX_TEMPFAIL: try again when the other rebuild has finished
    print(summary.render())
    return 0 if summary.documents or not summary.errors else 1


def _cmd_extract(args: argparse.Namespace) -> int:
    from etl.extract.document import extract_file
    from etl.models import DocumentError
    from etl.serialize import extraction_to_json

    status = 0
    for name in args.files:
        try:
            extraction = extract_file(Path(name))
        except DocumentError as err:
            print(f"error: {err}", file=sys.stderr)
            status = 1
            continue
        record = extraction_to_json(extraction)
        if args.json:
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(json.dumps(record, ensure_ascii=False, indent=2))
    return status


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from etl.evaluate import evaluate

    report = evaluate(Path(args.docs), Path(args.gold))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0


def _cmd_demo_corpus(args: argparse.Namespace) -> int:
    from etl.demo import generate_corpus

    try:
        summary = generate_corpus(args.n, args.seed, Path(args.out))
    except (FileExistsError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(summary.render())
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from etl.load.export import export_parquet

    try:
        summary = export_parquet(Path(args.db), Path(args.out))
    except (FileNotFoundError, FileExistsError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(summary.render())
    return 0


def build_parser() -> argparse.ArgumentParser:
    from etl.load.cache import add_cache_arguments

    parser = argparse.ArgumentParser(
        prog="cchc-atlas",
        description="Extract auditable facts from CCHC communication plans and load DuckDB.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="read a folder of documents and (re)build the warehouse")
    build.add_argument("--docs", required=True, help="folder of .txt/.html documents (recursive)")
    build.add_argument("--db", required=True, help="DuckDB file to (re)build atomically")
    build.add_argument("--workers", type=int, default=0, help="processes (0: one per core)")
    add_cache_arguments(build)
    build.set_defaults(func=_cmd_build)

    extract = sub.add_parser("extract", help="extract facts from files and print them")
    extract.add_argument("files", nargs="+", help="documents to read")
    extract.add_argument("--json", action="store_true", help="one JSON object per line")
    extract.set_defaults(func=_cmd_extract)

    evaluate = sub.add_parser("evaluate", help="score extraction against gold labels")
    evaluate.add_argument("--docs", required=True, help="folder of the gold documents")
    evaluate.add_argument("--gold", required=True, help="gold YAML (seeds.yaml format)")
    evaluate.add_argument("--json", action="store_true", help="machine-readable report")
    evaluate.set_defaults(func=_cmd_evaluate)

    demo = sub.add_parser(
        "demo-corpus", help="write synthetic demo documents with ground truth and a manifest"
    )
    demo.add_argument("--n", type=int, required=True, help="number of documents to write")
    demo.add_argument("--seed", type=int, default=0, help="random seed (same seed, same bytes)")
    demo.add_argument("--out", required=True, help="folder to (re)write: an earlier demo corpus")
    demo.set_defaults(func=_cmd_demo_corpus)

    export = sub.add_parser(
        "export", help="write the warehouse as Parquet partitioned by plan year and province"
    )
    export.add_argument("--format", required=True, choices=("parquet",), help="output format")
    export.add_argument("--out", required=True, help="folder to (re)write: an earlier export")
    export.add_argument("--db", default="warehouse/cchc.duckdb", help="warehouse to export")
    export.set_defaults(func=_cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
