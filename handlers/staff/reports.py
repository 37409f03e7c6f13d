"""Reports at the staff desk (admins and accountants): pick a report, pick a period, get the
figures at once and the chart a moment later as a photo through the outbox.

One button action, ``srp``: no argument lists the reports, ``[name]`` asks for the period,
``[name, period]`` answers. The chart is drawn off the event loop; if drawing fails the figures
still stand (and say so).
"""

from __future__ import annotations

import logging

from core.contract import AnyButton, Button, Incoming, Reply, rows
from core.payloads import Payload, encode
from core.reports import registry
from core.reports.base import PRESETS, Period
from core.reports.chart import render_png
from core.reports.pictures import send
from core.reports.text import caption, figures
from core.staff import routes
from core.staff.roles import MONEY
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import button, log, menu_button, today

router = Router("staff.reports")
logger = logging.getLogger("tourdesk.reports")


@button(router, routes.REPORTS, roles=MONEY)
async def reports(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    name, preset = payload.arg(0), payload.arg(1)
    if name not in registry.REPORTS:
        return [choose_report(ctx)]
    if preset not in PRESETS:
        return [choose_period(ctx, name)]
    return await answer(ctx, name, preset)


def choose_report(ctx: Context) -> Reply:
    t = ctx.t
    grid: list[list[AnyButton]] = [
        [Button(t(f"report-name-{name}"), encode(routes.REPORTS, name))]
        for name in registry.REPORTS
    ]
    grid.append([menu_button(t)])
    return Reply(t("report-choose"), rows(*grid), edit=True)


def choose_period(ctx: Context, name: str) -> Reply:
    t = ctx.t
    grid: list[list[AnyButton]] = [
        [Button(t(f"report-period-{p}"), encode(routes.REPORTS, name, p))] for p in PRESETS
    ]
    grid.append([Button(t("report-menu"), encode(routes.REPORTS)), menu_button(t)])
    return Reply(t("report-choose-period", report=t(f"report-name-{name}")), rows(*grid), edit=True)


async def answer(ctx: Context, name: str, preset: str) -> list[Reply]:
    t = ctx.t
    period = Period.preset(preset, today(ctx))
    report = await registry.build(name, period, ctx.services.rules)
    await log(ctx, "staff.report", name, start=period.start.isoformat(), end=period.end.isoformat())
    note = t("report-chart-later")
    if report.chart is not None:
        try:
            png = await render_png(report.chart, t, caption(report, t))
            await send(ctx.services, ctx.account, png, caption(report, t))
        except Exception:  # a chart is a bonus: the figures are the answer
            logger.exception("report chart failed report=%s", name)
            note = t("report-chart-unavailable")
    grid: list[list[AnyButton]] = [
        [Button(t("report-menu"), encode(routes.REPORTS)), menu_button(t)]
    ]
    return [Reply(f"{figures(report, t)}\n\n{note}", rows(*grid))]
