"""The commitment commands of `sitrep`: commitments (list), commitment (one, with its evidence), and the ledger
export. Translation only: each handler checks its flags, calls one library function and prints the result."""
from __future__ import annotations

import json
import sys

from .cli import EXIT_ERROR, EXIT_OK, add_command, check_format, open_output, say
from .cli_store import _add_db, _read_store

LIST_TABLE = ("commitment_id", "holder_name", "holder_code", "kind", "polarity", "threshold", "start_date",
              "end_date", "status", "in_count", "baseline_count", "n_statements")
LIST_CSV = LIST_TABLE + ("holder_country", "holder_sector", "quantity", "testable", "area_country", "area_admin1",
                         "status_rule", "n_articles", "date_precision")


def register(sub) -> None:
    """Add the commitment commands to the `sitrep` subparsers."""
    p = add_command(
        sub, "commitments", run_commitments, summary="list the commitment ledger (pledges and ceasefires held "
        "against events)",
        description="List commitments merged across articles, with their status: not_rated, in_progress, kept,\n"
        "compromised, broken or untestable, and the events in their window against the baseline before it.\n\n"
        "Example: sitrep commitments --holder AFGREB --status broken --format csv -o broken.csv",
    )
    _add_db(p)
    p.add_argument("--holder", help="holder code (AFGREB, or its country AFG) or text in the holder's name")
    p.add_argument("--status", help="not_rated | in_progress | kept | compromised | broken | untestable")
    p.add_argument("--limit", type=int, help="at most this many rows")
    p.add_argument("--format", "-f", dest="fmt", default="table", help="table | json | jsonl | csv (default table)")
    p.add_argument("-o", "--output", help="write to this file instead of stdout (the ledger export)")

    p = add_command(
        sub, "commitment", run_commitment, summary="show one commitment: statement, sources, evidence, history",
        description="Show a commitment: the statement and its source chain, every statement about it side by side,\n"
        "the events held against it with the rule and the words that link them, the counts in its window\n"
        "and in the baseline before it, and its status history.\n\nExample: sitrep commitment C65eb3c10327",
    )
    p.add_argument("commitment_id", metavar="ID", help="commitment id (or a unique prefix of it)")
    _add_db(p)
    p.add_argument("--format", "-f", dest="fmt", default="text", help="text | json (default text)")


def run_commitments(args) -> int:
    from .output import format_table, write_csv, write_jsonl
    from .store.commitment_queries import check_listing, jsonable, list_commitments

    fmt = check_format(args.fmt, ("table", "json", "jsonl", "csv"))
    status = args.status.strip().lower() if args.status else None
    check_listing(args.holder, status, args.limit)
    with _read_store(args) as store:
        rows = list_commitments(store, holder=args.holder, status=status, limit=args.limit)
    with open_output(args.output) as out:
        if fmt == "jsonl":
            write_jsonl((jsonable(r) for r in rows), out)
        elif fmt == "json":
            json.dump([jsonable(r) for r in rows], out, ensure_ascii=False, indent=2)
            out.write("\n")
        elif fmt == "csv":
            write_csv([jsonable(r) for r in rows], out, LIST_CSV)
        else:
            out.write(format_table(rows, LIST_TABLE))
    return EXIT_OK


def run_commitment(args) -> int:
    from .commitments.explain import explain_text
    from .output import printable
    from .store.commitment_queries import get_commitment, jsonable

    fmt = check_format(args.fmt, ("text", "json"))
    with _read_store(args) as store:
        row = get_commitment(store, args.commitment_id)
    if row is None:
        say("Error", f"no commitment {args.commitment_id!r} (list them with `sitrep commitments`)")
        return EXIT_ERROR
    if fmt == "json":
        print(json.dumps(jsonable(row), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(printable(explain_text(row), keep_newlines=True))
    return EXIT_OK
