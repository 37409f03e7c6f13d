"""Importing clients: one row per client, deduplicated by the normalised phone.

Merge rules (a row whose phone we already have):

* an empty field of ours is filled from the file; a field we already have is kept, unless
  ``update=True`` (``--update``), when a non-empty cell replaces it. An empty cell never
  blanks anything out;
* tags are added to the client's tags (adding a label overwrites nothing);
* marketing consent is only ever set from an explicit consent column — a file without one
  leaves it "not asked" for new clients and untouched for known ones. It fills "not asked";
  with ``update=True`` a "no" withdraws consent, but no file ever turns a client's own "no"
  into "yes" (consent is the person's, not the agency's);
* the opening balance is a ledger entry of kind ``opening`` with the reference
  ``import:opening:<client id>:<currency>`` and the opening bonus an :class:`OpeningBonus` with
  ``import:bonus:<client id>`` (its points added to ``Client.bonus_points``): each is taken once
  per client, so a re-run changes nothing (by client id rather than phone: an erasure leaves no
  phone behind in the ledger). Later corrections are staff adjustments;
* a phone seen earlier in the same file makes the row a duplicate: the first row wins.

Identity (core/identity.py): an imported phone is the agency's data, not a messenger claim. It
is written on the client row and nothing else — no messenger account is linked. When someone
later shares that number in a messenger, the usual proof applies (their own Telegram contact,
a code sent to a linked messenger, or a manager's confirmation), so an imported client's data
(balance, trips) opens only to the person who proves the number. An import never touches
messenger accounts, phone claims or erased clients (their phone is gone).

Speed: rows are parsed and applied in batches of :data:`BATCH` — one query reads the batch's
known clients (locked), one ``bulk_create`` / ``bulk_update`` per table writes it — so 100,000
rows are a few hundred round trips, and memory holds one batch plus the set of phones seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from tortoise.transactions import in_transaction

from core.errors import InvalidInput
from core.imports import fields as cells
from core.imports.driver import Progress, import_rows
from core.imports.report import ImportReport, Issue, Mapper
from core.services import Services
from storage.models import Client, EntryKind, LedgerEntry, OpeningBonus

BATCH = 2000
NAME_LIMIT = 100


@dataclass(slots=True)
class Row:
    """One client row, parsed; ``None`` / empty: the file says nothing about that field."""

    line: int
    phone: str
    first_name: str = ""
    last_name: str = ""
    birthday: date | None = None
    gender: str | None = None
    email: str | None = None
    consent: bool | None = None
    balance: int = 0
    currency: str = ""
    bonus: int = 0
    tags: list[str] = field(default_factory=list)


def balance_reference(client_id: int, currency: str) -> str:
    """The opening balance's ledger reference: one per client and currency. By client id, not
    phone, so no personal data is left in the ledger after an erasure."""
    return f"import:opening:{client_id}:{currency}"


def bonus_reference(client_id: int) -> str:
    return f"import:bonus:{client_id}"


def parse_row(
    line: int, values: Mapping[str, Any], *, region: str, currency: str, today: date
) -> Row | Issue:
    """A :class:`Row` or the first :class:`Issue` that makes the row invalid."""
    current = "phone"
    try:
        if "phone" not in values:
            return Issue(line, "phone", "import-reason-missing")
        row = Row(line, cells.phone(values["phone"], region), currency=currency)
        for current, value in values.items():
            _take(row, current, value, today)
    except cells.BadValue as bad:
        return Issue(line, current, bad.key, str(values.get(current, ""))[:60])
    return row


def _take(row: Row, name: str, value: Any, today: date) -> None:
    if name == "first_name":
        row.first_name = cells.text(value, NAME_LIMIT)
    elif name == "last_name":
        row.last_name = cells.text(value, NAME_LIMIT)
    elif name == "full_name":
        first, last = cells.full_name(value)
        row.first_name = row.first_name or first
        row.last_name = row.last_name or last
    elif name == "birthday":
        row.birthday = cells.birthday(value, today)
    elif name == "gender":
        row.gender = cells.gender(value)
    elif name == "email":
        row.email = cells.email(value)
    elif name == "consent":
        row.consent = cells.consent(value)
    elif name == "balance":
        row.balance = cells.money(value, row.currency)
    elif name == "bonus":
        row.bonus = cells.points(value)
    elif name == "tags":
        row.tags = cells.tags(value)
    elif name == "currency":
        row.currency = cells.currency(value)


def merge(client: Client, row: Row, *, update: bool) -> list[str]:
    """Apply the merge rules to ``client`` in memory; the names of the fields that changed."""
    changed: list[str] = []

    def put(name: str, value: Any) -> None:
        if value in (None, "") or getattr(client, name) == value:
            return
        if update or getattr(client, name) in (None, ""):
            setattr(client, name, value)
            changed.append(name)

    for name in ("first_name", "last_name", "birthday", "gender", "email"):
        put(name, getattr(row, name))
    fills = client.marketing_consent is None or (update and row.consent is False)
    if row.consent is not None and client.marketing_consent is not row.consent and fills:
        client.marketing_consent = row.consent
        changed.append("marketing_consent")
    tags = sorted(set(client.tags or []) | set(row.tags))
    if tags != sorted(client.tags or []):
        client.tags = tags
        changed.append("tags")
    return changed


def new_client(row: Row, now: datetime, *, bonus: bool) -> Client:
    """A client for a phone we did not know; ``bonus``: the opening bonus is granted with it."""
    return Client(
        phone=row.phone,
        first_name=row.first_name,
        last_name=row.last_name,
        birthday=row.birthday,
        gender=row.gender,
        email=row.email,
        marketing_consent=row.consent,
        tags=row.tags,
        bonus_points=row.bonus if bonus else 0,
        lead_source="import",
        created_at=now,
    )


async def import_clients(
    services: Services,
    rows: Iterable[Mapping[str, Any]],
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    update: bool = False,
    headers: list[str] | None = None,
    first_line: int = 2,
    progress: Progress | None = None,
    actor: str = "import",
) -> ImportReport:
    """Import client rows (``{column: value}``, e.g. from :func:`core.imports.sources.open_sheet`).

    ``mapping`` overrides the guessed column -> field mapping (``{"Моб": "phone"}``; ``"-"``
    ignores a column). ``headers`` fixes the columns up front (a file's header line); without
    it columns are recognised as they appear. ``first_line`` is the line number of the first
    row, for the report. ``dry_run`` makes the same decisions and writes nothing. ``progress``
    is called with the number of rows done after each batch. Bad ``mapping`` raises
    :class:`~core.errors.InvalidInput`; bad rows are reported, never raised.
    """
    mapper = Mapper(cells.CLIENT_FIELDS, dict(mapping or {}))
    if headers is not None and "phone" not in mapper.fix(headers).values():
        raise InvalidInput("import-no-phone-column")
    agency = services.rules.agency
    today = services.clock.now().astimezone(agency.tz).date()

    async def apply(batch: list[Row], report: ImportReport) -> None:
        await _apply(batch, report, update=update, dry_run=dry_run, now=services.clock.now())

    return await import_rows(
        rows,
        mapper,
        parse=partial(parse_row, region=agency.country, currency=agency.currency, today=today),
        key_field="phone",
        key_of=lambda row: row.phone,
        apply=apply,
        batch_size=BATCH,
        dry_run=dry_run,
        first_line=first_line,
        progress=progress,
        actor=actor,
        action="clients-import",
    )


async def _apply(
    batch: list[Row], report: ImportReport, *, update: bool, dry_run: bool, now: datetime
) -> None:
    """One batch in one transaction: read what exists (locked), decide, write in bulk."""
    async with in_transaction():
        phones = [r.phone for r in batch]
        query = Client.filter(phone__in=phones)
        known = {str(c.phone): c for c in await (query if dry_run else query.select_for_update())}
        ids = {phone: client.id for phone, client in known.items()}
        refs = [
            balance_reference(ids[r.phone], r.currency)
            for r in batch
            if r.balance and r.phone in ids
        ]
        used = set(await LedgerEntry.filter(reference__in=refs).values_list("reference", flat=True))
        brefs = [bonus_reference(ids[r.phone]) for r in batch if r.bonus and r.phone in ids]
        granted = set(
            await OpeningBonus.filter(reference__in=brefs).values_list("reference", flat=True)
        )
        created: list[Client] = []
        changed: dict[str, Client] = {}
        fields_changed: set[str] = set()
        money = [
            r
            for r in batch
            if r.balance
            and (r.phone not in ids or balance_reference(ids[r.phone], r.currency) not in used)
        ]
        bonus = [
            r
            for r in batch
            if r.bonus and (r.phone not in ids or bonus_reference(ids[r.phone]) not in granted)
        ]
        granting = {r.phone for r in bonus}
        touched = {r.phone for r in money} | granting
        for row in batch:
            client = known.get(row.phone)
            if client is None:
                created.append(new_client(row, now, bonus=row.phone in granting))
                report.new += 1
                continue
            names = merge(client, row, update=update)
            if names:
                changed[row.phone] = client
                fields_changed.update(names)
            if names or row.phone in touched:
                report.updated += 1
            else:
                report.unchanged += 1
        report.ledger_entries += len(money)
        report.bonuses += len(bonus)
        if dry_run:
            return
        if created:
            await Client.bulk_create(created)
            made = await Client.filter(phone__in=[c.phone for c in created]).values_list(
                "phone", "id"
            )
            known.update({str(p): Client(id=i, phone=p) for p, i in made})
        if changed:
            await Client.bulk_update(list(changed.values()), fields=sorted(fields_changed))
        await _write_money(money, bonus, known, now, {c.phone for c in created})


async def _write_money(
    money: list[Row],
    bonus: list[Row],
    known: dict[str, Client],
    now: datetime,
    fresh: set[str | None],
) -> None:
    if money:
        await LedgerEntry.bulk_create(
            [
                LedgerEntry(
                    client_id=known[r.phone].id,
                    amount=r.balance,
                    currency=r.currency,
                    kind=EntryKind.OPENING,
                    reference=balance_reference(known[r.phone].id, r.currency),
                    reason="opening balance (import)",
                    created_at=now,
                )
                for r in money
            ]
        )
    if bonus:
        await OpeningBonus.bulk_create(
            [
                OpeningBonus(
                    client_id=known[r.phone].id,
                    points=r.bonus,
                    reference=bonus_reference(known[r.phone].id),
                )
                for r in bonus
            ]
        )
        # new clients were created with their points; known ones get them added
        points = {known[r.phone].id: r.bonus for r in bonus if r.phone not in fresh}
        if points:
            clients = await Client.filter(id__in=list(points)).only("id", "bonus_points")
            for client in clients:
                client.bonus_points += points[client.id]
            await Client.bulk_update(clients, fields=["bonus_points"])
