"""Bonus points: a ledger of their own (:mod:`points`), earned on paid orders and taken back on
refunds and cancellations (:mod:`earning`), spent on orders (:mod:`spending`), given for
invitations (:mod:`referrals`), corrected by staff (:mod:`adjust`), expiring and reminded by
jobs (:mod:`jobs`). :mod:`hooks` is where core/payments and core/cancellation call in."""
