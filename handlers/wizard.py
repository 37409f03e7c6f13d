"""A wizard is data: a list of :class:`Step` records walked by one engine, :class:`Flow`.

Each step is one record holding everything about it: its question (a translation key, its
arguments and its buttons), how a typed answer and each accepted button are read into a value,
where the value is kept, the summary line it shows, the label of its Edit button, and when it
applies. Adding a step is adding one record to the list; the engine derives the rest: the
"Step N of M" numbering, next / back, the summary, the Edit menu, which buttons each screen
accepts, what is still missing, and resuming from the stored state after a restart.

A step without an edit label joins the section of the step before it (the travellers section
is three questions: adults, children, each child's age): it shares that step's number, summary
line and Edit target.

The answers live in the conversation state under ``Flow.store_key`` (kept by
``State.reset()``) as a JSON dict keyed by step name; the screen lives in the state name
(``<prefix><step>``), so a wizard left half-way resumes after a restart or a trip to the menu.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput
from core.i18n import T
from core.payloads import Payload, encode
from core.tour_input import is_cancel
from handlers.context import Context
from handlers.menu import main_menu

Answers = dict[str, Any]


class Stale(Exception):
    """A button that is not one of those offered on this screen now."""


class _Again:
    """Returned by a button reader: ask the same question again, nothing answered."""


AGAIN = _Again()


@dataclass
class Run:
    """One wizard run: the answers so far (by step name), the screen, the section being edited,
    and a per-run scratchpad for steps (``memo``: a chosen currency, say)."""

    answers: Answers
    step: str
    edit: str | None
    at: str
    token: str
    memo: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "draft": self.answers,
            "step": self.step,
            "edit": self.edit,
            "at": self.at,
            "memo": self.memo,
        }


Reader = Callable[[Context, Run, str], Any]  # -> the value, or AGAIN; raises on bad input
Grid = list[list[AnyButton]]


def _store(name: str) -> Callable[[Run, Any], None]:
    def store(draft: Run, value: Any) -> None:
        draft.answers[name] = value

    return store


@dataclass(frozen=True)
class Step:
    """One question of a wizard, and everything about it."""

    name: str  # key of its answer and part of the state name
    ask: str  # translation key of the question
    ask_args: Callable[[Context, Run], Mapping[str, Any]] = lambda ctx, d: {}
    # the offered buttons: rows of (label, op, value or None); op is a key of ``buttons``
    choices: Callable[[Context, Run], list[list[tuple[str, str, object]]]] = lambda c, d: []
    text: Reader | None = None  # reads a typed answer; None: buttons only
    buttons: Mapping[str, Reader] = field(default_factory=dict)  # op -> reader of its value
    # where the value goes (default: answers[name]); a step may keep more than its own key
    store: Callable[[Run, Any], None] | None = None
    # the summary line: translation key and the shown value (None: "—")
    summary: tuple[str, Callable[[T, Answers], str | None]] | None = None
    edit: str | None = None  # label key of its Edit button; None: joins the previous section
    applies: Callable[[Answers], bool] = lambda a: True
    answered: Callable[[Answers], bool] | None = None  # default: answers[name] is not None
    # Back pressed on this step: undo part of its own answer and ask again (True), or not
    back_within: Callable[[Answers], bool] = lambda a: False
    # Back into this step from the one after it: make its answer ready to be asked again
    reopen: Callable[[Answers], None] = lambda a: None

    def is_answered(self, answers: Answers) -> bool:
        if self.answered is not None:
            return self.answered(answers)
        return answers.get(self.name) is not None

    def keep(self, draft: Run, value: Any) -> None:
        (self.store or _store(self.name))(draft, value)


@dataclass(frozen=True)
class Texts:
    """Translation keys of the engine's own screens."""

    intro: str = "tour-intro"
    step: str = "tour-step"  # $number, $total
    summary_title: str = "tour-summary-title"
    confirm: str = "tour-confirm"
    edit: str = "tour-edit"
    edit_which: str = "tour-edit-which"
    resume_ask: str = "tour-resume-ask"
    resume_continue: str = "tour-resume-continue"
    resume_restart: str = "tour-resume-restart"
    cancelled: str = "tour-cancelled"
    paused: str = "tour-paused"
    hint_stale: str = "tour-hint-stale"
    hint_type: str = "tour-hint-type"
    incomplete: str = "tour-error-incomplete"


SUMMARY, EDIT, RESUME = "summary", "edit", "resume"
Finish = Callable[[Context, Run], Awaitable[list[Reply]]]


@dataclass(frozen=True)
class Flow:
    """The engine: walks ``steps``; ``finish`` gets the confirmed run (and raises, or returns
    the replies; the run is forgotten after it returns)."""

    steps: Sequence[Step]
    action: str  # button payload action of this wizard's buttons
    prefix: str  # state name prefix of its screens
    store_key: str  # conversation state key of the draft
    finish: Finish
    texts: Texts = Texts()
    abandoned_after: timedelta = timedelta(hours=1)
    by_name: dict[str, Step] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names) or {SUMMARY, EDIT, RESUME} & set(names):
            raise ValueError(f"step names must be unique and not reserved: {names}")
        if not self.steps or self.steps[0].edit is None:
            raise ValueError("the first step opens a section: give it an edit label")
        object.__setattr__(self, "by_name", {s.name: s for s in self.steps})

    # ---- the list, read ---------------------------------------------------------------------

    def _index(self, name: str) -> int:
        return next(i for i, s in enumerate(self.steps) if s.name == name)

    def section_of(self, name: str) -> Step:
        """The step that opens the section ``name`` belongs to."""
        index = self._index(name)
        while self.steps[index].edit is None:
            index -= 1
        return self.steps[index]

    def sections(self) -> list[Step]:
        return [s for s in self.steps if s.edit is not None]

    def first_missing(self, answers: Answers) -> str:
        for step in self.steps:
            if step.applies(answers) and not step.is_answered(answers):
                return step.name
        return SUMMARY

    def started(self, answers: Answers) -> bool:
        return self.steps[0].is_answered(answers)

    def summary(self, t: T, answers: Answers) -> str:
        lines = []
        for step in self.steps:
            if step.summary is not None:
                key, value = step.summary
                shown = value(t, answers) if step.is_answered(answers) else None
                lines.append(t(key, value=shown or "—"))
        return "\n".join(lines)

    # ---- the stored draft -------------------------------------------------------------------

    def _now(self, ctx: Context) -> datetime:
        return ctx.services.clock.now()

    def load(self, ctx: Context) -> Run | None:
        raw = ctx.state.data.get(self.store_key)
        if not isinstance(raw, dict):
            return None
        memo = raw.get("memo")
        memo = dict(memo) if isinstance(memo, dict) else {}
        if raw.get("currency"):  # stored before the memo existed
            memo.setdefault("currency", raw["currency"])
        answers = raw.get("draft")
        return Run(
            answers=dict(answers) if isinstance(answers, dict) else {},
            step=str(raw.get("step") or self.steps[0].name),
            edit=raw.get("edit") if isinstance(raw.get("edit"), str) else None,
            at=str(raw.get("at") or self._now(ctx).isoformat()),
            token=str(raw.get("token") or uuid.uuid4().hex),
            memo=memo,
        )

    def fresh(self, ctx: Context) -> Run:
        return Run({}, self.steps[0].name, None, self._now(ctx).isoformat(), uuid.uuid4().hex)

    def save(self, ctx: Context, draft: Run) -> None:
        draft.at = self._now(ctx).isoformat()
        ctx.state.data[self.store_key] = draft.to_dict()

    def forget(self, ctx: Context) -> None:
        ctx.state.data.pop(self.store_key, None)
        ctx.state.reset()

    def screen(self, ctx: Context) -> str | None:
        name = ctx.state.name or ""
        return name.removeprefix(self.prefix) if name.startswith(self.prefix) else None

    def abandoned(self, ctx: Context, draft: Run) -> bool:
        try:
            last = datetime.fromisoformat(draft.at)
        except ValueError:
            return True
        return self._now(ctx) - last > self.abandoned_after

    # ---- screens ----------------------------------------------------------------------------

    def _b(self, label: str, *args: object) -> Button:
        return Button(label, encode(self.action, *args))

    def _choice(self, label: str, op: str, value: object) -> Button:
        return self._b(label, op) if value is None else self._b(label, op, value)

    def _nav(self, ctx: Context) -> list[AnyButton]:
        return [self._b(ctx.t("button-back"), "back"), self._b(ctx.t("button-cancel"), "cancel")]

    def ask(self, ctx: Context, draft: Run) -> Reply:
        """The question of the draft's current screen."""
        t = ctx.t
        if draft.step == EDIT:
            edits: list[AnyButton] = [
                self._b(t(s.edit or ""), "editstep", s.name) for s in self.sections()
            ]
            pairs: Grid = [edits[i : i + 2] for i in range(0, len(edits), 2)]
            back = self._b(t("button-back"), SUMMARY)
            return Reply(t(self.texts.edit_which), rows(*pairs, [back, self._nav(ctx)[1]]))
        if draft.step == SUMMARY:
            text = f"{t(self.texts.summary_title)}\n\n{self.summary(t, draft.answers)}"
            grid: Grid = [
                [self._b(t(self.texts.confirm), "confirm")],
                [self._b(t(self.texts.edit), EDIT)],
                self._nav(ctx),
            ]
            return Reply(text, rows(*grid))
        step = self.by_name[draft.step]
        offered = step.choices(ctx, draft)
        grid = [[self._choice(label, op, value) for label, op, value in row] for row in offered]
        sections = self.sections()
        number = sections.index(self.section_of(step.name)) + 1
        title = t(self.texts.step, number=number, total=len(sections))
        text = t(step.ask, **dict(step.ask_args(ctx, draft)))
        return Reply(f"{title}\n{text}", rows(*grid, self._nav(ctx)))

    def show(self, ctx: Context, draft: Run, step: str, *, note: str | None = None) -> list[Reply]:
        """Move to ``step`` and ask its question (after an optional note)."""
        if step == SUMMARY:
            draft.edit = None
        draft.step = step
        ctx.state.goto(self.prefix + step)
        self.save(ctx, draft)
        question = self.ask(ctx, draft)
        return [Reply(note), question] if note else [question]

    def offer_resume(self, ctx: Context, draft: Run) -> list[Reply]:
        self.save(ctx, draft)
        ctx.state.goto(self.prefix + RESUME)
        t = ctx.t
        text = f"{t(self.texts.resume_ask)}\n\n{self.summary(t, draft.answers)}"
        buttons = rows(
            [self._b(t(self.texts.resume_continue), "continue")],
            [self._b(t(self.texts.resume_restart), "restart")],
            [self._b(t("button-cancel"), "cancel")],
        )
        return [Reply(text, buttons)]

    # ---- moving -----------------------------------------------------------------------------

    def next_step(self, draft: Run, name: str) -> str:
        answers = draft.answers
        step = self.by_name[name]
        following = SUMMARY
        if step.applies(answers) and not step.is_answered(answers):
            following = name  # a step asked more than once (each child's age)
        else:
            for later in self.steps[self._index(name) + 1 :]:
                if later.applies(answers):
                    following = later.name
                    break
        leaves_section = following != SUMMARY and self.section_of(following).name != draft.edit
        if draft.edit is not None and leaves_section:
            return SUMMARY
        return following

    def _last_before(self, answers: Answers, index: int) -> Step | None:
        for earlier in reversed(self.steps[:index]):
            if earlier.applies(answers):
                return earlier
        return None

    def previous_step(self, draft: Run, name: str) -> str | None:
        """None: Back from the first question leaves the wizard (its answers are kept)."""
        answers = draft.answers
        if name == EDIT:
            return SUMMARY
        if name == SUMMARY:
            index = len(self.steps)
        else:
            if draft.edit is not None and name == draft.edit:
                return SUMMARY  # Back from the first question of an edited section
            if self.by_name[name].back_within(answers):
                return name
            index = self._index(name)
        earlier = self._last_before(answers, index)
        if earlier is None:
            return None
        earlier.reopen(answers)
        return earlier.name

    # ---- answers ----------------------------------------------------------------------------

    def apply_button(self, ctx: Context, draft: Run, op: str, value: str) -> str:
        """Apply a pressed answer; the screen to show next. Raises :class:`Stale` for a button
        that is not offered here, :class:`InvalidInput` for an answer that does not fit."""
        step = self.by_name[draft.step]
        reader = step.buttons.get(op)
        if reader is None:
            raise Stale(op)
        offered = {
            (o, "" if v is None else str(v)) for row in step.choices(ctx, draft) for _, o, v in row
        }
        if (op, value) not in offered:
            raise Stale(op)
        try:
            result = reader(ctx, draft, value)
        except (ValueError, IndexError, KeyError, TypeError):
            raise Stale(op) from None
        if isinstance(result, _Again):
            return step.name
        step.keep(draft, result)
        return self.next_step(draft, step.name)

    def apply_text(self, ctx: Context, draft: Run, text: str) -> str:
        step = self.by_name[draft.step]
        if step.text is None:
            raise InvalidInput("hint-use-buttons")
        result = step.text(ctx, draft, text)
        if isinstance(result, _Again):
            return step.name
        step.keep(draft, result)
        return self.next_step(draft, step.name)

    # ---- entry points -----------------------------------------------------------------------

    def start(self, ctx: Context) -> list[Reply]:
        """A resume offer for a started draft, else the first question."""
        draft = self.load(ctx)
        if draft is not None and self.started(draft.answers):
            return self.offer_resume(ctx, draft)
        return self.restart(ctx)

    def again(self, ctx: Context) -> list[Reply]:
        """The current screen once more, nothing answered (the person stepped away and came
        back, e.g. to share their phone)."""
        draft = self.load(ctx)
        screen = self.screen(ctx)
        if draft is None:
            return self.restart(ctx)
        if screen is None or not self._askable(screen):
            return self.offer_resume(ctx, draft)
        return self.show(ctx, draft, screen)

    def restart(self, ctx: Context) -> list[Reply]:
        return self.show(ctx, self.fresh(ctx), self.steps[0].name, note=ctx.t(self.texts.intro))

    def cancel(self, ctx: Context) -> list[Reply]:
        self.forget(ctx)
        return [main_menu(ctx, note=ctx.t(self.texts.cancelled))]

    async def confirm(self, ctx: Context, draft: Run) -> list[Reply]:
        missing = self.first_missing(draft.answers)
        if missing != SUMMARY:
            return self.show(ctx, draft, missing, note=ctx.t(self.texts.incomplete))
        replies = await self.finish(ctx, draft)
        self.forget(ctx)
        return replies

    def _askable(self, screen: str) -> bool:
        return screen in self.by_name or screen in (SUMMARY, EDIT)

    async def on_button(self, ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
        op, value = payload.arg(0), payload.arg(1)
        draft = self.load(ctx)
        screen = self.screen(ctx)
        if op == "cancel":
            return self.cancel(ctx)
        if draft is None:  # a button of a finished or cancelled wizard
            ctx.state.reset()
            return [main_menu(ctx, note=ctx.t("hint-stale-button"))]
        if op == "restart":
            return self.restart(ctx)
        if op == "continue":
            step = draft.step if self._askable(draft.step) else self.first_missing(draft.answers)
            return self.show(ctx, draft, step)
        if screen is None or not self._askable(screen):
            return self.offer_resume(ctx, draft)
        draft.step = screen
        if op == "back":
            previous = self.previous_step(draft, screen)
            if previous is None:
                self.save(ctx, draft)
                ctx.state.reset()
                return [main_menu(ctx, note=ctx.t(self.texts.paused))]
            return self.show(ctx, draft, previous)
        return await self._screen_button(ctx, draft, screen, op, value)

    async def _screen_button(
        self, ctx: Context, draft: Run, screen: str, op: str, value: str
    ) -> list[Reply]:
        if screen == SUMMARY and op == "confirm":
            return await self.confirm(ctx, draft)
        if screen == SUMMARY and op == EDIT:
            return self.show(ctx, draft, EDIT)
        if screen == EDIT and op == SUMMARY:
            return self.show(ctx, draft, SUMMARY)
        if screen == EDIT and op == "editstep":
            section = self.by_name.get(value)
            if section is None or section.edit is None:
                return self.show(ctx, draft, screen, note=ctx.t(self.texts.hint_stale))
            draft.edit = section.name
            return self.show(ctx, draft, section.name)
        if screen in (SUMMARY, EDIT):
            return self.show(ctx, draft, screen, note=ctx.t(self.texts.hint_stale))
        try:
            target = self.apply_button(ctx, draft, op, value)
        except Stale:
            return self.show(ctx, draft, screen, note=ctx.t(self.texts.hint_stale))
        except InvalidInput as error:
            return self.show(ctx, draft, screen, note=ctx.t(error.key, **error.args_))
        return self.show(ctx, draft, target)

    async def on_text(self, ctx: Context, incoming: Incoming) -> list[Reply]:
        draft = self.load(ctx)
        if incoming.kind is Kind.TEXT and is_cancel(incoming.text):
            return self.cancel(ctx)
        screen = self.screen(ctx) or self.steps[0].name
        if draft is None:
            return self.restart(ctx)
        if not self._askable(screen):
            return [Reply(ctx.t("hint-use-buttons")), *self.offer_resume(ctx, draft)]
        draft.step = screen
        if self.abandoned(ctx, draft):
            return self.offer_resume(ctx, draft)
        if screen in (SUMMARY, EDIT):
            return self.show(ctx, draft, screen, note=ctx.t("hint-use-buttons"))
        if incoming.kind is not Kind.TEXT or not (incoming.text or "").strip():
            return self.show(ctx, draft, screen, note=ctx.t(self.texts.hint_type))
        try:
            target = self.apply_text(ctx, draft, incoming.text or "")
        except InvalidInput as error:
            return self.show(ctx, draft, screen, note=ctx.t(error.key, **error.args_))
        return self.show(ctx, draft, target)
