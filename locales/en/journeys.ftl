## Client journeys: the tour request wizard, my trips, contact my manager.

## Tour request wizard
tour-intro = Let's find your tour! A few short questions — you can go back or cancel at any step.
tour-phone-first = To send a tour request we need your phone number, so your manager can reach you.
tour-step = Step { $number } of { $total }
tour-ask-destination = Where would you like to go? Pick a destination or type a country, city or resort ({ $min }–{ $max } characters).
tour-ask-when = When would you like to travel? Pick a month, or type dates or a month, for example 12.03–20.03, 12-20 March, 12.03 or June; or choose flexible dates. Typing "cancel" cancels the request.
tour-when-flexible-button = 🤷 Flexible dates
tour-ask-nights = How many nights? Pick a range or type one, for example 7-10 (from { $min } to { $max }).
tour-ask-adults = How many adults are travelling?
tour-ask-children = How many children are travelling with you?
tour-ask-age = How old is child { $number } of { $count }? (0–17; 0 for a baby under one year)
tour-ask-budget = What is your budget for the whole trip? Type the amount in { $currency }, or pick another currency first.
tour-budget-none-button = ♾ No limit
tour-ask-wishes = Any wishes? For example: all inclusive, first line, a pool for kids, a quiet hotel. Type them (up to { $max } characters) or skip.
tour-wishes-skip = ⏭ Skip
tour-summary-title = 📝 Please check your request:
tour-summary-destination = 📍 Destination: { $value }
tour-summary-when = 📅 When: { $value }
tour-summary-nights = 🌙 Length: { $value }
tour-summary-travellers = 👥 Travellers: { $value }
tour-summary-budget = 💰 Budget: { $value }
tour-summary-wishes = ✍️ Wishes: { $value }
tour-nights-range = { $min }–{ $max } nights
tour-nights-from = { $min } nights or more
tour-nights-exact = { $count ->
    [one] { $count } night
   *[other] { $count } nights
}
tour-dates-range = { $start } – { $end }
tour-when-flexible = flexible dates
tour-adults-count = { $count ->
    [one] { $count } adult
   *[other] { $count } adults
}
tour-children-count = { $count ->
    [one] { $count } child (age { $ages })
   *[other] { $count } children (ages { $ages })
}
tour-budget-none = no limit
tour-confirm = ✅ Send the request
tour-edit = ✏️ Change something
tour-edit-which = What would you like to change?
tour-edit-destination = 📍 Destination
tour-edit-when = 📅 Dates
tour-edit-nights = 🌙 Nights
tour-edit-travellers = 👥 Travellers
tour-edit-budget = 💰 Budget
tour-edit-wishes = ✍️ Wishes
tour-resume-ask = You have an unfinished tour request. Continue where you stopped or start over?
tour-resume-continue = ▶️ Continue the request
tour-resume-restart = 🔄 Start over
tour-cancelled = The tour request is cancelled; nothing was sent.
tour-paused = Your answers are kept: press "Find a tour" to continue whenever you like.
tour-confirmed = 🎉 Thank you! Your request { $number } is received. A manager will pick tour options for you and write to you here soon — usually within working hours. The manager's name will appear here as soon as the request is taken.
tour-already-sent = This request has already been sent — we have it.
tour-hint-stale = That button belongs to another question. Please answer this one:
tour-hint-type = Please type your answer or use the buttons.
tour-error-destination = Please type a destination of { $min } to { $max } characters, for example "Turkey" or "Crete".
tour-error-dates-format = I could not read the dates. Please type them like 12.03–20.03, 12-20 March, 12.03 or a month such as June, or pick a month.
tour-error-dates-past = These dates are in the past. Please choose dates from today on.
tour-error-dates-order = The end date must be after the start date.
tour-error-dates-far = We can plan up to two years ahead. Please choose earlier dates.
tour-error-nights = Please type a number of nights from { $min } to { $max }, or a range like 7-10.
tour-error-adults = Please choose from { $min } to { $max } adults.
tour-error-children = Please choose from { $min } to { $max } children.
tour-error-age = Please type the child's age as a number from { $min } to { $max }.
tour-error-budget = Please type the budget as a number, for example 50000 or 1500.50, or choose "No limit".
tour-error-wishes = Your wishes are too long: please keep them within { $max } characters.
tour-error-incomplete = A few answers are still missing — let's fill them in.
tour-taken-client = 👋 Request { $number } is being handled. Manager: { $manager } — expect a message here soon.

## Staff: new requests
take-new-request = 🆕 New tour request { $number } from { $name } ({ $phone }, client #{ $id })
take-button = 🙋 Take
take-done = ✅ Request { $number } is yours. Client: { $name }, { $phone }, client #{ $id }. Write to them with the button below.
take-already = Request { $number } is already being handled: { $manager }.
take-unavailable = Request { $number } can no longer be taken.
take-not-found = This request does not exist any more.
take-not-allowed = Only managers and admins can take requests.

## My trips
trips-phone-first = To show your trips we need your phone number — that is how we find your bookings.
trips-empty = You have no trips with us yet. Shall we find one?
trips-find-tour = 🔎 Find a tour
trips-title = { $count ->
    [one] 🧳 Your trip:
   *[other] 🧳 Your trips ({ $count }):
}
trips-page = Page { $page } of { $pages }
trips-open = { $number } · { $destination }
trips-prev = ◀️ Newer
trips-next = Older ▶️
trip-line = { $number } · { $destination } — { $status }
trip-dates = 📅 { $start } – { $end }
trip-departs = 📅 Departure { $date }
trip-dates-unknown = 📅 Dates to be confirmed
trip-money = 💰 Price { $price } · paid { $paid }
trip-remaining = ⏳ Left to pay { $remaining } by { $due }
trip-card-title = 🧳 Trip { $number }: { $destination }
trip-card-status = Status: { $status }
trip-status-draft = being prepared
trip-status-booked = booked, waiting for payment
trip-status-confirmed = confirmed
trip-status-paid = paid
trip-status-completed = completed
trip-status-cancelled = cancelled
trip-pay = 💳 Pay
trip-back-to-list = ◀️ All trips
trip-menu = 🏠 Menu
trip-not-found = We could not find this trip among yours.

## Contact my manager
relay-phone-first = To put you in touch with your manager we need your phone number.
relay-intro = 💬 Write your message here — a photo or a document too. Our managers will answer in this chat.
relay-intro-manager = 💬 Write your message to your manager { $name } — a photo or a document too. The answer comes to this chat.
relay-hint = I can pass on text, photos and documents. Please write your message.
relay-sent = ✉️ Sent to your manager. The answer will come here.
relay-sent-nobody = ✉️ Your message is saved. A manager will answer as soon as one is available.
relay-leave = 🚪 Leave chat
relay-left = You left the chat with your manager.
relay-client-header = 💬 Manager { $name }:
relay-staff-header = 💬 Message from { $name } ({ $phone }, client #{ $id }). Reply to this message to answer.
relay-reply-button = ↩️ Reply
relay-media-elsewhere = { $kind ->
    [photo] (a photo was sent; open it in the sender's messenger)
    [document] (a document was sent; open it in the sender's messenger)
   *[other] (a file was sent; open it in the sender's messenger)
}
relay-answer-ask = Write your answer to { $name }:
relay-answer-hint = Please write your answer as text (or send a photo or a document).
relay-answer-sent = ✅ Sent to { $name }.
relay-answer-cancelled = Answer cancelled.
relay-client-gone = This client is no longer in our records.
relay-client-unreachable = { $name } cannot be reached in a messenger right now; the answer was not sent.

## Settings
journey-phone-changed = Your phone number is now { $phone }. Your trips and requests stay with you.
