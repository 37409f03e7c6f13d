# Оплаты, баланс и страницы оплаты (issue 6).

pay-what-order = заказ { $number } ({ $destination })
pay-what-topup = пополнение баланса

pay-order-title = 🧳 Заказ { $number } — { $destination }
pay-order-price = Стоимость: { $price }
pay-order-paid = Оплачено: { $paid }
pay-order-remaining = Осталось оплатить: { $remaining }
pay-order-due = Оплатить до: { $due }
pay-choose = Как вы хотите оплатить?
pay-button-remaining = 💳 Оплатить остаток — { $amount }
pay-button-prepay = 💳 Предоплата { $percent }% — { $amount }
pay-button-balance = 👛 Оплатить с баланса ({ $balance })
pay-button-open = 💳 Оплатить { $amount }
pay-button-retry = 🔁 Попробовать ещё раз — { $amount }
pay-button-pay-rest = 💳 Оплатить остаток
pay-link-ready = Ваша ссылка на оплату { $amount } готова. Она действует до { $deadline }.
pay-order-not-found = Этот заказ не найден среди ваших поездок.
pay-order-closed = Этот заказ уже нельзя оплатить. Ваш менеджер охотно поможет.
pay-nothing-due = По этому заказу больше нечего оплачивать. Спасибо!
pay-more-than-due = Сумма больше, чем осталось оплатить.
pay-no-provider = Онлайн-оплата сейчас недоступна. Пожалуйста, обратитесь к менеджеру.
pay-provider-unknown = Платёжный сервис { $provider } не настроен.
pay-client-not-found = Мы не нашли ваш профиль. Пожалуйста, сначала поделитесь номером телефона.

pay-receipt = ✅ Оплата получена: { $amount } за { $what }.
pay-receipt-progress = Оплачено { $paid } из { $price }.
pay-receipt-left = Осталось оплатить: { $remaining }.
pay-receipt-left-by = Осталось оплатить: { $remaining } до { $due }.
pay-receipt-full = Заказ оплачен полностью. Спасибо!
pay-receipt-topup = ✅ Ваш баланс пополнен на { $amount }. Баланс сейчас: { $balance }.
pay-receipt-kept = ✅ Мы получили вашу оплату { $amount } за { $what }. Зачислить её на заказ уже не удалось, поэтому она на вашем балансе ({ $balance }). Ваш менеджер свяжется с вами.
pay-failed = Оплата { $amount } за { $what } не прошла — деньги не списаны. Можно попробовать ещё раз по новой ссылке:
pay-failed-no-retry = Оплата { $amount } за { $what } не прошла — деньги не списаны. Ваш менеджер охотно поможет.
pay-refunded = ↩️ Возвращено { $amount } за { $what }.
pay-reminder = ⏳ Ваша ссылка на оплату { $what } ({ $amount }) действует до { $deadline }.
pay-reminder-booking = ⏳ Ваша ссылка на оплату { $what } ({ $amount }) действует до { $deadline }. Если к этому времени оплаты не будет, бронирование отменится.
pay-booking-cancelled = ❌ Ваше бронирование { $number } ({ $destination }) отменено, так как предоплата не поступила вовремя. Если вы всё ещё хотите поехать, обратитесь к менеджеру.

pay-staff-received = 💰 Оплата получена: { $amount } за { $what } (клиент: { $client }, { $provider }).
pay-staff-balance-used = 👛 { $client }: с баланса клиента оплачено { $amount } за заказ { $number }.
pay-staff-late = ⚠️ Оплата { $amount } за { $what } (клиент: { $client }) пришла после того, как ссылка истекла или была отменена. Проверьте, пожалуйста. Баланс клиента: { $balance }.
pay-staff-unapplied = ⚠️ Оплату { $amount } за { $what } (клиент: { $client }) не удалось зачислить (заказ отменён или уже оплачен). Она на балансе клиента ({ $balance }) — пожалуйста, решите вопрос.
pay-staff-paid-twice = ⚠️ { $client }: { $what } оплачено дважды; лишние { $amount } на балансе клиента ({ $balance }) — пожалуйста, решите вопрос.
pay-staff-refund = ↩️ Возврат: { $amount } возвращено клиенту { $client } за { $what }. Баланс клиента: { $balance }.
pay-staff-refund-debt = ↩️ Возврат: { $amount } возвращено клиенту { $client } за { $what }. Баланс клиента теперь отрицательный ({ $balance }) — пожалуйста, решите вопрос.
pay-staff-mismatch = 🚫 Уведомление об оплате отклонено: { $provider } сообщает { $got } для { $reference }, а мы просили { $expected }. Проверьте, пожалуйста.
pay-staff-unknown = 🚫 От { $provider } пришло сообщение об оплате ({ $status }, { $amount }) с неизвестным номером { $reference }. Проверьте, пожалуйста.
pay-staff-link-expired = ⌛ Ссылка на оплату заказа { $number } ({ $client }, { $amount }) истекла без оплаты.
pay-staff-booking-cancelled = ❌ Бронирование { $number } ({ $destination }, { $client }) отменено автоматически: предоплаты не было до { $deadline }.

pay-page-back-to-chat = Можете закрыть эту страницу и вернуться в чат.
pay-page-closed-title = Ссылка на оплату
pay-page-paid-title = Оплачено
pay-page-pending-title = Оплата обрабатывается
pay-page-redirect-title = Переходим на страницу оплаты…
pay-page-continue = Перейти к оплате
pay-page-not-found = Такой ссылки на оплату не существует. Попросите новую в чате.
pay-page-expired = Срок действия этой ссылки истёк. Откройте свою поездку в чате, чтобы получить новую.
pay-page-cancelled = Эта ссылка на оплату отменена. Попросите новую в чате.
pay-page-failed = Эта оплата не прошла. Воспользуйтесь новой ссылкой, которую мы отправили вам в чат.
pay-page-paid = Эта оплата уже совершена. Спасибо!
pay-page-order-cancelled = Этот заказ отменён, поэтому его нельзя оплатить. Обратитесь к менеджеру.
pay-page-order-paid = Этот заказ уже оплачен. Спасибо!
pay-page-unavailable = Онлайн-оплата сейчас недоступна. Попробуйте позже.
pay-page-thanks = Спасибо! Ваша оплата { $amount } получена. Квитанция ждёт вас в чате.
pay-page-pending = Ждём подтверждения вашей оплаты { $amount }. Как только оно придёт, вы получите квитанцию в чате.

sandbox-title = Тестовая оплата (песочница)
sandbox-note = Это встроенная тестовая страница оплаты: настоящие деньги не списываются.
sandbox-pay = ✅ Оплатить
sandbox-decline = ✖️ Отклонить
sandbox-bad-choice = Нажмите «Оплатить» или «Отклонить».

balance-title = 💳 Ваш баланс
balance-amount = { $amount }
balance-bonus = Бонусные баллы: { $points }
balance-card = Виртуальная карта: { $card }
balance-history = Последние операции:
balance-no-history = Операций пока нет.
balance-entry = { $date } · { $kind } · { $amount }
balance-topup = ➕ Пополнить
balance-pay-order = 🧳 Оплатить заказ с баланса
balance-open = 💳 Баланс
ledger-kind-payment = оплата
ledger-kind-order-charge = оплата заказа
ledger-kind-refund = возврат
ledger-kind-adjustment = корректировка
ledger-kind-bonus = бонус
ledger-kind-with-order = { $kind } ({ $number })

topup-choose = На какую сумму пополнить баланс?
topup-other = ✏️ Другая сумма
topup-ask-amount = Введите сумму (от { $min } до { $max }):
topup-out-of-range = Сумма должна быть от { $min } до { $max }.

balpay-choose = Какой заказ оплатить с баланса?
balpay-order = { $number } { $destination } — остаток { $remaining }
balpay-none = Сейчас нет заказа, который можно оплатить с баланса.
balpay-confirm = Оплатить { $amount } за заказ { $number } с баланса ({ $balance })?
balpay-yes = ✅ Да, оплатить
balpay-done = ✅ Оплачено { $amount } за заказ { $number } с баланса.
balpay-insufficient = На балансе недостаточно средств для этой оплаты.

ledger-adjust-forbidden = Корректировать баланс может только администратор или бухгалтер.
ledger-adjust-reason = Пожалуйста, укажите причину корректировки.
ledger-adjust-negative = Эта корректировка сделала бы баланс отрицательным.
ledger-adjust-duplicate = Эта корректировка уже записана.
