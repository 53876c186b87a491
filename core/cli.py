"""Command line: `python -m core.cli COMMAND`. JSON on stdout; exit 0 ok, 2 bad input, 1 bug.

Bad input prints `{"error": {"code", "message"}}`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from core.config import get_settings
from core.errors import AppError, ErrorCode


def _extract(args: argparse.Namespace) -> Any:
    from core.engine.resume import extract_file

    return extract_file(Path(args.file), get_settings())


def _analyze(args: argparse.Namespace) -> Any:
    from core.engine.matching import analyze_files

    return analyze_files(Path(args.resume), Path(args.jd), get_settings()).to_json()


def _batch(args: argparse.Namespace) -> Any:
    from core.engine.matching import batch, write_batch_csv

    rows = batch(Path(args.jd), Path(args.directory), get_settings())
    if args.csv:
        write_batch_csv(rows, Path(args.csv))
    return rows


def _context():
    from core.context import default_context

    ctx = default_context()
    ctx.db.upgrade()
    return ctx


def _migrate(_args: argparse.Namespace) -> Any:
    _context()
    return {"migrated": True}


def _seed_demo(args: argparse.Namespace) -> Any:
    from core import demo
    from core.accounts import users

    settings = get_settings()
    if settings.is_production:  # the demo accounts share a published password
        refusal = "demo data is never seeded with APP_ENV=production"
        if args.if_empty:
            return {"seeded": False, "reason": refusal}
        raise AppError(ErrorCode.INVALID_INPUT, f"Refused: {refusal}; its accounts share a published password.")
    ctx = _context()
    if args.if_empty and not ctx.settings.seed_demo:
        return {"seeded": False, "reason": "SEED_DEMO is off"}
    if args.if_empty and users.count_users(ctx):
        return {"seeded": False, "reason": "database already has users"}
    logins = demo.seed(ctx)
    return {"seeded": True, "created_users": logins.created_users, "password": logins.password,
            "admin": logins.admin, "counselors": logins.counselors, "students": logins.students}


def _create_user(args: argparse.Namespace) -> Any:
    from core.access import Role
    from core.accounts import users

    password = os.environ.get("INTERVIEWPREP_PASSWORD") or getpass.getpass("Password: ", stream=sys.stderr)
    actor = users.create_user(_context(), email=args.email, name=args.name, password=password, role=Role(args.role))
    return {"id": actor.id, "email": actor.email, "role": str(actor.role)}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="Extract text and a structured CV from a PDF, DOCX or TXT file.")
    extract.add_argument("file")
    extract.set_defaults(run=_extract)
    analyze = commands.add_parser("analyze", help="Analyse a CV against a job description.")
    analyze.add_argument("--resume", required=True)
    analyze.add_argument("--jd", required=True)
    analyze.set_defaults(run=_analyze)
    batch = commands.add_parser("batch", help="Rank every CV in a folder against one job description.")
    batch.add_argument("--jd", required=True)
    batch.add_argument("directory")
    batch.add_argument("--csv", help="Also write the rows to this CSV file.")
    batch.set_defaults(run=_batch)
    migrate = commands.add_parser("migrate", help="Upgrade the database schema to the latest migration.")
    migrate.set_defaults(run=_migrate)
    seed = commands.add_parser("seed-demo", help="Create demo users, cohorts and history (idempotent).")
    seed.add_argument("--if-empty", action="store_true",
                      help="Only seed when the database has no users and SEED_DEMO is not 0.")
    seed.set_defaults(run=_seed_demo)
    create = commands.add_parser("create-user", help="Create a user; password from INTERVIEWPREP_PASSWORD or a prompt.")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--role", choices=["student", "counselor", "admin"], default="student")
    create.set_defaults(run=_create_user)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        result = args.run(args)
    except AppError as error:
        print(json.dumps({"error": error.to_dict()}))
        return 2
    except FileNotFoundError as missing:
        print(json.dumps({"error": {"code": str(ErrorCode.NOT_FOUND), "message": f"No such file: {missing.filename}"}}))
        return 2
    print(json.dumps(result, indent=2, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
