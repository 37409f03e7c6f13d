"""Receipts to make, the job that makes them, and what the client and staff are told."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.backoff import BackoffConfig
from core.contract import LinkButton, Reply, rows
from core.fiscal.checkbox import Checkbox, CheckboxError, Fiscalised
from core.fiscal.checkbox import receipt_url as checkbox_receipt_url
from core.fiscal.settings import checkbox_settings
from core.i18n import T
from core.payments import notices
from storage.models import Client, FiscalReceipt, FiscalStatus, Job, Role

if TYPE_CHECKING:
    from core.services import Services

log = logging.getLogger(__name__)

MAKE = "fiscal.receipt"
CLOSE_SHIFT = "fiscal.close_shift"
NAMESPACE = uuid.UUID("6f1e7c1a-4f57-4b1e-9a55-7d1f0c2a9b3e")  # never change: ids derive from it
POLLS = 5  # status checks right after creating a receipt, [fiscal] poll_seconds apart


def receipt_uid(reference: str) -> str:
    """Our receipt id: the same ledger reference always names the same Checkbox receipt."""
    return str(uuid.uuid5(NAMESPACE, reference))


def enabled(services: Services) -> bool:
    return checkbox_settings(services.settings).enabled


_registers: dict[tuple[str, str], Checkbox] = {}


def register_of(services: Services) -> Checkbox:
    """This process's Checkbox client (its cashier token is kept between receipts)."""
    config = checkbox_settings(services.settings)
    assert config.license_key is not None and config.pin is not None
    key = (config.api_url, config.license_key.get_secret_value())
    found = _registers.get(key)
    if found is None:
        found = Checkbox(config.api_url, key[1], config.pin.get_secret_value())
        _registers[key] = found
    return found


async def _plan(
    services: Services,
    *,
    reference: str,
    is_return: bool,
    client_id: int,
    order_id: int | None,
    amount: int,
    currency: str,
    title: str,
) -> FiscalReceipt | None:
    if not enabled(services) or amount <= 0:
        return None
    now = services.clock.now()
    try:
        async with in_transaction():  # a savepoint inside the payment's transaction
            receipt = await FiscalReceipt.create(
                uid=receipt_uid(reference),
                reference=reference[:191],
                is_return=is_return,
                client_id=client_id,
                order_id=order_id,
                amount=amount,
                currency=currency,
                title=title[:128],
                created_at=now,
            )
            await services.jobs.schedule(
                MAKE, now, {"receipt": receipt.id, "attempt": 1}, dedupe_key=_key(receipt, 1)
            )
    except IntegrityError:
        return None  # planned before: this reference is covered
    return receipt


def _key(receipt: FiscalReceipt, attempt: int) -> str:
    return f"fiscal:{receipt.uid}:{attempt}"


async def plan_sell(
    services: Services,
    *,
    reference: str,
    client_id: int,
    order_id: int | None,
    order_number: str | None,
    amount: int,
    currency: str,
) -> FiscalReceipt | None:
    """A payment landed: its sell receipt is made soon (never in the payment's way)."""
    title = f"Tour {order_number}" if order_number else "Balance top-up"
    return await _plan(
        services,
        reference=reference,
        is_return=False,
        client_id=client_id,
        order_id=order_id,
        amount=amount,
        currency=currency,
        title=title,
    )


async def plan_return(
    services: Services,
    *,
    reference: str,
    client_id: int,
    order_id: int | None,
    order_number: str | None,
    amount: int,
    currency: str,
) -> FiscalReceipt | None:
    """Money went back: a return receipt."""
    title = f"Tour {order_number}" if order_number else "Balance top-up"
    return await _plan(
        services,
        reference=reference,
        is_return=True,
        client_id=client_id,
        order_id=order_id,
        amount=amount,
        currency=currency,
        title=title,
    )


def receipt_body(receipt: FiscalReceipt) -> dict[str, object]:
    body: dict[str, object] = {
        "id": receipt.uid,
        "goods": [
            {
                "good": {
                    "code": f"order-{receipt.order_id}" if receipt.order_id else "topup",
                    "name": receipt.title,
                    "price": receipt.amount,
                },
                "quantity": 1000,  # one unit, in thousandths
            }
        ],
        "payments": [{"type": "CASHLESS", "value": receipt.amount}],
    }
    if receipt.is_return:
        body["is_return"] = True
    return body


async def make(services: Services, job: Job) -> str:
    """One attempt at a receipt; returns the outcome (for logs)."""
    receipt = await FiscalReceipt.get_or_none(id=job.payload.get("receipt"))
    if receipt is None or receipt.status is not FiscalStatus.PENDING:
        return "nothing-to-do"
    attempt = int(job.payload.get("attempt", 1))
    if not enabled(services):
        return await _retry(services, receipt, attempt, "Checkbox is not configured now")
    checkbox = register_of(services)
    try:
        await checkbox.ensure_shift()
        made = await checkbox.sell(receipt_body(receipt))
        for _ in range(POLLS):
            if made.status in ("DONE", "ERROR"):
                break
            await asyncio.sleep(services.rules.fiscal.poll_seconds)
            made = await checkbox.status(receipt.uid)
    except CheckboxError as exc:
        if exc.retry:
            return await _retry(services, receipt, attempt, str(exc))
        return await _fail(services, receipt, attempt, str(exc))
    if made.status == "ERROR":
        return await _fail(services, receipt, attempt, "Checkbox could not fiscalise the receipt")
    if made.status != "DONE" or not made.fiscal_code:
        return await _retry(services, receipt, attempt, f"still {made.status} at Checkbox")
    await _done(services, receipt, made, checkbox.receipt_url(receipt.uid))
    return "done"


async def _done(services: Services, receipt: FiscalReceipt, made: Fiscalised, url: str) -> None:
    now = services.clock.now()
    changed = await FiscalReceipt.filter(id=receipt.id, status=FiscalStatus.PENDING).update(
        status=FiscalStatus.DONE, fiscal_code=made.fiscal_code, done_at=now, error=None
    )
    if not changed:
        return
    receipt.fiscal_code = made.fiscal_code
    client = await Client.get_or_none(id=receipt.client_id)
    if client is None:
        return
    await notices.tell_client(
        services,
        client,
        lambda t: fiscal_message(t, receipt, url),
        kind="fiscal-receipt",
        dedupe_key=f"fiscal:{receipt.uid}:client",
    )


def fiscal_message(t: T, receipt: FiscalReceipt, url: str) -> Reply:
    key = "fiscal-return-ready" if receipt.is_return else "fiscal-receipt-ready"
    return Reply(
        t(key, code=receipt.fiscal_code or "", amount=t.money(receipt.amount, receipt.currency)),
        rows([LinkButton(t("fiscal-open-receipt"), url)]),
    )


def _backoff(services: Services) -> BackoffConfig:
    rules = services.rules.fiscal
    return BackoffConfig(min_delay=rules.retry_min_seconds, max_delay=rules.retry_max_seconds)


async def _retry(services: Services, receipt: FiscalReceipt, attempt: int, error: str) -> str:
    rules = services.rules.fiscal
    await FiscalReceipt.filter(id=receipt.id).update(attempts=attempt, error=error[:2000])
    if attempt >= rules.alert_after_attempts:
        await _alert(services, receipt, error)
    if attempt >= rules.max_attempts:
        await FiscalReceipt.filter(id=receipt.id, status=FiscalStatus.PENDING).update(
            status=FiscalStatus.FAILED
        )
        return "gave-up"
    at = services.clock.now() + timedelta(seconds=_backoff(services).delay(attempt))
    await services.jobs.schedule(
        MAKE,
        at,
        {"receipt": receipt.id, "attempt": attempt + 1},
        dedupe_key=_key(receipt, attempt + 1),
    )
    log.warning("fiscal receipt %s attempt %d failed: %s", receipt.uid, attempt, error)
    return "retry"


async def _fail(services: Services, receipt: FiscalReceipt, attempt: int, error: str) -> str:
    await FiscalReceipt.filter(id=receipt.id, status=FiscalStatus.PENDING).update(
        status=FiscalStatus.FAILED, attempts=attempt, error=error[:2000]
    )
    await _alert(services, receipt, error)
    return "failed"


async def _alert(services: Services, receipt: FiscalReceipt, error: str) -> None:
    """Once per receipt: the accountants and admins learn a receipt is not being made."""
    first = await FiscalReceipt.filter(id=receipt.id, alerted=False).update(alerted=True)
    if not first:
        return
    await notices.tell_staff(
        services,
        notices.staff_text(
            "fiscal-staff-failing",
            amount=(receipt.amount, receipt.currency),
            what=receipt.title,
            error=error[:300],
        ),
        kind="fiscal-alert",
        dedupe_key=f"fiscal:{receipt.uid}:alert",
        roles=(Role.ADMIN, Role.ACCOUNTANT),
    )


# ---- the daily shift -------------------------------------------------------------------------


def next_close(services: Services, after: datetime) -> datetime:
    """The next ``[fiscal] close_shift_at`` (agency time) after ``after``."""
    tz = services.rules.agency.tz
    local = after.astimezone(tz)
    hour, minute = (int(x) for x in services.rules.fiscal.close_shift_at.split(":"))
    at = datetime.combine(local.date(), time(hour, minute), tz)
    if at <= local:
        at += timedelta(days=1)
    return at


async def plan_close(services: Services, after: datetime) -> None:
    if not enabled(services):
        return
    at = next_close(services, after)
    await services.jobs.schedule(CLOSE_SHIFT, at, dedupe_key=f"fiscal:close:{at.date()}")


async def close_shift(services: Services, job: Job) -> None:
    try:
        closed = await register_of(services).close_shift()
        log.info("fiscal shift %s", "closed" if closed else "was not open")
    finally:
        await plan_close(services, max(services.clock.now(), job.run_at))


def register(services: Services) -> None:
    @services.jobs.handler(MAKE)
    async def _make(job: Job) -> None:
        outcome = await make(services, job)
        log.info("fiscal receipt job=%s outcome=%s", job.id, outcome)

    @services.jobs.handler(CLOSE_SHIFT)
    async def _close(job: Job) -> None:
        await close_shift(services, job)


# ---- the order card ----------------------------------------------------------------------------


async def of_order(order_id: int) -> list[FiscalReceipt]:
    return await FiscalReceipt.filter(order_id=order_id).order_by("id")


def link_of(services: Services, receipt: FiscalReceipt) -> str | None:
    """Where the fiscalised receipt can be opened (Checkbox's HTML view), once it is done."""
    if receipt.status is not FiscalStatus.DONE:
        return None
    return checkbox_receipt_url(checkbox_settings(services.settings).api_url, receipt.uid)


def card_lines(t: T, receipts: list[FiscalReceipt]) -> str:
    """Lines for the staff order card: each receipt's fiscal code, or why it is not there yet."""
    lines = []
    for r in receipts:
        amount = t.money(-r.amount if r.is_return else r.amount, r.currency)
        if r.status is FiscalStatus.DONE:
            lines.append(t("fiscal-card-done", amount=amount, code=r.fiscal_code or ""))
        elif r.status is FiscalStatus.FAILED:
            lines.append(t("fiscal-card-failed", amount=amount, error=r.error or ""))
        else:
            lines.append(t("fiscal-card-pending", amount=amount))
    return "\n" + "\n".join(lines) if lines else ""
