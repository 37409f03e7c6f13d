## The audit log as sentences: one per action key the code writes (core/audit_text.py).
## The key is "audit-" + the action with dots turned into underscores.

audit-line = { $when } · { $text }
audit-other = { $who }: { $action }
audit-who-system = Tourdesk
audit-who-cli = The command line
audit-who-account = A messenger user
audit-client-number = client #{ $id }
audit-staff-number = team member #{ $id }
st-audit-older = Older ▶️
st-audit-newer = ◀️ Newer

audit-balance-adjust = { $who } adjusted the balance of { $client } by { $amount }: “{ $reason }”
audit-booking-auto-cancelled = Booking { $order } was cancelled automatically: it was not paid by { $deadline }
audit-booking-cancelled = Staff were told that booking { $order } was cancelled ({ $recipients ->
    [one] { $recipients } notice
   *[other] { $recipients } notices
})
audit-client_erase-declined = { $who } declined to erase the data of { $client }
audit-client_erased = { $who } erased the personal data of { $client }{ $forced ->
    [yes] , forced while money was open: “{ $reason }”
   *[no] {""}
}
audit-clients-merged = { $who } merged { $merged } into { $client }
audit-follow-up = Staff were reminded to contact { $client }
audit-forget-me-requested = { $who } asked to be forgotten
audit-forget-request = Admins were told that { $client } asked to be forgotten
audit-identity-claim = Staff were asked to confirm whose phone number a claim to { $client } is
audit-identity-claimed = { $who } said the phone number of { $client } was theirs; proof was asked for
audit-identity-code-sent = A one-time code was sent to the messengers of { $client }
audit-identity-proven = { $who } proved to be { $client } ({ $via ->
    [contact] their own Telegram contact
    [code] a one-time code
   *[other] confirmed by the team
})
audit-identity-rejected = { $who } turned down a claim to the phone number of { $client }
audit-mailing_cancel = Mailing #{ $mailing } was cancelled
audit-mailing_create = { $who } created mailing #{ $mailing }
audit-mailing_done = Mailing #{ $mailing } finished sending
audit-mailing_pause = Mailing #{ $mailing } was paused
audit-mailing_resume = Mailing #{ $mailing } was resumed
audit-mailing_schedule = Mailing #{ $mailing } was scheduled
audit-mailing_unsubscribe = { $who } unsubscribed from mailings (with mailing #{ $mailing })
audit-order-paid-from-balance = { $who } paid { $amount } for { $order } from the balance
audit-payment-alert = Staff were alerted about a payment that needs attention (order { $order })
audit-payment-link-expired = The payment link for { $order } expired; staff were told
audit-payment-needs-attention = A payment for { $order } needs attention: { $reason }
audit-payment-received = { $provider ->
    [balance] { $client } paid { $amount } for { $order } from the balance
   *[other] { $amount } for { $order } received via { $provider_name }
}
audit-payment-refunded = { $amount } for { $order } was refunded
audit-phone-changed = { $who } changed their phone number
audit-refund-done = The refund of { $amount } for { $order } went through
audit-refund-failed = The refund of { $amount } for { $order } was refused by the payment service: { $reason }
audit-refund-pending = The refund of { $amount } for { $order } was accepted; the payment service will confirm it
audit-refund-refused = A refund of { $amount } for { $order } was not recorded: it is more than was paid
audit-review-commented = { $who } commented on the trip { $order }
audit-review-rated = { $who } rated the trip { $order }: { $stars } of 5
audit-staff-lookup-alert = Admins were warned about unusually many client look-ups
audit-staff_audit_view = { $who } opened the audit log
audit-staff_client_view = { $who } opened client { $client }
audit-staff_debtors = { $who } looked at the debtors (page { $page })
audit-staff_denied = { $who } tried something their role does not allow ({ $route })
audit-staff_find = { $who } searched clients for “{ $query }”: { $found ->
    [0] nothing found
    [one] { $found } found
   *[other] { $found } found
}
audit-staff_follow-up_done = { $who } marked the follow-up with { $client } as done
audit-staff_follow-up_plan = { $who } planned to contact { $client } on { $due }
audit-staff_invite = { $who } invited { $name } as { $role } (valid until { $expires })
audit-staff_invite-refused = { $who } sent an invite code that did not work: { $reason }
audit-staff_joined = { $who } joined the team as { $role }
audit-staff_lookup-alert = { $member } opened { $clients } clients within an hour; admins were warned
audit-staff_order_create = { $who } created order { $order } for { $client }: { $destination }, { $price }
audit-staff_order_pay-link = { $who } sent { $client } a payment link for { $order }: { $amount }
audit-staff_order_search = { $who } looked for order “{ $query }”: { $found ->
    [0] nothing found
    [one] { $found } found
   *[other] { $found } found
}
audit-staff_order_status = { $who } changed { $order } from “{ $from_status }” to “{ $to_status }”
audit-staff_order_view = { $who } opened order { $order } of { $client }
audit-staff_orders_list = { $who } looked at the orders (page { $page })
audit-staff_requests = { $who } looked at the tour requests (page { $page })
audit-staff_revoke = { $who } took away the access of { $member } ({ $role })
audit-staff_team = { $who } looked at the team
audit-staff_today = { $who } opened today's plan
audit-tour-request = Staff were told about the new request { $request }
audit-tour-request-created = { $who } sent tour request { $request }
audit-tour-request-taken = { $who } took request { $request }

## added with the API, loyalty, commissions, offers, imports, reports and fiscal receipts
audit-api-key_create = An API key was created on the command line
audit-api-key_revoke = An API key was revoked on the command line
audit-api_request = { $who } called the API
audit-client_create = { $who } created client { $client }
audit-client_update = { $who } updated client { $client }
audit-clients-import = { $who } imported clients from a file
audit-orders-import = { $who } imported orders from a file
audit-commission-report = Admins were sent the monthly commission report
audit-commission-rule = { $who } set the commission rule of { $member }
audit-order-net-price = { $who } set the operator's net price of order { $order }
audit-order_update = { $who } updated order { $order }
audit-points-adjust = { $who } adjusted the bonus points of { $client }: “{ $reason }”
audit-offers_sent = { $who } sent tour options for request { $request }
audit-offers_chosen = { $who } chose a tour option of request { $request }
audit-offers_question = { $who } asked about a tour option of request { $request }
audit-offers_question-all = { $who } asked about the tour options of request { $request }
audit-offers_expired = The tour options of request { $request } expired
audit-offer-chosen = Staff were told that { $client } chose a tour option
audit-offer-question = Staff were told that { $client } asked about a tour option
audit-offer-expired-staff = Staff were told that the tour options for { $client } expired
audit-staff_report = { $who } opened a report
audit-tour-request-assigned = { $who } assigned request { $request } to a manager
audit-fiscal-alert = Staff were told that a fiscal receipt keeps failing
