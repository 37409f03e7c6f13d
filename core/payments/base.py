"""What every payment provider does for us, in one interface.

A provider turns a payment intent into a checkout (a URL to redirect to, or a form our
``/pay/{token}`` page auto-posts), verifies and parses its callbacks (raw body + headers ->
:class:`ProviderCallback`, amounts parsed exactly from the raw text), builds the acknowledgement
it expects, and answers a status query for reconciliation.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar

from core.money import minor_digits


class PaymentError(Exception):
    """Base of the provider errors below."""


class SignatureError(PaymentError):
    """The callback is not signed by the provider: refuse it, change nothing."""


class MalformedCallback(PaymentError):
    """The body cannot be read (missing fields, bad encoding, bad amount)."""

    def __init__(self, message: str, *, signature_valid: bool = False) -> None:
        super().__init__(message)
        self.signature_valid = signature_valid


class ProviderUnavailable(PaymentError):
    """A status query could not reach the provider or got an unreadable answer."""


class PaymentStatus(StrEnum):
    """Our reading of a provider's status; the value is the dedupe key's status class."""

    SUCCESS = "success"  # money taken: credit once
    FAILURE = "failure"  # declined / error / expired at the provider
    REFUND = "refund"  # money returned to the payer: reverse once
    PENDING = "pending"  # in between (3-DS, processing, ...): nothing to do yet
    IGNORED = "ignored"  # a status that says nothing about this payment's money


@dataclass(frozen=True, slots=True)
class ProviderCallback:
    provider: str
    payment_id: str  # the provider's id of this payment (dedupe key part)
    reference: str  # our intent reference (the provider's order id)
    status: PaymentStatus
    raw_status: str
    amount: int  # minor units, parsed exactly from the raw text
    currency: str
    raw: Mapping[str, Any] = field(default_factory=dict)
    # A refund's own identity at the provider (several partial refunds of one payment differ
    # here; a repeated callback of the same refund does not). Empty for other statuses.
    refund_id: str = ""

    @property
    def dedupe_key(self) -> str:
        if self.status is PaymentStatus.REFUND and self.refund_id:
            return f"{self.provider}:{self.payment_id}:refund:{self.refund_id}"[:191]
        return f"{self.provider}:{self.payment_id}:{self.status.value}"

    @property
    def ledger_reference(self) -> str:
        return f"{self.provider}:{self.payment_id}"


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    """Everything a provider needs to build a checkout for one intent."""

    reference: str
    amount: int  # minor units
    currency: str
    description: str
    created_at: datetime
    expires_at: datetime
    now: datetime
    locale: str
    server_url: str  # where the provider calls us back
    result_url: str  # where the payer's browser returns


@dataclass(frozen=True, slots=True)
class Checkout:
    """Either a URL to redirect to, or a form to auto-post (``fields`` keep their order)."""

    url: str | None = None
    form_action: str | None = None
    fields: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Ack:
    """The HTTP answer a provider expects to a callback it delivered."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain"
    headers: tuple[tuple[str, str], ...] = ()


class RefundOutcome(StrEnum):
    DONE = "done"  # the provider says the money went back
    PENDING = "pending"  # accepted, the final word comes later (callback)
    FAILED = "failed"  # refused: nothing was returned


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """Return ``amount`` of the payment behind ``reference`` (our intent reference)."""

    reference: str
    payment_id: str  # the provider's id of the payment
    amount: int  # minor units
    currency: str
    comment: str


@dataclass(frozen=True, slots=True)
class RefundAnswer:
    outcome: RefundOutcome
    refund_id: str = ""  # the provider's identity of this refund when its answer names one
    reason: str = ""  # why it failed, as the provider put it
    raw: str = ""


class Provider(abc.ABC):
    name: str
    title: ClassVar[str] = ""  # as operators know it ("LiqPay")
    supports_refund: bool = False
    # the currencies the provider takes payments in; None: any. The agency currency must be
    # among them for every enabled provider, checked at start-up (bots/startup.py).
    currencies: ClassVar[frozenset[str] | None] = None

    @abc.abstractmethod
    def checkout(self, request: CheckoutRequest) -> Checkout: ...

    @abc.abstractmethod
    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> ProviderCallback:
        """Verify the signature, then parse. Raises SignatureError / MalformedCallback."""

    @abc.abstractmethod
    def acknowledge(self, callback: ProviderCallback, now: datetime) -> Ack: ...

    @abc.abstractmethod
    async def query_status(self, reference: str) -> tuple[ProviderCallback, str] | None:
        """The provider's current view of ``reference`` and the raw answer; None: unknown."""

    async def refund(self, request: RefundRequest) -> RefundAnswer:
        """Ask the provider to return money (only when ``supports_refund``).

        Raises ProviderUnavailable when the answer is unknown (timeout, 5xx, unreadable)."""
        raise ProviderUnavailable(f"{self.name} cannot refund")


def to_minor(text: Any, currency: str) -> int:
    """``"100.50"`` -> 10050 exactly (Decimal from the raw text); refuses fractions of a kopeck."""
    if isinstance(text, bool) or text is None:
        raise MalformedCallback(f"amount missing or not a number: {text!r}", signature_valid=True)
    if isinstance(text, float):  # never expected: callers parse with parse_float=str
        raise MalformedCallback("amount parsed as float", signature_valid=True)
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise MalformedCallback(f"amount is not a number: {text!r}", signature_valid=True) from None
    if not value.is_finite():
        raise MalformedCallback(f"amount is not finite: {text!r}", signature_valid=True)
    minor = value.scaleb(minor_digits(currency))
    if minor != minor.to_integral_value():
        raise MalformedCallback(f"amount has too many decimals: {text!r}", signature_valid=True)
    return int(minor)


def to_major_text(amount: int, currency: str) -> str:
    """10050 -> ``"100.50"``; 10000 -> ``"100.00"`` (the text we send and sign)."""
    digits = minor_digits(currency)
    value = Decimal(amount).scaleb(-digits)
    return f"{value:.{digits}f}"
