"""Importing an agency's clients from real files: CSV (UTF-8 with a BOM, cp1251) and XLSX made
with openpyxl; the merge rules, the dry run, a second run, and every refused row with its
line, field and reason."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from core.errors import InvalidInput
from core.imports.clients import import_clients
from core.imports.report import ImportReport
from core.imports.sources import open_sheet
from core.ledger import balance
from core.services import Services
from storage.models import AuditEntry, Client, EntryKind, LedgerEntry, OpeningBonus
from tests.support.factories import make_client

UK_HEADER = "Телефон;Прізвище;Ім'я;Дата народження;Стать;E-mail;Згода;Баланс;Бонуси;Теги"
UK_ROWS = [
    "067 111 22 33;Шевченко;Тарас;09.03.1984;ч;taras@example.com;так;1 500,50;120;VIP, Єгипет",
    "+380 (50) 222-33-44;Українка;Леся;1971-02-25;ж;;ні;;;",
    "12345;Франко;Іван;;;;;;;",  # line 4: not a phone
    "0631112233;Коцюбинський;Михайло;31.02.1990;;;;;;",  # line 5: no such date
    "380671112233;Двійник;Тарас;;;;;;;",  # line 6: the phone of line 2 again
    "0661234567;Кобилянська;Ольга;;x;;;;;",  # line 7: gender not recognised
    ";;;;;;;;;",  # a blank line: skipped, not counted
    "0931234567;;Марко;;;;;-20;;",  # line 9: a negative balance
    "0731234567;Вовчок;Марко;;;MARKO@Example.com;;0;;Клієнт",
]


def write_csv(path: Path, header: str, rows: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join([header, *rows]) + "\r\n").encode(encoding))
    return path


async def run(services: Services, path: Path, **kwargs: Any) -> ImportReport:
    sheet = open_sheet(path)
    return await import_clients(
        services, sheet.rows, headers=list(sheet.headers), first_line=sheet.first_line, **kwargs
    )


def issues(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(i.line, i.field, i.reason) for i in report.issues]


async def test_csv_with_bom_ukrainian_headers_and_every_field(
    services: Services, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "clients.csv", UK_HEADER, UK_ROWS)

    report = await run(services, path)

    assert (report.rows, report.new, report.updated, report.unchanged) == (8, 3, 0, 0)
    assert (report.duplicate, report.invalid) == (1, 4)
    assert issues(report) == [
        (4, "phone", "import-reason-phone"),
        (5, "birthday", "import-reason-date"),
        (6, "phone", "import-reason-duplicate"),
        (7, "gender", "import-reason-gender"),
        (9, "balance", "import-reason-amount"),
    ]
    assert report.issues[2].first_line == 2 and report.issues[0].value == "12345"
    taras = await Client.get(phone="+380671112233")
    assert (taras.first_name, taras.last_name, taras.gender) == ("Тарас", "Шевченко", "m")
    assert taras.birthday == date(1984, 3, 9) and taras.email == "taras@example.com"
    assert taras.marketing_consent is True and taras.tags == ["vip", "єгипет"]
    assert taras.bonus_points == 120 and taras.lead_source == "import"
    assert await balance(taras.id, "UAH") == 150_050
    entry = await LedgerEntry.get(client_id=taras.id)
    assert (entry.kind, entry.reference) == (EntryKind.OPENING, f"import:opening:{taras.id}:UAH")
    lesya = await Client.get(phone="+380502223344")
    assert lesya.marketing_consent is False and lesya.gender == "f" and lesya.tags == []
    marko = await Client.get(phone="+380731234567")
    assert marko.marketing_consent is None  # no consent cell: "not asked", never assumed
    assert marko.email == "marko@example.com" and marko.tags == ["клієнт"]
    assert not await Client.exists(first_name="Іван")
    assert await AuditEntry.filter(action="clients-import").count() == 1


async def test_a_second_run_changes_nothing(services: Services, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "clients.csv", UK_HEADER, UK_ROWS)
    await run(services, path)
    before = await snapshot()

    again = await run(services, path)

    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert (again.ledger_entries, again.bonuses) == (0, 0)
    assert await snapshot() == before


async def snapshot() -> list[Any]:
    clients = await Client.all().order_by("id").values()
    ledger = await LedgerEntry.all().order_by("id").values("client_id", "amount", "reference")
    bonuses = await OpeningBonus.all().order_by("id").values("client_id", "points", "reference")
    for c in clients:
        c.pop("created_at")
    return [clients, ledger, bonuses]


async def test_dry_run_reports_the_same_and_changes_nothing(
    services: Services, tmp_path: Path
) -> None:
    known = await make_client("+380671112233", first_name="", last_name="Шевченко")
    path = write_csv(tmp_path / "clients.csv", UK_HEADER, UK_ROWS)
    before = await snapshot()

    dry = await run(services, path, dry_run=True)

    assert await snapshot() == before
    assert not await AuditEntry.exists(action="clients-import")
    assert (dry.new, dry.updated, dry.invalid, dry.duplicate) == (2, 1, 4, 1)
    assert (dry.ledger_entries, dry.bonuses) == (1, 1)
    real = await run(services, path)
    assert (real.new, real.updated, real.invalid, real.duplicate) == (2, 1, 4, 1)
    assert issues(real) == issues(dry)
    merged = await Client.get(id=known.id)
    assert merged.first_name == "Тарас"  # filled: it was empty


async def test_merge_rules_fill_keep_and_update(services: Services, tmp_path: Path) -> None:
    kept = await make_client("+380671112233", first_name="Taras", consent=False)
    kept.email = "old@example.com"
    kept.tags = ["old"]
    await kept.save()
    path = write_csv(
        tmp_path / "c.csv",
        "phone,first_name,email,consent,tags",
        ["0671112233,Тарас,new@example.com,yes,new"],
    )

    report = await run(services, path)
    client = await Client.get(id=kept.id)
    assert report.updated == 1
    assert (client.first_name, client.email) == ("Taras", "old@example.com")  # kept
    assert client.tags == ["new", "old"]  # added to
    assert client.marketing_consent is False  # the client's own "no" stays

    await run(services, path, update=True)
    client = await Client.get(id=kept.id)
    assert (client.first_name, client.email) == ("Тарас", "new@example.com")  # replaced
    assert client.marketing_consent is False  # even --update never turns "no" into "yes"

    withdraw = write_csv(tmp_path / "w.csv", "phone,consent", ["0671112233,no"])
    client.marketing_consent = True
    await client.save()
    await run(services, withdraw)
    assert (await Client.get(id=kept.id)).marketing_consent is True  # kept without --update
    await run(services, withdraw, update=True)
    assert (await Client.get(id=kept.id)).marketing_consent is False  # withdrawn with it


async def test_xlsx_with_english_headers_excel_dates_and_numeric_phones(
    services: Services, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Phone", "First name", "Last name", "Date of birth", "Opening balance", "Notes"])
    sheet.append([380671112233, "Olena", "Bondar", datetime(1990, 5, 17), 250, "likes Crete"])
    sheet.append(["0502223344", "Petro", "Marchenko", "17.05.1985", 99.5, ""])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["bad", "Nobody", "", None, None, None])
    path = tmp_path / "clients.xlsx"
    book.save(path)

    report = await run(services, path)

    assert (report.new, report.invalid) == (2, 1)
    assert issues(report) == [(5, "phone", "import-reason-phone")]
    assert "Notes" not in report.mapping
    olena = await Client.get(phone="+380671112233")
    assert olena.birthday == date(1990, 5, 17) and olena.last_name == "Bondar"
    assert await balance(olena.id, "UAH") == 25_000
    petro = await Client.get(phone="+380502223344")
    assert petro.birthday == date(1985, 5, 17) and await balance(petro.id, "UAH") == 9_950


async def test_cp1251_file_with_russian_headers_and_commas(
    services: Services, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "export.csv",
        "ФИО,Мобильный,Пол,Дата рождения,Согласие на рассылку",
        ["Сидоренко Алёна,+380 67 111 22 33,жен,01.01.1980,да"],
        encoding="cp1251",
    )
    sheet = open_sheet(path)
    assert (sheet.encoding, sheet.delimiter) == ("cp1251", ",")

    report = await import_clients(services, sheet.rows, headers=list(sheet.headers))

    assert report.new == 1
    client = await Client.get(phone="+380671112233")
    assert (client.first_name, client.last_name, client.gender) == ("Алёна", "Сидоренко", "f")
    assert client.marketing_consent is True


async def test_map_overrides_and_refuses_typos(services: Services, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", "Моб;Кличка;Телефон", ["0671112233;Тарас;не знаю"])
    report = await run(services, path, mapping={"Моб": "phone", "Кличка": "first_name"})
    assert report.new == 1 and report.mapping == {"Моб": "phone", "Кличка": "first_name"}
    assert (await Client.get(phone="+380671112233")).first_name == "Тарас"

    with pytest.raises(InvalidInput) as bad_field:
        await run(services, path, mapping={"Моб": "mobile"})
    assert bad_field.value.key == "import-map-no-field"
    with pytest.raises(InvalidInput) as bad_column:
        await run(services, path, mapping={"Mob": "phone"})
    assert bad_column.value.key == "import-map-no-column"
    no_phone = write_csv(tmp_path / "n.csv", "Name;City", ["Taras;Kyiv"])
    with pytest.raises(InvalidInput) as missing:
        await run(services, no_phone)
    assert missing.value.key == "import-no-phone-column"


async def test_rows_from_the_api_without_a_header_line(services: Services) -> None:
    rows = [
        {"phone": "0671112233", "first_name": "Taras"},
        {"phone": "0671112233", "first_name": "Again"},
        {"phone": "0502223344", "bonus": "15"},
    ]
    report = await import_clients(services, rows, first_line=1)
    assert (report.new, report.duplicate) == (2, 1)
    assert report.issues[0].line == 2 and report.issues[0].first_line == 1
    assert (await Client.get(phone="+380502223344")).bonus_points == 15


async def test_an_imported_number_is_not_anyones_messenger(
    services: Services, tmp_path: Path
) -> None:
    """Agency data only: no messenger account is linked, so the identity proof still applies."""
    path = write_csv(tmp_path / "c.csv", "phone;name", ["0671112233;Taras"])
    await run(services, path)
    client = await Client.get(phone="+380671112233")
    assert await client.accounts.all().count() == 0
