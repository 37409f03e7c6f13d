"""Payments: providers (LiqPay, WayForPay, sandbox), intents, callbacks applied exactly once,
expiry and reconciliation. The ledger itself is ``core/ledger.py``."""
