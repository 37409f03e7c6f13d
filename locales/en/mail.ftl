## E-mail (issue 19): subjects by message kind, the unsubscribe link and its page.
mail-subject-payment = { $agency }: payment for your trip
mail-subject-receipt = { $agency }: your payment receipt
mail-subject-reminder = { $agency }: a reminder about your trip
mail-subject-mailing = { $agency }: news and offers
mail-subject-generic = { $agency }: a message about your trip
mail-unsubscribe-line = To stop receiving these e-mails, open { $url }
mail-unsubscribe-link = Unsubscribe from these e-mails
mail-unsubscribe-title = Unsubscribe
mail-unsubscribed = You are unsubscribed: we will not send you news and offers any more. Messages about your trips and payments will still arrive.
mail-unsubscribe-bad-link = This unsubscribe link is not valid. Please open the link from the e-mail exactly as it is.
