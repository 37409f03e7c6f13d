"""The staff desk's domain: invites and roles, queries, orders, follow-ups, lookups.

Modules: ``routes`` (button actions), ``roles`` (who may do what), ``invites`` (one-time codes,
linking, revoking), ``lookups`` (audited access to client data and the alert), ``queries``,
``orders`` (create, change status), ``followups`` and ``paylinks``. This package imports nothing
itself, so ``core.notify`` may use ``routes`` without a cycle.
"""
