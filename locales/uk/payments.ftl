# Оплати, баланс і сторінки оплати (issue 6).

pay-what-order = замовлення { $number } ({ $destination })
pay-what-topup = поповнення балансу

pay-order-title = 🧳 Замовлення { $number } — { $destination }
pay-order-price = Вартість: { $price }
pay-order-paid = Сплачено: { $paid }
pay-order-remaining = Залишилось сплатити: { $remaining }
pay-order-due = Сплатити до: { $due }
pay-choose = Як бажаєте сплатити?
pay-button-remaining = 💳 Сплатити залишок — { $amount }
pay-button-prepay = 💳 Передоплата { $percent }% — { $amount }
pay-button-balance = 👛 Сплатити з балансу ({ $balance })
pay-button-open = 💳 Сплатити { $amount }
pay-button-retry = 🔁 Спробувати ще раз — { $amount }
pay-button-pay-rest = 💳 Сплатити залишок
pay-link-ready = Ваше посилання на оплату { $amount } готове. Воно дійсне до { $deadline }.
pay-order-not-found = Це замовлення не знайдено серед ваших подорожей.
pay-order-closed = Це замовлення вже не можна сплатити. Ваш менеджер охоче допоможе.
pay-nothing-due = За це замовлення більше нічого сплачувати. Дякуємо!
pay-more-than-due = Сума більша, ніж залишилось сплатити.
pay-no-provider = Онлайн-оплата зараз недоступна. Будь ласка, зверніться до менеджера.
pay-provider-unknown = Платіжний сервіс { $provider } не налаштовано.
pay-client-not-found = Ми не знайшли ваш профіль. Будь ласка, спершу поділіться номером телефону.

pay-receipt = ✅ Оплату отримано: { $amount } за { $what }.
pay-receipt-progress = Сплачено { $paid } з { $price }.
pay-receipt-left = Залишилось сплатити: { $remaining }.
pay-receipt-left-by = Залишилось сплатити: { $remaining } до { $due }.
pay-receipt-full = Замовлення сплачено повністю. Дякуємо!
pay-receipt-topup = ✅ Ваш баланс поповнено на { $amount }. Баланс зараз: { $balance }.
pay-receipt-kept = ✅ Ми отримали вашу оплату { $amount } за { $what }. Її вже не вдалося зарахувати на замовлення, тож вона на вашому балансі ({ $balance }). Ваш менеджер зв'яжеться з вами.
pay-failed = Оплата { $amount } за { $what } не пройшла — гроші не списано. Можна спробувати ще раз за новим посиланням:
pay-failed-no-retry = Оплата { $amount } за { $what } не пройшла — гроші не списано. Ваш менеджер охоче допоможе.
pay-refunded = ↩️ Повернуто { $amount } за { $what }.
pay-reminder = ⏳ Ваше посилання на оплату { $what } ({ $amount }) дійсне до { $deadline }.
pay-reminder-booking = ⏳ Ваше посилання на оплату { $what } ({ $amount }) дійсне до { $deadline }. Якщо до цього часу оплати не буде, бронювання скасується.
pay-booking-cancelled = ❌ Ваше бронювання { $number } ({ $destination }) скасовано, бо передоплата не надійшла вчасно. Якщо ви все ще бажаєте поїхати, зверніться до менеджера.

pay-staff-received = 💰 Оплату отримано: { $amount } за { $what } (клієнт: { $client }, { $provider }).
pay-staff-balance-used = 👛 { $client }: з балансу клієнта сплачено { $amount } за замовлення { $number }.
pay-staff-late = ⚠️ Оплата { $amount } за { $what } (клієнт: { $client }) надійшла після того, як термін дії посилання минув або його скасували. Перевірте, будь ласка. Баланс клієнта: { $balance }.
pay-staff-unapplied = ⚠️ Оплату { $amount } за { $what } (клієнт: { $client }) не вдалося зарахувати (замовлення скасоване або вже сплачене). Вона на балансі клієнта ({ $balance }) — будь ласка, вирішіть питання.
pay-staff-paid-twice = ⚠️ { $client }: { $what } сплачено двічі; зайві { $amount } на балансі клієнта ({ $balance }) — будь ласка, вирішіть питання.
pay-staff-refund = ↩️ Повернення: { $amount } повернуто клієнту { $client } за { $what }. Баланс клієнта: { $balance }.
pay-staff-refund-debt = ↩️ Повернення: { $amount } повернуто клієнту { $client } за { $what }. Баланс клієнта тепер від'ємний ({ $balance }) — будь ласка, вирішіть питання.
pay-staff-mismatch = 🚫 Повідомлення про оплату відхилено: { $provider } повідомляє { $got } для { $reference }, а ми просили { $expected }. Перевірте, будь ласка.
pay-staff-unknown = 🚫 Від { $provider } надійшло повідомлення про оплату ({ $status }, { $amount }) з невідомим номером { $reference }. Перевірте, будь ласка.
pay-staff-link-expired = ⌛ Посилання на оплату замовлення { $number } ({ $client }, { $amount }): термін дії минув, оплати не було.
pay-staff-booking-cancelled = ❌ Бронювання { $number } ({ $destination }, { $client }) скасовано автоматично: передоплати не було до { $deadline }.

pay-page-back-to-chat = Можете закрити цю сторінку й повернутися до чату.
pay-page-closed-title = Посилання на оплату
pay-page-paid-title = Сплачено
pay-page-pending-title = Оплата обробляється
pay-page-redirect-title = Переходимо до сторінки оплати…
pay-page-continue = Перейти до оплати
pay-page-not-found = Такого посилання на оплату не існує. Попросіть нове в чаті.
pay-page-expired = Термін дії цього посилання минув. Відкрийте свою подорож у чаті, щоб отримати нове.
pay-page-cancelled = Це посилання на оплату скасовано. Попросіть нове в чаті.
pay-page-failed = Ця оплата не пройшла. Скористайтеся новим посиланням, яке ми надіслали вам у чат.
pay-page-paid = Цю оплату вже здійснено. Дякуємо!
pay-page-order-cancelled = Це замовлення скасовано, тому його не можна сплатити. Зверніться до менеджера.
pay-page-order-paid = Це замовлення вже сплачено. Дякуємо!
pay-page-unavailable = Онлайн-оплата зараз недоступна. Спробуйте пізніше.
pay-page-thanks = Дякуємо! Вашу оплату { $amount } отримано. Квитанція чекає на вас у чаті.
pay-page-pending = Чекаємо на підтвердження вашої оплати { $amount }. Щойно воно надійде, ви отримаєте квитанцію в чаті.

sandbox-title = Тестова оплата (пісочниця)
sandbox-note = Це вбудована тестова сторінка оплати: справжні гроші не списуються.
sandbox-pay = ✅ Сплатити
sandbox-decline = ✖️ Відхилити
sandbox-bad-choice = Натисніть «Сплатити» або «Відхилити».

balance-title = 💳 Ваш баланс
balance-amount = { $amount }
balance-bonus = Бонусні бали: { $points }
balance-card = Віртуальна картка: { $card }
balance-history = Останні операції:
balance-no-history = Операцій ще немає.
balance-entry = { $date } · { $kind } · { $amount }
balance-topup = ➕ Поповнити
balance-pay-order = 🧳 Сплатити замовлення з балансу
balance-open = 💳 Баланс
ledger-kind-payment = оплата
ledger-kind-order-charge = оплата замовлення
ledger-kind-refund = повернення
ledger-kind-adjustment = коригування
ledger-kind-bonus = бонус
ledger-kind-with-order = { $kind } ({ $number })

topup-choose = На яку суму поповнити баланс?
topup-other = ✏️ Інша сума
topup-ask-amount = Введіть суму (від { $min } до { $max }):
topup-out-of-range = Сума має бути від { $min } до { $max }.

balpay-choose = Яке замовлення сплатити з балансу?
balpay-order = { $number } { $destination } — залишок { $remaining }
balpay-none = Зараз немає замовлення, яке можна сплатити з балансу.
balpay-confirm = Сплатити { $amount } за замовлення { $number } з балансу ({ $balance })?
balpay-yes = ✅ Так, сплатити
balpay-done = ✅ Сплачено { $amount } за замовлення { $number } з балансу.
balpay-insufficient = На балансі недостатньо коштів для цієї оплати.

ledger-adjust-forbidden = Коригувати баланс може лише адміністратор або бухгалтер.
ledger-adjust-reason = Будь ласка, вкажіть причину коригування.
ledger-adjust-negative = Це коригування зробило б баланс від'ємним.
ledger-adjust-duplicate = Це коригування вже записано.
