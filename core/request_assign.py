"""Giving a tour request to a manager from outside the chat (the REST API).

In chat the first manager to press Take gets a new request (:func:`core.tour_requests.
take_request`). A CRM may also hand a request to a named manager, or move it from one manager
to another. The client is told who looks after the request with the same message as after a
Take, and the manager gets the request in their chat (the summary and the client's card); the
change is one conditional UPDATE, so two callers racing cannot both win.
"""

from __future__ import annotations

from core.audit import Actor, audit_at
from core.clients import mask_phone
from core.contract import Reply, rows
from core.errors import Conflict, InvalidField, NotFound
from core.notify import assigned_accounts, card_buttons
from core.relay import tell_client
from core.services import Services
from core.tour_requests import draft_of, may_take, render_summary
from storage.models import Client, RequestStatus, Staff, TourRequest

OPEN = (RequestStatus.NEW, RequestStatus.TAKEN)


async def assign_request(
    services: Services, actor: Actor, request_id: int, manager_id: int
) -> TourRequest:
    manager = await Staff.get_or_none(id=manager_id)
    if manager is None or not may_take(manager):
        raise InvalidField("api-no-such-manager", field="manager_id", id=manager_id)
    request = await TourRequest.get_or_none(id=request_id)
    if request is None:
        raise NotFound("api-request-not-found", id=request_id)
    if request.status not in OPEN:
        raise Conflict("api-request-closed", number=request.number, status=request.status.value)
    if request.manager_id == manager.id:
        return request
    previous = request.manager_id
    changed = await TourRequest.filter(
        id=request.id, status__in=list(OPEN), manager_id=previous
    ).update(manager_id=manager.id, status=RequestStatus.TAKEN, taken_at=services.clock.now())
    if not changed:
        raise Conflict("api-request-changed", number=request.number)
    await Client.filter(id=request.client_id, manager_id__isnull=True).update(manager_id=manager.id)
    await audit_at(
        actor,
        "tour-request-assigned",
        at=services.clock.now(),
        subject=f"request:{request.number}",
        details={"manager": manager.id, "previous": previous},
    )
    client = await Client.get(id=request.client_id)
    number, name = request.number, manager.name
    await tell_client(
        services,
        client,
        lambda t: Reply(t("tour-taken-client", number=number, manager=name)),
        kind="request-taken",
        # the first manager: the same key a Take uses (the client hears it once either way)
        dedupe_key=f"request-taken:{request.id}"
        if previous is None
        else f"request-taken:{request.id}:{manager.id}",
    )
    assigned = await TourRequest.get(id=request.id)
    await _tell_manager(services, manager, client, assigned)
    return assigned


async def _tell_manager(
    services: Services, manager: Staff, client: Client, request: TourRequest
) -> None:
    for account in await assigned_accounts(manager.id):
        t = services.translator(manager.locale)
        text = "\n".join(
            [
                t(
                    "api-request-assigned",
                    number=request.number,
                    name=client.display_name,
                    phone=mask_phone(client.phone),
                    id=str(client.id),
                ),
                "",
                render_summary(t, draft_of(request)),
            ]
        )
        await services.outbox.enqueue(
            account,
            Reply(text, rows(card_buttons(t, client_id=client.id))),
            kind="request-assigned",
            dedupe_key=f"request-assigned:{request.id}:{manager.id}:a{account.id}",
        )
