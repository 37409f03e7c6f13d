## A phone shared from any screen (handlers/phone_anywhere.py)
phone-same = This number, { $phone }, is already in your profile.

## Messages clients wrote before anyone was on the team (core/relay_backlog.py)
relay-held-note = { $count ->
    [1] While nobody was on the team, a client wrote one message: it follows.
   *[other] While nobody was on the team, clients wrote { $count } messages: they follow, oldest first.
}
relay-held-header = 💬 { $name } ({ $phone }, client #{ $id }) wrote on { $when }, before anyone was on the team. Reply to this message to answer.

## Countries where the everyday name differs from CLDR's (core/destinations.py); any other
## country is named by Babel in the reader's language
country-TR = Turkey
country-AE = UAE
country-DO = Dominican Republic
