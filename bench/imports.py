"""Importing a client base: rows per second of ``tourdesk clients import`` (parse, normalise,
dedupe, merge, opening balances and bonuses in batches), a second run of the same file (every
row found unchanged), and a baseline in the same run: a plain ``bulk_create`` of the same
clients, already parsed, with nothing checked.

The file is generated first (UTF-8 CSV with Ukrainian headers, ``;``, 1% bad phones, 1% repeated
phones, a third with an opening balance and bonus) and streamed from disk. SQLite in a
temporary file by default; ``--database-url postgres://…`` for a server (an empty database:
the script migrates it and deletes the clients between the runs).

    .venv/bin/python bench/imports.py --rows 100000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bots.app import build_services  # noqa: E402
from core.imports.clients import import_clients  # noqa: E402
from core.imports.sources import open_sheet  # noqa: E402
from core.rules import Rules  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import Client, LedgerEntry, OpeningBonus  # noqa: E402

HEADER = "Телефон;Прізвище;Ім'я;Дата народження;Стать;E-mail;Згода;Баланс;Бонуси;Теги"
FIRST = ("Олена", "Тарас", "Ірина", "Петро", "Марта", "Іван", "Леся", "Богдан")
LAST = ("Шевченко", "Коваленко", "Бондар", "Мельник", "Ткаченко", "Кравченко")


def phone(i: int) -> str:
    return f"067{i:07d}"


def generate(path: Path, rows: int) -> None:
    rnd = random.Random(7)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        out.write(HEADER + "\r\n")
        for i in range(rows):
            number = phone(i)
            if i % 100 == 1:
                number = "12-34"  # invalid
            elif i % 100 == 2:
                number = phone(i - 2)  # a repeat of an earlier row
            money = f"{rnd.randint(1, 5000)},50" if i % 3 == 0 else ""
            bonus = str(rnd.randint(1, 300)) if i % 3 == 0 else ""
            out.write(
                f"{number};{rnd.choice(LAST)};{rnd.choice(FIRST)};"
                f"{rnd.randint(1, 28):02d}.{rnd.randint(1, 12):02d}.{rnd.randint(1950, 2005)};"
                f"{rnd.choice('жч')};c{i}@example.com;{rnd.choice(('так', 'ні', ''))};"
                f"{money};{bonus};{rnd.choice(('vip', 'Єгипет, сім`я', ''))}\r\n"
            )


async def baseline(rows: int) -> float:
    """Already-parsed clients, ``bulk_create`` in the same batch size, nothing checked."""
    started = time.perf_counter()
    batch: list[Client] = []
    for i in range(rows):
        batch.append(Client(phone=f"+380{phone(i)[1:]}", first_name="Олена", last_name="Бондар"))
        if len(batch) == 2000:
            await Client.bulk_create(batch)
            batch = []
    if batch:
        await Client.bulk_create(batch)
    return time.perf_counter() - started


async def main(args: argparse.Namespace) -> None:
    tmp = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite://{tmp.name}/bench.sqlite3"
    await migrate(url)
    await close_db()
    await init_db(url)
    settings = Settings()
    settings.database.database_url = url
    settings.redis.redis_url = None
    services = await build_services(settings, Rules())
    path = Path(tmp.name) / "clients.csv"
    started = time.perf_counter()
    generate(path, args.rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database            {url.split(':', 1)[0]}  "
        f"(load average {load:.1f}, {os.cpu_count()} CPUs)"
    )
    print(
        f"file                {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB "
        f"(written in {time.perf_counter() - started:.1f} s)"
    )

    cpu = time.process_time()
    plain = await baseline(args.rows)
    print(
        f"baseline            {plain:6.2f} s  {args.rows / plain:9,.0f} rows/s  "
        f"(CPU {time.process_time() - cpu:.1f} s)  bulk_create of parsed clients"
    )
    await Client.all().delete()

    for label in ("import", "import again"):
        sheet = open_sheet(path)
        started, cpu = time.perf_counter(), time.process_time()
        report = await import_clients(
            services, sheet.rows, headers=list(sheet.headers), first_line=sheet.first_line
        )
        took = time.perf_counter() - started
        print(
            f"{label:<19} {took:6.2f} s  {args.rows / took:9,.0f} rows/s  "
            f"(CPU {time.process_time() - cpu:.1f} s)  new {report.new:,}, "
            f"unchanged {report.unchanged:,}, duplicates {report.duplicate:,}, "
            f"invalid {report.invalid:,}, balances {report.ledger_entries:,}, "
            f"bonuses {report.bonuses:,}"
        )
    print(
        f"in the database     clients {await Client.all().count():,}, "
        f"ledger entries {await LedgerEntry.all().count():,}, "
        f"opening bonuses {await OpeningBonus.all().count():,}"
    )
    await close_db()
    tmp.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    asyncio.run(main(parser.parse_args()))
