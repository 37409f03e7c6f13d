## Шляхи клієнта: заявка на тур, мої поїздки, зв'язок з менеджером.

## Заявка на тур
tour-intro = Підберімо вам тур! Кілька коротких запитань — на будь-якому кроці можна повернутися назад або скасувати.
tour-phone-first = Щоб надіслати заявку, нам потрібен ваш номер телефону — так менеджер зможе з вами зв'язатися.
tour-step = Крок { $number } з { $total }
tour-ask-destination = Куди бажаєте поїхати? Оберіть напрямок або введіть країну, місто чи курорт (від { $min } до { $max } символів).
tour-ask-when = Коли плануєте подорож? Оберіть місяць або введіть дати чи місяць, наприклад 12.03–20.03, 12-20 березня, 12.03 або червень; чи оберіть «гнучкі дати». Щоб скасувати заявку, напишіть «скасувати».
tour-when-flexible-button = 🤷 Гнучкі дати
tour-ask-nights = Скільки ночей? Оберіть діапазон або введіть свій, наприклад 7-10 (від { $min } до { $max }).
tour-ask-adults = Скільки дорослих подорожує?
tour-ask-children = Скільки дітей їде з вами?
tour-ask-age = Скільки років дитині { $number } з { $count }? (0–17; 0 — для малюка до року)
tour-ask-budget = Який ваш бюджет на всю подорож? Введіть суму в { $currency } або спершу оберіть іншу валюту.
tour-budget-none-button = ♾ Без обмежень
tour-ask-wishes = Є побажання? Наприклад: все включено, перша лінія, басейн для дітей, тихий готель. Напишіть їх (до { $max } символів) або пропустіть.
tour-wishes-skip = ⏭ Пропустити
tour-summary-title = 📝 Перевірте, будь ласка, заявку:
tour-summary-destination = 📍 Напрямок: { $value }
tour-summary-when = 📅 Коли: { $value }
tour-summary-nights = 🌙 Тривалість: { $value }
tour-summary-travellers = 👥 Мандрівники: { $value }
tour-summary-budget = 💰 Бюджет: { $value }
tour-summary-wishes = ✍️ Побажання: { $value }
tour-nights-range = { $min }–{ $max } { $max ->
    [one] ніч
    [few] ночі
    [many] ночей
   *[other] ночей
}
tour-nights-from = { $min ->
    [one] від { $min } ночі
   *[other] від { $min } ночей
}
tour-nights-exact = { $count ->
    [one] { $count } ніч
    [few] { $count } ночі
   *[other] { $count } ночей
}
tour-dates-range = { $start } – { $end }
tour-when-flexible = гнучкі дати
tour-adults-count = { $count ->
    [one] { $count } дорослий
   *[other] { $count } дорослих
}
tour-children-count = { $count ->
    [one] { $count } дитина (вік { $ages })
    [few] { $count } дитини (вік { $ages })
   *[other] { $count } дітей (вік { $ages })
}
tour-budget-none = без обмежень
tour-confirm = ✅ Надіслати заявку
tour-edit = ✏️ Змінити щось
tour-edit-which = Що бажаєте змінити?
tour-edit-destination = 📍 Напрямок
tour-edit-when = 📅 Дати
tour-edit-nights = 🌙 Ночі
tour-edit-travellers = 👥 Мандрівники
tour-edit-budget = 💰 Бюджет
tour-edit-wishes = ✍️ Побажання
tour-resume-ask = У вас є незавершена заявка на тур. Продовжити з того місця, де ви зупинилися, чи почати спочатку?
tour-resume-continue = ▶️ Продовжити заявку
tour-resume-restart = 🔄 Почати спочатку
tour-cancelled = Заявку скасовано, нічого не надіслано.
tour-paused = Ваші відповіді збережено: натисніть «Підібрати тур», щоб продовжити, коли зручно.
tour-confirmed = 🎉 Дякуємо! Заявку { $number } отримано. Менеджер підбере варіанти турів і невдовзі напише вам тут — зазвичай у робочий час. Щойно заявку візьмуть у роботу, тут з'явиться ім'я менеджера.
tour-already-sent = Цю заявку вже надіслано — вона в нас.
tour-hint-stale = Ця кнопка стосується іншого запитання. Дайте, будь ласка, відповідь на це:
tour-hint-type = Введіть відповідь текстом або скористайтеся кнопками.
tour-error-destination = Введіть напрямок від { $min } до { $max } символів, наприклад «Туреччина» або «Крит».
tour-error-dates-format = Не вдалося розпізнати дати. Введіть їх як 12.03–20.03, 12-20 березня, 12.03 або місяць, наприклад червень, чи оберіть місяць.
tour-error-dates-past = Ці дати вже минули. Оберіть дати, починаючи з сьогодні.
tour-error-dates-order = Дата повернення має бути пізніше за дату початку.
tour-error-dates-far = Ми плануємо не більше ніж на два роки наперед. Оберіть ближчі дати.
tour-error-nights = Введіть кількість ночей від { $min } до { $max } або діапазон, наприклад 7-10.
tour-error-adults = Оберіть від { $min } до { $max } дорослих.
tour-error-children = Оберіть від { $min } до { $max } дітей.
tour-error-age = Введіть вік дитини числом від { $min } до { $max }.
tour-error-budget = Введіть бюджет числом, наприклад 50000 або 1500,50, або оберіть «Без обмежень».
tour-error-wishes = Побажання задовгі: вкладіться, будь ласка, у { $max } символів.
tour-error-incomplete = Бракує кількох відповідей — заповнімо їх.
tour-taken-client = 👋 Заявку { $number } взято в роботу. Менеджер: { $manager } — невдовзі напише вам тут.

## Персонал: нові заявки
take-new-request = 🆕 Нова заявка на тур { $number }: { $name } ({ $phone }, клієнт â{ $id })
take-button = 🙋 Взяти
take-done = ✅ Заявка { $number } ваша. Клієнт: { $name }, { $phone }, клієнт â{ $id }. Відповісти можна кнопкою нижче.
take-already = Заявка { $number } уже в роботі: { $manager }.
take-unavailable = Заявку { $number } більше не можна взяти.
take-not-found = Такої заявки вже немає.
take-not-allowed = Брати заявки можуть лише менеджери та адміністратори.

## Мої поїздки
trips-phone-first = Щоб показати ваші поїздки, нам потрібен ваш номер телефону — за ним ми знаходимо бронювання.
trips-empty = У вас поки немає поїздок з нами. Підберемо?
trips-find-tour = 🔎 Підібрати тур
trips-title = { $count ->
    [one] 🧳 Ваша поїздка:
   *[other] 🧳 Ваші поїздки ({ $count }):
}
trips-page = Сторінка { $page } з { $pages }
trips-open = { $number } · { $destination }
trips-prev = ◀️ Новіші
trips-next = Старіші ▶️
trip-line = { $number } · { $destination } — { $status }
trip-dates = 📅 { $start } – { $end }
trip-departs = 📅 Виїзд { $date }
trip-dates-unknown = 📅 Дати уточнюються
trip-money = 💰 Вартість { $price } · сплачено { $paid }
trip-remaining = ⏳ Залишилося сплатити { $remaining } до { $due }
trip-card-title = 🧳 Поїздка { $number }: { $destination }
trip-card-status = Статус: { $status }
trip-status-draft = готується
trip-status-booked = заброньовано, очікує оплати
trip-status-confirmed = підтверджено
trip-status-paid = сплачено
trip-status-completed = завершено
trip-status-cancelled = скасовано
trip-pay = 💳 Сплатити
trip-back-to-list = ◀️ Усі поїздки
trip-menu = 🏠 Меню
trip-not-found = Серед ваших поїздок такої не знайдено.

## Зв'язок з менеджером
relay-phone-first = Щоб з'єднати вас із менеджером, нам потрібен ваш номер телефону.
relay-intro = 💬 Напишіть своє повідомлення тут — можна й фото чи документ. Наші менеджери дадуть відповідь у цьому чаті.
relay-intro-manager = 💬 Напишіть повідомлення вашому менеджеру { $name } — можна й фото чи документ. Відповідь прийде в цей чат.
relay-hint = Я можу передати текст, фото й документи. Напишіть, будь ласка, повідомлення.
relay-sent = ✉️ Надіслано вашому менеджеру. Відповідь прийде сюди.
relay-sent-nobody = ✉️ Ваше повідомлення збережено. Менеджер відповість, щойно звільниться.
relay-leave = 🚪 Вийти з чату
relay-left = Ви вийшли з чату з менеджером.
relay-client-header = 💬 Менеджер { $name }:
relay-staff-header = 💬 Пише { $name } ({ $phone }, клієнт â{ $id }). Щоб відповісти, дайте відповідь на це повідомлення.
relay-reply-button = ↩️ Відповісти
relay-media-elsewhere = { $kind ->
    [photo] (надіслано фото; відкрийте його в месенджері відправника)
    [document] (надіслано документ; відкрийте його в месенджері відправника)
   *[other] (надіслано файл; відкрийте його в месенджері відправника)
}
relay-answer-ask = Напишіть відповідь (отримувач: { $name }):
relay-answer-hint = Напишіть відповідь текстом (або надішліть фото чи документ).
relay-answer-sent = ✅ Відповідь надіслано (отримувач: { $name }).
relay-answer-cancelled = Відповідь скасовано.
relay-client-gone = Цього клієнта більше немає в нашій базі.
relay-client-unreachable = Зараз неможливо написати в месенджер (отримувач: { $name }); відповідь не надіслано.

## Налаштування
journey-phone-changed = Ваш номер телефону тепер { $phone }. Ваші поїздки й заявки залишаються з вами.
