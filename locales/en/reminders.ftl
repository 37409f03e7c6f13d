## Reminders (issue 8): to clients, to staff, and the review of a trip.

## Payment due
reminder-payment-due = ⏰ A reminder about your trip { $number } to { $destination }: { $remaining } is left to pay by { $due } — { $days ->
        [1] that is tomorrow.
       *[other] in { $days } days.
    }
reminder-payment-due-today = ⏰ Today, { $due }, is the payment day for your trip { $number } to { $destination }. Left to pay: { $remaining }.
reminder-payment-due-hint = You can pay right here with the button below. If you have just paid, thank you — please ignore this message.
reminder-pay-button = 💳 Pay { $amount }

## Before departure
reminder-departure = 🧳 { $days ->
        [0] Your trip { $number } to { $destination } starts today, { $date }!
        [1] Your trip { $number } to { $destination } starts tomorrow, { $date }!
       *[other] Your trip { $number } to { $destination } starts on { $date } — in { $days } days!
    }
reminder-departure-checklist = Please check your documents:
    • passports (valid for at least 6 months after your return) and visas, if needed
    • air tickets and the hotel voucher
    • travel insurance policy
    • for children travelling with one parent or others: the notarised consent of the parents
    • bank cards and some cash in the local currency
    • medicines you take regularly
    Please be at the airport 2–3 hours before departure. Have a great trip!
reminder-departure-memo = 📌 Memo: { $country }

## Review request after return
reminder-review = 👋 Welcome back from { $destination }! How was your trip { $number }? Please rate it — it helps us a lot.
reminder-review-star = { $stars } ⭐

## Birthday
reminder-birthday = 🎂 Happy birthday, { $name }! May this year bring you many happy journeys. With warm wishes, your { $agency } team.
reminder-birthday-noname = 🎂 Happy birthday! May this year bring you many happy journeys. With warm wishes, your { $agency } team.
reminder-birthday-find-tour = 🔎 Find a tour
reminder-birthday-stop = 🔕 No more greetings and offers

## Daily staff digest
reminder-digest-title = ☀️ Good morning! Your day, { $date }:
reminder-digest-departures = ✈️ Departures today ({ $count }):
reminder-digest-departure = • { $number } { $destination } — { $client }
reminder-digest-payments = 💳 Payments due today and overdue ({ $count }):
reminder-digest-payment-today = • { $number } { $destination } — { $client }: { $remaining }, due today
reminder-digest-payment-overdue = • { $number } { $destination } — { $client }: { $remaining }, overdue since { $due }
reminder-digest-requests = 🆕 New requests without a manager ({ $count }):
reminder-digest-request = • { $number } { $destination } — { $client }
reminder-digest-follow-ups = 📞 Follow-ups today ({ $count }):
reminder-digest-follow-up = • { $time } { $client }: { $note }
reminder-digest-nothing = Nothing planned for today.
reminder-digest-more = … and { $count } more

## Lost clients (weekly, admins)
reminder-lost-title = 🕰 Clients we have not heard from for more than { $days ->
    [one] { $days } day
   *[other] { $days } days
}: { $count }
reminder-lost-client = • { $client }, { $phone } — { $trip }
reminder-lost-no-trips = no trips yet
reminder-lost-last-trip = last trip: { $number } { $destination } ({ $date })

## Low review alert (staff)
reminder-review-alert = ⚠️ Low review: { $stars }/5 for { $number } { $destination } from { $client } ({ $phone }).
reminder-review-alert-comment = Comment: { $comment }
reminder-review-alert-no-comment = No comment.

## The review conversation (client)
review-ask-comment = Thank you for your rating: { $stars } ⭐! Would you like to add a few words? Just type your comment, or press “Skip”.
review-skip = ⏭ Skip
review-thanks = Thank you for your feedback! It helps us make every next trip better.
review-already = You have already rated this trip ({ $stars } ⭐). Thank you!
review-not-found = We could not find this trip among yours.
review-comment-too-long = That is a bit long — please keep your comment under { $max } characters.
review-comment-text-only = Please type your comment as text, or press “Skip”.
review-to-menu = 🏠 Main menu
