"""The points ledger: append-only, one unique reference per entry, a balance is the sum.

A positive entry is a *lot* with its own expiry (``expires_at``; None: never). Negative
entries use lots oldest-expiry first (FIFO): :func:`allocate` replays a client's entries and
says what is left of each lot — the one rule both the expiry job and the statement read, so
"N points expire on D" is always what the expiry will take.

Writers hold the client's row lock inside a transaction (:func:`core.ledger.lock_client`), as
the money ledger's do, so a balance check and the entry it allows never interleave. A balance
never goes below zero: a spend is refused, a clawback takes at most what is there.
``Client.bonus_points`` mirrors the sum in the same transaction (mailing segments and
variables read it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Sum

from core.errors import DomainError
from storage.models import Client, PointsEntry, PointsKind


class NotEnoughPoints(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class Lot:
    """What is left of one positive entry."""

    entry_id: int
    left: int
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class Move:
    """The part of an entry :func:`allocate` needs (pure, so a model can share it in tests)."""

    id: int
    points: int
    expires_at: datetime | None = None
    lot_id: int | None = None


def _fifo_key(lot: Lot) -> tuple[bool, datetime | None, int]:
    return (lot.expires_at is None, lot.expires_at, lot.entry_id)


def allocate(moves: Iterable[Move]) -> list[Lot]:
    """Replay ``moves`` (in order of writing): what is left of each lot, oldest expiry first.

    A negative move about one lot (an expiry) takes from that lot; any other takes from the
    lots that expire first. Lots emptied are dropped.
    """
    return _replay(moves, None)[0]


def drawn_by(moves: Iterable[Move], move_id: int) -> list[Lot]:
    """What the negative move ``move_id`` took from each lot (``left``: the points taken), as
    :func:`allocate` replays it: where points given back came from, and so their expiry."""
    return _replay(moves, move_id)[1]


def _replay(moves: Iterable[Move], watch: int | None) -> tuple[list[Lot], list[Lot]]:
    taken: list[Lot] = []
    left: dict[int, int] = {}
    expiry: dict[int, datetime | None] = {}
    for move in moves:
        if move.points > 0:
            left[move.id] = move.points
            expiry[move.id] = move.expires_at
            continue
        need = -move.points
        if move.lot_id is not None and left.get(move.lot_id, 0) > 0:
            take = min(need, left[move.lot_id])
            left[move.lot_id] -= take
            need -= take
            if move.id == watch:
                taken.append(Lot(move.lot_id, take, expiry[move.lot_id]))
        lots = sorted((Lot(i, n, expiry[i]) for i, n in left.items() if n > 0), key=_fifo_key)
        for lot in lots:
            if need <= 0:
                break
            take = min(need, lot.left)
            left[lot.entry_id] -= take
            need -= take
            if move.id == watch:
                taken.append(Lot(lot.entry_id, take, lot.expires_at))
        if move.id == watch:
            break
    lots = sorted((Lot(i, n, expiry[i]) for i, n in left.items() if n > 0), key=_fifo_key)
    return lots, taken


async def balance(client_id: int) -> int:
    rows = (
        await PointsEntry.filter(client_id=client_id).annotate(total=Sum("points")).values("total")
    )
    return int((rows[0]["total"] if rows else 0) or 0)


async def lots(client_id: int) -> list[Lot]:
    entries = await PointsEntry.filter(client_id=client_id).order_by("id")
    return allocate(Move(e.id, e.points, e.expires_at, e.lot_id) for e in entries)


async def drawn(client_id: int, entry_id: int) -> list[Lot]:
    """The lots the negative entry ``entry_id`` was taken from, and how much from each."""
    entries = await PointsEntry.filter(client_id=client_id, id__lte=entry_id).order_by("id")
    return drawn_by((Move(e.id, e.points, e.expires_at, e.lot_id) for e in entries), entry_id)


async def reference_used(reference: str) -> bool:
    return await PointsEntry.filter(reference=reference).exists()


async def append(
    client_id: int,
    points: int,
    kind: PointsKind,
    reference: str,
    *,
    now: datetime,
    expires_at: datetime | None = None,
    order_id: int | None = None,
    intent_id: int | None = None,
    staff_id: int | None = None,
    lot_id: int | None = None,
    value: int = 0,
    currency: str = "",
    reason: str = "",
) -> PointsEntry | None:
    """Write one entry once: None when ``reference`` was used before. The caller holds the
    client's lock; a negative entry must fit the balance (checked here, as a last guard)."""
    if not isinstance(points, int) or isinstance(points, bool) or points == 0:
        raise ValueError("a points entry is a non-zero int")
    if await reference_used(reference):
        return None
    if points < 0 and await balance(client_id) + points < 0:
        raise NotEnoughPoints("loyalty-not-enough")
    entry = await PointsEntry.create(
        client_id=client_id,
        points=points,
        kind=kind,
        reference=reference,
        order_id=order_id,
        intent_id=intent_id,
        staff_id=staff_id,
        lot_id=lot_id,
        value=value,
        currency=currency,
        expires_at=expires_at if points > 0 else None,
        reason=reason,
        created_at=now,
    )
    await Client.filter(id=client_id).update(bonus_points=await balance(client_id))
    return entry


async def expire_due(client_id: int, now: datetime) -> list[PointsEntry]:
    """Write ``expire:<lot>`` for every lot whose time has come and that still holds points
    (client locked). Runs before every spend, so expired points are never spent."""
    written = []
    for lot in await lots(client_id):
        if lot.expires_at is None or lot.expires_at > now:
            continue
        entry = await append(
            client_id,
            -lot.left,
            PointsKind.EXPIRE,
            f"expire:{lot.entry_id}",
            now=now,
            lot_id=lot.entry_id,
            reason="expired",
        )
        if entry is not None:
            written.append(entry)
    return written


async def take_back(
    client_id: int,
    points: int,
    kind: PointsKind,
    reference: str,
    *,
    now: datetime,
    order_id: int | None = None,
    reason: str = "",
) -> PointsEntry | None:
    """Take up to ``points`` back (a clawback): never more than the balance holds, since what
    was already spent cannot be un-spent. None when there is nothing to take or it was done."""
    await expire_due(client_id, now)
    amount = min(points, await balance(client_id))
    if amount <= 0 or await reference_used(reference):
        return None
    return await append(
        client_id, -amount, kind, reference, now=now, order_id=order_id, reason=reason
    )


def expiring(found: Sequence[Lot]) -> list[tuple[datetime, int]]:
    """Points that will expire, by moment, soonest first."""
    by_moment: dict[datetime, int] = {}
    for lot in found:
        if lot.expires_at is not None:
            by_moment[lot.expires_at] = by_moment.get(lot.expires_at, 0) + lot.left
    return sorted(by_moment.items())
