# Тексты и форматы (issue 16): справка, открытые заявки в «Моих поездках», суммы без срока,
# названия популярных направлений.

## Без срока оплаты — без «до …»
trip-remaining-nodue = ⏳ Осталось оплатить { $remaining }
st-order-card-prepay = Предоплата: { $percent }%
st-debtor-line-nodue = { $number } · { $client } · { $remaining }, без срока ({ $status })

## Открытые заявки в «Моих поездках»
trips-requests-title = { $count ->
    [one] 📝 Ваша заявка на тур:
   *[other] 📝 Ваши заявки на тур ({ $count }):
}
trips-request-line = { $number } · { $destination } — { $status }
trips-request-new = новая, ждёт менеджера
trips-request-taken = в работе, менеджер: { $manager }
trips-request-taken-nobody = в работе
trips-no-orders = Оформленных поездок пока нет — менеджер предложит варианты по вашей заявке.

## Справка
help-button = ❓ Справка
help-client =
    ❓ Что умеет этот бот { $agency }:
    🔎 Подобрать тур — короткая заявка: куда, когда, сколько ночей, кто едет, бюджет и пожелания. Менеджер подберёт варианты и напишет вам здесь.
    🧳 Мои поездки — ваши заявки с их состоянием, заказы, оплаченное и остаток к оплате, оплата по ссылке.
    💳 Баланс — деньги и бонусные баллы на счёте, пополнение, оплата заказа с баланса.
    💬 Написать менеджеру — сообщение, фото или документ; ответ придёт в этот чат.
    ⚙️ Настройки — язык, номер телефона, предложения и новости, удаление ваших данных.
    Команды: /menu — главное меню, /cancel — отменить текущее действие, /help — эта справка.
help-staff =
    ❓ Рабочее место { $agency } ({ $role }). Новые заявки, сообщения клиентов, оплаты и напоминания приходят в этот чат. Чтобы ответить клиенту, ответьте на пересланное сообщение.
    Команды:
help-staff-orders = /orders — заказы по статусу
help-staff-order = /order — заказ по номеру
help-staff-find = /find — найти клиента по телефону, имени или номеру заказа
help-staff-debtors = /debtors — должники
help-staff-today = /today — вылеты, оплаты и контакты на сегодня
help-staff-requests = /requests — новые заявки, которые ещё не взяты в работу
help-staff-myrequests = /myrequests — заявки в вашей работе
help-staff-neworder = /neworder — создать заказ для клиента
help-staff-team = /team — команда, отзыв доступа
help-staff-invite = /invite — пригласить кого-то в команду
help-staff-audit = /audit — журнал действий
help-staff-mailings = /mailings — рассылки
help-staff-commission = /commission — ваша комиссия за этот месяц
help-staff-netprice = /netprice — нетто-цена заказа (цена туроператора)
help-staff-commissionrule = /commissionrule — правила комиссий менеджеров
help-staff-menu = /staff — меню персонала, /cancel — отменить текущее действие.

