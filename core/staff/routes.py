"""Button actions of the staff desk (payload ``"1|<action>|args"``), shared by the handlers and by
the notifications that carry "open the card" buttons. All start with ``s`` and none is used by
a client flow; a test checks that."""

from __future__ import annotations

MENU = "sm"  # the staff menu
ORDERS = "sol"  # orders list: status | "active", page
ORDER = "soc"  # order card: order id
CLIENT = "scc"  # client card: client id
FIND = "sfc"  # ask what to look for
DEBTORS = "sdb"  # debtors: page
REQUESTS = "srq"  # tour requests: "new" | "mine", page
TODAY = "std"  # today
NEW_ORDER = "sno"  # the new-order wizard: op, value
PAY_LINK = "spl"  # order id, "rest" | "pre" | "sum"
STATUS = "sst"  # order id[, new status]
FOLLOW_UP = "sfu"  # client id
FOLLOW_DONE = "sfd"  # follow-up id
ADJUST = "sba"  # client id
TEAM = "stm"  # staff list: page
REVOKE = "srv"  # staff id[, "yes"]
INVITE = "sin"  # [role]
AUDIT = "sau"  # audit log: page
CANCEL = "sxx"  # leave a staff wizard
IDENTITY = "sic"  # a phone claim: claim id, "ok" | "no"
MERGE = "smg"  # merge a client into another: from id[, into id]
ERASE = "ser"  # erase a client's personal data: client id[, "yes" | "force"]
ERASE_DECLINE = "sed"  # keep the data, close the client's request: client id
CANCEL_ORDER = "sco"  # order id, "none" | "keep" | "refund", the paid amount staff saw
MAILINGS = "sml"  # recent mailings (admins)
MAILING = "smc"  # a mailing's card: mailing id[, "pause" | "resume" | "cancel" | "yes"]
MAIL_NEW = "smn"  # the new-mailing wizard: op[, value]
REPORTS = "srp"  # reports (admins, accountants): [name[, period]]
REQUEST = "srk"  # a tour request's card (its offers and history): request id
OFFERS = "sof"  # the offer builder: request id | op ("wiz" | "send" | "drop" | "quit")
OFFER_WIZARD = "sow"  # the step-by-step option wizard: op, value
POINTS = "spa"  # adjust a client's bonus points: client id[, "yes"]
COMMISSION = "scm"  # commissions of a month: [YYYY-MM]
