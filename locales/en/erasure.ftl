# Right to erasure: the admin's side and what the client is told.

erasure-button-erase = 🗑 Erase
erasure-button-decline = Decline
erasure-card-button = 🗑 Erase personal data
erasure-confirm =
    Erase the personal data of { $name } (#{ $id })?
    Names, phone, birthday, e-mail and message texts will be wiped and their messenger accounts unlinked. Orders and payments stay, under “Erased client #{ $id }”. This cannot be undone.
erasure-confirm-yes = Yes, erase
erasure-open-money-title = Money is still open for this client:
erasure-open-money-hint = Settle it first, or force the erasure and give a reason for the audit log.
erasure-open-balance = • balance { $amount }
erasure-open-order-unpaid = • order { $number }: { $amount } not paid yet
erasure-open-order-paid = • cancelled order { $number } still holds { $amount } paid
erasure-open-links = • payment links that can still be paid: { $count }
erasure-force-button = ⚠️ Force erase…
erasure-ask-reason = Why erase even though money is open? Type the reason: it goes into the audit log.
erasure-done-staff = ✅ Client #{ $id } is erased: personal data wiped, messenger accounts unlinked: { $accounts }. Orders and payments stay for accounting.
erasure-done-forced = The erasure was forced; the reason is in the audit log.
erasure-already-staff = Client #{ $id } was already erased; nothing else to do.
erasure-declined-staff = The request of client #{ $id } is declined; the data stays and the client has been told.
erasure-refused-open-money = Erasure refused: money is still open for this client.
erasure-reason-needed = A forced erasure needs a reason.
erasure-reason-too-long = The reason is too long: at most { $max } characters.
erasure-client-not-found = No such client.
erasure-already-erased = Client #{ $id } is already erased.
erasure-no-request = Client #{ $id } has no open request to delete their data.
erasure-done-client = Your personal data has been deleted, as you asked. This chat is no longer linked to your profile; if you write to us again, we will start afresh.
erasure-declined-client = We could not delete your personal data yet: there are bookings or payments in progress that we must keep for now. Please write to us if you have any questions.
