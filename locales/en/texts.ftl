# Texts and formats (issue 16): help, open requests in My trips, amounts without a due date,
# names of the popular destinations.

## No due date: no "by …" clause
trip-remaining-nodue = ⏳ Left to pay { $remaining }
st-order-card-prepay = Prepayment: { $percent }%
st-debtor-line-nodue = { $number } · { $client } · { $remaining }, no due date ({ $status })

## Open requests in My trips
trips-requests-title = { $count ->
    [one] 📝 Your tour request:
   *[other] 📝 Your tour requests ({ $count }):
}
trips-request-line = { $number } · { $destination } — { $status }
trips-request-new = new, waiting for a manager
trips-request-taken = in progress, manager: { $manager }
trips-request-taken-nobody = in progress
trips-no-orders = No booked trips yet — a manager will suggest options for your request.

## Help
help-button = ❓ Help
help-client =
    ❓ What this { $agency } bot can do:
    🔎 Find a tour — a short request: where, when, how many nights, who is going, budget and wishes. A manager picks options and writes to you here.
    🧳 My trips — your requests and their status, your orders, what is paid and what is left, payment by link.
    💳 Balance — money and bonus points on your account, top-up, paying an order from the balance.
    💬 Contact manager — a message, photo or document; the answer comes to this chat.
    ⚙️ Settings — language, phone number, offers and news, deleting your data.
    Commands: /menu — main menu, /cancel — cancel what you are doing, /help — this help.
help-staff =
    ❓ The { $agency } staff desk ({ $role }). New requests, client messages, payments and reminders arrive in this chat. To answer a client, reply to the forwarded message.
    Commands:
help-staff-orders = /orders — orders by status
help-staff-order = /order — an order by its number
help-staff-find = /find — find a client by phone, name or order number
help-staff-debtors = /debtors — debtors
help-staff-today = /today — today's departures, payments and follow-ups
help-staff-requests = /requests — new requests nobody has taken yet
help-staff-myrequests = /myrequests — requests you are handling
help-staff-neworder = /neworder — create an order for a client
help-staff-team = /team — the team, revoking access
help-staff-invite = /invite — invite someone to the team
help-staff-audit = /audit — the audit log
help-staff-mailings = /mailings — mailings
help-staff-commission = /commission — your commission this month
help-staff-netprice = /netprice — an order's net price (the tour operator's price)
help-staff-commissionrule = /commissionrule — managers' commission rules
help-staff-menu = /staff — the staff menu, /cancel — cancel what you are doing.

