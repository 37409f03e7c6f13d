## Mailings at the staff desk (admins): list, card, wizard, progress, client history.

mchat-menu = 📣 Mailings
mchat-list-title = 📣 Recent mailings:
mchat-list-empty = No mailings yet.
mchat-list-line = #{ $id } · { $status } · { $percent }% of { $total } · { $when }
mchat-open = Open #{ $id }
mchat-new = ➕ New mailing
mchat-list = 📣 All mailings
mchat-refresh = 🔄 Refresh
mchat-pause = ⏸ Pause
mchat-resume = ▶️ Resume
mchat-draft = ✏️ Continue the draft
mchat-cancel = ⏹ Cancel the mailing

mchat-status-draft = draft
mchat-status-scheduled = scheduled
mchat-status-sending = sending
mchat-status-paused = paused
mchat-status-done = done
mchat-status-cancelled = cancelled

mchat-card-title = 📣 Mailing #{ $id }: { $status }
mchat-card-segment = Segment: { $segment }
mchat-everyone = everyone with consent
mchat-card-start = Start: { $when }
mchat-card-progress = Progress: { $done } of { $total } ({ $percent }%)
mchat-card-counts = Queued: { $queued } · sent: { $sent } · failed: { $failed } · blocked: { $blocked } · unsubscribed: { $unsubscribed } · cancelled: { $cancelled }
mchat-card-uncounted = Recipients: counted when sending starts
mchat-card-none-sent = Nothing was sent.
mchat-card-speed = Speed: { $rate } a second · about { $minutes } min left
mchat-card-paused = ⏸ Paused: nothing leaves until it is resumed.
mchat-milestone = 📣 Mailing #{ $id } is { $percent }% through.
mchat-final-done = ✅ Mailing #{ $id } is finished. Final report:
mchat-final-cancelled = ⏹ Mailing #{ $id } was cancelled. Final report:
mchat-cancel-ask = Cancel mailing #{ $id }? Messages that have not left yet will not be sent.
mchat-cancel-yes = ⏹ Yes, cancel it
mchat-cancel-no = ◀️ No, keep sending
mchat-paused = Mailing #{ $id } is paused.
mchat-resumed = Mailing #{ $id } is sending again.
mchat-cancelled = Mailing #{ $id } is cancelled.

mchat-client-title = Mailings received:
mchat-client-none = none yet
mchat-client-consent-on = Agreed to mailings: yes
mchat-client-consent-off = Agreed to mailings: no (gets none)
mchat-client-line = #{ $id } · { $when } · { $outcome }
mchat-outcome-pending = waiting
mchat-outcome-sent = sent
mchat-outcome-delivered = delivered
mchat-outcome-seen = seen
mchat-outcome-failed = failed
mchat-outcome-blocked = bot blocked
mchat-outcome-unsubscribed = unsubscribed
mchat-outcome-cancelled = not sent (cancelled)

mchat-ask-segment = New mailing, step 1: who gets it? Type a segment, for example: orders>=1 and country=TR and age=25-45 (conditions: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager). Or pick one below.
mchat-everyone-button = 👥 Everyone with consent
mchat-zero-audience = Nobody matches this segment (only clients who agreed to receive offers count). Try another one.
mchat-preview-title = Segment: { $segment }
mchat-preview-total = Recipients: { $count }
mchat-preview-channel = · { $channel }: { $count }
mchat-preview-sample = For example: { $names }
mchat-preview-stars = Cost of Telegram paid broadcast: ≈ { $stars ->
    [one] { $stars } Star
   *[other] { $stars } Stars
}
mchat-continue = ➡️ Continue
mchat-save-segment = 💾 Save the segment
mchat-ask-segment-name = Name for the segment (one word, for example turkey_summer):
mchat-segment-saved = Segment “{ $name }” is saved.
mchat-ask-text = Step 2: the text of the mailing. Variables: {"{"}first_name{"}"}, {"{"}name{"}"}, {"{"}manager{"}"}, {"{"}balance{"}"}, {"{"}bonus{"}"}, {"{"}next_trip{"}"}, {"{"}destination{"}"}, {"{"}due_amount{"}"}, {"{"}due_date{"}"}.
mchat-ask-langs = A separate text for a language is optional: clients without one get the main text.
mchat-ask-lang-text = The text for { $language }:
mchat-text-default = Main text
mchat-lang-uk = 🇺🇦 Ukrainian
mchat-lang-en = 🇬🇧 English
mchat-lang-ru = Russian
mchat-summary-text = { $language }: { $text }
mchat-summary-picture = Picture: { $url }
mchat-summary-link = Link: { $label } — { $url }
mchat-ask-picture = A picture? Send its address (https://…) or skip.
mchat-skip = ⏭ Skip
mchat-ask-links = Link buttons (up to three), one per message, like: Our offers - https://example.com/offers. Or press “Continue”.
mchat-links-full = That is three link buttons, the most a message takes. Press “Continue”.
mchat-bad-link-line = Write a link button as a label, a dash and the address: Our offers - https://example.com/offers
mchat-ready-title = Mailing #{ $id } is ready.
mchat-ask-ready = Send a test to this chat first, then send it now or at a set time.
mchat-test = 📨 Send me a test
mchat-test-sent = The test is on its way to this chat, as a client of your language would see it.
mchat-send-now = 🚀 Send now
mchat-schedule = 🕒 Schedule
mchat-ask-when = When should it start? Type HH:MM or DD.MM HH:MM (time zone { $tz }). Quiet hours move the start to their end.
mchat-bad-time = The time should look like 18:30 or 24.12 18:30.
mchat-started = 🚀 Mailing #{ $id } is being sent. Progress will appear in this chat.
mchat-scheduled = 🕒 Mailing #{ $id } will start { $when }. Progress will appear in this chat.
