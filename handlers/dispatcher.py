"""The one entry point every channel calls: ``await dispatch(services, router, incoming)``.

It resolves who is talking (account, client, staff), loads their conversation state, routes,
saves the state, and turns errors into localised replies. Users never see a traceback;
operators find one in the log.
"""

from __future__ import annotations

import asyncio
import logging
import time
from contextvars import ContextVar

from core import accounts, flood, metrics, turn
from core.contract import Incoming, Reply
from core.errors import DomainError
from core.i18n import pick_locale
from core.services import Services
from core.state import State
from handlers.context import Context
from handlers.router import Router
from storage.models import Client, MessengerAccount, Staff

log = logging.getLogger("tourdesk.dispatch")


def resolve_locale(
    services: Services,
    account: MessengerAccount,
    client: Client | None,
    staff: Staff | None,
    state: State,
) -> str:
    agency = services.rules.agency
    chosen = state.data.get("_locale")
    if client is not None:
        chosen = client.locale
    elif staff is not None:
        chosen = staff.locale
    if chosen in agency.locales:
        return str(chosen)
    return pick_locale(account.language, agency.locales, agency.default_locale)


async def build_context(services: Services, incoming: Incoming) -> Context:
    """Who is talking (one query) and where they are (one Redis read, or none when the
    update's claim brought the state along: :mod:`core.turn`), fetched side by side."""
    address = incoming.address
    current = turn.CURRENT.get()
    if current is not None and current.address == address:
        who = await accounts.touch(incoming, services.clock)
        state = await turn.load_state(services, address)
    else:
        who, state = await asyncio.gather(
            accounts.touch(incoming, services.clock), turn.load_state(services, address)
        )
    locale = resolve_locale(services, who.account, who.client, who.staff, state)
    t = services.translator(locale)
    return Context(services, incoming, who.account, who.client, who.staff, state, t)


async def staff_after(ctx: Context) -> Staff | None:
    """The sender's active staff membership as the handler left it: an invite accepted in this
    update links the account to a new staff member (read once, only then)."""
    staff = ctx.staff
    if staff is None and ctx.account.staff_id is not None:
        staff = await Staff.get_or_none(id=ctx.account.staff_id, active=True)
    return staff if staff is not None and staff.active else None


# The sender's staff membership once their update was handled, for a channel that keeps
# something per staff chat (Telegram's "/" menu): set by :func:`dispatch` in the caller's task,
# so the channel reads it right after awaiting the dispatch instead of querying again.
# None (a dispatch that failed or was held, or none ran): the channel must look it up itself.
# A task may serve several updates in turn (one keep-alive connection), so every dispatch
# clears it first.
HANDLED_STAFF: ContextVar[tuple[Staff | None] | None] = ContextVar(
    "tourdesk_handled_staff", default=None
)


async def dispatch(services: Services, router: Router, incoming: Incoming) -> list[Reply]:
    started = time.perf_counter()
    HANDLED_STAFF.set(None)
    ctx = await build_context(services, incoming)
    if (held := await flood.hold(services, incoming, ctx.t)) is not None:
        return held  # flood control: one polite note, then silence
    before = ctx.state.snapshot()
    outcome = "ok"
    try:
        replies = await router.route(ctx, incoming)
    except DomainError as exc:
        outcome = f"refused:{exc.key}"
        replies = [Reply(ctx.t(exc.key, **exc.args_))]
    except Exception:
        outcome = "error"
        log.exception("handler failed channel=%s kind=%s", incoming.channel, incoming.kind)
        metrics.UPDATES.labels(incoming.channel, outcome).inc()
        return [Reply(ctx.t("error-internal"))]
    if ctx.state.snapshot() != before:
        await turn.save_state(services, incoming.address, ctx.state)
    HANDLED_STAFF.set((await staff_after(ctx),))
    elapsed = time.perf_counter() - started
    metrics.UPDATES.labels(incoming.channel, outcome.split(":")[0]).inc()
    metrics.UPDATE_SECONDS.labels(incoming.channel).observe(elapsed)
    log.info(
        "update channel=%s kind=%s state=%s outcome=%s replies=%d ms=%.1f",
        incoming.channel,
        incoming.kind,
        ctx.state.name,
        outcome,
        len(replies),
        elapsed * 1000,
    )
    return replies
