"""The staff desk: staff work in the same bots as clients.

:mod:`handlers.staff.desk` puts a gate in front of the router (invite codes; staff commands and
buttons for active staff only) and exports ``router`` for ``handlers.FLOWS``; the other modules
register their routes on :data:`handlers.staff.common.staff_router`, each with its roles.
"""

from handlers.staff import (
    cancel,
    clients,
    erasure,
    identity,
    lists,
    mailings,
    neworder,
    orders,
    team,
)
from handlers.staff.desk import router

__all__ = [
    "cancel",
    "clients",
    "erasure",
    "identity",
    "lists",
    "mailings",
    "neworder",
    "orders",
    "router",
    "team",
]
