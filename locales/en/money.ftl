# Cancelling an order with money on it, and refunds (issue 11).

money-cancel-ask-nothing = Cancel order { $number } ({ $destination })? Nothing has been paid for it.
money-cancel-yes = ❌ Yes, cancel the order
money-cancel-ask = Cancel order { $number } ({ $destination })? The client has paid { $paid } for it. Where should the money go?
money-cancel-keep-info = • Keep on the balance: { $amount } goes to the client's balance in the bot, for another trip or a refund later.
money-cancel-refund-info = • Refund to the card via { $providers }: { $amount }; the bank usually returns it within { $days ->
    [one] { $days } day
   *[other] { $days } days
}.
money-cancel-refund-rest = • The other { $amount } was paid from the balance and stays there.
money-cancel-no-refund = • A refund to the card is not possible here: the money came from the balance or through a provider that cannot refund.
money-cancel-keep = 💼 Cancel, keep { $amount } on the balance
money-cancel-refund = ↩️ Cancel, refund { $amount } to the card
money-changed = The money on order { $number } changed a moment ago. Please check and choose again.
money-refund-unavailable = A refund to the card is not possible for this order: the money came from the balance or through a provider that cannot refund.

money-client-refunding = ↩️ { $amount } is being refunded to your card; the bank usually returns it within { $days ->
    [one] { $days } day
   *[other] { $days } days
}.
money-client-kept = 💼 The { $amount } you paid is on your balance in the bot (balance now { $balance }); it can pay for another trip.

money-staff-refund-done = ↩️ Refund of { $amount } via { $provider }: confirmed.
money-staff-refund-waiting = ⏳ Refund of { $amount } via { $provider }: requested, waiting for the provider to confirm.
money-staff-refund-failed = ⚠️ The refund of { $amount } via { $provider } was refused ({ $reason }); the money stays on the client's balance.
money-staff-kept = 💼 { $amount } is on the client's balance (now { $balance }).
money-staff-refund-too-much = ⚠️ A refund of { $amount } for { $client } (payment { $reference }) was not applied: that payment was { $paid } and { $refunded } of it is already refunded. Please check it with the provider.

money-card-cancelled = Price: { $price } · cancelled
money-card-nothing = Nothing was paid for it.
money-card-refunded = ↩️ Refunded to the card: { $amount }
money-card-refunding = ⏳ Refund waiting for the provider: { $amount }
money-card-on-balance = 💼 Moved to the client's balance: { $amount }

money-trip-cancelled = 💰 Price { $price } · cancelled
money-trip-nothing = Nothing was paid for this trip.
money-trip-refunded = ↩️ Refunded to your card: { $amount }
money-trip-refunding = ⏳ Being refunded to your card: { $amount }
money-trip-on-balance = 💼 Returned to your balance: { $amount }

money-order-line-cancelled = { $number } · { $destination } · { $client }
    { $status } · { $price }
money-client-card-order-cancelled = • { $number } { $destination } — { $status }
money-staff-refund-confirmed = ↩️ The refund of { $amount } to { $client } is confirmed ({ $provider }).
