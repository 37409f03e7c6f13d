"""Fiscal receipts for every payment and refund, through a cloud PRRO (Checkbox).

- :mod:`core.fiscal.settings` — ``CHECKBOX_*`` from the environment; off when unset;
- :mod:`core.fiscal.checkbox` — the Checkbox HTTP API: cashier sign-in by PIN, shifts, sell and
  return receipts under OUR receipt id, status polling;
- :mod:`core.fiscal.receipts` — :func:`plan_sell` / :func:`plan_return` record a receipt to make
  (one row per ledger reference, its UUID derived from that reference) in the payment's own
  transaction, and a job that makes it; the job never blocks or delays the payment, retries
  with backoff, alerts staff once when a receipt keeps failing, and tells the client the fiscal
  code and the receipt's link when it is done;
- the shift is opened when a receipt needs one and closed daily at ``[fiscal] close_shift_at``.

Exactly once: the receipt id is ``uuid5(reference)``, so a retry — even from another process,
even after a crash between Checkbox's answer and our write — names the same receipt, and
Checkbox answers ``receipt.already_exists`` instead of fiscalising twice.
"""
