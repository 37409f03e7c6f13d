## Робоче місце персоналу (handlers/staff, core/staff). Ключі починаються з "st-".

st-role-admin = адміністратор
st-role-manager = менеджер
st-role-accountant = бухгалтер

st-status-draft = чернетка
st-status-booked = заброньовано
st-status-confirmed = підтверджено
st-status-paid = оплачено
st-status-completed = завершено
st-status-cancelled = скасовано

st-datetime = { $date }, { $time }
st-dates-range = { $start } – { $end }
st-dates-from = з { $start }
st-dates-unknown = дати не вказано
st-page = Сторінка { $page } з { $pages }
st-prev = ◀️ Назад
st-next = Далі ▶️
st-back = ◀️ Назад
st-cancel = ✖️ Скасувати
st-cancelled = Скасовано.
st-stale = Ця кнопка вже застаріла.
st-forbidden-role = Це недоступно для вашої ролі.
st-open-order = 🧾 Відкрити замовлення
st-open-client = 👤 Картка клієнта
st-open-order-line = 🧾 { $number } · { $destination }
st-open-client-line = 👤 { $name }

## меню
st-menu-title = 🧑‍💼 Робоче місце — { $name } ({ $role })
st-menu-commands = Команди: { $commands }
st-menu-button = 🏠 Меню персоналу
st-menu-orders = 📋 Замовлення
st-menu-find = 🔎 Знайти клієнта
st-menu-debtors = 💸 Боржники
st-menu-today = 📅 Сьогодні
st-menu-new-requests = 🆕 Нові заявки
st-menu-my-requests = 📌 Мої заявки
st-menu-new-order = ➕ Нове замовлення
st-menu-team = 👥 Команда
st-menu-audit = 🧾 Журнал дій
st-welcome-back = З поверненням!

## запрошення і команда
st-invite-welcome = Вітаємо в команді, { $name }! Ваша роль: { $role }.
st-invite-unknown = Цей код запрошення недійсний. Перевірте його або попросіть в адміністратора новий.
st-invite-expired = Термін дії цього коду запрошення минув. Попросіть в адміністратора новий.
st-invite-used = Цей код запрошення вже використано. Попросіть в адміністратора новий.
st-invite-already-staff = Цей обліковий запис уже прив'язано до когось із команди.
st-invite-ask-role = Яку роль надати в команді?
st-invite-ask-name = Введіть ім'я людини, яку запрошуєте (це ім'я бачитиме команда).
st-invite-issued = Запрошення: { $name } ({ $role }). Код: { $code }
    Дійсний до { $until }. Людина надсилає цей код боту один раз.
st-invite-link = Посилання для Telegram: { $link }
st-invite-button = ➕ Запросити
st-error-name = Введіть ім’я довжиною від 1 до { $max } символів.
st-error-role = Роль має бути admin, manager або accountant.
st-error-hours = Термін дії має бути щонайменше одна година.
st-team-title = 👥 Команда ({ $count })
st-team-line = â{ $id } { $name } — { $role } — { $channels }
st-team-line-revoked = â{ $id } { $name } — { $role } — доступ відкликано { $revoked }
st-revoke-button = ⛔ Відкликати: { $name }
st-revoke-confirm = Відкликати доступ: { $name } ({ $role })? Доступ до робочого місця зникне одразу.
st-revoke-yes = ⛔ Так, відкликати
st-revoked = { $name } більше не має доступу персоналу.
st-revoke-self = Не можна відкликати власний доступ.
st-revoke-already = Доступ уже відкликано: { $name }.
st-revoke-usage = Використання: /revoke <номер співробітника>, напр. /revoke 3
st-staff-not-found = Такого співробітника немає.

## замовлення
st-filter-active = Відкриті
st-filter-draft = Чернетки
st-filter-booked = Заброньовані
st-filter-confirmed = Підтверджені
st-filter-paid = Оплачені
st-filter-completed = Завершені
st-filter-cancelled = Скасовані
st-orders-title = 📋 Замовлення: { $filter } ({ $count })
st-orders-empty = Тут замовлень немає.
st-order-line = { $number } · { $destination } · { $client }
    { $status } · { $price } · залишок { $remaining }
st-error-status = Невідомий статус. Можливі: active, draft, booked, confirmed, paid, completed, cancelled.
st-order-ask-number = Введіть номер замовлення (напр. T-0012).
st-order-not-found = Такого замовлення немає.
st-order-not-found-number = Замовлення з номером { $number } немає. Введіть інший номер.
st-order-card-title = 🧾 Замовлення { $number } — { $destination }
st-order-card-client = Клієнт: { $name }, { $phone } (â{ $id })
st-order-card-status = Статус: { $status }
st-order-card-dates = Дати: { $dates }
st-order-card-money = Ціна: { $price } · сплачено: { $paid } · залишок: { $remaining }
st-order-card-due = Сплатити до: { $due } · передоплата: { $percent }%
st-order-card-manager = Менеджер: { $manager }
st-back-to-order = ◀️ До замовлення
st-change-status = 🔄 Змінити статус
st-status-ask = Замовлення { $number }: { $status }. Новий статус:
st-status-changed = Замовлення { $number } тепер має статус «{ $status }».
st-status-changed-told = Замовлення { $number } тепер має статус «{ $status }». Клієнта повідомлено.
st-status-not-allowed = Замовлення { $number } не можна перевести в цей статус із поточного.

## посилання на оплату
st-pay-remaining = 💳 Посилання на залишок ({ $amount })
st-pay-prepayment = 💳 Посилання на передоплату ({ $amount })
st-pay-amount = 💳 Посилання на іншу суму
st-pay-ask-amount = Скільки клієнт має сплатити за { $number }? Залишок: { $remaining }.
st-pay-too-much = Це більше, ніж залишилося сплатити ({ $remaining }).
st-pay-link-sent = ✅ Клієнту надіслано посилання на оплату { $amount }: { $url }
st-pay-link-already = Клієнт уже має це посилання на { $amount }: { $url }
st-pay-link-unreachable = Клієнтові не можна написати в месенджер. Надішліть це посилання на { $amount } самостійно: { $url }

## майстер нового замовлення
st-no-ask-phone = Нове замовлення. Введіть номер телефону клієнта.
st-no-ask-destination = Куди? (країна, курорт чи готель)
st-no-ask-dates = Дати: виліт або виліт - повернення (напр. 12.06.2027 - 19.06.2027).
st-no-ask-price = Ціна, з валютою, якщо не { $currency } (напр. 45000 або 1200 EUR).
st-no-ask-due = Сплатити до якої дати? (напр. 01.06.2027)
st-no-ask-percent = Передоплата, у відсотках:
st-no-no-due = Без терміну
st-no-create = ✅ Створити замовлення
st-no-client-found = Клієнт: { $name }, { $phone }.
st-no-client-new = Клієнта з таким телефоном не було; створено новий запис { $phone }. Клієнт побачить замовлення, щойно поділиться цим номером у боті.
st-no-summary = Перевірте замовлення:
    Клієнт: { $client }, { $phone }
    Напрямок: { $destination }
    Дати: { $dates }
    Ціна: { $price }
    Сплатити до: { $due }
    Передоплата: { $percent }%
st-no-created = ✅ Замовлення { $number } створено, клієнта повідомлено.
st-no-created-untold = ✅ Замовлення { $number } створено. У клієнта ще немає месенджера, куди ми можемо написати.
st-error-date = Введіть дату, наприклад 25.03.2027.
st-error-date-past = Ця дата вже минула.
st-error-date-order = Дата повернення не може бути раніше за дату вильоту.
st-error-destination = Введіть напрямок (від 2 до { $max } символів).
st-error-price = Введіть ціну, наприклад 45000 або 1200 EUR ({ $currencies }).
st-error-percent = Введіть ціле число від 1 до 100.
st-error-due-after-departure = Термін оплати не може бути пізніше за виліт.

## що бачить клієнт
st-client-order-created = Для вас заброньовано подорож: { $number }, { $destination }. Менеджер: { $manager }.
st-client-order-price = Вартість: { $price }
st-client-order-due = Будь ласка, сплатіть до { $due }.
st-client-open-trip = 🧳 Відкрити мою подорож
st-client-order-confirmed = ✅ Вашу подорож { $number } ({ $destination }) підтверджено.
st-client-order-cancelled = Вашу подорож { $number } ({ $destination }) скасовано. Менеджер охоче відповість на ваші запитання.
st-client-order-completed = З поверненням! Подорож { $number } ({ $destination }) завершено. Дякуємо, що подорожуєте з нами.
st-client-pay-link = Оплата за { $number } ({ $destination }): { $amount }. Посилання дійсне до { $until }.
st-client-pay-button = 💳 Сплатити { $amount }

## клієнти
st-find-ask = Надішліть номер телефону, ім’я або номер замовлення.
st-find-too-short = Введіть щонайменше два символи.
st-find-nothing = За запитом «{ $query }» нічого не знайдено. Спробуйте інший телефон, ім’я чи номер замовлення.
st-find-results = Знайдено: { $count }
st-find-line = { $name } — { $phone } (â{ $id })
st-find-refine = Кнопки лише для перших { $shown }; уточніть пошук, щоб побачити інших.
st-find-again = 🔎 Шукати ще
st-client-not-found = Такого клієнта немає.
st-client-card-title = 👤 { $name } (â{ $id })
st-client-card-phone = Телефон: { $phone }
st-client-card-manager = Менеджер: { $manager }
st-client-card-channels = Месенджери: { $channels }
st-client-card-balance = Баланс: { $balance } · бонусні бали: { $points }
st-client-card-orders = Подорожі ({ $count }):
st-client-card-no-orders = Подорожей ще немає.
st-client-card-order = • { $number } { $destination } — { $status }, залишок { $remaining }
st-client-card-follow-ups = Заплановані контакти: { $count }
st-client-card-history = Останні повідомлення:
st-client-card-no-history = Повідомлень ще немає.
st-client-card-message-in = ← { $when }: { $text }
st-client-card-message-out = → { $when }: { $text }
st-channel-ok = { $channel } ✅
st-channel-off = { $channel } ⛔

## нагадування про контакт
st-follow-up-plan = 📅 Запланувати контакт
st-follow-up-ask-when = Коли? Дата і час (час агенції), напр. 25.03.2027 10:00.
st-follow-up-ask-note = Про що? (коротка нотатка для себе)
st-follow-up-no-note = Без нотатки
st-follow-up-planned = 📅 Контакт заплановано на { $when }.
st-follow-up-due = ⏰ Контакт, запланований на { $when }: { $name } ({ $phone }):
    { $note }
st-follow-up-done = ✅ Виконано
st-follow-up-closed = Контакт позначено виконаним.
st-follow-up-not-found = Такого запланованого контакту немає.
st-error-when = Введіть дату й час, наприклад 25.03.2027 10:00.
st-error-when-past = Цей момент уже минув.
st-error-note = Будь ласка, не більше { $max } символів.

## коригування балансу
st-adjust = ⚖️ Скоригувати баланс
st-adjust-ask-amount = Сума, яку додати, або з мінусом — щоб списати; валюта, якщо не { $currency } (напр. 500, -200 EUR).
st-adjust-ask-reason = Причина коригування (клієнт її не бачить):
st-adjust-confirm = Скоригувати баланс на { $amount }?
    Причина: { $reason }
st-adjust-yes = ✅ Підтвердити
st-adjust-done = ✅ Баланс скориговано на { $amount }.

## боржники, заявки, сьогодні
st-debtors-title = 💸 Боржники ({ $count }), спершу найдавніший термін:
st-debtors-empty = Ніхто нічого не винен. 🎉
st-debtor-line = { $number } · { $client } · { $remaining } до { $due } ({ $status })
st-debtor-line-overdue = ❗ { $number } · { $client } · { $remaining }, термін минув { $due } ({ $status })
st-debtors-total = Разом до сплати: { $total }
st-requests-new-title = 🆕 Нові заявки ({ $count })
st-requests-mine-title = 📌 Мої заявки ({ $count })
st-requests-empty = Тут заявок немає.
st-request-line = { $number } · { $destination }
    { $client }, { $phone } · { $created }
st-request-take = 🙋 Взяти { $number }
st-today-title = 📅 Сьогодні, { $date }
st-today-departures = ✈️ Вильоти:
st-today-departure = { $number } · { $destination } · { $client }
st-today-due = 💳 Оплати з терміном сьогодні:
st-today-due-line = { $number } · { $client } · { $remaining }
st-today-overdue = ❗ Прострочені оплати: { $count } (див. «Боржники»)
st-today-follow-ups = 📞 Заплановані контакти:
st-today-follow-up = { $time } · { $client } · { $note } ({ $staff })
st-today-none = —

## журнал дій і сповіщення
st-audit-title = 🧾 Журнал дій ({ $count ->
    [one] { $count } запис
    [few] { $count } записи
   *[other] { $count } записів
}), спершу нові:
st-alert-lookups = ⚠️ { $name } ({ $role }): за годину відкрито картки різних клієнтів: { $count } (поріг сповіщення — { $threshold }).
