"""``/mailings``: create (now, at a time, or as a draft), progress, pause / resume / cancel —
the same engine as the chat and ``tourdesk mailing`` (core/mailings/service.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from bots.api.schemas import STRICT
from core.mailings import service
from core.mailings.content import MAX_LINKS, MAX_TEXT
from core.mailings.service import MAX_RATE
from core.services import Services
from storage.models import Mailing, MailingStatus

routes = RouteTable("mailings")

Text = Field(None, max_length=MAX_TEXT)


class Texts(BaseModel):
    """The text per language; ``default`` for every language without its own. At least one."""

    model_config = STRICT
    default: str | None = Text
    uk: str | None = Text
    en: str | None = Text
    ru: str | None = Text


class LinkButton(BaseModel):
    model_config = STRICT
    label: str = Field(min_length=1, max_length=64)
    url: str = Field(max_length=512, description="http(s)")


class MailingIn(BaseModel):
    model_config = STRICT
    texts: Texts
    segment: str = Field("", max_length=1000, description="README 'Segments'; '' = everyone")
    picture_url: str | None = Field(None, max_length=512)
    links: list[LinkButton] = Field(default_factory=list, max_length=MAX_LINKS)
    rate: int | None = Field(None, ge=1, le=MAX_RATE, description="messages per second")
    start_at: AwareDatetime | None = Field(
        None, description="default: now; inside quiet hours it moves to their end"
    )
    draft: bool = Field(False, description="keep it as a draft; start it later")


class StartIn(BaseModel):
    model_config = STRICT
    start_at: AwareDatetime | None = None


class MailingOut(BaseModel):
    id: int
    status: MailingStatus
    texts: dict[str, str]
    segment: str
    picture_url: str | None
    links: list[LinkButton]
    rate: int | None
    run_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    created_at: datetime


class MailingReport(MailingOut):
    recipients: int
    outcomes: dict[str, int] = Field(description="recipients per outcome (sent, delivered, ...)")


class MailingSearch(PageQuery):
    status: MailingStatus | None = None


def mailing_out(m: Mailing) -> MailingOut:
    return MailingOut(
        id=m.id,
        status=MailingStatus(m.status),
        texts=dict(m.texts),
        segment=m.segment,
        picture_url=m.picture_url,
        links=[LinkButton(label=str(label), url=str(url)) for label, url in m.links],
        rate=m.rate,
        run_at=m.run_at,
        started_at=m.started_at,
        finished_at=m.finished_at,
        created_at=m.created_at,
    )


async def report_of(mailing_id: int) -> MailingReport:
    rep = await service.report(mailing_id)
    return MailingReport(
        **mailing_out(rep.mailing).model_dump(), recipients=rep.total, outcomes=rep.outcomes
    )


@routes.get(
    "/mailings",
    scope="mailings:read",
    summary="Mailings",
    query=MailingSearch,
    response=Page[MailingOut],
)
async def list_mailings(call: Call, query: MailingSearch) -> Page[MailingOut]:
    found = Mailing.all()
    if query.status is not None:
        found = found.filter(status=query.status)
    return await page_of(found, query, mailing_out)


@routes.post(
    "/mailings",
    scope="mailings:write",
    summary="Create a mailing and start it now, at start_at, or keep it as a draft",
    body=MailingIn,
    response=MailingReport,
    status=201,
)
async def create(call: Call, body: MailingIn) -> MailingReport:
    services = call.services
    if not body.draft:
        service.start_time(services, body.start_at)  # refuse a past time before writing
    texts = {k: v for k, v in body.texts.model_dump().items() if v is not None}
    mailing = await service.create_mailing(
        services,
        texts,
        segment=body.segment,
        picture_url=body.picture_url,
        links=[(link.label, link.url) for link in body.links],
        rate=body.rate,
    )
    if not body.draft:
        await service.schedule(services, mailing.id, body.start_at)
    return await report_of(mailing.id)


@routes.get(
    "/mailings/{mailing_id}",
    scope="mailings:read",
    summary="A mailing and its progress",
    response=MailingReport,
)
async def get_mailing(call: Call, mailing_id: int) -> MailingReport:
    return await report_of(mailing_id)


@routes.post(
    "/mailings/{mailing_id}/start",
    scope="mailings:write",
    summary="Start a draft now or at start_at",
    body=StartIn,
    response=MailingReport,
    problems=(409,),
)
async def start(call: Call, mailing_id: int, body: StartIn) -> MailingReport:
    await service.schedule(call.services, mailing_id, body.start_at)
    return await report_of(mailing_id)


def _control(verb: str, act: Callable[[Services, int], Awaitable[object]], summary: str) -> None:
    """``POST /mailings/{id}/<verb>``: one control of a running mailing; answers its report."""

    async def control(call: Call, mailing_id: int) -> MailingReport:
        await act(call.services, mailing_id)
        return await report_of(mailing_id)

    control.__name__ = verb  # the operation id in the OpenAPI document
    path = "/mailings/{mailing_id}/" + verb
    routes.post(
        path, scope="mailings:write", summary=summary, response=MailingReport, problems=(409,)
    )(control)


_control("pause", service.pause, "Stop sending for now; queued messages are held")
_control("resume", service.resume, "Continue a paused mailing")
_control("cancel", service.cancel, "Stop for good; nothing more leaves")
