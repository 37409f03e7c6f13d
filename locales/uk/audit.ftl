## Журнал дій реченнями: по одному на кожен ключ дії, який пише код (core/audit_text.py).
## Ключ — "audit-" + назва дії, у якій крапки замінено підкресленнями.
## Хто діяв, стоїть на початку з двокрапкою: так речення не залежить від роду.

audit-line = { $when } · { $text }
audit-other = { $who }: { $action }
audit-who-system = Tourdesk
audit-who-cli = Командний рядок
audit-who-account = Користувач месенджера
audit-client-number = клієнт №{ $id }
audit-staff-number = співробітник №{ $id }
st-audit-older = Давніші ▶️
st-audit-newer = ◀️ Новіші

audit-balance-adjust = { $who }: баланс клієнта { $client } змінено на { $amount } — «{ $reason }»
audit-booking-auto-cancelled = Бронювання { $order } скасовано автоматично: його не оплачено до { $deadline }
audit-booking-cancelled = Команді повідомлено про скасування бронювання { $order } ({ $recipients ->
    [one] { $recipients } сповіщення
    [few] { $recipients } сповіщення
   *[other] { $recipients } сповіщень
})
audit-client_erase-declined = { $who }: відмовлено у видаленні даних клієнта { $client }
audit-client_erased = { $who }: видалено персональні дані клієнта { $client }{ $forced ->
    [yes] , попри відкриті гроші — «{ $reason }»
   *[no] {""}
}
audit-clients-merged = { $who }: клієнта { $merged } об'єднано з клієнтом { $client }
audit-follow-up = Команді нагадано зв'язатися з клієнтом { $client }
audit-forget-me-requested = { $who }: надіслано прохання видалити дані
audit-forget-request = Адміністраторам повідомлено, що клієнт { $client } просить видалити дані
audit-identity-claim = Команду попрошено підтвердити, чий номер телефону клієнта { $client }
audit-identity-claimed = { $who }: номер телефону клієнта { $client } названо своїм; потрібне підтвердження
audit-identity-code-sent = Одноразовий код надіслано в месенджери клієнта { $client }
audit-identity-proven = { $who }: підтверджено, що це клієнт { $client } ({ $via ->
    [contact] власний контакт у Telegram
    [code] одноразовий код
   *[other] підтвердження команди
})
audit-identity-rejected = { $who }: відхилено заявку на номер телефону клієнта { $client }
audit-mailing_cancel = Розсилку №{ $mailing } скасовано
audit-mailing_create = { $who }: створено розсилку №{ $mailing }
audit-mailing_done = Розсилку №{ $mailing } завершено
audit-mailing_pause = Розсилку №{ $mailing } призупинено
audit-mailing_resume = Розсилку №{ $mailing } відновлено
audit-mailing_schedule = Розсилку №{ $mailing } заплановано
audit-mailing_unsubscribe = { $who }: скасовано підписку на розсилки (з розсилки №{ $mailing })
audit-order-paid-from-balance = { $who }: з балансу оплачено { $amount } за { $order }
audit-payment-alert = Команду попереджено про платіж, що потребує уваги (замовлення { $order })
audit-payment-link-expired = Посилання на оплату { $order } прострочене; команді повідомлено
audit-payment-needs-attention = Платіж за { $order } потребує уваги: { $reason }
audit-payment-received = { $provider ->
    [balance] { $client }: з балансу оплачено { $amount } за { $order }
   *[other] { $amount } за { $order } отримано через { $provider_name }
}
audit-payment-refunded = { $amount } за { $order } повернуто
audit-phone-changed = { $who }: змінено номер телефону
audit-refund-done = Повернення { $amount } за { $order } виконано
audit-refund-failed = Платіжний сервіс відхилив повернення { $amount } за { $order }: { $reason }
audit-refund-pending = Повернення { $amount } за { $order } прийнято; платіжний сервіс його підтвердить
audit-refund-refused = Повернення { $amount } за { $order } не записано: воно більше за сплачене
audit-review-commented = { $who }: залишено коментар до подорожі { $order }
audit-review-rated = { $who }: подорож { $order } оцінено на { $stars } з 5
audit-staff-lookup-alert = Адміністраторів попереджено про незвично багато переглядів клієнтів
audit-staff_audit_view = { $who }: відкрито журнал дій
audit-staff_client_view = { $who }: відкрито клієнта { $client }
audit-staff_debtors = { $who }: переглянуто боржників (сторінка { $page })
audit-staff_denied = { $who }: спроба дії, недоступної для цієї ролі ({ $route })
audit-staff_find = { $who }: пошук клієнтів за «{ $query }» — { $found ->
    [0] нічого не знайдено
   *[other] знайдено: { $found }
}
audit-staff_follow-up_done = { $who }: контакт із клієнтом { $client } позначено виконаним
audit-staff_follow-up_plan = { $who }: заплановано зв'язатися з клієнтом { $client } { $due }
audit-staff_invite = { $who }: запрошення — { $name }, роль «{ $role }» (дійсне до { $expires })
audit-staff_invite-refused = { $who }: код запрошення не спрацював — { $reason }
audit-staff_joined = { $who }: приєднання до команди з роллю «{ $role }»
audit-staff_lookup-alert = { $member }: за годину відкрито картки { $clients } { $clients ->
    [one] клієнта
   *[other] клієнтів
}; адміністраторів попереджено
audit-staff_order_create = { $who }: створено замовлення { $order } для клієнта { $client } — { $destination }, { $price }
audit-staff_order_pay-link = { $who }: клієнту { $client } надіслано посилання на оплату { $order } — { $amount }
audit-staff_order_search = { $who }: пошук замовлення «{ $query }» — { $found ->
    [0] нічого не знайдено
   *[other] знайдено { $found }
}
audit-staff_order_status = { $who }: статус { $order } змінено з «{ $from_status }» на «{ $to_status }»
audit-staff_order_view = { $who }: відкрито замовлення { $order } клієнта { $client }
audit-staff_orders_list = { $who }: переглянуто замовлення (сторінка { $page })
audit-staff_requests = { $who }: переглянуто заявки на тури (сторінка { $page })
audit-staff_revoke = { $who }: доступ співробітника { $member } ({ $role }) скасовано
audit-staff_team = { $who }: переглянуто список команди
audit-staff_today = { $who }: відкрито план на сьогодні
audit-tour-request = Команді повідомлено про нову заявку { $request }
audit-tour-request-created = { $who }: надіслано заявку на тур { $request }
audit-tour-request-taken = { $who }: заявку { $request } взято в роботу

## додано з API, бонусами, комісіями, пропозиціями турів, імпортом, звітами та фіскальними чеками
audit-api-key_create = Створено ключ API в командному рядку
audit-api-key_revoke = Відкликано ключ API в командному рядку
audit-api_request = { $who }: звернення до API
audit-client_create = { $who }: створено клієнта { $client }
audit-client_update = { $who }: оновлено дані клієнта { $client }
audit-clients-import = { $who }: імпортовано клієнтів із файлу
audit-orders-import = { $who }: імпортовано замовлення з файлу
audit-commission-report = Адміністраторам надіслано місячний звіт про комісії
audit-commission-rule = { $who }: встановлено правило комісії — { $member }
audit-order-net-price = { $who }: встановлено ціну туроператора для замовлення { $order }
audit-order_update = { $who }: оновлено замовлення { $order }
audit-points-adjust = { $who }: змінено бонусні бали клієнта { $client }: «{ $reason }»
audit-offers_sent = { $who }: надіслано варіанти турів за запитом { $request }
audit-offers_chosen = { $who }: обрано варіант туру за запитом { $request }
audit-offers_question = { $who }: запитання щодо варіанта туру за запитом { $request }
audit-offers_question-all = { $who }: запитання щодо варіантів турів за запитом { $request }
audit-offers_expired = Варіанти турів за запитом { $request } більше не дійсні
audit-offer-chosen = Команді повідомлено, що { $client } обирає варіант туру
audit-offer-question = Команді повідомлено про запитання { $client } щодо варіанта туру
audit-offer-expired-staff = Команді повідомлено, що варіанти турів більше не дійсні (клієнт { $client })
audit-staff_report = { $who }: відкрито звіт
audit-tour-request-assigned = { $who }: запит { $request } призначено менеджеру
audit-fiscal-alert = Команді повідомлено, що фіскальний чек не вдається створити
