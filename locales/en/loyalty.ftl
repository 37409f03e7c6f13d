## Bonus points (handlers/loyalty.py, core/loyalty) and managers' commissions

loyalty-open = ⭐ Bonus points
loyalty-title = ⭐ Your bonus points
loyalty-balance = Balance: { $points ->
        [one] { $points } point
       *[other] { $points } points
    } (worth { $value })
loyalty-totals = Earned: { $earned } · spent: { $spent } · expired: { $expired }
loyalty-expiring-title = Will expire:
loyalty-expiring-line = • { $points } on { $date }
loyalty-history = Latest operations:
loyalty-entry = { $date } · { $kind } · { $points }
loyalty-kind-accrue = earned
loyalty-kind-referral = invitation bonus
loyalty-kind-adjust = correction
loyalty-kind-spend = paid with points
loyalty-kind-return = returned
loyalty-kind-reverse = taken back
loyalty-kind-expire = expired
loyalty-kind-with-order = { $kind } ({ $number })
loyalty-invite = 🎁 Invite friends: when a friend who joins by your link pays their first order, you both get { $points ->
        [one] { $points } point
       *[other] { $points } points
    }. Your link: { $link }
loyalty-invited-by = You joined at { $name }'s invitation: you both get { $points ->
        [one] { $points } point
       *[other] { $points } points
    } when you pay your first order.
loyalty-button-pay = ⭐ Pay { $value } with { $points } points
loyalty-nothing-to-pay = Points cannot pay anything of this order now.
loyalty-confirm = Pay for order { $number } with points: { $points ->
        [one] { $points } point
       *[other] { $points } points
    } = { $value }. The rest, { $rest }, is paid by a payment link. The points are set aside now and come back if the link expires unpaid (points may pay up to { $cap }% of an order).
loyalty-confirm-all = Pay { $value } of order { $number } with { $points } points? That is everything left to pay.
loyalty-confirm-yes = ✅ Yes, use the points
loyalty-reserved = { $points ->
        [one] { $points } point
       *[other] { $points } points
    } ({ $value }) set aside for order { $number }. Pay the rest, { $rest }, by the link before { $deadline }; if it expires unpaid, the points come back.
loyalty-paid = ✅ { $value } of order { $number } paid with { $points } points.
loyalty-quote-changed = Your points or the order changed in the meantime. Please look at the new numbers.
loyalty-not-enough = There are not enough points for that.
loyalty-expiry-reminder = ⏳ Your bonus points expire soon: { $points ->
        [one] { $points } point
       *[other] { $points } points
    } on { $date }. Use them to pay part of your next trip.
loyalty-ref-linked = 🎁 Welcome! You came at { $name }'s invitation: when you pay your first order, you both get { $points ->
        [one] { $points } point
       *[other] { $points } points
    }.
loyalty-ref-linked-plain = 🎁 Welcome! You came at { $name }'s invitation.
loyalty-ref-self = This is your own invite link: share it with friends.
loyalty-ref-already = Your invitation is already recorded; it cannot be changed.
loyalty-ref-not-new = Invitations are for new clients: you already travel with us.
loyalty-ref-unknown = This invite link is not valid.

## Staff: points adjustments

loyalty-st-adjust = ⭐ Bonus points
loyalty-st-ask-points = How many points to add? Type a whole number; a minus takes points away (e.g. 200 or -50).
loyalty-st-ask-reason = Why? The reason goes to the audit log.
loyalty-st-confirm = Change the client's points by { $points }? Reason: { $reason }
loyalty-st-yes = ✅ Confirm
loyalty-st-done = ✅ Points changed by { $points }.
loyalty-st-error-points = Please type a whole number of points other than zero, e.g. 200 or -50.
loyalty-st-error-reason = A reason is required.
loyalty-st-negative = The client does not have that many points.
loyalty-st-duplicate = This change has already been made.

## Commissions

cm-menu = 💼 My commission
cm-mine-title = 💼 Commission for { $month }
cm-mine-empty = Nothing accrued yet.
cm-mine-line = { $date } · { $number } · +{ $amount } ({ $rate }% of { $basis } { $base })
cm-mine-line-back = { $date } · { $number } · −{ $amount } (refund of { $base })
cm-mine-total = Total: { $total }
cm-mine-rule = Your rule: { $paid }% of payments, { $margin }% of margin when the net price is known.
cm-basis-paid = payment
cm-basis-margin = margin
cm-previous = ◀ { $month }
cm-report-title = 📊 Commissions per manager, { $month }
cm-report-empty = No commissions this month.
cm-report-line = • { $name }: { $net } (accrued { $accrued }, refunded { $reversed }, payments: { $payments })
cm-rules-title = Commission rules (staff number, name, % of payments / % of margin):
cm-rules-line = #{ $id } { $name }: { $paid }% / { $margin }%
cm-rule-usage = To set one: /commissionrule <staff number> <% of payments> [<% of margin>]
cm-rule-set = ✅ Rule for #{ $id }: { $paid }% of payments, { $margin }% of margin.
cm-error-percent = A percent is a number from 0 to 100, e.g. 2.5.
cm-error-manager = There is no manager or admin with that number.
cm-error-month = A month is written as YYYY-MM, e.g. 2026-11.
cm-error-net = The net price must be in the order's currency and not above its price.
cm-net-usage = Usage: /netprice <order number> <operator's price> (or - to clear it)
cm-net-set = ✅ Net price of { $number }: { $net }.
cm-net-cleared = ✅ Net price of { $number } cleared.
cm-cmd-netprice = Net price of an order
cm-cmd-rule = Commission rules
cm-order-net = Operator's net price: { $net }
loyalty-earned = ⭐ This order earned you { $points ->
        [one] { $points } bonus point
       *[other] { $points } bonus points
    }.
