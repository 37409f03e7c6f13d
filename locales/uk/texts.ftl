# Тексти й формати (issue 16): довідка, відкриті заявки в «Моїх поїздках», суми без терміну,
# назви популярних напрямків.

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
help-staff-requests = /requests — нові заявки, які ще ніхто не взяв
help-staff-myrequests = /myrequests — заявки у вашій роботі
help-staff-neworder = /neworder — створити замовлення для клієнта
help-staff-team = /team — команда, відкликання доступу
help-staff-invite = /invite — запросити когось у команду
help-staff-audit = /audit — журнал дій
help-staff-mailings = /mailings — розсилки
help-staff-menu = /staff — меню персоналу, /cancel — скасувати поточну дію.

## Популярні напрямки (кнопки майстра; збережене значення — назва з налаштувань)
destination-egypt = Єгипет
destination-turkey = Туреччина
destination-spain = Іспанія
destination-greece = Греція
destination-montenegro = Чорногорія
destination-uae = ОАЕ
destination-cyprus = Кіпр
destination-bulgaria = Болгарія
destination-italy = Італія
destination-croatia = Хорватія
destination-thailand = Таїланд
destination-maldives = Мальдіви
destination-dominican-republic = Домінікана
destination-tunisia = Туніс
