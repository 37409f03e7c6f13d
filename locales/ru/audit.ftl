## Журнал действий предложениями: по одному на каждый ключ действия, который пишет код
## (core/audit_text.py). Ключ — "audit-" + название действия, где точки заменены подчёркиваниями.
## Кто действовал, стоит в начале с двоеточием: так предложение не зависит от рода.

audit-line = { $when } · { $text }
audit-other = { $who }: { $action }
audit-who-system = Tourdesk
audit-who-cli = Командная строка
audit-who-account = Пользователь мессенджера
audit-client-number = клиент №{ $id }
audit-staff-number = сотрудник №{ $id }
st-audit-older = Более ранние ▶️
st-audit-newer = ◀️ Более новые

audit-balance-adjust = { $who }: баланс клиента { $client } изменён на { $amount } — «{ $reason }»
audit-booking-auto-cancelled = Бронирование { $order } отменено автоматически: его не оплатили до { $deadline }
audit-booking-cancelled = Команде сообщено об отмене бронирования { $order } ({ $recipients ->
    [one] { $recipients } уведомление
    [few] { $recipients } уведомления
   *[other] { $recipients } уведомлений
})
audit-client_erase-declined = { $who }: отказано в удалении данных клиента { $client }
audit-client_erased = { $who }: удалены персональные данные клиента { $client }{ $forced ->
    [yes] , несмотря на открытые деньги — «{ $reason }»
   *[no] {""}
}
audit-clients-merged = { $who }: клиент { $merged } объединён с клиентом { $client }
audit-follow-up = Команде напомнили связаться с клиентом { $client }
audit-forget-me-requested = { $who }: отправлена просьба удалить данные
audit-forget-request = Администраторам сообщено, что клиент { $client } просит удалить данные
audit-identity-claim = Команду попросили подтвердить, чей номер телефона клиента { $client }
audit-identity-claimed = { $who }: номер телефона клиента { $client } назван своим; нужно подтверждение
audit-identity-code-sent = Одноразовый код отправлен в мессенджеры клиента { $client }
audit-identity-proven = { $who }: подтверждено, что это клиент { $client } ({ $via ->
    [contact] собственный контакт в Telegram
    [code] одноразовый код
   *[other] подтверждение команды
})
audit-identity-rejected = { $who }: отклонена заявка на номер телефона клиента { $client }
audit-mailing_cancel = Рассылка №{ $mailing } отменена
audit-mailing_create = { $who }: создана рассылка №{ $mailing }
audit-mailing_done = Рассылка №{ $mailing } завершена
audit-mailing_pause = Рассылка №{ $mailing } приостановлена
audit-mailing_resume = Рассылка №{ $mailing } возобновлена
audit-mailing_schedule = Рассылка №{ $mailing } запланирована
audit-mailing_unsubscribe = { $who }: отменена подписка на рассылки (из рассылки №{ $mailing })
audit-order-paid-from-balance = { $who }: с баланса оплачено { $amount } за { $order }
audit-payment-alert = Команда предупреждена о платеже, которому нужно внимание (заказ { $order })
audit-payment-link-expired = Ссылка на оплату { $order } просрочена; команде сообщено
audit-payment-needs-attention = Платёж за { $order } требует внимания: { $reason }
audit-payment-received = { $provider ->
    [balance] { $client }: с баланса оплачено { $amount } за { $order }
   *[other] { $amount } за { $order } получено через { $provider_name }
}
audit-payment-refunded = { $amount } за { $order } возвращено
audit-phone-changed = { $who }: изменён номер телефона
audit-refund-done = Возврат { $amount } за { $order } выполнен
audit-refund-failed = Платёжный сервис отклонил возврат { $amount } за { $order }: { $reason }
audit-refund-pending = Возврат { $amount } за { $order } принят; платёжный сервис его подтвердит
audit-refund-refused = Возврат { $amount } за { $order } не записан: он больше оплаченного
audit-review-commented = { $who }: оставлен комментарий к поездке { $order }
audit-review-rated = { $who }: поездка { $order } оценена на { $stars } из 5
audit-staff-lookup-alert = Администраторы предупреждены о необычно частых просмотрах клиентов
audit-staff_audit_view = { $who }: открыт журнал действий
audit-staff_client_view = { $who }: открыт клиент { $client }
audit-staff_debtors = { $who }: просмотрены должники (страница { $page })
audit-staff_denied = { $who }: попытка действия, недоступного для этой роли ({ $route })
audit-staff_find = { $who }: поиск клиентов по «{ $query }» — { $found ->
    [0] ничего не найдено
   *[other] найдено: { $found }
}
audit-staff_follow-up_done = { $who }: контакт с клиентом { $client } отмечен выполненным
audit-staff_follow-up_plan = { $who }: запланировано связаться с клиентом { $client } { $due }
audit-staff_invite = { $who }: приглашение — { $name }, роль «{ $role }» (действует до { $expires })
audit-staff_invite-refused = { $who }: код приглашения не сработал — { $reason }
audit-staff_joined = { $who }: присоединение к команде с ролью «{ $role }»
audit-staff_lookup-alert = { $member }: за час открыты карточки { $clients } { $clients ->
    [one] клиента
   *[other] клиентов
}; администраторы предупреждены
audit-staff_order_create = { $who }: создан заказ { $order } для клиента { $client } — { $destination }, { $price }
audit-staff_order_pay-link = { $who }: клиенту { $client } отправлена ссылка на оплату { $order } — { $amount }
audit-staff_order_search = { $who }: поиск заказа «{ $query }» — { $found ->
    [0] ничего не найдено
   *[other] найдено: { $found }
}
audit-staff_order_status = { $who }: статус { $order } изменён с «{ $from_status }» на «{ $to_status }»
audit-staff_order_view = { $who }: открыт заказ { $order } клиента { $client }
audit-staff_orders_list = { $who }: просмотрены заказы (страница { $page })
audit-staff_requests = { $who }: просмотрены заявки на туры (страница { $page })
audit-staff_revoke = { $who }: доступ сотрудника { $member } ({ $role }) отозван
audit-staff_team = { $who }: просмотрен список команды
audit-staff_today = { $who }: открыт план на сегодня
audit-tour-request = Команде сообщено о новой заявке { $request }
audit-tour-request-created = { $who }: отправлена заявка на тур { $request }
audit-tour-request-taken = { $who }: заявка { $request } взята в работу

## добавлено с API, бонусами, комиссиями, предложениями туров, импортом, отчётами и фискальными чеками
audit-api-key_create = Создан ключ API в командной строке
audit-api-key_revoke = Отозван ключ API в командной строке
audit-api_request = { $who }: обращение к API
audit-client_create = { $who }: создан клиент { $client }
audit-client_update = { $who }: обновлены данные клиента { $client }
audit-clients-import = { $who }: импортированы клиенты из файла
audit-orders-import = { $who }: импортированы заказы из файла
audit-commission-report = Администраторам отправлен месячный отчёт о комиссиях
audit-commission-rule = { $who }: задано правило комиссии — { $member }
audit-order-net-price = { $who }: задана цена туроператора для заказа { $order }
audit-order_update = { $who }: обновлён заказ { $order }
audit-points-adjust = { $who }: изменены бонусные баллы клиента { $client }: «{ $reason }»
audit-offers_sent = { $who }: отправлены варианты туров по запросу { $request }
audit-offers_chosen = { $who }: выбран вариант тура по запросу { $request }
audit-offers_question = { $who }: вопрос о варианте тура по запросу { $request }
audit-offers_question-all = { $who }: вопрос о вариантах туров по запросу { $request }
audit-offers_expired = Варианты туров по запросу { $request } больше не действуют
audit-offer-chosen = Команде сообщено, что { $client } выбирает вариант тура
audit-offer-question = Команде сообщено о вопросе { $client } по варианту тура
audit-offer-expired-staff = Команде сообщено, что варианты туров больше не действуют (клиент { $client })
audit-staff_report = { $who }: открыт отчёт
audit-tour-request-assigned = { $who }: запрос { $request } назначен менеджеру
audit-fiscal-alert = Команде сообщено, что фискальный чек не удаётся создать
