"""``tourdesk commissions report --month YYYY-MM [--csv FILE]``: managers' commissions of a
month, per manager and currency (accrued, refunded, net, payments) — the admins' monthly report
as a table or a CSV file for the accountant."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bots.cli_clients import OneLineParser
from core.rules import Rules
from core.settings import Settings


def add_parser(sub: Any) -> None:
    commissions = sub.add_parser("commissions", help="managers' commissions: the monthly report")
    verbs = commissions.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    report = verbs.add_parser("report", help="per manager: accrued, refunded, net, payments")
    report.add_argument("--month", required=True, metavar="YYYY-MM", help="agency time zone")
    report.add_argument("--csv", type=Path, metavar="FILE", help="write CSV here instead")


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.app import build_services
    from bots.cli import _open_migrated_db
    from core import commissions
    from core.errors import InvalidInput
    from storage.db import close_db

    try:
        month = commissions.parse_month(args.month)
    except InvalidInput:
        print(
            f"tourdesk commissions report: --month {args.month!r} is not YYYY-MM", file=sys.stderr
        )
        return 2
    await _open_migrated_db(settings.database.database_url)
    try:
        services = await build_services(settings, rules)
        lines = await commissions.report(services, month)
    finally:
        await close_db()
    if args.csv is not None:
        try:
            args.csv.write_text(commissions.to_csv(month, lines), encoding="utf-8-sig")
        except OSError as exc:
            print(
                f"tourdesk commissions report: cannot write {args.csv}: {exc.strerror}",
                file=sys.stderr,
            )
            return 2
        print(f"{len(lines)} lines written to {args.csv}")
        return 0
    print(f"commissions {month:%Y-%m}")
    if not lines:
        print("no commissions this month")
    for line in lines:
        print(
            f"{line.staff_id}\t{line.name}\t{line.currency}\taccrued {line.accrued / 100:.2f}"
            f"\trefunded {-line.reversed / 100:.2f}\tnet {line.net / 100:.2f}"
            f"\tpayments {line.payments}"
        )
    return 0
