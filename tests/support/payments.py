"""Payment test helpers: provider settings, hand-made provider messages (expected signatures are
computed here by hand, string + hashlib/hmac, never by our signer), a local stand-in for the
providers' status APIs, and what the outbox holds for a person."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bots.app import Runtime
from core.payments.liqpay import LiqPayProvider
from core.payments.registry import payment_providers
from core.payments.wayforpay import WayForPayProvider
from core.services import Services
from core.settings import Settings
from storage.models import OutboxMessage

LIQPAY_PUBLIC = "sandbox_i000000"
LIQPAY_PRIVATE = "sandbox_private_key_for_tests"
WFP_MERCHANT = "test_merch_n1"
WFP_SECRET = "flk3409refn54t54t*FNJRET"
PUBLIC_URL = "https://tourdesk.example"


def configure(settings: Settings, *, sandbox: bool = True) -> Settings:
    """Settings with every provider configured (the public test credentials for WayForPay)."""
    settings.liqpay.public_key = LIQPAY_PUBLIC
    settings.liqpay.private_key = SecretStr(LIQPAY_PRIVATE)
    settings.liqpay.sandbox = False
    settings.wayforpay.merchant = WFP_MERCHANT
    settings.wayforpay.secret = SecretStr(WFP_SECRET)
    settings.wayforpay.domain = "tourdesk.example"
    settings.payments.sandbox = sandbox
    settings.web.public_url = PUBLIC_URL
    return settings


CLOSED_PORT = "http://127.0.0.1:9"  # nothing listens: status queries fail fast, offline


def offline(services: Services, base: str = CLOSED_PORT) -> Services:
    """Point the providers' status APIs at ``base`` (a local fake, or nowhere)."""
    registry = payment_providers(services)
    liqpay = registry.get("liqpay")
    if isinstance(liqpay, LiqPayProvider):
        liqpay.api_url = f"{base}/api/request"
    wayforpay = registry.get("wayforpay")
    if isinstance(wayforpay, WayForPayProvider):
        wayforpay.api_url = f"{base}/api"
    return services


# --- hand-made provider messages (independent of core/payments) ---------------------------


def liqpay_body(payload: dict[str, Any], *, key: str = LIQPAY_PRIVATE) -> bytes:
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    signature = base64.b64encode(hashlib.sha1((key + data + key).encode()).digest()).decode()
    return urlencode({"data": data, "signature": signature}).encode()


def liqpay_payload(
    reference: str,
    amount: str,
    *,
    status: str = "success",
    payment_id: int = 1000001,
    currency: str = "UAH",
) -> dict[str, Any]:
    # json.dumps writes the float text we pass through json.loads of the raw number text.
    return {
        "action": "pay",
        "payment_id": payment_id,
        "status": status,
        "version": 3,
        "type": "buy",
        "public_key": LIQPAY_PUBLIC,
        "order_id": reference,
        "liqpay_order_id": f"LQ{payment_id}",
        "amount": json.loads(amount),
        "currency": currency,
        "description": "tour",
        "sender_card_mask2": "424242*42",
        "end_date": 1764000000000,
    }


def wfp_md5(text: str, key: str = WFP_SECRET) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.md5).hexdigest()


def wfp_body(
    reference: str,
    amount_text: str,
    *,
    status: str = "Approved",
    currency: str = "UAH",
    reason_code: str = "1100",
    sign_amount: str | None = None,
    key: str = WFP_SECRET,
) -> bytes:
    """A serviceUrl callback whose amount is the raw JSON number ``amount_text``."""
    auth, pan = "541963", "41****8217"
    signed = ";".join(
        [WFP_MERCHANT, reference, sign_amount or amount_text, currency, auth, pan, status,
         reason_code]
    )  # fmt: skip
    return (
        "{"
        f'"merchantAccount": "{WFP_MERCHANT}", "orderReference": "{reference}", '
        f'"merchantSignature": "{wfp_md5(signed, key)}", "amount": {amount_text}, '
        f'"currency": "{currency}", "authCode": "{auth}", "email": "client@example.com", '
        f'"phone": "380501234567", "createdDate": 1764000000, "processingDate": 1764000100, '
        f'"cardPan": "{pan}", "cardType": "Visa", "issuerBankCountry": "Ukraine", '
        f'"issuerBankName": "Bank", "transactionStatus": "{status}", "reason": "Ok", '
        f'"reasonCode": {reason_code}, "fee": 0, "paymentSystem": "card"'
        "}"
    ).encode()


def sandbox_body(secret: bytes, payload: dict[str, Any]) -> bytes:
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    signature = hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()
    return urlencode({"data": data, "signature": signature}).encode()


async def texts(*, client_id: int | None = None, staff_id: int | None = None) -> list[str]:
    """What the outbox holds for one client or one staff member, oldest first."""
    query = OutboxMessage.filter(direction="out")
    if client_id is not None:
        query = query.filter(client_id=client_id)
    if staff_id is not None:
        query = query.filter(staff_id=staff_id)
    return [str(row.body["text"]) for row in await query.order_by("id")]


async def buttons(client_id: int) -> list[dict[str, Any]]:
    rows = await OutboxMessage.filter(client_id=client_id, direction="out").order_by("id")
    return [b for row in rows for line in row.body["buttons"] for b in line]


def liqpay_request(form: Mapping[str, Any], **loads: Any) -> dict[str, Any] | None:
    """The parameters of a LiqPay API request (its ``data`` and ``signature`` form fields),
    or None when the signature, checked by hand, is wrong."""
    data, signature = str(form["data"]), str(form["signature"])
    expected = base64.b64encode(
        hashlib.sha1((LIQPAY_PRIVATE + data + LIQPAY_PRIVATE).encode()).digest()
    ).decode()
    if signature != expected:
        return None
    params: dict[str, Any] = json.loads(base64.b64decode(data), **loads)
    return params


@dataclass
class FakeProviders:
    """LiqPay's /api/request and WayForPay's /api, as far as status queries go."""

    liqpay: dict[str, dict[str, Any]] = field(default_factory=dict)  # order_id -> payment
    wayforpay: dict[str, bytes] = field(default_factory=dict)  # orderReference -> answer body
    requests: list[dict[str, Any]] = field(default_factory=list)

    async def liqpay_api(self, request: web.Request) -> web.Response:
        params = liqpay_request(await request.post())
        if params is None:
            return web.json_response({"status": "error", "err_code": "invalid_signature"})
        self.requests.append({"provider": "liqpay", **params})
        payment = self.liqpay.get(params["order_id"])
        if payment is None:
            return web.json_response(
                {"result": "error", "status": "error", "err_code": "payment_not_found"}
            )
        return web.json_response({"result": "ok", **payment})

    async def wayforpay_api(self, request: web.Request) -> web.Response:
        body = await request.json()
        signed = f"{body['merchantAccount']};{body['orderReference']}"
        if (
            body.get("merchantSignature") != wfp_md5(signed)
            or body["merchantAccount"] != WFP_MERCHANT
        ):
            return web.json_response({"reason": "Invalid signature", "reasonCode": 1113})
        self.requests.append({"provider": "wayforpay", **body})
        answer = self.wayforpay.get(body["orderReference"])
        if answer is None:
            return web.json_response(
                {
                    "orderReference": body["orderReference"],
                    "reason": "Not found",
                    "reasonCode": 1112,
                }
            )
        return web.Response(body=answer, content_type="application/json")


def liqpay_status(reference: str, amount: float, status: str = "success") -> dict[str, Any]:
    return {
        "action": "pay",
        "payment_id": 777,
        "status": status,
        "order_id": reference,
        "amount": amount,
        "currency": "UAH",
        "version": 3,
    }


@asynccontextmanager
async def fake_providers() -> AsyncIterator[tuple[FakeProviders, str]]:
    """:class:`FakeProviders` served on a free local port: the fake and its base URL."""
    providers = FakeProviders()
    app = web.Application()
    app.router.add_post("/api/request", providers.liqpay_api)
    app.router.add_post("/api", providers.wayforpay_api)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    try:
        yield providers, str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


# --- our web endpoints ----------------------------------------------------------------------


@asynccontextmanager
async def web_app(
    services: Services, *, host: str = "127.0.0.1", port: int | None = None
) -> AsyncIterator[TestClient]:
    """The runtime's web endpoints (callbacks, sandbox pages) without any messenger."""
    runtime = Runtime(services, with_messengers=False)
    async with TestClient(TestServer(runtime.web_app, host=host, port=port)) as client:
        yield client


async def post_callback(app: TestClient, provider: str, body: bytes) -> tuple[int, str]:
    """A provider's callback as the provider sends it (a form; WayForPay: JSON): status, text."""
    kind = "application/json" if provider == "wayforpay" else "application/x-www-form-urlencoded"
    async with app.post(
        f"/payments/{provider}/callback", data=body, headers={"Content-Type": kind}
    ) as resp:
        return resp.status, await resp.text()


async def callback_status(app: TestClient, provider: str, body: bytes) -> int:
    """:func:`post_callback`, the HTTP status alone."""
    status, _ = await post_callback(app, provider, body)
    return status
