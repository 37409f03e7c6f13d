"""A trip's review: the client's own 1-5 rating, once, then an optional comment; a low rating
alerts the assigned manager (else every manager and admin) through the outbox.

The alert waits for the comment: it is planned ``COMMENT_WAIT`` after the rating and moved to
"now" as soon as the client comments or skips, so staff get one message with both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from core.audit import audit
from core.contract import Reply
from core.i18n import T
from core.reminders.base import (
    Env,
    Planned,
    enqueue,
    staff_accounts_of,
    staff_message,
    staff_recipients,
)
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import Client, Job, MessengerAccount, Order, Role, Staff

ALERT_KIND = "review.alert"
ALERT_ROLES = (Role.MANAGER, Role.ADMIN)
COMMENT_WAIT = timedelta(minutes=15)
COMMENT_MAX = 2000
STARS = range(1, 6)


class Rated(StrEnum):
    SAVED = "saved"
    ALREADY = "already"
    NOT_FOUND = "not-found"


@dataclass(frozen=True, slots=True)
class RateResult:
    outcome: Rated
    order: Order | None = None


def alert_key(order_id: int) -> str:
    return f"review:alert:{order_id}"


async def rate(services: Services, client: Client, order_id: int, stars: int) -> RateResult:
    """Store the rating of the client's own order; a second rating is refused."""
    order = await Order.get_or_none(id=order_id, client_id=client.id)
    if order is None or stars not in STARS:
        return RateResult(Rated.NOT_FOUND)
    changed = await Order.filter(
        id=order.id, client_id=client.id, review_rating__isnull=True
    ).update(review_rating=stars)
    await order.refresh_from_db(fields=["review_rating", "review_comment"])
    if not changed:
        return RateResult(Rated.ALREADY, order)
    await webhook_events.review_received(services, order, with_comment=False)
    await audit(
        f"client:{client.id}",
        "review-rated",
        subject=f"order:{order.number}",
        details={"stars": stars},
    )
    if stars <= services.rules.reminders.low_rating:
        await services.jobs.schedule(
            ALERT_KIND,
            services.clock.now() + COMMENT_WAIT,
            {"order": order.id},
            dedupe_key=alert_key(order.id),
        )
    return RateResult(Rated.SAVED, order)


async def add_comment(services: Services, client: Client, order_id: int, text: str) -> bool:
    """Keep the comment (first one only) and let a waiting low-rating alert go now."""
    changed = await Order.filter(
        id=order_id, client_id=client.id, review_rating__isnull=False, review_comment__isnull=True
    ).update(review_comment=text)
    if changed:
        await audit(f"client:{client.id}", "review-commented", subject=f"order-id:{order_id}")
        commented = await Order.get(id=order_id)
        await webhook_events.review_received(services, commented, with_comment=True)
    await release_alert(services, order_id)
    return bool(changed)


async def skip_comment(services: Services, client: Client, order_id: int) -> None:
    """No comment: a waiting low-rating alert (of the client's own order) goes now."""
    if await Order.exists(id=order_id, client_id=client.id):
        await release_alert(services, order_id)


async def release_alert(services: Services, order_id: int) -> None:
    await services.jobs.reschedule(alert_key(order_id), services.clock.now())


async def _alert_recipients(order: Order, client: Client) -> list[MessengerAccount]:
    for staff_id in (order.manager_id, client.manager_id):
        if staff_id is not None:
            accounts = await staff_accounts_of(staff_id)
            if accounts:
                return accounts
    return [account for _, account in await staff_recipients(ALERT_ROLES)]


def render_alert(t: T, order: Order, client: Client) -> Reply:
    lines = [
        t(
            "reminder-review-alert",
            stars=order.review_rating or 0,
            number=order.number,
            destination=order.destination,
            client=client.display_name or f"#{client.id}",
            phone=client.phone or "—",
        )
    ]
    if order.review_comment:
        lines.append(t("reminder-review-alert-comment", comment=order.review_comment))
    else:
        lines.append(t("reminder-review-alert-no-comment"))
    return Reply("\n".join(lines))


async def send_alert(env: Env, job: Job) -> str:
    order = await Order.get_or_none(id=int(job.payload.get("order", 0))).select_related("client")
    if order is None or order.review_rating is None:
        return "gone"
    if order.review_rating > env.reminders.low_rating:
        return "stale"
    client: Client = order.client
    item = Planned(alert_key(order.id), env.now)
    messages = []
    for account in await _alert_recipients(order, client):
        staff: Staff = account.staff  # type: ignore[assignment]
        reply = render_alert(env.services.translator(staff.locale), order, client)
        messages.append(staff_message(ALERT_KIND, account, item, reply))
    return "sent" if await enqueue(env, messages) else "nothing"
