## Звіти (панель персоналу для адміністраторів і бухгалтерів, CLI, API)

report-menu = 📊 Звіти
report-choose = 📊 Який звіт?
report-choose-period = { $report }: за який період?
report-name-prepayments = Посилання на передоплату
report-name-payments = Оплати по днях
report-name-debtors = Боржники
report-name-conversion = Запити → замовлення → оплата
report-name-mailings = Результати розсилок
report-period-this_month = Цей місяць
report-period-last_month = Минулий місяць
report-period-last_30_days = Останні 30 днів
report-title = 📊 { $report } · { $start } – { $end }
report-chart-caption = { $report } · { $start } – { $end }
report-chart-later = Графік надійде за мить.
report-chart-unavailable = Графік не вдалося побудувати; цифри вище повні.
report-empty = За цей період нічого немає.
report-bad-period = Період недійсний: кінець раніше за початок.
report-period-too-long = Період задовгий: щонайбільше три роки.
report-unknown = Звіту «{ $name }» немає. Звіти: { $names }.
report-bad-date = «{ $value }» — не дата; пишіть РРРР-ММ-ДД.

report-status-pending = очікує оплати
report-status-paid = оплачено
report-status-failed = помилка оплати
report-status-expired = прострочено
report-status-cancelled = скасовано
report-status-refunded = повернено
report-stage-requests = запити
report-stage-ordered = стали замовленнями
report-stage-paid = оплачено

report-series-links = посилання
report-series-amount = отримано, { $currency }
report-series-owed = борг, { $currency }
report-series-requests = запити

report-links-sent = Надіслано посилань: { $count }
report-links-line = • { $status }: { $count } · { $amount }
report-payments-total = Отримано оплат: { $count }
report-payments-sum = Разом: { $amount }
report-payments-day = • { $day }: { $count } · { $amount }
report-debtors-total = Боржників: { $debtors } · відкритих замовлень: { $orders }
report-debtors-sum = Борг: { $owed } · прострочено: { $overdue }
report-debtor-line = • { $name }: { $owed } (прострочено { $overdue }), перший термін { $due }
report-debtor-line-undated = • { $name }: { $owed } (без терміну оплати)
report-more = …і ще { $count } (CLI вивантажує все).
report-conversion-line = Запитів: { $requests } → замовлень: { $ordered } ({ $ordered_share }%) → оплачено: { $paid } ({ $paid_share }%)
report-mailings-total = Розсилок: { $mailings } · повідомлень: { $recipients }
report-mailing-line = • â{ $id } · { $day } · { $status }: надіслано { $sent }, доставлено { $delivered }, переглянуто { $seen }, помилок { $failed }, бот заблоковано { $blocked }, відписалися { $unsubscribed }
