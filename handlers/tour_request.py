"""The tour request wizard: destination -> when -> nights -> travellers -> budget -> wishes ->
summary -> confirm. (Staff take a new request in :mod:`handlers.staff.requests`.)

The wizard is :data:`STEPS`, one :class:`~handlers.wizard.Step` record per question, walked by
the engine in ``handlers/wizard.py`` (next / back / cancel / edit / resume). Adding a question
is adding one record here. The answers are kept in the conversation state under ``_tour``, in
the shape of :class:`core.tour_requests.Draft`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core import tour_requests as tr
from core.contract import Incoming, Reply
from core.errors import InvalidInput
from core.i18n import T
from core.money import CURRENCIES
from core.payloads import Payload
from core.tour_input import (
    NIGHTS_MAX,
    NIGHTS_MIN,
    check_fit,
    parse_nights,
    parse_when,
    upcoming_months,
)
from handlers.context import Context
from handlers.identity import phone_request
from handlers.menu import main_menu
from handlers.router import Router
from handlers.wizard import AGAIN, Answers, Flow, Run, Step

router = Router()

Choices = list[list[tuple[str, str, object]]]


def _today(ctx: Context) -> date:
    return ctx.services.clock.now().astimezone(ctx.services.rules.agency.tz).date()


def _rows(choices: list[tuple[str, str, object]], size: int) -> Choices:
    return [choices[i : i + size] for i in range(0, len(choices), size)]


def draft_of(answers: Answers) -> tr.Draft:
    return tr.Draft.from_dict(answers)


def _nights(answers: Answers) -> tuple[int, int | None] | None:
    return draft_of(answers).nights


def _currency(ctx: Context, run: Run) -> str:
    chosen = run.memo.get("currency")
    if chosen in CURRENCIES:
        return str(chosen)
    currency = ctx.services.rules.agency.currency
    return currency if currency in CURRENCIES else CURRENCIES[0]


def _count(low: int, high: int, key: str) -> Any:
    return lambda ctx, run, text: tr.parse_count(text, low, high, key)


# ---- the steps --------------------------------------------------------------------------------


def _destinations(ctx: Context, run: Run) -> Choices:
    names = ctx.services.rules.agency.popular_destinations
    labels = [tr.destination_label(ctx.t, name) for name in names]
    return _rows([(label, "dest", i) for i, label in enumerate(labels)], 2)


DESTINATION = Step(
    name="destination",
    ask="tour-ask-destination",
    ask_args=lambda ctx, run: {"min": tr.DESTINATION_MIN, "max": tr.DESTINATION_MAX},
    choices=_destinations,
    text=lambda ctx, run, text: tr.parse_destination(text),
    buttons={"dest": lambda ctx, run, v: ctx.services.rules.agency.popular_destinations[int(v)]},
    summary=("tour-summary-destination", lambda t, a: tr.destination_label(t, a["destination"])),
    edit="tour-edit-destination",
)


def _months(ctx: Context, run: Run) -> Choices:
    months = upcoming_months(_today(ctx))
    grid = _rows([(tr.month_label(ctx.locale, m), "month", m) for m in months], 3)
    return [*grid, [(ctx.t("tour-when-flexible-button"), "flex", None)]]


def _typed_when(ctx: Context, run: Run, text: str) -> dict[str, str]:
    when = parse_when(text, _today(ctx))
    check_fit(when, _nights(run.answers))
    return when


WHEN = Step(
    name="when",
    ask="tour-ask-when",
    choices=_months,
    text=_typed_when,
    buttons={"month": lambda ctx, run, v: {"month": v}, "flex": lambda ctx, run, v: {}},
    summary=("tour-summary-when", lambda t, a: tr.when_label(t, a["when"])),
    edit="tour-edit-when",
)


def _fitting_nights(run: Run, nights: tuple[int, int | None]) -> list[int | None]:
    check_fit(run.answers.get("when"), nights)
    return list(nights)


NIGHTS = Step(
    name="nights",
    ask="tour-ask-nights",
    ask_args=lambda ctx, run: {"min": NIGHTS_MIN, "max": NIGHTS_MAX},
    choices=lambda ctx, run: [
        [(tr.nights_label(ctx.t, r), "nights", i) for i, r in enumerate(tr.NIGHT_RANGES)]
    ],
    text=lambda ctx, run, text: _fitting_nights(run, parse_nights(text)),
    buttons={"nights": lambda ctx, run, v: _fitting_nights(run, tr.NIGHT_RANGES[int(v)])},
    summary=("tour-summary-nights", lambda t, a: tr.nights_label(t, _nights(a) or (0, 0))),
    edit="tour-edit-nights",
)


def _travellers(t: T, answers: Answers) -> str:
    draft = draft_of(answers)
    return tr.travellers_label(t, draft.adults or 0, draft.ages)


ADULTS = Step(
    name="adults",
    ask="tour-ask-adults",
    choices=lambda ctx, run: _rows([(str(n), "adults", n) for n in range(1, tr.ADULTS_MAX + 1)], 5),
    text=_count(1, tr.ADULTS_MAX, "tour-error-adults"),
    buttons={"adults": lambda ctx, run, v: int(v)},
    summary=("tour-summary-travellers", _travellers),
    edit="tour-edit-travellers",
)


def _keep_children(run: Run, value: int) -> None:
    run.answers["children"] = value
    run.answers["ages"] = []


CHILDREN = Step(
    name="children",
    ask="tour-ask-children",
    choices=lambda ctx, run: [[(str(n), "children", n) for n in range(tr.CHILDREN_MAX + 1)]],
    text=_count(0, tr.CHILDREN_MAX, "tour-error-children"),
    buttons={"children": lambda ctx, run, v: int(v)},
    store=_keep_children,
)


def _ages(answers: Answers) -> list[int]:
    ages = answers.get("ages")
    if not isinstance(ages, list):
        ages = answers["ages"] = []
    return ages


def _age_back(answers: Answers) -> bool:
    """Back on "child 2 of 2" asks child 1 again; on child 1, Back goes to the children."""
    ages = _ages(answers)
    if not ages:
        return False
    ages.pop()
    return True


def _reopen_ages(answers: Answers) -> None:
    answers["ages"] = _ages(answers)[: max(int(answers.get("children") or 0) - 1, 0)]


AGES = Step(
    name="ages",
    ask="tour-ask-age",
    ask_args=lambda ctx, run: {
        "number": len(_ages(run.answers)) + 1,
        "count": run.answers.get("children") or 1,
    },
    choices=lambda ctx, run: _rows([(str(n), "age", n) for n in range(tr.CHILD_AGE_MAX + 1)], 6),
    text=_count(0, tr.CHILD_AGE_MAX, "tour-error-age"),
    buttons={"age": lambda ctx, run, v: int(v)},
    store=lambda run, value: _ages(run.answers).append(value),
    applies=lambda a: bool(a.get("children")),
    answered=lambda a: len(_ages(a)) == (a.get("children") or 0),
    back_within=_age_back,
    reopen=_reopen_ages,
)


def _budget_choices(ctx: Context, run: Run) -> Choices:
    chosen = _currency(ctx, run)
    currencies: list[tuple[str, str, object]] = [
        (("✅ " if c == chosen else "") + c, "cur", c) for c in CURRENCIES
    ]
    return [currencies, [(ctx.t("tour-budget-none-button"), "nolimit", None)]]


def _typed_budget(ctx: Context, run: Run, text: str) -> list[Any]:
    ceiling = ctx.services.rules.tour_requests.budget_max
    try:
        amount, currency = tr.parse_budget(text, _currency(ctx, run), ceiling)
    except tr.BudgetTooHigh as high:
        shown = ctx.t.money(int(high.args_["max"]), str(high.args_["currency"]))
        raise InvalidInput(high.key, max=shown) from None
    run.memo["currency"] = currency
    return [amount, currency]


def _choose_currency(ctx: Context, run: Run, value: str) -> object:
    run.memo["currency"] = value
    return AGAIN  # the same question, in the chosen currency


def _budget_line(t: T, answers: Answers) -> str:
    return tr.budget_label(t, draft_of(answers).budget or (None, None))


BUDGET = Step(
    name="budget",
    ask="tour-ask-budget",
    ask_args=lambda ctx, run: {"currency": _currency(ctx, run)},
    choices=_budget_choices,
    text=_typed_budget,
    buttons={"cur": _choose_currency, "nolimit": lambda ctx, run, v: [None, None]},
    summary=("tour-summary-budget", _budget_line),
    edit="tour-edit-budget",
)

WISHES = Step(
    name="wishes",
    ask="tour-ask-wishes",
    ask_args=lambda ctx, run: {"max": tr.WISHES_MAX},
    choices=lambda ctx, run: [[(ctx.t("tour-wishes-skip"), "skip", None)]],
    text=lambda ctx, run, text: tr.parse_wishes(text),
    buttons={"skip": lambda ctx, run, v: ""},
    summary=("tour-summary-wishes", lambda t, a: a["wishes"] or None),
    edit="tour-edit-wishes",
)

STEPS = (DESTINATION, WHEN, NIGHTS, ADULTS, CHILDREN, AGES, BUDGET, WISHES)


# ---- finishing --------------------------------------------------------------------------------


async def send_request(ctx: Context, run: Run) -> list[Reply]:
    """The confirmed answers become a request; staff are told. (The engine then forgets the
    draft.)"""
    assert ctx.client is not None
    try:
        request = await tr.create_request(
            ctx.services, ctx.client, draft_of(run.answers), token=f"{ctx.client.id}:{run.token}"
        )
    except tr.AlreadySent as done:
        return [main_menu(ctx, note=ctx.t(done.key))]
    return [Reply(ctx.t("tour-confirmed", number=request.number)), main_menu(ctx)]


WIZARD = Flow(steps=STEPS, action="tw", prefix="tour.", store_key="_tour", finish=send_request)


# ---- entry points -----------------------------------------------------------------------------


def _need_phone(ctx: Context) -> list[Reply]:
    ctx.state.goto("identify.phone", after="tour")
    return [Reply(ctx.t("tour-phone-first")), phone_request(ctx)]


@router.after_phone("tour")
async def start_wizard(ctx: Context) -> list[Reply]:
    """The "Find a tour" entry: resume offer for a started draft, else the first question."""
    return WIZARD.start(ctx)


@router.screen("tour.*")
async def wizard_again(ctx: Context) -> list[Reply]:
    """The wizard's current question again, answers kept."""
    return WIZARD.again(ctx)


@router.button("tour")
async def tour_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    return await start_wizard(ctx)


@router.button("tw")
async def wizard_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    return await WIZARD.on_button(ctx, incoming, payload)


@router.state("tour.*")
async def wizard_text(ctx: Context, incoming: Incoming) -> list[Reply]:
    if ctx.client is None:
        return _need_phone(ctx)
    return await WIZARD.on_text(ctx, incoming)
