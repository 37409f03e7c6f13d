## Рабочее место персонала (handlers/staff, core/staff). Ключи начинаются с "st-".

st-role-admin = администратор
st-role-manager = менеджер
st-role-accountant = бухгалтер

st-status-draft = черновик
st-status-booked = забронировано
st-status-confirmed = подтверждено
st-status-paid = оплачено
st-status-completed = завершено
st-status-cancelled = отменено

st-datetime = { $date }, { $time }
st-dates-range = { $start } – { $end }
st-dates-from = с { $start }
st-dates-unknown = даты не указаны
st-page = Страница { $page } из { $pages }
st-prev = ◀️ Назад
st-next = Дальше ▶️
st-back = ◀️ Назад
st-cancel = ✖️ Отмена
st-cancelled = Отменено.
st-stale = Эта кнопка уже устарела.
st-forbidden-role = Это недоступно для вашей роли.
st-open-order = 🧾 Открыть заказ
st-open-client = 👤 Карточка клиента
st-open-order-line = 🧾 { $number } · { $destination }
st-open-client-line = 👤 { $name }

## меню
st-menu-title = 🧑‍💼 Рабочее место — { $name } ({ $role })
st-menu-commands = Команды: { $commands }
st-menu-button = 🏠 Меню персонала
st-menu-orders = 📋 Заказы
st-menu-find = 🔎 Найти клиента
st-menu-debtors = 💸 Должники
st-menu-today = 📅 Сегодня
st-menu-new-requests = 🆕 Новые заявки
st-menu-my-requests = 📌 Мои заявки
st-menu-new-order = ➕ Новый заказ
st-menu-team = 👥 Команда
st-menu-audit = 🧾 Журнал действий
st-welcome-back = С возвращением!

## приглашения и команда
st-invite-welcome = Добро пожаловать в команду, { $name }! Ваша роль: { $role }.
st-invite-unknown = Этот код приглашения недействителен. Проверьте его или попросите у администратора новый.
st-invite-expired = Срок действия этого кода приглашения истёк. Попросите у администратора новый.
st-invite-used = Этот код приглашения уже использован. Попросите у администратора новый.
st-invite-already-staff = Эта учётная запись уже привязана к кому-то из команды.
st-invite-ask-role = Какую роль дать в команде?
st-invite-ask-name = Введите имя приглашаемого человека (это имя будет видеть команда).
st-invite-issued = Приглашение: { $name } ({ $role }). Код: { $code }
    Действует до { $until }. Человек отправляет этот код боту один раз.
st-invite-link = Ссылка для Telegram: { $link }
st-invite-button = ➕ Пригласить
st-error-name = Введите имя длиной от 1 до { $max } символов.
st-error-role = Роль должна быть admin, manager или accountant.
st-error-hours = Срок действия должен быть не меньше часа.
st-team-title = 👥 Команда ({ $count })
st-team-line = â{ $id } { $name } — { $role } — { $channels }
st-team-line-revoked = â{ $id } { $name } — { $role } — доступ отозван { $revoked }
st-revoke-button = ⛔ Отозвать: { $name }
st-revoke-confirm = Отозвать доступ: { $name } ({ $role })? Доступ к рабочему месту пропадёт сразу.
st-revoke-yes = ⛔ Да, отозвать
st-revoked = У { $name } больше нет доступа персонала.
st-revoke-self = Нельзя отозвать собственный доступ.
st-revoke-already = Доступ уже отозван: { $name }.
st-revoke-usage = Использование: /revoke <номер сотрудника>, напр. /revoke 3
st-staff-not-found = Такого сотрудника нет.

## заказы
st-filter-active = Открытые
st-filter-draft = Черновики
st-filter-booked = Забронированные
st-filter-confirmed = Подтверждённые
st-filter-paid = Оплаченные
st-filter-completed = Завершённые
st-filter-cancelled = Отменённые
st-orders-title = 📋 Заказы: { $filter } ({ $count })
st-orders-empty = Здесь заказов нет.
st-order-line = { $number } · { $destination } · { $client }
    { $status } · { $price } · остаток { $remaining }
st-error-status = Неизвестный статус. Возможные: active, draft, booked, confirmed, paid, completed, cancelled.
st-order-ask-number = Введите номер заказа (напр. T-0012).
st-order-not-found = Такого заказа нет.
st-order-not-found-number = Заказа с номером { $number } нет. Введите другой номер.
st-order-card-title = 🧾 Заказ { $number } — { $destination }
st-order-card-client = Клиент: { $name }, { $phone } (â{ $id })
st-order-card-status = Статус: { $status }
st-order-card-dates = Даты: { $dates }
st-order-card-money = Цена: { $price } · оплачено: { $paid } · остаток: { $remaining }
st-order-card-due = Оплатить до: { $due } · предоплата: { $percent }%
st-order-card-manager = Менеджер: { $manager }
st-back-to-order = ◀️ К заказу
st-change-status = 🔄 Изменить статус
st-status-ask = Заказ { $number }: { $status }. Новый статус:
st-status-changed = Заказ { $number } теперь в статусе «{ $status }».
st-status-changed-told = Заказ { $number } теперь в статусе «{ $status }». Клиент уведомлён.
st-status-not-allowed = Заказ { $number } нельзя перевести в этот статус из текущего.

## ссылки на оплату
st-pay-remaining = 💳 Ссылка на остаток ({ $amount })
st-pay-prepayment = 💳 Ссылка на предоплату ({ $amount })
st-pay-amount = 💳 Ссылка на другую сумму
st-pay-ask-amount = Сколько клиент должен оплатить за { $number }? Остаток: { $remaining }.
st-pay-too-much = Это больше, чем осталось оплатить ({ $remaining }).
st-pay-link-sent = ✅ Клиенту отправлена ссылка на оплату { $amount }: { $url }
st-pay-link-already = У клиента уже есть эта ссылка на { $amount }: { $url }
st-pay-link-unreachable = Клиенту нельзя написать в мессенджер. Отправьте эту ссылку на { $amount } самостоятельно: { $url }

## мастер нового заказа
st-no-ask-phone = Новый заказ. Введите номер телефона клиента.
st-no-ask-destination = Куда? (страна, курорт или отель)
st-no-ask-dates = Даты: вылет или вылет - возвращение (напр. 12.06.2027 - 19.06.2027).
st-no-ask-price = Цена, с валютой, если не { $currency } (напр. 45000 или 1200 EUR).
st-no-ask-due = Оплатить до какой даты? (напр. 01.06.2027)
st-no-ask-percent = Предоплата, в процентах:
st-no-no-due = Без срока
st-no-create = ✅ Создать заказ
st-no-client-found = Клиент: { $name }, { $phone }.
st-no-client-new = Клиента с таким телефоном не было; создана новая запись { $phone }. Клиент увидит заказ, как только поделится этим номером в боте.
st-no-summary = Проверьте заказ:
    Клиент: { $client }, { $phone }
    Направление: { $destination }
    Даты: { $dates }
    Цена: { $price }
    Оплатить до: { $due }
    Предоплата: { $percent }%
st-no-created = ✅ Заказ { $number } создан, клиент уведомлён.
st-no-created-untold = ✅ Заказ { $number } создан. У клиента ещё нет мессенджера, куда мы можем написать.
st-error-date = Введите дату, например 25.03.2027.
st-error-date-past = Эта дата уже прошла.
st-error-date-order = Дата возвращения не может быть раньше даты вылета.
st-error-destination = Введите направление (от 2 до { $max } символов).
st-error-price = Введите цену, например 45000 или 1200 EUR ({ $currencies }).
st-error-percent = Введите целое число от 1 до 100.
st-error-due-after-departure = Срок оплаты не может быть позже вылета.

## что видит клиент
st-client-order-created = Для вас забронирована поездка: { $number }, { $destination }. Менеджер: { $manager }.
st-client-order-price = Стоимость: { $price }
st-client-order-due = Пожалуйста, оплатите до { $due }.
st-client-open-trip = 🧳 Открыть мою поездку
st-client-order-confirmed = ✅ Ваша поездка { $number } ({ $destination }) подтверждена.
st-client-order-cancelled = Ваша поездка { $number } ({ $destination }) отменена. Менеджер охотно ответит на ваши вопросы.
st-client-order-completed = С возвращением! Поездка { $number } ({ $destination }) завершена. Спасибо, что путешествуете с нами.
st-client-pay-link = Оплата за { $number } ({ $destination }): { $amount }. Ссылка действует до { $until }.
st-client-pay-button = 💳 Оплатить { $amount }

## клиенты
st-find-ask = Отправьте номер телефона, имя или номер заказа.
st-find-too-short = Введите хотя бы два символа.
st-find-nothing = По запросу «{ $query }» ничего не найдено. Попробуйте другой телефон, имя или номер заказа.
st-find-results = Найдено: { $count }
st-find-line = { $name } — { $phone } (â{ $id })
st-find-refine = Кнопки только для первых { $shown }; уточните поиск, чтобы увидеть остальных.
st-find-again = 🔎 Искать ещё
st-client-not-found = Такого клиента нет.
st-client-card-title = 👤 { $name } (â{ $id })
st-client-card-phone = Телефон: { $phone }
st-client-card-manager = Менеджер: { $manager }
st-client-card-channels = Мессенджеры: { $channels }
st-client-card-balance = Баланс: { $balance } · бонусные баллы: { $points }
st-client-card-orders = Поездки ({ $count }):
st-client-card-no-orders = Поездок ещё нет.
st-client-card-order = • { $number } { $destination } — { $status }, остаток { $remaining }
st-client-card-follow-ups = Запланированные контакты: { $count }
st-client-card-history = Последние сообщения:
st-client-card-no-history = Сообщений ещё нет.
st-client-card-message-in = ← { $when }: { $text }
st-client-card-message-out = → { $when }: { $text }
st-channel-ok = { $channel } ✅
st-channel-off = { $channel } ⛔

## напоминания о контакте
st-follow-up-plan = 📅 Запланировать контакт
st-follow-up-ask-when = Когда? Дата и время (время агентства), напр. 25.03.2027 10:00.
st-follow-up-ask-note = О чём? (короткая заметка для себя)
st-follow-up-no-note = Без заметки
st-follow-up-planned = 📅 Контакт запланирован на { $when }.
st-follow-up-due = ⏰ Контакт, запланированный на { $when }: { $name } ({ $phone }):
    { $note }
st-follow-up-done = ✅ Выполнено
st-follow-up-closed = Контакт отмечен выполненным.
st-follow-up-not-found = Такого запланированного контакта нет.
st-error-when = Введите дату и время, например 25.03.2027 10:00.
st-error-when-past = Этот момент уже прошёл.
st-error-note = Пожалуйста, не больше { $max } символов.

## корректировка баланса
st-adjust = ⚖️ Скорректировать баланс
st-adjust-ask-amount = Сумма, которую добавить, или с минусом — чтобы списать; валюта, если не { $currency } (напр. 500, -200 EUR).
st-adjust-ask-reason = Причина корректировки (клиент её не видит):
st-adjust-confirm = Скорректировать баланс на { $amount }?
    Причина: { $reason }
st-adjust-yes = ✅ Подтвердить
st-adjust-done = ✅ Баланс скорректирован на { $amount }.

## должники, заявки, сегодня
st-debtors-title = 💸 Должники ({ $count }), сначала самый давний срок:
st-debtors-empty = Никто ничего не должен. 🎉
st-debtor-line = { $number } · { $client } · { $remaining } до { $due } ({ $status })
st-debtor-line-overdue = ❗ { $number } · { $client } · { $remaining }, срок истёк { $due } ({ $status })
st-debtors-total = Всего к оплате: { $total }
st-requests-new-title = 🆕 Новые заявки ({ $count })
st-requests-mine-title = 📌 Мои заявки ({ $count })
st-requests-empty = Здесь заявок нет.
st-request-line = { $number } · { $destination }
    { $client }, { $phone } · { $created }
st-request-take = 🙋 Взять { $number }
st-today-title = 📅 Сегодня, { $date }
st-today-departures = ✈️ Вылеты:
st-today-departure = { $number } · { $destination } · { $client }
st-today-due = 💳 Оплаты со сроком сегодня:
st-today-due-line = { $number } · { $client } · { $remaining }
st-today-overdue = ❗ Просроченные оплаты: { $count } (см. «Должники»)
st-today-follow-ups = 📞 Запланированные контакты:
st-today-follow-up = { $time } · { $client } · { $note } ({ $staff })
st-today-none = —

## журнал действий и оповещения
st-audit-title = 🧾 Журнал действий ({ $count ->
    [one] { $count } запись
    [few] { $count } записи
   *[other] { $count } записей
}), сначала новые:
st-alert-lookups = ⚠️ { $name } ({ $role }): за час открыты карточки разных клиентов: { $count } (порог оповещения — { $threshold }).
