"""Balance: money per currency, bonus points, the virtual card, recent operations; top up;
pay an order from the balance."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from core import ledger
from core.contract import AnyButton, Button, Incoming, Reply, rows
from core.errors import InvalidInput
from core.money import parse_amount
from core.payloads import Payload, encode
from core.payments.intents import check_topup, create_topup_intent
from handlers.context import Context
from handlers.identity import phone_request
from handlers.pay import link_reply
from handlers.router import Router
from storage.models import Client, LedgerEntry, Order

router = Router()

CARD_PREFIX = "9804"


def luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def card_for(client_id: int) -> str:
    body = f"{CARD_PREFIX}{client_id:011d}"
    return body + luhn_digit(body)


async def ensure_card(client: Client) -> str | None:
    """The client's virtual card number, issued on first look (derived from the id: unique)."""
    if client.card_number:
        return client.card_number
    number = card_for(client.id)
    try:
        await Client.filter(id=client.id, card_number=None).update(card_number=number)
    except IntegrityError:
        return None
    fresh = await Client.get(id=client.id)
    client.card_number = fresh.card_number
    return client.card_number


def spaced(card: str) -> str:
    return " ".join(card[i : i + 4] for i in range(0, len(card), 4))


def entry_line(ctx: Context, entry: LedgerEntry) -> str:
    t = ctx.t
    tz = ctx.services.rules.agency.tz
    amount = t.money(entry.amount, entry.currency)
    if entry.amount > 0:
        amount = "+" + amount
    order: Order | None = entry.order
    kind = t(f"ledger-kind-{entry.kind.value.replace('_', '-')}")
    if order is not None:
        kind = t("ledger-kind-with-order", kind=kind, number=order.number)
    return t(
        "balance-entry",
        date=t.date(entry.created_at.astimezone(tz).date()),
        kind=kind,
        amount=amount,
    )


async def payable_orders(client_id: int) -> list[Order]:
    orders = await Order.filter(client_id=client_id, status__in=list(ledger.PAYABLE)).order_by("id")
    return [o for o in orders if o.remaining > 0]


async def balance_screen(ctx: Context, note: str | None = None) -> Reply:
    t = ctx.t
    client = ctx.client
    assert client is not None
    amounts = await ledger.balances(client.id)
    currency = ctx.services.rules.agency.currency
    shown = {c: a for c, a in amounts.items() if a != 0} or {currency: 0}
    lines = [t("balance-title")]
    lines += [t("balance-amount", amount=t.money(a, c)) for c, a in sorted(shown.items())]
    lines.append(t("balance-bonus", points=client.bonus_points))
    card = await ensure_card(client)
    lines.append(t("balance-card", card=spaced(card) if card else "—"))
    entries = await ledger.recent(client.id, 5)
    lines.append("")
    if entries:
        lines.append(t("balance-history"))
        lines += [entry_line(ctx, e) for e in entries]
    else:
        lines.append(t("balance-no-history"))
    if note:
        lines.insert(0, note + "\n")
    buttons: list[list[AnyButton]] = [
        [Button(t("balance-topup"), encode("topup")), Button(t("loyalty-open"), encode("pts"))]
    ]
    orders = await payable_orders(client.id)
    if any(amounts.get(o.currency, 0) > 0 for o in orders):
        buttons.append([Button(t("balance-pay-order"), encode("balpay"))])
    buttons.append([Button(t("button-back"), encode("menu"))])
    return Reply("\n".join(lines), rows(*buttons), edit=True)


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="menu")
    return [Reply(ctx.t("phone-needed")), phone_request(ctx)]


@router.button("balance")
async def open_balance(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    ctx.state.reset()
    return [await balance_screen(ctx)]


def topup_menu(ctx: Context) -> Reply:
    t = ctx.t
    currency = ctx.services.rules.agency.currency
    presets = [
        Button(t.money(amount, currency), encode("topup", amount))
        for amount in ctx.services.rules.payments.topup_presets
    ]
    return Reply(
        t("topup-choose"),
        rows(
            presets,
            [Button(t("topup-other"), encode("topup", "other"))],
            [Button(t("button-back"), encode("balance"))],
        ),
        edit=True,
    )


def ask_amount(ctx: Context, error: str | None = None) -> Reply:
    t = ctx.t
    rules = ctx.services.rules.payments
    currency = ctx.services.rules.agency.currency
    text = t(
        "topup-ask-amount",
        min=t.money(rules.topup_min, currency),
        max=t.money(rules.topup_max, currency),
    )
    if error:
        text = f"{error}\n{text}"
    return Reply(text, rows([Button(t("button-cancel"), encode("balance"))]))


async def _topup_link(ctx: Context, amount: int) -> list[Reply]:
    assert ctx.client is not None
    intent = await create_topup_intent(ctx.services, ctx.client, amount)
    ctx.state.reset()
    return [link_reply(ctx, intent, encode("balance"))]


@router.button("topup")
async def topup(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    choice = payload.arg(0)
    if not choice:
        return [topup_menu(ctx)]
    if choice == "other":
        ctx.state.goto("balance.topup")
        return [ask_amount(ctx)]
    try:
        amount = int(choice)
        check_topup(ctx.services, amount)
    except (ValueError, InvalidInput):
        return [topup_menu(ctx)]
    return await _topup_link(ctx, amount)


@router.screen("balance.topup")
async def amount_again(ctx: Context) -> list[Reply]:
    return [ask_amount(ctx)]


@router.state("balance.topup")
async def topup_amount(ctx: Context, incoming: Incoming) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    currency = ctx.services.rules.agency.currency
    try:
        amount = parse_amount(incoming.text or "", currency)
        check_topup(ctx.services, amount)
    except InvalidInput as exc:
        rules = ctx.services.rules.payments
        error = ctx.t(
            exc.key,
            min=ctx.t.money(rules.topup_min, currency),
            max=ctx.t.money(rules.topup_max, currency),
        )
        return [ask_amount(ctx, error)]
    return await _topup_link(ctx, amount)


@router.button("balpay")
async def choose_order(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    t = ctx.t
    amounts = await ledger.balances(ctx.client.id)
    orders = [o for o in await payable_orders(ctx.client.id) if amounts.get(o.currency, 0) > 0]
    if not orders:
        return [await balance_screen(ctx, note=t("balpay-none"))]
    buttons: list[list[AnyButton]] = [
        [
            Button(
                t(
                    "balpay-order",
                    number=o.number,
                    destination=o.destination,
                    remaining=t.money(o.remaining, o.currency),
                ),
                encode("paybal", o.id),
            )
        ]
        for o in orders
    ]
    buttons.append([Button(t("button-back"), encode("balance"))])
    return [Reply(t("balpay-choose"), rows(*buttons), edit=True)]
