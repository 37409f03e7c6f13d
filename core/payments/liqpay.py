"""LiqPay Checkout API v3 (https://www.liqpay.ua/en/documentation/api/aquiring/checkout/doc).

``data = base64(json)``, ``signature = base64(sha1(private_key + data + private_key))`` over the
exact ``data`` text. Callbacks are ``application/x-www-form-urlencoded`` ``data`` + ``signature``;
the signature is checked on the raw ``data`` string before anything is decoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode

import aiohttp

from core.payments.base import (
    Ack,
    Checkout,
    CheckoutRequest,
    MalformedCallback,
    PaymentStatus,
    Provider,
    ProviderCallback,
    ProviderUnavailable,
    RefundAnswer,
    RefundOutcome,
    RefundRequest,
    SignatureError,
    to_major_text,
    to_minor,
)

CHECKOUT_URL = "https://www.liqpay.ua/api/3/checkout"
API_URL = "https://www.liqpay.ua/api/request"

STATUSES: dict[str, PaymentStatus] = {
    "success": PaymentStatus.SUCCESS,
    "failure": PaymentStatus.FAILURE,
    "error": PaymentStatus.FAILURE,
    "reversed": PaymentStatus.REFUND,
    # Money taken but the merchant is not verified yet (UNCONFIRMED): wait for "success".
    "wait_accept": PaymentStatus.PENDING,
    "processing": PaymentStatus.PENDING,
    "prepared": PaymentStatus.PENDING,
    "wait_secure": PaymentStatus.PENDING,
    "hold_wait": PaymentStatus.PENDING,
    "wait_card": PaymentStatus.PENDING,
    "wait_compensation": PaymentStatus.PENDING,
    "invoice_wait": PaymentStatus.PENDING,
    "wait_reserve": PaymentStatus.PENDING,
    "wait_lc": PaymentStatus.PENDING,
    "cash_wait": PaymentStatus.PENDING,
    "subscribed": PaymentStatus.IGNORED,
    "unsubscribed": PaymentStatus.IGNORED,
}


def refund_identity(fields: Mapping[str, Any]) -> str:
    """Which refund of a payment a ``reversed`` answer is about (UNCONFIRMED which field LiqPay
    fills: the refund's own id, else the time of the latest refund, else the operation's end
    time with the amount). A repeated callback repeats these fields; a second partial refund
    differs in them."""
    for name in ("reserve_refund_id", "refund_date_last"):
        value = fields.get(name)
        if value not in (None, "", [], 0, "0"):
            return f"{name[:3]}{value}"
    moment = fields.get("end_date") or fields.get("create_date") or ""
    return f"t{moment}a{fields.get('amount')}"


def sign(private_key: str, data: str) -> str:
    """``base64(sha1(private_key + data + private_key))``."""
    digest = hashlib.sha1((private_key + data + private_key).encode()).digest()
    return base64.b64encode(digest).decode("ascii")


def encode_data(params: Mapping[str, Any], *, numbers: Mapping[str, str] | None = None) -> str:
    """``base64(json)``; ``numbers`` are emitted as raw JSON numbers (exact decimal text)."""
    numbers = numbers or {}
    marked = dict(params)
    for key in numbers:
        marked[key] = f"\x00{key}\x00"
    text = json.dumps(marked, ensure_ascii=False, separators=(",", ":"))
    for key, value in numbers.items():
        text = text.replace(json.dumps(f"\x00{key}\x00"), value)
    return base64.b64encode(text.encode()).decode("ascii")


def decode_data(data: str) -> dict[str, Any]:
    try:
        raw = base64.b64decode(data, validate=True)
        parsed = json.loads(raw, parse_float=str, parse_int=str)
    except (binascii.Error, ValueError) as exc:
        raise MalformedCallback(f"data is not base64 JSON: {exc}", signature_valid=True) from None
    if not isinstance(parsed, dict):
        raise MalformedCallback("data is not a JSON object", signature_valid=True)
    return parsed


def signed_form(private_key: str, payload: Mapping[str, Any]) -> bytes:
    """A callback body as LiqPay sends it (for tests and the bench)."""
    data = base64.b64encode(json.dumps(payload).encode()).decode("ascii")
    return urlencode({"data": data, "signature": sign(private_key, data)}).encode()


class LiqPayProvider(Provider):
    name = "liqpay"
    title = "LiqPay"
    # Checkout API v3 takes UAH, USD and EUR (PROTOCOLS.md)
    currencies = frozenset({"UAH", "USD", "EUR"})

    def __init__(
        self,
        public_key: str,
        private_key: str,
        *,
        sandbox: bool = False,
        checkout_url: str = CHECKOUT_URL,
        api_url: str = API_URL,
        timeout: float = 15.0,
    ) -> None:
        self.public_key = public_key
        self._private_key = private_key
        self.sandbox = sandbox
        self.checkout_url = checkout_url
        self.api_url = api_url
        self.timeout = timeout

    def checkout(self, request: CheckoutRequest) -> Checkout:
        params: dict[str, Any] = {
            "version": 3,
            "public_key": self.public_key,
            "action": "pay",
            "amount": "",
            "currency": request.currency,
            "description": request.description,
            "order_id": request.reference,
            "server_url": request.server_url,
            "result_url": request.result_url,
            "language": "en" if request.locale == "en" else "uk",
            "expired_date": request.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
        }
        if self.sandbox:
            params["sandbox"] = "1"
        data = encode_data(
            params, numbers={"amount": to_major_text(request.amount, request.currency)}
        )
        return Checkout(
            form_action=self.checkout_url,
            fields=(("data", data), ("signature", sign(self._private_key, data))),
        )

    def _verify(self, data: str, signature: str) -> None:
        expected = sign(self._private_key, data)
        if not hmac.compare_digest(expected.encode(), signature.encode()):
            raise SignatureError("liqpay signature does not match")

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> ProviderCallback:
        try:
            form = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise MalformedCallback("body is not a form") from None
        data = form.get("data", [""])[0]
        signature = form.get("signature", [""])[0]
        if not data or not signature:
            raise MalformedCallback("data or signature missing")
        self._verify(data, signature)
        return self._parse(decode_data(data))

    def _parse(self, fields: Mapping[str, Any]) -> ProviderCallback:
        raw_status = str(fields.get("status") or "")
        reference = fields.get("order_id")
        currency = fields.get("currency")
        if not raw_status or not isinstance(reference, str) or not isinstance(currency, str):
            raise MalformedCallback("status, order_id or currency missing", signature_valid=True)
        payment_id = fields.get("payment_id")
        payment = str(payment_id) if payment_id not in (None, "") else f"order-{reference}"
        status = STATUSES.get(raw_status, PaymentStatus.IGNORED)
        if raw_status == "sandbox":
            status = PaymentStatus.SUCCESS if self.sandbox else PaymentStatus.IGNORED
        return ProviderCallback(
            provider=self.name,
            payment_id=payment,
            reference=reference,
            status=status,
            raw_status=raw_status,
            amount=to_minor(fields.get("amount"), currency.upper()),
            currency=currency.upper(),
            raw=dict(fields),
            refund_id=refund_identity(fields) if status is PaymentStatus.REFUND else "",
        )

    def acknowledge(self, callback: ProviderCallback, now: datetime) -> Ack:
        return Ack(200, b"")

    supports_refund = True

    async def refund(self, request: RefundRequest) -> RefundAnswer:
        """``action: refund`` on the API (Request API, same data + signature as a checkout)."""
        data = encode_data(
            {
                "action": "refund",
                "version": 3,
                "public_key": self.public_key,
                "order_id": request.reference,
                "amount": "",
            },
            numbers={"amount": to_major_text(request.amount, request.currency)},
        )
        text = await self._post({"data": data, "signature": sign(self._private_key, data)})
        try:
            answer = json.loads(text, parse_float=str, parse_int=str)
        except ValueError:
            raise ProviderUnavailable("liqpay refund answer is not JSON") from None
        if not isinstance(answer, dict):
            raise ProviderUnavailable("liqpay refund answer is not an object")
        status = str(answer.get("status") or "")
        if answer.get("result") == "error" or status in ("error", "failure"):
            reason = str(answer.get("err_description") or answer.get("err_code") or status)
            return RefundAnswer(RefundOutcome.FAILED, reason=reason[:500], raw=text)
        if status == "reversed" and str(answer.get("wait_amount")).lower() not in ("true", "1"):
            return RefundAnswer(RefundOutcome.DONE, refund_identity(answer), raw=text)
        return RefundAnswer(RefundOutcome.PENDING, raw=text)

    async def _post(self, form: Mapping[str, str]) -> str:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.api_url, data=dict(form)) as response,
            ):
                text = await response.text()
                if response.status >= 500:
                    raise ProviderUnavailable(f"liqpay answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderUnavailable(f"liqpay unreachable: {exc}") from None
        return text

    async def query_status(self, reference: str) -> tuple[ProviderCallback, str] | None:
        data = encode_data(
            {"action": "status", "version": 3, "public_key": self.public_key, "order_id": reference}
        )
        form = {"data": data, "signature": sign(self._private_key, data)}
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.api_url, data=form) as response,
            ):
                text = await response.text()
                if response.status >= 500:
                    raise ProviderUnavailable(f"liqpay answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderUnavailable(f"liqpay unreachable: {exc}") from None
        try:
            answer = json.loads(text, parse_float=str, parse_int=str)
        except ValueError:
            raise ProviderUnavailable("liqpay status answer is not JSON") from None
        if not isinstance(answer, dict):
            raise ProviderUnavailable("liqpay status answer is not an object")
        if not answer.get("payment_id") or answer.get("order_id") != reference:
            return None  # payment_not_found, or nothing paid yet
        try:
            return self._parse(answer), text
        except MalformedCallback as exc:
            raise ProviderUnavailable(f"liqpay status answer unreadable: {exc}") from None
