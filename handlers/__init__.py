"""Conversation flows, channel-neutral: Incoming -> state -> [Reply].

:func:`build_router` is the one place where routers are composed. Every flow module owns a
``router`` and registers nothing anywhere else; importing a module changes no behaviour.
"""

from __future__ import annotations

from handlers.router import Router


def client_flows() -> list[Router]:
    """The client flows' routers. They claim disjoint routes (a clash is refused), so their order
    does not matter; the menu's fallback and stale-button answers are the only ones of their
    kind."""
    from handlers import (
        balance,
        claims,
        help,
        identity,
        loyalty,
        mailings,
        menu,
        offers,
        pay,
        phone_anywhere,
        relay,
        review,
        settings,
        tour_request,
        trips,
    )

    flows = (
        menu,
        identity,
        phone_anywhere,
        claims,
        settings,
        tour_request,
        trips,
        relay,
        review,
        pay,
        balance,
    )
    return [flow.router for flow in (*flows, offers, loyalty, mailings, help)]


def build_router(flows: list[Router] | None = None) -> Router:
    """The router tree, built fresh on every call. Order is precedence (see
    :mod:`handlers.router`), and it matters only where stated below. ``flows`` replaces the
    client flows (a test trying a variant of one)."""
    from handlers.staff import (
        clients,
        desk,
        erasure,
        lists,
        neworder,
        offers,
        orders,
        reports,
        requests,
        team,
    )
    from handlers.staff import identity as staff_identity
    from handlers.staff import loyalty as staff_loyalty
    from handlers.staff import mailings as staff_mailings
    from handlers.staff import relay as staff_relay
    from handlers.staff.common import is_staff

    # 1. Active staff first: their commands, buttons, wizards, native replies and "not understood"
    #    answer win over a client's (/start, /menu, the menu button open the staff menu). The
    #    routers under it claim disjoint routes, so their order does not matter.
    staff = Router("staff", admit=is_staff)
    for staff_router in (
        desk.router,
        staff_relay.router,
        requests.router,
        orders.router,
        lists.router,
        clients.router,
        staff_identity.router,
        erasure.router,
        staff_mailings.router,
        neworder.router,
        team.router,
        reports.router,
        offers.router,
        staff_loyalty.router,
    ):
        staff.include_router(staff_router)

    root = Router("root")
    root.include_router(staff)
    # 2. Anyone: invite codes; a staff wizard left behind by someone no longer staff.
    root.include_router(desk.door)
    # 3. Client flows (see :func:`client_flows`).
    for flow in client_flows() if flows is None else flows:
        root.include_router(flow)
    return root
