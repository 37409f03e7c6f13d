"""Imports and reports through the API: a file uploaded, imported by the job runner with the
same core import as the CLI, its progress and report polled; reports as JSON, CSV and XLSX."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from openpyxl import Workbook, load_workbook
from pydantic import SecretStr

from core.jobs import JobRunner
from core.services import Services
from storage.models import Client, ImportJob, Order, OrderStatus
from tests.support.api import ADMIN_TOKEN, Caller, make_key
from tests.support.factories import make_client, make_order
from tests.support.payments import web_app

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CLIENTS = (
    "Телефон;Прізвище;Ім'я;Стать\r\n"
    "067 111 22 33;Шевченко;Тарас;ч\r\n"
    "12345;Франко;Іван;\r\n"
    "+380 (50) 222-33-44;Українка;Леся;ж\r\n"
).encode("utf-8-sig")


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    services.settings.web.admin_token = SecretStr(ADMIN_TOKEN)
    async with web_app(services) as client:
        yield client


async def upload(web: TestClient, token: str, path: str, body: bytes, kind: str) -> tuple:
    async with web.post(
        "/api/v1" + path,
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": kind},
    ) as resp:
        return resp.status, await resp.json(content_type=None)


async def test_client_file_is_imported_in_the_background(
    web: TestClient, services: Services
) -> None:
    key = await make_key("crm", "imports:write,imports:read")
    status, job = await upload(web, key, "/imports/clients?filename=base", CLIENTS, CSV)
    assert status == 202, job
    assert job["status"] == "queued" and job["filename"] == "base.csv"
    assert not await Client.exists(phone="+380671112233")  # nothing yet: the runner does it

    await JobRunner(services.jobs, "test").drain()
    done = await Caller(web, key).get(f"/imports/{job['id']}")
    assert done.body["status"] == "done", done.body
    report = done.body["report"]
    assert (report["rows"], report["new"], report["invalid"]) == (3, 2, 1)
    assert report["issues"][0]["line"] == 3 and report["issues"][0]["field"] == "phone"
    assert report["issues"][0]["reason"] == "import-reason-phone"
    assert report["issues"][0]["detail"] == "not a valid phone number"  # as the CLI says it
    assert done.body["rows_done"] == 3
    taras = await Client.get(phone="+380671112233")
    assert (taras.first_name, taras.last_name, taras.gender) == ("Тарас", "Шевченко", "m")
    listed = await Caller(web, key).get("/imports", status="done")
    assert [j["id"] for j in listed.body["items"]] == [job["id"]]

    # the same file again changes nothing; a dry run writes nothing
    _, again = await upload(web, key, "/imports/clients?dry_run=true", CLIENTS, CSV)
    await JobRunner(services.jobs, "test").drain()
    second = (await Caller(web, key).get(f"/imports/{again['id']}")).body
    assert second["report"]["dry_run"] is True and second["report"]["unchanged"] == 2
    assert await Client.all().count() == 2


async def test_order_workbook_and_refusals(web: TestClient, services: Services) -> None:
    await make_client("+380671112233", "Taras")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["phone", "number", "destination", "departure", "price", "currency"])
    sheet.append(["0671112233", "S-1001", "Antalya", "2027-06-01", "45000", "UAH"])
    buffer = io.BytesIO()
    book.save(buffer)
    status, job = await upload(web, ADMIN_TOKEN, "/imports/orders", buffer.getvalue(), XLSX)
    assert status == 202 and job["filename"] == "upload.xlsx"
    await JobRunner(services.jobs, "test").drain()
    order = await Order.get(number="S-1001")
    assert order.price == 4_500_000 and order.destination == "Antalya"
    assert (await ImportJob.get(id=job["id"])).status == "done"

    status, problem = await upload(web, ADMIN_TOKEN, "/imports/orders", b"x", "text/plain")
    assert status == 415 and problem["type"].endswith("unsupported-media-type")
    no_phone = b"Name;City\r\nA;B\r\n"
    _, bad = await upload(web, ADMIN_TOKEN, "/imports/clients", no_phone, CSV)
    await JobRunner(services.jobs, "test").drain()
    failed = (await Caller(web, ADMIN_TOKEN).get(f"/imports/{bad['id']}")).body
    assert failed["status"] == "failed" and failed["error_code"] == "import-no-phone-column"
    assert "phone" in failed["error"]
    reader = Caller(web, await make_key("reader", "imports:read"))
    assert (await upload(web, reader.token or "", "/imports/clients", CLIENTS, CSV))[0] == 403


async def test_reports_as_json_csv_and_xlsx(web: TestClient, services: Services) -> None:
    key = await make_key("books", "reports:read")
    client = await make_client("+380671112233", "Taras")
    await make_order(client, price=1_000_000, paid=250_000, status=OrderStatus.CONFIRMED)
    caller = Caller(web, key)
    debtors = await caller.get("/reports/debtors", period="this_month")
    assert debtors.status == 200, debtors.body
    assert [c["key"] for c in debtors.body["columns"]][:3] == ["client", "phone", "currency"]
    [row] = debtors.body["rows"]
    assert row[1] == "+380671112233" and 750_000 in row
    async with web.get(
        "/api/v1/reports/debtors",
        params={"format": "csv", "start": "2026-11-01", "end": "2026-11-30"},
        headers={"Authorization": f"Bearer {key}"},
    ) as resp:
        assert resp.status == 200 and resp.content_type == CSV
        assert "attachment" in resp.headers["Content-Disposition"]
        text = (await resp.read()).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("client;phone;currency") and "7500" in text
    async with web.get(
        "/api/v1/reports/payments",
        params={"format": "xlsx"},
        headers={"Authorization": f"Bearer {key}"},
    ) as resp:
        assert resp.status == 200 and resp.content_type == XLSX
        book = load_workbook(io.BytesIO(await resp.read()))
    assert book.sheetnames == ["payments"]
    half = await caller.get("/reports/debtors", start="2026-11-01")
    assert half.status == 422
    backwards = await caller.get("/reports/debtors", start="2026-11-30", end="2026-11-01")
    assert backwards.status == 422 and backwards.body["code"] == "report-bad-period"
    assert (
        await Caller(web, await make_key("crm", "clients:read")).get("/reports/debtors")
    ).status == 403
