"""The client's bonus points: the statement (earned, spent, expiring with dates), the invite
link, paying part of an order with points, and following a friend's invite link.

Every action re-checks ownership and re-computes the numbers on the server: a button's payload
only says what the client saw, and a confirmation whose numbers moved is asked again.
"""

from __future__ import annotations

from core.contract import AnyButton, Button, Incoming, Kind, LinkButton, Reply, rows
from core.errors import DomainError
from core.loyalty import points, referrals, spending
from core.loyalty.referrals import Linked
from core.payloads import Payload, encode
from core.payments import notices
from core.payments.intents import pay_link
from handlers.context import Context
from handlers.identity import phone_request
from handlers.pay import own_order, pay_screen, refused
from handlers.router import Router
from handlers.screens import main_menu
from storage.models import Client, Order, PointsEntry, PointsKind, Referral

router = Router("loyalty")

OPEN = "pts"  # the statement
PAY = "payp"  # order id[, points confirmed]
HISTORY = 8


def _value(ctx: Context, count: int) -> str:
    rules = ctx.services.rules
    return ctx.t.money(count * rules.loyalty.point_value, rules.agency.currency)


def entry_line(ctx: Context, entry: PointsEntry, numbers: dict[int, str]) -> str:
    t = ctx.t
    kind = t(f"loyalty-kind-{entry.kind.value}")
    number = numbers.get(entry.order_id or 0)
    if number:
        kind = t("loyalty-kind-with-order", kind=kind, number=number)
    sign = "+" if entry.points > 0 else "−"
    return t(
        "loyalty-entry",
        date=t.date(entry.created_at.astimezone(ctx.services.rules.agency.tz).date()),
        kind=kind,
        points=f"{sign}{abs(entry.points)}",
    )


async def statement(ctx: Context, client: Client, note: str | None = None) -> Reply:
    t = ctx.t
    tz = ctx.services.rules.agency.tz
    entries = await PointsEntry.filter(client_id=client.id).order_by("id")
    total = sum(e.points for e in entries)
    earned = sum(e.points for e in entries if e.points > 0 and e.kind is not PointsKind.RETURN)
    spent = -sum(e.points for e in entries if e.kind is PointsKind.SPEND)
    spent -= sum(e.points for e in entries if e.kind is PointsKind.RETURN)
    expired = -sum(e.points for e in entries if e.kind is PointsKind.EXPIRE)
    lines = [
        t("loyalty-title"),
        t("loyalty-balance", points=total, value=_value(ctx, total)),
        t("loyalty-totals", earned=earned, spent=spent, expired=expired),
    ]
    soon = points.expiring(await points.lots(client.id))
    if soon:
        lines.append(t("loyalty-expiring-title"))
        lines += [
            t("loyalty-expiring-line", points=n, date=t.date(when.astimezone(tz).date()))
            for when, n in soon
        ]
    numbers = {
        o.id: o.number
        for o in await Order.filter(id__in=[e.order_id for e in entries if e.order_id])
    }
    if entries:
        lines += ["", t("loyalty-history")]
        lines += [entry_line(ctx, e, numbers) for e in reversed(entries[-HISTORY:])]
    lines += ["", *await invite_lines(ctx, client)]
    if note:
        lines.insert(0, note + "\n")
    buttons: list[list[AnyButton]] = [[Button(t("button-back"), encode("balance"))]]
    return Reply("\n".join(lines), rows(*buttons), edit=True)


async def invite_lines(ctx: Context, client: Client) -> list[str]:
    t = ctx.t
    bonus = ctx.services.rules.loyalty.referral_bonus
    lines = []
    referral = await Referral.get_or_none(friend_id=client.id).prefetch_related("inviter")
    if referral is not None and referral.rewarded_at is None and bonus:
        lines.append(t("loyalty-invited-by", name=referral.inviter.first_name or "—", points=bonus))
    if not bonus:
        return lines
    link = await referrals.link_for(ctx.services, client, ctx.incoming.channel)
    if link is None:
        return lines
    lines.append(t("loyalty-invite", points=bonus, link=link))
    return lines


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="menu")
    return [Reply(ctx.t("phone-needed")), phone_request(ctx)]


@router.button(OPEN)
async def open_statement(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    ctx.state.reset()
    return [await statement(ctx, ctx.client)]


# ---- paying with points -------------------------------------------------------------------


@router.button(PAY)
async def pay_with_points(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    order = await own_order(ctx, payload)
    if order is None:
        return refused(ctx)
    t = ctx.t
    quote = await spending.quote(ctx.services, ctx.client.id, order)
    if quote is None:
        return [Reply(t("loyalty-nothing-to-pay")), *await pay_screen(ctx, order)]
    money = lambda amount: t.money(amount, order.currency)  # noqa: E731
    if payload.arg(1) != str(quote.points):  # first press, or the numbers moved since
        key = "loyalty-confirm" if quote.rest > 0 else "loyalty-confirm-all"
        return [
            Reply(
                t(
                    key,
                    number=order.number,
                    points=quote.points,
                    value=money(quote.value),
                    rest=money(quote.rest),
                    cap=ctx.services.rules.loyalty.spend_cap_percent,
                ),
                rows(
                    [Button(t("loyalty-confirm-yes"), encode(PAY, order.id, quote.points))],
                    [Button(t("button-back"), encode("pay", order.id))],
                ),
                edit=True,
            )
        ]
    try:
        spent = await spending.spend(ctx.services, ctx.client, order.id, quote.points)
    except DomainError as error:
        return [Reply(t(error.key, **error.args_)), *await pay_screen(ctx, order)]
    if spent.intent is None:
        lines = [
            t("loyalty-paid", points=quote.points, value=money(quote.value), number=order.number)
        ]
        lines += notices.order_lines(ctx.services, t, spent.order)
        return [Reply("\n".join(lines), rows([Button(t("button-back"), encode("menu"))]))]
    intent = spent.intent
    text = t(
        "loyalty-reserved",
        points=spent.quote.points,
        value=money(spent.quote.value),
        number=order.number,
        rest=money(intent.amount),
        deadline=notices.when(ctx.services, t, intent.expires_at),
    )
    return [
        Reply(
            text,
            rows(
                [
                    LinkButton(
                        t("pay-button-open", amount=money(intent.amount)),
                        pay_link(ctx.services.settings, intent),
                    )
                ],
                [Button(t("button-back"), encode("pay", order.id))],
            ),
        )
    ]


# ---- following a friend's invite link -----------------------------------------------------

PENDING = "_ref"  # an invite code followed before the phone was shared


@router.pre_route
async def invite_followed(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """``/start r_<code>``: the friend is linked to who invited them (now, or as soon as they
    are a known client). Anything else passes on untouched."""
    code = referrals.code_in(incoming.start_param) if incoming.kind is Kind.START else None
    if code is None:
        code = ctx.state.data.get(PENDING) if ctx.client is not None else None
        if not code:
            return None
        ctx.state.data.pop(PENDING, None)
        assert ctx.client is not None
        await referrals.attach(ctx.services, ctx.client, str(code))
        return None
    if ctx.client is None:
        ctx.state.data.setdefault(PENDING, code)
        return None
    outcome, inviter = await referrals.attach(ctx.services, ctx.client, code)
    ctx.state.reset()
    text = ctx.t(
        f"loyalty-ref-{outcome.value}",
        name=(inviter.first_name if inviter else "") or "—",
        points=ctx.services.rules.loyalty.referral_bonus,
    )
    if outcome is Linked.LINKED and not ctx.services.rules.loyalty.referral_bonus:
        text = ctx.t(
            "loyalty-ref-linked-plain", name=(inviter.first_name if inviter else "") or "—"
        )
    return [Reply(text), main_menu(ctx)]
