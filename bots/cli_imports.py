"""``tourdesk clients import`` and ``tourdesk orders import``: an agency's books from a file.

Exit codes: 0 every row taken (new, updated, unchanged or a duplicate of an earlier row);
1 some rows were invalid (listed with their line, field and reason; the rest was imported);
2 nothing done: no such file, a format we do not read, a bad ``--map``, no phone column.
On a terminal a progress bar runs on stderr; otherwise only the summary is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from core.rules import Rules
from core.settings import Settings

MAP_HELP = (
    "COLUMN=field: take COLUMN as that field (phone, first_name, last_name, full_name, birthday, "
    "gender, email, consent, balance, bonus, tags, currency; orders: number, destination, "
    "country, departure, return, price, paid, due_date, status); COLUMN=- ignores it"
)


def add_clients_verb(verbs: Any) -> None:
    """``import`` under ``tourdesk clients``."""
    parser = verbs.add_parser(
        "import",
        help="import clients from a CSV or XLSX file (dedupe by phone; --dry-run first)",
        description="Headers in Ukrainian, English or Russian are recognised; see README 'Import'.",
    )
    _common(parser)
    parser.add_argument(
        "--update", action="store_true", help="replace fields we already have with the file's"
    )


def add_parser(sub: Any) -> None:
    """``tourdesk orders import``."""
    from bots.cli_clients import OneLineParser

    orders = sub.add_parser("orders", help="orders: import from a tour operator system's export")
    verbs = orders.add_subparsers(dest="verb", required=True, parser_class=OneLineParser)
    parser = verbs.add_parser(
        "import",
        help="create or update orders (unique by number) from a CSV or XLSX export",
        description="SAMO / ERP.travel style columns; see README 'Import'.",
    )
    _common(parser)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a .csv or .xlsx file")
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; change nothing"
    )
    parser.add_argument("--map", action="append", default=[], metavar="COLUMN=field", help=MAP_HELP)


async def run_clients(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    return await _run(args, settings, rules, orders=False)


async def run_orders(args: argparse.Namespace, settings: Settings, rules: Rules) -> int:
    return await _run(args, settings, rules, orders=True)


async def _run(args: argparse.Namespace, settings: Settings, rules: Rules, *, orders: bool) -> int:
    from bots.app import build_services
    from bots.cli import _open_migrated_db
    from core.errors import InvalidInput
    from core.i18n import Translator
    from core.imports.clients import import_clients
    from core.imports.fields import parse_overrides
    from core.imports.orders import import_orders
    from core.imports.sources import estimate_rows, open_sheet
    from storage.db import close_db

    t = Translator(("en",), "en")("en")
    path: Path = args.file
    try:
        mapping = parse_overrides(args.map)
        sheet = open_sheet(path)
    except FileNotFoundError:
        print(f"tourdesk: {t('import-no-file', name=str(path))}", file=sys.stderr)
        return 2
    except InvalidInput as exc:
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    await _open_migrated_db(settings.database.database_url)
    services = await build_services(settings, rules)
    bar = Bar(sys.stderr, estimate_rows(path)) if sys.stderr.isatty() else None
    try:
        common: dict[str, Any] = {
            "mapping": mapping,
            "dry_run": args.dry_run,
            "headers": list(sheet.headers),
            "first_line": sheet.first_line,
            "progress": bar.show if bar else None,
            "actor": "cli",
        }
        if orders:
            report = await import_orders(services, sheet.rows, **common)
        else:
            report = await import_clients(services, sheet.rows, update=args.update, **common)
    except InvalidInput as exc:
        print(f"tourdesk: {t(exc.key, **exc.args_)}", file=sys.stderr)
        return 2
    finally:
        sheet.rows.close()
        if bar:
            bar.done()
        if services.redis is not None:
            await services.redis.aclose()
        await close_db()
    for line in summary(report, t, orders=orders):
        print(line)
    return 1 if report.invalid else 0


def summary(report: Any, t: Any, *, orders: bool = False) -> list[str]:
    """The report as lines: columns used, issues (line, field, reason), counts (an orders import
    may create clients; a clients import grants opening bonuses: each shows its own)."""
    from core.imports.report import ImportReport

    assert isinstance(report, ImportReport)
    lines = [t("import-columns", mapping=", ".join(f"{c}→{f}" for c, f in report.mapping.items()))]
    for issue in report.issues:
        reason = t(issue.reason, first=issue.first_line or 0)
        key = "import-issue-value" if issue.value else "import-issue"
        lines.append(t(key, line=issue.line, field=issue.field, reason=reason, value=issue.value))
    if report.issues_left_out:
        lines.append(t("import-issues-left-out", count=report.issues_left_out))
    lines.append(
        t(
            "import-summary",
            rows=report.rows,
            new=report.new,
            updated=report.updated,
            unchanged=report.unchanged,
            duplicate=report.duplicate,
            invalid=report.invalid,
        )
    )
    if orders:
        lines.append(
            t(
                "import-summary-orders-money",
                entries=report.ledger_entries,
                clients=report.clients_created,
            )
        )
    else:
        lines.append(
            t("import-summary-money", entries=report.ledger_entries, bonuses=report.bonuses)
        )
    if report.dry_run:
        lines.append(t("import-dry-run"))
    return lines


class Bar:
    """``[#####.....]  52%  52,000 / 100,000 rows  8,100 rows/s`` redrawn in place on stderr."""

    WIDTH = 30

    def __init__(self, out: TextIO, total: int | None) -> None:
        self.out = out
        self.total = total
        self.started = time.monotonic()

    def show(self, done: int) -> None:
        rate = done / max(time.monotonic() - self.started, 1e-6)
        if self.total:
            share = min(done / self.total, 1.0)
            filled = int(share * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            text = f"[{bar}] {share:4.0%}  {done:,} / {self.total:,} rows  {rate:,.0f} rows/s"
        else:
            text = f"{done:,} rows  {rate:,.0f} rows/s"
        self.out.write("\r" + text)
        self.out.flush()

    def done(self) -> None:
        self.out.write("\n")
        self.out.flush()
