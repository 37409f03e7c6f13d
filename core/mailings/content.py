"""A mailing's content: a text per language with {variables}, a picture, link buttons, and the
Unsubscribe button every message carries.

Each client gets the text of their language, else the ``default`` text (``--text``), else
the text of the agency's default language. Variables are checked when the mailing is created
(an unknown one is refused with its name) and filled per client in batches
(:func:`client_values`), only the ones the texts use.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from tortoise.functions import Sum

from core.contract import Button, LinkButton, Media, Reply
from core.errors import InvalidInput
from core.i18n import T
from core.mailings.audience import COUNTED, OWING
from core.payloads import encode
from storage.models import Client, LedgerEntry, Order, Staff

VARIABLES = (
    "first_name",
    "name",
    "manager",
    "balance",
    "bonus",
    "next_trip",
    "destination",
    "due_amount",
    "due_date",
)
DEFAULT = "default"  # the key of the text for every language without its own
MAX_LINKS = 3
MAX_TEXT = 3500
UNSUBSCRIBE = "unsub"  # button payload action: ``1|unsub|<mailing id>``


def variables_in(text: str) -> list[str]:
    """The {variables} a text uses; :class:`InvalidInput` for unknown ones or broken braces."""
    found: list[str] = []
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput("mailing-bad-braces") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in VARIABLES or spec or conversion:
            # named as written: {first_name:>10} is not a variable, {first_name} is
            written = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise InvalidInput(
                "mailing-unknown-variable",
                variable="{" + written + "}",
                known=", ".join("{" + v + "}" for v in VARIABLES),
            )
        if name not in found:
            found.append(name)
    return found


def used_variables(texts: Iterable[str]) -> tuple[str, ...]:
    """Every variable the texts use, once, in order of appearance."""
    used: list[str] = []
    for text in texts:
        used += [v for v in variables_in(text) if v not in used]
    return tuple(used)


def _http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url


@dataclass(frozen=True)
class Content:
    texts: dict[str, str]  # locale (or "default") -> template
    picture_url: str | None = None
    links: tuple[tuple[str, str], ...] = ()  # (label, url)
    variables: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def build(
        cls,
        texts: dict[str, str],
        *,
        locales: Iterable[str],
        picture_url: str | None = None,
        links: Iterable[tuple[str, str]] = (),
    ) -> Content:
        """Validate everything a mailing's content may get wrong; raises :class:`InvalidInput`."""
        enabled = set(locales) | {DEFAULT}
        cleaned = {k: v.strip() for k, v in texts.items() if v is not None and v.strip()}
        if not cleaned:
            raise InvalidInput("mailing-no-text")
        for key, text in cleaned.items():
            if key not in enabled:
                raise InvalidInput("mailing-bad-language", language=key)
            if len(text) > MAX_TEXT:
                raise InvalidInput("mailing-text-too-long", limit=MAX_TEXT)
        used = used_variables(cleaned.values())
        link_list = tuple((label.strip(), url.strip()) for label, url in links)
        if len(link_list) > MAX_LINKS:
            raise InvalidInput("mailing-too-many-links", limit=MAX_LINKS)
        for label, url in link_list:
            if not label or not _http_url(url):
                raise InvalidInput("mailing-bad-link", url=url)
        if picture_url is not None and not _http_url(picture_url.strip()):
            raise InvalidInput("mailing-bad-picture", url=picture_url)
        return cls(
            cleaned,
            picture_url.strip() if picture_url else None,
            link_list,
            used,
        )

    def template_for(self, locale: str, default_locale: str) -> str:
        for key in (locale, DEFAULT, default_locale):
            if key in self.texts:
                return self.texts[key]
        return next(iter(self.texts.values()))


def render(
    content: Content,
    t: T,
    values: dict[str, str],
    template: str,
    mailing_id: int,
    *,
    button: bool = True,
) -> Reply:
    """The message one client gets: their text filled in, links, and the Unsubscribe button
    (``button``; a channel without buttons has its sender add its own opt-out)."""
    text = template.format_map(values)
    buttons: list[tuple[Any, ...]] = [(LinkButton(label, url),) for label, url in content.links]
    if button:
        buttons.append((Button(t("mailing-unsubscribe"), encode(UNSUBSCRIBE, mailing_id)),))
    media = Media("photo", content.picture_url) if content.picture_url else None
    return Reply(text, tuple(buttons), media=media)


def _blank(t: T) -> str:
    return t("mailing-var-none")


async def client_values(
    clients: list[Client],
    needed: Iterable[str],
    translators: dict[int, T],
    *,
    today: date,
    currency: str,
    agency: str,
) -> dict[int, dict[str, str]]:
    """The variables of each client (only those in ``needed``), with a few queries per batch."""
    wanted = set(needed)
    ids = [c.id for c in clients]
    managers: dict[int, str] = {}
    if "manager" in wanted:
        manager_ids = {c.manager_id for c in clients if c.manager_id}
        managers = {s.id: s.name for s in await Staff.filter(id__in=list(manager_ids))}
    balances: dict[int, int] = {}
    if "balance" in wanted:
        rows = (
            await LedgerEntry.filter(client_id__in=ids, currency=currency)
            .annotate(total=Sum("amount"))
            .group_by("client_id")
            .values("client_id", "total")
        )
        balances = {int(r["client_id"]): int(r["total"] or 0) for r in rows}
    orders: dict[int, list[Order]] = {}
    if wanted & {"next_trip", "destination", "due_amount", "due_date"}:
        for order in await Order.filter(
            client_id__in=ids, status__in=[s.value for s in COUNTED]
        ).order_by("id"):
            orders.setdefault(order.client_id, []).append(order)
    out: dict[int, dict[str, str]] = {}
    for client in clients:
        t = translators[client.id]
        mine = orders.get(client.id, [])
        upcoming = sorted(
            (o for o in mine if o.departure_date and o.departure_date >= today),
            key=lambda o: o.departure_date or today,
        )
        owing = [
            o for o in mine if o.status in OWING and o.remaining > 0 and o.currency == currency
        ]
        dues = sorted(o.due_date for o in owing if o.due_date)
        latest_trip = upcoming[0] if upcoming else (mine[-1] if mine else None)
        values = {
            "first_name": client.first_name.strip() or t("mailing-var-friend"),
            "name": " ".join(p for p in (client.first_name, client.last_name) if p).strip()
            or t("mailing-var-friend"),
            "manager": managers.get(client.manager_id or 0, "") or agency,
            "balance": t.money(balances.get(client.id, 0), currency),
            "bonus": str(client.bonus_points),
            "next_trip": t.date(upcoming[0].departure_date) if upcoming else _blank(t),
            "destination": latest_trip.destination if latest_trip else _blank(t),
            "due_amount": t.money(sum(o.remaining for o in owing), currency),
            "due_date": t.date(dues[0]) if dues else _blank(t),
        }
        out[client.id] = {k: v for k, v in values.items() if k in wanted}
    return out
