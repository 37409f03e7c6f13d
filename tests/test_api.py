"""The REST API over HTTP against the running web app: auth and scopes, revoked keys, the
per-key rate limit, problem details, cursor pages, idempotency, and each resource doing what
the chat does (the same core services, the client told through the outbox)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from bots.api.clients import ClientIn
from core.services import Services
from storage.models import (
    ApiKey,
    AuditEntry,
    Client,
    EntryKind,
    IdempotencyRecord,
    LedgerEntry,
    MailingStatus,
    Order,
    OrderStatus,
    OutboxMessage,
    RequestStatus,
    Role,
    TourRequest,
)
from tests.support.api import ADMIN_TOKEN, Caller, make_key
from tests.support.factories import make_client, make_client_account, make_order, make_staff
from tests.support.payments import configure, web_app

TODAY = date(2026, 11, 23)  # the test clock's day (tests/conftest.py START)


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    configure(services.settings)  # payment providers (sandbox) and PUBLIC_URL
    services.settings.web.admin_token = SecretStr(ADMIN_TOKEN)
    async with web_app(services) as client:
        yield client


@pytest.fixture
def admin(web: TestClient) -> Caller:
    return Caller(web, ADMIN_TOKEN)


# ---- authentication, scopes, revocation, rate limit ------------------------------------------


async def test_no_token_is_401_as_problem_details(web: TestClient) -> None:
    answer = await Caller(web, None).get("/clients")
    assert answer.status == 401
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    assert answer.body["type"] == "/api/v1/problems/unauthorized"
    assert answer.body["status"] == 401 and answer.body["title"]
    wrong = await Caller(web, "td_not-a-real-key").get("/clients")
    assert wrong.status == 401


async def test_scopes_are_enforced_per_route(web: TestClient) -> None:
    reader = Caller(web, await make_key("crm-reader", "clients:read"))
    await make_client("+380671110000", "Iryna")
    listed = await reader.get("/clients")
    assert listed.status == 200 and [c["first_name"] for c in listed.body["items"]] == ["Iryna"]
    refused = await reader.post("/clients", {"phone": "+380671112233"})
    assert refused.status == 403
    assert refused.body["code"] == "clients:write"
    assert "clients:write" in refused.body["detail"]
    assert not await Client.exists(phone="+380671112233")
    assert (await reader.get("/orders")).status == 403


async def test_revoked_key_stops_at_once_and_requests_are_audited_by_name(
    web: TestClient, services: Services
) -> None:
    from core.api_keys import revoke_key

    caller = Caller(web, await make_key("erp", "staff:read"))
    assert (await caller.get("/staff")).status == 200
    entry = await AuditEntry.get(action="api.request")
    assert entry.actor == "api:erp"
    assert entry.details["status"] == 200 and entry.subject == "GET /api/v1/staff"
    assert (await ApiKey.get(name="erp")).last_used_at is not None
    await revoke_key("erp", services.clock.now())
    answer = await caller.get("/staff")
    assert answer.status == 401 and answer.body["detail"] == "unknown or revoked key"


async def test_admin_token_off_when_unset_while_keys_still_work(
    web: TestClient, services: Services
) -> None:
    services.settings.web.admin_token = None
    assert (await Caller(web, ADMIN_TOKEN).get("/staff")).status == 401
    key = await make_key("crm", "staff:read")
    assert (await Caller(web, key).get("/staff")).status == 200


async def test_rate_limit_per_key_answers_429_with_retry_after(web: TestClient) -> None:
    slow = Caller(web, await make_key("slow", "staff:read", rate=3))
    other = Caller(web, await make_key("other", "staff:read", rate=3))
    statuses = [(await slow.get("/staff")).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = await slow.get("/staff")
    assert limited.status == 429
    assert limited.body["type"] == "/api/v1/problems/rate-limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20  # one request in 60/3 s
    assert (await other.get("/staff")).status == 200  # another key has its own budget


# ---- problem details ---------------------------------------------------------------------------


async def test_validation_problem_lists_each_field(admin: Caller) -> None:
    answer = await admin.post("/clients", {"phone": "12", "gender": "x", "nickname": "Bob"})
    assert answer.status == 422
    assert answer.body["type"] == "/api/v1/problems/validation"
    where = {tuple(e["loc"]) for e in answer.body["errors"]}
    assert ("body", "gender") in where and ("body", "nickname") in where
    bad_phone = await admin.post("/clients", {"phone": "12"})
    assert bad_phone.status == 422
    assert bad_phone.body["errors"][0]["loc"] == ["body", "phone"]
    assert bad_phone.headers["Content-Type"].startswith("application/problem+json")
    assert "phone number" in bad_phone.body["detail"]
    assert await Client.all().count() == 0


async def test_malformed_requests_answer_problem_details(admin: Caller, web: TestClient) -> None:
    async with web.post(
        "/api/v1/clients",
        data=b"{not json",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"},
    ) as resp:
        assert resp.status == 400
        assert resp.headers["Content-Type"].startswith("application/problem+json")
    async with web.post(
        "/api/v1/clients",
        data=b"phone=1",
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "text/plain"},
    ) as resp:
        assert resp.status == 415
    missing = await admin.get("/clients/999")
    assert missing.status == 404 and missing.body["code"] == "st-client-not-found"
    assert (await admin.get("/clients/abc")).status == 404
    assert (await admin.get("/clients/99999999999")).status == 404
    nowhere = await admin.get("/no-such-thing")
    assert nowhere.status == 404 and nowhere.body["type"] == "/api/v1/problems/not-found"
    nul = await admin.post("/clients", {"phone": "+380671234567", "first_name": "A\x00B"})
    assert nul.status == 422


# ---- clients ----------------------------------------------------------------------------------


async def test_clients_create_search_read_update(admin: Caller) -> None:
    made = await admin.post(
        "/clients",
        {"phone": "067 123 45 67", "first_name": "Olena", "last_name": "Kovalenko", "locale": "en"},
    )
    assert made.status == 201
    assert made.body["phone"] == "+380671234567" and made.body["locale"] == "en"
    client_id = made.body["id"]
    again = await admin.post("/clients", {"phone": "+380 67 123 4567"})
    assert again.status == 409 and again.body["code"] == "api-phone-taken"
    assert f"#{client_id}" in again.body["detail"]
    await make_client("+380501112233", "Petro", "Kovalenko")

    by_phone = await admin.get("/clients", phone="0671234567")
    assert [c["id"] for c in by_phone.body["items"]] == [client_id]
    by_name = await admin.get("/clients", name="kovalenko")
    assert [c["first_name"] for c in by_name.body["items"]] == ["Olena", "Petro"]
    nonsense = await admin.get("/clients", phone="12")
    assert nonsense.status == 422 and nonsense.body["errors"][0]["loc"] == ["query", "phone"]
    both = await admin.get("/clients", name="olena koval")
    assert [c["id"] for c in both.body["items"]] == [client_id]

    detail = await admin.get(f"/clients/{client_id}")
    assert detail.body["balances"] == {} and detail.body["erased"] is False

    changed = await admin.patch(
        f"/clients/{client_id}", {"first_name": "Olena M.", "marketing_consent": True}
    )
    assert changed.status == 200
    assert changed.body["first_name"] == "Olena M." and changed.body["last_name"] == "Kovalenko"
    stored = await Client.get(id=client_id)
    assert stored.marketing_consent is True
    taken = await admin.patch(f"/clients/{client_id}", {"phone": "+380501112233"})
    assert taken.status == 409
    future = await admin.patch(f"/clients/{client_id}", {"birthday": "2030-01-01"})
    assert future.status == 422 and future.body["errors"][0]["loc"] == ["body", "birthday"]
    audit = await AuditEntry.filter(action="client.update").first()
    assert audit is not None and audit.actor == "api:@operator"
    assert audit.details == {"fields": ["first_name", "marketing_consent"]}


async def test_clients_merge_moves_orders(admin: Caller) -> None:
    keep = await make_client("+380671000001", "Olena")
    dup = await make_client("+380671000002", "Olena K.")
    order = await make_order(dup)
    answer = await admin.post("/clients/merge", {"from_id": dup.id, "into_id": keep.id})
    assert answer.status == 200
    assert answer.body["client"]["id"] == keep.id and answer.body["moved"]["orders.client_id"] == 1
    assert (await Order.get(id=order.id)).client_id == keep.id
    assert not await Client.exists(id=dup.id)
    same = await admin.post("/clients/merge", {"from_id": keep.id, "into_id": keep.id})
    assert same.status == 422


# ---- orders, status, payment links, payments, ledger -------------------------------------------


async def test_order_create_tells_the_client_and_validates_dates(admin: Caller) -> None:
    client, account = await make_client_account()
    manager, _ = await make_staff(Role.MANAGER, name="Ivan")
    body = {
        "client_id": client.id,
        "destination": "Antalya, Turkey",
        "departure_date": str(TODAY + timedelta(days=30)),
        "return_date": str(TODAY + timedelta(days=37)),
        "price": 4_500_000,
        "currency": "UAH",
        "due_date": str(TODAY + timedelta(days=10)),
        "manager_id": manager.id,
    }
    made = await admin.post("/orders", body)
    assert made.status == 201, made.body
    assert made.body["number"] == "T-0001" and made.body["status"] == "booked"
    assert made.body["remaining"] == 4_500_000 and made.body["client_notified"] is True
    assert made.body["manager_id"] == manager.id and made.body["prepayment_percent"] == 30
    told = await OutboxMessage.get(account_id=account.id, kind="order-created")
    assert "T-0001" in told.body["text"] and "Ivan" in told.body["text"]
    past = await admin.post("/orders", {**body, "departure_date": str(TODAY - timedelta(days=1))})
    assert past.status == 422 and past.body["errors"][0]["loc"] == ["body", "departure_date"]
    backwards = await admin.post("/orders", {**body, "return_date": str(TODAY + timedelta(days=2))})
    assert backwards.status == 422 and backwards.body["errors"][0]["loc"] == ["body", "return_date"]
    nobody = await admin.post("/orders", {**body, "client_id": 4242})
    assert nobody.status == 404
    assert await Order.all().count() == 1


async def test_order_status_change_tells_the_client_like_the_chat(admin: Caller) -> None:
    client, account = await make_client_account()
    order = await make_order(client, status=OrderStatus.BOOKED)
    moved = await admin.post(f"/orders/{order.id}/status", {"status": "confirmed"})
    assert moved.status == 200 and moved.body["status"] == "confirmed"
    told = await OutboxMessage.get(account_id=account.id, kind="order-confirmed")
    assert order.number in told.body["text"]
    refused = await admin.post(f"/orders/{order.id}/status", {"status": "booked"})
    assert refused.status == 422 and refused.body["code"] == "st-status-not-allowed"
    audit = await AuditEntry.get(action="staff.order.status")
    assert audit.actor == "api:@operator" and audit.details["to"] == "confirmed"
    cancelled = await admin.post(f"/orders/{order.id}/status", {"status": "cancelled"})
    assert cancelled.body["status"] == "cancelled"
    assert await OutboxMessage.exists(account_id=account.id, kind="order-cancelled")


async def test_order_update_respects_money_and_closed_orders(admin: Caller) -> None:
    client = await make_client()
    order = await make_order(client, price=1_000_000, paid=300_000)
    cheaper = await admin.patch(f"/orders/{order.id}", {"price": 200_000})
    assert cheaper.status == 422 and cheaper.body["code"] == "api-price-below-paid"
    ok = await admin.patch(f"/orders/{order.id}", {"price": 900_000, "destination": "Crete"})
    assert ok.body["price"] == 900_000 and ok.body["remaining"] == 600_000
    assert ok.body["destination"] == "Crete"
    closed = await make_order(client, status=OrderStatus.CANCELLED)
    frozen = await admin.patch(f"/orders/{closed.id}", {"destination": "Rhodes"})
    assert frozen.status == 409 and frozen.body["code"] == "api-order-closed"


async def test_a_status_change_or_an_edit_moves_updated_at(admin: Caller) -> None:
    """A CRM that syncs by ``updated_at`` must see every change made through the API."""
    order = await make_order(await make_client(), status=OrderStatus.BOOKED)
    created = (await admin.get(f"/orders/{order.id}")).body["updated_at"]
    moved = await admin.post(f"/orders/{order.id}/status", {"status": "confirmed"})
    assert moved.body["updated_at"] > created
    read = (await admin.get(f"/orders/{order.id}")).body["updated_at"]
    assert read == moved.body["updated_at"]
    edited = await admin.patch(f"/orders/{order.id}", {"destination": "Crete"})
    assert edited.body["updated_at"] > read


async def test_payment_link_payments_and_ledger(admin: Caller, services: Services) -> None:
    client, account = await make_client_account()
    order = await make_order(client, price=1_000_000)
    link = await admin.post(f"/orders/{order.id}/payment-links", {"mode": "remaining"})
    assert link.status == 201, link.body
    assert link.body["amount"] == 1_000_000 and link.body["delivery"] == "sent"
    assert link.body["url"].startswith("https://tourdesk.example/pay/")
    assert await OutboxMessage.exists(account_id=account.id, kind="pay-link")
    quiet = await admin.post(
        f"/orders/{order.id}/payment-links", {"mode": "amount", "amount": 50_000, "notify": False}
    )
    assert quiet.body["delivery"] == "not_sent" and quiet.body["amount"] == 50_000
    assert await OutboxMessage.filter(account_id=account.id, kind="pay-link").count() == 1
    no_amount = await admin.post(f"/orders/{order.id}/payment-links", {"mode": "amount"})
    assert no_amount.status == 422 and no_amount.body["errors"][0]["loc"] == ["body", "amount"]
    too_much = await admin.post(
        f"/orders/{order.id}/payment-links", {"mode": "amount", "amount": 2_000_000}
    )
    assert too_much.status == 422 and too_much.body["code"] == "pay-more-than-due"

    payments = await admin.get("/payments", order_id=order.id)
    assert [p["amount"] for p in payments.body["items"]] == [1_000_000, 50_000]
    assert payments.body["items"][0]["url"] == link.body["url"]
    one = await admin.get(f"/payments/{quiet.body['payment_id']}")
    assert one.body["status"] == "pending" and one.body["purpose"] == "order"

    await LedgerEntry.create(
        client=client, amount=50_000, currency="UAH", kind=EntryKind.PAYMENT, reference="t:1"
    )
    entries = await admin.get("/ledger", client_id=client.id)
    assert [(e["amount"], e["kind"], e["reference"]) for e in entries.body["items"]] == [
        (50_000, "payment", "t:1")
    ]
    assert (await admin.get("/ledger", currency="usd")).status == 422


# ---- tour requests, mailings, staff --------------------------------------------------------------


async def test_tour_request_assign_tells_the_client(admin: Caller) -> None:
    client, account = await make_client_account()
    request = await TourRequest.create(number="R-0001", client=client, destination="Egypt")
    ivan, ivan_account = await make_staff(Role.MANAGER, name="Ivan")
    maria, _ = await make_staff(Role.MANAGER, name="Maria")
    gone, _ = await make_staff(Role.MANAGER, name="Gone", active=False)
    listed = await admin.get("/tour-requests", status="new")
    assert [r["number"] for r in listed.body["items"]] == ["R-0001"]
    first = await admin.post(f"/tour-requests/{request.id}/assign", {"manager_id": ivan.id})
    assert first.body["status"] == "taken" and first.body["manager_id"] == ivan.id
    told = await OutboxMessage.filter(account_id=account.id, kind="request-taken")
    assert len(told) == 1 and "Ivan" in told[0].body["text"]
    assert (await Client.get(id=client.id)).manager_id == ivan.id
    notice = await OutboxMessage.get(account_id=ivan_account.id, kind="request-assigned")
    assert "Tour request R-0001 from Olena" in notice.body["text"]
    assert "has been assigned to you" in notice.body["text"] and "Egypt" in notice.body["text"]
    again = await admin.post(f"/tour-requests/{request.id}/assign", {"manager_id": maria.id})
    assert again.body["manager_id"] == maria.id
    assert await OutboxMessage.filter(account_id=account.id, kind="request-taken").count() == 2
    refused = await admin.post(f"/tour-requests/{request.id}/assign", {"manager_id": gone.id})
    assert refused.status == 422 and refused.body["errors"][0]["loc"] == ["body", "manager_id"]
    await TourRequest.filter(id=request.id).update(status=RequestStatus.CLOSED)
    closed = await admin.post(f"/tour-requests/{request.id}/assign", {"manager_id": ivan.id})
    assert closed.status == 409


async def test_mailings_create_steer_and_report(admin: Caller) -> None:
    await make_client_account(consent=True)
    bad = await admin.post("/mailings", {"texts": {"default": "Hi {nickname}"}})
    assert bad.status == 422 and bad.body["code"] == "mailing-unknown-variable"
    segment = await admin.post("/mailings", {"texts": {"default": "Hi"}, "segment": "age>20"})
    assert segment.status == 422
    draft = await admin.post(
        "/mailings", {"texts": {"default": "Hi {first_name}", "uk": "Привіт"}, "draft": True}
    )
    assert draft.status == 201 and draft.body["status"] == "draft"
    mailing_id = draft.body["id"]
    paused = await admin.post(f"/mailings/{mailing_id}/pause")
    assert paused.status == 409 and paused.body["code"] == "mailing-bad-state"
    started = await admin.post(f"/mailings/{mailing_id}/start", {})
    assert started.body["status"] == "scheduled" and started.body["run_at"]
    cancelled = await admin.post(f"/mailings/{mailing_id}/cancel")
    assert cancelled.body["status"] == "cancelled"
    resumed = await admin.post(f"/mailings/{mailing_id}/resume")
    assert resumed.status == 409 and resumed.body["code"] == "mailing-bad-state"
    report = await admin.get(f"/mailings/{mailing_id}")
    assert report.body["outcomes"]["pending"] == 0 and report.body["recipients"] == 0
    listed = await admin.get("/mailings", status="cancelled")
    assert [m["id"] for m in listed.body["items"]] == [mailing_id]
    assert (await admin.get("/mailings/777")).status == 404


async def test_a_body_of_only_defaults_may_be_left_out(web: TestClient, admin: Caller) -> None:
    """``curl -X POST …/mailings/1/start`` as pause, resume and cancel are called: no body."""
    client, _ = await make_client_account(consent=True)
    draft = await admin.post("/mailings", {"texts": {"default": "Hi"}, "draft": True})
    order = await make_order(client, price=1_000_000)
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    start = f"/api/v1/mailings/{draft.body['id']}/start"
    async with web.post(start, headers=auth) as resp:
        assert resp.status == 200, await resp.text()
        assert (await resp.json())["status"] == "scheduled"
    async with web.post(f"/api/v1/orders/{order.id}/payment-links", headers=auth) as resp:
        assert resp.status == 201 and (await resp.json())["amount"] == 1_000_000  # "remaining"
    async with web.post(start, data=b"now", headers=auth) as resp:  # a body must still be JSON
        assert resp.status == 415
    async with web.post("/api/v1/orders", headers=auth) as resp:  # a required body stays so
        assert resp.status == 415
    doc = (await admin.get("/openapi.json")).body["paths"]
    assert doc["/api/v1/mailings/{mailing_id}/start"]["post"]["requestBody"]["required"] is False
    assert doc["/api/v1/orders"]["post"]["requestBody"]["required"] is True


async def test_staff_list_and_one(admin: Caller) -> None:
    ivan, _ = await make_staff(Role.MANAGER, name="Ivan")
    await make_staff(Role.ACCOUNTANT, name="Olha", active=False)
    active = await admin.get("/staff", active="true")
    assert [s["name"] for s in active.body["items"]] == ["Ivan"]
    one = await admin.get(f"/staff/{ivan.id}")
    assert one.body["role"] == "manager" and one.body["revoked_at"] is None


# ---- pagination --------------------------------------------------------------------------------


async def test_cursor_pages_are_stable_while_rows_are_added(admin: Caller) -> None:
    for i in range(7):
        await make_client(f"+38067200000{i}", f"C{i}")
    seen: list[str] = []
    first = await admin.get("/clients", limit=3)
    seen += [c["first_name"] for c in first.body["items"]]
    await make_client("+380672000099", "Late")  # arrives while the caller pages
    cursor = first.body["next_cursor"]
    while cursor:
        page = await admin.get("/clients", limit=3, cursor=cursor)
        seen += [c["first_name"] for c in page.body["items"]]
        cursor = page.body["next_cursor"]
    assert seen == [f"C{i}" for i in range(7)] + ["Late"]
    bad = await admin.get("/clients", cursor="garbage!")
    assert bad.status == 400 and bad.body["errors"][0]["loc"] == ["query", "cursor"]
    assert (await admin.get("/clients", limit=0)).status == 422
    assert (await admin.get("/clients", limit=201)).status == 422


# ---- idempotency -------------------------------------------------------------------------------


async def test_idempotency_key_replays_and_refuses_a_different_body(admin: Caller) -> None:
    body = {"phone": "+380673334455", "first_name": "Taras"}
    first = await admin.post("/clients", body, key="create-taras-1")
    second = await admin.post("/clients", body, key="create-taras-1")
    assert first.status == second.status == 201
    assert second.body == first.body and second.headers["Idempotent-Replayed"] == "true"
    assert await Client.all().count() == 1
    other = await admin.post("/clients", {**body, "first_name": "Ostap"}, key="create-taras-1")
    assert other.status == 422 and other.body["type"].endswith("idempotency-key-reused")
    # a refusal is replayed as well: the same key never does the work later
    refused = await admin.post("/clients", {"phone": "1"}, key="bad-1")
    assert refused.status == 422
    assert (await admin.post("/clients", {"phone": "1"}, key="bad-1")).body == refused.body
    # another caller's identical key is its own
    crm = Caller(admin.web, await make_key("crm", "clients:write"))
    theirs = await crm.post("/clients", {"phone": "+380673334466"}, key="create-taras-1")
    assert theirs.status == 201
    assert (await admin.post("/clients", body, key="x" * 256)).status == 400


async def test_concurrent_requests_with_one_key_create_once(admin: Caller) -> None:
    client = await make_client()
    body = {
        "client_id": client.id,
        "destination": "Egypt",
        "departure_date": str(TODAY + timedelta(days=20)),
        "price": 100_000,
    }
    answers = await asyncio.gather(*(admin.post("/orders", body, key="order-77") for _ in range(6)))
    assert {a.status for a in answers} == {201}
    assert len({a.body["id"] for a in answers}) == 1
    assert await Order.all().count() == 1
    record = await IdempotencyRecord.get(key="order-77")
    assert record.status == 201 and record.owner == "admin"


async def test_mailing_post_without_body_is_idempotent_too(admin: Caller) -> None:
    made = await admin.post("/mailings", {"texts": {"default": "Hi"}}, key="m-1")
    again = await admin.post("/mailings", {"texts": {"default": "Hi"}}, key="m-1")
    assert made.body["id"] == again.body["id"]
    assert made.body["status"] == again.body["status"] == MailingStatus.SCHEDULED.value


# ---- the OpenAPI document ----------------------------------------------------------------------


async def test_openapi_is_generated_from_the_models_and_routes(web: TestClient) -> None:
    from bots.api.app import all_routes

    async with web.get("/api/v1/openapi.json") as resp:  # public: no key needed
        assert resp.status == 200
        doc = await resp.json()
    assert doc["openapi"] == "3.1.0"
    declared = {(r.method.lower(), "/api/v1" + r.path) for r in all_routes()}
    documented = {(m, p) for p, ops in doc["paths"].items() for m in ops}
    assert documented == declared
    schema = doc["components"]["schemas"]["ClientIn"]
    assert set(schema["properties"]) == set(ClientIn.model_fields)
    assert schema["required"] == ["phone"]
    create = doc["paths"]["/api/v1/clients"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ClientIn"
    )
    assert "application/problem+json" in create["responses"]["422"]["content"]
    assert "Retry-After" in create["responses"]["429"]["headers"]


async def test_expired_idempotency_keys_are_forgotten(admin: Caller, services: Services) -> None:
    from core.clock import ManualClock

    clock = services.clock
    assert isinstance(clock, ManualClock)
    first = await admin.post("/clients", {"phone": "+380673330001"}, key="old-key")
    clock.advance(timedelta(hours=25))
    # past [api] idempotency_hours the key is free: a new request does new work
    fresh = await admin.post("/clients", {"phone": "+380673330002"}, key="old-key")
    assert fresh.status == 201 and fresh.body["id"] != first.body["id"]
    await admin.post("/clients", {"phone": "+380673330003"}, key="k-2")
    clock.advance(timedelta(hours=25))
    await admin.post("/clients", {"phone": "+380673330004"}, key="k-3")
    assert sorted(await IdempotencyRecord.all().values_list("key", flat=True)) == ["k-3"]
