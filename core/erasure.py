"""The right to erasure: wipe a client's personal data, keep the money trail.

An admin erases a client (in chat or with ``tourdesk clients erase``). Names, phone, birthday,
e-mail and message texts go; messenger accounts are unlinked, so the person who writes again
is a brand-new client; orders and ledger rows stay for accounting, pointing at the anonymised
client ("Erased client #N"). Refused while money is open unless forced with a reason. Audited
without personal data; the client is told in their language before their accounts go.

:data:`PLAN` lists every table and column this module touches, in one place.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode

import phonenumbers
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.transactions import in_transaction

from core import ledger
from core.audit import audit_at
from core.clients import normalise_phone
from core.contract import Address, AnyButton, Button, Reply, rows
from core.delivery import UNSENT
from core.errors import DomainError, InvalidInput, NotFound
from core.i18n import T
from core.payloads import encode
from core.relay import tell_client
from core.services import Services
from core.staff import roles, routes
from core.state import State
from storage.models import (
    AuditEntry,
    Client,
    ConversationState,
    FollowUp,
    IntentStatus,
    Job,
    LedgerEntry,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    PaymentIntent,
    PhoneClaim,
    ProviderEvent,
    Staff,
    TourRequest,
    WebhookDelivery,
    WebhookEvent,
)

ERASED = "[erased]"  # what replaces a piece of personal data inside a kept text
ERASED_BODY: dict[str, Any] = {"text": "", "buttons": [], "erased": True}
PAGE = 500
REASON_MAX = 500


def anonymous_name(client_id: int) -> str:
    return f"Erased client #{client_id}"


@dataclass(frozen=True, slots=True)
class Wipe:
    table: str
    columns: tuple[str, ...]
    rows: str
    how: str


# ---- everything erasure touches, in one place ---------------------------------------------------
# A new table or column that can hold personal data belongs here. The first two lists are run
# as they stand; PLAN describes the steps that need their own code (outbox, provider events,
# accounts, state), and the whole of it for readers.

# Columns of the client's own rows, and what they become.
OWN_ROWS: tuple[tuple[type[Model], dict[str, Any]], ...] = (
    (TourRequest, {"wishes": "", "children_ages": []}),
    (Order, {"review_comment": None}),
    (FollowUp, {"note": ""}),
)

# Text and JSON columns of EVERY row, where the client's strings are replaced by [erased].
SCRUBBED: tuple[tuple[type[Model], tuple[str, ...]], ...] = (
    (AuditEntry, ("details",)),
    (LedgerEntry, ("reason",)),
    (Job, ("payload", "error")),
    (ConversationState, ("data",)),
    (FollowUp, ("note",)),
    (TourRequest, ("wishes",)),
    (Order, ("review_comment",)),
    (WebhookEvent, ("data",)),  # what we told the CRM; delivered copies are the CRM's own
    (WebhookDelivery, ("response", "error")),
)

PLAN: tuple[Wipe, ...] = (
    Wipe(
        "clients",
        ("first_name", "last_name"),
        "the client",
        'first name becomes "Erased client #N", last name empty',
    ),
    Wipe(
        "clients",
        (
            "phone",
            "birthday",
            "gender",
            "email",
            "tags",
            "card_number",
            "lead_source",
            "marketing_consent",
        ),
        "the client",
        "emptied (consent off); erased_at and forget_requested_at set",
    ),
    Wipe(
        "messenger_accounts",
        ("name", "client_id"),
        "the client's accounts",
        "profile name emptied, unlinked from the client",
    ),
    Wipe(
        "conversation_states",
        ("state", "data"),
        "the client's accounts (through the state store: Redis keys or database rows)",
        "emptied; database rows deleted",
    ),
    Wipe(
        "outbox",
        ("body",),
        "the client's messages (both ways) and staff copies of relayed messages",
        "text and buttons wiped; unsent ones cancelled; the farewell kept",
    ),
    Wipe(
        "outbox",
        ("body", "meta", "error"),
        "every other message (staff notices about the client)",
        "the client's strings replaced by [erased] (first or last name alone only in rows "
        "whose buttons or meta point at the client or their orders)",
    ),
    Wipe(
        "provider_events",
        ("body",),
        "events of the client's payment intents",
        "payer fields (names, phones, e-mails, cards, IP) emptied; amounts and ids kept",
    ),
    Wipe(
        "provider_events",
        ("body",),
        "events not tied to an intent",
        "the client's strings replaced by [erased]",
    ),
    Wipe("payment_intents", ("status",), "the client's pending intents", "cancelled"),
    Wipe(
        "webhook_events",
        ("data",),
        "events about the client (client_id)",
        "the client's strings, first or last name alone included, replaced by [erased]",
    ),
    Wipe("phone_claims", ("phone",), "claims by or on the client, or of their phone", "deleted"),
    *(
        Wipe(m._meta.db_table, tuple(values), "the client's rows", "emptied")
        for m, values in OWN_ROWS
    ),
    *(
        Wipe(m._meta.db_table, columns, "every row", "the client's strings replaced by [erased]")
        for m, columns in SCRUBBED
    ),
)

# Keys of provider payloads that carry the payer's identity (LiqPay sender_*, WayForPay
# clientName / email / phone / cardPan, any provider's ip).
PERSONAL_KEY = re.compile(r"name|phone|mail|sender|card|client|customer|payer|address|^ip$", re.I)


class OpenMoney(DomainError):
    """Erasure refused: the client still has money in play."""

    def __init__(self, summary: OpenMoneySummary) -> None:
        super().__init__("erasure-refused-open-money")
        self.summary = summary


@dataclass(frozen=True, slots=True)
class OpenMoneySummary:
    balances: dict[str, int] = field(default_factory=dict)  # non-zero only
    orders: tuple[tuple[str, int, int, str], ...] = ()  # number, remaining, paid, currency
    pending_payments: int = 0

    def __bool__(self) -> bool:
        return bool(self.balances or self.orders or self.pending_payments)

    def lines(self, t: T) -> list[str]:
        """What is open, one line each, in the reader's language."""
        found = [
            t("erasure-open-balance", amount=t.money(v, c))
            for c, v in sorted(self.balances.items())
        ]
        for number, unpaid, paid, currency in self.orders:
            if unpaid:
                found.append(
                    t("erasure-open-order-unpaid", number=number, amount=t.money(unpaid, currency))
                )
            else:
                found.append(
                    t("erasure-open-order-paid", number=number, amount=t.money(paid, currency))
                )
        if self.pending_payments:
            found.append(t("erasure-open-links", count=self.pending_payments))
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "balances": self.balances,
            "orders": [list(o) for o in self.orders],
            "pending_payments": self.pending_payments,
        }


@dataclass(frozen=True, slots=True)
class Erased:
    client_id: int
    already: bool = False
    forced: bool = False
    told: int = 0
    unlinked: int = 0


def request_buttons(t: T, client_id: int) -> tuple[tuple[AnyButton, ...], ...]:
    """The buttons of the admins' notice about a client's "Forget me": Erase / Decline / card."""
    return rows(
        [
            Button(t("erasure-button-erase"), encode(routes.ERASE, client_id)),
            Button(t("erasure-button-decline"), encode(routes.ERASE_DECLINE, client_id)),
        ],
        [Button(t("st-open-client"), encode(routes.CLIENT, client_id))],
    )


# ---- what is open -------------------------------------------------------------------------------


async def open_money(client: Client, services: Services) -> OpenMoneySummary:
    """Money still in play: a non-zero balance in any currency, a booked (or completed) order
    not fully paid, a cancelled order still holding paid money, or a payment link that may
    still be paid. Drafts owe nothing yet."""
    balances = {c: v for c, v in (await ledger.balances(client.id)).items() if v}
    orders: list[tuple[str, int, int, str]] = []
    for order in await Order.filter(client_id=client.id).order_by("id"):
        status = OrderStatus(order.status)
        unpaid = status not in (OrderStatus.CANCELLED, OrderStatus.DRAFT) and order.remaining
        refundable = status is OrderStatus.CANCELLED and order.paid > 0
        if unpaid or refundable:
            orders.append(
                (order.number, order.remaining if unpaid else 0, order.paid, order.currency)
            )
    pending = await PaymentIntent.filter(
        client_id=client.id, status=IntentStatus.PENDING, expires_at__gt=services.clock.now()
    ).count()
    return OpenMoneySummary(balances, tuple(orders), pending)


# ---- what counts as personal --------------------------------------------------------------------


@dataclass
class Needles:
    """The client's personal strings: ``strong`` ones are wiped wherever they appear; ``weak``
    ones (a first or a last name alone) only in rows known to be about the client, and as whole
    words in the audit log."""

    strong: set[str] = field(default_factory=set)
    weak: set[str] = field(default_factory=set)

    def add(self, value: object, *, weak: bool = False) -> None:
        text = " ".join(str(value or "").split())
        if len(text) >= 3:
            (self.weak if weak else self.strong).add(text)

    def pattern(self, *, with_weak: bool) -> re.Pattern[str] | None:
        words = sorted(self.strong | (self.weak if with_weak else set()), key=len, reverse=True)
        if not words:
            return None
        return re.compile("|".join(re.escape(w) for w in words), re.I)

    def weak_words(self) -> re.Pattern[str] | None:
        if not self.weak:
            return None
        words = sorted(self.weak, key=len, reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I)


def phone_forms(phone: str) -> list[str]:
    """The ways a phone is written in texts and payloads: +380671234567, 380671234567,
    0671234567 and 067 123 45 67."""
    forms = [phone, phone.lstrip("+")]
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return forms
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    forms += [national, re.sub(r"\D", "", national)]
    return forms


def birthday_forms(day: date) -> list[str]:
    return [day.isoformat(), day.strftime("%d.%m.%Y"), day.strftime("%d/%m/%Y")]


async def collect_needles(client: Client, accounts: list[MessengerAccount]) -> Needles:
    needles = Needles()
    first, last = client.first_name.strip(), client.last_name.strip()
    if first and last:
        needles.add(f"{first} {last}")
        needles.add(f"{last} {first}")
        needles.add(first, weak=True)
        needles.add(last, weak=True)
    else:
        needles.add(first or last)
    if client.phone:
        for form in phone_forms(client.phone):
            needles.add(form)
    if client.birthday:
        for form in birthday_forms(client.birthday):
            needles.add(form)
    if client.card_number:
        needles.add(client.card_number)
    for account in accounts:  # a one-word profile name ("Max") is too common to chase everywhere
        needles.add(account.name, weak=" " not in account.name.strip())
    for event in await _client_events(client.id):
        for key, value in _personal_values(_decode_event(event.body)):
            if "name" in key.lower() and " " not in value.strip():
                needles.add(value, weak=True)
            else:
                needles.add(value)
    return needles


# ---- replacing inside values --------------------------------------------------------------------


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """``value`` (text, or JSON made of dicts, lists and scalars) with every match replaced."""
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    return value


def blank_personal(value: Any) -> Any:
    """A provider payload with the values of the payer's identity fields emptied."""
    if isinstance(value, dict):
        return {
            k: (
                ""
                if PERSONAL_KEY.search(str(k)) and not isinstance(v, dict | list)
                else blank_personal(v)
            )
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [blank_personal(v) for v in value]
    return value


def _personal_values(value: Any) -> Iterable[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list):
                yield from _personal_values(v)
            elif PERSONAL_KEY.search(str(k)) and isinstance(v, str | int) and str(v).strip():
                yield str(k), str(v)
    elif isinstance(value, list):
        for v in value:
            yield from _personal_values(v)


def _decode_event(body: str) -> Any:
    """A provider event body as JSON: a JSON body, or a LiqPay form whose ``data`` is base64."""
    text = body.strip()
    if text.startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError:
            return None
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "data" in form:
        try:
            return json.loads(base64.b64decode(form["data"], validate=True))
        except (ValueError, binascii.Error):
            return None
    return None


def _redact_event(body: str, pattern: re.Pattern[str] | None) -> str:
    """The same body with the payer's fields emptied and the client's strings replaced, in the
    format it came in (the provider's signature no longer matches, which is the point)."""
    text = body.strip()
    decoded = _decode_event(body)
    if decoded is not None:
        cleaned = blank_personal(decoded)
        if pattern is not None:
            cleaned = scrub(cleaned, pattern)
        dumped = json.dumps(cleaned, ensure_ascii=False)
        if text.startswith(("{", "[")):
            return dumped
        form = dict(parse_qsl(text, keep_blank_values=True))
        form["data"] = base64.b64encode(dumped.encode()).decode()
        return urlencode(form)
    return pattern.sub(ERASED, body) if pattern is not None else body


async def _client_events(client_id: int) -> list[ProviderEvent]:
    intents = await PaymentIntent.filter(client_id=client_id).values_list("id", flat=True)
    if not intents:
        return []
    return await ProviderEvent.filter(intent_id__in=list(intents))


async def _scrub_rows(
    model: type[Model], columns: Iterable[str], pattern: re.Pattern[str], query: Q | None = None
) -> int:
    """Replace matches of ``pattern`` in ``columns`` of every row (of ``query``), page by page."""
    changed = 0
    last = 0
    columns = list(columns)
    while True:
        base = model.filter(id__gt=last)
        if query is not None:
            base = base.filter(query)
        page = await base.order_by("id").limit(PAGE).values("id", *columns)
        if not page:
            return changed
        for row in page:
            last = int(row["id"])
            updates = {}
            for column in columns:
                value = row[column]
                if value is None:
                    continue
                cleaned = scrub(value, pattern)
                if cleaned != value:
                    updates[column] = cleaned
            if updates:
                await model.filter(id=row["id"]).update(**updates)
                changed += 1


# ---- the steps ----------------------------------------------------------------------------------


async def _tell(services: Services, client: Client, accounts: list[MessengerAccount]) -> list[int]:
    """The farewell, in the client's language, to each reachable account (before unlinking)."""
    t = services.translator(client.locale)
    ids = []
    for account in accounts:
        if not account.reachable:
            continue
        row = await services.outbox.enqueue(
            account,
            Reply(t("erasure-done-client")),
            kind="erasure-done",
            dedupe_key=f"erased:{client.id}:a{account.id}",
        )
        if row is not None:
            ids.append(row.id)
    return ids


def _client_payloads(client_id: int, order_ids: Iterable[int]) -> set[str]:
    found = {encode(a, client_id) for a in (routes.CLIENT, routes.ERASE, routes.ERASE_DECLINE)}
    found.add(encode("reply", client_id))
    found |= {encode(routes.ORDER, o) for o in order_ids}
    return found


def _about_client(row: dict[str, Any], client_id: int, payloads: set[str]) -> bool:
    meta = row.get("meta") or {}
    if meta.get("relay_client") == client_id:
        return True
    for line in (row.get("body") or {}).get("buttons") or []:
        for button in line:
            payload = str(button.get("payload") or "")
            if any(payload == p or payload.startswith(p + "|") for p in payloads):
                return True
    return False


async def _wipe_outbox(
    client: Client, keep: list[int], needles: Needles, order_ids: list[int]
) -> None:
    own = OutboxMessage.filter(client_id=client.id).exclude(id__in=keep or [0])
    # unsent ones (queued, or claimed by a worker right now) are cancelled: the claim holder
    # finds its claim gone and sends nothing more
    await own.filter(status__in=UNSENT).update(status=OutboxStatus.CANCELLED, claim_token=None)
    await own.update(body=ERASED_BODY)
    strong = needles.pattern(with_weak=False)
    linked = needles.pattern(with_weak=True)
    payloads = _client_payloads(client.id, order_ids)
    last = 0
    # every row but the farewell (the client's own are wiped already; NULL-safe, unlike
    # excluding client_id)
    others = OutboxMessage.exclude(id__in=keep or [0])
    while True:
        page = (
            await others.filter(id__gt=last)
            .order_by("id")
            .limit(PAGE)
            .values("id", "status", "body", "meta", "error")
        )
        if not page:
            return
        for row in page:
            last = int(row["id"])
            about = _about_client(row, client.id, payloads)
            if about and (row["meta"] or {}).get("relay_client") == client.id:
                wiped: dict[str, Any] = {"body": ERASED_BODY}
                if row["status"] in UNSENT:
                    wiped["status"] = OutboxStatus.CANCELLED  # never send an empty message
                    wiped["claim_token"] = None
                await OutboxMessage.filter(id=last).update(**wiped)
                continue
            pattern = linked if about else strong
            if pattern is None:
                continue
            updates = {}
            for column in ("body", "meta", "error"):
                if row[column] is not None:
                    cleaned = scrub(row[column], pattern)
                    if cleaned != row[column]:
                        updates[column] = cleaned
            if updates:
                await OutboxMessage.filter(id=last).update(**updates)


async def _wipe_events(client: Client, needles: Needles) -> None:
    linked = needles.pattern(with_weak=True)
    for event in await _client_events(client.id):
        cleaned = _redact_event(event.body, linked)
        if cleaned != event.body:
            await ProviderEvent.filter(id=event.id).update(body=cleaned)
    strong = needles.pattern(with_weak=False)
    if strong is None or not needles.strong:
        return
    loose = Q(*[Q(body__icontains=n) for n in needles.strong], join_type="OR")
    for event in await ProviderEvent.filter(loose, intent_id__isnull=True):
        await ProviderEvent.filter(id=event.id).update(body=_redact_event(event.body, strong))


async def _wipe_texts(client: Client, needles: Needles) -> None:
    for model, values in OWN_ROWS:
        await model.filter(client_id=client.id).update(**values)
    strong = needles.pattern(with_weak=False)
    if strong is not None:
        for model, columns in SCRUBBED:
            await _scrub_rows(model, columns, strong)
    about = needles.pattern(with_weak=True)
    if about is not None:  # what the CRM was told about the client: names alone too
        await _scrub_rows(WebhookEvent, ["data"], about, Q(client_id=client.id))
    words = needles.weak_words()
    if words is not None:
        await _scrub_rows(AuditEntry, ["details"], words)


async def _drop_claims(client: Client) -> None:
    """Phone claims hold a phone number: those made by the client and those on the client go."""
    mine = Q(claimant_id=client.id) | Q(target_id=client.id)
    if client.phone:
        mine |= Q(phone=client.phone)
    await PhoneClaim.filter(mine).delete()


async def _forget_states(services: Services, accounts: list[MessengerAccount]) -> None:
    """Whatever store keeps conversation state: emptied; database rows: gone."""
    for account in accounts:
        await services.states.save(Address(account.channel, account.external_id), State())
        await ConversationState.filter(
            channel=account.channel, external_id=account.external_id
        ).delete()


def _clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if len(text) > REASON_MAX:
        raise InvalidInput("erasure-reason-too-long", max=REASON_MAX)
    return text


async def erase(
    services: Services,
    client_id: int,
    *,
    by: Staff | None,
    force: bool = False,
    reason: str | None = None,
) -> Erased:
    """Erase one client's personal data. ``by`` is the admin (None: the operator's CLI).

    Raises :class:`OpenMoney` when money is open and ``force`` is not set, and
    :class:`InvalidInput` when ``force`` comes without a reason. Erasing twice is harmless.
    """
    if by is not None:
        roles.check(by, roles.ADMINS)
    note = _clean_reason(reason)
    if force and not note:
        raise InvalidInput("erasure-reason-needed")
    now = services.clock.now()
    async with in_transaction():
        # the ledger's lock order: payment intents, then the client
        await (
            PaymentIntent.filter(client_id=client_id, status=IntentStatus.PENDING)
            .select_for_update()
            .values_list("id", flat=True)
        )
        client = await Client.filter(id=client_id).select_for_update().first()
        if client is None:
            raise NotFound("erasure-client-not-found")
        if client.erased_at is not None:
            return Erased(client.id, already=True)
        money = await open_money(client, services)
        if money and not force:
            raise OpenMoney(money)
        accounts = list(await MessengerAccount.filter(client_id=client.id).order_by("id"))
        needles = await collect_needles(client, accounts)
        order_ids = [o.id for o in await Order.filter(client_id=client.id).only("id")]
        told = await _tell(services, client, accounts)
        await _wipe_outbox(client, told, needles, order_ids)
        await _wipe_events(client, needles)
        await _wipe_texts(client, needles)
        await PaymentIntent.filter(client_id=client.id, status=IntentStatus.PENDING).update(
            status=IntentStatus.CANCELLED
        )
        await _drop_claims(client)
        requested = client.forget_requested_at is not None
        await Client.filter(id=client.id).update(
            first_name=anonymous_name(client.id),
            last_name="",
            phone=None,
            birthday=None,
            gender=None,
            email=None,
            tags=[],
            card_number=None,
            lead_source=None,
            marketing_consent=False,
            forget_requested_at=client.forget_requested_at or now,
            erased_at=now,
        )
        await _forget_states(services, accounts)
        await MessengerAccount.filter(id__in=[a.id for a in accounts] or [0]).update(
            name="", client_id=None
        )
        strong = needles.pattern(with_weak=True)
        await audit_at(
            by if by is not None else "cli",
            "client.erased",
            at=now,
            subject=f"client:{client.id}",
            details={
                "forced": bool(money) and force,
                "reason": strong.sub(ERASED, note) if strong is not None else note,
                "requested_by_client": requested,
                "open_money": money.as_dict() if money else {},
                "accounts_unlinked": len(accounts),
            },
        )
    services.outbox.wakeup.set()
    return Erased(client.id, forced=bool(money) and force, told=len(told), unlinked=len(accounts))


async def decline(services: Services, client_id: int, *, by: Staff) -> Client:
    """An admin keeps the data: the request is closed, the client told, the audit records it."""
    roles.check(by, roles.ADMINS)
    client = await Client.get_or_none(id=client_id)
    if client is None:
        raise NotFound("erasure-client-not-found")
    if client.erased_at is not None:
        raise InvalidInput("erasure-already-erased", id=str(client.id))
    if client.forget_requested_at is None:
        raise InvalidInput("erasure-no-request", id=str(client.id))
    now = services.clock.now()
    await Client.filter(id=client.id).update(forget_requested_at=None)
    await tell_client(
        services,
        client,
        lambda t: Reply(t("erasure-declined-client")),
        kind="erasure-declined",
        dedupe_key=f"erase-declined:{client.id}:{int(now.timestamp())}",
    )
    await audit_at(by, "client.erase-declined", at=now, subject=f"client:{client.id}")
    client.forget_requested_at = None
    return client


async def find_client(client_id: int | None, phone: str | None, region: str) -> Client:
    """The client by id or by phone (any usual spelling); :class:`NotFound` otherwise."""
    if client_id is not None:
        client = await Client.get_or_none(id=client_id)
    else:
        client = await Client.get_or_none(phone=normalise_phone(phone or "", region))
    if client is None:
        raise NotFound("erasure-client-not-found")
    return client
