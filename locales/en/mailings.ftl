## Mailings (issue 13): segment expressions, content checks, the Unsubscribe button.

## Segment expressions: where (a 1-based position) and what was expected
seg-expected-term = The segment has a problem at position { $position } (“{ $found }”): a condition was expected there, such as orders>=1 or country=TR (several are joined with “and”).
seg-expected-and = The segment has a problem at position { $position } (“{ $found }”): conditions are joined with “and”.
seg-unknown-term = The segment has an unknown condition “{ $term }” at position { $position }. Known ones: channel, lang, lead, customer, repeat, orders, age, gender, birthday_within, country, departed, returning, debt, balance, bonus, last_trip, manager.
seg-expected-operator = The segment has a problem at position { $position } (“{ $found }”): after “{ $term }” one of these was expected: { $operators }
seg-expected-value = The segment has a problem at position { $position }: “{ $term }” needs a value like { $format }
seg-bad-value = The segment has a value that does not fit at position { $position } (“{ $found }”): “{ $term }” takes a value like { $format }

## Creating a mailing
mailing-no-text = A mailing needs a text.
mailing-bad-braces = The text has an unpaired curly brace. Write variables like {"{"}first_name{"}"}.
mailing-unknown-variable = The text uses an unknown variable { $variable }. Available ones: { $known }
mailing-bad-language = There is no language “{ $language }” here.
mailing-text-too-long = The text is too long: at most { $limit } characters.
mailing-too-many-links = At most { $limit } link buttons can be added.
mailing-bad-link = This link button needs a label and an http(s) address: { $url }
mailing-bad-picture = The picture must be an http(s) address: { $url }
mailing-bad-rate = The rate must be between 1 and { $limit } messages per second.
mailing-segment-not-found = There is no saved segment called “{ $name }”.
mailing-bad-segment-name = A segment name is one word of up to 64 characters.
mailing-not-found = Mailing #{ $id } was not found.
mailing-bad-state = That cannot be done with mailing #{ $id } now: its status is { $status }.
mailing-past-time = That time has already passed.
mailing-bad-time = The time should look like 18:30 or 2026-12-24 18:30 (agency time).

## What clients see
mailing-unsubscribe = 🔕 Unsubscribe
mailing-unsubscribed = Done: no more news and offers from us. Messages about your trips and payments will still arrive. You can turn offers back on in Settings.
mailing-var-friend = friend
mailing-var-none = —

## The final report
mailing-took = Took { $minutes } min { $seconds } s
mailing-bad-interval = The interval must be between 0.05 and 3600 seconds.
