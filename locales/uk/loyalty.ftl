## Бонусні бали (handlers/loyalty.py, core/loyalty) і комісії менеджерів

loyalty-open = ⭐ Бонусні бали
loyalty-title = ⭐ Ваші бонусні бали
loyalty-balance = Баланс: { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    } (вартість: { $value })
loyalty-totals = Нараховано: { $earned } · витрачено: { $spent } · згоріло: { $expired }
loyalty-expiring-title = Згорять:
loyalty-expiring-line = • { $points } — { $date }
loyalty-history = Останні операції:
loyalty-entry = { $date } · { $kind } · { $points }
loyalty-kind-accrue = нараховано
loyalty-kind-referral = бонус за запрошення
loyalty-kind-adjust = коригування
loyalty-kind-spend = оплата балами
loyalty-kind-return = повернено
loyalty-kind-reverse = списано назад
loyalty-kind-expire = згоріли
loyalty-kind-with-order = { $kind } ({ $number })
loyalty-invite = 🎁 Запрошуйте друзів: коли друг, який прийде за вашим посиланням, оплатить перше замовлення, ви обоє отримаєте по { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    }. Ваше посилання: { $link }
loyalty-invited-by = Ви прийшли на запрошення: { $name }. Коли оплатите перше замовлення, ви обоє отримаєте по { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    }.
loyalty-button-pay = ⭐ Оплатити { $value } балами ({ $points })
loyalty-nothing-to-pay = Зараз балами не можна оплатити жодної частини цього замовлення.
loyalty-confirm = Оплата замовлення { $number } балами: { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    } = { $value }. Решту, { $rest }, можна оплатити за посиланням. Бали резервуються зараз і повернуться, якщо посилання спливе без оплати (балами можна оплатити до { $cap }% замовлення).
loyalty-confirm-all = Оплатити { $value } замовлення { $number } балами ({ $points })? Це вся сума, що лишилася.
loyalty-confirm-yes = ✅ Так, використати бали
loyalty-reserved = Для замовлення { $number } зарезервовано: { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    } ({ $value }). Оплатіть решту, { $rest }, за посиланням до { $deadline }; якщо посилання спливе без оплати, бали повернуться.
loyalty-paid = ✅ { $value } замовлення { $number } оплачено балами ({ $points }).
loyalty-quote-changed = Тим часом ваші бали або замовлення змінилися. Перегляньте, будь ласка, нові суми.
loyalty-not-enough = Для цього недостатньо балів.
loyalty-expiry-reminder = ⏳ Ваші бонусні бали скоро згорять: { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    } — { $date }. Використайте їх, щоб оплатити частину наступної подорожі.
loyalty-ref-linked = 🎁 Вітаємо! Ви прийшли на запрошення: { $name }. Коли оплатите перше замовлення, ви обоє отримаєте по { $points ->
        [one] { $points } бал
        [few] { $points } бали
       *[other] { $points } балів
    }.
loyalty-ref-linked-plain = 🎁 Вітаємо! Ви прийшли на запрошення: { $name }.
loyalty-ref-self = Це ваше власне посилання-запрошення: поділіться ним із друзями.
loyalty-ref-already = Ваше запрошення вже записано, змінити його не можна.
loyalty-ref-not-new = Запрошення — для нових клієнтів, а ви вже подорожуєте з нами.
loyalty-ref-unknown = Це посилання-запрошення недійсне.

## Працівники: коригування балів

loyalty-st-adjust = ⭐ Бонусні бали
loyalty-st-ask-points = Скільки балів додати? Введіть ціле число; мінус забирає бали (наприклад, 200 або -50).
loyalty-st-ask-reason = Причина? Її буде записано в журнал аудиту.
loyalty-st-confirm = Змінити бали клієнта на { $points }? Причина: { $reason }
loyalty-st-yes = ✅ Підтвердити
loyalty-st-done = ✅ Бали змінено на { $points }.
loyalty-st-error-points = Введіть ціле ненульове число балів, наприклад 200 або -50.
loyalty-st-error-reason = Потрібна причина.
loyalty-st-negative = У клієнта немає стількох балів.
loyalty-st-duplicate = Цю зміну вже внесено.

## Комісії

cm-menu = 💼 Моя комісія
cm-mine-title = 💼 Комісія за { $month }
cm-mine-empty = Поки нічого не нараховано.
cm-mine-line = { $date } · { $number } · +{ $amount } ({ $rate }% від { $basis } { $base })
cm-mine-line-back = { $date } · { $number } · −{ $amount } (повернення { $base })
cm-mine-total = Разом: { $total }
cm-mine-rule = Ваше правило: { $paid }% від оплат, { $margin }% від маржі, коли відома нетто-ціна.
cm-basis-paid = оплати
cm-basis-margin = маржі
cm-previous = ◀ { $month }
cm-report-title = 📊 Комісії за менеджерами, { $month }
cm-report-empty = Цього місяця комісій немає.
cm-report-line = • { $name }: { $net } (нараховано { $accrued }, повернено { $reversed }, оплат: { $payments })
cm-rules-title = Правила комісій (номер працівника, ім'я, % від оплат / % від маржі):
cm-rules-line = â{ $id } { $name }: { $paid }% / { $margin }%
cm-rule-usage = Щоб задати: /commissionrule <номер працівника> <% від оплат> [<% від маржі>]
cm-rule-set = ✅ Правило для â{ $id }: { $paid }% від оплат, { $margin }% від маржі.
cm-error-percent = Відсоток — це число від 0 до 100, наприклад 2.5.
cm-error-manager = Менеджера чи адміністратора з таким номером немає.
cm-error-month = Місяць записують як РРРР-ММ, наприклад 2026-11.
cm-error-net = Нетто-ціна має бути у валюті замовлення і не більшою за його ціну.
cm-net-usage = Формат: /netprice <номер замовлення> <ціна туроператора> (або -, щоб прибрати)
cm-net-set = ✅ Нетто-ціна { $number }: { $net }.
cm-net-cleared = ✅ Нетто-ціну { $number } прибрано.
cm-cmd-netprice = Нетто-ціна замовлення
cm-cmd-rule = Правила комісій
cm-order-net = Нетто-ціна туроператора: { $net }
loyalty-earned = ⭐ За це замовлення нараховано: { $points ->
        [one] { $points } бонусний бал
        [few] { $points } бонусні бали
       *[other] { $points } бонусних балів
    }.
