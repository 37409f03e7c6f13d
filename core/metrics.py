"""Prometheus counters, exposed at ``GET /metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

UPDATES = Counter("tourdesk_updates_total", "Incoming updates handled", ["channel", "outcome"])
UPDATE_SECONDS = Histogram("tourdesk_update_seconds", "Time to handle one update", ["channel"])
OUTBOX = Counter("tourdesk_outbox_total", "Outbox delivery attempts", ["channel", "outcome"])
JOBS = Counter("tourdesk_jobs_total", "Scheduled jobs run", ["kind", "outcome"])
WEBHOOKS = Counter("tourdesk_webhooks_total", "Outgoing webhook attempts", ["endpoint", "outcome"])

# ---- delivery engine (core/delivery.py) ------------------------------------------------------
QUEUE_DEPTH = Gauge(
    "tourdesk_outbox_queue_depth", "Outbox rows waiting to be sent", ["lane", "channel"]
)
SENT = Counter(
    "tourdesk_outbox_sent_total", "Messages sent (rate() gives sends/s)", ["channel", "lane"]
)
THROTTLED = Counter(
    "tourdesk_outbox_throttled_total",
    "429 / too many requests from a platform",
    ["channel", "scope"],
)
LAG = Histogram(
    "tourdesk_outbox_lag_seconds",
    "From due (not_before) to sent",
    ["channel", "lane"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600),
)
OUTBOX_INFLIGHT = Gauge("tourdesk_outbox_inflight", "Sends in flight in this process")
OUTBOX_PAUSES = Counter(
    "tourdesk_outbox_pauses_total",
    "Times a sending process stood still long enough to hold its sends (core/stillness.py)",
)

# ---- payment callbacks (core/payments/group.py) ------------------------------------------------
CALLBACKS = Counter(
    "tourdesk_payment_callbacks_total",
    "Payment callbacks answered, by path: grouped (applied by a group's transaction),"
    " one_by_one (stored with a group, applied alone), alone (not grouped at all)",
    ["path"],
)
CALLBACK_GROUP = Histogram(
    "tourdesk_payment_callback_group_size",
    "Callbacks a group stored and applied together (sum / count is the mean)",
    buckets=(2, 4, 8, 16, 32, 64, 128, 256),
)
