## Tour offers (core/offers, handlers/offers.py, handlers/staff/offers.py). Keys start with "offer-".

# ---- the client's cards ----
offer-card-title = { $number }. 🏨 { $hotel }{ $stars }
offer-card-place = 📍 { $place }
offer-card-dates = 📅 { $start } – { $end }, { $nights ->
    [one] { $nights } night
   *[other] { $nights } nights
}
offer-card-room = 🛏 { $room } · 🍽 { $meal }
offer-card-price = 💰 { $price }
offer-card-operator = Tour operator: { $operator }
offer-card-link = 🔗 { $link }
offer-meal-ro = room only
offer-meal-bb = breakfast
offer-meal-hb = half board
offer-meal-fb = full board
offer-meal-ai = all inclusive
offer-meal-uai = ultra all inclusive
offer-choose = ✅ Choose option { $number }
offer-ask = ❓ Ask a question
offer-details = 🔗 Details
offer-pick = { $count ->
    [one] Here is an option
   *[other] Here are { $count } options
} for your request { $number }. Press “Choose” on the one you like, or ask your manager a question. The offer is valid until { $until }.

# ---- the client's choice ----
offer-booked = Great choice! { $hotel } is booked for you: order { $number }, { $price }.
offer-prepay = To secure the booking, please make the prepayment of { $amount } by { $until }.
offer-prepay-later = Your manager will send you the payment link shortly.
offer-pay-button = 💳 Pay
offer-already = You have already chosen this option: it is order { $number }.
offer-taken = Another option of this offer has already been chosen, so this one is closed.
offer-expired = This offer has expired. Write to your manager and they will send fresh options.
offer-closed = This offer is no longer valid: your manager has sent newer options, or the request is closed.
offer-not-found = This offer was not found.
offer-ask-all = Write your question about the options, and your manager will answer here.
offer-ask-one = Write your question about option { $number } ({ $hotel }), and your manager will answer here.
offer-expired-client = The options for your request { $number } have expired. If you are still planning the trip, write to your manager for fresh ones.

# ---- staff notices ----
offer-staff-chosen = ✅ { $name } ({ $phone }) chose option { $position } ({ $hotel }) for request { $number }. Order { $order } is created for { $price }; the prepayment link has been offered.
offer-staff-question = ❓ { $name } ({ $phone }) has a question about option { $position } ({ $hotel }) of request { $number }. Reply to their message to answer.
offer-staff-question-all = ❓ { $name } ({ $phone }) has a question about the options for request { $number }. Reply to their message to answer.
offer-staff-expired = ⌛ The options for request { $number } ({ $name }) expired without a choice.

# ---- the builder ----
offer-build-title = Options for request { $number }: { $count } of { $max }
offer-build-empty = No options yet.
offer-build-hint = Paste an option as one message, fields separated by “|”:
    hotel [stars*] | country resort | dates | nights | room | meal | price currency | tour operator [| link] [| photo link]
    For example:
    Rixos Premium 5* | TR Belek | 12.06–19.06 | 7n | DBL | AI | 45000 UAH | Coral | https://example.com/tour
    Meal: RO, BB, HB, FB, AI, UAI. Several lines in one message add several options. Or build an option step by step.
offer-build-full = That is { $max } options, the most one offer holds. Send them, or remove one.
offer-build-wizard = ➕ Step by step
offer-build-send = { $count ->
    [one] 📤 Send the option to the client
   *[other] 📤 Send { $count } options to the client
}
offer-build-drop = 🗑 Remove the last option
offer-build-quit = ✖️ Close without sending
offer-build-gone = This list of options is closed. Open the request card to build new ones.
offer-build-quitted = The options were not sent.
offer-build-button = 🧳 Build options
offer-added = { $count ->
    [one] Option added.
   *[other] { $count } options added.
}
offer-dropped = The last option is removed.
offer-paste-line = Line { $line }:
offer-paste-count = I found { $count } fields, but an option needs at least { $required }, separated by “|”.
offer-paste-bad-field = Field { $number } ({ $field }): { $problem }
offer-paste-unchanged = Nothing was added; please fix it and send the line again.
offer-paste-text-only = Please send the option as text.
offer-sent = { $count ->
    [one] The option has been sent
   *[other] { $count } options have been sent
} to { $name } for request { $number }. They are valid until { $until }.
offer-send-raced = These options for request { $number } were just sent from another window.
offer-client-unreachable = { $name } cannot be reached in a messenger right now, so the options were not sent.
offer-request-not-found = This request was not found.
offer-request-closed = Request { $number } is closed: options can no longer be sent for it.
offer-error-count = One offer holds at most { $max } options.

# ---- fields and their checks ----
offer-field-hotel = hotel
offer-field-place = country and resort
offer-field-dates = dates
offer-field-nights = nights
offer-field-room = room
offer-field-meal = meal
offer-field-price = price
offer-field-operator = tour operator
offer-field-url = link
offer-field-link = link
offer-field-photo = photo
offer-error-hotel = type the hotel's name (up to { $max } characters), stars as “5*” at the end if you like.
offer-error-place = type the country and the resort, like “TR Belek” or “Turkey, Belek” (up to { $max } characters).
offer-error-dates = type the check-in and check-out dates, like 12.06–19.06 or 12-19 June.
offer-error-nights = type the number of nights, like 7 or 7n (up to { $max }).
offer-error-nights-span = { $nights ->
    [one] { $nights } night does
   *[other] { $nights } nights do
} not fit between these dates ({ $span ->
    [one] { $span } night
   *[other] { $span } nights
}).
offer-error-room = type the room type, like DBL or “Family room” (up to { $max } characters).
offer-error-meal = type one of { $meals }.
offer-error-operator = type the tour operator's name (up to { $max } characters).
offer-error-url = a link must start with http:// or https:// and have no spaces.

# ---- the step-by-step wizard ----
offer-w-intro = A new option, step by step. “Cancel” returns to the list.
offer-w-step = Step { $number } of { $total }
offer-w-ask-hotel = Hotel? Add the stars at the end if you like: Rixos Premium 5*
offer-w-ask-place = Country and resort? For example: TR Belek, or Turkey, Belek
offer-w-ask-dates = Dates of the stay? For example: 12.06–19.06
offer-w-ask-nights = How many nights?
offer-w-nights-button = { $nights }
offer-w-ask-room = Room type? For example: DBL, Family room
offer-w-ask-meal = Meal plan? Pick one or type it.
offer-w-ask-price = Price for the whole tour? For example: 45000 (in { $currency }) or 1200 EUR
offer-w-ask-operator = Tour operator?
offer-w-ask-link = A link to the tour (https://…), or skip.
offer-w-ask-photo = A link to a photo of the hotel (https://…jpg), or skip.
offer-w-skip = ⏭ Skip
offer-w-sum-hotel = Hotel: { $value }
offer-w-sum-place = Where: { $value }
offer-w-sum-dates = Dates: { $value }
offer-w-sum-nights = Nights: { $value }
offer-w-sum-room = Room: { $value }
offer-w-sum-meal = Meal: { $value }
offer-w-sum-price = Price: { $value }
offer-w-sum-operator = Tour operator: { $value }
offer-w-sum-link = Link: { $value }
offer-w-sum-photo = Photo: { $value }
offer-w-summary = Please check the option:
offer-w-confirm = ✅ Add the option
offer-w-edit = ✏️ Change something
offer-w-edit-which = What would you like to change?
offer-w-resume = You have an option half-built:
offer-w-resume-continue = ▶️ Continue
offer-w-resume-restart = 🔄 Start again
offer-w-cancelled = The option was not added.
offer-w-stale = That button is out of date; here is the current question.
offer-w-type = Please type the answer.
offer-w-incomplete = Some answers are missing; here is the first of them.

# ---- the request's card ----
offer-open-request = 📄 Request card
offer-request-button = 📄 { $number }
offer-order-supplier = Tour operator: { $supplier }
offer-request-usage = Type /request and the request number, like /request R-0001.
offer-request-title = 📄 Request { $number } · { $name }
    Status: { $status } · Manager: { $manager }
offer-request-status-new = new
offer-request-status-taken = in progress
offer-request-status-closed = closed
offer-request-status-cancelled = cancelled
offer-request-offers = Options:
offer-request-history = History:
offer-status-open = open
offer-status-chosen = chosen
offer-status-closed = closed
offer-status-expired = expired
offer-line = { $number }. { $hotel } · { $place } · { $start }, { $nights } n. · { $meal } · { $price } · { $operator }
offer-history-created = request received
offer-history-taken = request taken
offer-history-offers-sent = { $count ->
    [one] 1 option sent
   *[other] { $count } options sent
}
offer-history-offers-chosen = option { $position } ({ $hotel }) chosen: order { $order }
offer-history-offers-question = question about option { $position } ({ $hotel })
offer-history-offers-question-all = question about the options
offer-history-offers-expired = options expired
