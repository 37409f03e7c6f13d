## Reports (staff chat for admins and accountants, CLI, API)

report-menu = 📊 Reports
report-choose = 📊 Which report?
report-choose-period = { $report }: for which period?
report-name-prepayments = Prepayment links
report-name-payments = Payments per day
report-name-debtors = Debtors
report-name-conversion = Requests → orders → paid
report-name-mailings = Mailing results
report-period-this_month = This month
report-period-last_month = Last month
report-period-last_30_days = Last 30 days
report-title = 📊 { $report } · { $start } – { $end }
report-chart-caption = { $report } · { $start } – { $end }
report-chart-later = The chart follows in a moment.
report-chart-unavailable = The chart could not be drawn; the figures above are complete.
report-empty = Nothing in this period.
report-bad-period = The period is not valid: its end is before its start.
report-period-too-long = The period is too long: three years at most.
report-unknown = There is no report “{ $name }”. Reports: { $names }.
report-bad-date = “{ $value }” is not a date; write YYYY-MM-DD.

report-status-pending = waiting for payment
report-status-paid = paid
report-status-failed = failed
report-status-expired = expired
report-status-cancelled = cancelled
report-status-refunded = refunded
report-stage-requests = requests
report-stage-ordered = became orders
report-stage-paid = paid

report-series-links = links
report-series-amount = received, { $currency }
report-series-owed = owed, { $currency }
report-series-requests = requests

report-links-sent = Links sent: { $count }
report-links-line = • { $status }: { $count } · { $amount }
report-payments-total = Payments received: { $count }
report-payments-sum = Total: { $amount }
report-payments-day = • { $day }: { $count } · { $amount }
report-debtors-total = Debtors: { $debtors } · open orders: { $orders }
report-debtors-sum = Owed: { $owed } · overdue: { $overdue }
report-debtor-line = • { $name }: { $owed } (overdue { $overdue }), first due { $due }
report-debtor-line-undated = • { $name }: { $owed } (no due date)
report-more = …and { $count } more (the CLI exports everything).
report-conversion-line = Requests: { $requests } → orders: { $ordered } ({ $ordered_share }%) → paid: { $paid } ({ $paid_share }%)
report-mailings-total = Mailings: { $mailings } · messages: { $recipients }
report-mailing-line = • #{ $id } · { $day } · { $status }: sent { $sent }, delivered { $delivered }, seen { $seen }, failed { $failed }, blocked { $blocked }, unsubscribed { $unsubscribed }
