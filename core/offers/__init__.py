"""Tour offers: options a manager builds for a tour request and the client picks from.

:mod:`core.offers.option` reads an option (typed line by line in the wizard, or pasted as one
line), :mod:`core.offers.cards` words it for the client, :mod:`core.offers.service` sends a
round of options, turns a choice into an order exactly once, relays questions and expires what
nobody chose.
"""
