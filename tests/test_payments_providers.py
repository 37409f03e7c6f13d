"""Provider signatures against the documented test vectors, callback parsing (exact amounts),
acknowledgements and checkouts. Expected signatures are computed by hand (string + hashlib/hmac,
in tests/support/payments.py), never by our signer."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

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
from core.payments.sandbox import SandboxProvider
from core.payments.wayforpay import WayForPayProvider
from core.payments.wayforpay import sign as wfp_sign
from tests.support.payments import (
    LIQPAY_PRIVATE,
    LIQPAY_PUBLIC,
    PUBLIC_URL,
    WFP_MERCHANT,
    WFP_SECRET,
    liqpay_body,
    liqpay_payload,
    sandbox_body,
    wfp_body,
    wfp_md5,
)

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
