## Турпредложения (core/offers, handlers/offers.py, handlers/staff/offers.py). Ключи начинаются с "offer-".

# ---- карточки для клиента ----
offer-card-title = { $number }. 🏨 { $hotel }{ $stars }
offer-card-place = 📍 { $place }
offer-card-dates = 📅 { $start } – { $end }, { $nights ->
    [one] { $nights } ночь
    [few] { $nights } ночи
   *[other] { $nights } ночей
}
offer-card-room = 🛏 { $room } · 🍽 { $meal }
offer-card-price = 💰 { $price }
offer-card-operator = Туроператор: { $operator }
offer-card-link = 🔗 { $link }
offer-meal-ro = без питания
offer-meal-bb = завтраки
offer-meal-hb = полупансион
offer-meal-fb = полный пансион
offer-meal-ai = всё включено
offer-meal-uai = ультра всё включено
offer-choose = ✅ Выбрать вариант { $number }
offer-ask = ❓ Задать вопрос
offer-details = 🔗 Подробнее
offer-pick = { $count ->
    [one] Вот вариант
    [few] Вот { $count } варианта
   *[other] Вот { $count } вариантов
} по вашему запросу { $number }. Нажмите «Выбрать» под понравившимся или задайте вопрос менеджеру. Предложение действует до { $until }.

# ---- выбор клиента ----
offer-booked = Отличный выбор! { $hotel } забронирован для вас: заказ { $number }, { $price }.
offer-prepay = Чтобы закрепить бронирование, внесите предоплату { $amount } до { $until }.
offer-prepay-later = Менеджер вскоре пришлёт ссылку для оплаты.
offer-pay-button = 💳 Оплатить
offer-already = Этот вариант уже выбран: это заказ { $number }.
offer-taken = В этом предложении уже выбран другой вариант, поэтому этот закрыт.
offer-expired = Срок действия предложения истёк. Напишите менеджеру — вам пришлют свежие варианты.
offer-closed = Это предложение больше не действует: менеджер прислал более новые варианты или запрос закрыт.
offer-not-found = Это предложение не найдено.
offer-ask-all = Напишите вопрос о вариантах — менеджер ответит здесь.
offer-ask-one = Напишите вопрос о варианте { $number } ({ $hotel }) — менеджер ответит здесь.
offer-expired-client = Срок действия вариантов по вашему запросу { $number } истёк. Если поездка ещё актуальна, напишите менеджеру — вам подберут новые.

# ---- уведомления для команды ----
offer-staff-chosen = ✅ Клиент { $name } ({ $phone }) выбирает вариант { $position } ({ $hotel }) по запросу { $number }. Создан заказ { $order } на { $price }; ссылка на предоплату уже предложена.
offer-staff-question = ❓ Вопрос от клиента { $name } ({ $phone }) о варианте { $position } ({ $hotel }) по запросу { $number }. Чтобы ответить, ответьте на сообщение клиента.
offer-staff-question-all = ❓ Вопрос от клиента { $name } ({ $phone }) о вариантах по запросу { $number }. Чтобы ответить, ответьте на сообщение клиента.
offer-staff-expired = ⌛ Варианты по запросу { $number } ({ $name }) потеряли силу — ни один не выбран.

# ---- конструктор ----
offer-build-title = Варианты по запросу { $number }: { $count } из { $max }
offer-build-empty = Вариантов пока нет.
offer-build-hint = Вставьте вариант одним сообщением, поля через «|»:
    отель [звёзды*] | страна курорт | даты | ночи | номер | питание | цена валюта | туроператор [| ссылка] [| ссылка на фото]
    Например:
    Rixos Premium 5* | TR Belek | 12.06–19.06 | 7н | DBL | AI | 45000 UAH | Coral | https://example.com/tour
    Питание: RO, BB, HB, FB, AI, UAI. Несколько строк в одном сообщении — несколько вариантов. Или создайте вариант шаг за шагом.
offer-build-full = Это уже { $max } вариантов — больше в одно предложение не входит. Отправьте их или уберите один.
offer-build-wizard = ➕ Шаг за шагом
offer-build-send = { $count ->
    [one] 📤 Отправить вариант клиенту
   *[other] 📤 Отправить варианты клиенту ({ $count })
}
offer-build-drop = 🗑 Убрать последний вариант
offer-build-quit = ✖️ Закрыть без отправки
offer-build-gone = Этот список вариантов закрыт. Откройте карточку запроса, чтобы подобрать новые.
offer-build-quitted = Варианты не отправлены.
offer-build-button = 🧳 Подобрать варианты
offer-added = { $count ->
    [one] Вариант добавлен.
   *[other] Добавлено вариантов: { $count }.
}
offer-dropped = Последний вариант убран.
offer-paste-line = Строка { $line }:
offer-paste-count = Найдено полей: { $count }, а для варианта нужно не меньше { $required }, через «|».
offer-paste-bad-field = Поле { $number } ({ $field }): { $problem }
offer-paste-unchanged = Ничего не добавлено; исправьте, пожалуйста, и отправьте строку ещё раз.
offer-paste-text-only = Отправьте вариант текстом, пожалуйста.
offer-sent = { $count ->
    [one] Вариант отправлен
   *[other] Варианты ({ $count }) отправлены
} клиенту { $name } по запросу { $number }. Действуют до { $until }.
offer-send-raced = Эти варианты по запросу { $number } только что отправлены из другого окна.
offer-client-unreachable = Сейчас нет возможности написать клиенту { $name } в мессенджер, поэтому варианты не отправлены.
offer-request-not-found = Запрос не найден.
offer-request-closed = Запрос { $number } закрыт: отправлять по нему варианты уже нельзя.
offer-error-count = В одном предложении — не больше { $max } вариантов.

# ---- поля и проверки ----
offer-field-hotel = отель
offer-field-place = страна и курорт
offer-field-dates = даты
offer-field-nights = ночи
offer-field-room = номер
offer-field-meal = питание
offer-field-price = цена
offer-field-operator = туроператор
offer-field-url = ссылка
offer-field-link = ссылка
offer-field-photo = фото
offer-error-hotel = введите название отеля (до { $max } символов), при желании со звёздами в конце: «5*».
offer-error-place = введите страну и курорт, например «TR Belek» или «Турция, Белек» (до { $max } символов).
offer-error-dates = введите даты заезда и выезда, например 12.06–19.06 или 12-19 июня.
offer-error-nights = введите число ночей, например 7 или 7н (до { $max }).
offer-error-nights-span = { $nights ->
    [one] { $nights } ночь
    [few] { $nights } ночи
   *[other] { $nights } ночей
} не помещаются между этими датами: там { $span ->
    [one] всего { $span } ночь
    [few] всего { $span } ночи
   *[other] всего { $span } ночей
}.
offer-error-room = введите тип номера, например DBL или «Семейный номер» (до { $max } символов).
offer-error-meal = введите одно из: { $meals }.
offer-error-operator = введите название туроператора (до { $max } символов).
offer-error-url = ссылка должна начинаться с http:// или https:// и быть без пробелов.

# ---- шаг за шагом ----
offer-w-intro = Новый вариант шаг за шагом. «Отмена» возвращает к списку.
offer-w-step = Шаг { $number } из { $total }
offer-w-ask-hotel = Отель? Звёзды можно добавить в конце: Rixos Premium 5*
offer-w-ask-place = Страна и курорт? Например: TR Belek или Турция, Белек
offer-w-ask-dates = Даты проживания? Например: 12.06–19.06
offer-w-ask-nights = Сколько ночей?
offer-w-nights-button = { $nights }
offer-w-ask-room = Тип номера? Например: DBL, Family room
offer-w-ask-meal = Питание? Выберите или введите.
offer-w-ask-price = Цена за весь тур? Например: 45000 (в { $currency }) или 1200 EUR
offer-w-ask-operator = Туроператор?
offer-w-ask-link = Ссылка на тур (https://…) или пропустите.
offer-w-ask-photo = Ссылка на фото отеля (https://…jpg) или пропустите.
offer-w-skip = ⏭ Пропустить
offer-w-sum-hotel = Отель: { $value }
offer-w-sum-place = Где: { $value }
offer-w-sum-dates = Даты: { $value }
offer-w-sum-nights = Количество ночей: { $value }
offer-w-sum-room = Номер: { $value }
offer-w-sum-meal = Питание: { $value }
offer-w-sum-price = Цена: { $value }
offer-w-sum-operator = Туроператор: { $value }
offer-w-sum-link = Ссылка: { $value }
offer-w-sum-photo = Фото: { $value }
offer-w-summary = Проверьте вариант:
offer-w-confirm = ✅ Добавить вариант
offer-w-edit = ✏️ Изменить что-то
offer-w-edit-which = Что изменить?
offer-w-resume = Есть недоделанный вариант:
offer-w-resume-continue = ▶️ Продолжить
offer-w-resume-restart = 🔄 Начать заново
offer-w-cancelled = Вариант не добавлен.
offer-w-stale = Эта кнопка устарела; вот текущий вопрос.
offer-w-type = Введите ответ текстом, пожалуйста.
offer-w-incomplete = Не хватает некоторых ответов; вот первый из них.

# ---- карточка запроса ----
offer-open-request = 📄 Карточка запроса
offer-request-button = 📄 { $number }
offer-order-supplier = Туроператор: { $supplier }
offer-request-usage = Введите /request и номер запроса, например /request R-0001.
offer-request-title = 📄 Запрос { $number } · { $name }
    Статус: { $status } · Менеджер: { $manager }
offer-request-status-new = новый
offer-request-status-taken = в работе
offer-request-status-closed = закрыт
offer-request-status-cancelled = отменён
offer-request-offers = Варианты:
offer-request-history = История:
offer-status-open = открыт
offer-status-chosen = выбран
offer-status-closed = закрыт
offer-status-expired = просрочен
offer-line = { $number }. { $hotel } · { $place } · { $start }, { $nights } н. · { $meal } · { $price } · { $operator }
offer-history-created = запрос получен
offer-history-taken = запрос взят в работу
offer-history-offers-sent = { $count ->
    [one] отправлен 1 вариант
    [few] отправлено { $count } варианта
   *[other] отправлено { $count } вариантов
}
offer-history-offers-chosen = выбран вариант { $position } ({ $hotel }): заказ { $order }
offer-history-offers-question = вопрос о варианте { $position } ({ $hotel })
offer-history-offers-question-all = вопрос о вариантах
offer-history-offers-expired = варианты потеряли силу
