"""The staff desk: staff work in the same bots as clients.

Each module owns a router of its routes, each route with its roles (:mod:`handlers.staff.common`);
:func:`handlers.build_router` includes them under one router that admits active staff only, ahead
of the client flows. :mod:`handlers.staff.desk` also owns the door anyone may knock at (invite
codes). Importing these modules registers nothing anywhere.
"""
