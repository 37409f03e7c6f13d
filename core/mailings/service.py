"""Mailings: create, schedule, pause, resume, cancel, report — and the job that sends them.

State machine::

    draft -> scheduled -> sending <-> paused
                 |           |          |
                 +-----------+----------+--> cancelled      sending -> done

The ``mailing.feed`` job (several processes may run jobs; each run is idempotent) turns a
scheduled mailing into ``sending``, snapshots its audience into ``mailing_recipients`` (one row
per client, unique, in batches, resumable from ``snapshot_cursor``), then queues the recipients
in batches through :func:`deliver` under the outbox dedupe key ``mail:<mailing>:c<client>``.
A crash anywhere is repaired by running the job again: a client is never queued twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import F, Subquery
from tortoise.functions import Count

from core import fallback
from core.audit import audit
from core.batching import batch_key
from core.delivery import reply_to_json
from core.errors import Conflict, InvalidInput, NotFound
from core.i18n import T
from core.mailings.audience import (
    Scope,
    audience_query,
    channels_of,
    client_batches,
)
from core.mailings.content import Content, client_values, render, used_variables
from core.mailings.segments import Segment, Vocabulary, parse
from core.reminders.timing import after_quiet_hours, local_date
from core.services import Services
from storage.models import (
    Client,
    Mailing,
    MailingRecipient,
    MailingStatus,
    MessengerAccount,
    OutboxMessage,
    OutboxStatus,
    RecipientOutcome,
    Staff,
)
from storage.models import (
    Segment as SavedSegment,
)
from storage.recipient_rows import save_outcomes

FEED = "mailing.feed"
KIND = "mailing"  # outbox kind of a mailing's messages
BATCH = 500
BATCHES_PER_RUN = 20  # then the job hands over to a fresh one (short leases, fair runner)
CHECK_EVERY = timedelta(seconds=30)  # while queued messages are still leaving
HELD = datetime(2999, 1, 1, tzinfo=UTC)  # not_before of a paused mailing's queued messages
MAX_RATE = 1000

ACTIVE = (MailingStatus.SCHEDULED, MailingStatus.SENDING, MailingStatus.PAUSED)


def dedupe_prefix(mailing_id: int) -> str:
    return f"mail:{mailing_id}:"


def agency_tz(services: Services) -> ZoneInfo:
    return services.rules.agency.tz


def scope_of(services: Services) -> Scope:
    agency = services.rules.agency
    directory = services.channels
    return Scope(
        local_date(services.clock.now(), agency.tz),
        agency.currency,
        fallback=tuple(
            (name, directory.reaching_by(name) or "") for name in fallback.order(services)
        ),
        addressed=tuple(n for n in directory.names() if fallback.by_address(services, n)),
    )


def content_of(mailing: Mailing) -> Content:
    texts = dict(mailing.texts)
    return Content(
        texts,
        mailing.picture_url,
        tuple((str(label), str(url)) for label, url in mailing.links),
        used_variables(texts.values()),
    )


# ---- segments saved by name ------------------------------------------------------------------


def vocabulary(services: Services) -> Vocabulary:
    """What ``channel=`` and ``lang=`` may name here: the channels configured in this
    deployment and the agency's languages (the same for chat, CLI and API: they all come
    through here)."""
    return Vocabulary.of(services.channels.enabled_names(), services.rules.agency.locales)


async def resolve_segment(services: Services, text: str) -> Segment:
    """An expression, or ``@name`` of a saved segment."""
    text = (text or "").strip()
    if text.startswith("@"):
        if not text[1:].strip():  # "@" alone: a saved segment's name was meant to follow
            raise InvalidInput("mailing-bad-segment-name")
        saved = await SavedSegment.get_or_none(name=text[1:].strip())
        if saved is None:
            raise NotFound("mailing-segment-not-found", name=text[1:].strip())
        return parse(saved.expression)
    return parse(text, vocabulary(services))


async def save_segment(services: Services, name: str, expression: str) -> SavedSegment:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise InvalidInput("mailing-bad-segment-name")
    canonical = str(parse(expression, vocabulary(services)))
    saved, created = await SavedSegment.get_or_create(name=name, defaults={"expression": canonical})
    if not created and saved.expression != canonical:
        saved.expression = canonical
        await saved.save(update_fields=["expression", "updated_at"])
    return saved


# ---- creating and steering -------------------------------------------------------------------


async def create_mailing(
    services: Services,
    texts: dict[str, str],
    *,
    segment: str = "",
    picture_url: str | None = None,
    links: Iterable[tuple[str, str]] = (),
    rate: int | None = None,
    created_by: Staff | None = None,
) -> Mailing:
    """A draft mailing; refuses bad segments, unknown variables, bad links (nothing is written)."""
    parsed = await resolve_segment(services, segment)
    content = Content.build(
        texts, locales=services.rules.agency.locales, picture_url=picture_url, links=links
    )
    if rate is not None and not 1 <= rate <= MAX_RATE:
        raise InvalidInput("mailing-bad-rate", limit=MAX_RATE)
    mailing = await Mailing.create(
        texts=content.texts,
        picture_url=content.picture_url,
        links=[list(pair) for pair in content.links],
        segment=str(parsed),
        rate=rate,
        created_by=created_by,
    )
    await audit(created_by or "system", "mailing.create", subject=f"mailing:{mailing.id}")
    return mailing


async def get_mailing(mailing_id: int) -> Mailing:
    mailing = await Mailing.get_or_none(id=mailing_id)
    if mailing is None:
        raise NotFound("mailing-not-found", id=mailing_id)
    return mailing


async def _move(
    mailing_id: int, sources: Iterable[MailingStatus], target: MailingStatus, **values: Any
) -> Mailing:
    """Change the status only from one of ``sources`` (one conditional UPDATE: no race)."""
    changed = await Mailing.filter(id=mailing_id, status__in=[s.value for s in sources]).update(
        status=target, **values
    )
    mailing = await get_mailing(mailing_id)
    if not changed:
        raise Conflict("mailing-bad-state", id=mailing_id, status=mailing.status.value)
    return mailing


async def _plan_feed(services: Services, mailing_id: int, run_at: datetime) -> None:
    await Mailing.filter(id=mailing_id).update(feed_round=F("feed_round") + 1)
    rounds = await Mailing.filter(id=mailing_id).values_list("feed_round", flat=True)
    await services.jobs.schedule(
        FEED, run_at, {"mailing": mailing_id}, dedupe_key=f"mailing:{mailing_id}:feed:{rounds[0]}"
    )


def start_time(services: Services, at: datetime | None) -> datetime:
    """When a mailing asked to start at ``at`` (None: now) really starts; refuses the past."""
    now = services.clock.now()
    if at is not None and at < now - timedelta(minutes=1):
        raise InvalidInput("mailing-past-time")
    return after_quiet_hours(max(at or now, now), services.rules.quiet_hours, agency_tz(services))


async def schedule(services: Services, mailing_id: int, at: datetime | None = None) -> Mailing:
    """Start now, or at ``at`` (UTC); a start inside the quiet hours moves to their end."""
    run_at = start_time(services, at)
    mailing = await _move(mailing_id, [MailingStatus.DRAFT], MailingStatus.SCHEDULED, run_at=run_at)
    await _plan_feed(services, mailing_id, run_at)
    await audit("system", "mailing.schedule", subject=f"mailing:{mailing_id}")
    return mailing


async def pause(services: Services, mailing_id: int) -> Mailing:
    """Stop queueing and hold what is queued but not yet sent."""
    mailing = await _move(mailing_id, [MailingStatus.SENDING], MailingStatus.PAUSED)
    await _hold(mailing_id)
    await audit("system", "mailing.pause", subject=f"mailing:{mailing_id}")
    return mailing


async def _hold(mailing_id: int) -> None:
    await OutboxMessage.filter(
        dedupe_key__startswith=dedupe_prefix(mailing_id), status=OutboxStatus.PENDING
    ).update(not_before=HELD)


async def resume(services: Services, mailing_id: int) -> Mailing:
    now = services.clock.now()
    mailing = await _move(mailing_id, [MailingStatus.PAUSED], MailingStatus.SENDING)
    await OutboxMessage.filter(
        dedupe_key__startswith=dedupe_prefix(mailing_id),
        status=OutboxStatus.PENDING,
        not_before__gte=HELD,
    ).update(not_before=after_quiet_hours(now, services.rules.quiet_hours, agency_tz(services)))
    await Mailing.filter(id=mailing_id).update(paced_until=None)
    await _plan_feed(services, mailing_id, now)
    services.outbox.wakeup.set()
    await audit("system", "mailing.resume", subject=f"mailing:{mailing_id}")
    return mailing


async def cancel(services: Services, mailing_id: int) -> Mailing:
    """Nothing more leaves: queued messages are cancelled, the rest of the snapshot skipped."""
    sources = [MailingStatus.DRAFT, *ACTIVE]
    mailing = await _move(
        mailing_id, sources, MailingStatus.CANCELLED, finished_at=services.clock.now()
    )
    await services.outbox.cancel(dedupe_prefix(mailing_id))
    await services.jobs.cancel(f"mailing:{mailing_id}:")
    await MailingRecipient.filter(
        mailing_id=mailing_id, outbox_id__isnull=True, outcome=RecipientOutcome.PENDING
    ).update(outcome=RecipientOutcome.CANCELLED)
    await sync_outcomes(mailing_id)
    await audit("system", "mailing.cancel", subject=f"mailing:{mailing_id}")
    return mailing


# ---- the feed job ----------------------------------------------------------------------------


async def deliver(
    services: Services,
    account: MessengerAccount,
    reply: Any,
    *,
    dedupe_key: str,
    not_before: datetime,
    mailing_id: int,
    same_for_all: bool = False,
) -> OutboxMessage:
    """THE one call into the delivery engine for a mailing's message: the bulk lane.

    ``same_for_all``: the text uses no personal variables, so every client of one language gets
    the same message and the rows may leave in one request (Viber broadcast, core/batching.py).
    Returns the outbox row, the existing one when ``dedupe_key`` was queued before (a re-run
    after a crash): a client is never queued twice.
    """
    row = await services.outbox.enqueue(
        account,
        reply,
        kind=KIND,
        dedupe_key=dedupe_key,
        not_before=not_before,
        meta={"mailing": mailing_id},
        lane="bulk",
        batch_key=batch_key(f"m{mailing_id}", reply_to_json(reply)) if same_for_all else None,
    )
    if row is None:
        row = await OutboxMessage.get(dedupe_key=dedupe_key)
    return row


def outbox_row(
    account: MessengerAccount,
    reply: Any,
    *,
    dedupe_key: str,
    not_before: datetime,
    mailing_id: int,
    same_for_all: bool,
) -> OutboxMessage:
    """The outbox row :func:`deliver` would write, for :func:`_enqueue_all` (not saved)."""
    body = reply_to_json(reply)
    return OutboxMessage(
        channel=account.channel,
        external_id=account.external_id,
        account_id=account.id,
        client_id=account.client_id,
        kind=KIND,
        lane="bulk",
        body=body,
        dedupe_key=dedupe_key,
        not_before=not_before,
        meta={"mailing": mailing_id},
        batch_key=batch_key(f"m{mailing_id}", body) if same_for_all else None,
    )


async def _enqueue_all(
    services: Services, queued: list[tuple[MailingRecipient, OutboxMessage]]
) -> None:
    """A batch's messages in one statement: they become due together (so the rows of one
    message leave in full broadcasts), and a re-run after a crash queues nobody twice (the
    dedupe key is unique; the recipient then points at the row written before)."""
    if not queued:
        return
    await OutboxMessage.bulk_create([row for _, row in queued], ignore_conflicts=True)
    keys = [row.dedupe_key for _, row in queued]
    ids = dict(await OutboxMessage.filter(dedupe_key__in=keys).values_list("dedupe_key", "id"))
    for recipient, row in queued:
        recipient.outbox_id = ids[row.dedupe_key]
    services.outbox.wakeup.set()


async def snapshot(services: Services, mailing: Mailing, *, batch: int = BATCH) -> int:
    """Copy the audience into ``mailing_recipients`` from where the last run stopped."""
    segment = parse(mailing.segment)
    query = audience_query(segment, scope_of(services)).filter(id__gt=mailing.snapshot_cursor)
    channels = channels_of(segment)
    added = 0
    async for ids in client_batches(query, batch):
        clients = await Client.filter(id__in=ids)
        # a messenger, else the first fallback channel reaching them (its account made now)
        accounts = await fallback.reach_many(services, clients, marketing=True, channels=channels)
        rows = [
            MailingRecipient(mailing_id=mailing.id, client_id=cid, account_id=accounts[cid].id)
            for cid in ids
            if cid in accounts
        ]
        await MailingRecipient.bulk_create(rows, ignore_conflicts=True)
        await Mailing.filter(id=mailing.id).update(snapshot_cursor=ids[-1])
        added += len(rows)
    await Mailing.filter(id=mailing.id).update(snapshot_done=True)
    return added


def _has_buttons(services: Services, channel: str) -> bool:
    """Whether the Unsubscribe button can work there (a chat); a channel reaching people by an
    address carries its own opt-out (e-mail: the unsubscribe link and ``List-Unsubscribe``)."""
    info = services.channels.get(channel)
    return info is None or info.capabilities.address is None


def _translator(services: Services, locale: str) -> T:
    agency = services.rules.agency
    return services.translator(locale if locale in agency.locales else agency.default_locale)


async def _status(mailing_id: int) -> str | None:
    found = await Mailing.filter(id=mailing_id).values_list("status", flat=True)
    return str(found[0]) if found else None


async def _queue_batch(services: Services, mailing: Mailing, batch: list[MailingRecipient]) -> None:
    now = services.clock.now()
    rules = services.rules
    content = content_of(mailing)
    clients = {c.id: c for c in await Client.filter(id__in=[r.client_id for r in batch])}
    accounts = {
        a.id: a
        for a in await MessengerAccount.filter(id__in=[r.account_id for r in batch if r.account_id])
    }
    translators = {cid: _translator(services, c.locale) for cid, c in clients.items()}
    values = await client_values(
        list(clients.values()),
        content.variables,
        translators,
        today=scope_of(services).today,
        currency=rules.agency.currency,
        agency=rules.agency.name,
    )
    start = max(now, mailing.paced_until or now)
    step = timedelta(seconds=1 / mailing.rate) if mailing.rate else timedelta(0)
    sent = 0
    queued: list[tuple[MailingRecipient, OutboxMessage]] = []
    for recipient in batch:
        client = clients.get(recipient.client_id)
        account = accounts.get(recipient.account_id or 0)
        if client is None or client.marketing_consent is not True or client.forget_requested_at:
            recipient.outcome = RecipientOutcome.UNSUBSCRIBED
        elif account is None or not account.reachable:
            recipient.outcome = RecipientOutcome.BLOCKED
        else:
            template = content.template_for(client.locale, rules.agency.default_locale)
            reply = render(
                content,
                translators[client.id],
                values[client.id],
                template,
                mailing.id,
                button=_has_buttons(services, account.channel),
            )
            not_before = after_quiet_hours(start + step * sent, rules.quiet_hours, rules.agency.tz)
            queued.append(
                (
                    recipient,
                    outbox_row(
                        account,
                        reply,
                        dedupe_key=f"{dedupe_prefix(mailing.id)}c{client.id}",
                        not_before=not_before,
                        mailing_id=mailing.id,
                        same_for_all=not content.variables,
                    ),
                )
            )
            sent += 1
    await _enqueue_all(services, queued)
    for recipient in batch:
        recipient.updated_at = now
    await save_outcomes(batch)
    if step:
        await Mailing.filter(id=mailing.id).update(paced_until=start + step * sent)
        mailing.paced_until = start + step * sent


async def queue_recipients(
    services: Services, mailing: Mailing, *, batch: int = BATCH, rounds: int = BATCHES_PER_RUN
) -> bool:
    """Queue up to ``rounds`` batches; True when more recipients are waiting."""
    for _ in range(rounds):
        if await _status(mailing.id) != MailingStatus.SENDING:
            return False
        waiting = (
            await MailingRecipient.filter(
                mailing_id=mailing.id, outbox_id__isnull=True, outcome=RecipientOutcome.PENDING
            )
            .order_by("id")
            .limit(batch)
        )
        if not waiting:
            return False
        await _queue_batch(services, mailing, waiting)
        # paused or cancelled while this batch was being queued: catch its rows too
        status = await _status(mailing.id)
        if status == MailingStatus.PAUSED:
            await _hold(mailing.id)
        elif status == MailingStatus.CANCELLED:
            await services.outbox.cancel(dedupe_prefix(mailing.id))
    return await MailingRecipient.filter(
        mailing_id=mailing.id, outbox_id__isnull=True, outcome=RecipientOutcome.PENDING
    ).exists()


_FINAL = {
    OutboxStatus.SENT: RecipientOutcome.SENT,
    OutboxStatus.FAILED: RecipientOutcome.FAILED,
    OutboxStatus.BLOCKED: RecipientOutcome.BLOCKED,
    OutboxStatus.CANCELLED: RecipientOutcome.CANCELLED,
}


async def sync_outcomes(mailing_id: int) -> None:
    """Copy what the outbox knows (sent, delivered, seen, failed, blocked) to the recipients."""
    mine = OutboxMessage.filter(dedupe_key__startswith=dedupe_prefix(mailing_id))
    # closed because the person left the bot (Viber 5/6), not because they blocked it
    await MailingRecipient.filter(
        mailing_id=mailing_id,
        outcome=RecipientOutcome.PENDING,
        outbox_id__in=Subquery(mine.filter(status=OutboxStatus.BLOCKED).values("id")),
        account_id__in=Subquery(
            MessengerAccount.filter(subscribed=False, blocked=False).values("id")
        ),
    ).update(outcome=RecipientOutcome.UNSUBSCRIBED)
    for status, outcome in _FINAL.items():
        await MailingRecipient.filter(
            mailing_id=mailing_id,
            outcome=RecipientOutcome.PENDING,
            outbox_id__in=Subquery(mine.filter(status=status).values("id")),
        ).update(outcome=outcome)
    await MailingRecipient.filter(
        mailing_id=mailing_id,
        outcome__in=[RecipientOutcome.SENT],
        outbox_id__in=Subquery(mine.filter(delivered_at__isnull=False).values("id")),
    ).update(outcome=RecipientOutcome.DELIVERED)
    await MailingRecipient.filter(
        mailing_id=mailing_id,
        outcome__in=[RecipientOutcome.SENT, RecipientOutcome.DELIVERED],
        outbox_id__in=Subquery(mine.filter(seen_at__isnull=False).values("id")),
    ).update(outcome=RecipientOutcome.SEEN)
    # sent, then Viber reported it failed (a `failed` receipt)
    await MailingRecipient.filter(
        mailing_id=mailing_id,
        outcome__in=[RecipientOutcome.SENT, RecipientOutcome.DELIVERED],
        outbox_id__in=Subquery(mine.filter(status=OutboxStatus.FAILED).values("id")),
    ).update(outcome=RecipientOutcome.FAILED)


async def feed(services: Services, mailing_id: int, *, batch: int = BATCH) -> None:
    """One run of the ``mailing.feed`` job; safe to run again or concurrently."""
    now = services.clock.now()
    if await _status(mailing_id) == MailingStatus.SCHEDULED:
        await Mailing.filter(id=mailing_id, status=MailingStatus.SCHEDULED).update(
            status=MailingStatus.SENDING, started_at=now
        )
    mailing = await Mailing.get_or_none(id=mailing_id)
    if mailing is None or mailing.status is not MailingStatus.SENDING:
        return
    if not mailing.snapshot_done:
        await snapshot(services, mailing, batch=batch)
    if await queue_recipients(services, mailing, batch=batch):
        await _plan_feed(services, mailing_id, now)
        return
    await sync_outcomes(mailing_id)
    if await _unfinished(mailing_id):
        await _plan_feed(services, mailing_id, now + CHECK_EVERY)
        return
    if await Mailing.filter(id=mailing_id, status=MailingStatus.SENDING).update(
        status=MailingStatus.DONE, finished_at=now
    ):
        await audit("system", "mailing.done", subject=f"mailing:{mailing_id}")


async def _unfinished(mailing_id: int) -> bool:
    queued = await OutboxMessage.filter(
        dedupe_key__startswith=dedupe_prefix(mailing_id),
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING],
    ).exists()
    return (
        queued
        or await MailingRecipient.filter(
            mailing_id=mailing_id, outbox_id__isnull=True, outcome=RecipientOutcome.PENDING
        ).exists()
    )


def register(services: Services) -> None:
    """Composition root: the job handler of ``mailing.feed``."""

    @services.jobs.handler(FEED)
    async def _feed(job: Any) -> None:
        await feed(services, int(job.payload.get("mailing", 0)))


# ---- reports, test sends, unsubscribing ------------------------------------------------------


@dataclass(frozen=True)
class Report:
    mailing: Mailing
    total: int
    outcomes: dict[str, int]


async def report(mailing_id: int) -> Report:
    mailing = await get_mailing(mailing_id)
    await sync_outcomes(mailing_id)
    outcomes = {o.value: 0 for o in RecipientOutcome}
    rows = (
        await MailingRecipient.filter(mailing_id=mailing_id)
        .annotate(n=Count("id"))
        .group_by("outcome")
        .values("outcome", "n")
    )
    for row in rows:
        outcomes[str(row["outcome"])] = int(row["n"])
    return Report(mailing, sum(outcomes.values()), outcomes)


async def progress(mailing_id: int) -> Report:
    """Like :func:`report`, but reads only (a status poller must not write): recipients still
    marked pending count by what their outbox row already says. One statement, so a sender
    settling recipients meanwhile cannot make the figures go backwards."""
    mailing = await get_mailing(mailing_id)
    outcomes = {o.value: 0 for o in RecipientOutcome}
    rows = (
        await MailingRecipient.filter(mailing_id=mailing_id)
        .annotate(n=Count("id"))
        .group_by("outcome", "outbox__status")
        .values_list("outcome", "outbox__status", "n")
    )
    for outcome, status, n in rows:
        final = _FINAL.get(OutboxStatus(status)) if status else None
        if str(outcome) == RecipientOutcome.PENDING.value and final is not None:
            outcome = final.value
        outcomes[str(outcome)] += int(n)
    return Report(mailing, sum(outcomes.values()), outcomes)


async def recent(limit: int = 50) -> list[Mailing]:
    return await Mailing.all().order_by("-id").limit(limit)


async def send_test(
    services: Services, mailing_id: int, account: MessengerAccount
) -> OutboxMessage:
    """Send the mailing to one account (the author's own), filled in as that person sees it."""
    mailing = await get_mailing(mailing_id)
    content = content_of(mailing)
    rules = services.rules
    client = await Client.get_or_none(id=account.client_id) if account.client_id else None
    staff = await Staff.get_or_none(id=account.staff_id) if account.staff_id else None
    locale = client.locale if client else staff.locale if staff else rules.agency.default_locale
    t = _translator(services, locale)
    if client is not None:
        values = (
            await client_values(
                [client],
                content.variables,
                {client.id: t},
                today=scope_of(services).today,
                currency=rules.agency.currency,
                agency=rules.agency.name,
            )
        )[client.id]
    else:
        values = _sample_values(t, staff.name if staff else "", services)
    template = content.template_for(t.locale, rules.agency.default_locale)
    reply = render(
        content, t, values, template, mailing.id, button=_has_buttons(services, account.channel)
    )
    row = await services.outbox.enqueue(
        account, reply, kind="mailing.test", meta={"mailing": mailing.id}, lane="direct"
    )
    assert row is not None  # no dedupe key: always queued
    return row


def _sample_values(t: T, name: str, services: Services) -> dict[str, str]:
    """A staff member's test: filled as for a client of that name with no trips, no debt and
    no balance (what such a client really gets), not with made-up dates."""
    agency = services.rules.agency
    none = t("mailing-var-none")
    return {
        "first_name": name or t("mailing-var-friend"),
        "name": name or t("mailing-var-friend"),
        "manager": name or agency.name,
        "balance": t.money(0, agency.currency),
        "bonus": "0",
        "next_trip": none,
        "destination": none,
        "due_amount": t.money(0, agency.currency),
        "due_date": none,
    }


async def unsubscribe(services: Services, client: Client, mailing_id: int | None) -> bool:
    """Withdraw marketing consent at once (idempotent); True when it was still given."""
    changed = client.marketing_consent is not False
    if changed:
        client.marketing_consent = False
        await client.save(update_fields=["marketing_consent"])
        await audit(f"client:{client.id}", "mailing.unsubscribe", subject=f"mailing:{mailing_id}")
    await OutboxMessage.filter(client_id=client.id, kind=KIND, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.CANCELLED
    )
    if mailing_id is not None:
        await MailingRecipient.filter(mailing_id=mailing_id, client_id=client.id).update(
            outcome=RecipientOutcome.UNSUBSCRIBED
        )
    return changed
