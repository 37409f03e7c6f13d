"""Signed outgoing webhooks: the agency's CRM or 1C learns of events as they happen.

- :mod:`core.webhooks.types` — the event types and subscription patterns;
- :mod:`core.webhooks.publish` — :func:`publish` writes an event once (a unique reference per
  cause) and plans one delivery job per subscribed endpoint, in the caller's transaction;
- :mod:`core.webhooks.signing` — the ``Tourdesk-Signature`` header (HMAC-SHA256 over
  ``timestamp.body``, Stripe's scheme) and its verification;
- :mod:`core.webhooks.delivery` — the job that POSTs an event, logs every attempt and plans
  the next one with :mod:`core.backoff` until it is accepted or the attempts run out;
- :mod:`core.webhooks.payloads` — what each event says about its subject.

The jobs table is the outbox here: a delivery is a row claimed with ``SKIP LOCKED``, so one
process sends it however many run, and nothing planned is lost on a restart. Delivery is at
least once (a crash after the receiver answered but before we logged it sends again): receivers
deduplicate by the event id.
"""
