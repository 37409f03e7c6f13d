"""Tour offers at the staff desk: a request's card (its options and history), the builder where
a manager collects 1–5 options — pasted one per message, or step by step — and sends them.

The builder's options live in the conversation state under ``_ofb`` (kept while the step-by-
step wizard, whose answers are under ``_ofw``, runs and ends); nothing is stored in the
database until the manager presses Send. A pasted line that does not read changes nothing and
the answer names the field to fix.
"""

from __future__ import annotations

from typing import Any

from core import tour_requests as tr
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput, NotFound
from core.offers import cards
from core.offers import service as offers
from core.offers.option import MAX_OPTIONS, FieldError, Option, parse_line
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.roles import SALES
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import (
    button,
    command,
    int_arg,
    join,
    local_dt,
    menu_button,
    require,
    state,
    today,
)
from handlers.staff.offer_builder import STATE, Builder, builder_screen, forget, start_builder
from handlers.staff.offer_wizard import OPTION_WIZARD, WIZARD_PREFIX
from storage.models import AuditEntry, OfferStatus, RequestStatus, TourRequest

router = Router("staff.offers")

HISTORY_SHOWN = 12


def add_options(ctx: Context, draft: Builder, text: str) -> list[Option]:
    """Every non-empty line of ``text`` is an option; all of them read, or none is added."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(draft.options) + len(lines) > MAX_OPTIONS:
        raise InvalidInput("offer-error-count", max=MAX_OPTIONS)
    currency = ctx.services.rules.agency.currency
    added = []
    for index, line in enumerate(lines, start=1):
        try:
            added.append(parse_line(line, today(ctx), currency))
        except InvalidInput as error:
            if len(lines) > 1:
                error.args_ = {**error.args_, "line": index}
            raise
    draft.options.extend(added)
    return added


def paste_problem(ctx: Context, error: InvalidInput) -> str:
    """A refused paste, worded: which field, what is wrong with it, and how it should look."""
    t = ctx.t
    if isinstance(error, FieldError):
        text = t(
            "offer-paste-bad-field",
            number=int(error.args_["number"]),
            field=t(f"offer-field-{error.field}"),
            problem=t(error.cause.key, **error.cause.args_),
        )
    else:
        text = t(error.key, **{k: v for k, v in error.args_.items() if k != "line"})
    if "line" in error.args_:
        text = join(t("offer-paste-line", line=int(error.args_["line"])), text)
    return join(text, t("offer-paste-unchanged"))


@state(router, STATE, roles=SALES)
async def pasted(ctx: Context, incoming: Incoming) -> list[Reply]:
    draft = Builder.load(ctx)
    if draft is None:
        ctx.state.reset()
        return [Reply(ctx.t("st-stale"), rows([menu_button(ctx.t)]))]
    if incoming.kind is not Kind.TEXT or not (incoming.text or "").strip():
        return await builder_screen(ctx, draft, ctx.t("offer-paste-text-only"))
    try:
        added = add_options(ctx, draft, incoming.text or "")
    except InvalidInput as error:
        draft = Builder.load(ctx) or draft  # unchanged
        return await builder_screen(ctx, draft, paste_problem(ctx, error))
    return await builder_screen(ctx, draft, ctx.t("offer-added", count=len(added)))


@button(router, routes.OFFERS, roles=SALES)
async def builder_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    request_id = int_arg(payload, 0)
    op = payload.arg(1, "new")
    if op == "new":
        return await start_builder(ctx, request_id)
    draft = Builder.load(ctx)
    if draft is None or draft.request_id != request_id:
        return [Reply(ctx.t("st-stale"), rows([menu_button(ctx.t)]))]
    if op == "wiz" and len(draft.options) < MAX_OPTIONS:
        return OPTION_WIZARD.restart(ctx)
    if op == "drop" and draft.options:
        draft.options.pop()
        return await builder_screen(ctx, draft, ctx.t("offer-dropped"))
    if op == "quit":
        forget(ctx)
        return [Reply(ctx.t("offer-build-quitted"), rows([request_button(ctx, request_id)]))]
    if op == "send" and draft.options:
        sent = await offers.send_round(ctx.services, staff, request_id, draft.options)
        forget(ctx)
        client = sent.request.client
        until = local_dt(ctx, sent.offers[0].expires_at)
        text = ctx.t(
            "offer-sent",
            count=len(sent.offers),
            name=client.display_name,
            number=sent.request.number,
            until=until,
        )
        return [Reply(text, rows([request_button(ctx, request_id)], [menu_button(ctx.t)]))]
    return await builder_screen(ctx, draft, ctx.t("st-stale"))


# ---- the step-by-step wizard's routes ---------------------------------------------------------


@button(router, routes.OFFER_WIZARD, roles=SALES)
async def wizard_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await OPTION_WIZARD.on_button(ctx, incoming, payload)


@state(router, WIZARD_PREFIX + "*", roles=SALES)
async def wizard_text(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await OPTION_WIZARD.on_text(ctx, incoming)


# ---- the request's card -----------------------------------------------------------------------


def request_button(ctx: Context, request_id: int) -> Button:
    return Button(ctx.t("offer-open-request"), encode(routes.REQUEST, request_id))


def offer_status(ctx: Context, status: OfferStatus | str) -> str:
    return ctx.t(f"offer-status-{OfferStatus(status).value}")


def history_line(ctx: Context, entry: AuditEntry) -> str:
    details: dict[str, Any] = entry.details or {}
    args = {k: str(v) for k, v in details.items() if isinstance(v, str | int)}
    action = entry.action.replace(".", "-")
    what = ctx.t(f"offer-history-{action}", **args) if action.startswith("offers-") else action
    if action == "tour-request-created":
        what = ctx.t("offer-history-created")
    elif action == "tour-request-taken":
        what = ctx.t("offer-history-taken")
    return f"{local_dt(ctx, entry.created_at)} · {what}"


async def request_card(ctx: Context, request_id: int, note: str | None = None) -> list[Reply]:
    require(ctx, *SALES)
    t = ctx.t
    request = await TourRequest.get_or_none(id=request_id).prefetch_related("client", "manager")
    if request is None:
        raise NotFound("offer-request-not-found")
    head = t(
        "offer-request-title",
        number=request.number,
        name=request.client.display_name,
        status=t(f"offer-request-status-{RequestStatus(request.status).value}"),
        manager=request.manager.name if request.manager else "—",
    )
    blocks = [head, tr.render_summary(t, tr.draft_of(request))]
    found = await offers.offers_of(request.id)
    if found:
        lines = [
            f"{cards.line(t, cards.option_of(o), o.position)} — {offer_status(ctx, o.status)}"
            for o in found
        ]
        blocks.append(join(t("offer-request-offers"), *lines))
    entries = await AuditEntry.filter(subject=offers.SUBJECT.format(request.number)).order_by(
        "created_at", "id"
    )
    if entries:
        shown = [history_line(ctx, e) for e in entries[-HISTORY_SHOWN:]]
        blocks.append(join(t("offer-request-history"), *shown))
    grid: list[list[AnyButton]] = []
    if request.status not in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        grid.append([Button(t("offer-build-button"), encode(routes.OFFERS, request.id, "new"))])
    grid.append(
        [
            Button(t("st-open-client"), encode(routes.CLIENT, request.client_id)),
            menu_button(t),
        ]
    )
    return [Reply(join(note, "\n\n".join(blocks)), rows(*grid))]


@button(router, routes.REQUEST, roles=SALES)
async def request_card_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await request_card(ctx, int_arg(payload, 0))


@command(router, "request", roles=SALES)
async def request_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    number = incoming.command_args.strip().upper()
    request = await TourRequest.get_or_none(number=number) if number else None
    if request is None:
        return [Reply(ctx.t("offer-request-usage"), rows([menu_button(ctx.t)]))]
    return await request_card(ctx, request.id)
