# Telegram channel: the command list shown in the "/" menu, and channel-level notes.
telegram-command-start = Start over
telegram-command-menu = Main menu
telegram-command-cancel = Cancel and return to the menu
telegram-contact-not-yours = Sorry, we can only accept your own phone number, so this contact was not saved. Please share your own number or type it.
telegram-staff-order = One order by its number
telegram-staff-invite = Invite a team member
