"""The tour request wizard: destination -> when -> nights -> travellers -> budget -> wishes ->
summary -> confirm. (Staff take a new request in :mod:`handlers.staff.requests`.)

The answers live in the conversation state under ``_tour`` (kept by ``State.reset()``), the
step in the state name (``tour.<step>``), so a wizard left half-way resumes after a restart or
a trip to the menu: the client is offered "Continue where you stopped / Start over".
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from core import tour_requests as tr
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput
from core.money import CURRENCIES
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.identity import phone_request
from handlers.menu import main_menu
from handlers.router import Router

router = Router()

DRAFT_KEY = "_tour"
STATE_PREFIX = "tour."
ABANDONED_AFTER = timedelta(hours=1)
STEPS = ("destination", "when", "nights", "adults", "children", "ages", "budget", "wishes")
GROUPS = {"adults": "travellers", "children": "travellers", "ages": "travellers"}
EDITABLE = ("destination", "when", "nights", "travellers", "budget", "wishes")
FIRST_OF_GROUP = {"travellers": "adults"}
EDIT_LABELS = {
    "destination": "tour-edit-destination",
    "when": "tour-edit-when",
    "nights": "tour-edit-nights",
    "travellers": "tour-edit-travellers",
    "budget": "tour-edit-budget",
    "wishes": "tour-edit-wishes",
}
# Which button operations each screen accepts (anything else is an out-of-date button).
OPS = {
    "destination": {"dest"},
    "when": {"month", "flex"},
    "nights": {"nights"},
    "adults": {"adults"},
    "children": {"children"},
    "ages": {"age"},
    "budget": {"cur", "nolimit"},
    "wishes": {"skip"},
    "summary": {"confirm", "edit"},
    "edit": {"editstep", "summary"},
}
ASKABLE = frozenset(OPS)  # screens with a question (not the resume offer)


@dataclass
class Wizard:
    draft: tr.Draft
    step: str
    edit: str | None
    currency: str
    at: str
    token: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "draft": self.draft.to_dict(),
            "step": self.step,
            "edit": self.edit,
            "currency": self.currency,
            "at": self.at,
        }


def _now(ctx: Context) -> datetime:
    return ctx.services.clock.now()


def _today(ctx: Context) -> date:
    return _now(ctx).astimezone(ctx.services.rules.agency.tz).date()


def _default_currency(ctx: Context) -> str:
    currency = ctx.services.rules.agency.currency
    return currency if currency in CURRENCIES else CURRENCIES[0]


def load(ctx: Context) -> Wizard | None:
    raw = ctx.state.data.get(DRAFT_KEY)
    if not isinstance(raw, dict):
        return None
    return Wizard(
        draft=tr.Draft.from_dict(raw.get("draft") or {}),
        step=str(raw.get("step") or "destination"),
        edit=raw.get("edit"),
        currency=str(raw.get("currency") or _default_currency(ctx)),
        at=str(raw.get("at") or _now(ctx).isoformat()),
        token=str(raw.get("token") or uuid.uuid4().hex),
    )


def fresh(ctx: Context) -> Wizard:
    return Wizard(
        tr.Draft(),
        "destination",
        None,
        _default_currency(ctx),
        _now(ctx).isoformat(),
        uuid.uuid4().hex,
    )


def save(ctx: Context, wiz: Wizard) -> None:
    wiz.at = _now(ctx).isoformat()
    ctx.state.data[DRAFT_KEY] = wiz.to_dict()


def forget(ctx: Context) -> None:
    ctx.state.data.pop(DRAFT_KEY, None)


def current_screen(ctx: Context) -> str | None:
    name = ctx.state.name or ""
    return name.removeprefix(STATE_PREFIX) if name.startswith(STATE_PREFIX) else None


def abandoned(ctx: Context, wiz: Wizard) -> bool:
    try:
        last = datetime.fromisoformat(wiz.at)
    except ValueError:
        return True
    return _now(ctx) - last > ABANDONED_AFTER


# ---- screens ----------------------------------------------------------------------------------


def _b(label: str, *args: object) -> Button:
    return Button(label, encode("tw", *args))


def _nav(ctx: Context) -> list[AnyButton]:
    return [_b(ctx.t("button-back"), "back"), _b(ctx.t("button-cancel"), "cancel")]


def _chunks(buttons: Sequence[AnyButton], size: int) -> list[list[AnyButton]]:
    return [list(buttons[i : i + size]) for i in range(0, len(buttons), size)]


def _step_title(ctx: Context, step: str) -> str:
    number = {"destination": 1, "when": 2, "nights": 3, "budget": 5, "wishes": 6}.get(step, 4)
    return ctx.t("tour-step", number=number, total=6)


def ask(ctx: Context, wiz: Wizard) -> Reply:
    """The question of the wizard's current screen."""
    t = ctx.t
    step = wiz.step
    draft = wiz.draft
    grid: list[list[AnyButton]] = []
    if step == "destination":
        names = ctx.services.rules.agency.popular_destinations
        grid = _chunks([_b(n, "dest", i) for i, n in enumerate(names)], 2)
        text = t("tour-ask-destination", min=tr.DESTINATION_MIN, max=tr.DESTINATION_MAX)
    elif step == "when":
        months = tr.upcoming_months(_today(ctx))
        grid = _chunks([_b(tr.month_label(t.locale, m), "month", m) for m in months], 3)
        grid.append([_b(t("tour-when-flexible-button"), "flex")])
        text = t("tour-ask-when")
    elif step == "nights":
        ranges = [_b(tr.nights_label(t, r), "nights", i) for i, r in enumerate(tr.NIGHT_RANGES)]
        grid = _chunks(ranges, len(ranges))
        text = t("tour-ask-nights", min=tr.NIGHTS_MIN, max=tr.NIGHTS_MAX)
    elif step == "adults":
        grid = _chunks([_b(str(n), "adults", n) for n in range(1, tr.ADULTS_MAX + 1)], 5)
        text = t("tour-ask-adults")
    elif step == "children":
        grid = [[_b(str(n), "children", n) for n in range(tr.CHILDREN_MAX + 1)]]
        text = t("tour-ask-children")
    elif step == "ages":
        grid = _chunks([_b(str(n), "age", n) for n in range(tr.CHILD_AGE_MAX + 1)], 6)
        text = t("tour-ask-age", number=len(draft.ages) + 1, count=draft.children or 1)
    elif step == "budget":
        grid = [
            [_b(("✅ " if c == wiz.currency else "") + c, "cur", c) for c in CURRENCIES],
            [_b(t("tour-budget-none-button"), "nolimit")],
        ]
        text = t("tour-ask-budget", currency=wiz.currency)
    elif step == "wishes":
        grid = [[_b(t("tour-wishes-skip"), "skip")]]
        text = t("tour-ask-wishes", max=tr.WISHES_MAX)
    elif step == "edit":
        edits = [_b(t(EDIT_LABELS[g]), "editstep", g) for g in EDITABLE]
        grid = [*_chunks(edits, 2), [_b(t("button-back"), "summary"), _nav(ctx)[1]]]
        return Reply(t("tour-edit-which"), rows(*grid))
    else:  # summary
        text = f"{t('tour-summary-title')}\n\n{tr.render_summary(t, draft)}"
        grid = [[_b(t("tour-confirm"), "confirm")], [_b(t("tour-edit"), "edit")], _nav(ctx)]
        return Reply(text, rows(*grid))
    return Reply(f"{_step_title(ctx, step)}\n{text}", rows(*grid, _nav(ctx)))


def show(ctx: Context, wiz: Wizard, step: str, *, note: str | None = None) -> list[Reply]:
    """Move to ``step`` and ask its question (after an optional note)."""
    if step == "summary":
        wiz.edit = None
    wiz.step = step
    ctx.state.goto(STATE_PREFIX + step)
    save(ctx, wiz)
    question = ask(ctx, wiz)
    return [Reply(note), question] if note else [question]


def offer_resume(ctx: Context, wiz: Wizard) -> list[Reply]:
    save(ctx, wiz)
    ctx.state.goto(STATE_PREFIX + "resume")
    text = f"{ctx.t('tour-resume-ask')}\n\n{tr.render_summary(ctx.t, wiz.draft)}"
    buttons = rows(
        [_b(ctx.t("tour-resume-continue"), "continue")],
        [_b(ctx.t("tour-resume-restart"), "restart")],
        [_b(ctx.t("button-cancel"), "cancel")],
    )
    return [Reply(text, buttons)]


# ---- moving between steps ---------------------------------------------------------------------


def next_step(wiz: Wizard, step: str) -> str:
    draft = wiz.draft
    if step == "children":
        following = "ages" if draft.children else "budget"
    elif step == "ages":
        following = "ages" if len(draft.ages) < (draft.children or 0) else "budget"
    elif step == "wishes":
        following = "summary"
    else:
        following = STEPS[STEPS.index(step) + 1]
    if wiz.edit is not None and GROUPS.get(following, following) != wiz.edit:
        return "summary"
    return following


def previous_step(wiz: Wizard, step: str) -> str | None:
    """None: back from the first question leaves the wizard (its answers are kept)."""
    draft = wiz.draft
    if step in ("summary", "edit"):
        return "wishes" if step == "summary" else "summary"
    if wiz.edit is not None and step == FIRST_OF_GROUP.get(wiz.edit, wiz.edit):
        return "summary"
    if step == "ages" and draft.ages:
        draft.ages.pop()
        return "ages"
    if step in ("ages", "budget"):
        if step == "budget" and draft.children:
            draft.ages = draft.ages[: draft.children - 1]
            return "ages"
        return "children"
    index = STEPS.index(step)
    return STEPS[index - 1] if index > 0 else None


def first_missing(draft: tr.Draft) -> str:
    checks = (
        ("destination", draft.destination is None),
        ("when", draft.when is None),
        ("nights", draft.nights is None),
        ("adults", draft.adults is None),
        ("children", draft.children is None),
        ("ages", len(draft.ages) != (draft.children or 0)),
        ("budget", draft.budget is None),
        ("wishes", draft.wishes is None),
    )
    return next((step for step, missing in checks if missing), "summary")


# ---- answers ----------------------------------------------------------------------------------


def apply_text(ctx: Context, wiz: Wizard, step: str, text: str) -> None:
    """Validate a typed answer into the draft; raises :class:`InvalidInput`."""
    draft = wiz.draft
    if step == "destination":
        draft.destination = tr.parse_destination(text)
    elif step == "when":
        draft.when = tr.parse_dates(text, _today(ctx))
    elif step == "nights":
        draft.nights = tr.parse_nights(text)
    elif step == "adults":
        draft.adults = tr.parse_count(text, 1, tr.ADULTS_MAX, "tour-error-adults")
    elif step == "children":
        draft.children = tr.parse_count(text, 0, tr.CHILDREN_MAX, "tour-error-children")
        draft.ages = []
    elif step == "ages":
        draft.ages.append(tr.parse_count(text, 0, tr.CHILD_AGE_MAX, "tour-error-age"))
    elif step == "budget":
        amount, currency = tr.parse_budget(text, wiz.currency)
        draft.budget = (amount, currency)
        wiz.currency = currency
    elif step == "wishes":
        draft.wishes = tr.parse_wishes(text)
    else:
        raise InvalidInput("hint-use-buttons")


def apply_button(ctx: Context, wiz: Wizard, op: str, value: str) -> str | None:
    """Apply a pressed answer; returns the screen to show, or None when the button is stale."""
    draft = wiz.draft
    step = wiz.step
    try:
        if op == "dest":
            names = ctx.services.rules.agency.popular_destinations
            draft.destination = names[int(value)]
        elif op == "month":
            if value not in tr.upcoming_months(_today(ctx)):
                return None
            draft.when = {"month": value}
        elif op == "flex":
            draft.when = {}
        elif op == "nights":
            draft.nights = tr.NIGHT_RANGES[int(value)]
        elif op == "adults":
            draft.adults = tr.parse_count(value, 1, tr.ADULTS_MAX, "tour-error-adults")
        elif op == "children":
            draft.children = tr.parse_count(value, 0, tr.CHILDREN_MAX, "tour-error-children")
            draft.ages = []
        elif op == "age":
            if len(draft.ages) >= (draft.children or 0):
                return None
            draft.ages.append(tr.parse_count(value, 0, tr.CHILD_AGE_MAX, "tour-error-age"))
        elif op == "cur":
            if value not in CURRENCIES:
                return None
            wiz.currency = value
            return "budget"  # same question, in the chosen currency
        elif op == "nolimit":
            draft.budget = (None, None)
        elif op == "skip":
            draft.wishes = ""
        elif op == "edit":
            return "edit"
        elif op == "summary":
            return "summary"
        elif op == "editstep":
            if value not in EDITABLE:
                return None
            wiz.edit = value
            return FIRST_OF_GROUP.get(value, value)
        else:
            return None
    except (ValueError, IndexError, InvalidInput):
        return None
    return next_step(wiz, step)


# ---- entry points -----------------------------------------------------------------------------


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="tour")
    return [Reply(ctx.t("tour-phone-first")), phone_request(ctx)]


@router.after_phone("tour")
async def start_wizard(ctx: Context) -> list[Reply]:
    """The "Find a tour" entry: resume offer for a started draft, else the first question."""
    wiz = load(ctx)
    if wiz is not None and wiz.draft.started:
        return offer_resume(ctx, wiz)
    return show(ctx, fresh(ctx), "destination", note=ctx.t("tour-intro"))


@router.button("tour")
async def tour_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    return await start_wizard(ctx)


def cancel(ctx: Context) -> list[Reply]:
    forget(ctx)
    ctx.state.reset()
    return [main_menu(ctx, note=ctx.t("tour-cancelled"))]


async def confirm(ctx: Context, wiz: Wizard) -> list[Reply]:
    assert ctx.client is not None
    missing = first_missing(wiz.draft)
    if missing != "summary":
        return show(ctx, wiz, missing, note=ctx.t("tour-error-incomplete"))
    try:
        request = await tr.create_request(
            ctx.services, ctx.client, wiz.draft, token=f"{ctx.client.id}:{wiz.token}"
        )
    except tr.AlreadySent as done:
        forget(ctx)
        ctx.state.reset()
        return [main_menu(ctx, note=ctx.t(done.key))]
    forget(ctx)
    ctx.state.reset()
    return [
        Reply(ctx.t("tour-confirmed", number=request.number)),
        main_menu(ctx),
    ]


@router.button("tw")
async def wizard_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    op, value = payload.arg(0), payload.arg(1)
    wiz = load(ctx)
    screen = current_screen(ctx)
    if op == "cancel":
        return cancel(ctx)
    if wiz is None:  # a button of a finished or cancelled wizard
        ctx.state.reset()
        return [main_menu(ctx, note=ctx.t("hint-stale-button"))]
    if op == "restart":
        return show(ctx, fresh(ctx), "destination", note=ctx.t("tour-intro"))
    if op == "continue":
        return show(ctx, wiz, wiz.step if wiz.step in ASKABLE else "destination")
    if screen is None or screen == "resume" or screen not in OPS:
        return offer_resume(ctx, wiz)
    wiz.step = screen
    if op == "back":
        previous = previous_step(wiz, screen)
        if previous is None:
            save(ctx, wiz)
            ctx.state.reset()
            return [main_menu(ctx, note=ctx.t("tour-paused"))]
        return show(ctx, wiz, previous)
    if op == "confirm" and screen == "summary":
        return await confirm(ctx, wiz)
    target = apply_button(ctx, wiz, op, value) if op in OPS.get(screen, set()) else None
    if target is None:
        return show(ctx, wiz, screen, note=ctx.t("tour-hint-stale"))
    return show(ctx, wiz, target)


@router.state("tour.*")
async def wizard_text(ctx: Context, incoming: Incoming) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    wiz = load(ctx)
    screen = current_screen(ctx) or "destination"
    if wiz is None:
        return show(ctx, fresh(ctx), "destination", note=ctx.t("tour-intro"))
    if screen not in ASKABLE:
        return [Reply(ctx.t("hint-use-buttons")), *offer_resume(ctx, wiz)]
    wiz.step = screen
    if abandoned(ctx, wiz):
        return offer_resume(ctx, wiz)
    if screen in ("summary", "edit"):
        return show(ctx, wiz, screen, note=ctx.t("hint-use-buttons"))
    if incoming.kind is not Kind.TEXT or not (incoming.text or "").strip():
        return show(ctx, wiz, screen, note=ctx.t("tour-hint-type"))
    try:
        apply_text(ctx, wiz, screen, incoming.text or "")
    except InvalidInput as error:
        return show(ctx, wiz, screen, note=ctx.t(error.key, **error.args_))
    return show(ctx, wiz, next_step(wiz, screen))
