"""Mailings at the staff desk (admins): the recent list, a mailing's card with Pause / Resume /
Cancel, and the "new mailing" wizard: segment -> preview -> texts, picture, links -> test send
-> send now or at a local time. The same service calls as the CLI (core.mailings.service)."""

from __future__ import annotations

import contextlib
import re
from datetime import date, time, timedelta
from typing import Any

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import Conflict, DomainError, InvalidInput
from core.mailings import service, watch
from core.mailings.audience import preview
from core.mailings.content import MAX_LINKS, Content
from core.mailings.history import received
from core.mailings.segments import parse
from core.payloads import Payload, encode
from core.reminders.timing import local_at
from core.staff import routes
from core.staff.roles import ADMINS
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import button, command, int_arg, join, local_dt, menu_button, state
from handlers.staff.common import today as local_today
from storage.models import Client, MailingStatus
from storage.models import Segment as SavedSegment

STATE = "staff.mailing"
LISTED = 10
SAVED_SHOWN = 8
# "Label - URL" (the CLI's "LABEL=URL" is taken too)
LINK = re.compile(r"^(.+?)(?:\s+[-–—]\s+|\s*=\s*)(\S+)$")
PAST_IS_NEXT_YEAR = 183  # days: a DD.MM further back than this means that date next year
WHEN = re.compile(r"^(?:(\d{1,2})\.(\d{1,2})\s+)?(\d{1,2}):(\d{2})$")
ISO_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})$")  # as the CLI's --at
# where Back goes from each step
BACK = {
    "preview": "segment",
    "savename": "preview",
    "text": "preview",
    "langs": "text",
    "langtext": "langs",
    "picture": "langs",
    "links": "picture",
    "ready": "links",
    "when": "ready",
}

router = Router("staff.mailings")


# ---- the list and a mailing's card ------------------------------------------------------------


async def show_list(ctx: Context, note: str | None = None) -> list[Reply]:
    t = ctx.t
    lines = [t("mchat-list-title")]
    grid: list[list[AnyButton]] = []
    mailings = await service.recent(LISTED)
    if not mailings:
        lines.append(t("mchat-list-empty"))
    for mailing in mailings:
        report = await service.report(mailing.id)
        lines.append(
            t(
                "mchat-list-line",
                id=mailing.id,
                status=t(f"mchat-status-{mailing.status.value}"),
                percent=watch.percent(report),
                total=report.total,
                when=local_dt(ctx, mailing.run_at or mailing.created_at),
            )
        )
        grid.append([Button(t("mchat-open", id=mailing.id), encode(routes.MAILING, mailing.id))])
    grid.append([Button(t("mchat-new"), encode(routes.MAIL_NEW, "start"))])
    grid.append([menu_button(t)])
    return [Reply(join(note, "\n".join(lines)), rows(*grid), edit=True)]


async def show_card(ctx: Context, mailing_id: int, note: str | None = None) -> list[Reply]:
    report = await service.report(mailing_id)
    return [watch.card(ctx.t, ctx.services, report, note=note)]


@command(router, "mailings", roles=ADMINS)
async def mailings_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await show_list(ctx)


@button(router, routes.MAILINGS, roles=ADMINS)
async def mailings_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return await show_list(ctx)


@button(router, routes.MAILING, roles=ADMINS)
async def mailing_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    mailing_id = int_arg(payload, 0)
    op = payload.arg(1)
    t = ctx.t
    services = ctx.services
    if op == "cancel":
        report = await service.report(mailing_id)
        ask = Reply(
            join(t("mchat-cancel-ask", id=mailing_id), watch.card_text(t, services, report)),
            rows(
                [Button(t("mchat-cancel-yes"), encode(routes.MAILING, mailing_id, "yes"))],
                [Button(t("mchat-cancel-no"), encode(routes.MAILING, mailing_id))],
            ),
            edit=True,
        )
        return [ask]
    if op == "draft":
        return await reopen_draft(ctx, mailing_id)
    actions = {"pause": service.pause, "resume": service.resume, "yes": service.cancel}
    notes = {"pause": "mchat-paused", "resume": "mchat-resumed", "yes": "mchat-cancelled"}
    if op not in actions:
        return await show_card(ctx, mailing_id)
    try:
        await actions[op](services, mailing_id)
    except (InvalidInput, Conflict) as error:
        return await show_card(ctx, mailing_id, t(error.key, **error.args_))
    return await show_card(ctx, mailing_id, t(notes[op], id=mailing_id))


# ---- a client's mailings, for the client card ------------------------------------------------


async def client_lines(ctx: Context, client_id: int) -> str:
    """The last mailings a client received and what became of each (the client card's part)."""
    t = ctx.t
    consent = await Client.filter(id=client_id).values_list("marketing_consent", flat=True)
    agreed = bool(consent and consent[0])
    lines = [t("mchat-client-consent-on" if agreed else "mchat-client-consent-off")]
    lines.append(t("mchat-client-title"))
    got = await received(client_id)
    if not got:
        lines.append(t("mchat-client-none"))
    for entry in got:
        lines.append(
            t(
                "mchat-client-line",
                id=entry.mailing_id,
                when=local_dt(ctx, entry.at),
                outcome=t(f"mchat-outcome-{entry.outcome}"),
            )
        )
    return "\n".join(lines)


# ---- the wizard --------------------------------------------------------------------------------


def data(ctx: Context) -> dict[str, Any]:
    value = ctx.state.data.get("mw")
    if not isinstance(value, dict):
        value = {}
        ctx.state.data["mw"] = value
    return value


def wizard(op: str, *args: object) -> str:
    return encode(routes.MAIL_NEW, op, *args)


def texts_of(ctx: Context) -> dict[str, str]:
    return dict(data(ctx).get("texts") or {})


def links_of(ctx: Context) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in data(ctx).get("links") or []]


def check_content(ctx: Context, **changes: Any) -> Content:
    """The content so far with ``changes``; :class:`InvalidInput` if any part is wrong."""
    d = data(ctx)
    values: dict[str, Any] = {
        "texts": texts_of(ctx),
        "picture_url": d.get("picture"),
        "links": links_of(ctx),
    }
    values.update(changes)
    return Content.build(
        values["texts"],
        locales=ctx.services.rules.agency.locales,
        picture_url=values["picture_url"],
        links=values["links"],
    )


async def preview_text(ctx: Context) -> tuple[str, int]:
    t = ctx.t
    services = ctx.services
    segment = parse(str(data(ctx).get("segment") or ""))
    found = await preview(services, segment, service.scope_of(services))
    lines = [
        t("mchat-preview-title", segment=str(segment) or t("mchat-everyone")),
        t("mchat-preview-total", count=found.total),
    ]
    for channel, count in sorted(found.per_channel.items()):
        lines.append(t("mchat-preview-channel", channel=channel, count=count))
    if found.sample:
        lines.append(t("mchat-preview-sample", names=", ".join(found.sample)))
    for channel, count in sorted(found.per_channel.items()):
        info = services.channels.get(channel)
        cost = info.bulk_cost(count) if info and info.bulk_cost and count else None
        if cost is not None:
            lines.append(t("mchat-preview-stars", stars=cost))
        lines += text_cost_lines(ctx, channel, count)
    return "\n".join(lines), found.total


def text_cost_lines(ctx: Context, channel: str, count: int) -> list[str]:
    """Where each message is paid by its parts (SMS): parts x recipients x price, for the
    longest of the texts written so far (with its link lines); nothing before a text exists."""
    info = ctx.services.channels.get(channel)
    texts = list(texts_of(ctx).values())
    if info is None or info.text_cost is None or not count or not texts:
        return []
    links = "\n".join(f"{label}: {url}" for label, url in links_of(ctx))
    cost = max(
        (info.text_cost(count, "\n\n".join(p for p in (text, links) if p)) for text in texts),
        key=lambda c: c.parts if c is not None else 0,
    )
    if cost is None:
        return []
    t = ctx.t
    if not cost.part_price:
        parts = cost.parts * cost.messages
        return [t("mchat-preview-sms-parts", parts=cost.parts, count=count, total=parts)]
    price, total = t.money(cost.part_price, cost.currency), t.money(cost.total, cost.currency)
    return [t("mchat-preview-sms-cost", parts=cost.parts, count=count, price=price, total=total)]


def paras(*parts: str | None) -> str:
    return "\n\n".join(p for p in parts if p)


def content_summary(ctx: Context) -> str:
    t = ctx.t
    lines = []
    for key, text in texts_of(ctx).items():
        label = t("mchat-text-default") if key == "default" else t(f"mchat-lang-{key}")
        lines.append(t("mchat-summary-text", language=label, text=text))
    picture = data(ctx).get("picture")
    if picture:
        lines.append(t("mchat-summary-picture", url=str(picture)))
    for label, url in links_of(ctx):
        lines.append(t("mchat-summary-link", label=label, url=url))
    return "\n".join(lines)


async def show(ctx: Context, step: str, note: str | None = None) -> list[Reply]:
    """Ask the question of ``step`` (the wizard's one screen per step)."""
    t = ctx.t
    d = data(ctx)
    d["step"] = step
    ctx.state.goto(STATE)
    grid: list[list[AnyButton]] = []
    if step == "segment":
        text = t("mchat-ask-segment")
        grid.append([Button(t("mchat-everyone-button"), wizard("all"))])
        saved = await SavedSegment.all().order_by("name").limit(SAVED_SHOWN)
        grid += [[Button(f"📁 {s.name}", wizard("seg", s.id))] for s in saved]
    elif step == "preview":
        text, _ = await preview_text(ctx)
        grid.append([Button(t("mchat-continue"), wizard("ok"))])
        grid.append([Button(t("mchat-save-segment"), wizard("save"))])
    elif step == "savename":
        text = t("mchat-ask-segment-name")
    elif step == "text":
        text = t("mchat-ask-text")
    elif step == "langs":
        text = paras(content_summary(ctx), t("mchat-ask-langs"))
        grid.append(
            [
                Button(t(f"mchat-lang-{code}"), wizard("lang", code))
                for code in ctx.services.rules.agency.locales
            ]
        )
        grid.append([Button(t("mchat-continue"), wizard("next"))])
    elif step == "langtext":
        text = t("mchat-ask-lang-text", language=t(f"mchat-lang-{d.get('lang')}"))
    elif step == "picture":
        text = t("mchat-ask-picture")
        grid.append([Button(t("mchat-skip"), wizard("next"))])
    elif step == "links":
        full = len(links_of(ctx)) >= MAX_LINKS
        text = paras(content_summary(ctx), t("mchat-links-full" if full else "mchat-ask-links"))
        grid.append([Button(t("mchat-continue"), wizard("next"))])
    elif step == "ready":
        summary, _ = await preview_text(ctx)
        text = paras(
            join(t("mchat-ready-title", id=int(d["mailing"])), summary),
            content_summary(ctx),
            t("mchat-ask-ready"),
        )
        grid.append([Button(t("mchat-test"), wizard("test"))])
        grid.append(
            [Button(t("mchat-send-now"), wizard("now")), Button(t("mchat-schedule"), wizard("at"))]
        )
    else:  # when
        text = t("mchat-ask-when", tz=str(ctx.services.rules.agency.tz))
    grid.append([Button(t("st-back"), wizard("back")), Button(t("st-cancel"), wizard("quit"))])
    return [Reply(join(note, text), rows(*grid))]


async def start(ctx: Context) -> list[Reply]:
    ctx.state.reset()
    ctx.state.goto(STATE, mw={"step": "segment", "texts": {}, "links": []})
    return await show(ctx, "segment")


async def choose_segment(ctx: Context, expression: str) -> list[Reply]:
    """A segment was typed or picked: preview it, or ask again (bad syntax, nobody in it)."""
    try:
        segment = await service.resolve_segment(ctx.services, expression)
    except DomainError as error:
        return await show(ctx, "segment", ctx.t(error.key, **error.args_))
    data(ctx)["segment"] = str(segment)
    _, total = await preview_text(ctx)
    if not total:
        return await show(ctx, "segment", ctx.t("mchat-zero-audience"))
    return await show(ctx, "preview")


def parse_when(ctx: Context, text: str) -> Any:
    """``HH:MM`` (today, or tomorrow once past), ``DD.MM HH:MM`` or the CLI's ``YYYY-MM-DD
    HH:MM``, in the agency's time zone. A DD.MM earlier this year is next year's when it is
    months away (05.01 typed in December), and stays in the past when it was recent
    (yesterday's date is a slip, not next year), for :func:`service.schedule` to refuse."""
    iso = ISO_WHEN.match(text.strip())
    if iso:
        try:
            day = date.fromisoformat(iso.group(1))
            moment = local_at(
                day, time(int(iso.group(2)), int(iso.group(3))), ctx.services.rules.agency.tz
            )
        except ValueError:
            raise InvalidInput("mchat-bad-time") from None
        return moment  # a passed one is refused by service.schedule, as from the CLI
    found = WHEN.match(text.strip())
    if not found:
        raise InvalidInput("mchat-bad-time")
    day_s, month_s, hour_s, minute_s = found.groups()
    now = ctx.services.clock.now()
    tz = ctx.services.rules.agency.tz
    today = local_today(ctx)
    try:
        at = time(int(hour_s), int(minute_s))
        day = date(today.year, int(month_s), int(day_s)) if day_s else today
    except ValueError:
        raise InvalidInput("mchat-bad-time") from None
    moment = local_at(day, at, tz)
    if moment < now - timedelta(minutes=1):
        if not day_s:
            moment = local_at(day + timedelta(days=1), at, tz)
        elif (today - day).days > PAST_IS_NEXT_YEAR:
            moment = local_at(date(day.year + 1, day.month, day.day), at, tz)
    return moment  # a recent past stays past: service.schedule refuses it


async def apply_text(ctx: Context, step: str, text: str) -> list[Reply]:
    d = data(ctx)
    services = ctx.services
    if step == "segment":
        return await choose_segment(ctx, text)
    if step == "savename":
        saved = await service.save_segment(services, text, str(d.get("segment") or ""))
        return await show(ctx, "preview", ctx.t("mchat-segment-saved", name=saved.name))
    if step in ("text", "langtext"):
        key = "default" if step == "text" else str(d.get("lang"))
        check_content(ctx, texts={**texts_of(ctx), key: text})
        d["texts"] = {**texts_of(ctx), key: text}
        return await show(ctx, "langs")
    if step == "picture":
        check_content(ctx, picture_url=text)
        d["picture"] = text
        return await show(ctx, "links")
    if step == "links":
        found = LINK.match(text)
        if not found:
            raise InvalidInput("mchat-bad-link-line")
        links = [*links_of(ctx), (found.group(1).strip(), found.group(2))]
        check_content(ctx, links=links)
        d["links"] = [list(pair) for pair in links]
        return await show(ctx, "links")
    if step == "when":
        moment = parse_when(ctx, text)
        mailing = await service.schedule(services, int(d["mailing"]), moment)
        return await launched(ctx, mailing.id)
    return await show(ctx, step, ctx.t("hint-use-buttons"))


@state(router, STATE, roles=ADMINS)
async def typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    step = str(data(ctx).get("step") or "segment")
    text = (incoming.text or "").strip() if incoming.kind is Kind.TEXT else ""
    if not text:
        return await show(ctx, step)
    try:
        return await apply_text(ctx, step, text)
    except (InvalidInput, Conflict) as error:
        return await show(ctx, step, ctx.t(error.key, **error.args_))


async def make_draft(ctx: Context) -> int:
    d = data(ctx)
    mailing = await service.create_mailing(
        ctx.services,
        texts_of(ctx),
        segment=str(d.get("segment") or ""),
        picture_url=d.get("picture"),
        links=links_of(ctx),
        created_by=ctx.staff,
    )
    d["mailing"] = mailing.id
    return mailing.id


async def drop_draft(ctx: Context) -> None:
    mailing_id = data(ctx).pop("mailing", None)
    if mailing_id is not None:
        with contextlib.suppress(DomainError):  # already sent or gone: nothing to drop
            await service.cancel(ctx.services, int(mailing_id))


async def launched(ctx: Context, mailing_id: int) -> list[Reply]:
    """Sending is planned: watch its progress in this chat and show its card."""
    services = ctx.services
    mailing = await service.get_mailing(mailing_id)
    run_at = mailing.run_at or services.clock.now()
    await watch.start_watching(services, mailing_id, ctx.account, run_at)
    ctx.state.reset()
    if run_at > services.clock.now() + timedelta(minutes=1):
        note = ctx.t("mchat-scheduled", id=mailing_id, when=local_dt(ctx, run_at))
    else:
        note = ctx.t("mchat-started", id=mailing_id)
    return await show_card(ctx, mailing_id, note)


async def wizard_op(ctx: Context, op: str, payload: Payload) -> list[Reply]:
    d = data(ctx)
    step = str(d.get("step") or "segment")
    services = ctx.services
    if op == "back":
        if step == "ready":
            await drop_draft(ctx)
        before = BACK.get(step)
        return await show(ctx, before) if before else await leave(ctx)
    if op == "all" and step == "segment":
        return await choose_segment(ctx, "")
    if op == "seg" and step == "segment":
        saved = await SavedSegment.get_or_none(id=int_arg(payload, 1))
        if saved is None:
            return await show(ctx, step, ctx.t("st-stale"))
        return await choose_segment(ctx, f"@{saved.name}")
    if op == "ok" and step == "preview":
        return await show(ctx, "text")
    if op == "save" and step == "preview":
        return await show(ctx, "savename")
    if op == "lang" and step == "langs" and payload.arg(1) in services.rules.agency.locales:
        d["lang"] = payload.arg(1)
        return await show(ctx, "langtext")
    if op == "next" and step in ("langs", "picture"):
        return await show(ctx, "picture" if step == "langs" else "links")
    if op == "next" and step == "links":
        await make_draft(ctx)
        return await show(ctx, "ready")
    if op == "test" and step == "ready":
        await service.send_test(services, int(d["mailing"]), ctx.account)
        return await show(ctx, "ready", ctx.t("mchat-test-sent"))
    if op == "now" and step == "ready":
        mailing = await service.schedule(services, int(d["mailing"]))
        return await launched(ctx, mailing.id)
    if op == "at" and step == "ready":
        return await show(ctx, "when")
    return await show(ctx, step, ctx.t("st-stale"))


async def reopen_draft(ctx: Context, mailing_id: int) -> list[Reply]:
    """A draft left at the wizard's last step: back to that step (test, send now, schedule)
    with its segment and content, as if the wizard had never been left."""
    mailing = await service.get_mailing(mailing_id)
    if mailing.status is not MailingStatus.DRAFT:
        return await show_card(ctx, mailing_id, ctx.t("st-stale"))
    ctx.state.reset()
    ctx.state.goto(
        STATE,
        mw={
            "step": "ready",
            "mailing": mailing.id,
            "segment": mailing.segment,
            "texts": dict(mailing.texts),
            "picture": mailing.picture_url,
            "links": [list(pair) for pair in mailing.links],
        },
    )
    return await show(ctx, "ready")


async def leave(ctx: Context) -> list[Reply]:
    await drop_draft(ctx)
    ctx.state.reset()
    return await show_list(ctx, ctx.t("st-cancelled"))


@button(router, routes.MAIL_NEW, roles=ADMINS)
async def wizard_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    op = payload.arg(0)
    if op == "start":
        return await start(ctx)
    if ctx.state.name != STATE:
        ctx.state.reset()
        return await show_list(ctx, ctx.t("st-stale"))
    if op == "quit":
        return await leave(ctx)
    try:
        return await wizard_op(ctx, op, payload)
    except (InvalidInput, Conflict) as error:
        return await show(ctx, str(data(ctx).get("step")), ctx.t(error.key, **error.args_))
