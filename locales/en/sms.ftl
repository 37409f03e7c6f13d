## SMS (issue 19): the STOP confirmation, the opt-out line of mailings, costs in the mailing preview.
sms-stopped = Done: we will not send you news and offers any more. Messages about your trips and payments will still arrive.
sms-mailing-stop = Reply STOP to unsubscribe
mchat-preview-sms-cost = SMS: { $parts ->
    [one] 1 part
   *[other] { $parts } parts
} × { $count } × { $price } = ≈ { $total }
mchat-preview-sms-parts = SMS: { $parts ->
    [one] 1 part
   *[other] { $parts } parts
} per message × { $count } = { $total } parts (the price per part is not set)
identity-code-sent-sms = The number { $phone } already belongs to a client profile. To open it, type the code we have just sent by SMS to that number. Until then you continue as a new client and see nothing of that profile.
identity-code-resent-sms = A new code has been sent by SMS. The previous one no longer works.
