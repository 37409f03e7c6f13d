"""The built-in sandbox provider: a pretend bank for demos and tests, never on silently.

Its checkout page lives in our own web app (``GET /sandbox/checkout/{reference}``). Pressing Pay
or Decline there records the outcome in the sandbox's own store (the "bank") and delivers a
signed callback to ``POST /payments/sandbox/callback`` over HTTP exactly like a real provider,
so the whole path — signature check, exactly-once apply, receipts — is the production one.
Callbacks are ``data`` (base64 JSON) + ``signature`` (hex HMAC-SHA256 of ``data``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
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
from storage.secrets import shared_secret

CALLBACK_PATH = "/payments/sandbox/callback"
SECRET_NAME = "sandbox"
OUTCOMES = {"pay": PaymentStatus.SUCCESS, "decline": PaymentStatus.FAILURE}


def sign(secret: bytes, data: str) -> str:
    return hmac.new(secret, data.encode(), hashlib.sha256).hexdigest()


def signed_form(secret: bytes, payload: Mapping[str, Any]) -> bytes:
    """A callback body as the sandbox sends it (also used by tests)."""
    data = base64.b64encode(json.dumps(payload).encode()).decode("ascii")
    return urlencode({"data": data, "signature": sign(secret, data)}).encode()


@dataclass(frozen=True, slots=True)
class SandboxPayment:
    payment_id: str
    reference: str
    status: PaymentStatus
    amount: int
    currency: str

    def payload(self) -> dict[str, Any]:
        return {
            "payment_id": self.payment_id,
            "reference": self.reference,
            "status": self.status.value,
            "amount": to_major_text(self.amount, self.currency),
            "currency": self.currency,
        }


class SandboxProvider(Provider):
    name = "sandbox"
    title = "sandbox"

    def __init__(self, secret: bytes | None = None) -> None:
        # Configured (PAYMENTS_SANDBOX_SECRET), else shared through the database by
        # :meth:`ready`, so a callback signed in one process verifies in any other.
        self._secret = secret or None
        self.store: dict[str, SandboxPayment] = {}  # the pretend bank: reference -> last outcome
        self.refunds: dict[str, list[int]] = {}  # reference -> amounts returned, in order

    async def ready(self) -> None:
        """Load the secret every process shares (generated once, stored in the database)."""
        if self._secret is None:
            self._secret = (await shared_secret(SECRET_NAME)).encode()

    @property
    def secret(self) -> bytes:
        if self._secret is None:
            raise RuntimeError("sandbox secret not loaded: await ready() first")
        return self._secret

    def checkout(self, request: CheckoutRequest) -> Checkout:
        return Checkout(url=f"/sandbox/checkout/{request.reference}")

    def record(self, reference: str, amount: int, currency: str, outcome: str) -> SandboxPayment:
        """The payer pressed Pay or Decline on the sandbox page: the bank's side of it."""
        status = OUTCOMES[outcome]
        payment = SandboxPayment(f"sbx-{reference}", reference, status, amount, currency)
        self.store[reference] = payment
        return payment

    supports_refund = True

    async def refund(self, request: RefundRequest) -> RefundAnswer:
        """The pretend bank returns money at once; never more than was paid."""
        payment = self.store.get(request.reference)
        if payment is None or payment.status is not PaymentStatus.SUCCESS:
            return RefundAnswer(RefundOutcome.FAILED, reason="payment not found")
        done = self.refunds.setdefault(request.reference, [])
        if request.amount <= 0 or sum(done) + request.amount > payment.amount:
            return RefundAnswer(RefundOutcome.FAILED, reason="more than was paid")
        done.append(request.amount)
        refund_id = f"r{secrets.token_hex(6)}"
        raw = json.dumps({"reference": request.reference, "refund_id": refund_id})
        return RefundAnswer(RefundOutcome.DONE, refund_id, raw=raw)

    def callback_body(self, payment: SandboxPayment) -> bytes:
        return signed_form(self.secret, payment.payload())

    async def deliver(self, base_url: str, payment: SandboxPayment) -> int:
        """POST the signed callback to our endpoint, as a provider's server would."""
        timeout = aiohttp.ClientTimeout(total=30)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(
                    base_url.rstrip("/") + CALLBACK_PATH,
                    data=self.callback_body(payment),
                    headers={"Content-Type": "application/x-www-form-urlencoded"},
                    allow_redirects=False,
                ) as response,
            ):
                await response.read()
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0  # reconciliation picks it up from the store

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> ProviderCallback:
        try:
            form = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            raise MalformedCallback("body is not a form") from None
        data = form.get("data", [""])[0]
        signature = form.get("signature", [""])[0]
        if not data or not signature:
            raise MalformedCallback("data or signature missing")
        if not hmac.compare_digest(sign(self.secret, data).encode(), signature.encode()):
            raise SignatureError("sandbox signature does not match")
        try:
            fields = json.loads(base64.b64decode(data, validate=True), parse_float=str)
        except (binascii.Error, ValueError):
            raise MalformedCallback("data is not base64 JSON", signature_valid=True) from None
        if not isinstance(fields, dict):
            raise MalformedCallback("data is not a JSON object", signature_valid=True)
        return self._parse(fields)

    def _parse(self, fields: Mapping[str, Any]) -> ProviderCallback:
        try:
            status = PaymentStatus(str(fields["status"]))
            currency = str(fields["currency"]).upper()
            refund_id = str(fields.get("refund_id") or "") if status is PaymentStatus.REFUND else ""
            return ProviderCallback(
                provider=self.name,
                payment_id=str(fields["payment_id"]),
                reference=str(fields["reference"]),
                status=status,
                raw_status=status.value,
                amount=to_minor(fields["amount"], currency),
                currency=currency,
                raw=dict(fields),
                refund_id=refund_id,
            )
        except (KeyError, ValueError):
            raise MalformedCallback(
                "sandbox callback fields missing", signature_valid=True
            ) from None

    def acknowledge(self, callback: ProviderCallback, now: datetime) -> Ack:
        return Ack(200, b'{"status": "accepted"}', "application/json")

    async def query_status(self, reference: str) -> tuple[ProviderCallback, str] | None:
        await self.ready()
        payment = self.store.get(reference)
        if payment is None:
            return None
        text = json.dumps(payment.payload())
        try:
            return self._parse(payment.payload()), text
        except MalformedCallback as exc:  # pragma: no cover - our own store
            raise ProviderUnavailable(str(exc)) from None
