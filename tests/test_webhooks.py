"""Outgoing webhooks (issue 18): every event a CRM subscribes to reaches a real local HTTP
receiver once per cause, signed as README tells receivers to check; failures are logged and
retried with backoff until accepted or the attempts run out; an event can be replayed from the
CLI with the same id; bad configuration stops start-up with one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from tortoise.transactions import in_transaction

from core.clock import ManualClock
from core.errors import ConfigError
from core.jobs import JobRunner
from core.payments.intents import create_order_intent
from core.reminders import review
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from core.staff.orders import OrderDraft, change_status, create_order
from core.tour_requests import Draft, create_request
from core.webhooks import events as webhook_events
from core.webhooks import signing
from core.webhooks.payloads import client_data
from core.webhooks.publish import publish
from core.webhooks.secrets import check_secrets
from storage.models import (
    Job,
    OrderStatus,
    Role,
    WebhookDelivery,
    WebhookEvent,
)
from tests.support.api import Caller, make_key
from tests.support.factories import make_client, make_order, make_staff
from tests.support.journeys import register
from tests.support.payments import (
    callback_status,
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    web_app,
)

SECRET = "whsec-test-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Receiver:
    """A CRM's endpoint: records what arrives and answers with the next planned status."""

    answers: list[int] = field(default_factory=list)
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.got.append((dict(request.headers), await request.read()))
        status = self.answers.pop(0) if self.answers else 200
        return web.Response(status=status, text="thanks" if status < 300 else "try later")

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.got]

    def types(self) -> list[str]:
        return [e["type"] for e in self.events()]


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[Receiver, str]]:
    crm = Receiver()
    app = web.Application()
    app.router.add_post("/hooks", crm.handle)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield crm, str(server.make_url("/hooks"))
    finally:
        await server.close()


def hook_rules(url: str, events: tuple[str, ...] = ("*",), **extra: Any) -> Rules:
    table: dict[str, Any] = {
        "endpoints": {"crm": {"url": url, "events": list(events)}},
        "retry_min_seconds": 60,
        "retry_max_seconds": 600,
        **extra,
    }
    return Rules.model_validate({"webhooks": table})


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBHOOK_SECRET", SECRET)


@pytest.fixture
def rules(receiver: tuple[Receiver, str]) -> Rules:
    return hook_rules(receiver[1])


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


@pytest.fixture
async def web_client(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


async def drain(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


def check_signed(headers: dict[str, str], body: bytes) -> None:
    event = json.loads(body)
    assert headers["Tourdesk-Event-Id"] == event["id"]
    assert event["id"].startswith("evt_")
    assert headers["Tourdesk-Event-Type"] == event["type"]
    assert signing.verify(SECRET, headers[signing.HEADER], body, time.time())
    assert not signing.verify("another-secret-of-16+", headers[signing.HEADER], body, time.time())
    assert not signing.verify(SECRET, headers[signing.HEADER], body + b" ", time.time())


def readme_verify() -> Callable[..., bool]:
    """The receiver's check exactly as README "Outgoing webhooks" prints it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "def verify(" in b]
    scope: dict[str, Any] = {}
    exec(compile(block, "README.md", "exec"), scope)  # our own README, as printed
    return scope["verify"]  # type: ignore[no-any-return]


async def test_the_readme_snippet_verifies_a_delivered_signature(
    services: Services, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    client = await make_client(user_id="u7", first_name="Olena")
    await webhook_events.client_created(services, client)
    await drain(services)
    [(headers, body)] = crm.got
    verify = readme_verify()
    header = headers["Tourdesk-Signature"]
    assert verify(SECRET, header, body)
    assert not verify("another-secret-of-16+", header, body)
    assert not verify(SECRET, header, body.replace(b"Olena", b"Oleno"))
    stale = signing.sign(SECRET, int(time.time()) - 3600, body)
    assert not verify(SECRET, stale, body)  # an old request replayed


async def test_a_payment_reaches_the_crm_once_signed_even_when_the_callback_repeats(
    services: Services, web_client: TestClient, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    client = await make_client(user_id="u1")
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, provider="liqpay")
    body = liqpay_body(liqpay_payload(intent.reference, "3000"))
    for _ in range(3):  # LiqPay repeats its callbacks
        assert await callback_status(web_client, "liqpay", body) == 200
    await drain(services)
    await drain(services)
    assert sorted(crm.types()) == ["order.status_changed", "payment.succeeded"]
    for headers, raw in crm.got:
        check_signed(headers, raw)
    paid = next(e for e in crm.events() if e["type"] == "payment.succeeded")["data"]
    assert (paid["amount"], paid["currency"], paid["provider"]) == (300_000, "UAH", "liqpay")
    assert (paid["order_id"], paid["order_number"]) == (order.id, order.number)
    status = next(e for e in crm.events() if e["type"] == "order.status_changed")["data"]
    assert (status["from"], status["to"]) == ("booked", "paid")
    assert await WebhookDelivery.filter(ok=True).count() == 2

    back = liqpay_payload(intent.reference, "1000", status="reversed")
    back["refund_date_last"] = 1764100000000
    for _ in range(2):
        assert await callback_status(web_client, "liqpay", liqpay_body(back)) == 200
    await drain(services)
    assert crm.types()[2:] == ["order.status_changed", "payment.refunded"]
    refunded = crm.events()[3]["data"]
    assert (refunded["amount"], refunded["order_id"]) == (100_000, order.id)
    assert (crm.events()[2]["data"]["from"], crm.events()[2]["data"]["to"]) == ("paid", "confirmed")


async def test_erasure_scrubs_what_the_events_said_about_the_client(
    services: Services, receiver: tuple[Receiver, str]
) -> None:
    from core import erasure

    client = await make_client(phone="+380509998877", first_name="Zoryana", last_name="Kvitka")
    await publish(
        services, "client.created", f"client:{client.id}", client_data(client), client_id=client.id
    )
    await drain(services)
    await erasure.erase(services, client.id, by=None, force=False, reason=None)
    event = await WebhookEvent.get(type="client.created")
    kept = json.dumps(event.data, ensure_ascii=False)
    assert "Zoryana" not in kept and "Kvitka" not in kept and "998877" not in kept
    assert event.data["id"] == client.id


async def test_failures_are_logged_and_retried_with_growing_waits_until_accepted(
    services: Services, clock: ManualClock, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    crm.answers = [500, 503]
    client = await make_client()
    event = await publish(services, "client.created", f"client:{client.id}", {"id": client.id})
    assert event is not None
    await drain(services)
    assert len(crm.got) == 1
    await drain(services)  # the retry is not due yet
    assert len(crm.got) == 1
    first = await Job.get(dedupe_key__endswith=":crm:0:2")
    assert 54 <= (first.run_at - clock.now()).total_seconds() <= 66  # 60 s, +-10% jitter
    clock.advance(timedelta(seconds=70))
    await drain(services)
    second = await Job.get(dedupe_key__endswith=":crm:0:3")
    assert 108 <= (second.run_at - clock.now()).total_seconds() <= 132  # doubled
    clock.advance(timedelta(seconds=600))
    await drain(services)
    assert [json.loads(b)["id"] for _, b in crm.got] == [event.uid] * 3  # same id every time
    log = await WebhookDelivery.filter(event_id=event.id).order_by("attempt")
    assert [(d.attempt, d.status_code, d.ok) for d in log] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert log[0].error == "HTTP 500" and log[0].response == "try later"
    clock.advance(timedelta(days=1))
    await drain(services)
    assert len(crm.got) == 3  # accepted: nothing more planned


async def test_gives_up_after_max_attempts_and_a_dead_endpoint_is_logged(
    settings: Settings, clock: ManualClock
) -> None:
    from bots.app import build_services

    rules = hook_rules("http://127.0.0.1:9/hooks", max_attempts=3)  # nothing listens on 9
    services = await build_services(settings, rules, clock=clock)
    event = await publish(services, "client.created", "client:1", {"id": 1})
    assert event is not None
    for _ in range(5):
        await drain(services)
        clock.advance(timedelta(hours=1))
    log = await WebhookDelivery.filter(event_id=event.id).order_by("attempt")
    assert [d.attempt for d in log] == [1, 2, 3]
    assert all(d.status_code is None and not d.ok and d.error for d in log)
    assert not await Job.filter(status="pending", kind="webhook.deliver").exists()
    if services.redis is not None:
        await services.redis.aclose()


async def test_each_business_event_is_published_where_it_happens(
    services: Services, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    manager, _ = await make_staff(Role.MANAGER, "m1", name="Iryna")
    client = await make_client(user_id="u9", first_name="Olena")
    draft = Draft(
        destination="Egypt",
        when={"month": "2027-03"},
        nights=(7, None),
        adults=2,
        children=0,
        budget=(None, None),
        wishes="sea view",
    )
    request = await create_request(services, client, draft)
    order, _ = await create_order(
        services,
        manager,
        OrderDraft(
            client_id=client.id,
            destination="Egypt",
            departure=date(2027, 3, 10),
            return_date=date(2027, 3, 17),
            price=500_000,
            currency="UAH",
            due_date=None,
            prepayment_percent=30,
        ),
    )
    await change_status(services, manager, order.id, OrderStatus.CONFIRMED)
    await change_status(services, manager, order.id, OrderStatus.CANCELLED)
    travelled = await make_order(client, status=OrderStatus.COMPLETED)
    rated = await review.rate(services, client, travelled.id, 2)
    assert rated.outcome is review.Rated.SAVED
    await review.rate(services, client, travelled.id, 5)  # a second rating is refused
    await review.add_comment(services, client, travelled.id, "cold rooms")
    await drain(services)
    assert crm.types() == [
        "request.created",
        "order.created",
        "order.status_changed",
        "booking.cancelled",
        "order.status_changed",
        "review.received",
        "review.received",
    ]
    events = crm.events()
    assert events[0]["data"]["number"] == request.number
    assert events[0]["data"]["wishes"] == "sea view"
    assert events[1]["data"]["manager_id"] == manager.id
    assert (events[2]["data"]["from"], events[2]["data"]["to"]) == ("booked", "confirmed")
    assert events[3]["data"]["by"] == "staff"
    assert (events[4]["data"]["from"], events[4]["data"]["to"]) == ("confirmed", "cancelled")
    assert (events[5]["data"]["rating"], events[5]["data"]["comment"]) == (2, None)
    assert (events[6]["data"]["rating"], events[6]["data"]["comment"]) == (2, "cold rooms")


async def test_a_new_client_from_the_chat_is_published(
    services: Services, chat: Any, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    client = await register(chat, "+380671112233")
    await drain(services)
    assert crm.types() == ["client.created"]
    assert crm.events()[0]["data"]["phone"] == "+380671112233"
    assert crm.events()[0]["data"]["id"] == client.id


async def test_a_client_created_through_the_api_is_published_once(
    services: Services, chat: Any, web_client: TestClient, receiver: tuple[Receiver, str]
) -> None:
    crm, _ = receiver
    api = Caller(web_client, await make_key("crm", "clients:write"))
    made = await api.post("/clients", json={"phone": "0671112244", "first_name": "Olena"})
    assert made.status == 201
    await drain(services)
    assert crm.types() == ["client.created"]
    assert crm.events()[0]["data"]["id"] == made.body["id"]
    assert crm.events()[0]["data"]["phone"] == "+380671112244"
    check_signed(*crm.got[0])
    # The same tourist later shares that phone in a chat: the record is theirs, not new.
    client = await register(chat, "+380671112244")
    assert client.id == made.body["id"]
    await drain(services)
    assert crm.types() == ["client.created"]


async def test_only_subscribed_events_go_and_nothing_is_written_without_endpoints(
    settings: Settings, clock: ManualClock, receiver: tuple[Receiver, str]
) -> None:
    from bots.app import build_services

    crm, url = receiver
    services = await build_services(settings, hook_rules(url, ("payment.*",)), clock=clock)
    assert await publish(services, "client.created", "client:1", {}) is None
    assert await publish(services, "payment.refunded", "refund:1", {"refund_id": 1}) is not None
    await drain(services)
    assert crm.types() == ["payment.refunded"]
    quiet = await build_services(settings, Rules(), clock=clock)
    assert await publish(quiet, "payment.refunded", "refund:2", {}) is None
    assert await WebhookEvent.all().count() == 1
    for s in (services, quiet):
        if s.redis is not None:
            await s.redis.aclose()


async def test_an_event_exists_exactly_when_its_change_does(services: Services) -> None:
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await publish(services, "client.created", "client:7", {"id": 7})
            raise RuntimeError("the change failed")
    assert await WebhookEvent.all().count() == 0
    assert await Job.all().count() == 0
    async with in_transaction():
        first = await publish(services, "client.created", "client:7", {"id": 7})
        again = await publish(services, "client.created", "client:7", {"id": 7})
        await make_client(first_name="Still-in-the-transaction")  # the duplicate spoiled nothing
    assert first is not None and again is None
    assert await WebhookEvent.all().count() == 1
    assert await Job.filter(kind="webhook.deliver").count() == 1


# ---- configuration ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"endpoints": {"crm": {"url": "ftp://x", "events": ["*"]}}}, "webhooks.endpoints.crm.url"),
        ({"endpoints": {"crm": {"url": "https://x", "events": ["paymnt.*"]}}}, "unknown event"),
        ({"endpoints": {"Bad Name": {"url": "https://x"}}}, "endpoint name"),
        ({"retry_min_seconds": 100, "retry_max_seconds": 10}, "retry_max_seconds"),
    ],
)
def test_bad_webhook_tables_are_refused_with_one_line(
    tmp_path: Path, table: dict[str, Any], message: str
) -> None:
    from core.rules import load_rules

    path = tmp_path / "tourdesk.toml"
    lines = []
    for key, value in table.items():
        if key != "endpoints":
            lines.append(f"{key} = {json.dumps(value)}")
    text = "[webhooks]\n" + "\n".join(lines) + "\n"
    for name, endpoint in table.get("endpoints", {}).items():
        text += f'[webhooks.endpoints."{name}"]\n'
        text += "".join(f"{k} = {json.dumps(v)}\n" for k, v in endpoint.items())
    path.write_text(text)
    with pytest.raises(ConfigError) as refused:
        load_rules(path)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_an_endpoint_without_a_secret_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    monkeypatch.delenv("WEBHOOK_SECRET")
    rules = hook_rules("https://crm.example/hooks")
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        check_secrets(Settings(), rules)
    own = Rules.model_validate(
        {"webhooks": {"endpoints": {"crm": {"url": "https://x", "secret_env": "CRM_HOOK_KEY"}}}}
    )
    with pytest.raises(ConfigError, match="CRM_HOOK_KEY"):
        check_secrets(Settings(), own)
    monkeypatch.setenv("CRM_HOOK_KEY", "k" * 20)
    check_secrets(Settings(), own)


# ---- the CLI -----------------------------------------------------------------------------------


@pytest.fixture
def cli_env(
    db_url: str, receiver: tuple[Receiver, str], tmp_path: Path
) -> Iterator[dict[str, str]]:
    config = tmp_path / "tourdesk.toml"
    config.write_text(f'[webhooks.endpoints.crm]\nurl = "{receiver[1]}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "VIBER_"))}
    env.update(
        DATABASE_URL=db_url,
        TOURDESK_CONFIG=str(config),
        WEBHOOK_SECRET=SECRET,
        TOURDESK_DATA_DIR=str(tmp_path / "data"),
    )
    env.pop("REDIS_URL", None)
    yield env


def tourdesk(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bots.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_replay_sends_the_same_event_again_and_the_log_shows_every_attempt(
    services: Services,
    clock: ManualClock,
    receiver: tuple[Receiver, str],
    cli_env: dict[str, str],
) -> None:
    crm, _ = receiver
    event = await publish(services, "order.created", "order:5", {"id": 5})
    assert event is not None
    await drain(services)
    replayed = tourdesk(cli_env, "webhooks", "replay", event.uid)
    assert replayed.returncode == 0, replayed.stderr
    assert "crm" in replayed.stdout
    clock.advance(timedelta(days=30))  # the CLI plans at the wall clock's now
    await drain(services)
    assert [json.loads(b)["id"] for _, b in crm.got] == [event.uid, event.uid]
    shown = tourdesk(cli_env, "webhooks", "log", event.uid)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("\tok") == 2
    listed = tourdesk(cli_env, "webhooks", "events")
    assert event.uid in listed.stdout and "delivered 2" in listed.stdout
    for args in (
        ("webhooks", "replay", "evt_nope"),
        ("webhooks", "replay", event.uid, "--endpoint", "erp"),
        ("webhooks", "log", "evt_nope"),
        ("webhooks", "events", "--limit", "0"),
    ):
        bad = tourdesk(cli_env, *args)
        assert bad.returncode == 2, (args, bad.stdout, bad.stderr)
        assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
