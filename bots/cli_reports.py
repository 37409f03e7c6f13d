"""``tourdesk reports NAME --from DATE --to DATE [--csv FILE | --xlsx FILE] [--png FILE]``.

Without a file the figures are printed as the chat shows them (English); dates are the agency's
local days, both included. Exit 2 on a bad name or date, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from core.rules import Rules
from core.settings import Settings


def add_parser(sub: Any) -> None:
    from bots.cli_clients import OneLineParser
    from core.reports.registry import REPORTS

    parser = sub.add_parser(
        "reports",
        help="a report for a period: figures, or a CSV / XLSX file, and a PNG chart",
    )
    parser.error = OneLineParser.error.__get__(parser)
    parser.add_argument("name", choices=sorted(REPORTS), help="which report")
    parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, help="write the rows to this CSV file (UTF-8, ';')")
    out.add_argument("--xlsx", type=Path, help="write the rows to this XLSX file")
    parser.add_argument("--png", type=Path, help="also draw the chart into this PNG file")


async def run(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    from bots.cli import _open_migrated_db
    from core.errors import InvalidInput
    from core.i18n import Translator
    from core.reports import export, registry
    from core.reports.base import Period
    from core.reports.chart import render_png
    from core.reports.text import caption, figures
    from storage.db import close_db

    t = Translator(("en",), "en")("en")
    try:
        period = Period(_day(args.start), _day(args.end))
    except InvalidInput as exc:
        print(f"tourdesk reports: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    await _open_migrated_db(settings.database.database_url)
    try:
        report = await registry.build(args.name, period, rules)
    finally:
        await close_db()
    if args.csv:
        export.to_csv(report, args.csv)
        print(f"{len(report.rows)} rows written to {args.csv}")
    elif args.xlsx:
        export.to_xlsx(report, args.xlsx)
        print(f"{len(report.rows)} rows written to {args.xlsx}")
    else:
        print(figures(report, t))
    if args.png and report.chart is not None:
        args.png.write_bytes(await render_png(report.chart, t, caption(report, t)))
        print(f"chart written to {args.png}")
    return 0


def _day(text: str) -> date:
    from core.errors import InvalidInput

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("report-bad-date", value=text) from None
