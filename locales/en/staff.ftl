## The staff desk (handlers/staff, core/staff). Keys start with "st-".

st-role-admin = admin
st-role-manager = manager
st-role-accountant = accountant

st-status-draft = draft
st-status-booked = booked
st-status-confirmed = confirmed
st-status-paid = paid
st-status-completed = completed
st-status-cancelled = cancelled

st-datetime = { $date }, { $time }
st-dates-range = { $start } – { $end }
st-dates-from = from { $start }
st-dates-unknown = dates not set
st-page = Page { $page } of { $pages }
st-prev = ◀️ Previous
st-next = Next ▶️
st-back = ◀️ Back
st-cancel = ✖️ Cancel
st-cancelled = Cancelled.
st-stale = That button is out of date.
st-forbidden-role = This is not available for your role.
st-open-order = 🧾 Open order
st-open-client = 👤 Client card
st-open-order-line = 🧾 { $number } · { $destination }
st-open-client-line = 👤 { $name }

## menu
st-menu-title = 🧑‍💼 Staff desk — { $name } ({ $role })
st-menu-commands = Commands: { $commands }
st-menu-button = 🏠 Staff menu
st-menu-orders = 📋 Orders
st-menu-find = 🔎 Find a client
st-menu-debtors = 💸 Debtors
st-menu-today = 📅 Today
st-menu-new-requests = 🆕 New requests
st-menu-my-requests = 📌 My requests
st-menu-new-order = ➕ New order
st-menu-team = 👥 Team
st-menu-audit = 🧾 Audit log
st-welcome-back = Welcome back!

## invites and the team
st-invite-welcome = Welcome to the team, { $name }! You are linked as { $role }.
st-invite-unknown = This invite code is not valid. Please check it or ask an administrator for a new one.
st-invite-expired = This invite code has expired. Please ask an administrator for a new one.
st-invite-used = This invite code has already been used. Please ask an administrator for a new one.
st-invite-already-staff = This account is already linked to a staff member.
st-invite-ask-role = Which role should the invitation give?
st-invite-ask-name = Type the invited person's name (as the team will see it).
st-invite-issued = Invite for { $name } ({ $role }). Code: { $code }
    Valid until { $until }. The person sends this code to the bot, once.
st-invite-link = Telegram link: { $link }
st-invite-button = ➕ Invite
st-error-name = Please type a name of 1 to { $max } characters.
st-error-role = The role must be admin, manager or accountant.
st-error-hours = The validity must be at least one hour.
st-team-title = 👥 Team ({ $count })
st-team-line = #{ $id } { $name } — { $role } — { $channels }
st-team-line-revoked = #{ $id } { $name } — { $role } — revoked { $revoked }
st-revoke-button = ⛔ Revoke { $name }
st-revoke-confirm = Revoke { $name } ({ $role })? They lose access to the staff desk at once.
st-revoke-yes = ⛔ Yes, revoke
st-revoked = { $name } no longer has staff access.
st-revoke-self = You cannot revoke yourself.
st-revoke-already = { $name } is already revoked.
st-revoke-usage = Usage: /revoke <staff number>, e.g. /revoke 3
st-staff-not-found = There is no such staff member.

## orders
st-filter-active = Open
st-filter-draft = Drafts
st-filter-booked = Booked
st-filter-confirmed = Confirmed
st-filter-paid = Paid
st-filter-completed = Completed
st-filter-cancelled = Cancelled
st-orders-title = 📋 Orders: { $filter } ({ $count })
st-orders-empty = No orders here.
st-order-line = { $number } · { $destination } · { $client }
    { $status } · { $price } · left { $remaining }
st-error-status = Unknown status. Use one of: active, draft, booked, confirmed, paid, completed, cancelled.
st-order-ask-number = Type the order number (e.g. T-0012).
st-order-not-found = This order does not exist.
st-order-not-found-number = No order with the number { $number }. Type another number.
st-order-card-title = 🧾 Order { $number } — { $destination }
st-order-card-client = Client: { $name }, { $phone } (#{ $id })
st-order-card-status = Status: { $status }
st-order-card-dates = Dates: { $dates }
st-order-card-money = Price: { $price } · paid: { $paid } · left: { $remaining }
st-order-card-due = Pay by: { $due } · prepayment: { $percent }%
st-order-card-manager = Manager: { $manager }
st-back-to-order = ◀️ Back to the order
st-change-status = 🔄 Change status
st-status-ask = Order { $number } is { $status }. New status:
st-status-changed = Order { $number } is now { $status }.
st-status-changed-told = Order { $number } is now { $status }. The client has been told.
st-status-not-allowed = Order { $number } cannot be moved to that status from where it is now.

## payment links
st-pay-remaining = 💳 Link for the rest ({ $amount })
st-pay-prepayment = 💳 Link for the prepayment ({ $amount })
st-pay-amount = 💳 Link for another amount
st-pay-ask-amount = How much should the client pay for { $number }? Left to pay: { $remaining }.
st-pay-too-much = That is more than is left to pay ({ $remaining }).
st-pay-link-sent = ✅ A payment link for { $amount } has been sent to the client: { $url }
st-pay-link-already = The client already has this link for { $amount }: { $url }
st-pay-link-unreachable = The client cannot be reached in a messenger. Send them this link for { $amount } yourself: { $url }

## the new-order wizard
st-no-ask-phone = New order. Type the client's phone number.
st-no-ask-destination = Where to? (country, resort or hotel)
st-no-ask-dates = Dates: departure, or departure - return (e.g. 12.06.2027 - 19.06.2027).
st-no-ask-price = Price, with the currency if not { $currency } (e.g. 45000 or 1200 EUR).
st-no-ask-due = Pay by which date? (e.g. 01.06.2027)
st-no-ask-percent = Prepayment share, in percent:
st-no-no-due = No due date
st-no-create = ✅ Create the order
st-no-client-found = Client: { $name }, { $phone }.
st-no-client-new = No client had this phone; a new client record { $phone } was created. They will see the order once they share this phone in the bot.
st-no-summary = Check the order:
    Client: { $client }, { $phone }
    Destination: { $destination }
    Dates: { $dates }
    Price: { $price }
    Pay by: { $due }
    Prepayment: { $percent }%
st-no-created = ✅ Order { $number } is created and the client has been told.
st-no-created-untold = ✅ Order { $number } is created. The client has no messenger we can write to yet.
st-error-date = Please type a date like 25.03.2027.
st-error-date-past = That date is in the past.
st-error-date-order = The return date cannot be before the departure.
st-error-destination = Please type a destination (2 to { $max } characters).
st-error-price = Please type a price like 45000 or 1200 EUR ({ $currencies }).
st-error-percent = Please type a whole number from 1 to 100.
st-error-due-after-departure = The due date must not be after the departure.

## what the client is told
st-client-order-created = A trip has been booked for you: { $number }, { $destination }. Manager: { $manager }.
st-client-order-price = Price: { $price }
st-client-order-due = Please pay by { $due }.
st-client-open-trip = 🧳 Open my trip
st-client-order-confirmed = ✅ Your trip { $number } ({ $destination }) is confirmed.
st-client-order-cancelled = Your trip { $number } ({ $destination }) has been cancelled. Your manager will gladly help with any questions.
st-client-order-completed = Welcome back! Your trip { $number } ({ $destination }) is completed. Thank you for travelling with us.
st-client-pay-link = Payment for { $number } ({ $destination }): { $amount }. The link is valid until { $until }.
st-client-pay-button = 💳 Pay { $amount }

## clients
st-find-ask = Send a phone number, a name or an order number.
st-find-too-short = Please type at least two characters.
st-find-nothing = Nothing found for “{ $query }”. Try another phone, name or order number.
st-find-results = Found { $count }:
st-find-line = { $name } — { $phone } (#{ $id })
st-find-refine = Buttons for the first { $shown } only; refine the search to see the others.
st-find-again = 🔎 Search again
st-client-not-found = This client does not exist.
st-client-card-title = 👤 { $name } (#{ $id })
st-client-card-phone = Phone: { $phone }
st-client-card-manager = Manager: { $manager }
st-client-card-channels = Messengers: { $channels }
st-client-card-balance = Balance: { $balance } · bonus points: { $points }
st-client-card-orders = Trips ({ $count }):
st-client-card-no-orders = No trips yet.
st-client-card-order = • { $number } { $destination } — { $status }, left { $remaining }
st-client-card-follow-ups = Planned follow-ups: { $count }
st-client-card-history = Last messages:
st-client-card-no-history = No messages yet.
st-client-card-message-in = ← { $when }: { $text }
st-client-card-message-out = → { $when }: { $text }
st-channel-ok = { $channel } ✅
st-channel-off = { $channel } ⛔

## follow-ups
st-follow-up-plan = 📅 Plan a follow-up
st-follow-up-ask-when = When? Date and time (agency time), e.g. 25.03.2027 10:00.
st-follow-up-ask-note = What about? (a short note for yourself)
st-follow-up-no-note = Without a note
st-follow-up-planned = 📅 Follow-up planned for { $when }.
st-follow-up-due = ⏰ Follow-up with { $name } ({ $phone }), planned for { $when }:
    { $note }
st-follow-up-done = ✅ Done
st-follow-up-closed = Follow-up marked as done.
st-follow-up-not-found = This follow-up does not exist.
st-error-when = Please type a date and time like 25.03.2027 10:00.
st-error-when-past = That moment has already passed.
st-error-note = Please keep it under { $max } characters.

## balance adjustments
st-adjust = ⚖️ Adjust balance
st-adjust-ask-amount = Amount to add, or with a minus to take away; currency if not { $currency } (e.g. 500, -200 EUR).
st-adjust-ask-reason = Reason for the adjustment (the client does not see it):
st-adjust-confirm = Adjust the balance by { $amount }?
    Reason: { $reason }
st-adjust-yes = ✅ Confirm
st-adjust-done = ✅ Balance adjusted by { $amount }.

## debtors, requests, today
st-debtors-title = 💸 Debtors ({ $count }), oldest due date first:
st-debtors-empty = Nobody owes anything. 🎉
st-debtor-line = { $number } · { $client } · { $remaining } by { $due } ({ $status })
st-debtor-line-overdue = ❗ { $number } · { $client } · { $remaining } was due { $due } ({ $status })
st-debtors-total = Total due: { $total }
st-requests-new-title = 🆕 New requests ({ $count })
st-requests-mine-title = 📌 My requests ({ $count })
st-requests-empty = No requests here.
st-request-line = { $number } · { $destination }
    { $client }, { $phone } · { $created }
st-request-take = 🙋 Take { $number }
st-today-title = 📅 Today, { $date }
st-today-departures = ✈️ Departures:
st-today-departure = { $number } · { $destination } · { $client }
st-today-due = 💳 Payments due today:
st-today-due-line = { $number } · { $client } · { $remaining }
st-today-overdue = ❗ Overdue payments: { $count } (see Debtors)
st-today-follow-ups = 📞 Follow-ups:
st-today-follow-up = { $time } · { $client } · { $note } ({ $staff })
st-today-none = —

## the audit log and alerts
st-audit-title = 🧾 Audit log ({ $count ->
    [one] { $count } entry
   *[other] { $count } entries
}), newest first:
st-alert-lookups = ⚠️ { $name } ({ $role }) opened { $count } different clients within an hour (the alert threshold is { $threshold }).
