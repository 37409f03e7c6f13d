"""Tour requests: the wizard's answers (a draft), their validation, the saved request and
who takes it.

Validation functions raise :class:`InvalidInput` with a translation key, so the wizard shows a
clear hint in the client's language. Nothing here knows about buttons or conversation state.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from babel.dates import format_date as babel_date
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import destinations, numbers
from core.audit import audit
from core.clients import mask_phone
from core.contract import Button, Reply, rows
from core.errors import DomainError, InvalidInput
from core.i18n import T
from core.money import CURRENCIES, parse_amount
from core.notify import notify_roles
from core.payloads import encode
from core.relay import tell_client
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import Client, ProcessedUpdate, RequestStatus, Role, Staff, TourRequest

DESTINATION_MIN, DESTINATION_MAX = 2, 64
ADULTS_MAX = 9
CHILDREN_MAX = 6
CHILD_AGE_MAX = 17
WISHES_MAX = 1000
NIGHT_RANGES: tuple[tuple[int, int | None], ...] = ((3, 5), (6, 8), (9, 12), (13, None))
NOTIFY_ROLES = (Role.MANAGER, Role.ADMIN)
CONFIRM_LOG = "tour-confirm"  # processed_updates.channel of confirmed drafts


@dataclass
class Draft:
    """The wizard's answers so far; JSON-friendly (kept in the conversation state)."""

    destination: str | None = None
    when: dict[str, str] | None = None  # {"month": "2027-03"} | {"from", "to"} | {} flexible
    nights: tuple[int, int | None] | None = None
    adults: int | None = None
    children: int | None = None
    ages: list[int] = field(default_factory=list)
    budget: tuple[int | None, str | None] | None = None  # (minor units, currency) | (None, None)
    wishes: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "destination": self.destination,
            "when": self.when,
            "nights": list(self.nights) if self.nights else None,
            "adults": self.adults,
            "children": self.children,
            "ages": list(self.ages),
            "budget": list(self.budget) if self.budget else None,
            "wishes": self.wishes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Draft:
        nights = data.get("nights")
        budget = data.get("budget")
        return cls(
            destination=data.get("destination"),
            when=data.get("when"),
            nights=(int(nights[0]), None if nights[1] is None else int(nights[1]))
            if nights
            else None,
            adults=data.get("adults"),
            children=data.get("children"),
            ages=[int(a) for a in data.get("ages") or []],
            budget=(budget[0], budget[1]) if budget else None,
            wishes=data.get("wishes"),
        )

    @property
    def complete(self) -> bool:
        return (
            self.destination is not None
            and self.when is not None
            and self.nights is not None
            and self.adults is not None
            and self.children is not None
            and len(self.ages) == self.children
            and self.budget is not None
            and self.wishes is not None
        )

    @property
    def started(self) -> bool:
        return self.destination is not None


# ---- validation -------------------------------------------------------------------------------


def parse_destination(text: str) -> str:
    value = " ".join((text or "").split())
    if not (DESTINATION_MIN <= len(value) <= DESTINATION_MAX) or not any(
        c.isalpha() for c in value
    ):
        raise InvalidInput("tour-error-destination", min=DESTINATION_MIN, max=DESTINATION_MAX)
    return value


def parse_count(text: str, low: int, high: int, key: str) -> int:
    value = (text or "").strip()
    if not value.isdigit() or not (low <= int(value) <= high):
        raise InvalidInput(key, min=low, max=high)
    return int(value)


class BudgetTooHigh(InvalidInput):
    """Above the configured ceiling; ``args_`` carry ``max`` (minor units) and ``currency``."""


_CURRENCY_WORDS = {
    "$": "USD",
    "usd": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "₴": "UAH",
    "uah": "UAH",
    "грн": "UAH",
    "гривень": "UAH",
    "гривен": "UAH",
    "dollars": "USD",
    "доларів": "USD",
    "долларов": "USD",
    "євро": "EUR",
    "евро": "EUR",
}
_LONG_NUMBER = re.compile(r"^\d{10,}(?:[.,]\d*)?$")
# zero ("0", "0,00") or a negative number ("-500", "−500"): a number, but not a budget
_NOT_POSITIVE = re.compile(r"^(?:0+(?:[.,]0*)?|[-−–]\d+(?:[.,]\d*)?)$")
_CURRENCY_IN_TEXT = re.compile(
    "|".join(re.escape(w) for w in sorted(_CURRENCY_WORDS, key=len, reverse=True)), re.I
)


def parse_budget(
    text: str, currency: str, ceiling: Mapping[str, int] | None = None
) -> tuple[int, str]:
    """``"1500"`` (in ``currency``), ``"2000 EUR"``, ``"$1 500"`` -> (minor units, currency).

    ``ceiling``: the largest budget per currency (minor units), from ``[tour_requests]``.
    """
    raw = text or ""
    found = _CURRENCY_IN_TEXT.search(raw)
    if found:
        currency = _CURRENCY_WORDS[found[0].lower()]
        raw = raw[: found.start()] + raw[found.end() :]
    if currency not in CURRENCIES:
        raise InvalidInput("tour-error-budget")
    limit = (ceiling or {}).get(currency)
    try:
        amount = parse_amount(raw, currency)
    except InvalidInput:
        number = raw.replace(" ", "").replace("\u00a0", "")
        # a number too long to be an amount is over any ceiling: say so, not "type a number"
        if limit is not None and _LONG_NUMBER.match(number):
            raise BudgetTooHigh("tour-error-budget-max", max=limit, currency=currency) from None
        # "0" is a number: the budget must be above zero, not "type the budget as a number"
        if _NOT_POSITIVE.match(number):
            raise InvalidInput("tour-error-budget-positive") from None
        raise InvalidInput("tour-error-budget") from None
    if limit is not None and amount > limit:
        raise BudgetTooHigh("tour-error-budget-max", max=limit, currency=currency)
    return amount, currency


def parse_wishes(text: str) -> str:
    value = (text or "").strip()
    if not value or len(value) > WISHES_MAX:
        raise InvalidInput("tour-error-wishes", max=WISHES_MAX)
    return value


# ---- rendering --------------------------------------------------------------------------------


def destination_label(t: T, value: str) -> str:
    """A destination as the reader says it: a country (kept as its ISO code, ``"EG"``) by its
    name in the reader's language, a typed destination as typed (:mod:`core.destinations`)."""
    return destinations.destination_label(t, value)


def month_label(locale: str, month: str) -> str:
    """``"2027-03"`` -> ``"March 2027"`` / ``"Березень 2027"``."""
    year, mon = (int(p) for p in month.split("-"))
    text = str(babel_date(date(year, mon, 1), format="LLLL yyyy", locale=locale))
    return text[:1].upper() + text[1:]


def nights_label(t: T, nights: tuple[int, int | None]) -> str:
    low, high = nights
    if high is None:
        return t("tour-nights-from", min=low)
    if high == low:
        return t("tour-nights-exact", count=low)
    return t("tour-nights-range", min=low, max=high)


def when_label(t: T, when: dict[str, str]) -> str:
    if "month" in when:
        return month_label(t.locale, when["month"])
    if "from" in when:
        start, end = date.fromisoformat(when["from"]), date.fromisoformat(when["to"])
        if start == end:  # a single date: the day to set off
            return t.date(start)
        return t("tour-dates-range", start=t.date(start), end=t.date(end))
    return t("tour-when-flexible")


def travellers_label(t: T, adults: int, ages: list[int]) -> str:
    text = t("tour-adults-count", count=adults)
    if ages:
        ages_text = ", ".join(str(a) for a in ages)
        text += ", " + t("tour-children-count", count=len(ages), ages=ages_text)
    return text


def budget_label(t: T, budget: tuple[int | None, str | None]) -> str:
    amount, currency = budget
    if amount is None or currency is None:
        return t("tour-budget-none")
    return t.money(amount, currency)


def render_summary(t: T, draft: Draft) -> str:
    dash = "—"
    lines = [
        t(
            "tour-summary-destination",
            value=destination_label(t, draft.destination) if draft.destination else dash,
        ),
        t("tour-summary-when", value=when_label(t, draft.when) if draft.when is not None else dash),
        t("tour-summary-nights", value=nights_label(t, draft.nights) if draft.nights else dash),
        t(
            "tour-summary-travellers",
            value=travellers_label(t, draft.adults, draft.ages) if draft.adults else dash,
        ),
        t("tour-summary-budget", value=budget_label(t, draft.budget) if draft.budget else dash),
        t("tour-summary-wishes", value=draft.wishes or dash),
    ]
    return "\n".join(lines)


def draft_of(request: TourRequest) -> Draft:
    nights = (request.nights_min, request.nights_max) if request.nights_min else None
    return Draft(
        destination=request.destination,
        when=dict(request.when or {}),
        nights=nights,
        adults=request.adults,
        children=len(request.children_ages or []),
        ages=list(request.children_ages or []),
        budget=(request.budget_amount, request.budget_currency),
        wishes=request.wishes,
    )


# ---- saving, notifying, taking ----------------------------------------------------------------


class AlreadySent(DomainError):
    """This very draft was confirmed before (a double tap, or a retried update)."""


async def create_request(
    services: Services, client: Client, draft: Draft, *, token: str | None = None
) -> TourRequest:
    """Save the confirmed draft under a fresh number and tell every active manager and admin.

    ``token`` identifies the draft: it is recorded in the same transaction as the request, so
    the same draft confirmed twice (even at the same moment) makes one request; the second
    attempt raises :class:`AlreadySent` and uses no number.
    """
    if not draft.complete:
        raise InvalidInput("tour-error-incomplete")
    assert draft.nights is not None and draft.budget is not None and draft.when is not None
    async with in_transaction() as conn:
        if token is not None:
            try:
                await ProcessedUpdate.create(channel=CONFIRM_LOG, key=token, using_db=conn)
            except IntegrityError:
                raise AlreadySent("tour-already-sent") from None
        number = await numbers.next_number(*numbers.REQUEST, connection=conn)
        request = await TourRequest.create(
            number=number,
            client=client,
            destination=draft.destination,
            when=draft.when,
            nights_min=draft.nights[0],
            nights_max=draft.nights[1],
            adults=draft.adults,
            children_ages=draft.ages,
            budget_amount=draft.budget[0],
            budget_currency=draft.budget[1],
            wishes=draft.wishes or "",
            using_db=conn,
        )
        await webhook_events.request_created(services, request)
    await audit(f"client:{client.id}", "tour-request-created", subject=f"request:{number}")
    await notify_new_request(services, client, request)
    return request


def new_request_notice(t: T, client: Client, request: TourRequest) -> Reply:
    text = "\n".join(
        [
            t(
                "take-new-request",
                number=request.number,
                name=client.display_name,
                phone=mask_phone(client.phone),
                id=str(client.id),
            ),
            "",
            render_summary(t, draft_of(request)),
        ]
    )
    return Reply(text, rows([Button(t("take-button"), encode("take", request.id))]))


async def notify_new_request(services: Services, client: Client, request: TourRequest) -> int:
    return await notify_roles(
        services,
        NOTIFY_ROLES,
        lambda t: new_request_notice(t, client, request),
        kind="tour-request",
        dedupe_key=f"tour-request:{request.id}",
        details={"request": request.number, "client": client.id},
    )


@dataclass(frozen=True, slots=True)
class TakeResult:
    request: TourRequest
    won: bool
    holder: Staff | None


def may_take(staff: Staff | None) -> bool:
    return staff is not None and staff.active and staff.role in NOTIFY_ROLES


async def take_request(services: Services, staff: Staff, request_id: int) -> TakeResult | None:
    """The first staff member to call this becomes the request's manager; None: no such request.

    One conditional ``UPDATE … WHERE manager_id IS NULL``: of two racing managers exactly one
    changes the row.
    """
    if not may_take(staff):
        return None
    now: datetime = services.clock.now()
    changed = await TourRequest.filter(
        id=request_id, manager_id__isnull=True, status=RequestStatus.NEW
    ).update(manager_id=staff.id, status=RequestStatus.TAKEN, taken_at=now)
    request = await TourRequest.get_or_none(id=request_id).prefetch_related("client", "manager")
    if request is None:
        return None
    if not changed:
        return TakeResult(request, request.manager_id == staff.id, request.manager)
    client: Client = request.client
    await Client.filter(id=client.id, manager_id__isnull=True).update(manager_id=staff.id)
    await audit(staff, "tour-request-taken", subject=f"request:{request.number}")
    await tell_client(
        services,
        client,
        lambda t: Reply(t("tour-taken-client", number=request.number, manager=staff.name)),
        kind="request-taken",
        dedupe_key=f"request-taken:{request.id}",
    )
    return TakeResult(request, True, staff)
