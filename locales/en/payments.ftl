# Payments, balance and the payment pages (issue 6).

pay-what-order = order { $number } ({ $destination })
pay-what-topup = balance top-up

pay-order-title = 🧳 Order { $number } — { $destination }
pay-order-price = Price: { $price }
pay-order-paid = Paid: { $paid }
pay-order-remaining = Left to pay: { $remaining }
pay-order-due = Pay by: { $due }
pay-choose = How would you like to pay?
pay-button-remaining = 💳 Pay the rest — { $amount }
pay-button-prepay = 💳 Prepay { $percent }% — { $amount }
pay-button-balance = 👛 Pay from balance ({ $balance })
pay-button-open = 💳 Pay { $amount }
pay-button-retry = 🔁 Try again — { $amount }
pay-button-pay-rest = 💳 Pay the rest
pay-link-ready = Your payment link for { $amount } is ready. It is valid until { $deadline }.
pay-order-not-found = This order was not found among your trips.
pay-order-closed = This order cannot be paid any more. Your manager will gladly help.
pay-nothing-due = Nothing is left to pay for this order. Thank you!
pay-more-than-due = The amount is more than what is left to pay.
pay-no-provider = Online payment is not available right now. Please contact your manager.
pay-provider-unknown = The payment service { $provider } is not set up.
pay-client-not-found = We could not find your profile. Please share your phone number first.

pay-receipt = ✅ Payment received: { $amount } for { $what }.
pay-receipt-progress = Paid { $paid } of { $price }.
pay-receipt-left = Left to pay: { $remaining }.
pay-receipt-left-by = Left to pay: { $remaining } by { $due }.
pay-receipt-full = The order is fully paid. Thank you!
pay-receipt-topup = ✅ Your balance is topped up by { $amount }. Balance now: { $balance }.
pay-receipt-kept = ✅ We received your payment of { $amount } for { $what }. It could not be applied to the order any more, so it is kept on your balance ({ $balance }). Your manager will contact you.
pay-failed = The payment of { $amount } for { $what } did not go through — no money was taken. You can try again with a new link:
pay-failed-no-retry = The payment of { $amount } for { $what } did not go through — no money was taken. Your manager will gladly help.
pay-refunded = ↩️ A refund of { $amount } for { $what } has been made.
pay-reminder = ⏳ Your payment link for { $what } ({ $amount }) is valid until { $deadline }.
pay-reminder-booking = ⏳ Your payment link for { $what } ({ $amount }) is valid until { $deadline }. If it is not paid by then, the booking will be cancelled.
pay-booking-cancelled = ❌ Your booking { $number } ({ $destination }) was cancelled because the prepayment did not arrive in time. If you still want to go, contact your manager.

pay-staff-received = 💰 Payment received: { $amount } from { $client } for { $what } ({ $provider }).
pay-staff-balance-used = 👛 { $client } paid { $amount } for order { $number } from their balance.
pay-staff-late = ⚠️ A payment of { $amount } from { $client } for { $what } arrived after its link had expired or was cancelled. Please check it. Client balance: { $balance }.
pay-staff-unapplied = ⚠️ A payment of { $amount } from { $client } for { $what } could not be applied (the order is cancelled or already paid). It is kept on the client's balance ({ $balance }) — please resolve it.
pay-staff-paid-twice = ⚠️ { $client } paid { $what } twice: the extra { $amount } is on their balance ({ $balance }) — please resolve it.
pay-staff-refund = ↩️ Refund: { $amount } returned to { $client } for { $what }. Client balance: { $balance }.
pay-staff-refund-debt = ↩️ Refund: { $amount } returned to { $client } for { $what }. The client's balance is now negative ({ $balance }) — please resolve it.
pay-staff-mismatch = 🚫 Payment notice refused: { $provider } reports { $got } for { $reference }, but we asked for { $expected }. Please check it.
pay-staff-unknown = 🚫 { $provider } sent a payment notice ({ $status }, { $amount }) for an unknown reference { $reference }. Please check it.
pay-staff-link-expired = ⌛ The payment link for order { $number } ({ $client }, { $amount }) expired unpaid.
pay-staff-booking-cancelled = ❌ Booking { $number } ({ $destination }, { $client }) was cancelled automatically: no prepayment by { $deadline }.

pay-page-back-to-chat = You can close this page and return to the chat.
pay-page-closed-title = Payment link
pay-page-paid-title = Paid
pay-page-pending-title = Payment in progress
pay-page-redirect-title = Going to the payment page…
pay-page-continue = Continue to payment
pay-page-not-found = This payment link does not exist. Please ask for a new one in the chat.
pay-page-expired = This payment link has expired. Open your trip in the chat to get a new one.
pay-page-cancelled = This payment link was cancelled. Please ask for a new one in the chat.
pay-page-failed = This payment did not go through. Use the new link we sent you in the chat.
pay-page-paid = This payment has already been made. Thank you!
pay-page-order-cancelled = This order was cancelled, so it cannot be paid. Please contact your manager.
pay-page-order-paid = This order is already paid. Thank you!
pay-page-unavailable = Online payment is not available right now. Please try again later.
pay-page-thanks = Thank you! Your payment of { $amount } has been received. A receipt is waiting for you in the chat.
pay-page-pending = We are waiting for the confirmation of your payment of { $amount }. You will get a receipt in the chat as soon as it arrives.

sandbox-title = Test payment (sandbox)
sandbox-note = This is the built-in test payment page: no real money is charged.
sandbox-pay = ✅ Pay
sandbox-decline = ✖️ Decline
sandbox-bad-choice = Please press Pay or Decline.

balance-title = 💳 Your balance
balance-amount = { $amount }
balance-bonus = Bonus points: { $points }
balance-card = Virtual card: { $card }
balance-history = Recent operations:
balance-no-history = No operations yet.
balance-entry = { $date } · { $kind } · { $amount }
balance-topup = ➕ Top up
balance-pay-order = 🧳 Pay an order from balance
balance-open = 💳 Balance
ledger-kind-payment = payment
ledger-kind-order-charge = order payment
ledger-kind-refund = refund
ledger-kind-adjustment = correction
ledger-kind-bonus = bonus
ledger-kind-with-order = { $kind } ({ $number })

topup-choose = How much would you like to add to your balance?
topup-other = ✏️ Other amount
topup-ask-amount = Type the amount (from { $min } to { $max }):
topup-out-of-range = The amount must be from { $min } to { $max }.

balpay-choose = Which order would you like to pay from your balance?
balpay-order = { $number } { $destination } — left { $remaining }
balpay-none = There is no order you could pay from your balance now.
balpay-confirm = Pay { $amount } for order { $number } from your balance ({ $balance })?
balpay-yes = ✅ Yes, pay
balpay-done = ✅ Paid { $amount } for order { $number } from your balance.
balpay-insufficient = Your balance is not enough for this payment.

ledger-adjust-forbidden = Only an administrator or an accountant can correct a balance.
ledger-adjust-reason = Please give a reason for the correction.
ledger-adjust-negative = This correction would take the balance below zero.
ledger-adjust-duplicate = This correction has already been recorded.
