"""WayForPay purchase form, serviceUrl callbacks and CHECK_STATUS (https://wiki.wayforpay.com/en/).

Every signature is ``hmac_md5(secret, ";".join(fields))`` in the documented field order.
Callback signatures cover the numbers' raw JSON text (``100`` and ``100.0`` differ), so bodies
are parsed with ``parse_float=str`` / ``parse_int=str`` and never re-serialised.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

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

PAY_URL = "https://secure.wayforpay.com/pay"
API_URL = "https://api.wayforpay.com/api"

CALLBACK_FIELDS = (
    "merchantAccount",
    "orderReference",
    "amount",
    "currency",
    "authCode",
    "cardPan",
    "transactionStatus",
    "reasonCode",
)

STATUSES: dict[str, PaymentStatus] = {
    "Approved": PaymentStatus.SUCCESS,
    "Declined": PaymentStatus.FAILURE,
    # The invoice's time ran out unpaid: our own expiry job handles that, with no "declined".
    "Expired": PaymentStatus.IGNORED,
    "Refunded": PaymentStatus.REFUND,
    "Voided": PaymentStatus.REFUND,
    "RefundInProcessing": PaymentStatus.PENDING,
    "Created": PaymentStatus.PENDING,
    "InProcessing": PaymentStatus.PENDING,
    "WaitingAuthComplete": PaymentStatus.PENDING,
    "Pending": PaymentStatus.PENDING,
}

REFUND_DONE = ("Refunded", "Voided")
REFUND_ANSWER_FIELDS = ("merchantAccount", "orderReference", "transactionStatus", "reasonCode")


def refund_identity(fields: Mapping[str, Any]) -> str:
    """WayForPay names no refund id (UNCONFIRMED): a refund callback is told apart by the time
    the operation was processed and its amount; a repeated callback repeats both."""
    return f"t{_text(fields.get('processingDate'))}a{_text(fields.get('amount'))}"


LANGUAGES = {"uk": "UA", "en": "EN", "ru": "RU"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def sign(secret: str, fields: Iterable[Any]) -> str:
    """``hex(hmac_md5(secret, "a;b;c"))``."""
    message = ";".join(_text(f) for f in fields)
    return hmac.new(secret.encode(), message.encode(), hashlib.md5).hexdigest()


def callback_signature(secret: str, body: Mapping[str, Any]) -> str:
    return sign(secret, (body.get(name) for name in CALLBACK_FIELDS))


def loads_exact(text: str | bytes) -> Any:
    """JSON with every number kept as its raw text."""
    return json.loads(text, parse_float=str, parse_int=str)


def read_body(body: bytes) -> dict[str, Any]:
    """A serviceUrl body: raw JSON, or (seen in the wild) the JSON as a lone form key."""
    try:
        text = body.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise MalformedCallback("body is not UTF-8") from None
    if not text.startswith("{"):
        form = parse_qs(text, keep_blank_values=True)
        keys = list(form)
        if len(keys) != 1 or not keys[0].lstrip().startswith("{"):
            raise MalformedCallback("body is neither JSON nor a JSON form key")
        text = keys[0]
    try:
        parsed = loads_exact(text)
    except ValueError:
        raise MalformedCallback("body is not JSON") from None
    if not isinstance(parsed, dict):
        raise MalformedCallback("body is not a JSON object")
    return parsed


def dumps_with_numbers(body: Mapping[str, Any], numbers: Iterable[str]) -> bytes:
    """Serialise ``body`` with the fields named in ``numbers`` as raw JSON numbers."""
    marked = dict(body)
    names = list(numbers)
    for name in names:
        marked[name] = f"\x00{name}\x00"
    text = json.dumps(marked)
    for name in names:
        text = text.replace(json.dumps(f"\x00{name}\x00"), _text(body[name]))
    return text.encode()


class WayForPayProvider(Provider):
    name = "wayforpay"
    title = "WayForPay"
    # hryvnia; dollars and euros once agreed with WayForPay
    currencies = frozenset({"UAH", "USD", "EUR"})

    def __init__(
        self,
        merchant: str,
        secret: str,
        domain: str,
        *,
        pay_url: str = PAY_URL,
        api_url: str = API_URL,
        timeout: float = 15.0,
    ) -> None:
        self.merchant = merchant
        self._secret = secret
        self.domain = domain
        self.pay_url = pay_url
        self.api_url = api_url
        self.timeout = timeout

    def checkout(self, request: CheckoutRequest) -> Checkout:
        amount = to_major_text(request.amount, request.currency)
        order_date = str(int(request.created_at.timestamp()))
        signature = sign(
            self._secret,
            (
                self.merchant,
                self.domain,
                request.reference,
                order_date,
                amount,
                request.currency,
                request.description,
                "1",
                amount,
            ),
        )
        timeout = max(int((request.expires_at - request.now).total_seconds()), 60)
        return Checkout(
            form_action=self.pay_url,
            fields=(
                ("merchantAccount", self.merchant),
                ("merchantAuthType", "SimpleSignature"),
                ("merchantDomainName", self.domain),
                ("merchantTransactionSecureType", "AUTO"),
                ("merchantSignature", signature),
                ("apiVersion", "1"),
                ("language", LANGUAGES.get(request.locale, "UA")),
                ("returnUrl", request.result_url),
                ("serviceUrl", request.server_url),
                ("orderReference", request.reference),
                ("orderDate", order_date),
                ("orderTimeout", str(timeout)),
                ("amount", amount),
                ("currency", request.currency),
                ("productName[]", request.description),
                ("productPrice[]", amount),
                ("productCount[]", "1"),
            ),
        )

    def _verify(self, body: Mapping[str, Any]) -> None:
        given = body.get("merchantSignature")
        if not isinstance(given, str) or not given:
            raise SignatureError("wayforpay signature missing")
        expected = callback_signature(self._secret, body)
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise SignatureError("wayforpay signature does not match")
        if body.get("merchantAccount") != self.merchant:
            raise SignatureError("callback for another merchant account")

    def parse_callback(self, body: bytes, headers: Mapping[str, str]) -> ProviderCallback:
        fields = read_body(body)
        self._verify(fields)
        return self._parse(fields)

    def _parse(self, fields: Mapping[str, Any]) -> ProviderCallback:
        reference = fields.get("orderReference")
        raw_status = fields.get("transactionStatus")
        currency = fields.get("currency")
        if not isinstance(reference, str) or not reference:
            raise MalformedCallback("orderReference missing", signature_valid=True)
        if not isinstance(raw_status, str) or not isinstance(currency, str):
            raise MalformedCallback("transactionStatus or currency missing", signature_valid=True)
        status = STATUSES.get(raw_status, PaymentStatus.IGNORED)
        return ProviderCallback(
            provider=self.name,
            payment_id=reference,  # one approved payment per orderReference
            reference=reference,
            status=status,
            raw_status=raw_status,
            amount=to_minor(fields.get("amount"), currency.upper()),
            currency=currency.upper(),
            raw=dict(fields),
            refund_id=refund_identity(fields) if status is PaymentStatus.REFUND else "",
        )

    def acknowledge(self, callback: ProviderCallback, now: datetime) -> Ack:
        stamp = int(now.astimezone(UTC).timestamp())
        body = {
            "orderReference": callback.reference,
            "status": "accept",
            "time": stamp,
            "signature": sign(self._secret, (callback.reference, "accept", stamp)),
        }
        return Ack(200, json.dumps(body).encode(), "application/json")

    supports_refund = True

    async def refund(self, request: RefundRequest) -> RefundAnswer:
        """``transactionType: REFUND``; signature over merchantAccount;orderReference;amount;
        currency. The answer's transactionStatus: Refunded / Voided, RefundInProcessing, or
        Declined with a reason."""
        amount = to_major_text(request.amount, request.currency)
        body = {
            "transactionType": "REFUND",
            "merchantAccount": self.merchant,
            "orderReference": request.reference,
            "amount": amount,
            "currency": request.currency,
            "comment": request.comment,
            "merchantSignature": sign(
                self._secret, (self.merchant, request.reference, amount, request.currency)
            ),
            "apiVersion": 1,
        }
        text = await self._post(dumps_with_numbers(body, ["amount", "apiVersion"]))
        try:
            answer = loads_exact(text)
        except ValueError:
            raise ProviderUnavailable("wayforpay refund answer is not JSON") from None
        if not isinstance(answer, dict) or answer.get("orderReference") not in (
            None,
            request.reference,
        ):
            raise ProviderUnavailable("wayforpay refund answer is about another order")
        given = answer.get("merchantSignature")
        if isinstance(given, str) and given:
            expected = sign(self._secret, (answer.get(f) for f in REFUND_ANSWER_FIELDS))
            if not hmac.compare_digest(expected.encode(), given.encode()):
                raise ProviderUnavailable("wayforpay refund answer signature does not match")
        status = _text(answer.get("transactionStatus"))
        if status in REFUND_DONE:
            return RefundAnswer(RefundOutcome.DONE, raw=text)
        if status == "RefundInProcessing":
            return RefundAnswer(RefundOutcome.PENDING, raw=text)
        reason = _text(answer.get("reason") or answer.get("reasonCode") or status)
        return RefundAnswer(RefundOutcome.FAILED, reason=reason[:500], raw=text)

    async def _post(self, body: bytes) -> str:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(
                    self.api_url, data=body, headers={"Content-Type": "application/json"}
                ) as response,
            ):
                text = await response.text()
                if response.status >= 500:
                    raise ProviderUnavailable(f"wayforpay answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderUnavailable(f"wayforpay unreachable: {exc}") from None
        return text

    async def query_status(self, reference: str) -> tuple[ProviderCallback, str] | None:
        request = {
            "transactionType": "CHECK_STATUS",
            "merchantAccount": self.merchant,
            "orderReference": reference,
            "merchantSignature": sign(self._secret, (self.merchant, reference)),
            "apiVersion": 1,
        }
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.api_url, json=request) as response,
            ):
                text = await response.text()
                if response.status >= 500:
                    raise ProviderUnavailable(f"wayforpay answered {response.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ProviderUnavailable(f"wayforpay unreachable: {exc}") from None
        try:
            answer = loads_exact(text)
        except ValueError:
            raise ProviderUnavailable("wayforpay status answer is not JSON") from None
        if not isinstance(answer, dict) or answer.get("orderReference") != reference:
            return None
        if not answer.get("transactionStatus"):
            return None  # not found (reasonCode tells why)
        try:
            self._verify(answer)
            return self._parse(answer), text
        except (SignatureError, MalformedCallback) as exc:
            raise ProviderUnavailable(f"wayforpay status answer refused: {exc}") from None


def domain_of(url: str | None) -> str:
    return (urlsplit(url).hostname or "") if url else ""
