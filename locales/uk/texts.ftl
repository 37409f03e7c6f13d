# Тексти й формати (issue 16): довідка, відкриті заявки в «Моїх поїздках», суми без терміну.
# Популярні напрямки — коди країн, їхні назви дає Babel (core/destinations.py, chat.ftl).

## Без терміну оплати — без «до …»
trip-remaining-nodue = ⏳ Залишилося сплатити { $remaining }
st-order-card-prepay = Передоплата: { $percent }%
st-debtor-line-nodue = { $number } · { $client } · { $remaining }, без терміну ({ $status })

## Відкриті заявки в «Моїх поїздках»
trips-requests-title = { $count ->
    [one] 📝 Ваша заявка на тур:
   *[other] 📝 Ваші заявки на тур ({ $count }):
}
trips-request-line = { $number } · { $destination } — { $status }
trips-request-new = нова, чекає на менеджера
trips-request-taken = у роботі, менеджер: { $manager }
trips-request-taken-nobody = у роботі
trips-no-orders = Оформлених поїздок поки немає — менеджер запропонує варіанти за вашою заявкою.

## Довідка
help-button = ❓ Довідка
help-client =
    ❓ Що вміє цей бот { $agency }:
    🔎 Підібрати тур — коротка заявка: куди, коли, скільки ночей, хто їде, бюджет і побажання. Менеджер підбере варіанти й напише вам тут.
    🧳 Мої поїздки — ваші заявки з їхнім станом, замовлення, сплачене й залишок до сплати, оплата за посиланням.
    💳 Баланс — гроші й бонусні бали на рахунку, поповнення, оплата замовлення з балансу.
    💬 Написати менеджеру — повідомлення, фото чи документ; відповідь прийде в цей чат.
    ⚙️ Налаштування — мова, номер телефону, пропозиції та новини, видалення ваших даних.
    Команди: /menu — головне меню, /cancel — скасувати поточну дію, /help — ця довідка.
help-staff =
    ❓ Робоче місце { $agency } ({ $role }). Нові заявки, повідомлення клієнтів, оплати й нагадування приходять у цей чат. Щоб відповісти клієнтові, дайте відповідь на переслане повідомлення.
    Команди:
help-staff-orders = /orders — замовлення за статусом
help-staff-order = /order — замовлення за номером
help-staff-find = /find — знайти клієнта за телефоном, ім'ям чи номером замовлення
help-staff-debtors = /debtors — боржники
help-staff-today = /today — вильоти, оплати й контакти на сьогодні
help-staff-requests = /requests — нові заявки, які ще не взято в роботу
help-staff-myrequests = /myrequests — заявки у вашій роботі
help-staff-neworder = /neworder — створити замовлення для клієнта
help-staff-team = /team — команда, відкликання доступу
help-staff-invite = /invite — запросити когось у команду
help-staff-audit = /audit — журнал дій
help-staff-mailings = /mailings — розсилки
help-staff-commission = /commission — ваша комісія за цей місяць
help-staff-netprice = /netprice — нетто-ціна замовлення (ціна туроператора)
help-staff-commissionrule = /commissionrule — правила комісій менеджерів
help-staff-menu = /staff — меню персоналу, /cancel — скасувати поточну дію.

