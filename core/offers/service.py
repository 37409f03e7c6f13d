"""Sending a round of options, choosing one exactly once, questions, and expiry.

Choosing is one transaction, under a lock on the request's row: the option moves
``open -> chosen`` only if it is still open and not expired (a conditional ``UPDATE``), takes
its round's unique ``chosen_key`` (so a second option of the same round cannot be chosen, even
by a request racing on another connection), creates the order and closes the other options. A
loser of either race gets an answer saying what happened and changes nothing. The prepayment
link is made right after, by the same machinery as the client's own Pay button.

Expiry is a job per round (``offers.expire``, run at the round's ``expires_at``), so it
survives a restart; a choice after ``expires_at`` is refused even before the job has run.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from tortoise.exceptions import IntegrityError
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from core import fallback
from core.audit import audit_at
from core.channels import ChannelInfo
from core.clients import mask_phone
from core.contract import Button, Reply, rows
from core.errors import DomainError, InvalidInput, NotFound
from core.i18n import T
from core.notify import notify_staff
from core.offers import cards
from core.offers.option import MAX_OPTIONS, Option
from core.payloads import encode
from core.payments.intents import create_order_intent, pay_link
from core.relay import tell_client
from core.services import Services
from core.staff.orders import OrderDraft, insert_order
from storage.models import (
    Client,
    Job,
    MessengerAccount,
    OfferStatus,
    Order,
    PaymentIntent,
    RequestStatus,
    Staff,
    TourOffer,
    TourRequest,
)

log = logging.getLogger(__name__)

EXPIRE_JOB = "offers.expire"
CARD_GAP = timedelta(seconds=1)  # between the messages of one round
SUBJECT = "request:{}"  # the request's history is its audit entries under this subject


def subject(request: TourRequest) -> str:
    return SUBJECT.format(request.number)


def expire_key(request_id: int, round_: int) -> str:
    return f"offers-expire:{request_id}:{round_}"


# ---- sending ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SentRound:
    request: TourRequest
    offers: list[TourOffer]


async def open_request(request_id: int) -> TourRequest:
    request = await TourRequest.get_or_none(id=request_id).prefetch_related("client")
    if request is None:
        raise NotFound("offer-request-not-found")
    if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
        raise InvalidInput("offer-request-closed", number=request.number)
    return request


async def _store_round(
    staff: Staff,
    request: TourRequest,
    options: list[Option],
    now: datetime,
    expires: datetime,
) -> tuple[int, list[TourOffer]]:
    """The next round's rows, in one transaction; the earlier open round closes."""
    client: Client = request.client
    async with in_transaction() as conn:
        row = (
            await TourOffer.filter(request_id=request.id)
            .using_db(conn)
            .annotate(last=Max("round"))
            .values("last")
        )
        round_ = int((row[0]["last"] if row else None) or 0) + 1
        await (
            TourOffer.filter(request_id=request.id, status=OfferStatus.OPEN)
            .using_db(conn)
            .update(status=OfferStatus.CLOSED)
        )
        offers = [
            await TourOffer.create(
                request_id=request.id,
                client_id=client.id,
                manager_id=staff.id,
                round=round_,
                position=position,
                hotel=o.hotel,
                stars=o.stars,
                country=o.country,
                resort=o.resort,
                start_date=o.start_date,
                end_date=o.end_date,
                nights=o.nights,
                room=o.room,
                meal=o.meal,
                price=o.price,
                currency=o.currency,
                operator=o.operator,
                link=o.link,
                photo=o.photo,
                expires_at=expires,
                created_at=now,
                using_db=conn,
            )
            for position, o in enumerate(options, start=1)
        ]
        if request.manager_id is None:
            await (
                TourRequest.filter(id=request.id, manager_id__isnull=True)
                .using_db(conn)
                .update(manager_id=staff.id, status=RequestStatus.TAKEN, taken_at=now)
            )
        await (
            Client.filter(id=client.id, manager_id__isnull=True)
            .using_db(conn)
            .update(manager_id=staff.id)
        )
        await audit_at(
            staff,
            "offers.sent",
            at=now,
            subject=subject(request),
            details={
                "round": round_,
                "count": len(offers),
                "offers": [o.id for o in offers],
                "hotels": [o.hotel for o in offers],
                "expires_at": expires.isoformat(),
            },
        )
    return round_, offers


async def send_round(
    services: Services, staff: Staff, request_id: int, options: list[Option]
) -> SentRound:
    """Store ``options`` as the request's next round (closing any still-open earlier one) and
    queue them to the client as cards; the manager who sends becomes the request's manager if
    it had none."""
    if not 1 <= len(options) <= MAX_OPTIONS:
        raise InvalidInput("offer-error-count", max=MAX_OPTIONS)
    request = await open_request(request_id)
    client: Client = request.client
    account = await fallback.messenger(services, client)  # cards need a messenger
    if account is None:
        raise InvalidInput("offer-client-unreachable", name=client.display_name)
    now = services.clock.now()
    expires = now + timedelta(days=services.rules.offers.expire_days)
    try:
        round_, offers = await _store_round(staff, request, options, now, expires)
    except IntegrityError:  # the same round number taken a moment ago (a double Send)
        raise InvalidInput("offer-send-raced", number=request.number) from None
    await services.jobs.schedule(
        EXPIRE_JOB,
        expires,
        {"request": request.id, "round": round_},
        dedupe_key=expire_key(request.id, round_),
    )
    t = services.translator(client.locale)
    info = services.channels.get(account.channel)
    if info is not None and info.capabilities.carousel:
        # all options side by side in one message, each with its own buttons
        await services.outbox.enqueue(
            account,
            Reply("", cards=tuple(cards.carousel_card(t, offer) for offer in offers)),
            kind="offer-card",
            dedupe_key=f"offer-cards:{request.id}:{round_}",
            not_before=now,
        )
        offers_sent = 1
    else:
        offers_sent = await _enqueue_cards(services, account, t, offers, now, info)
    until = t.datetime(expires, services.rules.agency.tz)
    await services.outbox.enqueue(
        account,
        cards.pick(t, offers, request.number, until),
        kind="offer-pick",
        dedupe_key=f"offer-pick:{request.id}:{round_}",
        not_before=now + CARD_GAP * offers_sent,
    )
    return SentRound(request, offers)


async def _enqueue_cards(
    services: Services,
    account: MessengerAccount,
    t: T,
    offers: list[TourOffer],
    now: datetime,
    info: ChannelInfo | None,
) -> int:
    """One message per option; returns how many."""
    with_buttons = info is not None and info.capabilities.buttons_stay
    # One message a second (a chat's pace on both messengers): the outbox sends a chat's rows
    # concurrently, and a later card must not overtake an earlier one, nor the closing message.
    for index, offer in enumerate(offers):
        await services.outbox.enqueue(
            account,
            cards.card(t, offer, with_buttons=with_buttons),
            kind="offer-card",
            dedupe_key=f"offer-card:{offer.id}",
            not_before=now + CARD_GAP * index,
        )
    return len(offers)


# ---- choosing ---------------------------------------------------------------------------------


class Outcome(StrEnum):
    BOOKED = "booked"  # this press made the order
    ALREADY = "already"  # this option was chosen before (a second press)
    TAKEN = "taken"  # another option of the round was chosen
    EXPIRED = "expired"
    CLOSED = "closed"  # a newer round replaced it, or the request was closed
    NOT_FOUND = "not-found"


@dataclass(frozen=True, slots=True)
class Choice:
    outcome: Outcome
    offer: TourOffer | None = None
    order: Order | None = None
    intent: PaymentIntent | None = None
    link: str | None = None


class _Lost(Exception):
    """The conditional update changed nothing: someone else moved the option first."""


def _draft(services: Services, option: Option) -> OrderDraft:
    return OrderDraft(
        client_id=0,
        destination=option.destination[:128],
        departure=option.start_date,
        return_date=option.end_date,
        price=option.price,
        currency=option.currency,
        due_date=None,
        prepayment_percent=services.rules.payments.prepayment_percent,
    )


async def _why_not(offer_id: int) -> Choice:
    """The answer for an option that could not be chosen now, from what it is now."""
    offer = await TourOffer.get(id=offer_id)
    status = OfferStatus(offer.status)
    if status is OfferStatus.CHOSEN:
        order = await Order.get_or_none(id=offer.order_id) if offer.order_id else None
        return Choice(Outcome.ALREADY, offer, order)
    if status is OfferStatus.EXPIRED or (status is OfferStatus.OPEN):
        return Choice(Outcome.EXPIRED, offer)
    chosen = await TourOffer.filter(
        request_id=offer.request_id, round=offer.round, status=OfferStatus.CHOSEN
    ).exists()
    return Choice(Outcome.TAKEN if chosen else Outcome.CLOSED, offer)


async def choose(services: Services, client: Client, offer_id: int) -> Choice:
    """The client picks ``offer_id``: at most one order per round, whatever presses race."""
    offer = await TourOffer.get_or_none(id=offer_id, client_id=client.id)
    if offer is None:
        return Choice(Outcome.NOT_FOUND)
    now = services.clock.now()
    if offer.status != OfferStatus.OPEN or offer.expires_at <= now:
        return await _why_not(offer.id)
    request = await TourRequest.get(id=offer.request_id)
    option = cards.option_of(offer)
    manager_id = offer.manager_id or request.manager_id
    try:
        async with in_transaction() as conn:
            # One choice per request at a time: the request row is locked first (PostgreSQL;
            # SQLite writes one at a time anyway), so racing presses queue here instead of
            # locking each other's options in opposite orders.
            await TourRequest.filter(id=request.id).using_db(conn).select_for_update().first()
            changed = (
                await TourOffer.filter(id=offer.id, status=OfferStatus.OPEN, expires_at__gt=now)
                .using_db(conn)
                .update(
                    status=OfferStatus.CHOSEN,
                    chosen_at=now,
                    chosen_key=f"{offer.request_id}:{offer.round}",
                )
            )
            if not changed:
                raise _Lost
            order = await insert_order(
                conn,
                client.id,
                manager_id,
                _draft(services, option),
                now,
                tour_request_id=request.id,
                country=offer.country if len(offer.country) == 2 else None,
                supplier=offer.operator,
            )
            await TourOffer.filter(id=offer.id).using_db(conn).update(order_id=order.id)
            await (
                TourOffer.filter(
                    request_id=offer.request_id, round=offer.round, status=OfferStatus.OPEN
                )
                .using_db(conn)
                .update(status=OfferStatus.CLOSED)
            )
            await (
                TourRequest.filter(id=request.id).using_db(conn).update(status=RequestStatus.CLOSED)
            )
            await audit_at(
                f"client:{client.id}",
                "offers.chosen",
                at=now,
                subject=subject(request),
                details={
                    "offer": offer.id,
                    "position": offer.position,
                    "hotel": offer.hotel,
                    "order": order.number,
                    "manager": manager_id,
                    "price": offer.price,
                    "currency": offer.currency,
                },
            )
    except (_Lost, IntegrityError):
        return await _why_not(offer.id)
    offer = await TourOffer.get(id=offer.id)
    intent = link = None
    try:
        intent = await create_order_intent(services, order, share="prepayment")
        link = pay_link(services.settings, intent)
    except DomainError as error:  # no payment provider configured, say: the manager sends one
        log.warning("no prepayment link for order %s: %s", order.number, error.key)
    await _tell_manager_chosen(services, client, request, offer, order)
    return Choice(Outcome.BOOKED, offer, order, intent, link)


async def _tell_manager_chosen(
    services: Services, client: Client, request: TourRequest, offer: TourOffer, order: Order
) -> None:
    name, phone = client.display_name, mask_phone(client.phone)

    def render(t: T) -> Reply:
        text = t(
            "offer-staff-chosen",
            name=name,
            phone=phone,
            number=request.number,
            position=offer.position,
            hotel=offer.hotel,
            order=order.number,
            price=t.money(order.price, order.currency),
        )
        return Reply(text)

    await notify_staff(
        services,
        [order.manager_id, request.manager_id],
        render,
        kind="offer-chosen",
        dedupe_key=f"offer-chosen:{offer.id}",
        order_id=order.id,
        client_id=client.id,
    )


# ---- questions --------------------------------------------------------------------------------


async def question(
    services: Services, client: Client, offer_id: int, *, about_all: bool = False
) -> TourOffer | None:
    """The client pressed "Ask a question" on an option: the manager is told at once (their
    reply to the notice reaches the client through the relay), and the client's next message
    is relayed to them."""
    offer = await TourOffer.get_or_none(id=offer_id, client_id=client.id)
    if offer is None:
        return None
    request = await TourRequest.get(id=offer.request_id)
    now = services.clock.now()
    name, phone = client.display_name, mask_phone(client.phone)
    await audit_at(
        f"client:{client.id}",
        "offers.question-all" if about_all else "offers.question",
        at=now,
        subject=subject(request),
        details={"offer": offer.id, "position": offer.position, "hotel": offer.hotel},
    )

    def render(t: T) -> Reply:
        text = t(
            "offer-staff-question-all" if about_all else "offer-staff-question",
            name=name,
            phone=phone,
            number=request.number,
            position=offer.position,
            hotel=offer.hotel,
        )
        return Reply(text, rows([Button(t("relay-reply-button"), encode("reply", client.id))]))

    await notify_staff(
        services,
        [offer.manager_id, request.manager_id, client.manager_id],
        render,
        kind="offer-question",
        dedupe_key=f"offer-question:{offer.id}:{int(now.timestamp())}",
        client_id=client.id,
        meta={"relay_client": client.id},
    )
    return offer


# ---- expiry -----------------------------------------------------------------------------------


async def expire_round(services: Services, request_id: int, round_: int) -> int:
    """Close the round's options nobody chose by their deadline; tell both sides once."""
    now = services.clock.now()
    changed = await TourOffer.filter(
        request_id=request_id, round=round_, status=OfferStatus.OPEN, expires_at__lte=now
    ).update(status=OfferStatus.EXPIRED)
    if not changed:
        return 0
    request = await TourRequest.get(id=request_id).prefetch_related("client")
    client: Client = request.client
    await audit_at(
        "system",
        "offers.expired",
        at=now,
        subject=subject(request),
        details={"round": round_, "offers": changed},
    )
    await tell_client(
        services,
        client,
        lambda t: Reply(t("offer-expired-client", number=request.number)),
        kind="offer-expired",
        dedupe_key=f"offer-expired:{request.id}:{round_}",
    )
    name = client.display_name
    await notify_staff(
        services,
        [request.manager_id, client.manager_id],
        lambda t: Reply(t("offer-staff-expired", number=request.number, name=name)),
        kind="offer-expired-staff",
        dedupe_key=f"offer-expired-staff:{request.id}:{round_}",
        client_id=client.id,
    )
    return changed


def register(services: Services) -> None:
    """The expiry job on ``services.jobs`` (called from ``build_services``)."""

    async def _expire(job: Job) -> None:
        await expire_round(
            services, int(job.payload.get("request", 0)), int(job.payload.get("round", 0))
        )

    services.jobs.handler(EXPIRE_JOB)(_expire)


# ---- the request's history --------------------------------------------------------------------


async def offers_of(request_id: int) -> list[TourOffer]:
    return await TourOffer.filter(request_id=request_id).order_by("round", "position")


def today_of(services: Services) -> date:
    return services.clock.now().astimezone(services.rules.agency.tz).date()
