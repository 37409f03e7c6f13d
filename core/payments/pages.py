"""The browser side of payments: our short link ``/pay/{token}``, the page the payer returns to,
and the sandbox's checkout page. Plain, localised HTML; the web layer only sends it."""

from __future__ import annotations

import html
from dataclasses import dataclass

from core.i18n import T
from core.ledger import PAYABLE
from core.payments.base import Checkout
from core.payments.intents import checkout_request, describe
from core.payments.registry import payment_providers, public_base
from core.services import Services
from core.wire import is_storable
from storage.models import Client, IntentStatus, Order, OrderStatus, PaymentIntent

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;"
    "color:#222}h1{font-size:1.4rem}.amount{font-size:1.6rem;font-weight:600}"
    "button{font-size:1.1rem;padding:.6rem 1.4rem;margin:.3rem .3rem 0 0;cursor:pointer}"
    ".note{color:#666;font-size:.9rem}"
)


@dataclass(frozen=True, slots=True)
class Page:
    status: int = 200
    html: str = ""
    location: str | None = None  # a redirect when set


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def document(t: T, title: str, body: str) -> str:
    return (
        f'<!doctype html><html lang="{_e(t.locale)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_e(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>"
    )


def message_page(t: T, title_key: str, text_key: str, status: int = 200, **args: object) -> Page:
    title = t(title_key)
    body = f"<h1>{_e(title)}</h1><p>{_e(t(text_key, **args))}</p>"
    body += f'<p class="note">{_e(t("pay-page-back-to-chat"))}</p>'
    return Page(status, document(t, title, body))


def autopost_page(t: T, checkout: Checkout) -> Page:
    inputs = "".join(
        f'<input type="hidden" name="{_e(name)}" value="{_e(value)}">'
        for name, value in checkout.fields
    )
    body = (
        f"<h1>{_e(t('pay-page-redirect-title'))}</h1>"
        f'<form id="checkout" method="post" action="{_e(checkout.form_action)}" '
        f'accept-charset="utf-8">{inputs}'
        f'<button type="submit">{_e(t("pay-page-continue"))}</button></form>'
        "<script>document.getElementById('checkout').submit();</script>"
    )
    return Page(200, document(t, t("pay-page-redirect-title"), body))


async def _load(token: str) -> tuple[PaymentIntent, Client, Order | None] | None:
    if len(token) > 32 or not is_storable(token):
        return None  # not a token of ours (and not something to put in a query)
    intent = await PaymentIntent.get_or_none(token=token)
    if intent is None:
        return None
    client = await Client.get(id=intent.client_id)  # type: ignore[attr-defined]
    order_id = intent.order_id  # type: ignore[attr-defined]
    order = await Order.get_or_none(id=order_id) if order_id else None
    return intent, client, order


def closed_page(
    services: Services, t: T, intent: PaymentIntent, order: Order | None
) -> Page | None:
    """Why this link cannot be paid any more, or None when it can."""
    status = intent.status
    if status in (IntentStatus.PAID, IntentStatus.REFUNDED):
        return message_page(t, "pay-page-paid-title", "pay-page-paid")
    if status is IntentStatus.CANCELLED:
        return message_page(t, "pay-page-closed-title", "pay-page-cancelled", 410)
    if status is IntentStatus.FAILED:
        return message_page(t, "pay-page-closed-title", "pay-page-failed", 410)
    if status is IntentStatus.EXPIRED or intent.expires_at <= services.clock.now():
        return message_page(t, "pay-page-closed-title", "pay-page-expired", 410)
    if order is not None:
        if order.status is OrderStatus.CANCELLED:
            return message_page(t, "pay-page-closed-title", "pay-page-order-cancelled", 410)
        if order.remaining <= 0 or order.status not in PAYABLE:
            return message_page(t, "pay-page-paid-title", "pay-page-order-paid")
    return None


async def pay_page(services: Services, token: str) -> Page:
    """``GET /pay/{token}``: off to the provider's checkout, or a clear page why not."""
    loaded = await _load(token)
    if loaded is None:
        t = services.translator(services.rules.agency.default_locale)
        return message_page(t, "pay-page-closed-title", "pay-page-not-found", 404)
    intent, client, order = loaded
    t = services.translator(client.locale)
    closed = closed_page(services, t, intent, order)
    if closed is not None:
        return closed
    provider = payment_providers(services).get(intent.provider)
    if provider is None:
        return message_page(t, "pay-page-closed-title", "pay-page-unavailable", 503)
    checkout = provider.checkout(checkout_request(services, intent, order, client.locale))
    if checkout.url is not None:
        return Page(303, location=checkout.url)
    return autopost_page(t, checkout)


async def done_page(services: Services, token: str) -> Page:
    """Where the payer's browser returns after the checkout."""
    loaded = await _load(token)
    if loaded is None:
        t = services.translator(services.rules.agency.default_locale)
        return message_page(t, "pay-page-closed-title", "pay-page-not-found", 404)
    intent, client, order = loaded
    t = services.translator(client.locale)
    amount = t.money(intent.amount, intent.currency)
    if intent.status in (IntentStatus.PAID, IntentStatus.REFUNDED):
        return message_page(t, "pay-page-paid-title", "pay-page-thanks", amount=amount)
    if intent.status is IntentStatus.FAILED:
        return message_page(t, "pay-page-closed-title", "pay-page-failed")
    if intent.status is IntentStatus.PENDING:
        return message_page(t, "pay-page-pending-title", "pay-page-pending", amount=amount)
    closed = closed_page(services, t, intent, order)
    return closed or message_page(t, "pay-page-closed-title", "pay-page-expired", 410)


async def _sandbox_intent(services: Services, reference: str) -> PaymentIntent | None:
    if payment_providers(services).sandbox is None:
        return None
    if len(reference) > 64 or not is_storable(reference):
        return None
    return await PaymentIntent.get_or_none(reference=reference, provider="sandbox")


async def sandbox_checkout(services: Services, reference: str) -> Page | None:
    """``GET /sandbox/checkout/{reference}``: the pretend bank's page with Pay and Decline."""
    intent = await _sandbox_intent(services, reference)
    if intent is None:
        return None
    loaded = await _load(intent.token)
    assert loaded is not None
    _, client, order = loaded
    t = services.translator(client.locale)
    closed = closed_page(services, t, intent, order)
    if closed is not None:
        return closed
    title = t("sandbox-title")
    action = f"/sandbox/checkout/{_e(reference)}"
    body = (
        f"<h1>{_e(title)}</h1><p>{_e(describe(t, intent, order))}</p>"
        f'<p class="amount">{_e(t.money(intent.amount, intent.currency))}</p>'
        f'<p class="note">{_e(t("sandbox-note"))}</p>'
        f'<form method="post" action="{action}">'
        f'<button type="submit" name="choice" value="pay">{_e(t("sandbox-pay"))}</button>'
        f'<button type="submit" name="choice" value="decline">{_e(t("sandbox-decline"))}'
        "</button></form>"
    )
    return Page(200, document(t, title, body))


async def sandbox_submit(services: Services, reference: str, choice: str) -> Page | None:
    """The payer pressed Pay or Decline: the sandbox records it, calls us back, shows the result.

    The callback goes to PUBLIC_URL, else to our own bind address: never to a host the
    browser named (a Host header is the requester's to choose).
    """
    sandbox = payment_providers(services).sandbox
    intent = await _sandbox_intent(services, reference)
    if intent is None or sandbox is None:
        return None
    loaded = await _load(intent.token)
    assert loaded is not None
    _, client, order = loaded
    t = services.translator(client.locale)
    if choice not in ("pay", "decline"):
        return message_page(t, "sandbox-title", "sandbox-bad-choice", 400)
    closed = closed_page(services, t, intent, order)
    if closed is not None:
        return closed
    await sandbox.ready()
    payment = sandbox.record(reference, intent.amount, intent.currency, choice)
    await sandbox.deliver(public_base(services.settings), payment)
    return Page(303, location=f"/pay/{intent.token}/done")
