"""``tourdesk commissions report`` as an operator runs it: a table, a CSV file an accountant
opens, and one-line refusals of bad input (exit 2)."""

from __future__ import annotations

import csv
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from core.settings import Settings
from storage.models import CommissionEntry, Role
from tests.support import procs
from tests.support.factories import make_client, make_order, make_staff


def run(settings: Settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = procs.clean_env(DATABASE_URL=settings.database.database_url)
    return procs.run_cli(["commissions", "report", *args], env, tmp_path)


async def test_report_as_table_and_csv(settings: Settings, tmp_path: Path, db_url: str) -> None:
    ivan, _ = await make_staff(Role.MANAGER, "i", name="Ivan")
    olha, _ = await make_staff(Role.MANAGER, "o", name="Olha")
    order = await make_order(await make_client(), manager=ivan)
    november = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    for staff, amount, ref in ((ivan, 6_000, "a"), (ivan, -1_000, "b"), (olha, 2_500, "c")):
        await CommissionEntry.create(
            staff=staff, order=order, amount=amount, currency="UAH", base=100_000,
            basis="paid", rate_bp=200, reference=ref, created_at=november,
        )  # fmt: skip
    await CommissionEntry.create(
        staff=olha, order=order, amount=9_999, currency="UAH", base=1, basis="paid", rate_bp=1,
        reference="december", created_at=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
    )  # fmt: skip

    shown = run(settings, tmp_path, "--month", "2026-11")
    assert shown.returncode == 0, shown.stderr
    assert (
        f"{ivan.id}\tIvan\tUAH\taccrued 60.00\trefunded 10.00\tnet 50.00\tpayments 1"
        in shown.stdout
    )
    assert f"{olha.id}\tOlha\tUAH\taccrued 25.00\trefunded 0.00\tnet 25.00" in shown.stdout

    out = tmp_path / "nov.csv"
    written = run(settings, tmp_path, "--month", "2026-11", "--csv", str(out))
    assert written.returncode == 0, written.stderr
    assert out.read_bytes().startswith("\ufeffmonth;staff_id;".encode())  # as reports' CSV
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert [(r["manager"], r["net"], r["payments"]) for r in rows] == [
        ("Ivan", "50.00", "1"),
        ("Olha", "25.00", "1"),
    ]

    for bad in (["--month", "November"], ["--month", "2026-13"], []):
        refused = run(settings, tmp_path, *bad)
        assert refused.returncode == 2, bad
        assert len(refused.stderr.strip().splitlines()) == 1 and "Traceback" not in refused.stderr
