## Отчёты (панель персонала для администраторов и бухгалтеров, CLI, API)

report-menu = 📊 Отчёты
report-choose = 📊 Какой отчёт?
report-choose-period = { $report }: за какой период?
report-name-prepayments = Ссылки на предоплату
report-name-payments = Оплаты по дням
report-name-debtors = Должники
report-name-conversion = Запросы → заказы → оплата
report-name-mailings = Результаты рассылок
report-period-this_month = Этот месяц
report-period-last_month = Прошлый месяц
report-period-last_30_days = Последние 30 дней
report-title = 📊 { $report } · { $start } – { $end }
report-chart-caption = { $report } · { $start } – { $end }
report-chart-later = График придёт через мгновение.
report-chart-unavailable = График построить не удалось; цифры выше полные.
report-empty = За этот период ничего нет.
report-bad-period = Период недействителен: конец раньше начала.
report-period-too-long = Период слишком длинный: не больше трёх лет.
report-unknown = Отчёта «{ $name }» нет. Отчёты: { $names }.
report-bad-date = «{ $value }» — не дата; пишите ГГГГ-ММ-ДД.

report-status-pending = ожидает оплаты
report-status-paid = оплачено
report-status-failed = ошибка оплаты
report-status-expired = просрочено
report-status-cancelled = отменено
report-status-refunded = возвращено
report-stage-requests = запросы
report-stage-ordered = стали заказами
report-stage-paid = оплачено

report-series-links = ссылки
report-series-amount = получено, { $currency }
report-series-owed = долг, { $currency }
report-series-requests = запросы

report-links-sent = Отправлено ссылок: { $count }
report-links-line = • { $status }: { $count } · { $amount }
report-payments-total = Получено оплат: { $count }
report-payments-sum = Итого: { $amount }
report-payments-day = • { $day }: { $count } · { $amount }
report-debtors-total = Должников: { $debtors } · открытых заказов: { $orders }
report-debtors-sum = Долг: { $owed } · просрочено: { $overdue }
report-debtor-line = • { $name }: { $owed } (просрочено { $overdue }), первый срок { $due }
report-debtor-line-undated = • { $name }: { $owed } (без срока оплаты)
report-more = …и ещё { $count } (CLI выгружает всё).
report-conversion-line = Запросов: { $requests } → заказов: { $ordered } ({ $ordered_share }%) → оплачено: { $paid } ({ $paid_share }%)
report-mailings-total = Рассылок: { $mailings } · сообщений: { $recipients }
report-mailing-line = • â{ $id } · { $day } · { $status }: отправлено { $sent }, доставлено { $delivered }, просмотрено { $seen }, ошибок { $failed }, бот заблокирован { $blocked }, отписались { $unsubscribed }
