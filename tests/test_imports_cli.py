"""``tourdesk clients import``, ``tourdesk orders import`` and ``tourdesk reports`` as an operator
runs them: summaries with reasons, exit codes, a dry run that writes nothing, one-line refusals
of bad input, and report files."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from core.settings import Settings
from storage.models import Client, Order
from tests.support import procs

CLIENTS = "Телефон;Ім'я;Прізвище;Баланс\n0671112233;Тарас;Шевченко;100\n12-34;Іван;Франко;\n"


def run(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = procs.clean_env(DATABASE_URL=settings.database.database_url)
    if settings.redis.redis_url:
        env.update(REDIS_URL=settings.redis.redis_url, REDIS_PREFIX=settings.redis.redis_prefix)
    return procs.run_cli(list(args), env, tmp_path)


async def test_clients_import_dry_run_then_for_real(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS, encoding="utf-8")

    dry = run(settings, tmp_path, "clients", "import", str(path), "--dry-run")
    assert dry.returncode == 1, dry.stderr  # a row was invalid
    assert "Line 3, phone: not a valid phone number (“12-34”)" in dry.stdout
    assert "Rows: 2. New: 1, updated: 0, unchanged: 0, duplicates: 0, invalid: 1." in dry.stdout
    assert "Dry run: nothing was changed." in dry.stdout
    assert "Traceback" not in dry.stderr
    assert not await Client.exists(phone="+380671112233")

    real = run(settings, tmp_path, "clients", "import", str(path), "--map", "Баланс=-")
    assert real.returncode == 1
    assert "Ledger entries: 0. Opening bonuses: 0." in real.stdout  # the balance was ignored
    assert "Clients created" not in real.stdout  # the new client is "New: 1", not counted twice
    assert (await Client.get(phone="+380671112233")).first_name == "Тарас"


async def test_bad_input_is_one_line_and_exit_two(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "clients.csv"
    path.write_text(CLIENTS, encoding="utf-8")
    cases = [
        (("clients", "import", str(tmp_path / "nope.csv")), "There is no file"),
        (("clients", "import", str(path), "--map", "Mobile=phone"), "does not have: “Mobile”"),
        (("clients", "import", str(path), "--map", "Телефон"), "expects COLUMN=field"),
        (("clients", "import", str(path), "--map", "Телефон=mobile"), "unknown field “mobile”"),
        (("reports", "debtors", "--from", "2026-11-31", "--to", "2026-12-01"), "not a date"),
        (("reports", "debtors", "--from", "2026-12-02", "--to", "2026-12-01"), "end is before"),
    ]
    for args, message in cases:
        done = run(settings, tmp_path, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert message in done.stderr, (args, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not await Client.exists()


async def test_orders_import_and_reports_to_files(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "Номер;Телефон;Напрямок;Ціна;Оплачено;Сплатити до\n"
        "A-100;0671112233;Crete;1000;200;2026-11-20\n",
        encoding="utf-8",
    )
    done = run(settings, tmp_path, "orders", "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "New: 1" in done.stdout and "Clients created: 1." in done.stdout
    assert "Opening bonuses" not in done.stdout  # orders grant no opening bonuses
    order = await Order.get(number="A-100")
    assert (order.price, order.paid) == (100_000, 20_000)

    out = tmp_path / "debtors.csv"
    report = run(
        settings,
        tmp_path,
        "reports",
        "debtors",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--csv",
        str(out),
        "--png",
        str(tmp_path / "d.png"),
    )
    assert report.returncode == 0, report.stderr
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows == [
        ["client", "phone", "currency", "orders", "owed", "overdue", "first_due"],
        ["+380671112233", "+380671112233", "UAH", "1", "800.00", "800.00", "2026-11-20"],
    ]
    assert (tmp_path / "d.png").read_bytes()[:4] == b"\x89PNG"

    xlsx = tmp_path / "debtors.xlsx"
    run(
        settings,
        tmp_path,
        "reports",
        "debtors",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--xlsx",
        str(xlsx),
    )
    sheet = load_workbook(xlsx).active
    assert sheet is not None and sheet["E2"].value == 800

    text = run(
        settings, tmp_path, "reports", "debtors", "--from", "2026-11-01", "--to", "2026-11-30"
    )
    assert "Debtors: 1 · open orders: 1" in text.stdout
