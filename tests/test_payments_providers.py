"""Provider signatures against the documented test vectors, callback parsing (exact amounts),
acknowledgements and checkouts. Also the helpers the other payment tests share: expected
signatures here are computed by hand (string + hashlib/hmac), never by our signer."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from core.payments.base import (
    CheckoutRequest,
    MalformedCallback,
    PaymentStatus,
    SignatureError,
    to_major_text,
    to_minor,
)
from core.payments.liqpay import LiqPayProvider
from core.payments.liqpay import sign as liqpay_sign
from core.payments.registry import payment_providers
from core.payments.sandbox import SandboxProvider
from core.payments.wayforpay import WayForPayProvider
from core.payments.wayforpay import sign as wfp_sign
from core.services import Services
from core.settings import Settings
from storage.models import Client, MessengerAccount, Order, OrderStatus, OutboxMessage, Role, Staff

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


# --- LiqPay -------------------------------------------------------------------------------

DOC_JSON = (
    '{ "version" : 3, "public_key" : "your_public_key", "action" : "pay", "amount" : 1, '
    '"currency" : "USD", "description" : "description text", "order_id" : "order_id_1" }'
)


def test_liqpay_signature_matches_the_documented_vector() -> None:
    data = base64.b64encode(DOC_JSON.encode()).decode()
    assert liqpay_sign("your_private_key", data) == "MPgGw632itnbRVDSd/KyNEGrAsQ="


def test_liqpay_signature_is_over_the_exact_data_text_line_wrapped_too() -> None:
    data = base64.b64encode(DOC_JSON.encode()).decode()
    wrapped = "\n".join(data[i : i + 76] for i in range(0, len(data), 76))
    assert liqpay_sign("your_private_key", wrapped) == "QvJD5u9Fg55PCx/Hdz6lzWtYwcI="


def liqpay() -> LiqPayProvider:
    return LiqPayProvider(LIQPAY_PUBLIC, LIQPAY_PRIVATE)


def test_liqpay_callback_parsed_with_exact_amount() -> None:
    body = liqpay_body(liqpay_payload("td1", "1234.56"))
    cb = liqpay().parse_callback(body, {})
    assert (cb.reference, cb.payment_id, cb.status, cb.amount, cb.currency) == (
        "td1",
        "1000001",
        PaymentStatus.SUCCESS,
        123456,
        "UAH",
    )
    assert cb.dedupe_key == "liqpay:1000001:success"


@pytest.mark.parametrize(
    ("status", "ours"),
    [
        ("failure", PaymentStatus.FAILURE),
        ("error", PaymentStatus.FAILURE),
        ("reversed", PaymentStatus.REFUND),
        ("wait_secure", PaymentStatus.PENDING),
        ("3ds_verify", PaymentStatus.IGNORED),
        ("sandbox", PaymentStatus.IGNORED),  # a test payment is not money unless LIQPAY_SANDBOX
    ],
)
def test_liqpay_statuses_map_to_ours(status: str, ours: PaymentStatus) -> None:
    cb = liqpay().parse_callback(liqpay_body(liqpay_payload("td1", "10", status=status)), {})
    assert cb.status is ours


def test_liqpay_sandbox_status_is_success_only_in_sandbox_mode() -> None:
    provider = LiqPayProvider(LIQPAY_PUBLIC, LIQPAY_PRIVATE, sandbox=True)
    body = liqpay_body(liqpay_payload("td1", "10", status="sandbox"))
    assert provider.parse_callback(body, {}).status is PaymentStatus.SUCCESS


def test_liqpay_forged_and_tampered_callbacks_are_refused() -> None:
    with pytest.raises(SignatureError):
        liqpay().parse_callback(liqpay_body(liqpay_payload("td1", "10"), key="guess"), {})
    body = liqpay_body(liqpay_payload("td1", "10"))
    fields = dict(pair.split("=", 1) for pair in body.decode().split("&"))
    forged = liqpay_body(liqpay_payload("td1", "1000"))
    tampered = f"data={forged.decode().split('&')[0][5:]}&signature={fields['signature']}"
    with pytest.raises(SignatureError):
        liqpay().parse_callback(tampered.encode(), {})


@pytest.mark.parametrize("body", [b"", b"data=&signature=", b"\xff\xfe", b"hello"])
def test_liqpay_malformed_bodies(body: bytes) -> None:
    with pytest.raises(MalformedCallback):
        liqpay().parse_callback(body, {})


def test_liqpay_checkout_form_carries_what_the_docs_require() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    request = CheckoutRequest(
        reference="td42",
        amount=1234550,
        currency="UAH",
        description="order T-0001 (Egypt)",
        created_at=now,
        expires_at=now + timedelta(hours=24),
        now=now,
        locale="uk",
        server_url=f"{PUBLIC_URL}/payments/liqpay/callback",
        result_url=f"{PUBLIC_URL}/pay/tok/done",
    )
    checkout = LiqPayProvider(LIQPAY_PUBLIC, LIQPAY_PRIVATE, sandbox=True).checkout(request)
    fields = dict(checkout.fields)
    assert checkout.form_action == "https://www.liqpay.ua/api/3/checkout"
    expected = base64.b64encode(
        hashlib.sha1((LIQPAY_PRIVATE + fields["data"] + LIQPAY_PRIVATE).encode()).digest()
    ).decode()
    assert fields["signature"] == expected
    text = base64.b64decode(fields["data"]).decode()
    assert '"amount":12345.50' in text  # a JSON number, exact
    params = json.loads(text)
    assert params["version"] == 3 and params["action"] == "pay"
    assert params["order_id"] == "td42" and params["currency"] == "UAH"
    assert params["server_url"] == f"{PUBLIC_URL}/payments/liqpay/callback"
    assert params["result_url"] == f"{PUBLIC_URL}/pay/tok/done"
    assert params["expired_date"] == "2026-11-24 10:00:00"
    assert params["sandbox"] == "1" and params["language"] == "uk"


# --- WayForPay -----------------------------------------------------------------------------


def wayforpay() -> WayForPayProvider:
    return WayForPayProvider(WFP_MERCHANT, WFP_SECRET, "tourdesk.example")


def test_wayforpay_signer_matches_a_hand_built_hmac_md5() -> None:
    fields = [WFP_MERCHANT, "www.market.ua", "DH783023", "1415379863", "1547.36", "UAH"]
    fields += ["Test product", "1", "1547.36"]
    assert wfp_sign(WFP_SECRET, fields) == wfp_md5(";".join(fields))


def test_wayforpay_purchase_form_is_signed_in_documented_order() -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    request = CheckoutRequest(
        reference="td42",
        amount=154736,
        currency="UAH",
        description="order T-0001 (Egypt)",
        created_at=now,
        expires_at=now + timedelta(hours=24),
        now=now,
        locale="en",
        server_url=f"{PUBLIC_URL}/payments/wayforpay/callback",
        result_url=f"{PUBLIC_URL}/pay/tok/done",
    )
    checkout = wayforpay().checkout(request)
    fields = dict(checkout.fields)
    stamp = str(int(now.timestamp()))
    signed = (
        f"{WFP_MERCHANT};tourdesk.example;td42;{stamp};1547.36;UAH;order T-0001 (Egypt);1;1547.36"
    )
    assert checkout.form_action == "https://secure.wayforpay.com/pay"
    assert fields["merchantSignature"] == wfp_md5(signed)
    assert fields["serviceUrl"] == f"{PUBLIC_URL}/payments/wayforpay/callback"
    assert fields["orderTimeout"] == str(24 * 3600)
    assert fields["amount"] == fields["productPrice[]"] == "1547.36"


@pytest.mark.parametrize("amount_text", ["100", "100.0", "100.00"])
def test_wayforpay_callback_verified_over_raw_number_text(amount_text: str) -> None:
    cb = wayforpay().parse_callback(wfp_body("td1", amount_text), {})
    assert cb.amount == 10000 and cb.status is PaymentStatus.SUCCESS
    assert cb.dedupe_key == "wayforpay:td1:success"


def test_wayforpay_callback_signed_over_other_number_text_is_refused() -> None:
    # Signed over "100" but the body says 100.0: re-serialising numbers would hide this.
    with pytest.raises(SignatureError):
        wayforpay().parse_callback(wfp_body("td1", "100.0", sign_amount="100"), {})


def test_wayforpay_callback_sent_as_a_form_key_is_read() -> None:
    body = wfp_body("td1", "100")
    cb = wayforpay().parse_callback(urlencode({body.decode(): ""}).encode(), {})
    assert cb.amount == 10000


def test_wayforpay_forged_and_malformed() -> None:
    with pytest.raises(SignatureError):
        wayforpay().parse_callback(wfp_body("td1", "100", key="guess"), {})
    with pytest.raises(MalformedCallback):
        wayforpay().parse_callback(b"{not json", {})
    with pytest.raises(MalformedCallback):
        wayforpay().parse_callback(b"[1, 2]", {})


def test_wayforpay_acknowledgement_is_signed_accept() -> None:
    cb = wayforpay().parse_callback(wfp_body("td1", "100"), {})
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    ack = wayforpay().acknowledge(cb, now)
    body = json.loads(ack.body)
    stamp = int(now.timestamp())
    assert body == {
        "orderReference": "td1",
        "status": "accept",
        "time": stamp,
        "signature": wfp_md5(f"td1;accept;{stamp}"),
    }


# --- sandbox and amounts --------------------------------------------------------------------


def test_sandbox_signature_is_hmac_sha256_of_data() -> None:
    provider = SandboxProvider(b"k" * 32)
    payload = {
        "payment_id": "sbx-td1",
        "reference": "td1",
        "status": "success",
        "amount": "10.50",
        "currency": "UAH",
    }
    cb = provider.parse_callback(sandbox_body(b"k" * 32, payload), {})
    assert cb.amount == 1050 and cb.status is PaymentStatus.SUCCESS
    with pytest.raises(SignatureError):
        provider.parse_callback(sandbox_body(b"x" * 32, payload), {})


@pytest.mark.parametrize(
    ("text", "minor"), [("0.01", 1), ("100", 10000), ("100.5", 10050), ("1e2", 10000)]
)
def test_amounts_are_exact(text: str, minor: int) -> None:
    assert to_minor(text, "UAH") == minor
    assert to_major_text(minor, "UAH") == f"{minor // 100}.{minor % 100:02d}"


@pytest.mark.parametrize("text", ["0.001", "abc", "NaN", "Infinity", None, True])
def test_inexact_amounts_are_malformed(text: object) -> None:
    with pytest.raises(MalformedCallback):
        to_minor(text, "UAH")


# --- database helpers shared by the payment tests -----------------------------------------


async def make_client(
    phone: str = "+380671234567", *, external_id: str = "u1", locale: str = "en"
) -> Client:
    """A client with a console account (the RecordingChat's default user is ``u1``)."""
    client = await Client.create(phone=phone, first_name="Olena", locale=locale)
    await MessengerAccount.create(
        channel="console", external_id=external_id, client=client, language=locale
    )
    return client


async def make_staff(role: Role, external_id: str, locale: str = "en") -> Staff:
    staff = await Staff.create(name=f"{role.value} {external_id}", role=role, locale=locale)
    await MessengerAccount.create(channel="console", external_id=external_id, staff=staff)
    return staff


async def make_order(
    client: Client,
    *,
    price: int = 1_000_000,
    currency: str = "UAH",
    status: OrderStatus = OrderStatus.BOOKED,
    number: str = "T-0001",
    paid: int = 0,
    due_date: date | None = None,
) -> Order:
    return await Order.create(
        number=number,
        client=client,
        destination="Egypt",
        price=price,
        currency=currency,
        status=status,
        paid=paid,
        due_date=due_date,
    )


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
