"""The browser side of payments: our short link ``/pay/{token}``, the page the payer returns to,
and the sandbox's checkout page. Jinja2 templates with autoescape (``templates/``, package data),
in the client's language, with the agency's name and the amount; the web layer only sends them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined

from core.i18n import T
from core.ledger import PAYABLE
from core.payments.base import Checkout
from core.payments.intents import checkout_request, describe
from core.payments.registry import payment_providers, public_base
from core.services import Services
from core.wire import is_storable
from storage.models import Client, IntentStatus, Order, OrderStatus, PaymentIntent


@dataclass(frozen=True, slots=True)
class Page:
    status: int = 200
    html: str = ""
    location: str | None = None  # a redirect when set


def _template_source(name: str) -> str:
    """Templates are package data (``core/payments/templates``), found wherever installed."""
    return (files("core.payments") / "templates" / name).read_text(encoding="utf-8")


@cache
def environment() -> Environment:
    """Jinja2 with autoescape on: every value a template prints is HTML-escaped."""
    return Environment(
        loader=FunctionLoader(_template_source),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(services: Services, t: T, template: str, **values: Any) -> str:
    agency = services.rules.agency
    contacts = [c for c in (agency.phone, agency.email, agency.address, agency.website) if c]
    return (
        environment()
        .get_template(template)
        .render(lang=t.locale, agency=agency.name, contacts=contacts, **values)
    )


def message_page(
    services: Services,
    t: T,
    title_key: str,
    text_key: str,
    status: int = 200,
    *,
    tone: str = "closed",
    what: str | None = None,
    amount: str | None = None,
) -> Page:
    html = render(
        services,
        t,
        "message.html",
        title=t(title_key),
        text=t(text_key, amount=amount),  # a text may name the amount too
        back=t("pay-page-back-to-chat"),
        tone=tone,
        what=what,
        amount=amount,
    )
    return Page(status, html)


def autopost_page(services: Services, t: T, checkout: Checkout, amount: str) -> Page:
    html = render(
        services,
        t,
        "redirect.html",
        title=t("pay-page-redirect-title"),
        tone="wait",
        amount=amount,
        action=checkout.form_action,
        fields=list(checkout.fields),
        proceed=t("pay-page-continue"),
    )
    return Page(200, html)


async def _load(token: str) -> tuple[PaymentIntent, Client, Order | None] | None:
    if len(token) > 32 or not is_storable(token):
        return None  # not a token of ours (and not something to put in a query)
    intent = await PaymentIntent.get_or_none(token=token)
    if intent is None:
        return None
    client = await Client.get(id=intent.client_id)
    order_id = intent.order_id
    order = await Order.get_or_none(id=order_id) if order_id else None
    return intent, client, order


def closed_page(
    services: Services, t: T, intent: PaymentIntent, order: Order | None
) -> Page | None:
    """Why this link cannot be paid any more, or None when it can."""
    what, amount = describe(t, intent, order), t.money(intent.amount, intent.currency)

    def page(title: str, text: str, status: int = 410, tone: str = "closed") -> Page:
        return message_page(services, t, title, text, status, tone=tone, what=what, amount=amount)

    status = intent.status
    if status in (IntentStatus.PAID, IntentStatus.REFUNDED):
        return page("pages-paid-title", "pay-page-paid", 200, "ok")
    if status is IntentStatus.CANCELLED:
        return page("pages-cancelled-title", "pay-page-cancelled")
    if status is IntentStatus.FAILED:
        return page("pages-failed-title", "pay-page-failed")
    if status is IntentStatus.EXPIRED or intent.expires_at <= services.clock.now():
        return page("pages-expired-title", "pay-page-expired")
    if order is not None:
        if order.status is OrderStatus.CANCELLED:
            return page("pages-cancelled-title", "pay-page-order-cancelled")
        if order.remaining <= 0 or order.status not in PAYABLE:
            return page("pages-paid-title", "pay-page-order-paid", 200, "ok")
    return None


def not_found_page(services: Services) -> Page:
    t = services.translator(services.rules.agency.default_locale)
    return message_page(services, t, "pages-not-found-title", "pay-page-not-found", 404)


async def pay_page(services: Services, token: str) -> Page:
    """``GET /pay/{token}``: off to the provider's checkout, or a clear page why not."""
    loaded = await _load(token)
    if loaded is None:
        return not_found_page(services)
    intent, client, order = loaded
    t = services.translator(client.locale)
    closed = closed_page(services, t, intent, order)
    if closed is not None:
        return closed
    provider = payment_providers(services).get(intent.provider)
    if provider is None:
        return message_page(services, t, "pay-page-closed-title", "pay-page-unavailable", 503)
    checkout = provider.checkout(checkout_request(services, intent, order, client.locale))
    if checkout.url is not None:
        return Page(303, location=checkout.url)
    return autopost_page(services, t, checkout, t.money(intent.amount, intent.currency))


async def done_page(services: Services, token: str) -> Page:
    """Where the payer's browser returns after the checkout."""
    loaded = await _load(token)
    if loaded is None:
        return not_found_page(services)
    intent, client, order = loaded
    t = services.translator(client.locale)
    amount = t.money(intent.amount, intent.currency)
    what = describe(t, intent, order)
    if intent.status in (IntentStatus.PAID, IntentStatus.REFUNDED):
        return message_page(
            services, t, "pages-success-title", "pay-page-thanks",
            tone="ok", what=what, amount=amount,
        )  # fmt: skip
    if intent.status is IntentStatus.FAILED:
        key = "pay-page-failed"
        return message_page(services, t, "pages-failed-title", key, what=what, amount=amount)
    if intent.status is IntentStatus.PENDING:
        return message_page(
            services, t, "pay-page-pending-title", "pay-page-pending",
            tone="wait", what=what, amount=amount,
        )  # fmt: skip
    closed = closed_page(services, t, intent, order)
    return closed or message_page(services, t, "pages-expired-title", "pay-page-expired", 410)


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
    html = render(
        services,
        t,
        "checkout.html",
        title=t("sandbox-title"),
        tone="pay",
        what=describe(t, intent, order),
        amount=t.money(intent.amount, intent.currency),
        action=f"/sandbox/checkout/{reference}",
        pay=t("sandbox-pay"),
        decline=t("sandbox-decline"),
        note=t("sandbox-note"),
    )
    return Page(200, html)


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
        return message_page(services, t, "sandbox-title", "sandbox-bad-choice", 400)
    closed = closed_page(services, t, intent, order)
    if closed is not None:
        return closed
    await sandbox.ready()
    payment = sandbox.record(reference, intent.amount, intent.currency, choice)
    await sandbox.deliver(public_base(services.settings), payment)
    return Page(303, location=f"/pay/{intent.token}/done")
