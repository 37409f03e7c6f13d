## Бонусные баллы (handlers/loyalty.py, core/loyalty) и комиссии менеджеров

loyalty-open = ⭐ Бонусные баллы
loyalty-title = ⭐ Ваши бонусные баллы
loyalty-balance = Баланс: { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    } (стоимость: { $value })
loyalty-totals = Начислено: { $earned } · потрачено: { $spent } · сгорело: { $expired }
loyalty-expiring-title = Сгорят:
loyalty-expiring-line = • { $points } — { $date }
loyalty-history = Последние операции:
loyalty-entry = { $date } · { $kind } · { $points }
loyalty-kind-accrue = начислено
loyalty-kind-referral = бонус за приглашение
loyalty-kind-adjust = корректировка
loyalty-kind-spend = оплата баллами
loyalty-kind-return = возвращено
loyalty-kind-reverse = списано обратно
loyalty-kind-expire = сгорели
loyalty-kind-with-order = { $kind } ({ $number })
loyalty-invite = 🎁 Приглашайте друзей: когда друг, пришедший по вашей ссылке, оплатит первый заказ, вы оба получите по { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    }. Ваша ссылка: { $link }
loyalty-invited-by = Вы пришли по приглашению: { $name }. Когда оплатите первый заказ, вы оба получите по { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    }.
loyalty-button-pay = ⭐ Оплатить { $value } баллами ({ $points })
loyalty-nothing-to-pay = Сейчас баллами нельзя оплатить никакую часть этого заказа.
loyalty-confirm = Оплата заказа { $number } баллами: { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    } = { $value }. Остаток, { $rest }, оплачивается по ссылке. Баллы резервируются сейчас и вернутся, если ссылка истечёт без оплаты (баллами можно оплатить до { $cap }% заказа).
loyalty-confirm-all = Оплатить { $value } заказа { $number } баллами ({ $points })? Это вся оставшаяся сумма.
loyalty-confirm-yes = ✅ Да, использовать баллы
loyalty-reserved = Для заказа { $number } зарезервировано: { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    } ({ $value }). Оплатите остаток, { $rest }, по ссылке до { $deadline }; если ссылка истечёт без оплаты, баллы вернутся.
loyalty-paid = ✅ { $value } заказа { $number } оплачено баллами ({ $points }).
loyalty-quote-changed = Тем временем ваши баллы или заказ изменились. Посмотрите, пожалуйста, новые суммы.
loyalty-not-enough = Для этого недостаточно баллов.
loyalty-expiry-reminder = ⏳ Ваши бонусные баллы скоро сгорят: { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    } — { $date }. Используйте их, чтобы оплатить часть следующей поездки.
loyalty-ref-linked = 🎁 Добро пожаловать! Вы пришли по приглашению: { $name }. Когда оплатите первый заказ, вы оба получите по { $points ->
        [one] { $points } балл
        [few] { $points } балла
       *[other] { $points } баллов
    }.
loyalty-ref-linked-plain = 🎁 Добро пожаловать! Вы пришли по приглашению: { $name }.
loyalty-ref-self = Это ваша собственная ссылка-приглашение: поделитесь ею с друзьями.
loyalty-ref-already = Ваше приглашение уже записано, изменить его нельзя.
loyalty-ref-not-new = Приглашения — для новых клиентов, а вы уже путешествуете с нами.
loyalty-ref-unknown = Эта ссылка-приглашение недействительна.

## Сотрудники: корректировка баллов

loyalty-st-adjust = ⭐ Бонусные баллы
loyalty-st-ask-points = Сколько баллов добавить? Введите целое число; минус забирает баллы (например, 200 или -50).
loyalty-st-ask-reason = Причина? Она будет записана в журнал аудита.
loyalty-st-confirm = Изменить баллы клиента на { $points }? Причина: { $reason }
loyalty-st-yes = ✅ Подтвердить
loyalty-st-done = ✅ Баллы изменены на { $points }.
loyalty-st-error-points = Введите целое ненулевое число баллов, например 200 или -50.
loyalty-st-error-reason = Нужна причина.
loyalty-st-negative = У клиента нет столько баллов.
loyalty-st-duplicate = Это изменение уже внесено.

## Комиссии

cm-menu = 💼 Моя комиссия
cm-mine-title = 💼 Комиссия за { $month }
cm-mine-empty = Пока ничего не начислено.
cm-mine-line = { $date } · { $number } · +{ $amount } ({ $rate }% от { $basis } { $base })
cm-mine-line-back = { $date } · { $number } · −{ $amount } (возврат { $base })
cm-mine-total = Итого: { $total }
cm-mine-rule = Ваше правило: { $paid }% от оплат, { $margin }% от маржи, когда известна нетто-цена.
cm-basis-paid = оплаты
cm-basis-margin = маржи
cm-previous = ◀ { $month }
cm-report-title = 📊 Комиссии по менеджерам, { $month }
cm-report-empty = В этом месяце комиссий нет.
cm-report-line = • { $name }: { $net } (начислено { $accrued }, возвращено { $reversed }, оплат: { $payments })
cm-rules-title = Правила комиссий (номер сотрудника, имя, % от оплат / % от маржи):
cm-rules-line = â{ $id } { $name }: { $paid }% / { $margin }%
cm-rule-usage = Чтобы задать: /commissionrule <номер сотрудника> <% от оплат> [<% от маржи>]
cm-rule-set = ✅ Правило для â{ $id }: { $paid }% от оплат, { $margin }% от маржи.
cm-error-percent = Процент — это число от 0 до 100, например 2.5.
cm-error-manager = Менеджера или администратора с таким номером нет.
cm-error-month = Месяц записывается как ГГГГ-ММ, например 2026-11.
cm-error-net = Нетто-цена должна быть в валюте заказа и не больше его цены.
cm-net-usage = Формат: /netprice <номер заказа> <цена туроператора> (или -, чтобы убрать)
cm-net-set = ✅ Нетто-цена { $number }: { $net }.
cm-net-cleared = ✅ Нетто-цена { $number } убрана.
cm-cmd-netprice = Нетто-цена заказа
cm-cmd-rule = Правила комиссий
cm-order-net = Нетто-цена туроператора: { $net }
loyalty-earned = ⭐ За этот заказ начислено: { $points ->
        [one] { $points } бонусный балл
        [few] { $points } бонусных балла
       *[other] { $points } бонусных баллов
    }.
