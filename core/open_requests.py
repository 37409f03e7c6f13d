"""A client's open tour requests and where each stands, for My trips.

A request is open while nobody has closed or cancelled it: new (no manager yet) or taken by a
manager. Newest first; the list is short (a client rarely has more than a couple at once).
"""

from __future__ import annotations

from core.i18n import T
from core.tour_requests import destination_label
from storage.models import RequestStatus, TourRequest

OPEN = (RequestStatus.NEW, RequestStatus.TAKEN)
SHOWN = 5


async def open_requests(client_id: int) -> list[TourRequest]:
    query = TourRequest.filter(client_id=client_id, status__in=list(OPEN))
    return await query.prefetch_related("manager").order_by("-created_at", "-id").limit(SHOWN)


def request_status(t: T, request: TourRequest) -> str:
    if RequestStatus(request.status) is RequestStatus.NEW:
        return t("trips-request-new")
    if request.manager is not None:
        return t("trips-request-taken", manager=request.manager.name)
    return t("trips-request-taken-nobody")


def requests_block(t: T, requests: list[TourRequest]) -> str:
    """The "your tour requests" block: a title and one line per open request."""
    lines = [t("trips-requests-title", count=len(requests))]
    lines += [
        t(
            "trips-request-line",
            number=r.number,
            destination=destination_label(t, r.destination),
            status=request_status(t, r),
        )
        for r in requests
    ]
    return "\n".join(lines)
