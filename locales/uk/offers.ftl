## Турпропозиції (core/offers, handlers/offers.py, handlers/staff/offers.py). Ключі починаються з "offer-".

# ---- картки для клієнта ----
offer-card-title = { $number }. 🏨 { $hotel }{ $stars }
offer-card-place = 📍 { $place }
offer-card-dates = 📅 { $start } – { $end }, { $nights ->
    [one] { $nights } ніч
    [few] { $nights } ночі
   *[other] { $nights } ночей
}
offer-card-room = 🛏 { $room } · 🍽 { $meal }
offer-card-price = 💰 { $price }
offer-card-operator = Туроператор: { $operator }
offer-card-link = 🔗 { $link }
offer-meal-ro = без харчування
offer-meal-bb = сніданки
offer-meal-hb = напівпансіон
offer-meal-fb = повний пансіон
offer-meal-ai = все включено
offer-meal-uai = ультра все включено
offer-choose = ✅ Обрати варіант { $number }
offer-ask = ❓ Поставити запитання
offer-details = 🔗 Докладніше
offer-pick = { $count ->
    [one] Ось варіант
    [few] Ось { $count } варіанти
   *[other] Ось { $count } варіантів
} за вашим запитом { $number }. Натисніть «Обрати» під тим, що до вподоби, або поставте запитання менеджеру. Пропозиція дійсна до { $until }.

# ---- вибір клієнта ----
offer-booked = Чудовий вибір! { $hotel } заброньовано для вас: замовлення { $number }, { $price }.
offer-prepay = Щоб закріпити бронювання, внесіть передоплату { $amount } до { $until }.
offer-prepay-later = Менеджер невдовзі надішле посилання для оплати.
offer-pay-button = 💳 Оплатити
offer-already = Цей варіант уже обрано: це замовлення { $number }.
offer-taken = З цієї пропозиції вже обрано інший варіант, тож цей закрито.
offer-expired = Термін дії пропозиції минув. Напишіть менеджеру — вам надішлють свіжі варіанти.
offer-closed = Ця пропозиція вже не дійсна: менеджер надіслав новіші варіанти або запит закрито.
offer-not-found = Цю пропозицію не знайдено.
offer-ask-all = Напишіть запитання щодо варіантів — менеджер відповість тут.
offer-ask-one = Напишіть запитання щодо варіанта { $number } ({ $hotel }) — менеджер відповість тут.
offer-expired-client = Термін дії варіантів за вашим запитом { $number } минув. Якщо подорож ще актуальна, напишіть менеджеру — вам підберуть нові.

# ---- сповіщення для команди ----
offer-staff-chosen = ✅ Клієнт { $name } ({ $phone }) обирає варіант { $position } ({ $hotel }) за запитом { $number }. Створено замовлення { $order } на { $price }; посилання на передоплату вже запропоновано.
offer-staff-question = ❓ Запитання від клієнта { $name } ({ $phone }) щодо варіанта { $position } ({ $hotel }) за запитом { $number }. Щоб відповісти, дайте відповідь на повідомлення клієнта.
offer-staff-question-all = ❓ Запитання від клієнта { $name } ({ $phone }) щодо варіантів за запитом { $number }. Щоб відповісти, дайте відповідь на повідомлення клієнта.
offer-staff-expired = ⌛ Варіанти за запитом { $number } ({ $name }) втратили чинність — жоден не обрано.

# ---- конструктор ----
offer-build-title = Варіанти за запитом { $number }: { $count } з { $max }
offer-build-empty = Варіантів поки немає.
offer-build-hint = Вставте варіант одним повідомленням, поля через «|»:
    готель [зірки*] | країна курорт | дати | ночі | номер | харчування | ціна валюта | туроператор [| посилання] [| посилання на фото]
    Наприклад:
    Rixos Premium 5* | TR Belek | 12.06–19.06 | 7н | DBL | AI | 45000 UAH | Coral | https://example.com/tour
    Харчування: RO, BB, HB, FB, AI, UAI. Кілька рядків в одному повідомленні — кілька варіантів. Або створіть варіант крок за кроком.
offer-build-full = Це вже { $max } варіантів — найбільше для однієї пропозиції. Надішліть їх або приберіть один.
offer-build-wizard = ➕ Крок за кроком
offer-build-send = { $count ->
    [one] 📤 Надіслати варіант клієнту
   *[other] 📤 Надіслати варіанти клієнту ({ $count })
}
offer-build-drop = 🗑 Прибрати останній варіант
offer-build-quit = ✖️ Закрити без надсилання
offer-build-gone = Цей список варіантів закрито. Відкрийте картку запиту, щоб підібрати нові.
offer-build-quitted = Варіанти не надіслано.
offer-build-button = 🧳 Підібрати варіанти
offer-added = { $count ->
    [one] Варіант додано.
   *[other] Додано варіантів: { $count }.
}
offer-dropped = Останній варіант прибрано.
offer-paste-line = Рядок { $line }:
offer-paste-count = Знайдено полів: { $count }, а для варіанта потрібно щонайменше { $required }, через «|».
offer-paste-bad-field = Поле { $number } ({ $field }): { $problem }
offer-paste-unchanged = Нічого не додано; виправте, будь ласка, і надішліть рядок ще раз.
offer-paste-text-only = Надішліть варіант текстом, будь ласка.
offer-sent = { $count ->
    [one] Варіант надіслано
   *[other] Варіанти ({ $count }) надіслано
} клієнту { $name } за запитом { $number }. Дійсні до { $until }.
offer-send-raced = Ці варіанти за запитом { $number } щойно надіслано з іншого вікна.
offer-client-unreachable = Зараз немає змоги написати клієнту { $name } у месенджер, тому варіанти не надіслано.
offer-request-not-found = Запит не знайдено.
offer-request-closed = Запит { $number } закрито: надсилати за ним варіанти вже не можна.
offer-error-count = В одній пропозиції — не більше { $max } варіантів.

# ---- поля та перевірки ----
offer-field-hotel = готель
offer-field-place = країна й курорт
offer-field-dates = дати
offer-field-nights = ночі
offer-field-room = номер
offer-field-meal = харчування
offer-field-price = ціна
offer-field-operator = туроператор
offer-field-url = посилання
offer-field-link = посилання
offer-field-photo = фото
offer-error-hotel = введіть назву готелю (до { $max } символів), за бажання із зірками в кінці: «5*».
offer-error-place = введіть країну й курорт, як-от «TR Belek» або «Туреччина, Белек» (до { $max } символів).
offer-error-dates = введіть дати заїзду й виїзду, як-от 12.06–19.06 або 12-19 червня.
offer-error-nights = введіть кількість ночей, як-от 7 або 7н (до { $max }).
offer-error-nights-span = { $nights ->
    [one] { $nights } ніч
    [few] { $nights } ночі
   *[other] { $nights } ночей
} не вміщуються між цими датами: там { $span ->
    [one] лише { $span } ніч
    [few] лише { $span } ночі
   *[other] лише { $span } ночей
}.
offer-error-room = введіть тип номера, як-от DBL або «Сімейний номер» (до { $max } символів).
offer-error-meal = введіть одне з: { $meals }.
offer-error-operator = введіть назву туроператора (до { $max } символів).
offer-error-url = посилання має починатися з http:// або https:// і бути без пробілів.

# ---- крок за кроком ----
offer-w-intro = Новий варіант крок за кроком. «Скасувати» повертає до списку.
offer-w-step = Крок { $number } з { $total }
offer-w-ask-hotel = Готель? Зірки можна додати в кінці: Rixos Premium 5*
offer-w-ask-place = Країна й курорт? Наприклад: TR Belek або Туреччина, Белек
offer-w-ask-dates = Дати проживання? Наприклад: 12.06–19.06
offer-w-ask-nights = Скільки ночей?
offer-w-nights-button = { $nights }
offer-w-ask-room = Тип номера? Наприклад: DBL, Family room
offer-w-ask-meal = Харчування? Оберіть або введіть.
offer-w-ask-price = Ціна за весь тур? Наприклад: 45000 (у { $currency }) або 1200 EUR
offer-w-ask-operator = Туроператор?
offer-w-ask-link = Посилання на тур (https://…) або пропустіть.
offer-w-ask-photo = Посилання на фото готелю (https://…jpg) або пропустіть.
offer-w-skip = ⏭ Пропустити
offer-w-sum-hotel = Готель: { $value }
offer-w-sum-place = Де: { $value }
offer-w-sum-dates = Дати: { $value }
offer-w-sum-nights = Кількість ночей: { $value }
offer-w-sum-room = Номер: { $value }
offer-w-sum-meal = Харчування: { $value }
offer-w-sum-price = Ціна: { $value }
offer-w-sum-operator = Туроператор: { $value }
offer-w-sum-link = Посилання: { $value }
offer-w-sum-photo = Фото: { $value }
offer-w-summary = Перевірте варіант:
offer-w-confirm = ✅ Додати варіант
offer-w-edit = ✏️ Змінити щось
offer-w-edit-which = Що змінити?
offer-w-resume = Є недороблений варіант:
offer-w-resume-continue = ▶️ Продовжити
offer-w-resume-restart = 🔄 Почати знову
offer-w-cancelled = Варіант не додано.
offer-w-stale = Ця кнопка застаріла; ось поточне запитання.
offer-w-type = Введіть відповідь текстом, будь ласка.
offer-w-incomplete = Бракує деяких відповідей; ось перша з них.

# ---- картка запиту ----
offer-open-request = 📄 Картка запиту
offer-request-button = 📄 { $number }
offer-order-supplier = Туроператор: { $supplier }
offer-request-usage = Введіть /request і номер запиту, як-от /request R-0001.
offer-request-title = 📄 Запит { $number } · { $name }
    Статус: { $status } · Менеджер: { $manager }
offer-request-status-new = новий
offer-request-status-taken = у роботі
offer-request-status-closed = закритий
offer-request-status-cancelled = скасований
offer-request-offers = Варіанти:
offer-request-history = Історія:
offer-status-open = відкритий
offer-status-chosen = обраний
offer-status-closed = закритий
offer-status-expired = прострочений
offer-line = { $number }. { $hotel } · { $place } · { $start }, { $nights } н. · { $meal } · { $price } · { $operator }
offer-history-created = запит отримано
offer-history-taken = запит взято в роботу
offer-history-offers-sent = { $count ->
    [one] надіслано 1 варіант
    [few] надіслано { $count } варіанти
   *[other] надіслано { $count } варіантів
}
offer-history-offers-chosen = обрано варіант { $position } ({ $hotel }): замовлення { $order }
offer-history-offers-question = запитання щодо варіанта { $position } ({ $hotel })
offer-history-offers-question-all = запитання щодо варіантів
offer-history-offers-expired = варіанти втратили чинність
