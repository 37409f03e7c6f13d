# The console demo's own words (bots/console.py, `tourdesk demo`), in the demo's language:
# the agency's, or the one given with --lang. Not the bot's: these frame the conversation.

console-welcome = tourdesk demo — { $agency }. Type /start to begin, Ctrl-D to leave.
console-web-busy = (web app not started: port { $port } is busy: { $reason })
console-now-user = (you are now { $user })
console-no-button = (there is no button { $button } on { $user }'s screen)
console-browser = (your browser opens { $url })
console-message-for = [message for { $user }]
console-update-for = [update of { $message } for { $user }]
