# The payer's browser pages (core/payments/templates): titles; the texts are in payments.ftl.
pages-success-title = Payment received
pages-paid-title = Already paid
pages-expired-title = Link expired
pages-cancelled-title = Link cancelled
pages-failed-title = Payment declined
pages-not-found-title = Link not found
