"""The audit log as sentences: "Iryna opened client Olena P.", "1,200 ₴ for T-0003 received
via LiqPay".

Each action key has one template in ``locales/<locale>/audit.ftl`` named ``audit-`` + the key
with dots turned into underscores (``staff.order.view`` -> ``audit-staff_order_view``);
``tests/test_audit_log.py`` reads every key the code can write and fails when one has no
sentence in a catalogue. A template gets the same arguments for every entry (unused ones are
ignored): who acted, the client / order / request / staff member / mailing it was about, and the
entry's details made readable (money in the locale's style, statuses and roles by their names).
Names are looked up for a whole page at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from core.i18n import T
from storage.models import AuditEntry, Client, Order, OrderStatus, PaymentIntent, Role, Staff

PROVIDERS = {"liqpay": "LiqPay", "wayforpay": "WayForPay"}


def template_key(action: str) -> str:
    """The catalogue key of an action's sentence (Fluent ids take no dots)."""
    return "audit-" + action.replace(".", "_")


def _ref(value: str, kind: str) -> str | None:
    head, _, tail = value.partition(":")
    return tail if head == kind and tail else None


def _int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def short_name(client: Client) -> str:
    """ "Olena P.": enough to recognise a client in a log line, no more."""
    first = (client.first_name or "").strip()
    last = (client.last_name or "").strip()
    if first and last:
        return f"{first} {last[0]}."
    return first or last


@dataclass
class _Names:
    """Everything a page of entries refers to, fetched once."""

    clients: dict[int, Client] = field(default_factory=dict)
    staff: dict[int, Staff] = field(default_factory=dict)
    orders_by_id: dict[int, Order] = field(default_factory=dict)
    orders_by_number: dict[str, Order] = field(default_factory=dict)
    intents: dict[int, PaymentIntent] = field(default_factory=dict)


def _client_ids(entry: AuditEntry) -> Iterable[int | None]:
    details = entry.details or {}
    yield _int(_ref(entry.actor, "client"))
    yield _int(_ref(entry.subject, "client"))
    for key in ("client", "from", "into", "claimant"):
        yield _int(details.get(key))


async def _names(entries: list[AuditEntry]) -> _Names:
    names = _Names()
    intent_ids = {i for e in entries if (i := _int(_ref(e.subject, "intent")))}
    if intent_ids:
        names.intents = {i.id: i for i in await PaymentIntent.filter(id__in=intent_ids)}
    client_ids = {c for e in entries for c in _client_ids(e) if c}
    client_ids |= {i.client_id for i in names.intents.values()}
    staff_ids = {s for e in entries for s in (_int(_ref(e.subject, "staff")),) if s}
    staff_ids |= {s for e in entries for s in (_int(_ref(e.actor, "staff")),) if s}
    order_ids = {o for e in entries if (o := _int(_ref(e.subject, "order-id")))}
    order_ids |= {i.order_id for i in names.intents.values() if i.order_id}
    numbers = {n for e in entries if (n := _ref(e.subject, "order"))}
    numbers |= {str(n) for e in entries if (n := (e.details or {}).get("order")) is not None}
    order_ids |= {int(n) for n in numbers if n.isdigit()}  # notices name orders by id
    if client_ids:
        names.clients = {c.id: c for c in await Client.filter(id__in=client_ids)}
    if staff_ids:
        names.staff = {s.id: s for s in await Staff.filter(id__in=staff_ids)}
    if order_ids:
        names.orders_by_id = {o.id: o for o in await Order.filter(id__in=order_ids)}
    if numbers:
        names.orders_by_number = {o.number: o for o in await Order.filter(number__in=numbers)}
    return names


class _Sentence:
    """The arguments of one entry's sentence."""

    def __init__(self, t: T, names: _Names, tz: tzinfo | None) -> None:
        self.t, self.names, self.tz = t, names, tz

    def client(self, client_id: int | None) -> str:
        client = self.names.clients.get(client_id or 0)
        shown = short_name(client) if client is not None else ""
        return shown or self.t("audit-client-number", id=str(client_id or "?"))

    def staff(self, staff_id: int | None) -> str:
        member = self.names.staff.get(staff_id or 0)
        return member.name if member is not None else self.t("audit-staff-number", id=str(staff_id))

    def who(self, entry: AuditEntry) -> str:
        if entry.staff is not None:
            return str(entry.staff.name)
        actor = entry.actor or ""
        if (client_id := _int(_ref(actor, "client"))) is not None:
            return self.client(client_id)
        if (staff_id := _int(_ref(actor, "staff"))) is not None:
            return self.staff(staff_id)
        kind = actor.partition(":")[0]
        return self.t(f"audit-who-{kind}") if kind in ("system", "cli", "account") else actor

    def order(self, entry: AuditEntry, intent: PaymentIntent | None) -> str:
        details = entry.details or {}
        by_number = _ref(entry.subject, "order") or details.get("order")
        if by_number is not None:
            found = self.names.orders_by_number.get(str(by_number))
            if found is None and (number_id := _int(by_number)) is not None:
                found = self.names.orders_by_id.get(number_id)
            return found.number if found is not None else str(by_number)
        order_id = _int(_ref(entry.subject, "order-id")) or (intent.order_id if intent else None)
        found = self.names.orders_by_id.get(order_id or 0)
        return found.number if found is not None else "—"

    def money(self, amount: object, currency: object) -> str:
        value = _int(amount) if not isinstance(amount, int) else amount
        if value is None or not isinstance(currency, str) or not currency:
            return "—"
        return self.t.money(value, currency)

    def status(self, value: object) -> str:
        try:
            return self.t(f"st-status-{OrderStatus(str(value)).value}")
        except ValueError:
            return str(value)

    def role(self, value: object) -> str:
        try:
            return self.t(f"st-role-{Role(str(value)).value}")
        except ValueError:
            return str(value)

    def reason(self, value: object) -> str:
        """Free text as written; a refusal recorded as a message key reads as its message."""
        text = str(value or "—")
        return self.t(text) if text.startswith("st-") and self.t.has(text) else text

    def when(self, value: object) -> str:
        if not isinstance(value, str):
            return "—"
        try:
            return self.t.datetime(datetime.fromisoformat(value), self.tz)
        except ValueError:
            return value

    def args(self, entry: AuditEntry) -> dict[str, Any]:
        details: dict[str, Any] = dict(entry.details or {})
        intent = self.names.intents.get(_int(_ref(entry.subject, "intent")) or 0)
        client_id = (
            _int(_ref(entry.subject, "client"))
            or _int(details.get("client"))
            or (intent.client_id if intent else None)
        )
        currency = details.get("currency") or (intent.currency if intent else None)
        provider = str(details.get("provider") or (intent.provider if intent else "") or "")
        args: dict[str, Any] = {
            "who": self.who(entry),
            "client": self.client(client_id),
            "order": self.order(entry, intent),
            "request": _ref(entry.subject, "request") or str(details.get("request") or "—"),
            "mailing": _ref(entry.subject, "mailing") or "—",
            "member": self.staff(_int(_ref(entry.subject, "staff"))),
            "amount": self.money(details.get("amount"), currency),
            "price": self.money(details.get("price"), currency),
            "provider": provider,
            "provider_name": PROVIDERS.get(provider, provider),
            "from_status": self.status(details.get("from")),
            "to_status": self.status(details.get("to")),
            "role": self.role(details.get("role")),
            "name": str(details.get("name") or "—"),
            "reason": self.reason(details.get("reason")),
            "query": str(details.get("query") or "—"),
            "found": _int(details.get("found")) or 0,
            "shown": _int(details.get("shown")) or 0,
            "page": (_int(details.get("page")) or 0) + 1,
            "recipients": _int(details.get("recipients")) or 0,
            "stars": _int(details.get("stars")) or 0,
            "clients": _int(details.get("clients")) or 0,
            "due": self.when(details.get("due_at")),
            "deadline": self.when(details.get("deadline")),
            "expires": self.when(details.get("expires_at")),
            "route": str(details.get("route") or "—"),
            "channel": str(details.get("channel") or "—"),
            "forced": "yes" if details.get("forced") else "no",
            "merged": self.client(_int(details.get("from"))),
            "destination": str(details.get("destination") or "—"),
            "filter": str(details.get("filter") or "—"),
            "kind": str(details.get("kind") or "—"),
            "via": str(details.get("via") or "—"),
        }
        return args


async def sentences(t: T, entries: list[AuditEntry], tz: tzinfo | None) -> list[str]:
    """One readable line per entry (newest first as given), in ``t``'s language."""
    names = await _names(entries)
    sentence = _Sentence(t, names, tz)
    lines = []
    for entry in entries:
        args = sentence.args(entry)
        key = template_key(entry.action)
        text = (
            t(key, **args) if t.has(key) else t("audit-other", who=args["who"], action=entry.action)
        )
        lines.append(t("audit-line", when=t.datetime(entry.created_at, tz), text=text))
    return lines
