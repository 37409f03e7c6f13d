## Пути клиента: заявка на тур, мои поездки, связь с менеджером.

## Заявка на тур
tour-intro = Давайте подберём вам тур! Несколько коротких вопросов — на любом шаге можно вернуться назад или отменить.
tour-phone-first = Чтобы отправить заявку, нам нужен ваш номер телефона — так менеджер сможет с вами связаться.
tour-step = Шаг { $number } из { $total }
tour-ask-destination = Куда хотите поехать? Выберите направление или введите страну, город или курорт (от { $min } до { $max } символов).
tour-ask-when = Когда планируете поездку? Выберите месяц или введите даты либо месяц, например 12.03–20.03, 12-20 марта, 12.03 или июнь; или выберите «гибкие даты». Чтобы отменить заявку, напишите «отмена».
tour-when-flexible-button = 🤷 Гибкие даты
tour-ask-nights = Сколько ночей? Выберите диапазон или введите свой, например 7-10 (от { $min } до { $max }).
tour-ask-adults = Сколько взрослых путешествует?
tour-ask-children = Сколько детей едет с вами?
tour-ask-age = Сколько лет ребёнку { $number } из { $count }? (0–17; 0 — для малыша до года)
tour-ask-budget = Какой у вас бюджет на всю поездку? Введите сумму в { $currency } или сначала выберите другую валюту.
tour-budget-none-button = ♾ Без ограничений
tour-ask-wishes = Есть пожелания? Например: всё включено, первая линия, бассейн для детей, тихий отель. Напишите их (до { $max } символов) или пропустите.
tour-wishes-skip = ⏭ Пропустить
tour-summary-title = 📝 Проверьте, пожалуйста, заявку:
tour-summary-destination = 📍 Направление: { $value }
tour-summary-when = 📅 Когда: { $value }
tour-summary-nights = 🌙 Продолжительность: { $value }
tour-summary-travellers = 👥 Путешествуют: { $value }
tour-summary-budget = 💰 Бюджет: { $value }
tour-summary-wishes = ✍️ Пожелания: { $value }
tour-nights-range = { $min }–{ $max } { $max ->
    [one] ночь
    [few] ночи
    [many] ночей
   *[other] ночей
}
tour-nights-from = { $min ->
    [one] от { $min } ночи
   *[other] от { $min } ночей
}
tour-nights-exact = { $count ->
    [one] { $count } ночь
    [few] { $count } ночи
   *[other] { $count } ночей
}
tour-dates-range = { $start } – { $end }
tour-when-flexible = гибкие даты
tour-adults-count = { $count ->
    [one] { $count } взрослый
   *[other] { $count } взрослых
}
tour-children-count = { $count ->
    [one] { $count } ребёнок (возраст { $ages })
    [few] { $count } ребёнка (возраст { $ages })
   *[other] { $count } детей (возраст { $ages })
}
tour-budget-none = без ограничений
tour-confirm = ✅ Отправить заявку
tour-edit = ✏️ Изменить что-то
tour-edit-which = Что хотите изменить?
tour-edit-destination = 📍 Направление
tour-edit-when = 📅 Даты
tour-edit-nights = 🌙 Ночи
tour-edit-travellers = 👥 Путешественники
tour-edit-budget = 💰 Бюджет
tour-edit-wishes = ✍️ Пожелания
tour-resume-ask = У вас есть незавершённая заявка на тур. Продолжить с того места, где вы остановились, или начать заново?
tour-resume-continue = ▶️ Продолжить заявку
tour-resume-restart = 🔄 Начать заново
tour-cancelled = Заявка отменена, ничего не отправлено.
tour-paused = Ваши ответы сохранены: нажмите «Подобрать тур», чтобы продолжить, когда будет удобно.
tour-confirmed = 🎉 Спасибо! Заявка { $number } получена. Менеджер подберёт варианты туров и скоро напишет вам здесь — обычно в рабочее время. Как только заявку возьмут в работу, здесь появится имя менеджера.
tour-already-sent = Эта заявка уже отправлена — она у нас.
tour-hint-stale = Эта кнопка относится к другому вопросу. Ответьте, пожалуйста, на этот:
tour-hint-type = Введите ответ текстом или воспользуйтесь кнопками.
tour-error-destination = Введите направление от { $min } до { $max } символов, например «Турция» или «Крит».
tour-error-dates-format = Не удалось распознать даты. Введите их как 12.03–20.03, 12-20 марта, 12.03 или месяц, например июнь, либо выберите месяц.
tour-error-dates-past = Эти даты уже прошли. Выберите даты, начиная с сегодняшнего дня.
tour-error-dates-order = Дата возвращения должна быть позже даты начала.
tour-error-dates-far = Мы планируем не более чем на два года вперёд. Выберите более близкие даты.
tour-error-nights = Введите количество ночей от { $min } до { $max } или диапазон, например 7-10.
tour-error-adults = Выберите от { $min } до { $max } взрослых.
tour-error-children = Выберите от { $min } до { $max } детей.
tour-error-age = Введите возраст ребёнка числом от { $min } до { $max }.
tour-error-budget = Введите бюджет числом, например 50000 или 1500,50, или выберите «Без ограничений».
tour-error-wishes = Пожелания слишком длинные: уложитесь, пожалуйста, в { $max } символов.
tour-error-incomplete = Не хватает нескольких ответов — давайте их заполним.
tour-taken-client = 👋 Заявка { $number } взята в работу. Менеджер: { $manager } — скоро напишет вам здесь.

## Персонал: новые заявки
take-new-request = 🆕 Новая заявка на тур { $number }: { $name } ({ $phone }, клиент â{ $id })
take-button = 🙋 Взять
take-done = ✅ Заявка { $number } ваша. Клиент: { $name }, { $phone }, клиент â{ $id }. Ответить можно кнопкой ниже.
take-already = Заявка { $number } уже в работе: { $manager }.
take-unavailable = Заявку { $number } больше нельзя взять.
take-not-found = Такой заявки уже нет.
take-not-allowed = Брать заявки могут только менеджеры и администраторы.

## Мои поездки
trips-phone-first = Чтобы показать ваши поездки, нам нужен ваш номер телефона — по нему мы находим бронирования.
trips-empty = У вас пока нет поездок с нами. Подберём?
trips-find-tour = 🔎 Подобрать тур
trips-title = { $count ->
    [one] 🧳 Ваша поездка:
   *[other] 🧳 Ваши поездки ({ $count }):
}
trips-page = Страница { $page } из { $pages }
trips-open = { $number } · { $destination }
trips-prev = ◀️ Новее
trips-next = Старше ▶️
trip-line = { $number } · { $destination } — { $status }
trip-dates = 📅 { $start } – { $end }
trip-departs = 📅 Выезд { $date }
trip-dates-unknown = 📅 Даты уточняются
trip-money = 💰 Стоимость { $price } · оплачено { $paid }
trip-remaining = ⏳ Осталось оплатить { $remaining } до { $due }
trip-card-title = 🧳 Поездка { $number }: { $destination }
trip-card-status = Статус: { $status }
trip-status-draft = готовится
trip-status-booked = забронировано, ожидает оплаты
trip-status-confirmed = подтверждено
trip-status-paid = оплачено
trip-status-completed = завершено
trip-status-cancelled = отменено
trip-pay = 💳 Оплатить
trip-back-to-list = ◀️ Все поездки
trip-menu = 🏠 Меню
trip-not-found = Среди ваших поездок такой не найдено.

## Связь с менеджером
relay-phone-first = Чтобы связать вас с менеджером, нам нужен ваш номер телефона.
relay-intro = 💬 Напишите своё сообщение здесь — можно и фото или документ. Наши менеджеры ответят в этом чате.
relay-intro-manager = 💬 Напишите сообщение вашему менеджеру { $name } — можно и фото или документ. Ответ придёт в этот чат.
relay-hint = Я могу передать текст, фото и документы. Напишите, пожалуйста, сообщение.
relay-sent = ✉️ Отправлено вашему менеджеру. Ответ придёт сюда.
relay-sent-nobody = ✉️ Ваше сообщение сохранено. Менеджер ответит, как только освободится.
relay-leave = 🚪 Выйти из чата
relay-left = Вы вышли из чата с менеджером.
relay-client-header = 💬 Менеджер { $name }:
relay-staff-header = 💬 Пишет { $name } ({ $phone }, клиент â{ $id }). Чтобы ответить, ответьте на это сообщение.
relay-reply-button = ↩️ Ответить
relay-media-elsewhere = { $kind ->
    [photo] (отправлено фото; откройте его в мессенджере отправителя)
    [document] (отправлен документ; откройте его в мессенджере отправителя)
   *[other] (отправлен файл; откройте его в мессенджере отправителя)
}
relay-answer-ask = Напишите ответ (получатель: { $name }):
relay-answer-hint = Напишите ответ текстом (или отправьте фото или документ).
relay-answer-sent = ✅ Ответ отправлен (получатель: { $name }).
relay-answer-cancelled = Ответ отменён.
relay-client-gone = Этого клиента больше нет в нашей базе.
relay-client-unreachable = Сейчас не удаётся написать в мессенджер (получатель: { $name }); ответ не отправлен.

## Настройки
journey-phone-changed = Ваш номер телефона теперь { $phone }. Ваши поездки и заявки остаются с вами.
