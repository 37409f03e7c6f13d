"""Prometheus counters, exposed at ``GET /metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPDATES = Counter("tourdesk_updates_total", "Incoming updates handled", ["channel", "outcome"])
UPDATE_SECONDS = Histogram("tourdesk_update_seconds", "Time to handle one update", ["channel"])
OUTBOX = Counter("tourdesk_outbox_total", "Outbox delivery attempts", ["channel", "outcome"])
JOBS = Counter("tourdesk_jobs_total", "Scheduled jobs run", ["kind", "outcome"])
