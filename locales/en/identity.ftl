# Proving a phone that already belongs to a client profile (one-time code or the agency's check).
identity-code-message = Someone is trying to link your number in { $channel }. Code: { $code } (valid for { $minutes } minutes). If it wasn't you, ignore this message: nothing changes without the code.
identity-code-sent = The number { $phone } already belongs to a client profile. To open it, type the code we have just sent to the { $channels } chat linked to that profile. Until then you continue as a new client and see nothing of that profile.
identity-code-resent = A new code has been sent to { $channels }. The previous one no longer works.
identity-code-format = Please type the 6-digit code from the message.
identity-code-wrong = { $left ->
    [one] That code is not right. 1 try left.
   *[other] That code is not right. { $left } tries left.
}
identity-code-expired = This code has expired. Ask for a new one.
identity-code-locked = Too many wrong tries. You can ask the agency to confirm instead.
identity-code-limit = Too many codes have been requested for this number. Please try again in an hour.
identity-code-resend = Send a new code
identity-ask-staff = Ask the agency to confirm
identity-go-on = Continue as a new client
identity-going-on = You continue as a new client.
identity-staff-asked = We have asked the agency to confirm that { $phone } is yours and will let you know here. Until then you continue as a new client.
identity-proven = Done! This chat is now linked to your profile.
identity-proven-by-staff = The agency has confirmed that { $phone } is yours: this chat is now linked to your profile.
identity-rejected = The agency could not confirm that { $phone } is yours, so this chat stays a separate profile. If this is a mistake, please contact the agency.
identity-claim-closed = This request is no longer active.
identity-staff-ask = 📱 { $name } ({ $channel }) gives the number { $phone }. It belongs to client card #{ $card } ({ $client }). Confirm only after checking it is the same person.
identity-staff-confirm = ✅ Confirm
identity-staff-reject = ❌ Reject
identity-staff-confirmed = Confirmed: the account is now linked to this client.
identity-staff-rejected = Rejected: the person who named { $phone } has been told.
identity-staff-already = This request has already been decided.
identity-merge-button = 🔗 Merge into another card
identity-merge-ask = Type the number of the client card that #{ $card } should be merged into.
identity-merge-confirm = Merge #{ $source } ({ $source_name }) into #{ $card } ({ $name })? Messengers, requests, orders, payments and balance move to #{ $card }, and card #{ $source } is removed.
identity-merge-yes = Merge
identity-merge-done = Card #{ $source } has been merged into this one.
identity-merge-same = That is the same client card.
identity-merge-not-found = There is no such client card.
identity-staff-limit = You have made several such requests in the last hour, so the agency was not asked again. Please try later or contact the agency directly. Until then you continue as a new client.
