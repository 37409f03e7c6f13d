"""SMS as a channel: a gateway behind a small interface (TurboSMS), plain-text replies, parts
and cost, STOP opt-out, delivery statuses."""
